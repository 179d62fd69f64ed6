/*
 * vm_page.c - the vm_page array and page accounting.
 *
 * The array is kept per vm_phys segment, so a lookup is a scan of a few
 * segments and an index; there is no array entry for holes between them.
 */

#include "mach/vm/vm_page.h"

#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/kern/simple_lock.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_phys.h"

/* [P] unless marked. */
static struct {
	hw_lock_data_t	lock;
	boolean_t	ready;		/* [I] */
	unsigned	nsegs;		/* [I] */
	struct {
		pmap_paddr_t	start, end;
		struct vm_page	*pages;
	} segs[VM_PHYS_MAX_SEGS];	/* [I] */
	uint64_t	wired;
	uint64_t	by_use[VM_PAGE_USE_COUNT];
} vmpg = { .lock = HW_LOCK_INITIALIZER };

static boolean_t
vmpg_lock(void)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&vmpg.lock);
	return s;
}

static void
vmpg_unlock(boolean_t s)
{
	hw_lock_unlock(&vmpg.lock);
	ml_set_interrupts_enabled(s);
}

boolean_t
vm_page_ready(void)
{
	return vmpg.ready;
}

struct vm_page *
vm_page_lookup_phys(pmap_paddr_t pa)
{
	for (unsigned i = 0; i < vmpg.nsegs; i++) {
		if (pa >= vmpg.segs[i].start && pa < vmpg.segs[i].end)
			return &vmpg.segs[i].pages[atop(pa - vmpg.segs[i].start)];
	}
	return NULL;
}

void
vm_page_bootstrap(void)
{
	struct vm_phys *vp = &vm_phys_kernel;
	pmap_paddr_t arrays[VM_PHYS_MAX_SEGS];
	uint64_t array_pages[VM_PHYS_MAX_SEGS];
	unsigned n = vp->vp_nsegs;

	/* The arrays first: allocating them changes what is free. */
	for (unsigned i = 0; i < n; i++) {
		uint64_t bytes = vp->vp_segs[i].vps_npages * sizeof(struct vm_page);

		array_pages[i] = atop(round_page(bytes));
		if (vm_phys_alloc(vp, array_pages[i], 1, &arrays[i]) != KERN_SUCCESS)
			panic("vm_page_bootstrap: no room for the page array "
			    "(%llu pages)", (unsigned long long)array_pages[i]);
		memset(phystokv(arrays[i]), 0, ptoa(array_pages[i]));
		vmpg.segs[i].start = vp->vp_segs[i].vps_start;
		vmpg.segs[i].end = vp->vp_segs[i].vps_end;
		vmpg.segs[i].pages = phystokv(arrays[i]);
	}
	vmpg.nsegs = n;

	/* Then every page, as vm_phys sees it now. */
	for (unsigned i = 0; i < n; i++) {
		for (uint64_t k = 0; k < vp->vp_segs[i].vps_npages; k++) {
			struct vm_page *m = &vmpg.segs[i].pages[k];
			pmap_paddr_t pa = vmpg.segs[i].start + ptoa(k);

			m->vmp_phys_page = (ppnum_t)atop(pa);
			if (vm_phys_seg_test(&vp->vp_segs[i], k)) {
				m->vmp_use = VM_PAGE_USE_EARLY;
				m->vmp_wire_count = 1;
				vmpg.wired++;
			}
			vmpg.by_use[m->vmp_use]++;
		}
	}
	/* The arrays' own pages are kernel memory, not early leftovers. */
	for (unsigned i = 0; i < n; i++) {
		for (uint64_t k = 0; k < array_pages[i]; k++) {
			struct vm_page *m = vm_page_lookup_phys(arrays[i] + ptoa(k));

			if (m != NULL) {
				vmpg.by_use[m->vmp_use]--;
				m->vmp_use = VM_PAGE_USE_KERNEL;
				vmpg.by_use[m->vmp_use]++;
			}
		}
	}
	vmpg.ready = TRUE;
}

/* Give n pages from pa the use `use`. Locks: the page-queues lock held. */
static void
mark_locked(pmap_paddr_t pa, uint64_t n, enum vm_page_use use)
{
	for (uint64_t i = 0; i < n; i++) {
		struct vm_page *m = vm_page_lookup_phys(pa + ptoa(i));

		if (m == NULL)
			panic("vm_page: vm_phys gave 0x%llx, which has no vm_page",
			    (unsigned long long)(pa + ptoa(i)));
		if (m->vmp_use != VM_PAGE_USE_FREE)
			panic("vm_page: page 0x%llx is free in vm_phys but in use (%u)",
			    (unsigned long long)(pa + ptoa(i)), m->vmp_use);
		vmpg.by_use[VM_PAGE_USE_FREE]--;
		vmpg.by_use[use]++;
		m->vmp_use = (uint8_t)use;
		m->vmp_object = NULL;
		m->vmp_owner = NULL;
		m->vmp_zone_meta = NULL;
		m->vmp_pv = NULL;
		m->vmp_flags = 0;
		if (use != VM_PAGE_USE_OBJECT) {
			m->vmp_wire_count = 1;
			vmpg.wired++;
		}
	}
}

/* Return n pages to FREE. Locks: the page-queues lock held. */
static void
unmark_locked(pmap_paddr_t pa, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		struct vm_page *m = vm_page_lookup_phys(pa + ptoa(i));
		unsigned implicit;

		if (m == NULL)
			panic("vm_page: 0x%llx has no vm_page", (unsigned long long)(pa + ptoa(i)));
		implicit = m->vmp_use != VM_PAGE_USE_OBJECT ? 1 : 0;
		if (m->vmp_use == VM_PAGE_USE_FREE)
			panic("vm_page_release: page 0x%llx is already free",
			    (unsigned long long)vm_page_to_phys(m));
		if (m->vmp_wire_count != implicit)
			panic("vm_page_release: page 0x%llx is still wired (%u)",
			    (unsigned long long)vm_page_to_phys(m), m->vmp_wire_count);
		if (m->vmp_pv != NULL)
			panic("vm_page_release: page 0x%llx is still mapped",
			    (unsigned long long)vm_page_to_phys(m));
		vmpg.wired -= implicit;
		m->vmp_wire_count = 0;
		vmpg.by_use[m->vmp_use]--;
		vmpg.by_use[VM_PAGE_USE_FREE]++;
		m->vmp_use = VM_PAGE_USE_FREE;
		m->vmp_object = NULL;
		m->vmp_owner = NULL;
		m->vmp_zone_meta = NULL;
	}
}

kern_return_t
vm_page_alloc_contig(uint64_t npages, uint64_t align, enum vm_page_use use,
    pmap_paddr_t *out)
{
	kern_return_t kr;
	boolean_t s;

	assert(use != VM_PAGE_USE_FREE && use < VM_PAGE_USE_COUNT);
	kr = vm_phys_alloc(&vm_phys_kernel, npages, align, out);
	if (kr != KERN_SUCCESS || !vmpg.ready)
		return kr;	/* before the array: counted as EARLY at bootstrap */
	s = vmpg_lock();
	mark_locked(*out, npages, use);
	vmpg_unlock(s);
	return KERN_SUCCESS;
}

void
vm_page_free_contig(pmap_paddr_t pa, uint64_t npages)
{
	if (vmpg.ready) {
		boolean_t s = vmpg_lock();

		unmark_locked(pa, npages);
		vmpg_unlock(s);
	}
	vm_phys_free(&vm_phys_kernel, pa, npages);
}

struct vm_page *
vm_page_grab(enum vm_page_use use)
{
	pmap_paddr_t pa;

	assert(vmpg.ready);
	if (vm_page_alloc_contig(1, 1, use, &pa) != KERN_SUCCESS)
		return NULL;
	return vm_page_lookup_phys(pa);
}

struct vm_page *
vm_page_grab_zeroed(enum vm_page_use use)
{
	struct vm_page *m = vm_page_grab(use);

	if (m != NULL)
		memset(phystokv(vm_page_to_phys(m)), 0, PAGE_SIZE);
	return m;
}

void
vm_page_release(struct vm_page *m)
{
	vm_page_free_contig(vm_page_to_phys(m), 1);
}

void
vm_page_wire(struct vm_page *m)
{
	boolean_t s = vmpg_lock();

	if (m->vmp_wire_count == UINT16_MAX)
		panic("vm_page_wire: page 0x%llx wired too often",
		    (unsigned long long)vm_page_to_phys(m));
	if (m->vmp_wire_count++ == 0)
		vmpg.wired++;
	vmpg_unlock(s);
}

void
vm_page_unwire(struct vm_page *m)
{
	boolean_t s = vmpg_lock();

	if (m->vmp_wire_count == 0)
		panic("vm_page_unwire: page 0x%llx is not wired",
		    (unsigned long long)vm_page_to_phys(m));
	if (--m->vmp_wire_count == 0)
		vmpg.wired--;
	vmpg_unlock(s);
}

void
vm_page_get_stats(struct vm_page_stats *out)
{
	boolean_t s = vmpg_lock();

	out->vps_total = vm_phys_total_pages(&vm_phys_kernel);
	out->vps_free = vm_phys_free_pages(&vm_phys_kernel);
	out->vps_wired = vmpg.wired;
	memcpy(out->vps_by_use, vmpg.by_use, sizeof(out->vps_by_use));
	vmpg_unlock(s);
}
