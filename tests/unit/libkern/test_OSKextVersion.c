/*
 * test_OSKextVersion.c - libkern/OSKextVersion.c: which strings are
 * versions, that their numbers sort as the versions do, and the canonical
 * form printed back.
 */

#include <criterion/criterion.h>

#include "tests/unit/shim/kern.h"

#include "libkern/OSKextVersion.h"

Test(OSKextVersion, accepts_the_forms_apple_documents)
{
	static const char *const good[] = {
		"1", "1.0", "1.2.3", "9999.99.99", "0.0.1", "01.02.03",
		"1d1", "1.0d4", "1.2.3a2", "1.2.3b255", "1.2.3fc1", "2.0fc12",
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		cr_expect(OSKextParseVersionString(good[i]) >= 0, "%s", good[i]);
}

Test(OSKextVersion, refuses_everything_else)
{
	static const char *const bad[] = {
		"", ".", "1.", ".1", "1..2", "1.2.3.4", "10000", "1.100", "1.2.300",
		"1.2.3d", "1.2.3d256", "1.2.3d1000", "1.2.3e1", "1.2.3f1", "1.2.3fc",
		"1.2.3 ", " 1.2.3", "1.2.3-beta", "v1.0", "1,0", "-1", "1.2.3d1x",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(OSKextParseVersionString(bad[i]), -1, "\"%s\"", bad[i]);
	cr_expect_eq(OSKextParseVersionString(NULL), -1);
}

Test(OSKextVersion, orders_as_versions_do)
{
	/* Each is older than the next. */
	static const char *const order[] = {
		"0.0.1", "0.9", "1.0d1", "1.0d2", "1.0d10", "1.0a1", "1.0b1",
		"1.0b255", "1.0fc1", "1.0", "1.0.1", "1.1", "1.10", "2", "9999.99.99",
	};

	for (size_t i = 0; i + 1 < sizeof order / sizeof order[0]; i++)
		cr_expect_lt(OSKextParseVersionString(order[i]),
		    OSKextParseVersionString(order[i + 1]), "%s < %s", order[i], order[i + 1]);
	cr_expect_eq(OSKextParseVersionString("1"), OSKextParseVersionString("1.0.0"));
	cr_expect_eq(OSKextParseVersionString("01.2"), OSKextParseVersionString("1.02.0"));
}

Test(OSKextVersion, prints_the_canonical_form)
{
	char buf[kOSKextVersionMaxLength];

	cr_assert(OSKextVersionGetString(OSKextParseVersionString("1"), buf, sizeof buf));
	cr_expect_str_eq(buf, "1.0.0");
	cr_assert(OSKextVersionGetString(OSKextParseVersionString("01.2.3fc7"), buf, sizeof buf));
	cr_expect_str_eq(buf, "1.2.3fc7");
	cr_assert(OSKextVersionGetString(OSKextParseVersionString("9999.99.99fc255"), buf, sizeof buf));
	cr_expect_str_eq(buf, "9999.99.99fc255");
	cr_expect_not(OSKextVersionGetString(-1, buf, sizeof buf));
	cr_expect_not(OSKextVersionGetString(OSKextParseVersionString("1.2.3"), buf, 5));
	cr_expect_not(OSKextVersionGetString(100002000, buf, sizeof buf));	/* stage 2 */
}
