/*
 * kheap.c - first-fit heap over page runs, with boundary coalescing.
 *
 * An arena is a run of pages tiled exactly by blocks. Each block starts with
 * a struct kheap_block; a free block also holds its free-list link in its
 * payload. kb_prev_size lets a block find its left neighbour, kb_size its
 * right one, so both merges on free are O(1):
 *
 *   | hdr | payload ... | hdr | payload ... | hdr | free ......... |
 *   ^ KB_FIRST                               ^ KB_LAST
 *
 * A large block (KB_LARGE) is alone in its own run and goes straight back to
 * the page source when freed.
 */

#include "kernel/kheap.h"

#include "libkern/assert.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"

#define KB_MAGIC_USED	0x4b484555u	/* "KHEU" */
#define KB_MAGIC_FREE	0x4b484546u	/* "KHEF" */

#define KB_FIRST	0x1
#define KB_LAST		0x2
#define KB_LARGE	0x4

struct kheap_block {
	uint32_t	kb_magic;
	uint32_t	kb_flags;
	uint64_t	kb_size;	/* bytes, header included */
	uint64_t	kb_prev_size;	/* left neighbour's kb_size; 0 if KB_FIRST */
	uint64_t	kb_request;	/* bytes asked for, if in use */
};

struct kheap_free {
	struct kheap_block	kf_hdr;
	LIST_ENTRY(kheap_free)	kf_link;
};

static_assert(sizeof(struct kheap_block) % KHEAP_ALIGN == 0,
    "payloads must stay 16-byte aligned");

#define HDR		sizeof(struct kheap_block)
#define MIN_BLOCK	ROUNDUP(sizeof(struct kheap_free), KHEAP_ALIGN)
#define LARGE_LIMIT	(KHEAP_ARENA_SIZE / 4)
#define ARENA_PAGES	(KHEAP_ARENA_SIZE / PAGE_SIZE)

struct kheap kernel_heap;

static boolean_t
kheap_lock(struct kheap *heap)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&heap->kh_lock);
	return s;
}

static void
kheap_unlock(struct kheap *heap, boolean_t s)
{
	hw_lock_unlock(&heap->kh_lock);
	ml_set_interrupts_enabled(s);
}

static inline struct kheap_block *
block_next(struct kheap_block *b)
{
	return (struct kheap_block *)(void *)((char *)b + b->kb_size);
}

static inline struct kheap_block *
block_prev(struct kheap_block *b)
{
	return (struct kheap_block *)(void *)((char *)b - b->kb_prev_size);
}

void
kheap_init(struct kheap *heap, const char *name, kheap_page_alloc_t alloc,
    kheap_page_free_t free)
{
	memset(heap, 0, sizeof(*heap));
	hw_lock_init(&heap->kh_lock);
	heap->kh_name = name;
	heap->kh_page_alloc = alloc;
	heap->kh_page_free = free;
	LIST_INIT(&heap->kh_free);
}

/* Mark b free and put it on the free list. Locks: kh_lock held. */
static void
block_make_free(struct kheap *heap, struct kheap_block *b)
{
	struct kheap_free *f = (struct kheap_free *)b;

	b->kb_magic = KB_MAGIC_FREE;
	b->kb_request = 0;
	LIST_INSERT_HEAD(&heap->kh_free, f, kf_link);
}

/* Take a new arena from the page source. Locks: kh_lock held. */
static boolean_t
heap_grow(struct kheap *heap)
{
	struct kheap_block *b = heap->kh_page_alloc(ARENA_PAGES);

	if (b == NULL)
		return FALSE;
	b->kb_flags = KB_FIRST | KB_LAST;
	b->kb_size = KHEAP_ARENA_SIZE;
	b->kb_prev_size = 0;
	block_make_free(heap, b);
	heap->kh_stats.khs_arena_bytes += KHEAP_ARENA_SIZE;
	return TRUE;
}

/* Cut b down to need bytes, freeing the rest. Locks: kh_lock held. */
static void
block_split(struct kheap *heap, struct kheap_block *b, uint64_t need)
{
	struct kheap_block *rest;

	if (b->kb_size - need < MIN_BLOCK)
		return;
	rest = (struct kheap_block *)(void *)((char *)b + need);
	rest->kb_size = b->kb_size - need;
	rest->kb_prev_size = need;
	rest->kb_flags = b->kb_flags & KB_LAST;
	b->kb_flags &= ~KB_LAST;
	b->kb_size = need;
	if (!(rest->kb_flags & KB_LAST))
		block_next(rest)->kb_prev_size = rest->kb_size;
	block_make_free(heap, rest);
}

static void *
alloc_large(struct kheap *heap, size_t size)
{
	uint64_t bytes = round_page((uint64_t)size + HDR);
	struct kheap_block *b = heap->kh_page_alloc(atop(bytes));
	boolean_t s;

	if (b == NULL)
		return NULL;
	b->kb_magic = KB_MAGIC_USED;
	b->kb_flags = KB_LARGE | KB_FIRST | KB_LAST;
	b->kb_size = bytes;
	b->kb_prev_size = 0;
	b->kb_request = size;
	s = kheap_lock(heap);
	heap->kh_stats.khs_large_bytes += bytes;
	heap->kh_stats.khs_inuse_bytes += size;
	heap->kh_stats.khs_allocs++;
	kheap_unlock(heap, s);
	return b + 1;
}

void *
kheap_alloc(struct kheap *heap, size_t size)
{
	struct kheap_free *f;
	uint64_t need;
	boolean_t s;

	if (size > LARGE_LIMIT) {
		void *p = size < SIZE_MAX - PAGE_SIZE - HDR ? alloc_large(heap, size) : NULL;

		if (p == NULL) {
			s = kheap_lock(heap);
			heap->kh_stats.khs_failures++;
			kheap_unlock(heap, s);
		}
		return p;
	}
	need = MAX(ROUNDUP((uint64_t)size, KHEAP_ALIGN) + HDR, MIN_BLOCK);

	s = kheap_lock(heap);
	for (;;) {
		LIST_FOREACH(f, &heap->kh_free, kf_link) {
			if (f->kf_hdr.kb_size >= need)
				goto found;
		}
		if (!heap_grow(heap)) {
			heap->kh_stats.khs_failures++;
			kheap_unlock(heap, s);
			return NULL;
		}
	}
found:
	LIST_REMOVE(f, kf_link);
	block_split(heap, &f->kf_hdr, need);
	f->kf_hdr.kb_magic = KB_MAGIC_USED;
	f->kf_hdr.kb_request = size;
	heap->kh_stats.khs_inuse_bytes += size;
	heap->kh_stats.khs_allocs++;
	kheap_unlock(heap, s);
	return &f->kf_hdr + 1;
}

/* The header of ptr, checked. Panics on a pointer the heap did not return. */
static struct kheap_block *
block_of(const void *ptr, const char *who)
{
	struct kheap_block *b = (struct kheap_block *)(uintptr_t)ptr - 1;

	if (((uintptr_t)ptr & (KHEAP_ALIGN - 1)) != 0)
		panic("%s: %p is not a heap pointer (misaligned)", who, ptr);
	if (b->kb_magic == KB_MAGIC_FREE)
		panic("%s: %p is already free (double free)", who, ptr);
	if (b->kb_magic != KB_MAGIC_USED)
		panic("%s: %p is not a heap pointer (bad magic 0x%x)", who, ptr,
		    b->kb_magic);
	return b;
}

/* Merge free b with its free neighbours. Locks: kh_lock held. */
static struct kheap_block *
block_coalesce(struct kheap_block *b)
{
	struct kheap_block *n;

	if (!(b->kb_flags & KB_LAST)) {
		n = block_next(b);
		if (n->kb_magic == KB_MAGIC_FREE) {
			LIST_REMOVE((struct kheap_free *)n, kf_link);
			b->kb_flags |= n->kb_flags & KB_LAST;
			b->kb_size += n->kb_size;
		}
	}
	if (!(b->kb_flags & KB_FIRST)) {
		n = block_prev(b);
		if (n->kb_magic == KB_MAGIC_FREE) {
			LIST_REMOVE((struct kheap_free *)n, kf_link);
			n->kb_flags |= b->kb_flags & KB_LAST;
			n->kb_size += b->kb_size;
			b = n;
		}
	}
	if (!(b->kb_flags & KB_LAST))
		block_next(b)->kb_prev_size = b->kb_size;
	return b;
}

void
kheap_free(struct kheap *heap, void *ptr)
{
	struct kheap_block *b;
	uint64_t request;
	boolean_t s;

	if (ptr == NULL)
		return;
	s = kheap_lock(heap);
	b = block_of(ptr, "kheap_free");
	request = b->kb_request;
#if MACHINA_DEBUG
	memset(ptr, 0xde, b->kb_size - HDR);
#endif
	heap->kh_stats.khs_inuse_bytes -= request;
	heap->kh_stats.khs_frees++;
	if (b->kb_flags & KB_LARGE) {
		uint64_t bytes = b->kb_size;

		b->kb_magic = KB_MAGIC_FREE;
		heap->kh_stats.khs_large_bytes -= bytes;
		kheap_unlock(heap, s);
		heap->kh_page_free(b, atop(bytes));
		return;
	}
	b->kb_magic = KB_MAGIC_FREE;
	block_make_free(heap, block_coalesce(b));
	kheap_unlock(heap, s);
}

size_t
kheap_size(struct kheap *heap, const void *ptr)
{
	(void)heap;
	return block_of(ptr, "kheap_size")->kb_size - HDR;
}

void
kheap_get_stats(struct kheap *heap, struct kheap_stats *out)
{
	boolean_t s = kheap_lock(heap);

	*out = heap->kh_stats;
	kheap_unlock(heap, s);
}

static void *
kernel_heap_page_alloc(size_t npages)
{
	pmap_paddr_t pa;

	if (vm_page_alloc_contig(npages, 1, VM_PAGE_USE_KERNEL, &pa) != KERN_SUCCESS)
		return NULL;
	return phystokv(pa);
}

static void
kernel_heap_page_free(void *va, size_t npages)
{
	vm_page_free_contig(kvtophys((vm_offset_t)va), npages);
}

void
kernel_heap_init(void)
{
	kheap_init(&kernel_heap, "kernel", kernel_heap_page_alloc,
	    kernel_heap_page_free);
}
