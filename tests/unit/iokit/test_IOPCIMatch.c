/*
 * test_IOPCIMatch.c - the PCI family's match strings on the host
 * (iokit/Families/IOPCIFamily/IOPCIMatch.c): IOPCIMatch, IOPCIPrimaryMatch,
 * IOPCISecondaryMatch and IOPCIClassMatch words, with and without masks,
 * several to a string, against one value or two; and every kind of bad
 * string refused with a reason and an offset, never matching, never read
 * past its end (ASan watches).
 */

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iokit/Families/IOPCIFamily/IOPCIMatch.h"

/* The string in a heap block of exactly its size, so ASan sees any overread. */
static int
match(const char *s, const uint32_t *values, unsigned count, const char **why, unsigned *at)
{
	size_t n = strlen(s) + 1;
	char *copy = malloc(n);
	int r;

	cr_assert_not_null(copy);
	memcpy(copy, s, n);
	r = IOPCIMatchString(copy, values, count, why, at);
	free(copy);
	return r;
}

static int
match1(const char *s, uint32_t value)
{
	return match(s, &value, 1, NULL, NULL);
}

Test(IOPCIMatch, exact_word)
{
	/* edu: device 0x11e8, vendor 0x1234. */
	cr_expect_eq(match1("0x11e81234", 0x11e81234), kIOPCIMatchYes);
	cr_expect_eq(match1("0x11e81235", 0x11e81234), kIOPCIMatchNo);
	cr_expect_eq(match1("11e81234", 0x11e81234), kIOPCIMatchYes, "0x is optional");
	cr_expect_eq(match1("0X11E81234", 0x11e81234), kIOPCIMatchYes, "upper case");
}

Test(IOPCIMatch, masks)
{
	cr_expect_eq(match1("0x10001af4&0xfff0ffff", 0x10051af4), kIOPCIMatchYes);
	cr_expect_eq(match1("0x10001af4&0xfff0ffff", 0x10411af4), kIOPCIMatchNo);
	cr_expect_eq(match1("0x00001af4&0x0000ffff", 0x12341af4), kIOPCIMatchYes,
	    "any device of a vendor");
	cr_expect_eq(match1("0x0&0x0", 0xdeadbeef), kIOPCIMatchYes, "an empty mask matches all");
	/* IOPCIClassMatch compares with class-code << 8. */
	cr_expect_eq(match1("0x0c030000&0xffff0000", 0x0c033000), kIOPCIMatchYes, "USB any");
	cr_expect_eq(match1("0x0c030000&0xffff0000", 0x0c050000), kIOPCIMatchNo);
}

Test(IOPCIMatch, several_words)
{
	cr_expect_eq(match1("0x10001af4 0x10411af4", 0x10411af4), kIOPCIMatchYes);
	cr_expect_eq(match1("  0x10001af4\t0x10411af4\n", 0x10001af4), kIOPCIMatchYes,
	    "blanks around and between words");
	cr_expect_eq(match1("0x10001af4 0x10411af4", 0x10421af4), kIOPCIMatchNo);
	cr_expect_eq(match1("0x11111111&0xffff0000 0x22221af4&0x0000ffff", 0x33331af4),
	    kIOPCIMatchYes, "each word with its own mask");
}

Test(IOPCIMatch, two_values)
{
	/* IOPCIMatch tries the primary pair and the subsystem pair. */
	uint32_t both[2] = { 0x11e81234, 0x11001af4 };

	cr_expect_eq(match("0x11001af4", both, 2, NULL, NULL), kIOPCIMatchYes);
	cr_expect_eq(match("0x11e81234", both, 2, NULL, NULL), kIOPCIMatchYes);
	cr_expect_eq(match("0x11e91234", both, 2, NULL, NULL), kIOPCIMatchNo);
	cr_expect_eq(match("0x11e81234", both, 0, NULL, NULL), kIOPCIMatchNo, "no values");
}

/* A malformed string: refused, with a reason and where. */
static void
refused(const char *s, unsigned where, const char *reason)
{
	uint32_t v = 0x11e81234;
	const char *why = NULL;
	unsigned at = 9999;

	cr_expect_eq(match(s, &v, 1, &why, &at), kIOPCIMatchMalformed, "\"%s\" accepted", s);
	cr_expect_not_null(why, "\"%s\": no reason", s);
	if (why != NULL)
		cr_expect_not_null(strstr(why, reason), "\"%s\": \"%s\" lacks \"%s\"", s, why,
		    reason);
	cr_expect_eq(at, where, "\"%s\": at %u, not %u", s, at, where);
}

Test(IOPCIMatch, malformed)
{
	refused("", 0, "no words");
	refused("   \t ", 5, "no words");
	refused("0x11e8zz34", 6, "text after");
	refused("zz", 0, "not a hexadecimal");
	refused("0x", 0, "not a hexadecimal");
	refused("0x123456789", 0, "more than 8");
	refused("0x11e81234&", 11, "not a hexadecimal");
	refused("0x11e81234&0xffffffff0", 11, "more than 8");
	refused("0x11e81234&0xffff&0xff", 17, "text after");
	refused("&0xffff", 0, "not a hexadecimal");
	refused("0x11e81234,0x1234", 10, "text after");
	refused("0x11e81234 junk", 11, "not a hexadecimal");
}

Test(IOPCIMatch, malformed_never_matches)
{
	/* A good word first does not make a bad string match. */
	cr_expect_eq(match1("0x11e81234 0xnope", 0x11e81234), kIOPCIMatchMalformed);
	cr_expect_eq(match1("0x11e81234 0x11e81234&", 0x11e81234), kIOPCIMatchMalformed);
}

Test(IOPCIMatch, null_arguments)
{
	const char *why = NULL;

	cr_expect_eq(IOPCIMatchString(NULL, NULL, 0, &why, NULL), kIOPCIMatchMalformed);
	cr_expect_not_null(why);
	cr_expect_eq(IOPCIMatchString("0x1", NULL, 0, NULL, NULL), kIOPCIMatchNo,
	    "no values, no why, no at");
}

/* Random bytes never crash the parser, and whatever it accepts, it accepts again. */
Test(IOPCIMatch, random_strings)
{
	static const char alphabet[] = "0123456789abcdefxX& \tzg-,";
	uint32_t v = 0x11e81234;

	srand(12345);
	for (int i = 0; i < 20000; i++) {
		char s[24];
		unsigned n = (unsigned)rand() % (sizeof s - 1);
		int r1, r2;

		for (unsigned j = 0; j < n; j++)
			s[j] = alphabet[(unsigned)rand() % (sizeof alphabet - 1)];
		s[n] = '\0';
		r1 = match(s, &v, 1, NULL, NULL);
		r2 = match(s, &v, 1, NULL, NULL);
		cr_assert_eq(r1, r2, "\"%s\"", s);
		cr_assert(r1 == kIOPCIMatchYes || r1 == kIOPCIMatchNo || r1 == kIOPCIMatchMalformed);
	}
}
