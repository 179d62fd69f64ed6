/*
 * init_conf.h - what /sbin/init decides from text: the boot-args line
 * (kern.bootargs), the user-test selection of tests=, glob matching of
 * program names, and how a child's end is told. Pure functions over
 * strings with no system calls, so the host unit tests
 * (tests/unit/user/test_init_conf.c) run them as they are.
 *
 * The boot-args line has the kernel's syntax (kernel/bootargs.h):
 * space-separated tokens, "-flag", "name=value" or name="a value with
 * spaces"; the first token with a name counts. Nothing in it is trusted:
 * every copy is bounded by the caller's buffer and always NUL-terminated.
 */

#ifndef INIT_CONF_H
#define INIT_CONF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * init_bootarg: the value of name on line into buf (size bytes, truncated,
 * NUL-terminated; "" for a token without a value). True if the name is on
 * the line.
 */
bool	init_bootarg(const char *line, const char *name, char *buf, size_t size);

/*
 * init_user_tests: whether line's tests= asks for the user tests (its value
 * begins with "user", as the kernel decides), and if so which: globs gets a
 * comma-separated list of program-name globs, "*" for a bare "user", X for
 * each "user.X" element, -X for each "-user.X" (an exclusion: "user,
 * -user.mach_*" is everything but those); elements of any other shape are
 * dropped, so globs
 * may come back "" (nothing selected). False, and globs "", otherwise.
 */
bool	init_user_tests(const char *line, char *globs, size_t size);

/* init_glob_match: name matches pattern ('*' any run, '?' any one char). */
bool	init_glob_match(const char *pattern, const char *name);

/*
 * init_globs_match: name matches one of the comma-separated globs and none
 * of those written -GLOB (exclusions, from tests=...,-user.GLOB).
 */
bool	init_globs_match(const char *globs, const char *name);

/* init_signal_name: "SIGSEGV" for 11; "signal N" past the known ones. */
const char *init_signal_name(int sig, char *buf, size_t size);

/*
 * init_describe_status: a wait status as the kernel console says it,
 * "exited with status N" or "died of SIGSEGV" (", core dumped" added when
 * the core bit is set), into buf.
 */
void	init_describe_status(int status, char *buf, size_t size);

#endif /* INIT_CONF_H */
