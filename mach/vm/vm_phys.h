/*
 * vm_phys.h - the physical page allocator.
 *
 * RAM is a set of segments (one per usable range of the memory map); each
 * segment keeps a bitmap, one bit a page, 1 meaning allocated, stored in the
 * first pages of the segment itself. Allocation is first fit from low
 * addresses up, for one page or a physically contiguous, aligned run.
 * Freeing a page that is not allocated is a kernel bug and panics.
 *
 * Segments can be added at any time, which is how start-up works: the
 * ranges below 4 GiB, reachable through the loader's page tables, come
 * first; pmap_bootstrap() takes its page-table pages from them; the ranges
 * above 4 GiB join once the direct map covers them.
 *
 * The vm_page array and its free queues (with tasks and VM objects) sit on
 * top of this later; vm_phys stays the source of frames.
 *
 * Locks for struct vm_phys:
 *   [L] vp_lock (a hw_lock, taken with interrupts off)
 *   [I] set when the segment is added, immutable after
 * Lock order: leaf.
 */

#ifndef MACH_VM_VM_PHYS_H
#define MACH_VM_VM_PHYS_H

#include <stdint.h>

#include "mach/kern/simple_lock.h"
#include "mach/kern_return.h"
#include "mach/vm_types.h"

#define VM_PHYS_MAX_SEGS	32

struct vm_phys_seg {
	pmap_paddr_t	vps_base;	/* [I] start of the range, bitmap included */
	pmap_paddr_t	vps_start;	/* [I] first allocatable page */
	pmap_paddr_t	vps_end;	/* [I] end, exclusive */
	uint64_t	vps_npages;	/* [I] */
	uint64_t	*vps_bitmap;	/* [I] pointer; [L] contents */
	uint64_t	vps_free;	/* [L] free pages */
	uint64_t	vps_hint;	/* [L] bitmap word to start single-page search at */
};

struct vm_phys {
	hw_lock_data_t		vp_lock;
	unsigned		vp_nsegs;	/* [L] sorted by address */
	struct vm_phys_seg	vp_segs[VM_PHYS_MAX_SEGS];
	uint64_t		vp_total_pages;	/* [L] */
	uint64_t		vp_free_pages;	/* [L] */
	uint64_t		vp_meta_pages;	/* [L] used by the bitmaps themselves */
	uint64_t		vp_dropped_pages; /* [L] ranges too small or no slot */
};

/* The kernel's allocator. Tests build their own struct vm_phys. */
extern struct vm_phys vm_phys_kernel;

void		vm_phys_init(struct vm_phys *vp);

/*
 * vm_phys_add_range: make [start, end) allocatable (rounded inward to
 * pages). The range must not overlap one already added and must be
 * reachable through phystokv(). Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT
 * (overlap, empty), or KERN_NO_SPACE (too small to hold its own bitmap, or
 * no segment slot left; the pages are then counted as dropped).
 */
kern_return_t	vm_phys_add_range(struct vm_phys *vp, pmap_paddr_t start,
		    pmap_paddr_t end);

/*
 * vm_phys_alloc: npages physically contiguous pages, the first aligned to
 * align_pages (a power of two, 1 for none). Contents are not zeroed.
 * Returns KERN_SUCCESS or KERN_RESOURCE_SHORTAGE.
 */
kern_return_t	vm_phys_alloc(struct vm_phys *vp, uint64_t npages,
		    uint64_t align_pages, pmap_paddr_t *out);

/* vm_phys_free: give back what vm_phys_alloc returned (or part of it). */
void		vm_phys_free(struct vm_phys *vp, pmap_paddr_t pa, uint64_t npages);

/* vm_phys_is_allocated: pa is in a segment and allocated. */
boolean_t	vm_phys_is_allocated(struct vm_phys *vp, pmap_paddr_t pa);

/*
 * vm_phys_seg_test: whether page i of seg is allocated, read without the
 * lock: for start-up code that owns the machine (vm_page_bootstrap).
 */
static inline boolean_t
vm_phys_seg_test(const struct vm_phys_seg *seg, uint64_t i)
{
	return (seg->vps_bitmap[i / 64] >> (i % 64)) & 1;
}

uint64_t	vm_phys_free_pages(struct vm_phys *vp);
uint64_t	vm_phys_total_pages(struct vm_phys *vp);

/* Shorthands for the kernel's allocator. */
kern_return_t	vm_page_alloc_phys(pmap_paddr_t *out);
void		vm_page_free_phys(pmap_paddr_t pa);

#endif /* MACH_VM_VM_PHYS_H */
