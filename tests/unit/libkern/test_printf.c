/*
 * test_printf.c - libkern/printf.c (doprnt, snprintf, vsnprintf) against
 * the C library.
 *
 * The bulk of it is a generated matrix: every conversion the kernel
 * supports, with every combination of flags, widths and precisions (digits
 * and *), every length modifier and values at the edges of each type, each
 * formatted by the kernel and by glibc and compared byte for byte, return
 * value included. The matrix leaves out what C leaves undefined and the
 * kernel defines its own way (a NULL %p or %s, '+' and ' ' on %p), and the
 * '+' and ' ' flags on unsigned conversions; those, truncation, and
 * malformed formats have tests of their own.
 */

#include <criterion/criterion.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "tests/unit/shim/kern.h"

#define OUTSZ	256

static unsigned long comparisons;

/* Format with both, compare the return values and the bytes. */
static void
compare(const char *fmt, ...)
{
	char kbuf[OUTSZ], hbuf[OUTSZ];
	va_list ap, aq;
	int kn, hn;

	va_start(ap, fmt);
	va_copy(aq, ap);
	kn = kern_vsnprintf(kbuf, sizeof(kbuf), fmt, ap);
	hn = vsnprintf(hbuf, sizeof(hbuf), fmt, aq);
	va_end(aq);
	va_end(ap);
	comparisons++;
	cr_assert_eq(kn, hn, "\"%s\": kernel returned %d (\"%s\"), libc %d (\"%s\")",
	    fmt, kn, kbuf, hn, hbuf);
	cr_assert(memcmp(kbuf, hbuf, (size_t)(hn < OUTSZ ? hn + 1 : OUTSZ)) == 0,
	    "\"%s\": kernel \"%s\", libc \"%s\"", fmt, kbuf, hbuf);
}

/* The value is passed after zero, one or two int arguments for the stars. */
#define COMPARE_STARS(fmt, stars, nstars, value)			\
	do {								\
		if ((nstars) == 0)					\
			compare((fmt), (value));			\
		else if ((nstars) == 1)					\
			compare((fmt), (stars)[0], (value));		\
		else							\
			compare((fmt), (stars)[0], (stars)[1], (value)); \
	} while (0)

enum len { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_J, L_T, L_COUNT };

static const char *const len_text[L_COUNT] = {
	"", "hh", "h", "l", "ll", "z", "j", "t",
};

/* Pass v as the type that length modifier len with conversion conv reads. */
static void
compare_integer(const char *fmt, const int *stars, int nstars, enum len len,
    bool is_signed, uint64_t v)
{
	switch (len) {
	case L_NONE:
	case L_HH:
	case L_H:
		if (is_signed)
			COMPARE_STARS(fmt, stars, nstars, (int)v);
		else
			COMPARE_STARS(fmt, stars, nstars, (unsigned int)v);
		break;
	case L_L:
		if (is_signed)
			COMPARE_STARS(fmt, stars, nstars, (long)v);
		else
			COMPARE_STARS(fmt, stars, nstars, (unsigned long)v);
		break;
	case L_LL:
		if (is_signed)
			COMPARE_STARS(fmt, stars, nstars, (long long)v);
		else
			COMPARE_STARS(fmt, stars, nstars, (unsigned long long)v);
		break;
	case L_Z:
		if (is_signed)
			COMPARE_STARS(fmt, stars, nstars, (ssize_t)v);
		else
			COMPARE_STARS(fmt, stars, nstars, (size_t)v);
		break;
	case L_J:
		if (is_signed)
			COMPARE_STARS(fmt, stars, nstars, (intmax_t)v);
		else
			COMPARE_STARS(fmt, stars, nstars, (uintmax_t)v);
		break;
	case L_T:
		COMPARE_STARS(fmt, stars, nstars, (ptrdiff_t)v);
		break;
	default:
		cr_assert_fail("bad length");
	}
}

static const uint64_t int_values[] = {
	0, 1, (uint64_t)-1, 7, 8, 42, (uint64_t)-42, 127, 128, 255, 256,
	32767, (uint64_t)-32768, 65535, 65536, INT_MAX, (uint64_t)INT_MIN,
	UINT_MAX, 0x123456789ULL, LLONG_MAX, (uint64_t)LLONG_MIN, UINT64_MAX,
	0x0123456789abcdefULL,
};

static const char *const widths[] = { "", "1", "6", "23", "*" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".4", ".19", ".*" };
static const int star_widths[] = { 9, -9, 0 };
static const int star_precisions[] = { 3, -1, 0 };

/*
 * Call fn(fmt, stars, nstars, arg) for every spec "%<flags><width><prec><len>
 * <conv>" with flags drawn from allowed_flags, and the star values.
 */
typedef void (*spec_fn)(const char *fmt, const int *stars, int nstars, void *arg);

static void
for_each_spec(const char *allowed_flags, bool with_precision, const char *len,
    char conv, spec_fn fn, void *arg)
{
	static const char all_flags[] = "-0+ #";
	char fmt[64], flags[8];

	for (unsigned mask = 0; mask < 32; mask++) {
		int nf = 0;
		bool skip = false;

		for (int b = 0; b < 5; b++) {
			if (!(mask & (1u << b)))
				continue;
			if (strchr(allowed_flags, all_flags[b]) == NULL)
				skip = true;
			flags[nf++] = all_flags[b];
		}
		if (skip)
			continue;
		flags[nf] = '\0';
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			size_t np = with_precision ?
			    sizeof(precisions) / sizeof(precisions[0]) : 1;

			for (size_t p = 0; p < np; p++) {
				bool ws = widths[w][0] == '*';
				bool ps = strcmp(precisions[p], ".*") == 0;
				size_t nws = ws ? sizeof(star_widths) / sizeof(int) : 1;
				size_t nps = ps ?
				    sizeof(star_precisions) / sizeof(int) : 1;

				snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags,
				    widths[w], precisions[p], len, conv);
				for (size_t i = 0; i < nws; i++) {
					for (size_t j = 0; j < nps; j++) {
						int stars[2], n = 0;

						if (ws)
							stars[n++] = star_widths[i];
						if (ps)
							stars[n++] = star_precisions[j];
						fn(fmt, stars, n, arg);
					}
				}
			}
		}
	}
}

struct int_case {
	enum len	ic_len;
	bool		ic_signed;
};

static void
int_spec(const char *fmt, const int *stars, int nstars, void *arg)
{
	const struct int_case *c = arg;

	for (size_t v = 0; v < sizeof(int_values) / sizeof(int_values[0]); v++)
		compare_integer(fmt, stars, nstars, c->ic_len, c->ic_signed,
		    int_values[v]);
}

/*
 * '+' and ' ' are left out for the unsigned conversions: they apply to
 * signed conversions only, see unsigned_conversions_ignore_plus_and_space.
 */
static void
integer_matrix(char conv, const char *flags, bool is_signed)
{
	comparisons = 0;
	for (enum len l = 0; l < L_COUNT; l++) {
		struct int_case c = { .ic_len = l, .ic_signed = is_signed };

		for_each_spec(flags, true, len_text[l], conv, int_spec, &c);
	}
	cr_assert_gt(comparisons, 10000, "the matrix ran (%lu formats)", comparisons);
}

Test(printf, matrix_d)
{
	integer_matrix('d', "-0+ #", true);
}

Test(printf, matrix_i)
{
	integer_matrix('i', "-0+ ", true);
}

Test(printf, matrix_u)
{
	integer_matrix('u', "-0#", false);
}

Test(printf, matrix_x)
{
	integer_matrix('x', "-0#", false);
}

Test(printf, matrix_X)
{
	integer_matrix('X', "-0#", false);
}

Test(printf, matrix_o)
{
	integer_matrix('o', "-0#", false);
}

static void
char_spec(const char *fmt, const int *stars, int nstars, void *arg)
{
	static const int chars[] = { 'a', 'Z', ' ', '%', '\n', 0x7f, 0x80, 0xff, 0x141 };

	(void)arg;
	for (size_t i = 0; i < sizeof(chars) / sizeof(chars[0]); i++)
		COMPARE_STARS(fmt, stars, nstars, chars[i]);
}

Test(printf, matrix_c)
{
	for_each_spec("-", false, "", 'c', char_spec, NULL);
	/* %c of NUL writes a NUL byte and counts it. */
	compare("[%c]", 0);
	compare("[%-3c]", 0);
}

static void
string_spec(const char *fmt, const int *stars, int nstars, void *arg)
{
	static const char *const strs[] = {
		"", "a", "hello", "tab\there", "0123456789abcdefghijklmnopqrstuvwxyz",
		"\xe2\x82\xac uro",
	};

	(void)arg;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		COMPARE_STARS(fmt, stars, nstars, strs[i]);
}

Test(printf, matrix_s)
{
	for_each_spec("-", true, "", 's', string_spec, NULL);
}

static void
pointer_spec(const char *fmt, const int *stars, int nstars, void *arg)
{
	static const uintptr_t ptrs[] = {
		1, 0xf, 0x1000, 0x7fffdeadbeef, 0xffffffff80001000UL, UINTPTR_MAX,
	};

	(void)arg;
	for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
		COMPARE_STARS(fmt, stars, nstars, (void *)ptrs[i]);
}

/* Non-NULL only: glibc prints "(nil)" for NULL, the kernel 0x0. */
Test(printf, matrix_p)
{
	for_each_spec("-0#", true, "", 'p', pointer_spec, NULL);
}

Test(printf, percent_and_plain_text)
{
	compare("%%");
	compare("100%% sure");
	compare("%%%%%%");
	compare("a%%b%dc%%", 5);
	compare("");
	compare("no conversions at all, just text\twith\ttabs\n");
	compare("%s%s%s", "", "x", "");
	compare("%d%u%x%o%c%s%%%p", -1, 2u, 0xabu, 8u, 'q', "str", (void *)0x10);
}

Test(printf, several_conversions_consume_arguments_in_order)
{
	compare("%d %ld %lld %hd %hhd %zd %jd %td", 1, 2L, 3LL, 4, 5, (ssize_t)6,
	    (intmax_t)7, (ptrdiff_t)8);
	compare("%*d|%-*d|%.*d|%*.*d", 5, 1, 5, 2, 3, 3, 6, 2, 4);
	compare("%s=%#x (%o) %c%c", "name", 255u, 8u, 'o', 'k');
}

/* '+' and ' ' make a sign for signed conversions only (C11 7.21.6.1p6). */
Test(printf, unsigned_conversions_ignore_plus_and_space)
{
	compare("%+u", 5u);
	compare("% u", 5u);
	compare("%+x", 255u);
	compare("% X", 255u);
	compare("%+#x", 255u);
	compare("% o", 8u);
	compare("%+08u", 42u);
	compare("%+llu", 18446744073709551615ULL);
}

static void
expect_format(const char *want, const char *fmt, ...)
{
	char buf[OUTSZ];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kern_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cr_assert_str_eq(buf, want, "\"%s\" gave \"%s\", want \"%s\"", fmt, buf, want);
	cr_assert_eq(n, (int)strlen(want), "\"%s\" returned %d", fmt, n);
}

Test(printf, null_string_prints_null_in_parentheses)
{
	const char *volatile null_string = NULL;	/* hidden from -Wformat */
	char buf[32];

	cr_assert_eq(kern_snprintf(buf, sizeof(buf), "%s", null_string), 6);
	cr_assert_str_eq(buf, "(null)");
	kern_snprintf(buf, sizeof(buf), "[%8s]", null_string);
	cr_assert_str_eq(buf, "[  (null)]");
	kern_snprintf(buf, sizeof(buf), "[%-8s]", null_string);
	cr_assert_str_eq(buf, "[(null)  ]");
	/* A precision cuts it like any other string. */
	kern_snprintf(buf, sizeof(buf), "[%.3s]", null_string);
	cr_assert_str_eq(buf, "[(nu]");
}

Test(printf, null_pointer_prints_0x0)
{
	char buf[32];

	cr_assert_eq(kern_snprintf(buf, sizeof(buf), "%p", (void *)NULL), 3);
	cr_assert_str_eq(buf, "0x0");
	kern_snprintf(buf, sizeof(buf), "[%6p]", (void *)NULL);
	cr_assert_str_eq(buf, "[   0x0]");
}

Test(printf, pointer_ignores_plus_and_space)
{
	expect_format("0x1f|0x2f", "%+p|% p", (void *)0x1f, (void *)0x2f);
}

Test(printf, unknown_conversions_are_printed_as_written)
{
	expect_format("%q", "%q");
	expect_format("%5q", "%5q");
	expect_format("[%-08.3q]", "[%-08.3q]");
	expect_format("%lq %hhq", "%lq %hhq");
	expect_format("%Lf", "%Lf");
	expect_format("%b %e %f %g %a", "%b %e %f %g %a");
	expect_format("%!", "%!");
	/* An unknown conversion consumes no argument: 7 goes to the %d. */
	expect_format("%y 7", "%y %d", 7);
	/* ... except the ones its '*' asked for. */
	expect_format("%*q 7", "%*q %d", 5, 7);
}

/* %n would write through a pointer; the kernel does not have it. */
Test(printf, percent_n_is_not_a_conversion)
{
	int target = 1234;
	char buf[32];

	kern_snprintf(buf, sizeof(buf), "ab%ncd", &target);
	cr_assert_str_eq(buf, "ab%ncd");
	cr_assert_eq(target, 1234, "%%n wrote to its argument");
}

/*
 * A format that ends inside a conversion: nothing may be read past the NUL
 * (each format sits in a heap buffer of exactly its size, for ASan).
 */
Test(printf, format_ending_inside_a_conversion)
{
	static const char *const fmts[] = {
		"%", "abc%", "%5", "%-", "%0", "%#", "%+", "% ", "%.", "%12.", "%l",
		"%ll", "%h", "%hh", "%z", "%j", "%t", "%-08.3l",
	};

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		size_t len = strlen(fmts[i]) + 1;
		char *fmt = malloc(len), buf[32];
		int n;

		memcpy(fmt, fmts[i], len);
		n = kern_snprintf(buf, sizeof(buf), fmt, 0);
		cr_assert_eq(n, (int)strlen(buf), "\"%s\" returned %d for \"%s\"",
		    fmts[i], n, buf);
		cr_assert(strchr(buf, '%') != NULL, "\"%s\" lost its '%%': \"%s\"",
		    fmts[i], buf);
		free(fmt);
	}
	expect_format("abc%", "abc%");
	expect_format("%", "%");
	/* What a cut-off conversion had is printed as written... */
	expect_format("%5", "%5");
	expect_format("x%-08.3l", "x%-08.3l");
	/* ... and a '*' in it still consumes its argument, and nothing else. */
	expect_format("%*", "%*", 5);
	expect_format("%.*", "%.*", 5);
}

/* Everything snprintf writes, and where it stops. */
static void
check_truncation(const char *fmt, ...)
{
	char full[OUTSZ], buf[OUTSZ + 16];
	va_list ap, aq;
	int len;

	va_start(ap, fmt);
	va_copy(aq, ap);
	len = vsnprintf(full, sizeof(full), fmt, aq);
	va_end(aq);
	for (size_t size = 0; size <= (size_t)len + 2; size++) {
		size_t kept = size == 0 ? 0 : MIN((size_t)len, size - 1);
		va_list a2;
		int n;

		memset(buf, '#', sizeof(buf));
		va_copy(a2, ap);
		n = kern_vsnprintf(buf, size, fmt, a2);
		va_end(a2);
		cr_assert_eq(n, len, "\"%s\" size %zu returned %d, want %d", fmt, size,
		    n, len);
		cr_assert(memcmp(buf, full, kept) == 0, "\"%s\" size %zu: wrong text",
		    fmt, size);
		if (size > 0) {
			cr_assert_eq(buf[kept], '\0', "\"%s\" size %zu: not terminated",
			    fmt, size);
		}
		for (size_t i = size; i < sizeof(buf); i++) {
			cr_assert_eq(buf[i], '#', "\"%s\" size %zu: wrote byte %zu", fmt,
			    size, i);
		}
	}
	va_end(ap);
}

Test(printf, truncation_keeps_a_prefix_and_returns_the_full_length)
{
	check_truncation("hello, world");
	check_truncation("%d", INT_MIN);
	check_truncation("[%-20s]", "left");
	check_truncation("%#.30llx", 0xdeadbeefULL);
	check_truncation("%s %s %s", "one", "two", "three");
	check_truncation("%c%c%c", 'a', 'b', 'c');
	check_truncation("%p", (void *)0x1234);
	check_truncation("");
}

Test(printf, size_zero_writes_nothing)
{
	char c = 'x';

	cr_assert_eq(kern_snprintf(NULL, 0, "%d", 12345), 5);
	cr_assert_eq(kern_snprintf(&c, 0, "%s", "longer text"), 11);
	cr_assert_eq(c, 'x', "size 0 wrote into the buffer");
	cr_assert_eq(kern_snprintf(&c, 1, "%s", "text"), 4);
	cr_assert_eq(c, '\0', "size 1 holds just the NUL");
}

/* Output longer than any internal buffer: padding is streamed. */
Test(printf, long_output_is_counted_exactly)
{
	char *buf = malloc(5000);

	cr_assert_eq(kern_snprintf(buf, 5000, "%4000d|%-900s|", 7, "x"), 4902);
	cr_assert_eq(strlen(buf), 4902u);
	cr_assert_eq(buf[3999], '7');
	cr_assert_eq(buf[4000], '|');
	cr_assert_eq(kern_snprintf(NULL, 0, "%.500d", 1), 500);
	free(buf);
}

struct sink {
	char	s_text[OUTSZ];
	int	s_calls;
};

static void
sink_putc(int ch, void *arg)
{
	struct sink *s = arg;

	if (s->s_calls < OUTSZ)
		s->s_text[s->s_calls] = (char)ch;
	s->s_calls++;
}

static int
sink_doprnt(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = doprnt(fmt, ap, sink_putc, s);
	va_end(ap);
	return n;
}

/* doprnt hands every character to putc, NULs included, and counts them. */
Test(printf, doprnt_calls_putc_once_per_character)
{
	struct sink s = { .s_calls = 0 };
	int n;

	n = sink_doprnt(&s, "a%cb%5s|%d", 0, "xy", -3);
	cr_assert_eq(n, 11);
	cr_assert_eq(s.s_calls, 11);
	cr_assert(memcmp(s.s_text, "a\0b   xy|-3", 11) == 0);

	s.s_calls = 0;
	cr_assert_eq(sink_doprnt(&s, ""), 0);
	cr_assert_eq(s.s_calls, 0);
}
