/*
 * pmap_test.c - the kernel's page tables give each part of the image the
 * protection it should have, and nothing else is mapped by accident.
 */

#include "mach/vm/pmap.h"

#include "kernel/startup.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/vm_param.h"
#include "mach/vm/vm_phys.h"
#include "tests/ktest.h"

extern const char _text_start[], _rodata_start[], _data_start[], __ksyms_start[];

KTEST(pmap, text_is_read_execute)
{
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)kernel_bootstrap),
	    VM_PROT_READ | VM_PROT_EXECUTE);
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)_text_start),
	    VM_PROT_READ | VM_PROT_EXECUTE);
}

KTEST(pmap, rodata_is_read_only)
{
	static const int constant = 42;

	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)&constant), VM_PROT_READ);
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)_rodata_start), VM_PROT_READ);
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)__ksyms_start), VM_PROT_READ);
}

KTEST(pmap, data_and_bss_are_read_write_no_execute)
{
	static int variable = 1;	/* .data */
	static int zeroed;		/* .bss */
	int on_stack;

	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)&variable), VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)_data_start), VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)&zeroed), VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)&on_stack), VM_PROT_READ | VM_PROT_WRITE);
}

KTEST(pmap, null_and_the_identity_map_are_gone)
{
	KT_EXPECT_EQ(pmap_kernel_prot(0), VM_PROT_NONE);
	KT_EXPECT_EQ(pmap_kernel_prot(0x1000), VM_PROT_NONE);
	KT_EXPECT_EQ(pmap_kernel_prot(0x100000), VM_PROT_NONE);	/* where the boot code ran */
	KT_EXPECT_EQ(pmap_kernel_prot(0x0000800000000000ULL), VM_PROT_NONE); /* non-canonical */
}

KTEST(pmap, stack_guard_pages_are_unmapped)
{
	vm_offset_t guards[8];
	unsigned n = gdt_stack_guards(guards, 8);

	KT_EXPECT_GE(n, 1 + IST_COUNT);
	for (unsigned i = 0; i < n; i++) {
		KT_EXPECT_EQ(pmap_kernel_prot(guards[i]), VM_PROT_NONE);
		/* ... while the stack just above each guard is there. */
		KT_EXPECT_EQ(pmap_kernel_prot(guards[i] + PAGE_SIZE),
		    VM_PROT_READ | VM_PROT_WRITE);
	}
}

KTEST(pmap, direct_map_is_read_write_no_execute)
{
	pmap_paddr_t pa;

	KT_ASSERT_EQ(vm_page_alloc_phys(&pa), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)phystokv(pa)), VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_EQ(kvtophys((vm_offset_t)phystokv(pa)), pa);
	KT_EXPECT_EQ((vm_offset_t)phystokv(pa), PHYSMAP_BASE + pa);
	vm_page_free_phys(pa);
}

KTEST(pmap, image_translates_to_its_load_address)
{
	pmap_paddr_t start, end;

	pmap_kernel_image_phys(&start, &end);
	KT_EXPECT_EQ(start, 0x100000);
	KT_EXPECT_GT(end, start);
	KT_EXPECT_EQ(kvtophys((vm_offset_t)_text_start), (vm_offset_t)_text_start - KERNEL_BASE);
	KT_EXPECT_TRUE(pmap_physmap_contains(start, end - start));
	KT_EXPECT_FALSE(pmap_physmap_contains(UINT64_MAX - 10, 100));
}
