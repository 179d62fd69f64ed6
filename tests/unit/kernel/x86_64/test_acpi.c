/*
 * test_acpi.c - acpi_parse_s5 (kernel/x86_64/acpi.c): picking SLP_TYPa and
 * SLP_TYPb out of the \_S5 package in a DSDT's AML.
 *
 * The package is what ASL's Name (_S5, Package () { a, b, ... }) compiles
 * to: NameOp (0x08), optionally the root prefix '\', the name "_S5_",
 * PackageOp (0x12), a PkgLength of one to four bytes, NumElements, then the
 * elements as ZeroOp, OneOp, OnesOp or BytePrefix constants (ACPI 6.x,
 * section 20). Every stream is handed over in a heap buffer of exactly its
 * length, so ASan reports any read past it.
 */

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#include "kernel/x86_64/acpi.h"

#define NAME_OP		0x08
#define PACKAGE_OP	0x12
#define BYTE_PREFIX	0x0a
#define ZERO_OP		0x00
#define ONE_OP		0x01
#define ONES_OP		0xff

/* Parse a copy of aml[0..len) that ends exactly where the stream does. */
static int
parse(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);
	int rc;

	if (len > 0)
		memcpy(copy, aml, len);
	*a = 0xee;
	*b = 0xee;
	rc = acpi_parse_s5(copy, (uint32_t)len, a, b);
	free(copy);
	return rc;
}

static void
expect_s5(const uint8_t *aml, size_t len, uint8_t want_a, uint8_t want_b)
{
	uint8_t a, b;

	cr_assert_eq(parse(aml, len, &a, &b), 0, "no \\_S5 found");
	cr_assert_eq(a, want_a, "SLP_TYPa %#x, want %#x", a, want_a);
	cr_assert_eq(b, want_b, "SLP_TYPb %#x, want %#x", b, want_b);
}

static void
expect_none(const uint8_t *aml, size_t len)
{
	uint8_t a, b;

	cr_assert_eq(parse(aml, len, &a, &b), -1, "a \\_S5 where there is none");
}

#define S5_NAME		'_', 'S', '5', '_'
#define BYTES(...)	((const uint8_t[]){ __VA_ARGS__ })
#define SIZEOF(...)	sizeof((const uint8_t[]){ __VA_ARGS__ })
#define EXPECT_S5(a, b, ...)						\
	expect_s5(BYTES(__VA_ARGS__), SIZEOF(__VA_ARGS__), (a), (b))
#define EXPECT_NONE(...)	expect_none(BYTES(__VA_ARGS__), SIZEOF(__VA_ARGS__))

Test(acpi_s5, byte_prefix_elements)
{
	EXPECT_S5(7, 3, NAME_OP, S5_NAME, PACKAGE_OP, 0x0a, 0x04,
	    BYTE_PREFIX, 0x07, BYTE_PREFIX, 0x03, ZERO_OP, ZERO_OP);
}

Test(acpi_s5, zero_one_and_ones_elements)
{
	EXPECT_S5(0, 0, NAME_OP, S5_NAME, PACKAGE_OP, 0x06, 0x04, ZERO_OP, ZERO_OP,
	    ZERO_OP, ZERO_OP);
	EXPECT_S5(1, 0, NAME_OP, S5_NAME, PACKAGE_OP, 0x06, 0x04, ONE_OP, ZERO_OP,
	    ZERO_OP, ZERO_OP);
	EXPECT_S5(0xff, 1, NAME_OP, S5_NAME, PACKAGE_OP, 0x06, 0x04, ONES_OP, ONE_OP,
	    ZERO_OP, ZERO_OP);
	EXPECT_S5(5, 0, NAME_OP, S5_NAME, PACKAGE_OP, 0x07, 0x04, BYTE_PREFIX, 0x05,
	    ZERO_OP, ZERO_OP, ZERO_OP);
}

Test(acpi_s5, with_the_root_prefix)
{
	EXPECT_S5(5, 5, 0x10, 0x20, NAME_OP, '\\', S5_NAME, PACKAGE_OP, 0x0a, 0x04,
	    BYTE_PREFIX, 0x05, BYTE_PREFIX, 0x05, ZERO_OP, ZERO_OP);
}

/* PkgLength: bits 7-6 of its first byte count the bytes that follow. */
Test(acpi_s5, multi_byte_pkg_length)
{
	EXPECT_S5(2, 4, NAME_OP, S5_NAME, PACKAGE_OP, 0x4a, 0x00, 0x04,
	    BYTE_PREFIX, 0x02, BYTE_PREFIX, 0x04);
	EXPECT_S5(2, 4, NAME_OP, S5_NAME, PACKAGE_OP, 0x8a, 0x00, 0x00, 0x04,
	    BYTE_PREFIX, 0x02, BYTE_PREFIX, 0x04);
	EXPECT_S5(2, 4, NAME_OP, S5_NAME, PACKAGE_OP, 0xca, 0x00, 0x00, 0x00, 0x04,
	    BYTE_PREFIX, 0x02, BYTE_PREFIX, 0x04);
}

/* A package with one element: SLP_TYPb defaults to 0. */
Test(acpi_s5, missing_second_element)
{
	EXPECT_S5(6, 0, NAME_OP, S5_NAME, PACKAGE_OP, 0x04, 0x01, BYTE_PREFIX, 0x06);
	EXPECT_S5(6, 0, NAME_OP, S5_NAME, PACKAGE_OP, 0x05, 0x02, BYTE_PREFIX, 0x06,
	    0x0b, 0x01, 0x00);		/* a WordPrefix the parser does not take */
}

Test(acpi_s5, first_element_not_a_byte_constant)
{
	EXPECT_NONE(NAME_OP, S5_NAME, PACKAGE_OP, 0x07, 0x02, 0x0b, 0x05, 0x00,
	    ZERO_OP);
	EXPECT_NONE(NAME_OP, S5_NAME, PACKAGE_OP, 0x07, 0x02, 0x0c, 0x05, 0x00, 0x00,
	    0x00);
}

/* Found deep inside other AML, after lookalikes that are not it. */
Test(acpi_s5, found_among_other_objects)
{
	EXPECT_S5(5, 6,
	    /* Name (_S4_, Package ...): another name */
	    NAME_OP, '_', 'S', '4', '_', PACKAGE_OP, 0x06, 0x04, 0x04, 0x00, 0x00, 0x00,
	    /* Method (_S5_ ...): not a NameOp */
	    0x14, 0x08, S5_NAME, 0x00, 0xa4, 0x01,
	    /* Name (_S5_, 5): not a package */
	    NAME_OP, S5_NAME, BYTE_PREFIX, 0x09,
	    /* the real one */
	    NAME_OP, S5_NAME, PACKAGE_OP, 0x0a, 0x04, BYTE_PREFIX, 0x05,
	    BYTE_PREFIX, 0x06, ZERO_OP, ZERO_OP);
}

Test(acpi_s5, name_without_name_op_before_it)
{
	EXPECT_NONE(S5_NAME, PACKAGE_OP, 0x06, 0x04, 0x05, 0x00, 0x00, 0x00);
	EXPECT_NONE(0x00, S5_NAME, PACKAGE_OP, 0x06, 0x04, 0x05, 0x00, 0x00, 0x00);
	EXPECT_NONE('\\', S5_NAME, PACKAGE_OP, 0x06, 0x04, 0x05, 0x00, 0x00, 0x00);
	EXPECT_NONE(0x33, '\\', S5_NAME, PACKAGE_OP, 0x06, 0x04, 0x05, 0x00, 0x00, 0x00);
	EXPECT_NONE(0x14, S5_NAME, PACKAGE_OP, 0x06, 0x04, 0x05, 0x00, 0x00, 0x00);
}

Test(acpi_s5, empty_and_tiny_streams)
{
	uint8_t a, b;

	cr_assert_eq(parse(NULL, 0, &a, &b), -1);
	EXPECT_NONE(NAME_OP);
	EXPECT_NONE(S5_NAME);
	EXPECT_NONE(NAME_OP, S5_NAME);
	EXPECT_NONE(NAME_OP, '_', 'S', '5');
}

/*
 * Cut the stream after every byte: found only once SLP_TYPa is complete,
 * and never a read past the cut.
 */
Test(acpi_s5, every_truncation)
{
	static const uint8_t aml[] = {
		0x5b, 0x80, NAME_OP, '\\', S5_NAME, PACKAGE_OP, 0x4b, 0x00, 0x04,
		BYTE_PREFIX, 0x07, BYTE_PREFIX, 0x02, ZERO_OP, ZERO_OP,
	};
	size_t a_done = 14;	/* bytes up to and including SLP_TYPa's value */
	size_t b_done = 16;

	for (size_t len = 0; len <= sizeof(aml); len++) {
		uint8_t a, b;
		int rc = parse(aml, len, &a, &b);

		if (len < a_done) {
			cr_assert_eq(rc, -1, "cut at %zu", len);
			continue;
		}
		cr_assert_eq(rc, 0, "cut at %zu", len);
		cr_assert_eq(a, 7);
		cr_assert_eq(b, len >= b_done ? 2 : 0, "cut at %zu: b = %#x", len, b);
	}
}

/* Random AML rich in the bytes that matter: no read past the end. */
Test(acpi_s5, random_streams_stay_in_bounds)
{
	static const uint8_t pool[] = { NAME_OP, '\\', '_', 'S', '5', '_', PACKAGE_OP,
		BYTE_PREFIX, ZERO_OP, ONE_OP, ONES_OP, 0x4a, 0x8a, 0xca, 0x04, 0x0b };
	struct test_rand r;
	uint8_t buf[48];

	test_rand_seed(&r, 0xac91);
	for (int step = 0; step < 200000; step++) {
		size_t len = (size_t)test_rand_below(&r, sizeof(buf) + 1);
		uint8_t a, b;
		int rc;

		for (size_t i = 0; i < len; i++)
			buf[i] = pool[test_rand_below(&r, sizeof(pool))];
		/* Seed a real name now and then, so the parser gets past it. */
		if (len >= 6 && step % 2 == 0) {
			size_t at = (size_t)test_rand_below(&r, len - 5);

			memcpy(buf + at, BYTES(NAME_OP, S5_NAME, PACKAGE_OP), 6);
		}
		rc = parse(buf, len, &a, &b);
		cr_assert(rc == 0 || rc == -1);
	}
}
