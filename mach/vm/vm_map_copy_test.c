/*
 * vm_map_copy_test.c - in-kernel tests of vm_map_copy: copies between two
 * user tasks' maps, as out-of-line IPC memory and vm_read/vm_write move
 * them.
 *
 * Memory is filled and checked the way a system call of the task would
 * touch it (the test thread borrows the map: vm_map_switch, then copyin
 * and copyout), so every first touch is a real fault. Copy-on-write is
 * proven by counts: the fault handler's page copies (vfs_cow_copies) and
 * the pages resident in objects, which a copy must not change before
 * someone writes.
 */

#include "mach/vm/vm_map_copy.h"

#include "kernel/copyio.h"
#include "kernel/machine/vm_param.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/task.h"
#include "mach/vm/vm_fault.h"
#include "mach/vm/vm_user.h"
#include "mach/vm/vm_ktest.h"
#include "tests/ktest.h"

/* The test pattern: byte i of a fill with seed. */
static uint8_t
pattern(unsigned seed, uint64_t i)
{
	return (uint8_t)(seed * 31 + i * 7 + (i >> 12) * 13);
}

/* Fill [addr, addr + len) of map with the pattern, its index starting at first. */
static void
fill(vm_map_t map, mach_vm_address_t addr, mach_vm_size_t len, unsigned seed, uint64_t first)
{
	uint8_t *buf = kalloc(PAGE_SIZE);
	vm_map_t old = vm_map_switch(map);

	KT_ASSERT_TRUE(buf != NULL);
	for (mach_vm_size_t done = 0; done < len; ) {
		mach_vm_size_t n = MIN(PAGE_SIZE, len - done);

		for (mach_vm_size_t i = 0; i < n; i++)
			buf[i] = pattern(seed, first + done + i);
		KT_EXPECT_EQ(copyout(buf, addr + done, n), 0);
		done += n;
	}
	(void)vm_map_switch(old);
	kfree(buf, PAGE_SIZE);
}

/* Does [addr, addr + len) of map hold the pattern? */
static boolean_t
holds(vm_map_t map, mach_vm_address_t addr, mach_vm_size_t len, unsigned seed, uint64_t first)
{
	uint8_t *buf = kalloc(PAGE_SIZE);
	vm_map_t old = vm_map_switch(map);
	boolean_t ok = buf != NULL;

	for (mach_vm_size_t done = 0; ok && done < len; ) {
		mach_vm_size_t n = MIN(PAGE_SIZE, len - done);

		ok = copyin(addr + done, buf, n) == 0;
		for (mach_vm_size_t i = 0; ok && i < n; i++)
			ok = buf[i] == pattern(seed, first + done + i);
		done += n;
	}
	(void)vm_map_switch(old);
	kfree(buf, PAGE_SIZE);
	return ok;
}

static uint64_t
cow_copies(void)
{
	struct vm_fault_stats s;

	vm_fault_get_stats(&s);
	return s.vfs_cow_copies;
}

static struct vm_object_stats
object_stats(void)
{
	struct vm_object_stats s;

	vm_object_get_stats(&s);
	return s;
}

static uint64_t
live_copies(void)
{
	struct vm_map_copy_stats s;

	vm_map_copy_get_stats(&s);
	return s.vmcs_live;
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

KTEST(vm_map_copy, small_copies_are_kernel_buffers)
{
	task_t a = ktest_new_task(), b = ktest_new_task();
	mach_vm_address_t src = ktest_allocate(a->map, 2 * PAGE_SIZE), dst = 1;
	struct vm_map_copy_stats before, held, after;
	vm_map_copy_t copy;

	fill(a->map, src + 0x123, 300, 1, 0);
	vm_map_copy_get_stats(&before);
	KT_ASSERT_EQ(vm_map_copyin(a->map, src + 0x123, 300, FALSE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(copy->cpy_type, VM_MAP_COPY_KERNEL_BUFFER);
	KT_EXPECT_EQ(vm_map_copy_size(copy), 300);
	vm_map_copy_get_stats(&held);
	KT_EXPECT_EQ(held.vmcs_live, before.vmcs_live + 1);
	KT_EXPECT_EQ(held.vmcs_kbuf_bytes, before.vmcs_kbuf_bytes + 300);
	/* The sender writes after sending: the copy keeps what was sent. */
	fill(a->map, src + 0x123, 300, 2, 0);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(page_aligned(dst));
	KT_EXPECT_TRUE(holds(b->map, dst, 300, 1, 0));
	KT_EXPECT_TRUE(holds(a->map, src + 0x123, 300, 2, 0));
	KT_EXPECT_EQ(ktest_peek(b->map, dst + 300), 0);	/* the rest of the page is zeros */
	vm_map_copy_get_stats(&after);
	KT_EXPECT_EQ(after.vmcs_live, before.vmcs_live);
	KT_EXPECT_EQ(after.vmcs_kbuf_bytes, before.vmcs_kbuf_bytes);
	/* A whole-page small copy too: the page's bytes, and nothing shared. */
	KT_ASSERT_EQ(vm_map_copyin(a->map, src, 2 * PAGE_SIZE, FALSE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(copy->cpy_type, VM_MAP_COPY_KERNEL_BUFFER);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst + 0x123, 300, 2, 0));
	KT_EXPECT_EQ(vm_map_verify(a->map), 0);
	KT_EXPECT_EQ(vm_map_verify(b->map), 0);
	task_deallocate(a);
	task_deallocate(b);
}

KTEST(vm_map_copy, large_copies_are_copy_on_write)
{
	enum { N = 64 };
	struct vm_object_stats objs0 = object_stats(), objs1, objs2;
	task_t a = ktest_new_task(), b = ktest_new_task();
	mach_vm_size_t size = ptoa((uint64_t)N);
	mach_vm_address_t src = ktest_allocate(a->map, size), dst = 0;
	uint64_t cow0;
	vm_map_copy_t copy;

	fill(a->map, src, size, 3, 0);
	cow0 = cow_copies();
	objs1 = object_stats();
	KT_ASSERT_EQ(vm_map_copyin(a->map, src, size, FALSE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(copy->cpy_type, VM_MAP_COPY_ENTRY_LIST);
	KT_EXPECT_EQ(copy->cpy_entries->vmce_size, size);
	KT_EXPECT_EQ(region_ext(a->map, src).share_mode, SM_COW);
	/* The sender writes one page before the copy is received. */
	KT_EXPECT_EQ(ktest_poke(a->map, src + 5 * PAGE_SIZE, 0xdead), 0);
	KT_EXPECT_EQ(cow_copies() - cow0, 1);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(page_aligned(dst));
	KT_EXPECT_TRUE(holds(b->map, dst, size, 3, 0));	/* page 5 as sent */
	/* Reading it all copied nothing: the pages are the sender's. */
	objs2 = object_stats();
	KT_EXPECT_EQ(cow_copies() - cow0, 1);
	KT_EXPECT_EQ(objs2.vos_resident_pages, objs1.vos_resident_pages + 1);
	KT_EXPECT_EQ(region_ext(b->map, dst).share_mode, SM_COW);
	KT_EXPECT_EQ(region_ext(b->map, dst).pages_resident, N);
	/* Writes on either side stay on that side. */
	KT_EXPECT_EQ(ktest_poke(b->map, dst + 7 * PAGE_SIZE, 0xbeef), 0);
	KT_EXPECT_EQ(ktest_poke(a->map, src + 9 * PAGE_SIZE, 0xf00d), 0);
	KT_EXPECT_TRUE(holds(a->map, src + 7 * PAGE_SIZE, PAGE_SIZE, 3, 7 * PAGE_SIZE));
	KT_EXPECT_TRUE(holds(b->map, dst + 9 * PAGE_SIZE, PAGE_SIZE, 3, 9 * PAGE_SIZE));
	KT_EXPECT_TRUE(holds(b->map, dst + 5 * PAGE_SIZE, PAGE_SIZE, 3, 5 * PAGE_SIZE));
	KT_EXPECT_EQ(ktest_peek(b->map, dst + 7 * PAGE_SIZE), 0xbeef);
	KT_EXPECT_EQ(ktest_peek(a->map, src + 9 * PAGE_SIZE), 0xf00d);
	KT_EXPECT_EQ(ktest_peek(a->map, src + 5 * PAGE_SIZE), 0xdead);
	KT_EXPECT_EQ(cow_copies() - cow0, 3);
	KT_EXPECT_EQ(vm_map_verify(a->map), 0);
	KT_EXPECT_EQ(vm_map_verify(b->map), 0);
	/* Unmapped on both sides, every object and page is gone again. */
	KT_EXPECT_EQ(mach_vm_deallocate(b->map, dst, size), KERN_SUCCESS);
	KT_EXPECT_EQ(mach_vm_deallocate(a->map, src, size), KERN_SUCCESS);
	objs2 = object_stats();
	KT_EXPECT_EQ(objs2.vos_objects, objs0.vos_objects);
	KT_EXPECT_EQ(objs2.vos_resident_pages, objs0.vos_resident_pages);
	task_deallocate(a);
	task_deallocate(b);
}

KTEST(vm_map_copy, unaligned_copies_keep_their_page_offset)
{
	task_t a = ktest_new_task(), b = ktest_new_task();
	mach_vm_size_t len = 5 * PAGE_SIZE + 77;
	mach_vm_address_t src = ktest_allocate(a->map, 8 * PAGE_SIZE), dst = 0;
	vm_map_copy_t copy;

	fill(a->map, src, 8 * PAGE_SIZE, 4, 0);
	KT_ASSERT_EQ(vm_map_copyin(a->map, src + 0x321, len, FALSE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(copy->cpy_type, VM_MAP_COPY_ENTRY_LIST);
	KT_EXPECT_EQ(vm_map_copy_size(copy), len);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_EQ(dst & PAGE_MASK, 0x321);
	KT_EXPECT_TRUE(holds(b->map, dst, len, 4, 0x321));
	/* The range is the pages the data touches: 6 of them. */
	KT_EXPECT_EQ(b->map->size, 6 * PAGE_SIZE);
	KT_EXPECT_EQ(mach_vm_deallocate(b->map, trunc_page(dst),
	    round_page((dst & PAGE_MASK) + len)), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(b->map), 0);
	/* A range spanning several entries (split by a protection change). */
	KT_EXPECT_EQ(mach_vm_protect(a->map, src + 2 * PAGE_SIZE, PAGE_SIZE, FALSE, VM_PROT_READ),
	    KERN_SUCCESS);
	KT_ASSERT_EQ(vm_map_copyin(a->map, src + 0x10, 7 * PAGE_SIZE, FALSE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(a->map), 3);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst, 7 * PAGE_SIZE, 4, 0x10));
	KT_EXPECT_EQ(ktest_poke(b->map, dst + 2 * PAGE_SIZE, 1), 0);	/* writable at the receiver */
	KT_EXPECT_EQ(vm_map_verify(a->map), 0);
	KT_EXPECT_EQ(vm_map_verify(b->map), 0);
	task_deallocate(a);
	task_deallocate(b);
}

KTEST(vm_map_copy, src_destroy_moves_the_pages)
{
	task_t a = ktest_new_task(), b = ktest_new_task();
	mach_vm_size_t size = 16 * PAGE_SIZE;
	mach_vm_address_t src = ktest_allocate(a->map, size), small, dst = 0;
	struct vm_object_stats objs;
	vm_map_copy_t copy;
	uint64_t cow0;

	/*
	 * Each range filled before the next is made, so that they are two
	 * objects: two fresh ranges side by side would be one entry, and
	 * then one object, which the range left behind would still share.
	 */
	fill(a->map, src, size, 5, 0);
	small = ktest_allocate(a->map, PAGE_SIZE);
	fill(a->map, small, PAGE_SIZE, 6, 0);
	objs = object_stats();
	KT_ASSERT_EQ(vm_map_copyin(a->map, src, size, TRUE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(ktest_peek(a->map, src), ~0ULL);		/* gone from the sender */
	KT_EXPECT_EQ(vm_map_entry_count(a->map), 1);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst, size, 5, 0));
	/* Nobody else has the pages: writing takes them as they are. */
	cow0 = cow_copies();
	for (unsigned i = 0; i < 16; i++)
		KT_EXPECT_EQ(ktest_poke(b->map, dst + ptoa((uint64_t)i), i), 0);
	KT_EXPECT_EQ(cow_copies(), cow0);
	KT_EXPECT_EQ(region_ext(b->map, dst).shadow_depth, 0);
	KT_EXPECT_EQ(object_stats().vos_resident_pages, objs.vos_resident_pages);
	/* Small ones too: the whole page holding the bytes goes. */
	KT_ASSERT_EQ(vm_map_copyin(a->map, small + 8, 100, TRUE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_entry_count(a->map), 0);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst, 100, 6, 8));
	KT_EXPECT_EQ(vm_map_verify(a->map), 0);
	KT_EXPECT_EQ(vm_map_verify(b->map), 0);
	task_deallocate(a);
	task_deallocate(b);
}

KTEST(vm_map_copy, a_failed_copyout_leaves_the_copy_usable)
{
	task_t a = ktest_new_task(), b = ktest_new_task();
	pmap_t pmap = pmap_create();
	vm_map_t tiny;
	mach_vm_address_t src = ktest_allocate(a->map, 16 * PAGE_SIZE), dst = 0;
	vm_map_copy_t big, small;
	uint64_t live = live_copies();

	KT_ASSERT_TRUE(pmap != PMAP_NULL);
	tiny = vm_map_create(pmap, 0x10000, 0x10000 + PAGE_SIZE, TRUE);
	KT_ASSERT_TRUE(tiny != VM_MAP_NULL);
	fill(a->map, src, 16 * PAGE_SIZE, 7, 0);
	KT_ASSERT_EQ(vm_map_copyin(a->map, src, 16 * PAGE_SIZE, FALSE, &big), KERN_SUCCESS);
	KT_ASSERT_EQ(vm_map_copyin(a->map, src + 1, 2 * PAGE_SIZE, FALSE, &small), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_copyout(tiny, &dst, big), KERN_NO_SPACE);
	KT_EXPECT_EQ(vm_map_copyout(tiny, &dst, small), KERN_NO_SPACE);
	KT_EXPECT_EQ(vm_map_entry_count(tiny), 0);
	KT_EXPECT_EQ(vm_map_copyout(kernel_map, &dst, big), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(live_copies(), live + 2);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, big), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst, 16 * PAGE_SIZE, 7, 0));
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, small), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst, 2 * PAGE_SIZE, 7, 1));
	KT_EXPECT_EQ(live_copies(), live);
	vm_map_deallocate(tiny);
	task_deallocate(a);
	task_deallocate(b);
}

KTEST(vm_map_copy, discarded_copies_give_everything_back)
{
	struct vm_object_stats objs0 = object_stats(), objs1;
	struct vm_map_copy_stats before, after;
	task_t a = ktest_new_task();
	mach_vm_size_t size = 32 * PAGE_SIZE;
	mach_vm_address_t src = ktest_allocate(a->map, size), w;
	vm_map_copy_t big, small, wired;
	uint64_t cow0;

	vm_map_copy_get_stats(&before);
	fill(a->map, src, size, 8, 0);
	w = ktest_allocate(a->map, 4 * PAGE_SIZE);		/* after the fill: an object of its own */
	fill(a->map, w, 4 * PAGE_SIZE, 13, 0);
	KT_EXPECT_EQ(mach_vm_wire(a->map, w, 4 * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE),
	    KERN_SUCCESS);
	objs1 = object_stats();
	KT_ASSERT_EQ(vm_map_copyin(a->map, src, size, FALSE, &big), KERN_SUCCESS);
	KT_ASSERT_EQ(vm_map_copyin(a->map, src + 5, 64, FALSE, &small), KERN_SUCCESS);
	/* A wired range is copied at once: its pages must stay writable. */
	KT_ASSERT_EQ(vm_map_copyin(a->map, w, 4 * PAGE_SIZE, FALSE, &wired), KERN_SUCCESS);
	KT_EXPECT_EQ(object_stats().vos_resident_pages, objs1.vos_resident_pages + 4);
	KT_EXPECT_EQ(region_ext(a->map, w).share_mode, SM_PRIVATE);
	KT_EXPECT_EQ(live_copies(), before.vmcs_live + 3);
	vm_map_copy_discard(big);
	vm_map_copy_discard(small);
	vm_map_copy_discard(wired);
	vm_map_copy_discard(VM_MAP_COPY_NULL);
	vm_map_copy_get_stats(&after);
	KT_EXPECT_EQ(after.vmcs_live, before.vmcs_live);
	KT_EXPECT_EQ(after.vmcs_entries, before.vmcs_entries);
	KT_EXPECT_EQ(after.vmcs_kbuf_bytes, before.vmcs_kbuf_bytes);
	KT_EXPECT_EQ(object_stats().vos_resident_pages, objs1.vos_resident_pages);
	/* The sender is alone again: writing copies nothing. */
	cow0 = cow_copies();
	KT_EXPECT_EQ(ktest_poke(a->map, src + 20 * PAGE_SIZE, 1), 0);
	KT_EXPECT_EQ(cow_copies(), cow0);
	KT_EXPECT_TRUE(holds(a->map, src, 20 * PAGE_SIZE, 8, 0));
	KT_EXPECT_EQ(mach_vm_wire(a->map, w, 4 * PAGE_SIZE, VM_PROT_NONE), KERN_SUCCESS);
	KT_EXPECT_EQ(mach_vm_deallocate(a->map, src, size), KERN_SUCCESS);
	KT_EXPECT_EQ(mach_vm_deallocate(a->map, w, 4 * PAGE_SIZE), KERN_SUCCESS);
	objs1 = object_stats();
	KT_EXPECT_EQ(objs1.vos_objects, objs0.vos_objects);
	KT_EXPECT_EQ(objs1.vos_resident_pages, objs0.vos_resident_pages);
	task_deallocate(a);
}

KTEST(vm_map_copy, shared_ranges_are_copied_at_once)
{
	task_t a = ktest_new_task(), b = ktest_new_task();
	mach_vm_size_t size = 8 * PAGE_SIZE;
	mach_vm_address_t src = ktest_allocate(a->map, size), dst = 0;
	struct vm_object_stats objs;
	vm_map_copy_t copy;
	uint64_t cow0;

	/* Shared inheritance: whoever shares it writes in place, so no copy-on-write. */
	fill(a->map, src, size, 14, 0);
	KT_EXPECT_EQ(mach_vm_inherit(a->map, src, size, VM_INHERIT_SHARE), KERN_SUCCESS);
	objs = object_stats();
	KT_ASSERT_EQ(vm_map_copyin(a->map, src, size, FALSE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(object_stats().vos_resident_pages, objs.vos_resident_pages + 8);
	KT_EXPECT_EQ(region_ext(a->map, src).share_mode, SM_PRIVATE);	/* not marked */
	cow0 = cow_copies();
	fill(a->map, src, size, 15, 0);
	KT_EXPECT_EQ(cow_copies(), cow0);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst, size, 14, 0));
	KT_EXPECT_TRUE(holds(a->map, src, size, 15, 0));
	task_deallocate(a);
	task_deallocate(b);
}

/* copyin of [addr, addr + len) fails with kr, leaving no copy behind. */
static void
expect_refused(vm_map_t map, mach_vm_address_t addr, mach_vm_size_t len, kern_return_t kr)
{
	vm_map_copy_t copy = (vm_map_copy_t)1;
	uint64_t live = live_copies();

	KT_EXPECT_EQ(vm_map_copyin(map, addr, len, FALSE, &copy), kr);
	KT_EXPECT_EQ(vm_map_copyin(map, addr, len, TRUE, &copy), kr);
	KT_EXPECT_EQ(copy, VM_MAP_COPY_NULL);
	KT_EXPECT_EQ(live_copies(), live);
}

KTEST(vm_map_copy, bad_ranges_are_refused_and_change_nothing)
{
	task_t a = ktest_new_task();
	vm_map_t map = a->map;
	mach_vm_address_t holed = ktest_allocate(map, 8 * PAGE_SIZE), locked;
	unsigned mode;
	uint64_t cow0;
	vm_map_copy_t copy;

	fill(map, holed, 8 * PAGE_SIZE, 9, 0);
	KT_EXPECT_EQ(mach_vm_deallocate(map, holed + 4 * PAGE_SIZE, PAGE_SIZE), KERN_SUCCESS);
	mode = region_ext(map, holed).share_mode;
	expect_refused(map, holed, 8 * PAGE_SIZE, KERN_INVALID_ADDRESS);
	expect_refused(map, holed + 4 * PAGE_SIZE - 8, 16, KERN_INVALID_ADDRESS);
	expect_refused(map, holed + 4 * PAGE_SIZE, 1, KERN_INVALID_ADDRESS);
	expect_refused(map, ~0ULL - 100, 200, KERN_INVALID_ADDRESS);		/* wraps */
	expect_refused(map, holed, ~0ULL - holed + 1, KERN_INVALID_ADDRESS);
	expect_refused(map, holed, ~0ULL, KERN_INVALID_ADDRESS);
	expect_refused(map, ~0ULL - 10, 5, KERN_INVALID_ADDRESS);		/* rounds past */
	expect_refused(map, 0xffffff0000000000ULL, PAGE_SIZE, KERN_INVALID_ADDRESS);
	expect_refused(map, MACH_VM_MAX_ADDRESS - PAGE_SIZE, 3 * PAGE_SIZE,
	    KERN_INVALID_ADDRESS);
	expect_refused(map, 0, 16, KERN_INVALID_ADDRESS);			/* page zero */
	/* Nothing was marked copy-on-write, nor split, nor removed. */
	KT_EXPECT_EQ(vm_map_entry_count(map), 2);
	KT_EXPECT_EQ(region_ext(map, holed).share_mode, mode);
	KT_EXPECT_TRUE(holds(map, holed, 4 * PAGE_SIZE, 9, 0));

	locked = ktest_allocate(map, 6 * PAGE_SIZE);
	fill(map, locked, 6 * PAGE_SIZE, 10, 0);
	KT_EXPECT_EQ(mach_vm_protect(map, locked + 3 * PAGE_SIZE, PAGE_SIZE, FALSE,
	    VM_PROT_NONE), KERN_SUCCESS);
	mode = region_ext(map, locked).share_mode;
	expect_refused(map, locked, 6 * PAGE_SIZE, KERN_PROTECTION_FAILURE);
	expect_refused(map, locked + 2 * PAGE_SIZE + 100, 5000, KERN_PROTECTION_FAILURE);
	KT_EXPECT_EQ(vm_map_entry_count(map), 5);
	KT_EXPECT_EQ(region_ext(map, locked).share_mode, mode);
	KT_EXPECT_TRUE(holds(map, locked, 3 * PAGE_SIZE, 10, 0));
	/* Had anything been marked copy-on-write, these writes would copy pages. */
	cow0 = cow_copies();
	KT_EXPECT_EQ(ktest_poke(map, holed, 1), 0);
	KT_EXPECT_EQ(ktest_poke(map, holed + 7 * PAGE_SIZE, 1), 0);
	KT_EXPECT_EQ(ktest_poke(map, locked + 5 * PAGE_SIZE, 1), 0);
	KT_EXPECT_EQ(cow_copies(), cow0);

	/* Arguments. */
	KT_EXPECT_EQ(vm_map_copyin(kernel_map, VM_MIN_KERNEL_ADDRESS, PAGE_SIZE, FALSE, &copy),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(vm_map_copyin(VM_MAP_NULL, holed, PAGE_SIZE, FALSE, &copy),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(vm_map_copyin(map, holed, PAGE_SIZE, FALSE, NULL), KERN_INVALID_ARGUMENT);
	copy = (vm_map_copy_t)1;
	KT_EXPECT_EQ(vm_map_copyin(map, 12345, 0, FALSE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(copy, VM_MAP_COPY_NULL);
	KT_EXPECT_EQ(vm_map_copyout(map, &locked, VM_MAP_COPY_NULL), KERN_SUCCESS);
	KT_EXPECT_EQ(locked, 0);
	KT_EXPECT_EQ(vm_map_verify(map), 0);
	task_deallocate(a);
}

/* mach_vm_read and mach_vm_write as the interface has them: the copy as a pointer_t. */
static kern_return_t
read_copy(vm_map_t map, mach_vm_address_t addr, mach_vm_size_t size, vm_map_copy_t *copy)
{
	mach_msg_type_number_t count = 0;
	vm_offset_t data = 0;
	kern_return_t kr = mach_vm_read(map, addr, size, &data, &count);

	*copy = (vm_map_copy_t)data;
	if (kr == KERN_SUCCESS && count != size)
		kr = KERN_FAILURE;
	return kr;
}

static kern_return_t
write_copy(vm_map_t map, mach_vm_address_t addr, vm_map_copy_t copy)
{
	return mach_vm_write(map, addr, (vm_offset_t)copy,
	    (mach_msg_type_number_t)vm_map_copy_size(copy));
}

KTEST(vm_map_copy, vm_read_write_and_copy_round_trip)
{
	task_t a = ktest_new_task(), b = ktest_new_task();
	mach_vm_size_t size = 8 * PAGE_SIZE, out = 0;
	mach_vm_address_t src = ktest_allocate(a->map, size), dst = ktest_allocate(b->map, size);
	uint64_t live = live_copies();
	vm_map_copy_t copy;
	vm_map_t old;

	fill(a->map, src, size, 11, 0);
	/* vm_read + vm_write, large and unaligned on both ends. */
	KT_ASSERT_EQ(read_copy(a->map, src + 0x10, 6 * PAGE_SIZE, &copy), KERN_SUCCESS);
	KT_ASSERT_EQ(write_copy(b->map, dst + 0x800, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst + 0x800, 6 * PAGE_SIZE, 11, 0x10));
	KT_EXPECT_EQ(ktest_peek(b->map, dst), 0);
	KT_EXPECT_EQ(ktest_peek(b->map, dst + 0x800 + 6 * PAGE_SIZE), 0);
	/* ... and small. */
	KT_ASSERT_EQ(read_copy(a->map, src + 3, 40, &copy), KERN_SUCCESS);
	KT_ASSERT_EQ(write_copy(b->map, dst + 7 * PAGE_SIZE - 3, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst + 7 * PAGE_SIZE - 3, 40, 11, 3));
	/* A refused write keeps the copy for the caller. */
	KT_EXPECT_EQ(mach_vm_protect(b->map, dst + PAGE_SIZE, PAGE_SIZE, FALSE, VM_PROT_READ),
	    KERN_SUCCESS);
	KT_ASSERT_EQ(read_copy(a->map, src, 3 * PAGE_SIZE, &copy), KERN_SUCCESS);
	KT_EXPECT_EQ(write_copy(b->map, dst, copy), KERN_PROTECTION_FAILURE);
	KT_EXPECT_EQ(write_copy(b->map, dst + 7 * PAGE_SIZE, copy), KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ(write_copy(b->map, ~0ULL - PAGE_SIZE, copy), KERN_INVALID_ADDRESS);
	KT_EXPECT_TRUE(holds(b->map, dst + 0x800, 6 * PAGE_SIZE, 11, 0x10));
	KT_EXPECT_EQ(live_copies(), live + 1);
	vm_map_copy_discard(copy);
	/* vm_copy within one map, overlapping: as if through a buffer. */
	KT_EXPECT_EQ(mach_vm_copy(a->map, src, 4 * PAGE_SIZE, src + 2 * PAGE_SIZE + 8),
	    KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(a->map, src + 2 * PAGE_SIZE + 8, 4 * PAGE_SIZE, 11, 0));
	KT_EXPECT_TRUE(holds(a->map, src, 2 * PAGE_SIZE, 11, 0));
	KT_EXPECT_EQ(mach_vm_copy(a->map, src, 100, src + size), KERN_INVALID_ADDRESS);
	/* vm_read_overwrite into the calling thread's own map (b's, borrowed). */
	old = vm_map_switch(b->map);
	KT_EXPECT_EQ(mach_vm_read_overwrite(a->map, src + 2 * PAGE_SIZE + 8, 3 * PAGE_SIZE,
	    dst + 2 * PAGE_SIZE, &out), KERN_SUCCESS);
	(void)vm_map_switch(old);
	KT_EXPECT_EQ(out, 3 * PAGE_SIZE);
	KT_EXPECT_TRUE(holds(b->map, dst + 2 * PAGE_SIZE, 3 * PAGE_SIZE, 11, 0));
	KT_EXPECT_EQ(live_copies(), live);
	KT_EXPECT_EQ(vm_map_verify(a->map), 0);
	KT_EXPECT_EQ(vm_map_verify(b->map), 0);
	task_deallocate(a);
	task_deallocate(b);
}

KTEST(vm_map_copy, kernel_data_goes_out_as_a_kernel_buffer)
{
	static const char greeting[] = "out-of-line, from the kernel";
	task_t b = ktest_new_task();
	mach_vm_size_t big = 3 * PAGE_SIZE;
	uint8_t *data = kalloc(big);
	mach_vm_address_t dst = 0;
	struct vm_map_copy_stats before, held;
	vm_map_copy_t copy;
	char back[sizeof(greeting)];
	vm_map_t old;

	KT_ASSERT_TRUE(data != NULL);
	vm_map_copy_get_stats(&before);
	KT_ASSERT_EQ(vm_map_copy_kernel(&copy, greeting, sizeof(greeting)), KERN_SUCCESS);
	KT_EXPECT_EQ(copy->cpy_type, VM_MAP_COPY_KERNEL_BUFFER);
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	old = vm_map_switch(b->map);
	KT_EXPECT_EQ(copyin(dst, back, sizeof(back)), 0);
	(void)vm_map_switch(old);
	KT_EXPECT_STREQ(back, greeting);
	/* Larger than a small copy: still one buffer, copied out whole. */
	for (mach_vm_size_t i = 0; i < big; i++)
		data[i] = pattern(12, i);
	KT_ASSERT_EQ(vm_map_copy_kernel(&copy, data, big), KERN_SUCCESS);
	vm_map_copy_get_stats(&held);
	KT_EXPECT_EQ(held.vmcs_kbuf_bytes, before.vmcs_kbuf_bytes + big);
	memset(data, 0, big);				/* the copy is its own */
	KT_ASSERT_EQ(vm_map_copyout(b->map, &dst, copy), KERN_SUCCESS);
	KT_EXPECT_TRUE(holds(b->map, dst, big, 12, 0));
	KT_EXPECT_EQ(vm_map_copy_kernel(&copy, data, 0), KERN_SUCCESS);
	KT_EXPECT_EQ(copy, VM_MAP_COPY_NULL);
	KT_EXPECT_EQ(vm_map_copy_kernel(&copy, NULL, 5), KERN_INVALID_ARGUMENT);
	vm_map_copy_get_stats(&held);
	KT_EXPECT_EQ(held.vmcs_live, before.vmcs_live);
	KT_EXPECT_EQ(held.vmcs_kbuf_bytes, before.vmcs_kbuf_bytes);
	kfree(data, big);
	task_deallocate(b);
}
