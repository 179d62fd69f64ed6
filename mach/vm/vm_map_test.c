/*
 * vm_map_test.c - in-kernel tests of address maps, objects and the fault
 * handler, through the Mach VM interface on real user address spaces.
 *
 * Each test makes user tasks (task_create_internal) and reaches their
 * memory the way the kernel does for a system call: the test thread
 * borrows the task's map (vm_map_switch) and uses copyin and copyout, so
 * every first touch goes through a real page fault.
 */

#include "mach/vm/vm_user.h"

#include "bsd/sys/errno.h"
#include "kernel/copyio.h"
#include "kernel/kheap.h"
#include "kernel/machine/vm_param.h"
#include "libkern/panic.h"
#include "mach/kern/task.h"
#include "mach/vm/vm_fault.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/vm_page.h"
#include "mach/vm/vm_phys.h"
#include "mach/vm/vm_ktest.h"
#include "tests/ktest.h"

static task_t
fork_task(task_t parent)
{
	task_t child = TASK_NULL;

	if (task_create_internal(parent, TRUE, &child) != KERN_SUCCESS)
		panic("vm_map_test: no memory for a task");
	return child;
}

static struct vm_region_extended_info
region_ext(vm_map_t map, mach_vm_address_t addr)
{
	struct vm_region_extended_info x = { 0 };
	mach_vm_size_t size;
	mach_msg_type_number_t count = VM_REGION_EXTENDED_INFO_COUNT;

	KT_EXPECT_EQ(mach_vm_region(map, &addr, &size, VM_REGION_EXTENDED_INFO,
	    (vm_region_info_t)&x, &count, NULL), KERN_SUCCESS);
	return x;
}

static struct vm_region_basic_info_64
region_basic(vm_map_t map, mach_vm_address_t *addr, mach_vm_size_t *size)
{
	struct vm_region_basic_info_64 b = { 0 };
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;

	KT_EXPECT_EQ(mach_vm_region(map, addr, size, VM_REGION_BASIC_INFO_64,
	    (vm_region_info_t)&b, &count, NULL), KERN_SUCCESS);
	KT_EXPECT_EQ(count, VM_REGION_BASIC_INFO_COUNT_64);
	return b;
}

KTEST(vm_map, allocate_reads_zeros_and_keeps_writes)
{
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t addr = ktest_allocate(map, 3 * PAGE_SIZE);
	struct vm_fault_stats before, after;

	KT_EXPECT_TRUE(page_aligned(addr));
	KT_EXPECT_GE(addr, MACH_VM_MIN_ADDRESS);
	vm_fault_get_stats(&before);
	KT_EXPECT_EQ(ktest_peek(map, addr + PAGE_SIZE), 0);
	KT_EXPECT_EQ(ktest_poke(map, addr + 2 * PAGE_SIZE + 8, 0x1234), 0);
	KT_EXPECT_EQ(ktest_peek(map, addr + 2 * PAGE_SIZE + 8), 0x1234);
	vm_fault_get_stats(&after);
	KT_EXPECT_EQ(after.vfs_zero_fills - before.vfs_zero_fills, 2);	/* two pages touched */
	KT_EXPECT_EQ(region_ext(map, addr).pages_resident, 2);
	KT_EXPECT_EQ(vm_map_verify(map), 0);
	KT_EXPECT_EQ(mach_vm_deallocate(map, addr, 3 * PAGE_SIZE), KERN_SUCCESS);
	KT_EXPECT_EQ(pmap_resident_count(vm_map_pmap(map)), 0);
	KT_EXPECT_EQ(ktest_poke(map, addr, 1), EFAULT);
	task_deallocate(task);
}

KTEST(vm_map, fixed_placement_and_overwrite)
{
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t addr = 0x10000000, other = addr + PAGE_SIZE;

	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, 4 * PAGE_SIZE, VM_FLAGS_FIXED), KERN_SUCCESS);
	KT_EXPECT_EQ(addr, 0x10000000);
	KT_EXPECT_EQ(ktest_poke(map, addr + PAGE_SIZE, 7), 0);
	/* Taken: refused, unless it may overwrite (which gives fresh zeros). */
	KT_EXPECT_EQ(mach_vm_allocate(map, &other, PAGE_SIZE, VM_FLAGS_FIXED), KERN_NO_SPACE);
	KT_EXPECT_EQ(mach_vm_allocate(map, &other, PAGE_SIZE,
	    VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE), KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_peek(map, addr + PAGE_SIZE), 0);
	KT_EXPECT_EQ(vm_map_verify(map), 0);
	/* A hole in the middle; deallocating across it is fine. */
	KT_EXPECT_EQ(mach_vm_deallocate(map, addr + PAGE_SIZE, PAGE_SIZE), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(map), 2);
	KT_EXPECT_EQ(mach_vm_deallocate(map, addr, 4 * PAGE_SIZE), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(map), 0);
	task_deallocate(task);
}

KTEST(vm_map, bad_arguments_are_refused)
{
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t addr = 0x20000001, a2;
	mach_vm_size_t size;
	struct vm_region_basic_info_64 b;
	mach_msg_type_number_t count;

	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, PAGE_SIZE, VM_FLAGS_FIXED),
	    KERN_INVALID_ARGUMENT);				/* unaligned */
	addr = 0;
	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, ~0ULL, VM_FLAGS_ANYWHERE),
	    KERN_INVALID_ARGUMENT);				/* overflows when rounded */
	addr = 0x7ffffffff000ULL - PAGE_SIZE;
	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, ~0ULL - 0x10000, VM_FLAGS_FIXED),
	    KERN_INVALID_ARGUMENT);				/* wraps */
	addr = 0;
	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, PAGE_SIZE, VM_FLAGS_FIXED),
	    KERN_INVALID_ADDRESS);				/* page zero */
	addr = MACH_VM_MAX_ADDRESS;
	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, PAGE_SIZE, VM_FLAGS_FIXED),
	    KERN_INVALID_ADDRESS);				/* above the map */
	addr = 0xffffff0000000000ULL;
	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, PAGE_SIZE, VM_FLAGS_FIXED),
	    KERN_INVALID_ADDRESS);				/* the kernel's half */
	addr = 0;
	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, PAGE_SIZE, 0x100), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_allocate(VM_MAP_NULL, &addr, PAGE_SIZE, VM_FLAGS_ANYWHERE),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_allocate(map, &addr, 0, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	KT_EXPECT_EQ(addr, 0);

	addr = ktest_allocate(map, 2 * PAGE_SIZE);
	KT_EXPECT_EQ(mach_vm_deallocate(map, addr + 1, PAGE_SIZE), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_deallocate(map, addr, ~0ULL), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_deallocate(map, 0xffffff0000000000ULL, PAGE_SIZE),
	    KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ(mach_vm_protect(map, addr, PAGE_SIZE, FALSE, 0x40), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_protect(map, addr + 8, PAGE_SIZE, FALSE, VM_PROT_READ),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_protect(map, addr, 3 * PAGE_SIZE, FALSE, VM_PROT_READ),
	    KERN_INVALID_ADDRESS);				/* runs into a hole */
	KT_EXPECT_EQ(mach_vm_inherit(map, addr, PAGE_SIZE, 7), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_inherit(map, addr + 2 * PAGE_SIZE, PAGE_SIZE, VM_INHERIT_NONE),
	    KERN_INVALID_ADDRESS);

	a2 = addr;
	count = VM_REGION_BASIC_INFO_COUNT_64 - 1;
	KT_EXPECT_EQ(mach_vm_region(map, &a2, &size, VM_REGION_BASIC_INFO_64,
	    (vm_region_info_t)&b, &count, NULL), KERN_INVALID_ARGUMENT);
	count = VM_REGION_BASIC_INFO_COUNT_64;
	KT_EXPECT_EQ(mach_vm_region(map, &a2, &size, 77, (vm_region_info_t)&b, &count, NULL),
	    KERN_INVALID_ARGUMENT);
	a2 = addr + 2 * PAGE_SIZE;
	KT_EXPECT_EQ(mach_vm_region(map, &a2, &size, VM_REGION_BASIC_INFO_64,
	    (vm_region_info_t)&b, &count, NULL), KERN_INVALID_ADDRESS);	/* nothing above */
	KT_EXPECT_EQ(vm_map_verify(map), 0);
	KT_EXPECT_EQ(mach_vm_deallocate(map, addr, 2 * PAGE_SIZE), KERN_SUCCESS);
	task_deallocate(task);
}

KTEST(vm_map, protect_splits_entries_and_refuses_more_than_max)
{
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t addr = ktest_allocate(map, 4 * PAGE_SIZE), a;
	mach_vm_size_t size;
	struct vm_region_basic_info_64 b;

	KT_EXPECT_EQ(ktest_poke(map, addr + PAGE_SIZE, 5), 0);
	KT_EXPECT_EQ(vm_map_entry_count(map), 1);
	KT_EXPECT_EQ(mach_vm_protect(map, addr + PAGE_SIZE, PAGE_SIZE, FALSE, VM_PROT_READ),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(map), 3);		/* split around it */
	a = addr + PAGE_SIZE;
	b = region_basic(map, &a, &size);
	KT_EXPECT_EQ(a, addr + PAGE_SIZE);
	KT_EXPECT_EQ(size, PAGE_SIZE);
	KT_EXPECT_EQ(b.protection, VM_PROT_READ);
	KT_EXPECT_EQ(b.max_protection, VM_PROT_ALL);
	KT_EXPECT_EQ(ktest_poke(map, addr + PAGE_SIZE, 6), EFAULT);	/* read-only now */
	KT_EXPECT_EQ(ktest_peek(map, addr + PAGE_SIZE), 5);		/* still readable */
	KT_EXPECT_EQ(ktest_poke(map, addr + 2 * PAGE_SIZE, 6), 0);	/* its neighbours are not */

	/* Back as it was: the three merge again. */
	KT_EXPECT_EQ(mach_vm_protect(map, addr + PAGE_SIZE, PAGE_SIZE, FALSE, VM_PROT_DEFAULT),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(map), 1);
	KT_EXPECT_EQ(ktest_poke(map, addr + PAGE_SIZE, 6), 0);

	/* Lower the maximum of the first page; more than that is refused. */
	KT_EXPECT_EQ(mach_vm_protect(map, addr, PAGE_SIZE, TRUE, VM_PROT_READ), KERN_SUCCESS);
	KT_EXPECT_EQ(mach_vm_protect(map, addr, 2 * PAGE_SIZE, FALSE, VM_PROT_DEFAULT),
	    KERN_PROTECTION_FAILURE);
	a = addr + PAGE_SIZE;
	b = region_basic(map, &a, &size);
	KT_EXPECT_EQ(b.protection, VM_PROT_DEFAULT);		/* unchanged by the refusal */
	a = addr;
	b = region_basic(map, &a, &size);
	KT_EXPECT_EQ(b.max_protection, VM_PROT_READ);
	KT_EXPECT_EQ(b.protection, VM_PROT_READ);
	KT_EXPECT_EQ(ktest_poke(map, addr, 1), EFAULT);
	/* No access at all: even reads fault. */
	KT_EXPECT_EQ(mach_vm_protect(map, addr + 3 * PAGE_SIZE, PAGE_SIZE, FALSE, VM_PROT_NONE),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_peek(map, addr + 3 * PAGE_SIZE), ~0ULL);
	KT_EXPECT_EQ(vm_map_verify(map), 0);
	KT_EXPECT_EQ(mach_vm_deallocate(map, addr, 4 * PAGE_SIZE), KERN_SUCCESS);
	task_deallocate(task);
}

/* Write a recognizable pattern: one word per page. */
static void
fill(vm_map_t map, mach_vm_address_t addr, unsigned pages, uint64_t tag)
{
	for (unsigned i = 0; i < pages; i++)
		KT_EXPECT_EQ(ktest_poke(map, addr + ptoa((uint64_t)i), tag + i), 0);
}

static bool
holds(vm_map_t map, mach_vm_address_t addr, unsigned pages, uint64_t tag)
{
	for (unsigned i = 0; i < pages; i++) {
		if (ktest_peek(map, addr + ptoa((uint64_t)i)) != tag + i)
			return false;
	}
	return true;
}

KTEST(vm_map, copy_on_write_after_task_create_gives_private_copies)
{
	task_t parent = ktest_new_task(), child;
	mach_vm_address_t addr = ktest_allocate(parent->map, 4 * PAGE_SIZE);
	struct vm_fault_stats before, after;

	fill(parent->map, addr, 4, 100);
	child = fork_task(parent);
	KT_EXPECT_TRUE(holds(child->map, addr, 4, 100));	/* the child sees the data */
	KT_EXPECT_EQ(region_ext(child->map, addr).share_mode, SM_COW);

	vm_fault_get_stats(&before);
	fill(child->map, addr, 2, 200);				/* the child writes two pages */
	fill(parent->map, addr + 2 * PAGE_SIZE, 2, 300);	/* the parent two others */
	vm_fault_get_stats(&after);
	KT_EXPECT_EQ(after.vfs_cow_copies - before.vfs_cow_copies, 4);

	KT_EXPECT_EQ(ktest_peek(parent->map, addr), 100);		/* each kept its own */
	KT_EXPECT_EQ(ktest_peek(parent->map, addr + PAGE_SIZE), 101);
	KT_EXPECT_EQ(ktest_peek(child->map, addr + 2 * PAGE_SIZE), 102);
	KT_EXPECT_EQ(ktest_peek(child->map, addr + 3 * PAGE_SIZE), 103);
	KT_EXPECT_TRUE(holds(child->map, addr, 2, 200));
	KT_EXPECT_TRUE(holds(parent->map, addr + 2 * PAGE_SIZE, 2, 300));
	KT_EXPECT_EQ(region_ext(parent->map, addr).shadow_depth, 1);
	KT_EXPECT_EQ(vm_map_verify(parent->map), 0);
	KT_EXPECT_EQ(vm_map_verify(child->map), 0);
	task_deallocate(child);
	task_deallocate(parent);
}

KTEST(vm_map, shared_inheritance_shows_writes_across)
{
	task_t parent = ktest_new_task(), child;
	mach_vm_address_t shared = ktest_allocate(parent->map, 2 * PAGE_SIZE);
	mach_vm_address_t none = ktest_allocate(parent->map, PAGE_SIZE), a;
	mach_vm_size_t size;
	struct vm_region_basic_info_64 b;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;

	KT_EXPECT_EQ(mach_vm_inherit(parent->map, shared, 2 * PAGE_SIZE, VM_INHERIT_SHARE),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(mach_vm_inherit(parent->map, none, PAGE_SIZE, VM_INHERIT_NONE),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_poke(parent->map, shared, 1), 0);
	child = fork_task(parent);
	KT_EXPECT_EQ(ktest_peek(child->map, shared), 1);
	KT_EXPECT_EQ(ktest_poke(child->map, shared, 2), 0);		/* the child writes ... */
	KT_EXPECT_EQ(ktest_peek(parent->map, shared), 2);		/* ... the parent sees it */
	KT_EXPECT_EQ(ktest_poke(parent->map, shared + PAGE_SIZE, 3), 0);
	KT_EXPECT_EQ(ktest_peek(child->map, shared + PAGE_SIZE), 3);	/* and back */
	KT_EXPECT_EQ(region_ext(child->map, shared).share_mode, SM_SHARED);
	/* The NONE range is not in the child at all (and nothing is above it). */
	KT_EXPECT_EQ(ktest_peek(child->map, none), ~0ULL);
	a = none;
	KT_EXPECT_EQ(mach_vm_region(child->map, &a, &size, VM_REGION_BASIC_INFO_64,
	    (vm_region_info_t)&b, &count, NULL), KERN_INVALID_ADDRESS);
	task_deallocate(child);
	task_deallocate(parent);
}

KTEST(vm_map, shadows_nobody_needs_are_collapsed)
{
	task_t parent = ktest_new_task(), child;
	mach_vm_address_t addr = ktest_allocate(parent->map, 3 * PAGE_SIZE);
	struct vm_object_stats before, after;

	fill(parent->map, addr, 3, 10);
	child = fork_task(parent);
	KT_EXPECT_EQ(ktest_poke(parent->map, addr, 20), 0);		/* the parent's own shadow */
	KT_EXPECT_EQ(region_ext(parent->map, addr).shadow_depth, 1);
	task_deallocate(child);					/* nobody else needs it now */
	vm_object_get_stats(&before);
	KT_EXPECT_EQ(ktest_poke(parent->map, addr + PAGE_SIZE, 21), 0);	/* the next fault collapses */
	vm_object_get_stats(&after);
	KT_EXPECT_EQ(after.vos_collapses - before.vos_collapses, 1);
	KT_EXPECT_EQ(region_ext(parent->map, addr).shadow_depth, 0);
	KT_EXPECT_EQ(region_ext(parent->map, addr).pages_resident, 3);
	KT_EXPECT_EQ(ktest_peek(parent->map, addr), 20);
	KT_EXPECT_EQ(ktest_peek(parent->map, addr + PAGE_SIZE), 21);
	KT_EXPECT_EQ(ktest_peek(parent->map, addr + 2 * PAGE_SIZE), 12);
	task_deallocate(parent);
}

KTEST(vm_map, a_task_that_forks_again_and_again_keeps_short_chains)
{
	task_t parent = ktest_new_task(), child;
	mach_vm_address_t addr = ktest_allocate(parent->map, PAGE_SIZE);
	struct vm_object_stats before, after;

	KT_EXPECT_EQ(ktest_poke(parent->map, addr, 1), 0);
	vm_object_get_stats(&before);
	/*
	 * As a shell does: fork, write to a page already resident (no new
	 * fault in that entry after the child has gone), the child exits.
	 */
	for (int i = 0; i < 20; i++) {
		child = fork_task(parent);
		KT_EXPECT_EQ(ktest_poke(parent->map, addr, 100 + i), 0);
		KT_EXPECT_EQ(ktest_peek(child->map, addr), i == 0 ? 1 : 99 + i);
		task_deallocate(child);
	}
	KT_EXPECT_LE(region_ext(parent->map, addr).shadow_depth, 1);
	KT_EXPECT_EQ(ktest_peek(parent->map, addr), 119);
	vm_object_get_stats(&after);
	KT_EXPECT_LE(after.vos_objects - before.vos_objects, 1);
	task_deallocate(parent);
}

KTEST(vm_map, forks_of_forks_keep_every_generation_apart)
{
	task_t a = ktest_new_task(), b, c;
	mach_vm_address_t addr = ktest_allocate(a->map, PAGE_SIZE);

	KT_EXPECT_EQ(ktest_poke(a->map, addr, 1), 0);
	b = fork_task(a);
	KT_EXPECT_EQ(ktest_poke(b->map, addr, 2), 0);
	c = fork_task(b);
	KT_EXPECT_EQ(ktest_poke(a->map, addr, 3), 0);
	KT_EXPECT_EQ(ktest_peek(c->map, addr), 2);
	KT_EXPECT_EQ(ktest_poke(c->map, addr, 4), 0);
	KT_EXPECT_EQ(ktest_peek(a->map, addr), 3);
	KT_EXPECT_EQ(ktest_peek(b->map, addr), 2);
	KT_EXPECT_EQ(ktest_peek(c->map, addr), 4);
	task_deallocate(b);
	KT_EXPECT_EQ(ktest_peek(c->map, addr), 4);
	KT_EXPECT_EQ(ktest_peek(a->map, addr), 3);
	task_deallocate(c);
	task_deallocate(a);
}

KTEST(vm_map, named_entries_let_two_tasks_share_memory)
{
	task_t a = ktest_new_task(), b = ktest_new_task();
	mach_vm_address_t addr = ktest_allocate(a->map, 2 * PAGE_SIZE), in_b = 0, snap = 0;
	memory_object_size_t size = 2 * PAGE_SIZE;
	vm_named_entry_t ne, ro;

	KT_EXPECT_EQ(ktest_poke(a->map, addr, 11), 0);
	KT_ASSERT_EQ(mach_make_memory_entry_64(a->map, &size, addr, VM_PROT_DEFAULT, &ne, NULL),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(size, 2 * PAGE_SIZE);
	KT_EXPECT_EQ(mach_vm_map_kernel(b->map, &in_b, size, 0, VM_FLAGS_ANYWHERE, ne, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_SHARE), KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_peek(b->map, in_b), 11);
	KT_EXPECT_EQ(ktest_poke(b->map, in_b + PAGE_SIZE, 12), 0);
	KT_EXPECT_EQ(ktest_peek(a->map, addr + PAGE_SIZE), 12);	/* b's write, seen by a */
	KT_EXPECT_EQ(ktest_poke(a->map, addr, 13), 0);
	KT_EXPECT_EQ(ktest_peek(b->map, in_b), 13);			/* and a's by b */
	KT_EXPECT_EQ(region_ext(b->map, in_b).share_mode, SM_TRUESHARED);

	/* A copy is a snapshot: later writes do not reach it. */
	KT_EXPECT_EQ(mach_vm_map_kernel(b->map, &snap, size, 0, VM_FLAGS_ANYWHERE, ne, 0, TRUE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_COPY), KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_poke(a->map, addr, 14), 0);
	KT_EXPECT_EQ(ktest_peek(b->map, snap), 13);

	/* A read-only sub-entry cannot be mapped writable. */
	size = PAGE_SIZE;
	KT_ASSERT_EQ(mach_make_memory_entry_64(VM_MAP_NULL, &size, PAGE_SIZE, VM_PROT_READ, &ro,
	    ne), KERN_SUCCESS);
	in_b = 0;
	KT_EXPECT_EQ(mach_vm_map_kernel(b->map, &in_b, PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, ro, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_SHARE), KERN_PROTECTION_FAILURE);
	KT_EXPECT_EQ(mach_vm_map_kernel(b->map, &in_b, PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, ro, 0, FALSE,
	    VM_PROT_READ, VM_PROT_READ, VM_INHERIT_SHARE), KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_peek(b->map, in_b), 12);
	KT_EXPECT_EQ(ktest_poke(b->map, in_b, 1), EFAULT);
	/* More than the entry holds, or rights its mapping lacks: refused. */
	KT_EXPECT_EQ(mach_vm_map_kernel(b->map, &in_b, 3 * PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, ne, 0,
	    FALSE, VM_PROT_READ, VM_PROT_READ, VM_INHERIT_SHARE), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_protect(a->map, addr, 2 * PAGE_SIZE, TRUE, VM_PROT_READ),
	    KERN_SUCCESS);
	size = PAGE_SIZE;
	KT_EXPECT_EQ(mach_make_memory_entry_64(a->map, &size, addr, VM_PROT_DEFAULT, &ro, NULL),
	    KERN_PROTECTION_FAILURE);
	mach_memory_entry_deallocate(ro);
	mach_memory_entry_deallocate(ne);
	/* The memory lives on in the mappings. */
	KT_EXPECT_EQ(ktest_peek(b->map, snap + PAGE_SIZE), 12);
	task_deallocate(a);
	KT_EXPECT_EQ(ktest_peek(b->map, snap), 13);
	task_deallocate(b);
}

KTEST(vm_map, a_created_named_entry_is_shared_from_the_start)
{
	task_t a = ktest_new_task(), b = ktest_new_task();
	memory_object_size_t size = 3 * PAGE_SIZE + 1;
	mach_vm_address_t in_a = 0, in_b = 0;
	vm_named_entry_t ne;

	KT_ASSERT_EQ(mach_make_memory_entry_64(VM_MAP_NULL, &size, 0,
	    VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &ne, NULL), KERN_SUCCESS);
	KT_EXPECT_EQ(size, 4 * PAGE_SIZE);
	KT_EXPECT_EQ(mach_vm_map_kernel(a->map, &in_a, size, 0, VM_FLAGS_ANYWHERE, ne, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_SHARE), KERN_SUCCESS);
	KT_EXPECT_EQ(mach_vm_map_kernel(b->map, &in_b, PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, ne,
	    3 * PAGE_SIZE, FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_SHARE),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_poke(b->map, in_b, 99), 0);
	KT_EXPECT_EQ(ktest_peek(a->map, in_a + 3 * PAGE_SIZE), 99);
	size = 0;
	KT_EXPECT_EQ(mach_make_memory_entry_64(VM_MAP_NULL, &size, 0,
	    VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &ne, NULL), KERN_INVALID_ARGUMENT);
	mach_memory_entry_deallocate(ne);
	task_deallocate(a);
	task_deallocate(b);
}

/* How often the page mapped at addr is wired; -1 if none is mapped. */
static int
wire_count_at(vm_map_t map, mach_vm_address_t addr)
{
	ppnum_t pn = pmap_find_phys(vm_map_pmap(map), addr);

	return pn == 0 ? -1 : vm_page_lookup_phys(ptoa((pmap_paddr_t)pn))->vmp_wire_count;
}

KTEST(vm_map, wiring_keeps_pages_and_failing_gives_everything_back)
{
	struct vm_page_stats before, after;
	struct kheap_stats heap_before, heap_after;
	task_t task, child;
	vm_map_t map;
	mach_vm_address_t addr, big;
	mach_vm_size_t huge = ptoa(vm_phys_free_pages(&vm_phys_kernel)) + 16 * PAGE_SIZE;

	/*
	 * Once first, unmeasured: wiring more than there is grows the zones'
	 * page metadata in the kernel heap, which never shrinks (by design),
	 * and whether it must grow depends on what the heap held before. What
	 * the measured round takes must all come back.
	 */
	task = ktest_new_task();
	big = ktest_allocate(task->map, huge);
	KT_EXPECT_EQ(mach_vm_wire(task->map, big, huge, VM_PROT_READ), KERN_RESOURCE_SHORTAGE);
	KT_EXPECT_EQ(mach_vm_deallocate(task->map, big, huge), KERN_SUCCESS);
	task_deallocate(task);

	zone_gc();
	vm_page_get_stats(&before);
	kheap_get_stats(&kernel_heap, &heap_before);
	task = ktest_new_task();
	map = task->map;
	addr = ktest_allocate(map, 4 * PAGE_SIZE);
	KT_EXPECT_EQ(mach_vm_wire(map, addr, 4 * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE),
	    KERN_SUCCESS);
	for (unsigned i = 0; i < 4; i++)
		KT_EXPECT_EQ(wire_count_at(map, addr + ptoa((uint64_t)i)), 1);
	KT_EXPECT_EQ(ktest_poke(map, addr, 5), 0);

	/* A wired range is copied at once into a child, and stays wired here. */
	child = fork_task(task);
	KT_EXPECT_EQ(ktest_peek(child->map, addr), 5);
	KT_EXPECT_EQ(ktest_poke(child->map, addr, 6), 0);
	KT_EXPECT_EQ(ktest_peek(map, addr), 5);
	KT_EXPECT_EQ(wire_count_at(map, addr), 1);
	task_deallocate(child);

	KT_EXPECT_EQ(mach_vm_wire(map, addr, 4 * PAGE_SIZE, VM_PROT_NONE), KERN_SUCCESS);
	for (unsigned i = 0; i < 4; i++)
		KT_EXPECT_EQ(wire_count_at(map, addr + ptoa((uint64_t)i)), 0);
	KT_EXPECT_EQ(mach_vm_wire(map, addr, 4 * PAGE_SIZE, VM_PROT_NONE), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(mach_vm_protect(map, addr, PAGE_SIZE, FALSE, VM_PROT_READ), KERN_SUCCESS);
	KT_EXPECT_EQ(mach_vm_wire(map, addr, PAGE_SIZE, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);

	/* More than there is: refused, and every page it wired is unwired. */
	big = ktest_allocate(map, huge);
	KT_EXPECT_EQ(mach_vm_wire(map, big, huge, VM_PROT_READ), KERN_RESOURCE_SHORTAGE);
	KT_EXPECT_EQ(wire_count_at(map, big), 0);
	KT_EXPECT_EQ(mach_vm_deallocate(map, big, huge), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_verify(map), 0);
	task_deallocate(task);
	zone_gc();
	vm_page_get_stats(&after);
	kheap_get_stats(&kernel_heap, &heap_after);
	/*
	 * Wiring maps pages, and their pv entries may grow a zone into a new
	 * kernel-heap arena, which the heap keeps when it empties again (by
	 * design: only large blocks go back). Those pages are the heap's, not
	 * a leak of the wiring.
	 */
	KT_EXPECT_EQ(after.vps_wired - atop(heap_after.khs_arena_bytes),
	    before.vps_wired - atop(heap_before.khs_arena_bytes));
}

KTEST(vm_map, a_fault_without_memory_fails_cleanly)
{
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	uint64_t free_pages = vm_phys_free_pages(&vm_phys_kernel);
	mach_vm_size_t huge = ptoa(free_pages) + 64 * PAGE_SIZE;
	mach_vm_address_t addr = ktest_allocate(map, huge);
	kern_return_t kr = KERN_SUCCESS;
	mach_vm_address_t va;

	/* Touch page after page until memory runs out. */
	for (va = addr; va < addr + huge && kr == KERN_SUCCESS; va += PAGE_SIZE)
		kr = vm_fault(map, va, VM_PROT_WRITE, FALSE, THREAD_UNINT, PMAP_NULL, 0);
	KT_EXPECT_EQ(kr, KERN_RESOURCE_SHORTAGE);
	KT_EXPECT_EQ(mach_vm_deallocate(map, addr, huge), KERN_SUCCESS);
	task_deallocate(task);
}

KTEST(vm_map, kernel_threads_have_no_user_memory)
{
	task_t task = ktest_new_task();
	mach_vm_address_t addr = ktest_allocate(task->map, PAGE_SIZE);
	uint64_t v = 1;
	char buf[8];
	vm_size_t done;

	KT_EXPECT_EQ(ktest_poke(task->map, addr, 42), 0);
	/* The task's pmap may still be loaded here; the kernel thread still has no access. */
	KT_EXPECT_EQ(copyin(addr, &v, sizeof(v)), EFAULT);
	KT_EXPECT_EQ(copyout(&v, addr, sizeof(v)), EFAULT);
	KT_EXPECT_EQ(copyinstr(addr, buf, sizeof(buf), &done), EFAULT);
	KT_EXPECT_EQ(copyin(0xffffffff80000000ULL, &v, sizeof(v)), EFAULT);
	task_deallocate(task);
}

KTEST(vm_map, copyinstr_stops_at_the_nul_or_the_limit)
{
	task_t task = ktest_new_task();
	vm_map_t map = task->map, old;
	mach_vm_address_t addr = ktest_allocate(map, 2 * PAGE_SIZE);
	char buf[16];
	vm_size_t done;

	old = vm_map_switch(map);
	KT_EXPECT_EQ(copyout("machina", addr, 8), 0);
	KT_EXPECT_EQ(copyinstr(addr, buf, sizeof(buf), &done), 0);
	KT_EXPECT_EQ(done, 8);
	KT_EXPECT_EQ(strcmp(buf, "machina"), 0);
	KT_EXPECT_EQ(copyinstr(addr, buf, 4, &done), ENAMETOOLONG);
	KT_EXPECT_EQ(done, 4);
	/* A string running into a page that is not readable. */
	KT_EXPECT_EQ(copyout("abcd", addr + PAGE_SIZE - 4, 4), 0);
	(void)vm_map_switch(old);
	KT_EXPECT_EQ(mach_vm_protect(map, addr + PAGE_SIZE, PAGE_SIZE, FALSE, VM_PROT_NONE),
	    KERN_SUCCESS);
	old = vm_map_switch(map);
	KT_EXPECT_EQ(copyinstr(addr + PAGE_SIZE - 4, buf, sizeof(buf), &done), EFAULT);
	KT_EXPECT_EQ(copyin(addr + PAGE_SIZE - 4, buf, 8), EFAULT);
	KT_EXPECT_EQ(copyin(MACH_VM_MAX_ADDRESS + PAGE_SIZE - 4, buf, 8), EFAULT);
	(void)vm_map_switch(old);
	task_deallocate(task);
}

KTEST(vm_map, many_entries_stay_ordered_and_verified)
{
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t base = ktest_allocate(map, 256 * PAGE_SIZE);

	/* Alternate protections split it into 256 entries; undoing merges them. */
	for (unsigned i = 0; i < 256; i += 2)
		KT_EXPECT_EQ(mach_vm_protect(map, base + ptoa((uint64_t)i), PAGE_SIZE, FALSE,
		    VM_PROT_READ), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(map), 256);
	KT_EXPECT_EQ(vm_map_verify(map), 0);
	KT_EXPECT_EQ(mach_vm_protect(map, base, 256 * PAGE_SIZE, FALSE, VM_PROT_DEFAULT),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(map), 1);
	KT_EXPECT_EQ(mach_vm_deallocate(map, base, 256 * PAGE_SIZE), KERN_SUCCESS);
	task_deallocate(task);
}

/*
 * Copies and counts cost what is resident, not how large the range is: a
 * copy of a 64 GiB named entry holding two pages, and vm_region over it,
 * are immediate.
 */
KTEST(vm_map, huge_sparse_ranges_are_copied_and_counted_by_what_is_resident)
{
	task_t a = ktest_new_task();
	memory_object_size_t size = 64ULL << 30;
	mach_vm_address_t in_a = 0, snap = 0;
	vm_named_entry_t ne;

	KT_ASSERT_EQ(mach_make_memory_entry_64(VM_MAP_NULL, &size, 0,
	    VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &ne, NULL), KERN_SUCCESS);
	KT_EXPECT_EQ(mach_vm_map_kernel(a->map, &in_a, size, 0, VM_FLAGS_ANYWHERE, ne, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_SHARE), KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_poke(a->map, in_a + 5 * PAGE_SIZE, 55), 0);
	KT_EXPECT_EQ(ktest_poke(a->map, in_a + size - PAGE_SIZE, 66), 0);
	KT_EXPECT_EQ(region_ext(a->map, in_a).pages_resident, 2);
	KT_EXPECT_EQ(mach_vm_map_kernel(a->map, &snap, size, 0, VM_FLAGS_ANYWHERE, ne, 0, TRUE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_COPY), KERN_SUCCESS);
	KT_EXPECT_EQ(region_ext(a->map, snap).pages_resident, 2);
	KT_EXPECT_EQ(ktest_peek(a->map, snap + 5 * PAGE_SIZE), 55);
	KT_EXPECT_EQ(ktest_peek(a->map, snap + size - PAGE_SIZE), 66);
	KT_EXPECT_EQ(ktest_peek(a->map, snap + PAGE_SIZE), 0);
	mach_memory_entry_deallocate(ne);
	task_deallocate(a);
}
