/*
 * pmap_test.c - the kernel's page tables give each part of the image the
 * protection it should have, and nothing else is mapped by accident; user
 * pmaps do what the VM system asks, and reach every mapping of a page.
 */

#include "mach/vm/pmap.h"

#include "kernel/startup.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/vm_param.h"
#include "mach/vm/vm_object.h"
#include "mach/vm/vm_page.h"
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

/* A user pmap: enter, extract, protect, remove, and its destruction. */
KTEST(pmap, a_user_pmap_enters_protects_and_removes)
{
	pmap_t pmap = pmap_create();
	struct vm_page *m = vm_page_grab_zeroed(VM_PAGE_USE_KERNEL);
	vm_offset_t va = 0x7f0000001000UL;

	KT_ASSERT_TRUE(pmap != PMAP_NULL && m != NULL);
	KT_EXPECT_EQ(pmap_enter(pmap, va, m->vmp_phys_page, VM_PROT_READ | VM_PROT_WRITE, 0),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_extract(pmap, va + 0x123), vm_page_to_phys(m) + 0x123);
	KT_EXPECT_EQ(pmap_find_phys(pmap, va), m->vmp_phys_page);
	KT_EXPECT_EQ(pmap_resident_count(pmap), 1);
	/* Not in the kernel pmap, nor at the same address in another. */
	KT_EXPECT_EQ(pmap_find_phys(kernel_pmap, va), 0);
	pmap_protect(pmap, va, va + PAGE_SIZE, VM_PROT_READ);
	KT_EXPECT_EQ(pmap_find_phys(pmap, va), m->vmp_phys_page);
	pmap_remove(pmap, va, va + PAGE_SIZE);
	KT_EXPECT_EQ(pmap_extract(pmap, va), 0);
	KT_EXPECT_EQ(pmap_resident_count(pmap), 0);
	/* Bad requests: unaligned, kernel half, no rights. */
	KT_EXPECT_EQ(pmap_enter(pmap, va + 8, m->vmp_phys_page, VM_PROT_READ, 0),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(pmap_enter(pmap, KERNEL_BASE, m->vmp_phys_page, VM_PROT_READ, 0),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(pmap_enter(pmap, va, m->vmp_phys_page, VM_PROT_NONE, 0),
	    KERN_INVALID_ARGUMENT);
	/* What is still mapped goes with the pmap. */
	KT_EXPECT_EQ(pmap_enter(pmap, va, m->vmp_phys_page, VM_PROT_READ, 0), KERN_SUCCESS);
	pmap_destroy(pmap);
	vm_page_release(m);
}

/*
 * An object page mapped in two pmaps: pmap_page_protect reaches both, to
 * take write away and then every mapping.
 */
KTEST(pmap, page_protect_reaches_every_mapping)
{
	pmap_t a = pmap_create(), b = pmap_create();
	vm_object_t object = vm_object_allocate(PAGE_SIZE);
	struct vm_page *m = vm_page_grab_zeroed(VM_PAGE_USE_OBJECT);
	vm_offset_t va = 0x10000000UL;

	KT_ASSERT_TRUE(a != PMAP_NULL && b != PMAP_NULL && object != NULL && m != NULL);
	vm_object_lock(object);
	vm_object_page_insert(object, m, 0);
	vm_object_unlock(object);
	KT_EXPECT_EQ(pmap_enter(a, va, m->vmp_phys_page, VM_PROT_DEFAULT, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_enter(b, va + PAGE_SIZE, m->vmp_phys_page, VM_PROT_DEFAULT, 0),
	    KERN_SUCCESS);
	KT_EXPECT_TRUE(pmap_page_is_mapped(m->vmp_phys_page));
	pmap_page_protect(m->vmp_phys_page, VM_PROT_READ);
	KT_EXPECT_EQ(pmap_find_phys(a, va), m->vmp_phys_page);		/* still there ... */
	KT_EXPECT_EQ(pmap_find_phys(b, va + PAGE_SIZE), m->vmp_phys_page);
	pmap_disconnect(m->vmp_phys_page);
	KT_EXPECT_EQ(pmap_find_phys(a, va), 0);				/* ... now gone */
	KT_EXPECT_EQ(pmap_find_phys(b, va + PAGE_SIZE), 0);
	KT_EXPECT_FALSE(pmap_page_is_mapped(m->vmp_phys_page));
	KT_EXPECT_EQ(pmap_resident_count(a) + pmap_resident_count(b), 0);
	pmap_destroy(a);
	pmap_destroy(b);
	vm_object_deallocate(object);
}

/*
 * pmap_pv_count (debug.pmap.pv_*) follows every way a mapping of an
 * object page comes and goes: entered, entered again, replaced by
 * another page or by a page that is not tracked, protected, removed,
 * and destroyed with its pmap; what is not an object page has none.
 */
KTEST(pmap, pv_count_follows_every_mapping_of_an_object_page)
{
	pmap_t a = pmap_create(), b = pmap_create();
	vm_object_t object = vm_object_allocate(2 * PAGE_SIZE);
	struct vm_page *p1 = vm_page_grab_zeroed(VM_PAGE_USE_OBJECT);
	struct vm_page *p2 = vm_page_grab_zeroed(VM_PAGE_USE_OBJECT);
	struct vm_page *k = vm_page_grab_zeroed(VM_PAGE_USE_KERNEL);
	vm_offset_t va = 0x20000000UL;

	KT_ASSERT_TRUE(a != PMAP_NULL && b != PMAP_NULL && object != NULL);
	KT_ASSERT_TRUE(p1 != NULL && p2 != NULL && k != NULL);
	vm_object_lock(object);
	vm_object_page_insert(object, p1, 0);
	vm_object_page_insert(object, p2, PAGE_SIZE);
	vm_object_unlock(object);
	KT_EXPECT_EQ(pmap_pv_count(a), 0);
	KT_EXPECT_EQ(pmap_enter(a, va, p1->vmp_phys_page, VM_PROT_DEFAULT, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_pv_count(a), 1);
	KT_EXPECT_EQ(pmap_enter(a, va, p1->vmp_phys_page, VM_PROT_READ, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_pv_count(a), 1);				/* the same page again */
	KT_EXPECT_EQ(pmap_enter(a, va, p2->vmp_phys_page, VM_PROT_DEFAULT, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_pv_count(a), 1);				/* replaced */
	KT_EXPECT_FALSE(pmap_page_is_mapped(p1->vmp_phys_page));
	KT_EXPECT_EQ(pmap_enter(a, va, k->vmp_phys_page, VM_PROT_DEFAULT, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_pv_count(a), 0);				/* not tracked */
	KT_EXPECT_FALSE(pmap_page_is_mapped(p2->vmp_phys_page));
	KT_EXPECT_EQ(pmap_enter(a, va + PAGE_SIZE, p1->vmp_phys_page, VM_PROT_DEFAULT, 0),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_enter(a, va + 2 * PAGE_SIZE, p2->vmp_phys_page, VM_PROT_DEFAULT, 0),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_enter(b, va, p1->vmp_phys_page, VM_PROT_DEFAULT, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_pv_count(a), 2);
	KT_EXPECT_EQ(pmap_pv_count(b), 1);
	pmap_protect(a, va, va + 3 * PAGE_SIZE, VM_PROT_READ);
	KT_EXPECT_EQ(pmap_pv_count(a), 2);
	pmap_protect(a, va + 2 * PAGE_SIZE, va + 3 * PAGE_SIZE, VM_PROT_NONE);
	KT_EXPECT_EQ(pmap_pv_count(a), 1);
	KT_EXPECT_EQ(pmap_resident_count(a), 2);
	pmap_remove(a, va, va + 2 * PAGE_SIZE);
	KT_EXPECT_EQ(pmap_pv_count(a), 0);
	KT_EXPECT_EQ(pmap_resident_count(a), 0);
	pmap_destroy(b);						/* takes its pv entry along */
	KT_EXPECT_FALSE(pmap_page_is_mapped(p1->vmp_phys_page));
	KT_EXPECT_FALSE(pmap_page_is_mapped(p2->vmp_phys_page));
	pmap_destroy(a);
	vm_page_release(k);
	vm_object_deallocate(object);
}
