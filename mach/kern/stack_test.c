/*
 * stack_test.c - kernel stacks come guarded, and freed ones are kept
 * mapped for reuse up to STACK_CACHE_MAX, then given back (stack.h).
 */

#include "mach/kern/stack.h"

#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "tests/ktest.h"

KTEST(stack, a_stack_is_mapped_above_an_unmapped_guard)
{
	vm_offset_t s;

	KT_ASSERT_EQ(stack_alloc(&s), KERN_SUCCESS);
	KT_EXPECT_EQ(s & PAGE_MASK, 0);
	KT_EXPECT_EQ(pmap_kernel_prot(s - PAGE_SIZE), VM_PROT_NONE);
	for (vm_offset_t p = s; p < s + KERNEL_STACK_SIZE; p += PAGE_SIZE)
		KT_EXPECT_EQ(pmap_kernel_prot(p), VM_PROT_READ | VM_PROT_WRITE);
	stack_free(s);
}

KTEST(stack, a_freed_stack_is_kept_mapped_and_handed_out_again)
{
	vm_offset_t s, again;

	stack_collect();
	KT_ASSERT_EQ(stack_alloc(&s), KERN_SUCCESS);
	stack_free(s);
	KT_EXPECT_GE(stack_cache_count(), 1);
	/* Still mapped, guard and all: nothing was unmapped, nothing to shoot down. */
	KT_EXPECT_EQ(pmap_kernel_prot(s), VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_EQ(pmap_kernel_prot(s - PAGE_SIZE), VM_PROT_NONE);
	KT_ASSERT_EQ(stack_alloc(&again), KERN_SUCCESS);
	KT_EXPECT_EQ(again, s);		/* the last one freed comes first */
	stack_free(again);
	stack_collect();
	KT_EXPECT_EQ(stack_cache_count(), 0);
	KT_EXPECT_EQ(pmap_kernel_prot(s), VM_PROT_NONE);	/* given back */
}

KTEST(stack, the_free_list_stops_at_its_limit)
{
	vm_offset_t s[STACK_CACHE_MAX + 2];

	stack_collect();
	for (unsigned i = 0; i < STACK_CACHE_MAX + 2; i++)
		KT_ASSERT_EQ(stack_alloc(&s[i]), KERN_SUCCESS);
	for (unsigned i = 0; i < STACK_CACHE_MAX + 2; i++)
		stack_free(s[i]);
	KT_EXPECT_EQ(stack_cache_count(), STACK_CACHE_MAX);
	/* The two freed last found the list full and were unmapped. */
	KT_EXPECT_EQ(pmap_kernel_prot(s[STACK_CACHE_MAX + 1]), VM_PROT_NONE);
	KT_EXPECT_EQ(pmap_kernel_prot(s[0]), VM_PROT_READ | VM_PROT_WRITE);
	stack_collect();
}
