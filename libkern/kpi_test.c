/*
 * kpi_test.c - the kernel's KPI table: every bundle is there with the
 * kernel's version, lookups find what the lists name at the addresses the
 * kernel links them at, and nothing else.
 */

#include "libkern/kpi.h"

#include "iokit/Kernel/IOLib.h"
#include "kernel/version.h"
#include "libkern/OSMalloc.h"
#include "libkern/string.h"
#include "mach/kern/locks.h"
#include "mach/vm/vm_kern.h"
#include "tests/ktest.h"

KTEST(kpi, every_bundle_is_there)
{
	static const char *const ids[] = {
		"org.machina.kpi.bsd", "org.machina.kpi.iokit", "org.machina.kpi.libkern",
		"org.machina.kpi.mach", "org.machina.kpi.unsupported",
	};

	KT_ASSERT_EQ(kpi_bundle_count(), nitems(ids));
	for (unsigned i = 0; i < nitems(ids); i++) {
		const struct kpi_bundle *b = kpi_bundle_lookup(ids[i]);

		KT_ASSERT_TRUE(b != NULL);
		KT_EXPECT_TRUE(kpi_bundle_at(i) == b);		/* sorted by identifier */
		KT_EXPECT_STREQ(b->kb_identifier, ids[i]);
		KT_EXPECT_STREQ(b->kb_version, osrelease);
		KT_EXPECT_STREQ(b->kb_compatible_version, "0.1.0");
		KT_EXPECT_GT(b->kb_nsymbols, 0);
	}
	KT_EXPECT_TRUE(kpi_bundle_at(nitems(ids)) == NULL);
	KT_EXPECT_TRUE(kpi_bundle_lookup("org.machina.kpi") == NULL);
	KT_EXPECT_TRUE(kpi_bundle_lookup("com.apple.kpi.mach") == NULL);
}

KTEST(kpi, symbols_have_their_kernel_addresses)
{
	const struct kpi_bundle *mach = kpi_bundle_lookup("org.machina.kpi.mach");
	const struct kpi_bundle *libkern = kpi_bundle_lookup("org.machina.kpi.libkern");
	const struct kpi_bundle *iokit = kpi_bundle_lookup("org.machina.kpi.iokit");
	const struct kpi_bundle *unsup = kpi_bundle_lookup("org.machina.kpi.unsupported");
	uint64_t addr = 0;

	KT_ASSERT_TRUE(mach != NULL && libkern != NULL && iokit != NULL && unsup != NULL);
	KT_EXPECT_TRUE(kpi_bundle_symbol(mach, "lck_mtx_lock", &addr));
	KT_EXPECT_EQ(addr, (uintptr_t)lck_mtx_lock);
	KT_EXPECT_TRUE(kpi_bundle_symbol(libkern, "OSMalloc", &addr));
	KT_EXPECT_EQ(addr, (uintptr_t)OSMalloc);
	KT_EXPECT_TRUE(kpi_bundle_symbol(libkern, "strlen", &addr));
	KT_EXPECT_EQ(addr, (uintptr_t)strlen);
	KT_EXPECT_TRUE(kpi_bundle_symbol(iokit, "IOLog", &addr));
	KT_EXPECT_EQ(addr, (uintptr_t)IOLog);
	/* Data as well as code. */
	KT_EXPECT_TRUE(kpi_bundle_symbol(unsup, "kernel_map", &addr));
	KT_EXPECT_EQ(addr, (uintptr_t)&kernel_map);
	/* The first and last of a bundle (the ends of the binary search). */
	KT_EXPECT_TRUE(kpi_bundle_symbol(iokit, "IODelay", NULL));
	KT_EXPECT_TRUE(kpi_bundle_symbol(iokit, "IOSleep", NULL));
}

KTEST(kpi, only_listed_symbols_are_exported)
{
	const struct kpi_bundle *mach = kpi_bundle_lookup("org.machina.kpi.mach");

	KT_ASSERT_TRUE(mach != NULL);
	/* XNU does not give kexts kalloc, nor internals the lists leave out. */
	KT_EXPECT_FALSE(kpi_bundle_symbol(mach, "kalloc", NULL));
	KT_EXPECT_TRUE(kpi_symbol_bundle("kalloc") == NULL);
	KT_EXPECT_TRUE(kpi_symbol_bundle("pmap_enter") == NULL);
	KT_EXPECT_TRUE(kpi_symbol_bundle("kpi_bundle_lookup") == NULL);
	/* In another bundle than the one asked. */
	KT_EXPECT_FALSE(kpi_bundle_symbol(mach, "IOLog", NULL));
	KT_EXPECT_FALSE(kpi_bundle_symbol(mach, "", NULL));
	KT_EXPECT_FALSE(kpi_bundle_symbol(mach, "lck_mtx_loc", NULL));
	KT_EXPECT_FALSE(kpi_bundle_symbol(mach, "lck_mtx_lockx", NULL));
}

KTEST(kpi, each_symbol_names_its_bundle)
{
	KT_EXPECT_STREQ(kpi_symbol_bundle("thread_block")->kb_identifier,
	    "org.machina.kpi.mach");
	KT_EXPECT_STREQ(kpi_symbol_bundle("sysctl_register_oid")->kb_identifier,
	    "org.machina.kpi.bsd");
	KT_EXPECT_STREQ(kpi_symbol_bundle("sysctl__kern_children")->kb_identifier,
	    "org.machina.kpi.bsd");
	KT_EXPECT_STREQ(kpi_symbol_bundle("memcpy")->kb_identifier,
	    "org.machina.kpi.libkern");
	KT_EXPECT_STREQ(kpi_symbol_bundle("IOSleep")->kb_identifier,
	    "org.machina.kpi.iokit");
	KT_EXPECT_STREQ(kpi_symbol_bundle("panic")->kb_identifier,
	    "org.machina.kpi.unsupported");
}

KTEST(kpi, every_bundle_is_sorted_and_every_symbol_found)
{
	for (unsigned i = 0; i < kpi_bundle_count(); i++) {
		const struct kpi_bundle *b = kpi_bundle_at(i);

		for (unsigned j = 0; j < b->kb_nsymbols; j++) {
			const struct kpi_symbol *s = &b->kb_symbols[j];
			uint64_t addr = 0;

			if (j > 0)
				KT_EXPECT_TRUE(strcmp(b->kb_symbols[j - 1].ks_name, s->ks_name) < 0);
			KT_EXPECT_TRUE(kpi_bundle_symbol(b, s->ks_name, &addr));
			KT_EXPECT_EQ(addr, (uintptr_t)s->ks_addr);
			KT_EXPECT_TRUE(kpi_symbol_bundle(s->ks_name) == b);
			/* Every symbol is inside the kernel image. */
			KT_EXPECT_GE(addr, 0xffffffff80000000UL);
		}
	}
}
