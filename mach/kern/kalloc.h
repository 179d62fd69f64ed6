/*
 * kalloc.h - general-purpose kernel memory: kalloc and kfree (XNU's names).
 *
 * Requests up to KALLOC_MAX_ZONE_SIZE bytes are served by a zone per size
 * class, named after its element size:
 *
 *	kalloc.16  .32  .48  .64  .96  .128  .160  .192  .256  .384  .512
 *	.768  .1024  .1536  .2048  .3072  .4096  .6144  .8192
 *
 * (the classes step by about a third or a half, so no request wastes more
 * than a third of its element). Larger requests get whole pages of their
 * own from kernel_map (kmem_alloc), rounded up to pages.
 *
 *	struct foo *f = kalloc(sizeof(*f));
 *	...
 *	kfree(f, sizeof(*f));
 *
 * The contract is XNU's: kfree takes the size that was passed to kalloc.
 * kfree checks that the size leads where the pointer came from: a size of
 * another class than the pointer's zone, a large size for a zone element,
 * or a small size for a large allocation is a kernel bug and panics (so do
 * the zone's own checks: double frees, foreign pointers, writes after
 * free). Two sizes of the same class are indistinguishable and not caught.
 *
 * kalloc(0) and requests too large to round up to pages return NULL, as
 * does running out of memory. Memory is not zeroed; alignment is at least
 * 16 bytes (see zalloc.h), page alignment for large requests.
 *
 * Contexts: requests up to KALLOC_MAX_ZONE_SIZE may come from interrupt
 * context (zones never block); larger ones may not (kmem_alloc).
 * Locks: the large-allocation counters have a spin lock of their own, a
 * leaf; the zones' locks are zalloc's.
 */

#ifndef MACH_KERN_KALLOC_H
#define MACH_KERN_KALLOC_H

#include <stdint.h>

#include "mach/kern/zalloc.h"
#include "mach/vm_types.h"

#define KALLOC_MAX_ZONE_SIZE	8192	/* larger requests use kmem_alloc */

/* Large (kmem_alloc) allocations; the zones keep their own counters. */
struct kalloc_stats {
	uint64_t	kas_large_inuse;	/* live large allocations */
	uint64_t	kas_large_bytes;	/* their size, in whole pages */
	uint64_t	kas_large_allocs;	/* large allocations, ever */
	uint64_t	kas_failures;		/* kalloc calls that returned NULL */
};

/*
 * kalloc_init: one zone per size class. Once, after zone_bootstrap and
 * kmem_init. Panics if the zones cannot be created (no memory at boot).
 */
void		kalloc_init(void);

/* kalloc: size bytes, or NULL (size 0, too large, or no memory). */
void		*kalloc(vm_size_t size);

/* kfree: give back what kalloc(size) returned, with the same size. NULL is ignored. */
void		kfree(void *addr, vm_size_t size);

/* kalloc_zone: the zone kalloc(size) draws from; ZONE_NULL if size is 0 or large. */
zone_t		kalloc_zone(vm_size_t size);

void		kalloc_get_stats(struct kalloc_stats *out);

#endif /* MACH_KERN_KALLOC_H */
