/*
 * printf_test.c - the formatter as built for the kernel (freestanding, no
 * SSE, -mcmodel=kernel). The exhaustive comparison with the C library is a
 * host unit test (tests/unit/libkern/test_printf.c).
 */

#include "libkern/printf.h"

#include "tests/ktest.h"

#define KT_EXPECT_FORMAT(expect, ...) ({				\
	char __buf[128];						\
	snprintf(__buf, sizeof(__buf), __VA_ARGS__);			\
	KT_EXPECT_STREQ(__buf, expect); })

KTEST(printf, integers)
{
	KT_EXPECT_FORMAT("-42 42 2a 2A 52", "%d %u %x %X %o", -42, 42u, 42u, 42u, 42u);
	KT_EXPECT_FORMAT("18446744073709551615", "%llu", (unsigned long long)-1);
	KT_EXPECT_FORMAT("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
	KT_EXPECT_FORMAT("ffffffff80000000", "%lx", 0xffffffff80000000UL);
	KT_EXPECT_FORMAT("123456789", "%zu", (size_t)123456789);
}

KTEST(printf, widths_and_flags)
{
	KT_EXPECT_FORMAT("[   42][42   ][00042][+42][ 42]", "[%5d][%-5d][%05d][%+d][% d]",
	    42, 42, 42, 42, 42);
	KT_EXPECT_FORMAT("[0x2a][052][  007]", "[%#x][%#o][%5.3d]", 42u, 42u, 7);
	KT_EXPECT_FORMAT("[   ab][ab   ][abc]", "[%5.2s][%-5.2s][%.*s]", "abc", "abc", 3, "abcdef");
}

KTEST(printf, pointers_strings_and_chars)
{
	const char *volatile null_string = NULL;	/* hidden from -Wformat-overflow */

	KT_EXPECT_FORMAT("0xffffffff80001000", "%p", (void *)0xffffffff80001000UL);
	KT_EXPECT_FORMAT("(null)", "%s", null_string);
	KT_EXPECT_FORMAT("[x][  y][%]", "[%c][%3c][%%]", 'x', 'y');
}

KTEST(printf, truncation_reports_the_full_length)
{
	char buf[8];

	KT_EXPECT_EQ(snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	KT_EXPECT_STREQ(buf, "0123456");
	KT_EXPECT_EQ(snprintf(NULL, 0, "%d", 12345), 5);
}
