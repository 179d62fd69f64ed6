/*
 * kip_test.c - Kernel Integrity Protection: after start-up the kernel's
 * text, read-only data, symbol table and KPI table cannot be written by
 * their own addresses or through the direct map (observed with the
 * ml_nofault_* probes), and no pmap call changes their mappings.
 */

#include "mach/vm/pmap.h"

#include "kernel/machine_routines.h"
#include "kernel/startup.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/vm_param.h"
#include "libkern/kpi.h"
#include "mach/vm/kext_region.h"
#include "mach/vm/vm_page.h"
#include "tests/ktest.h"

extern const char _text_start[], _rodata_start[], _rodata_end[], __ksyms_start[];

static const uint64_t kip_constant = 0x0123456789abcdefULL;	/* .rodata */
static uint64_t kip_variable = 42;				/* .data */

/* Whether a byte can be written at va: the same value back, so nothing changes. */
static bool
writable(vm_offset_t va)
{
	uint8_t v;

	if (!ml_nofault_read8(va, &v))
		return false;
	return ml_nofault_write8(va, v);
}

static vm_offset_t
alias(const void *p)
{
	return (vm_offset_t)phystokv(kvtophys((vm_offset_t)p));
}

KTEST(kip, locked_once_started_with_write_protect_on)
{
	KT_EXPECT_TRUE(pmap_kip_locked());
	KT_EXPECT_TRUE(get_cr0() & CR0_WP);
	pmap_kip_check_wp("kip test");		/* returns: WP is on */
}

KTEST(kip, text_and_rodata_cannot_be_written)
{
	KT_EXPECT_FALSE(writable((vm_offset_t)kernel_bootstrap));
	KT_EXPECT_FALSE(writable((vm_offset_t)_text_start));
	KT_EXPECT_FALSE(writable((vm_offset_t)&kip_constant));
	KT_EXPECT_FALSE(writable((vm_offset_t)_rodata_start));
	KT_EXPECT_FALSE(writable((vm_offset_t)__ksyms_start));
	KT_EXPECT_FALSE(writable((vm_offset_t)&kpi_bundles[0]));
	KT_EXPECT_FALSE(writable((vm_offset_t)kpi_bundles[0].kb_symbols));
	/* ... while data can. */
	KT_EXPECT_TRUE(writable((vm_offset_t)&kip_variable));
	KT_EXPECT_EQ(kip_constant, 0x0123456789abcdefULL);
}

KTEST(kip, the_direct_map_alias_is_read_only)
{
	const void *locked[] = {
		(const void *)kernel_bootstrap, _text_start, &kip_constant, _rodata_start,
		(const void *)((vm_offset_t)_rodata_end - 1), __ksyms_start, &kpi_bundles[0],
	};

	for (unsigned i = 0; i < nitems(locked); i++) {
		KT_EXPECT_EQ(pmap_kernel_prot(alias(locked[i])), VM_PROT_READ);
		KT_EXPECT_FALSE(writable(alias(locked[i])));
	}
	/* Data's alias, and the rest of the direct map, stay read-write. */
	KT_EXPECT_EQ(pmap_kernel_prot(alias(&kip_variable)), VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_TRUE(writable(alias(&kip_variable)));
	KT_EXPECT_EQ(pmap_kernel_prot(alias(_rodata_end)), VM_PROT_READ | VM_PROT_WRITE);
}

KTEST(kip, protection_changes_are_refused)
{
	vm_offset_t text = (vm_offset_t)_text_start;
	ppnum_t pn = (ppnum_t)atop(kvtophys(text));

	KT_EXPECT_EQ(pmap_enter(kernel_pmap, text, pn, VM_PROT_READ | VM_PROT_WRITE, 0),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(pmap_enter(kernel_pmap, alias(_text_start), pn,
	    VM_PROT_READ | VM_PROT_WRITE, 0), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(pmap_kext_protect(text, text + PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE),
	    KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ(kext_region_protect(text, PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE),
	    KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ(pmap_kernel_prot(text), VM_PROT_READ | VM_PROT_EXECUTE);
	KT_EXPECT_EQ(pmap_kernel_prot(alias(_text_start)), VM_PROT_READ);
}

/*
 * pmap_protect or pmap_remove on a locked range is a kernel bug: the
 * harness (tests/kernel/run_kernel.py) checks each panic's message.
 */
KTEST_EXPLICIT(kip, protect_text_panics)
{
	vm_offset_t text = (vm_offset_t)_text_start;

	pmap_protect(kernel_pmap, text, text + PAGE_SIZE, VM_PROT_READ);
	KT_EXPECT_TRUE(false);		/* not reached */
}

KTEST_EXPLICIT(kip, remove_rodata_alias_panics)
{
	vm_offset_t a = trunc_page(alias(&kip_constant));

	pmap_remove(kernel_pmap, a, a + PAGE_SIZE);
	KT_EXPECT_TRUE(false);		/* not reached */
}
