/*
 * test_bootargs.c - kernel/bootargs.c: tokenizing the boot-args line,
 * parsing numbers, PE_parse_boot_argn-style lookups and the checker's
 * reports.
 *
 * Every line is handed over in a heap buffer of exactly its length, so a
 * read past its NUL is an ASan report; integer results land in buffers with
 * guard bytes on both sides, so a store of the wrong width shows.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#include "kernel/bootargs.h"

/* --- helpers --------------------------------------------------------------- */

static char *
line(const char *s)
{
	return strdup(s);		/* exactly strlen + 1 bytes */
}

struct tok {
	char	t_name[64];
	char	t_value[64];
	bool	t_has_value;
	bool	t_unterminated;
};

/* All tokens of s, copied out; returns the count. */
static unsigned
tokenize(const char *s, struct tok *out, unsigned max)
{
	char *buf = line(s);
	const char *cursor = buf;
	struct bootarg_token t;
	unsigned n = 0;

	while (bootargs_next(&cursor, &t)) {
		cr_assert_lt(n, max, "too many tokens in \"%s\"", s);
		cr_assert(t.bt_name >= buf &&
		    t.bt_name + t.bt_namelen <= buf + strlen(buf));
		snprintf(out[n].t_name, sizeof(out[n].t_name), "%.*s", (int)t.bt_namelen,
		    t.bt_name);
		out[n].t_has_value = t.bt_value != NULL;
		if (t.bt_value != NULL) {
			cr_assert(t.bt_value >= buf &&
			    t.bt_value + t.bt_valuelen <= buf + strlen(buf));
			snprintf(out[n].t_value, sizeof(out[n].t_value), "%.*s",
			    (int)t.bt_valuelen, t.bt_value);
		}
		out[n].t_unterminated = t.bt_unterminated;
		n++;
	}
	cr_assert_eq(*cursor, '\0', "the cursor stops at the end");
	free(buf);
	return n;
}

static void
expect_token(const struct tok *t, const char *name, const char *value, bool unterminated)
{
	cr_assert_str_eq(t->t_name, name);
	if (value == NULL) {
		cr_assert_not(t->t_has_value, "\"%s\" should have no value", name);
	} else {
		cr_assert(t->t_has_value, "\"%s\" should have a value", name);
		cr_assert_str_eq(t->t_value, value);
	}
	cr_assert_eq(t->t_unterminated, unterminated, "%s: unterminated flag", name);
}

/* --- bootargs_next --------------------------------------------------------- */

Test(bootargs, empty_and_blank_lines_have_no_tokens)
{
	struct tok t[4];

	cr_assert_eq(tokenize("", t, 4), 0u);
	cr_assert_eq(tokenize(" ", t, 4), 0u);
	cr_assert_eq(tokenize(" \t\n\r\v\f  ", t, 4), 0u);
}

Test(bootargs, flags_names_and_values)
{
	struct tok t[8];

	cr_assert_eq(tokenize("-v debug=0x8 tests=vm_phys.* x= =y", t, 8), 5u);
	expect_token(&t[0], "-v", NULL, false);
	expect_token(&t[1], "debug", "0x8", false);
	expect_token(&t[2], "tests", "vm_phys.*", false);
	expect_token(&t[3], "x", "", false);
	expect_token(&t[4], "", "y", false);
}

Test(bootargs, any_whitespace_separates_and_runs_collapse)
{
	struct tok t[8];

	cr_assert_eq(tokenize("  a\tb\n\nc  \t d=1\r\n", t, 8), 4u);
	expect_token(&t[0], "a", NULL, false);
	expect_token(&t[1], "b", NULL, false);
	expect_token(&t[2], "c", NULL, false);
	expect_token(&t[3], "d", "1", false);
}

Test(bootargs, only_the_first_equals_sign_separates)
{
	struct tok t[2];

	cr_assert_eq(tokenize("a=b=c", t, 2), 1u);
	expect_token(&t[0], "a", "b=c", false);
}

Test(bootargs, quoted_values_hold_spaces)
{
	struct tok t[8];

	cr_assert_eq(tokenize("tests=\"vm_phys.* printf.*\" -v s=\"\" q=\"x\"", t, 8),
	    4u);
	expect_token(&t[0], "tests", "vm_phys.* printf.*", false);
	expect_token(&t[1], "-v", NULL, false);
	expect_token(&t[2], "s", "", false);
	expect_token(&t[3], "q", "x", false);
}

Test(bootargs, text_after_the_closing_quote_is_dropped)
{
	struct tok t[4];

	cr_assert_eq(tokenize("a=\"one two\"three b", t, 4), 2u);
	expect_token(&t[0], "a", "one two", false);
	expect_token(&t[1], "b", NULL, false);
}

Test(bootargs, quotes_inside_a_value_or_name_keep_the_token_together)
{
	struct tok t[4];

	cr_assert_eq(tokenize("a=x\"y z\"w \"n m\"=1", t, 4), 2u);
	expect_token(&t[0], "a", "x\"y z\"w", false);
	expect_token(&t[1], "\"n m\"", "1", false);
}

Test(bootargs, unterminated_quote_runs_to_the_end)
{
	struct tok t[4];

	cr_assert_eq(tokenize("-v tests=\"a b  c", t, 4), 2u);
	expect_token(&t[0], "-v", NULL, false);
	expect_token(&t[1], "tests", "a b  c", true);
	cr_assert_eq(tokenize("x=\"", t, 4), 1u);
	expect_token(&t[0], "x", "", true);
	cr_assert_eq(tokenize("\"abc", t, 4), 1u);
	expect_token(&t[0], "\"abc", NULL, true);
}

/* --- bootargs_parse_number ------------------------------------------------- */

static bool
number(const char *s, uint64_t *v, bool *neg)
{
	size_t len = strlen(s);
	char *buf = malloc(len > 0 ? len : 1);	/* not NUL-terminated */
	bool ok;

	memcpy(buf, s, len);
	*v = 0xabababababababab;
	ok = bootargs_parse_number(buf, len, v, neg);
	free(buf);
	return ok;
}

static void
expect_number(const char *s, uint64_t want, bool want_neg)
{
	uint64_t v;
	bool neg;

	cr_assert(number(s, &v, &neg), "\"%s\" should parse", s);
	cr_assert_eq(v, want, "\"%s\" gave %#llx", s, (unsigned long long)v);
	cr_assert_eq(neg, want_neg, "\"%s\" sign", s);
}

static void
expect_not_number(const char *s)
{
	uint64_t v;
	bool neg;

	cr_assert_not(number(s, &v, &neg), "\"%s\" should not parse", s);
}

Test(bootargs, parse_decimal_and_hex)
{
	expect_number("0", 0, false);
	expect_number("7", 7, false);
	expect_number("00012", 12, false);	/* leading zeros are not octal */
	expect_number("123456789", 123456789, false);
	expect_number("0x0", 0, false);
	expect_number("0x1f", 0x1f, false);
	expect_number("0X1F", 0x1f, false);
	expect_number("0xDeadBeef", 0xdeadbeef, false);
	expect_number("18446744073709551615", UINT64_MAX, false);
	expect_number("0xffffffffffffffff", UINT64_MAX, false);
	expect_number("0x0000000000000000001", 1, false);
}

Test(bootargs, parse_negative)
{
	expect_number("-1", 1, true);
	expect_number("-0", 0, true);
	expect_number("-0x10", 16, true);
	expect_number("-9223372036854775808", 9223372036854775808ULL, true);
}

Test(bootargs, parse_rejects_junk_and_empty)
{
	static const char *const bad[] = {
		"", "-", "0x", "-0x", "x", "12a", "a12", " 1", "1 ", "+1", "--1", "0x-1",
		"0xg", "1.5", "0b101", "1e3", "0x1 ", "-\"1\"", "\"1\"",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_not_number(bad[i]);
}

Test(bootargs, parse_rejects_64_bit_overflow)
{
	expect_not_number("18446744073709551616");
	expect_not_number("99999999999999999999");
	expect_not_number("0x10000000000000000");
	expect_not_number("-18446744073709551616");
	expect_not_number("184467440737095516150");
}

Test(bootargs, parse_reads_only_len_bytes)
{
	uint64_t v;
	bool neg;

	cr_assert(bootargs_parse_number("123456", 3, &v, &neg));
	cr_assert_eq(v, 123u);
	cr_assert(bootargs_parse_number("0x1fzz", 4, &v, &neg));
	cr_assert_eq(v, 0x1fu);
	cr_assert_not(bootargs_parse_number("12", 0, &v, &neg));
}

/* --- bootargs_find --------------------------------------------------------- */

#define GUARD	0x5a

struct slot {
	uint8_t	s_before[8];
	uint8_t	s_value[32];
	uint8_t	s_after[8];
};

/* Look name up with max_len; fill the slot first so untouched bytes show. */
static bool
find(const char *cmdline, const char *name, struct slot *s, int max_len, bool force)
{
	char *buf = line(cmdline);
	bool ok;

	memset(s, GUARD, sizeof(*s));
	ok = bootargs_find(buf, name, s->s_value, max_len, force);
	free(buf);
	for (size_t i = 0; i < sizeof(s->s_before); i++) {
		cr_assert_eq(s->s_before[i], GUARD, "wrote before the buffer");
		cr_assert_eq(s->s_after[i], GUARD, "wrote after the buffer");
	}
	for (size_t i = (size_t)(max_len > 0 ? max_len : 0); i < sizeof(s->s_value); i++)
		cr_assert_eq(s->s_value[i], GUARD, "%s: wrote past max_len %d", name,
		    max_len);
	return ok;
}

static uint64_t
value_of(const struct slot *s, int size)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (size) {
	case 1: memcpy(&v8, s->s_value, 1); return v8;
	case 2: memcpy(&v16, s->s_value, 2); return v16;
	case 4: memcpy(&v32, s->s_value, 4); return v32;
	default: memcpy(&v64, s->s_value, 8); return v64;
	}
}

static bool
untouched(const struct slot *s)
{
	for (size_t i = 0; i < sizeof(s->s_value); i++) {
		if (s->s_value[i] != GUARD)
			return false;
	}
	return true;
}

Test(bootargs, find_flag_stores_one_at_each_integer_size)
{
	static const int sizes[] = { 1, 2, 4, 8 };
	struct slot s;

	for (size_t i = 0; i < 4; i++) {
		cr_assert(find("a -v b", "-v", &s, sizes[i], false));
		cr_assert_eq(value_of(&s, sizes[i]), 1u, "size %d", sizes[i]);
	}
	/* A bare name without '=' is present too. */
	cr_assert(find("debug", "debug", &s, 4, false));
	cr_assert_eq(value_of(&s, 4), 1u);
}

Test(bootargs, find_flag_into_a_string_buffer_stores_empty_string)
{
	struct slot s;

	cr_assert(find("-v", "-v", &s, 16, false));
	cr_assert_eq(s.s_value[0], '\0');
	cr_assert(find("-v", "-v", &s, 4, true), "force_string");
	cr_assert_eq(s.s_value[0], '\0');
	cr_assert(find("-v", "-v", &s, 1, true));
	cr_assert_eq(s.s_value[0], '\0');
}

Test(bootargs, find_absent_name_changes_nothing)
{
	struct slot s;

	cr_assert_not(find("", "debug", &s, 4, false));
	cr_assert(untouched(&s));
	cr_assert_not(find("-v debugger=1 xdebug=1 -debug", "debug", &s, 4, false));
	cr_assert(untouched(&s));
	cr_assert_not(find("debug=1", "debu", &s, 4, false), "a prefix is not the name");
	cr_assert_not(find("debug=1", "debug=1", &s, 4, false));
	cr_assert(untouched(&s));
}

Test(bootargs, find_rejects_bad_arguments)
{
	uint32_t v = 7;

	cr_assert_not(bootargs_find(NULL, "a", &v, 4, false));
	cr_assert_not(bootargs_find("a=1", NULL, &v, 4, false));
	cr_assert_not(bootargs_find("a=1", "a", NULL, 4, false));
	cr_assert_not(bootargs_find("a=1", "a", &v, 0, false));
	cr_assert_not(bootargs_find("a=1", "a", &v, -4, false));
	cr_assert_eq(v, 7u);
}

Test(bootargs, find_numbers_at_their_size)
{
	struct slot s;

	cr_assert(find("debug=0x8", "debug", &s, 4, false));
	cr_assert_eq(value_of(&s, 4), 8u);
	cr_assert(find("n=255", "n", &s, 1, false));
	cr_assert_eq(value_of(&s, 1), 255u);
	cr_assert(find("n=-128", "n", &s, 1, false));
	cr_assert_eq(value_of(&s, 1), 0x80u);
	cr_assert(find("n=65535", "n", &s, 2, false));
	cr_assert_eq(value_of(&s, 2), 65535u);
	cr_assert(find("n=-1", "n", &s, 4, false));
	cr_assert_eq(value_of(&s, 4), 0xffffffffu);
	cr_assert(find("n=4294967295", "n", &s, 4, false));
	cr_assert_eq(value_of(&s, 4), 0xffffffffu);
	cr_assert(find("n=4294967296", "n", &s, 8, false));
	cr_assert_eq(value_of(&s, 8), 0x100000000u);
	cr_assert(find("n=18446744073709551615", "n", &s, 8, false));
	cr_assert_eq(value_of(&s, 8), UINT64_MAX);
	cr_assert(find("n=-9223372036854775808", "n", &s, 8, false));
	cr_assert_eq(value_of(&s, 8), 0x8000000000000000u);
	cr_assert(find("n=\"42\"", "n", &s, 4, false), "quotes around a number");
	cr_assert_eq(value_of(&s, 4), 42u);
}

Test(bootargs, find_numbers_out_of_range_fail_and_store_nothing)
{
	static const struct { const char *line; int size; } cases[] = {
		{ "n=256", 1 }, { "n=-129", 1 }, { "n=65536", 2 }, { "n=-32769", 2 },
		{ "n=4294967296", 4 }, { "n=-2147483649", 4 },
		{ "n=-9223372036854775809", 8 },
		{ "n=12", 3 }, { "n=12", 16 },	/* not an integer size */
	};
	struct slot s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_not(find(cases[i].line, "n", &s, cases[i].size, false),
		    "\"%s\" at size %d", cases[i].line, cases[i].size);
		cr_assert(untouched(&s), "\"%s\" at size %d stored", cases[i].line,
		    cases[i].size);
	}
}

Test(bootargs, find_strings_are_copied_and_truncated)
{
	struct slot s;

	cr_assert(find("name=hello", "name", &s, 16, false));
	cr_assert_str_eq((char *)s.s_value, "hello");
	cr_assert(find("name=hello", "name", &s, 4, true));
	cr_assert_str_eq((char *)s.s_value, "hel");
	cr_assert(find("name=hello", "name", &s, 6, true));
	cr_assert_str_eq((char *)s.s_value, "hello");
	cr_assert(find("name=hello", "name", &s, 1, true));
	cr_assert_str_eq((char *)s.s_value, "");
	cr_assert(find("tests=\"a b c\" -v", "tests", &s, 32, false));
	cr_assert_str_eq((char *)s.s_value, "a b c");
	cr_assert(find("tests=\"a b", "tests", &s, 32, false), "unterminated quote");
	cr_assert_str_eq((char *)s.s_value, "a b");
	cr_assert(find("x=", "x", &s, 8, false));
	cr_assert_str_eq((char *)s.s_value, "");
}

Test(bootargs, find_force_string_keeps_numbers_as_text)
{
	struct slot s;

	cr_assert(find("n=0x10", "n", &s, 8, true));
	cr_assert_str_eq((char *)s.s_value, "0x10");
	cr_assert(find("n=123456789", "n", &s, 4, true));
	cr_assert_str_eq((char *)s.s_value, "123");
}

/*
 * XNU's rule, as bootargs.h states it: a value that is not a number is
 * copied as text even when max_len is an integer size.
 */
Test(bootargs, find_text_into_an_integer_is_copied_as_text)
{
	struct slot s;

	cr_assert(find("debug=abc", "debug", &s, 4, false));
	cr_assert(memcmp(s.s_value, "abc", 4) == 0);
	cr_assert(find("debug=abcdef", "debug", &s, 2, false));
	cr_assert(memcmp(s.s_value, "a", 2) == 0);
}

Test(bootargs, find_first_occurrence_wins)
{
	struct slot s;

	cr_assert(find("a=1 a=2", "a", &s, 4, false));
	cr_assert_eq(value_of(&s, 4), 1u);
	cr_assert(find("a=first b=1 a=second", "a", &s, 16, false));
	cr_assert_str_eq((char *)s.s_value, "first");
	/* A first occurrence that does not fit is the answer, not the next one. */
	cr_assert_not(find("a=300 a=3", "a", &s, 1, false));
}

/* --- bootargs_check -------------------------------------------------------- */

static const struct boot_arg_desc descs[] = {
	{ "-v", BOOT_ARG_FLAG, 0, "verbose boot" },
	{ "debug", BOOT_ARG_NUMBER, 4, "DB_* flags" },
	{ "mem", BOOT_ARG_NUMBER, 8, "bytes" },
	{ "small", BOOT_ARG_NUMBER, 1, "a byte" },
	{ "dflt", BOOT_ARG_NUMBER, 0, "size 0 means 4 bytes" },
	{ "tests", BOOT_ARG_STRING, 64, "test selection" },
	{ "name", BOOT_ARG_STRING, 8, "short text" },
	{ "any", BOOT_ARG_STRING, 0, "any length" },
};

struct reports {
	unsigned	r_count;
	char		r_msg[16][160];
};

static void
collect(void *ctx, const char *msg)
{
	struct reports *r = ctx;

	cr_assert_lt(r->r_count, 16u, "too many reports");
	snprintf(r->r_msg[r->r_count++], sizeof(r->r_msg[0]), "%s", msg);
}

static unsigned
check(const char *cmdline, struct reports *r)
{
	char *buf = line(cmdline);
	unsigned n;

	memset(r, 0, sizeof(*r));
	n = bootargs_check(buf, descs, sizeof(descs) / sizeof(descs[0]), collect, r);
	free(buf);
	cr_assert_eq(n, r->r_count, "the count returned is the reports made");
	return n;
}

/* The line yields exactly one report, and it says both things. */
static void
expect_one_report(const char *cmdline, const char *who, const char *what)
{
	struct reports r;

	cr_assert_eq(check(cmdline, &r), 1u, "\"%s\": %u reports (first: %s)", cmdline,
	    r.r_count, r.r_msg[0]);
	cr_assert(strstr(r.r_msg[0], who) != NULL && strstr(r.r_msg[0], what) != NULL,
	    "\"%s\": report \"%s\" lacks \"%s\" or \"%s\"", cmdline, r.r_msg[0], who,
	    what);
}

Test(bootargs, check_accepts_a_good_line)
{
	struct reports r;

	cr_assert_eq(check("", &r), 0u);
	cr_assert_eq(check("-v debug=0x8 mem=0x100000000 small=255 dflt=-5 "
	    "tests=\"vm_phys.* printf.*\" name=12345678 any=\"long long long\"", &r),
	    0u, "first report: %s", r.r_msg[0]);
}

Test(bootargs, check_reports_unknown_names)
{
	struct reports r;

	expect_one_report("-x", "'-x'", "unknown boot-arg");
	expect_one_report("-v foo=1", "'foo'", "unknown boot-arg");
	cr_assert_eq(check("zz zz", &r), 2u, "an unknown name each time it appears");
}

Test(bootargs, check_reports_values_that_do_not_suit)
{
	expect_one_report("debug=abc", "'debug'", "not a number");
	expect_one_report("debug=1x", "'debug'", "not a number");
	expect_one_report("debug=0x", "'debug'", "not a number");
	/* Shaped like a number but past 64 bits: out of range, not "not a number". */
	expect_one_report("debug=99999999999999999999", "'debug'", "out of range");
	expect_one_report("debug=-0x10000000000000000", "'debug'", "out of range");
	expect_one_report("debug", "'debug'", "needs a numeric value");
	expect_one_report("small=256", "'small'", "out of range");
	expect_one_report("debug=4294967296", "'debug'", "out of range");
	expect_one_report("dflt=0x100000000", "'dflt'", "out of range");
	expect_one_report("-v=1", "'-v'", "takes no value");
	expect_one_report("tests", "'tests'", "needs a value");
	expect_one_report("name=123456789", "'name'", "too long");
}

Test(bootargs, check_reports_each_repeat_once)
{
	struct reports r;

	expect_one_report("debug=1 -v debug=2", "'debug'", "more than once");
	cr_assert_eq(check("-v -v -v", &r), 2u);
	cr_assert(strstr(r.r_msg[1], "first one counts") != NULL, "%s", r.r_msg[1]);
}

Test(bootargs, check_reports_unterminated_quotes)
{
	struct reports r;

	expect_one_report("tests=\"abc def", "'tests'", "unterminated quote");
	cr_assert_eq(check("bogus=\"x", &r), 2u, "unterminated and unknown");
}

Test(bootargs, check_shortens_long_names_in_reports)
{
	struct reports r;
	char name[300];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	cr_assert_eq(check(name, &r), 1u);
	cr_assert_lt(strlen(r.r_msg[0]), 120u, "\"%s\"", r.r_msg[0]);
	cr_assert(strstr(r.r_msg[0], "unknown") != NULL);
	cr_assert(strstr(r.r_msg[0], "...'") != NULL, "a cut name says so: %s",
	    r.r_msg[0]);
}

Test(bootargs, check_null_line_reports_nothing)
{
	struct reports r = { 0 };

	cr_assert_eq(bootargs_check(NULL, descs, 1, collect, &r), 0u);
	cr_assert_eq(r.r_count, 0u);
}

/* --- random lines ---------------------------------------------------------- */

static void
ignore_report(void *ctx, const char *msg)
{
	unsigned *n = ctx;

	cr_assert_gt(strlen(msg), 0u);
	(*n)++;
}

/* Whatever the line: tokens in bounds, the walk ends, lookups do not fault. */
Test(bootargs, random_lines_are_handled)
{
	static const char alphabet[] = "ab-=\"\" \t0x9v";
	struct test_rand r;
	char text[64];

	test_rand_seed(&r, 0xb007);
	for (int step = 0; step < 20000; step++) {
		size_t len = (size_t)test_rand_below(&r, sizeof(text));
		struct tok toks[64];
		struct slot s;
		unsigned reports = 0, n;
		char *buf;

		for (size_t i = 0; i < len; i++)
			text[i] = alphabet[test_rand_below(&r, sizeof(alphabet) - 1)];
		text[len] = '\0';
		(void)tokenize(text, toks, 64);
		(void)find(text, "a", &s, 1 << (int)test_rand_below(&r, 5), false);
		(void)find(text, "-v", &s, 8, test_rand_below(&r, 2));
		buf = line(text);
		n = bootargs_check(buf, descs, sizeof(descs) / sizeof(descs[0]),
		    ignore_report, &reports);
		cr_assert_eq(n, reports);
		free(buf);
	}
}

Test(bootargs, a_number_too_big_for_64_bits_is_not_stored_as_text)
{
	int v = 0x5a5a;
	char text[32];

	/* Not 0x39393939 ("9999" in an int): the number is out of range. */
	cr_expect_not(bootargs_find("debug=99999999999999999999999", "debug", &v, 4, false));
	cr_expect_eq(v, 0x5a5a);
	/* Asked for as text, it is text. */
	cr_expect(bootargs_find("debug=99999999999999999999999", "debug", text, sizeof text, true));
	cr_expect_str_eq(text, "99999999999999999999999");
}
