/*
 * vm_map_store_test.c - the map entry store (and the red-black tree under
 * it) in the kernel build: entries from the kernel heap, as the vm_map
 * layer will allocate them.
 *
 * The host unit tests (tests/unit/mach/vm/test_vm_map_store.c) are the
 * thorough ones; these check that the same code, compiled for the kernel,
 * keeps its contracts, and run a shorter randomized comparison with a
 * page-by-page model.
 */

#include "mach/vm/vm_map_store.h"

#include "kernel/kheap.h"
#include "libkern/cdefs.h"
#include "tests/ktest.h"

#define P(n)	((vm_offset_t)(n) * PAGE_SIZE)
#define TOP	((vm_offset_t)0xfffffffffffff000ULL)
#define ANY	(~(vm_offset_t)0)

/* A stand-in for struct vm_map_entry: the links first, then payload. */
struct kt_entry {
	struct vm_map_links	ke_links;
	uint64_t		ke_tag;
};

static struct vm_map_links *
kt_entry_alloc(vm_offset_t start, vm_offset_t end)
{
	struct kt_entry *e = kheap_alloc(&kernel_heap, sizeof(*e));

	if (e == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->ke_links.vml_start = start;
	e->ke_links.vml_end = end;
	return &e->ke_links;
}

static void
kt_entry_free(struct vm_map_links *l)
{
	kheap_free(&kernel_heap, container_of(l, struct kt_entry, ke_links));
}

/* Insert a fresh entry for [start, end) where lookup says it goes. */
static kern_return_t
kt_insert(struct vm_map_header *h, vm_offset_t start, vm_offset_t end,
    struct vm_map_links **out)
{
	struct vm_map_links *after, *e = kt_entry_alloc(start, end);
	kern_return_t kr;

	if (e == NULL)
		return KERN_RESOURCE_SHORTAGE;
	(void)vm_map_store_lookup(h, start, &after);
	kr = vm_map_store_insert(h, after, e);
	if (kr != KERN_SUCCESS)
		kt_entry_free(e);
	else if (out != NULL)
		*out = e;
	return kr;
}

/* Remove and free every entry. */
static void
kt_drain(struct vm_map_header *h)
{
	struct vm_map_links *e;

	while ((e = vm_map_store_first(h)) != NULL) {
		vm_map_store_remove(h, e);
		kt_entry_free(e);
	}
}

KTEST(vm_map_store, lookup_insert_remove)
{
	struct vm_map_header h;
	struct vm_map_links *a, *b, *e;

	KT_ASSERT_EQ(vm_map_store_init(&h, 0, P(64)), KERN_SUCCESS);
	KT_ASSERT_EQ(kt_insert(&h, P(10), P(20), &b), KERN_SUCCESS);
	KT_ASSERT_EQ(kt_insert(&h, 0, P(4), &a), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_store_verify(&h), 0);
	KT_EXPECT_EQ(vm_map_store_count(&h), 2);

	KT_EXPECT_TRUE(vm_map_store_lookup(&h, 0, &e));
	KT_EXPECT_EQ(e, a);
	KT_EXPECT_TRUE(vm_map_store_lookup(&h, P(20) - 1, &e));
	KT_EXPECT_EQ(e, b);
	KT_EXPECT_FALSE(vm_map_store_lookup(&h, P(4), &e));
	KT_EXPECT_EQ(e, a);
	KT_EXPECT_FALSE(vm_map_store_lookup(&h, P(63), &e));
	KT_EXPECT_EQ(e, b);
	KT_EXPECT_EQ(vm_map_store_first(&h), a);
	KT_EXPECT_EQ(vm_map_store_next(a), b);
	KT_EXPECT_EQ(vm_map_store_prev(b), a);
	KT_EXPECT_EQ(vm_map_store_last(&h), b);

	vm_map_store_remove(&h, a);
	kt_entry_free(a);
	KT_EXPECT_FALSE(vm_map_store_lookup(&h, 0, &e));
	KT_EXPECT_EQ(e, NULL);
	KT_EXPECT_EQ(vm_map_store_verify(&h), 0);
	kt_drain(&h);
	KT_EXPECT_EQ(vm_map_store_count(&h), 0);
}

KTEST(vm_map_store, bad_requests_are_refused)
{
	struct vm_map_header h;
	struct vm_map_links *a, *x, *after;
	vm_offset_t s;

	KT_EXPECT_EQ(vm_map_store_init(&h, P(2), P(1)), KERN_INVALID_ARGUMENT);
	KT_ASSERT_EQ(vm_map_store_init(&h, P(16), P(64)), KERN_SUCCESS);
	KT_ASSERT_EQ(kt_insert(&h, P(20), P(30), &a), KERN_SUCCESS);

	KT_EXPECT_EQ(kt_insert(&h, P(31) + 1, P(32), NULL), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(kt_insert(&h, P(32), P(32), NULL), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(kt_insert(&h, P(8), P(17), NULL), KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ(kt_insert(&h, P(60), P(65), NULL), KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ(kt_insert(&h, P(25), P(35), NULL), KERN_NO_SPACE);
	KT_EXPECT_EQ(kt_insert(&h, P(18), P(21), NULL), KERN_NO_SPACE);

	x = kt_entry_alloc(0, 0);
	KT_ASSERT_TRUE(x != NULL);
	KT_EXPECT_EQ(vm_map_store_clip_end(&h, a, P(30), x), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(vm_map_store_clip_start(&h, a, P(20), x), KERN_INVALID_ARGUMENT);
	kt_entry_free(x);
	KT_EXPECT_EQ(vm_map_store_find_space(&h, 0, 0, 0, ANY, &s, &after),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(vm_map_store_find_space(&h, P(1), 0x5fff, 0, ANY, &s, &after),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(vm_map_store_find_space(&h, P(49), 0, 0, ANY, &s, &after),
	    KERN_NO_SPACE);

	KT_EXPECT_EQ(vm_map_store_verify(&h), 0);
	KT_EXPECT_EQ(vm_map_store_count(&h), 1);
	kt_drain(&h);
}

KTEST(vm_map_store, clip_and_resize)
{
	struct vm_map_header h;
	struct vm_map_links *a, *lo, *hi, *e;

	KT_ASSERT_EQ(vm_map_store_init(&h, 0, P(64)), KERN_SUCCESS);
	KT_ASSERT_EQ(kt_insert(&h, P(10), P(20), &a), KERN_SUCCESS);
	lo = kt_entry_alloc(0, 0);
	hi = kt_entry_alloc(0, 0);
	KT_ASSERT_TRUE(lo != NULL && hi != NULL);

	KT_EXPECT_EQ(vm_map_store_clip_start(&h, a, P(12), lo), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_store_clip_end(&h, a, P(15), hi), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_store_verify(&h), 0);
	KT_EXPECT_EQ(lo->vml_start, P(10));
	KT_EXPECT_EQ(lo->vml_end, P(12));
	KT_EXPECT_EQ(a->vml_start, P(12));
	KT_EXPECT_EQ(a->vml_end, P(15));
	KT_EXPECT_EQ(hi->vml_start, P(15));
	KT_EXPECT_EQ(hi->vml_end, P(20));
	KT_EXPECT_TRUE(vm_map_store_lookup(&h, P(13), &e));
	KT_EXPECT_EQ(e, a);

	/* Merge the three back by hand, as vm_map_simplify would. */
	vm_map_store_remove(&h, lo);
	vm_map_store_remove(&h, hi);
	KT_EXPECT_EQ(vm_map_store_resize(&h, a, P(10), P(20)), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_store_verify(&h), 0);
	KT_EXPECT_EQ(vm_map_store_count(&h), 1);
	kt_entry_free(lo);
	kt_entry_free(hi);
	kt_drain(&h);
}

KTEST(vm_map_store, find_space_aligns_and_stays_below_the_top)
{
	struct vm_map_header h;
	struct vm_map_links *a, *after;
	vm_offset_t s;

	KT_ASSERT_EQ(vm_map_store_init(&h, TOP - P(64), TOP), KERN_SUCCESS);
	KT_ASSERT_EQ(kt_insert(&h, TOP - P(64), TOP - P(56), &a), KERN_SUCCESS);
	KT_EXPECT_EQ(vm_map_store_find_space(&h, P(56), 0, 0, ANY, &s, &after),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(s, TOP - P(56));
	KT_EXPECT_EQ(after, a);
	KT_EXPECT_EQ(vm_map_store_find_space(&h, P(57), 0, 0, ANY, &s, &after),
	    KERN_NO_SPACE);
	KT_EXPECT_EQ(vm_map_store_find_space(&h, P(16), P(16) - 1, 0, ANY, &s, &after),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(s, TOP - P(47));
	KT_EXPECT_EQ(vm_map_store_find_space(&h, P(1), ANY >> 1, 0, ANY, &s, &after),
	    KERN_NO_SPACE);
	KT_EXPECT_EQ(vm_map_store_find_space(&h, P(1), 0, TOP + 1, ANY, &s, &after),
	    KERN_NO_SPACE);
	kt_drain(&h);
}

/* --- randomized, against a model ------------------------------------------- */

#define KT_PAGES	128

struct kt_model {
	struct vm_map_header	km_hdr;
	struct vm_map_links	*km_owner[KT_PAGES];	/* entry per page or NULL */
	uint64_t		km_count;
	uint64_t		km_rand;
};

static uint64_t
kt_rand(struct kt_model *m, uint64_t n)
{
	/* xorshift64: enough to shuffle a test. */
	m->km_rand ^= m->km_rand << 13;
	m->km_rand ^= m->km_rand >> 7;
	m->km_rand ^= m->km_rand << 17;
	return m->km_rand % n;
}

static void
kt_model_set(struct kt_model *m, struct vm_map_links *e, vm_offset_t s,
    vm_offset_t end)
{
	for (vm_offset_t a = s; a < end; a += PAGE_SIZE)
		m->km_owner[atop(a)] = e;
}

/* The first page of an aligned, free run of npages, or -1. */
static int64_t
kt_model_find(struct kt_model *m, uint64_t npages, uint64_t align)
{
	for (uint64_t p = 0; p + npages <= KT_PAGES; p += align) {
		uint64_t i;

		for (i = 0; i < npages && m->km_owner[p + i] == NULL; i++)
			continue;
		if (i == npages)
			return (int64_t)p;
	}
	return -1;
}

/* One random step; false if a check failed. */
static bool
kt_model_step(struct kt_model *m)
{
	struct vm_map_links *e, *after;
	uint64_t npages = 1 + kt_rand(m, 6), align = 1ULL << kt_rand(m, 4);
	int64_t want;
	vm_offset_t s, a;

	switch (kt_rand(m, 3)) {
	case 0:		/* find space and take it */
		want = kt_model_find(m, npages, align);
		if (vm_map_store_find_space(&m->km_hdr, P(npages), P(align) - 1, 0, ANY,
		    &s, &after) != KERN_SUCCESS)
			return KT_EXPECT_EQ(want, -1);
		if (!KT_EXPECT_EQ(s, P(want)))
			return false;
		e = kt_entry_alloc(s, s + P(npages));
		if (!KT_EXPECT_TRUE(e != NULL))
			return false;
		if (!KT_EXPECT_EQ(vm_map_store_insert(&m->km_hdr, after, e), KERN_SUCCESS))
			return false;
		kt_model_set(m, e, s, s + P(npages));
		m->km_count++;
		return true;
	case 1:		/* remove the entry at a random page, if any */
		e = m->km_owner[kt_rand(m, KT_PAGES)];
		if (e == NULL)
			return true;
		kt_model_set(m, NULL, e->vml_start, e->vml_end);
		vm_map_store_remove(&m->km_hdr, e);
		kt_entry_free(e);
		m->km_count--;
		return true;
	default:	/* clip the entry at a random page there */
		a = P(kt_rand(m, KT_PAGES));
		if (!vm_map_store_lookup(&m->km_hdr, a, &e))
			return KT_EXPECT_TRUE(e == NULL || e->vml_end <= a);
		if (a == e->vml_start)
			return true;
		after = kt_entry_alloc(0, 0);
		if (!KT_EXPECT_TRUE(after != NULL))
			return false;
		if (!KT_EXPECT_EQ(vm_map_store_clip_end(&m->km_hdr, e, a, after),
		    KERN_SUCCESS))
			return false;
		kt_model_set(m, after, after->vml_start, after->vml_end);
		m->km_count++;
		return true;
	}
}

KTEST(vm_map_store, random_against_model)
{
	static struct kt_model m;
	struct vm_map_links *e;
	bool ok = true;

	memset(&m, 0, sizeof(m));
	m.km_rand = 0x9e3779b97f4a7c15ULL;
	KT_ASSERT_EQ(vm_map_store_init(&m.km_hdr, 0, P(KT_PAGES)), KERN_SUCCESS);
	for (int step = 0; step < 3000 && ok; step++) {
		ok = kt_model_step(&m) &&
		    KT_EXPECT_EQ(vm_map_store_verify(&m.km_hdr), 0) &&
		    KT_EXPECT_EQ(vm_map_store_count(&m.km_hdr), m.km_count);
		for (uint64_t p = 0; ok && p < KT_PAGES; p += 7) {
			bool in = vm_map_store_lookup(&m.km_hdr, P(p), &e);

			ok = KT_EXPECT_EQ(in, m.km_owner[p] != NULL) &&
			    (!in || KT_EXPECT_EQ(e, m.km_owner[p]));
		}
	}
	kt_drain(&m.km_hdr);
}

/* Many entries: lookups stay cheap; everything goes back to the heap. */
KTEST(vm_map_store, ten_thousand_entries)
{
	const uint64_t n = 10000;
	struct kt_entry *pool = kheap_alloc(&kernel_heap, n * sizeof(*pool));
	struct vm_map_header h;
	struct vm_map_links *e, *after;
	vm_offset_t s;
	uint64_t i;
	int height;

	KT_ASSERT_TRUE(pool != NULL);
	if (vm_map_store_init(&h, P(1), P(2 * n + 1)) != KERN_SUCCESS) {
		KT_EXPECT_TRUE(false);
		kheap_free(&kernel_heap, pool);
		return;
	}
	/* Descending, so every insertion goes in as the first entry. */
	for (i = n; i-- > 0;) {
		e = &pool[i].ke_links;
		e->vml_start = P(2 * i + 1);
		e->vml_end = P(2 * i + 2);
		if (!KT_EXPECT_EQ(vm_map_store_insert(&h, NULL, e), KERN_SUCCESS))
			break;
	}
	KT_EXPECT_EQ(vm_map_store_verify(&h), 0);
	KT_EXPECT_EQ(vm_map_store_count(&h), n);
	height = rb_verify(&h.vmh_tree, NULL);
	KT_EXPECT_GT(height, 0);
	KT_EXPECT_LE(height, 14);	/* black height <= log2(n + 1) */
	for (i = 0; i < n; i += 3) {
		if (!vm_map_store_lookup(&h, P(2 * i + 1), &e) || e != &pool[i].ke_links) {
			KT_EXPECT_TRUE(false);
			break;
		}
	}
	KT_EXPECT_EQ(vm_map_store_find_space(&h, P(1), 0, 0, ANY, &s, &after),
	    KERN_SUCCESS);
	KT_EXPECT_EQ(s, P(2));
	KT_EXPECT_EQ(after, &pool[0].ke_links);
	while ((e = vm_map_store_first(&h)) != NULL)
		vm_map_store_remove(&h, e);
	KT_EXPECT_EQ(vm_map_store_verify(&h), 0);
	kheap_free(&kernel_heap, pool);
}
