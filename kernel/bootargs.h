/*
 * bootargs.h - the boot-args line: tokens, values and their checking.
 *
 * The line is what follows the kernel on GRUB's multiboot2 line, or QEMU's
 * -append: space-separated tokens of three shapes,
 *
 *   -v			a flag (the name includes the dash)
 *   debug=0x8		a name with a value: decimal or 0x hex numbers, or text
 *   tests="a b"	a value in double quotes may hold spaces
 *
 * This file is the machine-independent machinery, pure functions over a
 * string, so the host unit tests exercise it directly. The kernel-facing
 * calls (PE_parse_boot_argn and friends) are in kernel/pexpert.h.
 *
 * Nothing on the line is trusted: quotes may be unterminated, numbers may
 * overflow, names may be unknown, values may be longer than any buffer.
 * Lookups fail cleanly; bootargs_check() says what was wrong, once each.
 */

#ifndef KERNEL_BOOTARGS_H
#define KERNEL_BOOTARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bootarg_token {
	const char	*bt_name;
	size_t		bt_namelen;
	const char	*bt_value;	/* NULL when the token has no '=' */
	size_t		bt_valuelen;	/* quotes stripped */
	bool		bt_unterminated; /* an opening quote was never closed */
};

/* bootargs_next: the next token at *cursor, advancing it; false at the end. */
bool	bootargs_next(const char **cursor, struct bootarg_token *tok);

/*
 * bootargs_parse_number: an optional '-', then decimal digits or 0x and hex
 * digits, nothing else. False on anything else or on overflow of 64 bits.
 */
bool	bootargs_parse_number(const char *s, size_t len, uint64_t *magnitude,
	    bool *negative);

/*
 * bootargs_find: look name up on cmdline, XNU's PE_parse_boot_argn rules.
 * The first token with that name counts.
 *   - no value (a flag, or a bare name): true, and 1 is stored when max_len
 *     is an integer size (1, 2, 4, 8) and !force_string, else "";
 *   - a number and !force_string: stored as an integer of max_len bytes;
 *     false if it does not fit;
 *   - otherwise the text is copied, truncated to max_len - 1 bytes and NUL
 *     terminated.
 * False when name is absent.
 */
bool	bootargs_find(const char *cmdline, const char *name, void *ptr, int max_len,
	    bool force_string);

enum boot_arg_kind {
	BOOT_ARG_FLAG,		/* -name, no value */
	BOOT_ARG_NUMBER,	/* name=N */
	BOOT_ARG_STRING,	/* name=text */
};

/* A boot-arg the kernel knows; registered with BOOT_ARG() (kernel/pexpert.h). */
struct boot_arg_desc {
	const char	*bad_name;
	uint32_t	bad_kind;	/* enum boot_arg_kind */
	uint32_t	bad_max;	/* STRING: longest value kept; NUMBER: bytes (4 if 0) */
	const char	*bad_help;
};

typedef void (*bootargs_report_t)(void *ctx, const char *msg);

/*
 * bootargs_check: report, through report(ctx, msg), each unknown name, each
 * value that does not suit its boot-arg, each unterminated quote, overlong
 * value and repeated name. Returns how many problems were reported.
 */
unsigned bootargs_check(const char *cmdline, const struct boot_arg_desc *descs,
	    size_t ndescs, bootargs_report_t report, void *ctx);

#endif /* KERNEL_BOOTARGS_H */
