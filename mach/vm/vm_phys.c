/*
 * vm_phys.c - physical page frames: per-segment bitmaps, first fit.
 *
 * A segment's bitmap covers every page of the range it was made from,
 * including the pages that store the bitmap; those pages are not part of the
 * segment proper (vps_start is past them), and the bits past the last page
 * of the final word are set, so a scan never has to check bounds.
 */

#include "mach/vm/vm_phys.h"

#include "libkern/assert.h"
#include "libkern/bits.h"
#include "libkern/string.h"
#include "mach/vm/pmap.h"

struct vm_phys vm_phys_kernel;

static boolean_t
vm_phys_lock(struct vm_phys *vp)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&vp->vp_lock);
	return s;
}

static void
vm_phys_unlock(struct vm_phys *vp, boolean_t s)
{
	hw_lock_unlock(&vp->vp_lock);
	ml_set_interrupts_enabled(s);
}

static inline boolean_t
bit_test(const uint64_t *map, uint64_t i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static inline void
bit_set(uint64_t *map, uint64_t i)
{
	map[i / 64] |= 1ULL << (i % 64);
}

static inline void
bit_clear(uint64_t *map, uint64_t i)
{
	map[i / 64] &= ~(1ULL << (i % 64));
}

void
vm_phys_init(struct vm_phys *vp)
{
	memset(vp, 0, sizeof(*vp));
	hw_lock_init(&vp->vp_lock);
}

kern_return_t
vm_phys_add_range(struct vm_phys *vp, pmap_paddr_t start, pmap_paddr_t end)
{
	uint64_t npages, words, meta, i;
	struct vm_phys_seg *seg;
	boolean_t s;

	start = round_page(start);
	end = trunc_page(end);
	if (start >= end)
		return KERN_INVALID_ARGUMENT;
	npages = atop(end - start);
	words = (npages + 63) / 64;
	meta = atop(round_page(words * sizeof(uint64_t)));

	s = vm_phys_lock(vp);
	for (i = 0; i < vp->vp_nsegs; i++) {
		seg = &vp->vp_segs[i];
		if (start < seg->vps_end && end > seg->vps_base) {
			vm_phys_unlock(vp, s);
			return KERN_INVALID_ARGUMENT;
		}
	}
	if (npages <= meta || vp->vp_nsegs == VM_PHYS_MAX_SEGS) {
		vp->vp_dropped_pages += npages;
		vm_phys_unlock(vp, s);
		return KERN_NO_SPACE;
	}

	/* Keep the segments sorted: find the slot and open it. */
	for (i = vp->vp_nsegs; i > 0 && vp->vp_segs[i - 1].vps_start > start; i--)
		vp->vp_segs[i] = vp->vp_segs[i - 1];
	seg = &vp->vp_segs[i];
	seg->vps_base = start;
	seg->vps_bitmap = phystokv(start);
	seg->vps_start = start + ptoa(meta);
	seg->vps_end = end;
	seg->vps_npages = npages - meta;
	seg->vps_free = seg->vps_npages;
	seg->vps_hint = 0;

	/* Bits for vps_npages pages; everything past them reads as allocated. */
	words = (seg->vps_npages + 63) / 64;
	memset(seg->vps_bitmap, 0, words * sizeof(uint64_t));
	for (i = seg->vps_npages; i < words * 64; i++)
		bit_set(seg->vps_bitmap, i);

	vp->vp_nsegs++;
	vp->vp_total_pages += seg->vps_npages;
	vp->vp_free_pages += seg->vps_npages;
	vp->vp_meta_pages += meta;
	vm_phys_unlock(vp, s);
	return KERN_SUCCESS;
}

/* One page from seg. Locks: vp_lock held. Returns the page index or -1. */
static int64_t
seg_alloc_one(struct vm_phys_seg *seg)
{
	uint64_t words = (seg->vps_npages + 63) / 64;

	for (uint64_t n = 0; n < words; n++) {
		uint64_t w = (seg->vps_hint + n) % words;
		uint64_t bits = seg->vps_bitmap[w];

		if (bits != ~0ULL) {
			uint64_t i = w * 64 + lsb_first(~bits);

			bit_set(seg->vps_bitmap, i);
			seg->vps_hint = w;
			return (int64_t)i;
		}
	}
	return -1;
}

/*
 * npages contiguous pages from seg, the first at a physical page number
 * that is a multiple of align. Locks: vp_lock held. Returns index or -1.
 */
static int64_t
seg_alloc_run(struct vm_phys_seg *seg, uint64_t npages, uint64_t align)
{
	uint64_t base_pn = atop(seg->vps_start);
	uint64_t i = (ROUNDUP(base_pn, align)) - base_pn;

	while (i + npages <= seg->vps_npages) {
		uint64_t j;

		for (j = 0; j < npages && !bit_test(seg->vps_bitmap, i + j); j++)
			continue;
		if (j == npages) {
			for (j = 0; j < npages; j++)
				bit_set(seg->vps_bitmap, i + j);
			return (int64_t)i;
		}
		/* Page i+j is taken: the next candidate starts past it. */
		i = ROUNDUP(base_pn + i + j + 1, align) - base_pn;
	}
	return -1;
}

kern_return_t
vm_phys_alloc(struct vm_phys *vp, uint64_t npages, uint64_t align_pages,
    pmap_paddr_t *out)
{
	boolean_t s;

	if (npages == 0 || align_pages == 0 || (align_pages & (align_pages - 1)) != 0)
		return KERN_INVALID_ARGUMENT;

	s = vm_phys_lock(vp);
	for (unsigned k = 0; k < vp->vp_nsegs; k++) {
		struct vm_phys_seg *seg = &vp->vp_segs[k];
		int64_t i;

		if (seg->vps_free < npages)
			continue;
		if (npages == 1 && align_pages == 1)
			i = seg_alloc_one(seg);
		else
			i = seg_alloc_run(seg, npages, align_pages);
		if (i < 0)
			continue;
		seg->vps_free -= npages;
		vp->vp_free_pages -= npages;
		*out = seg->vps_start + ptoa((uint64_t)i);
		vm_phys_unlock(vp, s);
		return KERN_SUCCESS;
	}
	vm_phys_unlock(vp, s);
	return KERN_RESOURCE_SHORTAGE;
}

/* The segment holding pa, or NULL. Locks: vp_lock held. */
static struct vm_phys_seg *
seg_lookup(struct vm_phys *vp, pmap_paddr_t pa)
{
	for (unsigned k = 0; k < vp->vp_nsegs; k++) {
		struct vm_phys_seg *seg = &vp->vp_segs[k];

		if (pa >= seg->vps_start && pa < seg->vps_end)
			return seg;
	}
	return NULL;
}

void
vm_phys_free(struct vm_phys *vp, pmap_paddr_t pa, uint64_t npages)
{
	struct vm_phys_seg *seg;
	uint64_t first, i;
	boolean_t s;

	s = vm_phys_lock(vp);
	seg = seg_lookup(vp, pa);
	if (seg == NULL || !page_aligned(pa) || npages > atop(seg->vps_end - pa))
		panic("vm_phys_free: 0x%llx (+%llu pages) is not managed memory",
		    (unsigned long long)pa, (unsigned long long)npages);
	first = atop(pa - seg->vps_start);
	for (i = 0; i < npages; i++) {
		if (!bit_test(seg->vps_bitmap, first + i))
			panic("vm_phys_free: page 0x%llx is already free (double free)",
			    (unsigned long long)(pa + ptoa(i)));
		bit_clear(seg->vps_bitmap, first + i);
	}
	/* Keep single-page allocation first fit: search from the freed page on. */
	if (first / 64 < seg->vps_hint)
		seg->vps_hint = first / 64;
	seg->vps_free += npages;
	vp->vp_free_pages += npages;
	vm_phys_unlock(vp, s);
}

boolean_t
vm_phys_is_allocated(struct vm_phys *vp, pmap_paddr_t pa)
{
	struct vm_phys_seg *seg;
	boolean_t s, allocated = FALSE;

	s = vm_phys_lock(vp);
	seg = seg_lookup(vp, pa);
	if (seg != NULL)
		allocated = bit_test(seg->vps_bitmap, atop(pa - seg->vps_start));
	vm_phys_unlock(vp, s);
	return allocated;
}

uint64_t
vm_phys_free_pages(struct vm_phys *vp)
{
	return __atomic_load_n(&vp->vp_free_pages, __ATOMIC_RELAXED);
}

uint64_t
vm_phys_total_pages(struct vm_phys *vp)
{
	return __atomic_load_n(&vp->vp_total_pages, __ATOMIC_RELAXED);
}

kern_return_t
vm_page_alloc_phys(pmap_paddr_t *out)
{
	return vm_phys_alloc(&vm_phys_kernel, 1, 1, out);
}

void
vm_page_free_phys(pmap_paddr_t pa)
{
	vm_phys_free(&vm_phys_kernel, pa, 1);
}
