/*
 * zalloc.h - zones: fixed-size kernel objects carved out of whole pages.
 *
 * A zone hands out elements of one size. It grows by a chunk: one page, or
 * a few physically contiguous pages when that wastes less, taken from the
 * page layer as VM_PAGE_USE_ZONE pages and reached through the direct map.
 * Each page's vm_page names the zone in vmp_owner. Elements are laid end to
 * end from the start of the chunk, so an element is aligned to at least 16
 * bytes, and to its size's natural alignment up to the page size. A zone
 * that runs out of memory, or reaches the limit zinit() gave it, returns
 * NULL: it never panics for that and never waits.
 *
 *	zone_t zone = zinit(sizeof(struct foo), 0, PAGE_SIZE, "foo");
 *	struct foo *f = zalloc(zone);
 *	...
 *	zfree(zone, f);
 *
 * What is checked (each one is a kernel bug and panics, naming the zone,
 * the pointer and what was wrong):
 *   - zfree of a pointer that is not in the direct map, not in a zone page,
 *     in another zone's page, not on an element boundary, or past the last
 *     element of its chunk;
 *   - zfree of an element that is already free (each chunk keeps a bitmap
 *     of its free elements outside the elements themselves, so nothing
 *     written into an element can make it look free or in use);
 *   - in debug builds (MACHINA_DEBUG), a write to an element after it was
 *     freed: free elements are filled with ZONE_POISON, and the pattern is
 *     checked when the element is handed out again and when its chunk goes
 *     back to the page layer (only in the first bytes of each element, for
 *     a zone given a zone_poison_limit);
 *   - zdestroy of a zone that still has elements in use.
 * Memory from zalloc is not zeroed; in debug builds it holds ZONE_POISON.
 *
 * Pages go back to the page layer when a chunk becomes wholly free and the
 * zone already keeps one wholly free chunk in reserve; zone_gc() gives back
 * every wholly free chunk of every zone.
 *
 * Statistics: zone_get_info() copies one zone's counters into a struct
 * zone_info; zone_iterate() visits every zone; zone_print_all() prints the
 * zprint table. At any moment
 *	zi_elems_inuse + zi_elems_free == zi_pages / chunk pages * zi_elems_per_chunk
 *	zi_allocs - zi_frees == zi_elems_inuse
 *
 * Contexts: zalloc and zfree take only spin locks with interrupts off and
 * never block, so they may be called from interrupt context.
 * Lock order (docs/locking.md): the zone list lock, then a zone's lock,
 * then the heap's and the page layer's locks.
 */

#ifndef MACH_KERN_ZALLOC_H
#define MACH_KERN_ZALLOC_H

#include <stdint.h>

#include "mach/vm_types.h"

struct zone;
typedef struct zone	*zone_t;

#define ZONE_NULL		((zone_t)0)

#define ZONE_NAME_MAX		32	/* bytes, with the NUL; longer names are cut */
#define ZONE_ELEM_ALIGN		16	/* element sizes are rounded up to this */
#define ZONE_CHUNK_MAX_PAGES	8	/* the largest chunk a zone grows by */
#define ZONE_MAX_ELEM_SIZE	(ZONE_CHUNK_MAX_PAGES * PAGE_SIZE)
#define ZONE_POISON		0xdeadbeefdeadbeefULL	/* fills free elements */

/* One zone's counters, as zprint shows them (a copy; see zone_get_info). */
struct zone_info {
	char		zi_name[ZONE_NAME_MAX];
	uint64_t	zi_elem_size;		/* bytes per element, rounded */
	uint64_t	zi_chunk_size;		/* bytes the zone grows by */
	uint64_t	zi_elems_per_chunk;
	uint64_t	zi_max_size;		/* page bytes it may hold; 0: no limit */
	uint64_t	zi_elems_inuse;		/* handed out and not yet freed */
	uint64_t	zi_elems_free;		/* free in the pages the zone holds */
	uint64_t	zi_peak_inuse;		/* the most ever in use at once */
	uint64_t	zi_pages;		/* pages the zone holds */
	uint64_t	zi_pages_empty;		/* of those, in wholly free chunks */
	uint64_t	zi_allocs;		/* elements handed out, ever */
	uint64_t	zi_frees;		/* elements given back, ever */
	uint64_t	zi_failures;		/* zalloc calls that returned NULL */
};

/*
 * zone_bootstrap: set up the table that finds a chunk's bookkeeping from any
 * of its pages. Once, after vm_page_bootstrap and the kernel heap; before
 * the first zinit (kalloc_init calls it).
 */
void		zone_bootstrap(void);

/*
 * zinit: a new zone of elements of size bytes (1 to ZONE_MAX_ELEM_SIZE,
 * rounded up to ZONE_ELEM_ALIGN). max is the most memory the zone may hold,
 * in bytes, rounded up to whole chunks; 0 for no limit. alloc is the chunk
 * size wanted, in bytes (0: the zone chooses); it is rounded up to pages
 * and may be enlarged, up to ZONE_CHUNK_MAX_PAGES, to hold an element or to
 * waste less than a sixteenth of the chunk. name is copied.
 * Returns: the zone, or ZONE_NULL if there was no memory for its record.
 * A size out of range or a NULL name is a kernel bug and panics.
 */
zone_t		zinit(vm_size_t size, vm_size_t max, vm_size_t alloc, const char *name);

/*
 * zdestroy: give back every page of an empty zone and forget it. Panics if
 * any element is still in use.
 */
void		zdestroy(zone_t zone);

/* zalloc: an element, or NULL if memory ran out or the zone is at its max. */
void		*zalloc(zone_t zone);

/*
 * zone_poison_limit: in debug builds, poison and check only the first bytes
 * of each element (rounded up to 8; at most the element size), for a zone
 * of large elements whose use after free would show at their start (path
 * buffers); the rest of a free element keeps what it last held. Before the
 * zone's first zalloc (a kernel bug otherwise, and a panic).
 */
void		zone_poison_limit(zone_t zone, vm_size_t bytes);

/* zalloc_noblock: the same; zalloc never blocks in Machina either. */
void		*zalloc_noblock(zone_t zone);

/* zfree: give an element back to the zone it came from. NULL is ignored. */
void		zfree(zone_t zone, void *elem);

/*
 * zone_element_size: if addr points into a zone's page, the element size
 * of that zone (and the zone in *zonep if zonep is not NULL); 0 otherwise.
 * Never panics, whatever addr is; says nothing about whether the element
 * is in use.
 */
vm_size_t	zone_element_size(const void *addr, zone_t *zonep);

/* zone_trim: give back wholly free chunks until at most keep_pages pages are in them. */
void		zone_trim(zone_t zone, vm_size_t keep_pages);

/* zone_gc: give back every wholly free chunk of every zone. */
void		zone_gc(void);

/* zone_name: the zone's name, as zinit copied it. */
const char	*zone_name(zone_t zone);

/* zone_get_info: a consistent copy of one zone's counters. */
void		zone_get_info(zone_t zone, struct zone_info *out);

/*
 * zone_iterate: call fn(zone, arg) for every zone, in creation order.
 * Locks: fn runs with the zone list locked and interrupts off; it may use
 * any zone (zalloc, zfree, zone_get_info, zone_trim) but must not create
 * or destroy one.
 */
void		zone_iterate(void (*fn)(zone_t zone, void *arg), void *arg);

/* zone_print_all: the zprint table (name, element size, in use, free, pages, allocs). */
void		zone_print_all(void);

#endif /* MACH_KERN_ZALLOC_H */
