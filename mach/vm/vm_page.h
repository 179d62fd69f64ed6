/*
 * vm_page.h - one struct vm_page for every page of RAM.
 *
 * vm_phys decides which frames are free; the vm_page array says what each
 * frame is used for and by whom: which VM object and offset it caches, how
 * often it is wired, whether a zone or the page tables own it. Counting by
 * use is what `vm_stat`-style accounting, zprint and the leak checks read.
 *
 * The array is built once every RAM segment is known (vm_page_bootstrap,
 * after pmap_bootstrap has mapped memory above 4 GiB); pages allocated
 * before that (the kernel's first page tables, the heap's first arenas) are
 * found allocated by then and counted as VM_PAGE_USE_EARLY.
 *
 * Locks for struct vm_page:
 *   [P] the page-queues lock (vm_page_queue_lock, a hw_lock, interrupts off)
 *   [O] the owning object's lock, for pages that belong to one
 *   [I] set by vm_page_bootstrap
 *   [Z] the owning zone's lock
 *   [V] the pmap module's mapping (pv) lock: which pmaps map the page
 *       (kept for pages of VM objects only, so that a page can be
 *       unmapped everywhere before it is freed or copied over)
 * Lock order: object lock, then the pv lock, then the page-queues lock,
 * then vm_phys.
 */

#ifndef MACH_VM_VM_PAGE_H
#define MACH_VM_VM_PAGE_H

#include <stdint.h>

#include "libkern/queue.h"
#include "libkern/rbtree.h"
#include "mach/boolean.h"
#include "mach/kern_return.h"
#include "mach/vm_types.h"

struct vm_object;
struct pv_entry;

/* What a page is used for. */
enum vm_page_use {
	VM_PAGE_USE_FREE = 0,		/* in vm_phys's free pool */
	VM_PAGE_USE_EARLY,		/* allocated before the array existed */
	VM_PAGE_USE_KERNEL,		/* wired kernel memory (kmem, stacks) */
	VM_PAGE_USE_PAGETABLE,		/* a page-table page */
	VM_PAGE_USE_ZONE,		/* a zone's element page */
	VM_PAGE_USE_OBJECT,		/* caches a VM object's data */
	VM_PAGE_USE_COUNT
};

struct vm_page {
	struct rb_node		vmp_node;	/* [O] in the object's memq, by offset */
	struct vm_object	*vmp_object;	/* [O] owner, or NULL */
	uint64_t		vmp_offset;	/* [O] offset in the object */
	void			*vmp_owner;	/* [P] zone or other non-object owner */
	void			*vmp_zone_meta;	/* [Z] a zone page's chunk (zalloc.c) */
	struct pv_entry		*vmp_pv;	/* [V] mappings of an object page */
	ppnum_t			vmp_phys_page;	/* [I] */
	uint16_t		vmp_wire_count;	/* [P] */
	uint8_t			vmp_use;	/* [P] enum vm_page_use */
	uint8_t			vmp_flags;	/* [O] VMP_* */
};

#define VMP_DIRTY	0x02	/* modified since it was last cleaned */

TAILQ_HEAD(vm_page_queue, vm_page);

/* vm_page_bootstrap: build the array over every vm_phys segment. */
void		vm_page_bootstrap(void);

/*
 * vm_page_grab: a free page, marked with its use (and wired once if use is
 * not OBJECT). NULL if memory is exhausted. Contents are not zeroed.
 */
struct vm_page	*vm_page_grab(enum vm_page_use use);

/* vm_page_grab_zeroed: the same, filled with zeros. */
struct vm_page	*vm_page_grab_zeroed(enum vm_page_use use);

/* vm_page_release: back to the free pool. The page must be unwired. */
void		vm_page_release(struct vm_page *m);

/*
 * vm_page_alloc_contig: npages physically contiguous pages, the first
 * aligned to align pages, marked with use. Usable before the array exists
 * (the pages then count as EARLY). KERN_RESOURCE_SHORTAGE if none.
 * vm_page_free_contig gives them back.
 */
kern_return_t	vm_page_alloc_contig(uint64_t npages, uint64_t align,
		    enum vm_page_use use, pmap_paddr_t *out);
void		vm_page_free_contig(pmap_paddr_t pa, uint64_t npages);

/* vm_page_wire, vm_page_unwire: count a page in and out of the wired set. */
void		vm_page_wire(struct vm_page *m);
void		vm_page_unwire(struct vm_page *m);

/* vm_page_lookup_phys: the page for a physical address, or NULL. */
struct vm_page	*vm_page_lookup_phys(pmap_paddr_t pa);

static inline pmap_paddr_t
vm_page_to_phys(const struct vm_page *m)
{
	return ptoa((pmap_paddr_t)m->vmp_phys_page);
}

/* Accounting, in pages. */
struct vm_page_stats {
	uint64_t	vps_total;		/* RAM managed by vm_phys */
	uint64_t	vps_free;
	uint64_t	vps_wired;
	uint64_t	vps_by_use[VM_PAGE_USE_COUNT];
};

void		vm_page_get_stats(struct vm_page_stats *out);

/* The array is there (vm_page_bootstrap has run). */
boolean_t	vm_page_ready(void);

#endif /* MACH_VM_VM_PAGE_H */
