/*
 * kext_region_test.c - the kext region: where it is, what an allocation
 * is mapped with, protections that hold (observed with the ml_nofault_*
 * probes), every page back on free, the quarantine of unloaded kexts, and
 * the same mappings in every address space.
 */

#include "mach/vm/kext_region.h"

#include "kernel/machine/vm_param.h"
#include "kernel/machine_routines.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_phys.h"
#include "tests/ktest.h"

#define RX	(VM_PROT_READ | VM_PROT_EXECUTE)
#define RW	(VM_PROT_READ | VM_PROT_WRITE)

static const uint8_t RET = 0xc3;	/* a function that returns at once */

KTEST(kext_region, lies_within_2gb_of_the_image)
{
	extern const char _kernel_start[], _kernel_end[];

	KT_EXPECT_GE(KEXT_REGION_BASE, (vm_offset_t)_kernel_end);
	KT_EXPECT_LE(KEXT_REGION_END - (vm_offset_t)_kernel_start, 1UL << 31);
	/* Every address in it is a 32-bit value sign-extended. */
	KT_EXPECT_EQ((int64_t)(int32_t)KEXT_REGION_BASE, (int64_t)KEXT_REGION_BASE);
	KT_EXPECT_EQ((int64_t)(int32_t)(KEXT_REGION_END - 1), (int64_t)(KEXT_REGION_END - 1));
	KT_EXPECT_EQ(pmap_kernel_prot(KEXT_REGION_END), VM_PROT_NONE);
}

KTEST(kext_region, allocation_is_zeroed_read_write_no_execute)
{
	vm_offset_t addr = 0;
	uint8_t v = 1;

	KT_ASSERT_EQ(kext_region_alloc(3 * PAGE_SIZE - 100, &addr), KERN_SUCCESS);
	KT_EXPECT_TRUE(kext_region_contains(addr));
	KT_EXPECT_EQ(addr & PAGE_MASK, 0);
	for (vm_offset_t va = addr; va < addr + 3 * PAGE_SIZE; va += PAGE_SIZE)
		KT_EXPECT_EQ(pmap_kernel_prot(va), RW);
	KT_EXPECT_EQ(((uint8_t *)addr)[0], 0);
	KT_EXPECT_EQ(((uint8_t *)addr)[3 * PAGE_SIZE - 1], 0);
	/* The guard page after it. */
	KT_EXPECT_EQ(pmap_kernel_prot(addr + 3 * PAGE_SIZE), VM_PROT_NONE);
	KT_EXPECT_FALSE(ml_nofault_read8(addr + 3 * PAGE_SIZE, &v));
	KT_EXPECT_TRUE(ml_nofault_write8(addr, RET));
	KT_EXPECT_FALSE(ml_nofault_call(addr));		/* NX */
	kext_region_free(addr, 3 * PAGE_SIZE - 100, "ktest.zeroed");
}

KTEST(kext_region, protections_hold)
{
	vm_offset_t addr = 0;
	uint8_t v = 0;

	KT_ASSERT_EQ(kext_region_alloc(PAGE_SIZE, &addr), KERN_SUCCESS);
	*(volatile uint8_t *)addr = RET;

	KT_EXPECT_EQ(kext_region_protect(addr, PAGE_SIZE, RX), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_kernel_prot(addr), RX);
	KT_EXPECT_FALSE(ml_nofault_write8(addr, 0x90));
	KT_EXPECT_TRUE(ml_nofault_call(addr));
	KT_EXPECT_TRUE(ml_nofault_read8(addr, &v));
	KT_EXPECT_EQ(v, RET);

	KT_EXPECT_EQ(kext_region_protect(addr, PAGE_SIZE, VM_PROT_READ), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_kernel_prot(addr), VM_PROT_READ);
	KT_EXPECT_FALSE(ml_nofault_write8(addr, 0x90));
	KT_EXPECT_FALSE(ml_nofault_call(addr));
	KT_EXPECT_TRUE(ml_nofault_read8(addr, &v));

	KT_EXPECT_EQ(kext_region_protect(addr, PAGE_SIZE, RW), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_kernel_prot(addr), RW);
	KT_EXPECT_TRUE(ml_nofault_write8(addr, RET));
	KT_EXPECT_FALSE(ml_nofault_call(addr));
	kext_region_free(addr, PAGE_SIZE, "ktest.protect");
}

KTEST(kext_region, never_write_and_execute)
{
	extern const char _text_start[];
	vm_offset_t addr = 0;

	KT_ASSERT_EQ(kext_region_alloc(2 * PAGE_SIZE, &addr), KERN_SUCCESS);
	KT_EXPECT_EQ(kext_region_protect(addr, PAGE_SIZE, VM_PROT_ALL), KERN_PROTECTION_FAILURE);
	KT_EXPECT_EQ(kext_region_protect(addr, PAGE_SIZE, VM_PROT_WRITE | VM_PROT_EXECUTE),
	    KERN_PROTECTION_FAILURE);
	KT_EXPECT_EQ(kext_region_protect(addr, PAGE_SIZE, VM_PROT_NONE), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(kext_region_protect(addr, 0, RX), KERN_INVALID_ARGUMENT);
	/* Nothing changed by the refusals. */
	KT_EXPECT_EQ(pmap_kernel_prot(addr), RW);
	/* Only inside one allocation: not its guard page, not the kernel. */
	KT_EXPECT_EQ(kext_region_protect(addr, 3 * PAGE_SIZE, RX), KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ(kext_region_protect(addr + 2 * PAGE_SIZE, PAGE_SIZE, RX),
	    KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ(kext_region_protect((vm_offset_t)_text_start, PAGE_SIZE, RX),
	    KERN_INVALID_ADDRESS);
	/* Part of one is fine. */
	KT_EXPECT_EQ(kext_region_protect(addr + PAGE_SIZE, PAGE_SIZE, RX), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_kernel_prot(addr), RW);
	KT_EXPECT_EQ(pmap_kernel_prot(addr + PAGE_SIZE), RX);
	kext_region_free(addr, 2 * PAGE_SIZE, "ktest.wx");
}

KTEST(kext_region, bad_sizes_are_refused)
{
	vm_offset_t addr = 0;

	KT_EXPECT_EQ(kext_region_alloc(0, &addr), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(kext_region_alloc(~(vm_size_t)0, &addr), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(kext_region_alloc(KEXT_REGION_END - KEXT_REGION_BASE, &addr),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(addr, 0);
}

KTEST(kext_region, free_gives_every_page_back)
{
	struct kext_region_stats before, during, after;
	uint64_t free_before = vm_phys_free_pages(&vm_phys_kernel);
	vm_offset_t addr = 0;

	kext_region_get_stats(&before);
	KT_ASSERT_EQ(kext_region_alloc(5 * PAGE_SIZE, &addr), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_phys_free_pages(&vm_phys_kernel), free_before - 5);
	kext_region_get_stats(&during);
	KT_EXPECT_EQ(during.krs_allocations, before.krs_allocations + 1);
	KT_EXPECT_EQ(during.krs_pages, before.krs_pages + 5);
	kext_region_free(addr, 5 * PAGE_SIZE, "ktest.pages");
	KT_EXPECT_EQ(vm_phys_free_pages(&vm_phys_kernel), free_before);
	kext_region_get_stats(&after);
	KT_EXPECT_EQ(after.krs_allocations, before.krs_allocations);
	KT_EXPECT_EQ(after.krs_pages, before.krs_pages);
	for (vm_offset_t va = addr; va < addr + 5 * PAGE_SIZE; va += PAGE_SIZE)
		KT_EXPECT_EQ(pmap_kernel_prot(va), VM_PROT_NONE);
}

KTEST(kext_region, unloaded_ranges_are_quarantined)
{
	vm_offset_t first = 0, addr = 0, start = 0, end = 0;
	const char *name;
	uint8_t v;

	if (!MACHINA_DEBUG) {
		KT_EXPECT_TRUE(true);	/* release builds reuse a range at once */
		return;
	}
	KT_ASSERT_EQ(kext_region_alloc(2 * PAGE_SIZE, &first), KERN_SUCCESS);
	kext_region_free(first, 2 * PAGE_SIZE, "com.example.quarantined");
	name = kext_region_unloaded_name(first + PAGE_SIZE + 8, &start, &end);
	KT_EXPECT_STREQ(name, "com.example.quarantined");
	KT_EXPECT_EQ(start, first);
	KT_EXPECT_EQ(end, first + 2 * PAGE_SIZE);
	KT_EXPECT_TRUE(kext_region_unloaded_name(first + 2 * PAGE_SIZE, &start, &end) == NULL);
	KT_EXPECT_FALSE(ml_nofault_read8(first, &v));

	/* Not handed out again while quarantined... */
	KT_ASSERT_EQ(kext_region_alloc(2 * PAGE_SIZE, &addr), KERN_SUCCESS);
	KT_EXPECT_NE(addr, first);
	kext_region_free(addr, 2 * PAGE_SIZE, "ktest.other");
	/* ... until enough later ranges have been freed. */
	for (unsigned i = 1; i < KEXT_REGION_QUARANTINE; i++) {
		KT_ASSERT_EQ(kext_region_alloc(PAGE_SIZE, &addr), KERN_SUCCESS);
		kext_region_free(addr, PAGE_SIZE, "ktest.filler");
	}
	KT_EXPECT_TRUE(kext_region_unloaded_name(first, &start, &end) == NULL);
}

static vm_offset_t named_start, named_end;

static const char *
ktest_namer(vm_offset_t addr, vm_offset_t *start, vm_offset_t *end)
{
	if (addr < named_start || addr >= named_end)
		return NULL;
	*start = named_start;
	*end = named_end;
	return "com.example.loaded";
}

KTEST(kext_region, the_namer_names_loaded_kexts)
{
	vm_offset_t addr = 0, start = 0, end = 0;

	KT_ASSERT_EQ(kext_region_alloc(PAGE_SIZE, &addr), KERN_SUCCESS);
	KT_EXPECT_TRUE(kext_region_loaded_name(addr, &start, &end) == NULL);
	named_start = addr;
	named_end = addr + PAGE_SIZE;
	kext_region_set_namer(ktest_namer);
	KT_EXPECT_STREQ(kext_region_loaded_name(addr + 16, &start, &end), "com.example.loaded");
	KT_EXPECT_EQ(start, addr);
	KT_EXPECT_EQ(end, addr + PAGE_SIZE);
	KT_EXPECT_TRUE(kext_region_loaded_name(addr + PAGE_SIZE, &start, &end) == NULL);
	kext_region_set_namer(NULL);
	KT_EXPECT_TRUE(kext_region_loaded_name(addr, &start, &end) == NULL);
	kext_region_free(addr, PAGE_SIZE, "ktest.named");
}

KTEST(kext_region, mapped_in_every_address_space)
{
	pmap_t pmap = pmap_create();
	vm_offset_t addr = 0;

	KT_ASSERT_TRUE(pmap != PMAP_NULL);
	/* An address space made before the allocation sees it too. */
	if (KT_EXPECT_EQ(kext_region_alloc(PAGE_SIZE, &addr), KERN_SUCCESS)) {
		KT_EXPECT_NE(pmap_find_phys(kernel_pmap, addr), 0);
		KT_EXPECT_EQ(pmap_find_phys(pmap, addr), pmap_find_phys(kernel_pmap, addr));
		kext_region_free(addr, PAGE_SIZE, "ktest.shared");
		KT_EXPECT_EQ(pmap_find_phys(pmap, addr), 0);
	}
	pmap_destroy(pmap);
}

/*
 * A stale call into an unloaded kext: the harness (tests/kernel/run_kernel.py)
 * checks that the panic names it. Debug builds only (the quarantine).
 */
KTEST_EXPLICIT(kext_region, call_into_unloaded_panics)
{
	vm_offset_t addr = 0;
	void (*fn)(void);

	KT_ASSERT_EQ(kext_region_alloc(PAGE_SIZE, &addr), KERN_SUCCESS);
	*(volatile uint8_t *)addr = RET;
	KT_ASSERT_EQ(kext_region_protect(addr, PAGE_SIZE, RX), KERN_SUCCESS);
	fn = (void (*)(void))addr;
	fn();
	kext_region_free(addr, PAGE_SIZE, "com.example.foo");
	fn();
	KT_EXPECT_TRUE(false);		/* not reached */
}
