/*
 * kheap.h - the early kernel heap: variable-sized allocations from boot on.
 *
 * Until zones and kalloc exist (they come with the Mach VM work), this is
 * how the kernel allocates memory whose size is not known at compile time.
 * It stays afterwards as the allocator under the zones' own bookkeeping.
 *
 * Small requests are carved first-fit out of 64 KiB arenas of contiguous
 * physical pages reached through the direct map; freed blocks merge with
 * free neighbours. Requests above a quarter of an arena get their own run of
 * pages, given back to vm_phys when freed. Every block carries a header with
 * a magic number, so freeing a pointer the heap never returned, or freeing
 * one twice, is caught and panics (a kernel bug). Debug builds poison freed
 * memory with 0xde bytes.
 *
 * Pointers are 16-byte aligned. Memory is not zeroed.
 *
 * Locks for struct kheap:
 *   [I] set by kheap_init
 *   [L] kh_lock (a hw_lock, taken with interrupts off)
 * Lock order: kh_lock, then the page source's own lock (vm_phys).
 */

#ifndef KERNEL_KHEAP_H
#define KERNEL_KHEAP_H

#include <stddef.h>
#include <stdint.h>

#include "libkern/queue.h"
#include "mach/kern/simple_lock.h"

#define KHEAP_ARENA_SIZE	(64 * 1024)
#define KHEAP_ALIGN		16

struct kheap_free;

/* Where a heap gets and returns runs of whole pages. */
typedef void	*(*kheap_page_alloc_t)(size_t npages);
typedef void	 (*kheap_page_free_t)(void *va, size_t npages);

struct kheap_stats {
	uint64_t	khs_inuse_bytes;	/* requested bytes outstanding */
	uint64_t	khs_arena_bytes;	/* bytes in arenas */
	uint64_t	khs_large_bytes;	/* bytes in dedicated runs */
	uint64_t	khs_allocs;		/* successful allocations, ever */
	uint64_t	khs_frees;
	uint64_t	khs_failures;		/* allocations that found no memory */
};

struct kheap {
	hw_lock_data_t		kh_lock;
	const char		*kh_name;	/* [I] */
	kheap_page_alloc_t	kh_page_alloc;	/* [I] */
	kheap_page_free_t	kh_page_free;	/* [I] */
	LIST_HEAD(, kheap_free)	kh_free;	/* [L] free blocks, any order */
	struct kheap_stats	kh_stats;	/* [L] */
};

/* The kernel's heap, fed by vm_phys_kernel through the direct map. */
extern struct kheap kernel_heap;

void	kheap_init(struct kheap *heap, const char *name, kheap_page_alloc_t alloc,
	    kheap_page_free_t free);

/* kheap_alloc: size bytes, 16-byte aligned, or NULL if memory ran out. */
void	*kheap_alloc(struct kheap *heap, size_t size);

/* kheap_free: give back a pointer kheap_alloc returned; NULL is ignored. */
void	kheap_free(struct kheap *heap, void *ptr);

/* kheap_size: the usable size of an allocated block. */
size_t	kheap_size(struct kheap *heap, const void *ptr);

void	kheap_get_stats(struct kheap *heap, struct kheap_stats *out);

/* kernel_heap_init: set up kernel_heap once vm_phys and the direct map exist. */
void	kernel_heap_init(void);

#endif /* KERNEL_KHEAP_H */
