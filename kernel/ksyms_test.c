/*
 * ksyms_test.c - the embedded symbol table names the kernel's own code.
 */

#include "kernel/ksyms.h"

#include "kernel/startup.h"
#include "tests/ktest.h"

KTEST(ksyms, names_a_function_at_its_start)
{
	uint64_t off = 1;

	KT_EXPECT_STREQ(ksyms_lookup((uint64_t)kernel_bootstrap, &off), "kernel_bootstrap");
	KT_EXPECT_EQ(off, 0);
}

KTEST(ksyms, names_an_address_inside_a_function)
{
	uint64_t off = 0;

	KT_EXPECT_STREQ(ksyms_lookup((uint64_t)ksyms_lookup + 5, &off), "ksyms_lookup");
	KT_EXPECT_EQ(off, 5);
}

KTEST(ksyms, finds_by_name)
{
	uint64_t addr = 0;

	KT_ASSERT_TRUE(ksyms_find("kernel_bootstrap", &addr));
	KT_EXPECT_EQ(addr, (uint64_t)kernel_bootstrap);
	KT_EXPECT_FALSE(ksyms_find("no_such_symbol_anywhere", &addr));
}

KTEST(ksyms, outside_the_kernel_is_unnamed)
{
	KT_EXPECT_TRUE(ksyms_lookup(0x1000, NULL) == NULL);
	KT_EXPECT_TRUE(ksyms_lookup(0xffff800000001000ULL, NULL) == NULL);
}

KTEST(ksyms, table_is_complete)
{
	/* Every function of the kernel is in it; a few hundred at least. */
	KT_EXPECT_GT(ksyms_count(), 300);
}
