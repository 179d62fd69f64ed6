/*
 * vm_kern.c - kernel_memory_allocate and kmem_free over kernel_map.
 *
 * kernel_map is, for now, a sorted list of the ranges handed out in
 * [VM_MIN_KERNEL_ADDRESS, VM_MAX_KERNEL_ADDRESS), searched first fit; each
 * range remembers its guards, so kmem_free needs only address and size. The
 * general vm_map (with an ordered tree of entries) takes this over when it
 * arrives; the interface above does not change.
 */

#include "mach/vm/vm_kern.h"

#include <stdbool.h>

#include "kernel/kheap.h"
#include "kernel/machine/vm_param.h"
#include "libkern/assert.h"
#include "libkern/queue.h"
#include "libkern/string.h"
#include "mach/kern/simple_lock.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"

struct kmem_range {
	TAILQ_ENTRY(kmem_range)	kr_link;	/* [L] sorted by address */
	vm_offset_t		kr_start;	/* [L] guard included */
	vm_size_t		kr_size;	/* [L] guards included */
	vm_offset_t		kr_addr;	/* [L] what the caller got */
	vm_size_t		kr_mapped;	/* [L] bytes backed by pages */
};

/* Locks: [L] the lock, a hw_lock taken with interrupts off. */
struct kmem_space {
	hw_lock_data_t		lock;
	vm_offset_t		min, max;		/* [I] */
	TAILQ_HEAD(, kmem_range) ranges;		/* [L] */
	struct kmem_stats	stats;			/* [L] */
};

static struct kmem_space kmem;

static boolean_t
map_lock(struct kmem_space *map)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&map->lock);
	return s;
}

static void
map_unlock(struct kmem_space *map, boolean_t s)
{
	hw_lock_unlock(&map->lock);
	ml_set_interrupts_enabled(s);
}

void
kmem_init(void)
{
	hw_lock_init(&kmem.lock);
	kmem.min = VM_MIN_KERNEL_ADDRESS;
	kmem.max = VM_MAX_KERNEL_ADDRESS;
	TAILQ_INIT(&kmem.ranges);
}

/*
 * Find size bytes of free address space with start & mask == 0 and insert
 * r for it. Locks: map locked. Returns false if the range is full.
 */
static bool
map_find_space(struct kmem_space *map, struct kmem_range *r, vm_size_t size, vm_offset_t mask)
{
	vm_offset_t start = map->min;
	struct kmem_range *next;

	TAILQ_FOREACH(next, &map->ranges, kr_link) {
		start = (start + mask) & ~mask;
		if (start + size <= next->kr_start && start + size > start)
			break;
		start = next->kr_start + next->kr_size;
	}
	if (next == NULL) {
		start = (start + mask) & ~mask;
		if (start + size > map->max || start + size < start)
			return false;
	}
	r->kr_start = start;
	r->kr_size = size;
	if (next != NULL)
		TAILQ_INSERT_BEFORE(next, r, kr_link);
	else
		TAILQ_INSERT_TAIL(&map->ranges, r, kr_link);
	return true;
}

/* Unmap [addr, addr+size) and free its pages. */
static void
unmap_and_free(vm_offset_t addr, vm_size_t size)
{
	for (vm_offset_t va = addr; va < addr + size; va += PAGE_SIZE) {
		ppnum_t pn = pmap_find_phys(kernel_pmap, va);

		pmap_remove(kernel_pmap, va, va + PAGE_SIZE);
		if (pn != 0)
			vm_page_release(vm_page_lookup_phys(ptoa((pmap_paddr_t)pn)));
	}
}

kern_return_t
kernel_memory_allocate(vm_map_t map, vm_offset_t *addrp, vm_size_t size,
    vm_offset_t mask, int flags)
{
	struct kmem_space *space = &kmem;

	vm_size_t guard_before = (flags & KMA_GUARD_FIRST) ? PAGE_SIZE : 0;
	vm_size_t guard_after = (flags & KMA_GUARD_LAST) ? PAGE_SIZE : 0;
	struct kmem_range *r;
	vm_offset_t addr;
	boolean_t s;

	if (size == 0 || size > space->max - space->min)
		return KERN_INVALID_ARGUMENT;
	size = round_page(size);
	mask |= PAGE_MASK;
	r = kheap_alloc(&kernel_heap, sizeof(*r));
	if (r == NULL)
		return KERN_RESOURCE_SHORTAGE;

	s = map_lock(space);
	/* Align the caller's part, not the guard before it. */
	if (!map_find_space(space, r, guard_before + size + guard_after,
	    guard_before != 0 ? PAGE_MASK : mask)) {
		map_unlock(space, s);
		kheap_free(&kernel_heap, r);
		return KERN_NO_SPACE;
	}
	addr = r->kr_start + guard_before;
	r->kr_addr = addr;
	r->kr_mapped = 0;
	space->stats.ks_allocations++;
	space->stats.ks_reserved_bytes += r->kr_size;
	map_unlock(space, s);

	for (vm_offset_t va = addr; va < addr + size; va += PAGE_SIZE) {
		struct vm_page *m = (flags & KMA_ZERO) ? vm_page_grab_zeroed(VM_PAGE_USE_KERNEL)
						       : vm_page_grab(VM_PAGE_USE_KERNEL);

		if (m == NULL || pmap_enter(kernel_pmap, va, m->vmp_phys_page,
		    VM_PROT_READ | VM_PROT_WRITE, PMAP_WIRED) != KERN_SUCCESS) {
			if (m != NULL)
				vm_page_release(m);
			r->kr_mapped = va - addr;
			kmem_free(map, addr, size);
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	s = map_lock(space);
	r->kr_mapped = size;
	space->stats.ks_mapped_bytes += size;
	map_unlock(space, s);
	*addrp = addr;
	return KERN_SUCCESS;
}

kern_return_t
kmem_alloc(vm_map_t map, vm_offset_t *addrp, vm_size_t size)
{
	return kernel_memory_allocate(map, addrp, size, 0, 0);
}

void
kmem_free(vm_map_t map, vm_offset_t addr, vm_size_t size)
{
	struct kmem_space *space = &kmem;

	struct kmem_range *r;
	vm_size_t mapped;
	boolean_t s;

	s = map_lock(space);
	TAILQ_FOREACH(r, &space->ranges, kr_link) {
		if (r->kr_addr == addr)
			break;
	}
	if (r == NULL)
		panic("kmem_free: 0x%lx was not allocated from this map", addr);
	if (round_page(size) > r->kr_size)
		panic("kmem_free: 0x%lx freed with size 0x%lx, larger than allocated",
		    addr, size);
	TAILQ_REMOVE(&space->ranges, r, kr_link);
	mapped = r->kr_mapped;
	space->stats.ks_allocations--;
	space->stats.ks_reserved_bytes -= r->kr_size;
	space->stats.ks_mapped_bytes -= mapped;
	map_unlock(space, s);

	unmap_and_free(addr, mapped);
	kheap_free(&kernel_heap, r);
}

void
kmem_get_stats(struct kmem_stats *out)
{
	boolean_t s = map_lock(&kmem);

	*out = kmem.stats;
	map_unlock(&kmem, s);
}
