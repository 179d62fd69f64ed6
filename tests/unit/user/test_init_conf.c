/*
 * test_init_conf.c - /sbin/init's text decisions (bsd/userland/init/
 * init_conf.c), compiled for the host as they are: the boot-args line,
 * tests=user selections, glob matching of program names, and how a
 * child's end is told.
 */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>

/* A user program's source, not the kernel's: compiled here whole. */
#include "bsd/userland/init/init_conf.c"

Test(init_conf, bootarg_values)
{
	char buf[32];

	cr_assert(init_bootarg("-v tests=user debug=0x8", "tests", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "user");
	cr_assert(init_bootarg("-v tests=user debug=0x8", "-v", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "");
	cr_assert(init_bootarg("name=\"a b c\" x=1", "name", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "a b c");
	cr_assert(init_bootarg("x=1 x=2", "x", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "1", "the first one counts, as in the kernel");
	cr_assert(!init_bootarg("testsuite=1 tests", "test", buf, sizeof(buf)));
	cr_assert(!init_bootarg("", "tests", buf, sizeof(buf)));
	cr_assert(!init_bootarg(NULL, "tests", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "");
}

Test(init_conf, bootarg_never_overflows)
{
	char buf[4];

	cr_assert(init_bootarg("tests=abcdefgh", "tests", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "abc");
	cr_assert(init_bootarg("name=\"never closed", "name", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "nev");
	cr_assert(init_bootarg("  \tname=  ", "name", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "");
}

Test(init_conf, user_test_selection)
{
	char globs[64];

	cr_assert(init_user_tests("tests=user", globs, sizeof(globs)));
	cr_assert_str_eq(globs, "*");
	cr_assert(init_user_tests("-v tests=user.proc_* x", globs, sizeof(globs)));
	cr_assert_str_eq(globs, "proc_*");
	cr_assert(init_user_tests("tests=user.a,user.b*,bogus,user", globs, sizeof(globs)));
	cr_assert_str_eq(globs, "a,b*,*");
	cr_assert(init_user_tests("tests=user,-user.mach_*", globs, sizeof(globs)));
	cr_assert_str_eq(globs, "*,-mach_*");
	cr_assert(init_user_tests("tests=users", globs, sizeof(globs)));
	cr_assert_str_eq(globs, "", "a value that is no selection selects nothing");
	cr_assert(!init_user_tests("tests=vm.*", globs, sizeof(globs)));
	cr_assert(!init_user_tests("tests=*", globs, sizeof(globs)));
	cr_assert(!init_user_tests("-v", globs, sizeof(globs)));
	cr_assert_str_eq(globs, "");
}

Test(init_conf, user_test_selection_is_bounded)
{
	char globs[8];

	cr_assert(init_user_tests("tests=user.abcdef,user.ghijkl", globs, sizeof(globs)));
	cr_assert_eq(strlen(globs), sizeof(globs) - 1);
}

Test(init_conf, globs)
{
	cr_assert(init_glob_match("*", "startup"));
	cr_assert(init_glob_match("", ""));
	cr_assert(!init_glob_match("", "x"));
	cr_assert(init_glob_match("proc_*", "proc_fork"));
	cr_assert(!init_glob_match("proc_*", "vfs_proc_x"));
	cr_assert(init_glob_match("*_fork", "proc_fork"));
	cr_assert(init_glob_match("p?oc*k", "proc_fork"));
	cr_assert(init_glob_match("a*b*c", "aXbYbZc"));
	cr_assert(!init_glob_match("a*b*c", "aXbYbZ"));
	cr_assert(init_glob_match("**a", "a"));
	cr_assert(!init_glob_match("startup", "startup2"));
	cr_assert(init_globs_match("tty_*,proc_*", "proc_wait"));
	cr_assert(init_globs_match(",,startup", "startup"));
	cr_assert(!init_globs_match("tty_*,proc_*", "startup"));
	cr_assert(!init_globs_match("", "startup"));
	/* Exclusions win wherever they stand; alone they select nothing. */
	cr_assert(!init_globs_match("*,-mach_stress", "mach_stress"));
	cr_assert(init_globs_match("*,-mach_stress", "mach_basic"));
	cr_assert(!init_globs_match("-proc_*,*", "proc_fork"));
	cr_assert(!init_globs_match("-x", "y"));
}

Test(init_conf, glob_backtracking_is_not_exponential)
{
	/* A naive recursive matcher takes ages over this one. */
	cr_assert(!init_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

Test(init_conf, statuses)
{
	char buf[64], name[16];

	init_describe_status(0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "exited with status 0");
	init_describe_status(3 << 8, buf, sizeof(buf));
	cr_assert_str_eq(buf, "exited with status 3");
	init_describe_status(SIGSEGV, buf, sizeof(buf));
	cr_assert_str_eq(buf, "died of SIGSEGV");
	init_describe_status(SIGABRT | 0x80, buf, sizeof(buf));
	cr_assert_str_eq(buf, "died of SIGABRT, core dumped");
	init_describe_status(40, buf, sizeof(buf));
	cr_assert_str_eq(buf, "died of signal 40");
	cr_assert_str_eq(init_signal_name(9, name, sizeof(name)), "SIGKILL");
	cr_assert_str_eq(init_signal_name(0, name, sizeof(name)), "signal 0");
}
