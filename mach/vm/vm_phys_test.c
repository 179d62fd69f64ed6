/*
 * vm_phys_test.c - the physical page allocator, on the kernel's own and on
 * a private instance built over pages borrowed from it.
 */

#include "mach/vm/vm_phys.h"

#include "mach/vm/pmap.h"
#include "tests/ktest.h"

KTEST(vm_phys, single_pages_come_and_go)
{
	uint64_t before = vm_phys_free_pages(&vm_phys_kernel);
	pmap_paddr_t a, b;

	KT_ASSERT_EQ(vm_page_alloc_phys(&a), KERN_SUCCESS);
	KT_ASSERT_EQ(vm_page_alloc_phys(&b), KERN_SUCCESS);
	KT_EXPECT_NE(a, b);
	KT_EXPECT_EQ(a & PAGE_MASK, 0);
	KT_EXPECT_TRUE(vm_phys_is_allocated(&vm_phys_kernel, a));
	KT_EXPECT_EQ(vm_phys_free_pages(&vm_phys_kernel), before - 2);
	vm_page_free_phys(a);
	vm_page_free_phys(b);
	KT_EXPECT_FALSE(vm_phys_is_allocated(&vm_phys_kernel, a));
	KT_EXPECT_EQ(vm_phys_free_pages(&vm_phys_kernel), before);
}

KTEST(vm_phys, pages_are_real_memory)
{
	pmap_paddr_t pa;
	volatile uint64_t *p;

	KT_ASSERT_EQ(vm_page_alloc_phys(&pa), KERN_SUCCESS);
	p = phystokv(pa);
	p[0] = 0x1122334455667788ULL;
	p[511] = ~p[0];
	KT_EXPECT_EQ(p[0], 0x1122334455667788ULL);
	KT_EXPECT_EQ(p[511], ~0x1122334455667788ULL);
	KT_EXPECT_EQ(kvtophys((vm_offset_t)p), pa);
	vm_page_free_phys(pa);
}

KTEST(vm_phys, contiguous_runs_honour_alignment)
{
	pmap_paddr_t pa;

	/* 2 MiB, 2 MiB aligned: what a large page needs. */
	KT_ASSERT_EQ(vm_phys_alloc(&vm_phys_kernel, 512, 512, &pa), KERN_SUCCESS);
	KT_EXPECT_EQ(pa & (512 * PAGE_SIZE - 1), 0);
	for (uint64_t i = 0; i < 512; i++) {
		if (!vm_phys_is_allocated(&vm_phys_kernel, pa + ptoa(i))) {
			KT_EXPECT_TRUE(false);
			break;
		}
	}
	vm_phys_free(&vm_phys_kernel, pa, 512);
}

KTEST(vm_phys, bad_requests_are_refused)
{
	pmap_paddr_t pa;

	KT_EXPECT_EQ(vm_phys_alloc(&vm_phys_kernel, 0, 1, &pa), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(vm_phys_alloc(&vm_phys_kernel, 1, 3, &pa), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(vm_phys_alloc(&vm_phys_kernel, 1ULL << 40, 1, &pa),
	    KERN_RESOURCE_SHORTAGE);
}

KTEST(vm_phys, private_instance_runs_dry_and_recovers)
{
	static struct vm_phys vp;
	pmap_paddr_t base, pa, got[64];
	unsigned n = 0;

	KT_ASSERT_EQ(vm_phys_alloc(&vm_phys_kernel, 64, 1, &base), KERN_SUCCESS);
	vm_phys_init(&vp);
	KT_ASSERT_EQ(vm_phys_add_range(&vp, base, base + ptoa(64)), KERN_SUCCESS);
	/* One page holds the bitmap; 63 are for allocation. */
	KT_EXPECT_EQ(vm_phys_total_pages(&vp), 63);
	while (n < 64 && vm_phys_alloc(&vp, 1, 1, &pa) == KERN_SUCCESS)
		got[n++] = pa;
	KT_EXPECT_EQ(n, 63);
	KT_EXPECT_EQ(vm_phys_alloc(&vp, 1, 1, &pa), KERN_RESOURCE_SHORTAGE);
	KT_EXPECT_EQ(vm_phys_add_range(&vp, base, base + ptoa(8)), KERN_INVALID_ARGUMENT);
	for (unsigned i = 0; i < n; i++)
		vm_phys_free(&vp, got[i], 1);
	KT_EXPECT_EQ(vm_phys_free_pages(&vp), 63);
	vm_phys_free(&vm_phys_kernel, base, 64);
}
