/*
 * test_kheap.c - kernel/kheap.c: the early kernel heap over a page source
 * of the test's own.
 *
 * The page source hands out pages of a host buffer first fit and keeps
 * count. Pages it has not handed out, and pages given back, are poisoned
 * for ASan, so the heap touching memory outside its arenas, or a large
 * block after returning it, is a sanitizer report. Coalescing is observed
 * from outside: once everything is freed, an arena must take four blocks of
 * exactly a quarter of it again, at the addresses a single free block
 * gives, without asking the page source for more.
 */

#include <criterion/criterion.h>
#include <sanitizer/asan_interface.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"
#include "tests/unit/shim/shim.h"

#include "kernel/kheap.h"
#include "mach/vm_types.h"

#define POOL_PAGES	1024		/* 4 MiB */
#define HDR		32		/* the block header, as kheap.c lays it out */
#define QUARTER		(KHEAP_ARENA_SIZE / 4)
#define ARENA_PAGES	(KHEAP_ARENA_SIZE / PAGE_SIZE)

/* --- the page source ------------------------------------------------------- */

static struct {
	uint8_t		*ps_base;
	bool		ps_used[POOL_PAGES];
	size_t		ps_run[POOL_PAGES];	/* pages in the run starting here */
	size_t		ps_limit;	/* most pages out at once */
	size_t		ps_out;
	unsigned	ps_allocs;	/* calls that succeeded */
	unsigned	ps_frees;
	bool		ps_poison;	/* poison pages given back */
} pool;

static struct kheap heap;

static void *
pool_alloc(size_t npages)
{
	size_t run = 0;

	if (npages == 0 || npages > POOL_PAGES || pool.ps_out + npages > pool.ps_limit)
		return NULL;
	for (size_t i = 0; i < POOL_PAGES; i++) {
		run = pool.ps_used[i] ? 0 : run + 1;
		if (run == npages) {
			uint8_t *va = pool.ps_base + (i + 1 - npages) * PAGE_SIZE;

			for (size_t k = i + 1 - npages; k <= i; k++)
				pool.ps_used[k] = true;
			pool.ps_run[i + 1 - npages] = npages;
			pool.ps_out += npages;
			pool.ps_allocs++;
			ASAN_UNPOISON_MEMORY_REGION(va, npages * PAGE_SIZE);
			return va;
		}
	}
	return NULL;
}

static void
pool_free(void *va, size_t npages)
{
	size_t first = (size_t)((uint8_t *)va - pool.ps_base) / PAGE_SIZE;

	cr_assert((uint8_t *)va >= pool.ps_base &&
	    (uint8_t *)va + npages * PAGE_SIZE <= pool.ps_base + POOL_PAGES * PAGE_SIZE &&
	    ((uintptr_t)va & PAGE_MASK) == 0, "the heap returned pages it never got: %p",
	    va);
	cr_assert_eq(pool.ps_run[first], npages, "the heap returned part of a run");
	for (size_t k = first; k < first + npages; k++) {
		cr_assert(pool.ps_used[k], "the heap returned page %zu twice", k);
		pool.ps_used[k] = false;
	}
	pool.ps_run[first] = 0;
	pool.ps_out -= npages;
	pool.ps_frees++;
	if (pool.ps_poison)
		ASAN_POISON_MEMORY_REGION(va, npages * PAGE_SIZE);
}

/* The start of the page run that holds p. */
static uint8_t *
pool_run_of(const void *p)
{
	size_t page = (size_t)((const uint8_t *)p - pool.ps_base) / PAGE_SIZE;

	while (pool.ps_run[page] == 0) {
		cr_assert_gt(page, 0u, "%p is in no run", p);
		page--;
	}
	return pool.ps_base + page * PAGE_SIZE;
}

static void
setup(void)
{
	void *base;

	cr_assert_eq(posix_memalign(&base, PAGE_SIZE, POOL_PAGES * PAGE_SIZE), 0);
	pool.ps_base = base;
	pool.ps_limit = POOL_PAGES;
	pool.ps_poison = true;
	ASAN_POISON_MEMORY_REGION(base, POOL_PAGES * PAGE_SIZE);
	kheap_init(&heap, "test", pool_alloc, pool_free);
}

TestSuite(kheap, .init = setup);

static void *
alloc_ok(size_t size)
{
	void *p = kheap_alloc(&heap, size);

	cr_assert_not_null(p, "kheap_alloc(%zu) failed", size);
	cr_assert_eq((uintptr_t)p % KHEAP_ALIGN, 0u, "%zu bytes at %p", size, p);
	cr_assert_geq(kheap_size(&heap, p), size);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE, "interrupts left off");
	return p;
}

static struct kheap_stats
stats(void)
{
	struct kheap_stats s;

	kheap_get_stats(&heap, &s);
	return s;
}

/* The heap's arenas take 4 quarter blocks each again, in place, no growth. */
static void
expect_arenas_whole(unsigned narenas)
{
	unsigned before = pool.ps_allocs;
	uint8_t **p = calloc(4 * narenas + 1, sizeof(*p));

	for (unsigned i = 0; i < 4 * narenas; i++)
		p[i] = alloc_ok(QUARTER - HDR);
	cr_assert_eq(pool.ps_allocs, before,
	    "the heap grew: an arena is not one free block");
	for (unsigned i = 0; i < 4 * narenas; i++) {
		uintptr_t off = (uintptr_t)(p[i] - pool_run_of(p[i]));

		cr_assert_eq(off % QUARTER, HDR, "block %u is not at a quarter", i);
	}
	for (unsigned i = 0; i < 4 * narenas; i++)
		kheap_free(&heap, p[i]);
	free(p);
}

/* --- small blocks ---------------------------------------------------------- */

Test(kheap, small_blocks_are_aligned_distinct_and_usable)
{
	static uint8_t *p[400];

	for (size_t size = 0; size < 400; size++) {
		p[size] = alloc_ok(size);
		memset(p[size], (int)size, size);
	}
	for (size_t i = 0; i < 400; i++) {
		for (size_t k = 0; k < i; k++)
			cr_assert_eq(p[i][k], (uint8_t)i, "block %zu was overwritten", i);
	}
	for (size_t size = 0; size < 400; size++)
		kheap_free(&heap, p[size]);
	cr_assert_eq(stats().khs_inuse_bytes, 0u);
}

Test(kheap, stats_follow_requests)
{
	void *a, *b;
	struct kheap_stats s;

	a = alloc_ok(100);
	b = alloc_ok(1);
	s = stats();
	cr_assert_eq(s.khs_inuse_bytes, 101u);
	cr_assert_eq(s.khs_arena_bytes, (uint64_t)KHEAP_ARENA_SIZE);
	cr_assert_eq(s.khs_allocs, 2u);
	cr_assert_eq(s.khs_frees, 0u);
	cr_assert_eq(pool.ps_out, ARENA_PAGES);
	kheap_free(&heap, a);
	kheap_free(&heap, b);
	s = stats();
	cr_assert_eq(s.khs_inuse_bytes, 0u);
	cr_assert_eq(s.khs_frees, 2u);
	cr_assert_eq(s.khs_arena_bytes, (uint64_t)KHEAP_ARENA_SIZE, "arenas are kept");
}

Test(kheap, free_null_is_ignored)
{
	kheap_free(&heap, NULL);
	cr_assert_eq(stats().khs_frees, 0u);
}

/* Whatever the order of frees, neighbours merge back into the arena. */
Test(kheap, freeing_everything_coalesces_each_arena)
{
	static void *p[3000];
	struct test_rand r;
	unsigned n = 0;
	struct kheap_stats s;

	test_rand_seed(&r, 0xc0a1);
	while (pool.ps_allocs < 3 && n < 3000)
		p[n++] = alloc_ok(1 + (size_t)test_rand_below(&r, 200));
	/* Shuffle, then free in that order. */
	for (unsigned i = n - 1; i > 0; i--) {
		unsigned j = (unsigned)test_rand_below(&r, i + 1);
		void *t = p[i];

		p[i] = p[j];
		p[j] = t;
	}
	for (unsigned i = 0; i < n; i++)
		kheap_free(&heap, p[i]);
	s = stats();
	cr_assert_eq(s.khs_inuse_bytes, 0u);
	cr_assert_eq(s.khs_arena_bytes, 3u * KHEAP_ARENA_SIZE);
	expect_arenas_whole(3);
}

/* Free the middle, then each neighbour: both merge directions. */
Test(kheap, merge_with_left_and_right_neighbours)
{
	void *a, *b, *c, *d;

	a = alloc_ok(1000);
	b = alloc_ok(1000);
	c = alloc_ok(1000);
	d = alloc_ok(1000);
	kheap_free(&heap, b);
	kheap_free(&heap, c);		/* merges left into b */
	kheap_free(&heap, a);		/* merges right into b+c */
	kheap_free(&heap, d);		/* merges left, and right into the rest */
	expect_arenas_whole(1);
}

Test(kheap, freed_block_is_reused)
{
	void *a, *b;

	a = alloc_ok(256);
	(void)alloc_ok(256);
	kheap_free(&heap, a);
	b = alloc_ok(200);
	cr_assert_eq(b, a, "first fit takes the freed block");
}

/* Debug builds fill freed memory with 0xde (past the free-list link). */
Test(kheap, freed_memory_is_poisoned)
{
	uint8_t *a, *b, *c;

	a = alloc_ok(512);
	b = alloc_ok(512);
	c = alloc_ok(512);
	memset(b, 0x11, 512);
	kheap_free(&heap, b);
	for (size_t i = 16; i < 512; i++)
		cr_assert_eq(b[i], 0xde, "byte %zu of a freed block is %#x", i, b[i]);
	kheap_free(&heap, a);
	kheap_free(&heap, c);
}

Test(kheap, largest_small_block)
{
	uint8_t *p = alloc_ok(QUARTER);

	cr_assert_eq(pool.ps_out, ARENA_PAGES, "a quarter arena is still small");
	memset(p, 0x5a, QUARTER);
	kheap_free(&heap, p);
	cr_assert_eq(pool.ps_out, ARENA_PAGES, "small blocks stay in the arena");
}

/* --- large blocks ---------------------------------------------------------- */

Test(kheap, large_blocks_get_their_own_pages_and_give_them_back)
{
	static const size_t sizes[] = { QUARTER + 1, 20000, 5 * PAGE_SIZE - HDR,
		5 * PAGE_SIZE - HDR + 1, 1000000 };
	struct kheap_stats s;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t pages = (sizes[i] + HDR + PAGE_SIZE - 1) / PAGE_SIZE;
		uint8_t *p = alloc_ok(sizes[i]);

		cr_assert_eq(pool.ps_out, pages, "%zu bytes took %zu pages", sizes[i],
		    pool.ps_out);
		cr_assert_eq(((uintptr_t)p & PAGE_MASK), (uintptr_t)HDR);
		cr_assert_eq(kheap_size(&heap, p), pages * PAGE_SIZE - HDR);
		memset(p, 0xa5, sizes[i]);
		s = stats();
		cr_assert_eq(s.khs_large_bytes, pages * PAGE_SIZE);
		cr_assert_eq(s.khs_inuse_bytes, sizes[i]);
		cr_assert_eq(s.khs_arena_bytes, 0u, "no arena for a large block");
		kheap_free(&heap, p);
		cr_assert_eq(pool.ps_out, 0u, "pages not given back");
		s = stats();
		cr_assert_eq(s.khs_large_bytes, 0u);
		cr_assert_eq(s.khs_inuse_bytes, 0u);
	}
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}

/* --- running out ----------------------------------------------------------- */

Test(kheap, no_pages_at_all_gives_null)
{
	pool.ps_limit = 0;
	cr_assert_null(kheap_alloc(&heap, 16));
	cr_assert_null(kheap_alloc(&heap, 100000));
	cr_assert_eq(stats().khs_failures, 2u);
	cr_assert_eq(stats().khs_allocs, 0u);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}

Test(kheap, one_arena_runs_out)
{
	unsigned n = 0;
	void *p, *last = NULL;

	pool.ps_limit = ARENA_PAGES;
	while ((p = kheap_alloc(&heap, 1000)) != NULL) {
		last = p;
		n++;
	}
	p = last;
	/* 1000 bytes round to 1008, plus a 32-byte header: 63 blocks. */
	cr_assert_eq(n, (unsigned)(KHEAP_ARENA_SIZE / (1008 + HDR)));
	cr_assert_eq(stats().khs_failures, 1u);
	cr_assert_null(kheap_alloc(&heap, QUARTER + 1), "no pages for a large block");
	cr_assert_eq(pool.ps_allocs, 1u);
	kheap_free(&heap, p);
	cr_assert_not_null(kheap_alloc(&heap, 500), "a freed block is used again");
}

Test(kheap, absurd_sizes_give_null)
{
	cr_assert_null(kheap_alloc(&heap, SIZE_MAX));
	cr_assert_null(kheap_alloc(&heap, SIZE_MAX - PAGE_SIZE));
	cr_assert_null(kheap_alloc(&heap, SIZE_MAX / 2));
	cr_assert_null(kheap_alloc(&heap, (size_t)POOL_PAGES * PAGE_SIZE));
	cr_assert_eq(pool.ps_out, 0u);
	cr_assert_eq(stats().khs_failures, 4u);
}

/* --- frees that are kernel bugs -------------------------------------------- */

Test(kheap, double_free_panics, .signal = SIGABRT)
{
	void *p = alloc_ok(64);

	(void)alloc_ok(64);		/* so p does not merge away */
	kheap_free(&heap, p);
	shim_expect_panic("double free");
	kheap_free(&heap, p);
}

/* Freed into its left neighbour, the block's own header still says free. */
Test(kheap, double_free_after_merging_panics, .signal = SIGABRT)
{
	void *a = alloc_ok(64), *b = alloc_ok(64);

	(void)alloc_ok(64);
	kheap_free(&heap, a);
	kheap_free(&heap, b);
	shim_expect_panic("double free");
	kheap_free(&heap, b);
}

Test(kheap, double_free_of_a_large_block_panics, .signal = SIGABRT)
{
	void *p = alloc_ok(100000);

	pool.ps_poison = false;		/* the header is read again, on purpose */
	kheap_free(&heap, p);
	shim_expect_panic("double free");
	kheap_free(&heap, p);
}

Test(kheap, misaligned_pointer_panics, .signal = SIGABRT)
{
	uint8_t *p = alloc_ok(64);

	shim_expect_panic("misaligned");
	kheap_free(&heap, p + 8);
}

Test(kheap, pointer_into_a_block_panics, .signal = SIGABRT)
{
	uint8_t *p = alloc_ok(256);

	memset(p, 0x77, 256);
	shim_expect_panic("bad magic");
	kheap_free(&heap, p + 64);
}

Test(kheap, pointer_the_heap_never_returned_panics, .signal = SIGABRT)
{
	static uint64_t elsewhere[16] __attribute__((aligned(16)));

	shim_expect_panic("not a heap pointer");
	kheap_free(&heap, &elsewhere[8]);
}

Test(kheap, size_of_a_freed_block_panics, .signal = SIGABRT)
{
	void *p = alloc_ok(64);

	(void)alloc_ok(64);
	kheap_free(&heap, p);
	shim_expect_panic("double free");
	(void)kheap_size(&heap, p);
}

/* --- against a model ------------------------------------------------------- */

struct live {
	uint8_t		*l_p;
	size_t		l_size;
	uint8_t		l_seed;
};

static void
fill(const struct live *l)
{
	for (size_t i = 0; i < l->l_size; i++)
		l->l_p[i] = (uint8_t)(l->l_seed + i * 13);
}

static void
verify(const struct live *l, int step)
{
	for (size_t i = 0; i < l->l_size; i++) {
		cr_assert_eq(l->l_p[i], (uint8_t)(l->l_seed + i * 13),
		    "step %d: byte %zu of a %zu-byte block at %p changed", step, i,
		    l->l_size, (void *)l->l_p);
	}
}

/* Mostly small, some up to a few KiB, one in 50 large. */
static size_t
random_size(struct test_rand *r)
{
	if (test_rand_below(r, 50) == 0)
		return QUARTER + (size_t)test_rand_below(r, 60000);
	if (test_rand_below(r, 8) == 0)
		return (size_t)test_rand_below(r, 6000);
	return (size_t)test_rand_below(r, 300);
}

Test(kheap, random_allocations_keep_their_contents)
{
	static struct live live[600];
	struct test_rand r;
	unsigned n = 0;
	uint64_t inuse = 0;

	test_rand_seed(&r, 0x4ea9);
	for (int step = 0; step < 20000; step++) {
		if (test_rand_below(&r, 100) < 52 && n < 600) {
			size_t size = random_size(&r);
			struct live *l = &live[n];

			l->l_p = kheap_alloc(&heap, size);
			if (l->l_p == NULL)
				continue;	/* the pool is finite */
			cr_assert_eq((uintptr_t)l->l_p % KHEAP_ALIGN, 0u);
			l->l_size = size;
			l->l_seed = (uint8_t)step;
			fill(l);
			inuse += size;
			n++;
		} else if (n > 0) {
			unsigned k = (unsigned)test_rand_below(&r, n);

			verify(&live[k], step);
			kheap_free(&heap, live[k].l_p);
			inuse -= live[k].l_size;
			live[k] = live[--n];
		}
		cr_assert_eq(stats().khs_inuse_bytes, inuse, "step %d", step);
	}
	for (unsigned k = 0; k < n; k++) {
		verify(&live[k], -1);
		kheap_free(&heap, live[k].l_p);
	}
	cr_assert_eq(stats().khs_inuse_bytes, 0u);
	cr_assert_eq(stats().khs_large_bytes, 0u);
	cr_assert_eq(pool.ps_out * PAGE_SIZE, stats().khs_arena_bytes,
	    "only the arenas are still out");
	expect_arenas_whole((unsigned)(stats().khs_arena_bytes / KHEAP_ARENA_SIZE));
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}
