/*
 * zalloc_test.c - zones on real pages.
 *
 * Each test makes zones of its own and destroys them, so every page and
 * heap byte comes back before the runner counts. The tests that panic on
 * purpose are KTEST_EXPLICIT: the harness boots each one alone and checks
 * the panic message.
 */

#include "mach/kern/zalloc.h"

#include "kernel/kheap.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"
#include "tests/ktest.h"

static uint64_t
zone_pages_in_use(void)
{
	struct vm_page_stats st;

	vm_page_get_stats(&st);
	return st.vps_by_use[VM_PAGE_USE_ZONE];
}

KTEST(zalloc, elements_are_distinct_aligned_and_owned)
{
	zone_t z = zinit(40, 0, PAGE_SIZE, "ktest.distinct");
	unsigned char *p[200];
	zone_t owner;

	KT_ASSERT_TRUE(z != ZONE_NULL);
	for (int i = 0; i < 200; i++) {
		struct vm_page *m;

		p[i] = zalloc(z);
		KT_ASSERT_TRUE(p[i] != NULL);
		KT_EXPECT_EQ((uintptr_t)p[i] % ZONE_ELEM_ALIGN, 0);
		m = vm_page_lookup_phys(kvtophys((vm_offset_t)p[i]));
		KT_ASSERT_TRUE(m != NULL);
		KT_EXPECT_EQ(m->vmp_use, VM_PAGE_USE_ZONE);
		KT_EXPECT_TRUE(m->vmp_owner == z);
		KT_EXPECT_EQ(zone_element_size(p[i], &owner), 48);
		KT_EXPECT_TRUE(owner == z);
		memset(p[i], i, 48);
	}
	/* Had two elements overlapped, one pattern would have overwritten the other. */
	for (int i = 0; i < 200; i++) {
		KT_EXPECT_EQ(p[i][0], i);
		KT_EXPECT_EQ(p[i][47], i);
		zfree(z, p[i]);
	}
	zdestroy(z);
}

KTEST(zalloc, elements_are_naturally_aligned_up_to_64)
{
	static const vm_size_t sizes[] = { 16, 32, 48, 64, 80, 96, 160, 192, 256 };

	for (unsigned i = 0; i < nitems(sizes); i++) {
		zone_t z = zinit(sizes[i], 0, 0, "ktest.align");
		vm_size_t align = sizes[i] & -sizes[i];
		void *p[40];

		KT_ASSERT_TRUE(z != ZONE_NULL);
		for (int k = 0; k < 40; k++) {
			p[k] = zalloc(z);
			KT_ASSERT_TRUE(p[k] != NULL);
			KT_EXPECT_EQ((uintptr_t)p[k] % MIN(align, 64), 0);
		}
		for (int k = 0; k < 40; k++)
			zfree(z, p[k]);
		zdestroy(z);
	}
}

KTEST(zalloc, stats_add_up)
{
	zone_t z = zinit(100, 0, 0, "ktest.stats");
	struct zone_info zi;
	void *p[50];

	KT_ASSERT_TRUE(z != ZONE_NULL);
	for (int i = 0; i < 50; i++)
		KT_ASSERT_TRUE((p[i] = zalloc(z)) != NULL);
	for (int i = 0; i < 20; i++)
		zfree(z, p[i]);
	zone_get_info(z, &zi);
	KT_EXPECT_STREQ(zi.zi_name, "ktest.stats");
	KT_EXPECT_EQ(zi.zi_elem_size, 112);
	KT_EXPECT_EQ(zi.zi_elems_inuse, 30);
	KT_EXPECT_EQ(zi.zi_allocs, 50);
	KT_EXPECT_EQ(zi.zi_frees, 20);
	KT_EXPECT_EQ(zi.zi_peak_inuse, 50);
	KT_EXPECT_EQ(zi.zi_allocs - zi.zi_frees, zi.zi_elems_inuse);
	KT_EXPECT_EQ(zi.zi_elems_inuse + zi.zi_elems_free,
	    zi.zi_pages / atop(zi.zi_chunk_size) * zi.zi_elems_per_chunk);
	KT_EXPECT_EQ(zi.zi_max_size, 0);
	for (int i = 20; i < 50; i++)
		zfree(z, p[i]);
	zdestroy(z);
}

KTEST(zalloc, max_is_honoured_with_null)
{
	zone_t z = zinit(64, 2 * PAGE_SIZE, PAGE_SIZE, "ktest.max");
	struct zone_info zi;
	void *p[128], *extra;

	KT_ASSERT_TRUE(z != ZONE_NULL);
	for (int i = 0; i < 128; i++)
		KT_ASSERT_TRUE((p[i] = zalloc(z)) != NULL);
	KT_EXPECT_TRUE(zalloc(z) == NULL);
	KT_EXPECT_TRUE(zalloc_noblock(z) == NULL);
	zone_get_info(z, &zi);
	KT_EXPECT_EQ(zi.zi_failures, 2);
	KT_EXPECT_EQ(zi.zi_pages, 2);
	KT_EXPECT_EQ(zi.zi_max_size, 2 * PAGE_SIZE);
	zfree(z, p[77]);
	extra = zalloc(z);
	KT_EXPECT_TRUE(extra == p[77]);
	for (int i = 0; i < 128; i++)
		zfree(z, p[i]);
	zdestroy(z);
}

KTEST(zalloc, freed_elements_are_reused)
{
	zone_t z = zinit(256, 0, PAGE_SIZE, "ktest.reuse");
	void *a, *b;

	KT_ASSERT_TRUE(z != ZONE_NULL);
	a = zalloc(z);
	KT_ASSERT_TRUE(a != NULL);
	zfree(z, a);
	b = zalloc(z);
	KT_EXPECT_TRUE(b == a);
	zfree(z, b);
	zdestroy(z);
}

KTEST(zalloc, wholly_free_pages_go_back)
{
	uint64_t before = zone_pages_in_use();
	zone_t z = zinit(256, 0, PAGE_SIZE, "ktest.gc");
	struct zone_info zi;
	void *p[256];

	KT_ASSERT_TRUE(z != ZONE_NULL);
	for (int i = 0; i < 256; i++)
		KT_ASSERT_TRUE((p[i] = zalloc(z)) != NULL);
	KT_EXPECT_EQ(zone_pages_in_use(), before + 16);
	for (int i = 0; i < 256; i++)
		zfree(z, p[i]);
	/* Freeing gave back all but the one wholly free chunk a zone keeps. */
	zone_get_info(z, &zi);
	KT_EXPECT_EQ(zi.zi_pages, 1);
	KT_EXPECT_EQ(zi.zi_pages_empty, 1);
	KT_EXPECT_EQ(zone_pages_in_use(), before + 1);
	zone_gc();
	zone_get_info(z, &zi);
	KT_EXPECT_EQ(zi.zi_pages, 0);
	KT_EXPECT_EQ(zone_pages_in_use(), before);
	zdestroy(z);
}

KTEST(zalloc, large_elements_use_multi_page_chunks)
{
	zone_t z = zinit(6144, 0, PAGE_SIZE, "ktest.multipage");
	struct zone_info zi;
	uint64_t *p[5];

	KT_ASSERT_TRUE(z != ZONE_NULL);
	zone_get_info(z, &zi);
	KT_EXPECT_EQ(zi.zi_chunk_size, 3 * PAGE_SIZE);
	KT_EXPECT_EQ(zi.zi_elems_per_chunk, 2);
	for (int i = 0; i < 5; i++) {
		KT_ASSERT_TRUE((p[i] = zalloc(z)) != NULL);
		for (int w = 0; w < 6144 / 8; w++)
			p[i][w] = (uint64_t)i << 32 | (uint64_t)w;
	}
	for (int i = 0; i < 5; i++) {
		KT_EXPECT_EQ(p[i][0], (uint64_t)i << 32);
		KT_EXPECT_EQ(p[i][6144 / 8 - 1], (uint64_t)i << 32 | (6144 / 8 - 1));
		zfree(z, p[i]);
	}
	zdestroy(z);
}

KTEST(zalloc, free_elements_are_poisoned)
{
	zone_t z = zinit(64, 0, PAGE_SIZE, "ktest.poison");
	uint64_t *p;

	KT_ASSERT_TRUE(z != ZONE_NULL);
	p = zalloc(z);
	KT_ASSERT_TRUE(p != NULL);
	if (MACHINA_DEBUG)
		KT_EXPECT_EQ(p[0], ZONE_POISON);
	/* Holding the pattern does not make an element look free. */
	for (int w = 0; w < 8; w++)
		p[w] = ZONE_POISON;
	zfree(z, p);
	if (MACHINA_DEBUG) {
		for (int w = 0; w < 8; w++)
			KT_EXPECT_EQ(p[w], ZONE_POISON);
	}
	zdestroy(z);
}

static void
count_zone(zone_t zone, void *arg)
{
	struct { zone_t a, b; int seen; } *c = arg;

	if (zone == c->a || zone == c->b)
		c->seen++;
}

KTEST(zalloc, iterate_visits_every_zone)
{
	struct { zone_t a, b; int seen; } c;

	c.a = zinit(32, 0, 0, "ktest.iter.a");
	c.b = zinit(64, 0, 0, "ktest.iter.b");
	c.seen = 0;
	KT_ASSERT_TRUE(c.a != ZONE_NULL && c.b != ZONE_NULL);
	zone_iterate(count_zone, &c);
	KT_EXPECT_EQ(c.seen, 2);
	zdestroy(c.a);
	zdestroy(c.b);
}

KTEST(zalloc, element_size_of_other_memory_is_zero)
{
	int local;
	void *h = kheap_alloc(&kernel_heap, 64);

	KT_EXPECT_EQ(zone_element_size(&local, NULL), 0);
	KT_EXPECT_EQ(zone_element_size(NULL, NULL), 0);
	KT_EXPECT_EQ(zone_element_size(h, NULL), 0);
	kheap_free(&kernel_heap, h);
}

/* --- panics on purpose (run one at a time by the harness) ----------------- */

KTEST_EXPLICIT(zalloc, double_free_panics)
{
	zone_t z = zinit(64, 0, 0, "ktest.double");
	void *p = zalloc(z);

	zfree(z, p);
	zfree(z, p);
}

KTEST_EXPLICIT(zalloc, foreign_zone_free_panics)
{
	zone_t a = zinit(64, 0, 0, "ktest.owner");
	zone_t b = zinit(64, 0, 0, "ktest.other");

	zfree(b, zalloc(a));
}

KTEST_EXPLICIT(zalloc, misaligned_free_panics)
{
	zone_t z = zinit(64, 0, 0, "ktest.misaligned");
	char *p = zalloc(z);

	zfree(z, p + 16);
}

KTEST_EXPLICIT(zalloc, non_zone_free_panics)
{
	zone_t z = zinit(64, 0, 0, "ktest.stack");
	uint64_t local[8];

	zfree(z, local);
}

KTEST_EXPLICIT(zalloc, write_after_free_panics)
{
	zone_t z = zinit(64, 0, 0, "ktest.waf");
	char *p = zalloc(z);

	zfree(z, p);
	p[8] = 1;
	(void)zalloc(z);
}

KTEST_EXPLICIT(zalloc, zdestroy_busy_panics)
{
	zone_t z = zinit(64, 0, 0, "ktest.busy");

	(void)zalloc(z);
	zdestroy(z);
}
