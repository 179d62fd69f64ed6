/*
 * kalloc_test.c - kalloc's size classes and its large allocations.
 *
 * kalloc's zones live for ever, and keep a wholly free chunk when one turns
 * up, so a test that uses them would leave pages behind. Each test
 * therefore notes how many wholly free pages every zone holds when it
 * starts and trims each zone back to that when it ends; having freed all
 * it allocated, it then hands back exactly the pages it took.
 */

#include "mach/kern/kalloc.h"

#include "mach/vm/vm_kern.h"
#include "tests/ktest.h"

#define MARKS_MAX	64

static const vm_size_t class_sizes[] = {
	16, 32, 48, 64, 96, 128, 160, 192, 256, 384, 512, 768,
	1024, 1536, 2048, 3072, 4096, 6144, 8192
};

struct zone_marks {
	unsigned	n;
	zone_t		zone[MARKS_MAX];
	uint64_t	empty_pages[MARKS_MAX];
};

static void
mark_one(zone_t zone, void *arg)
{
	struct zone_marks *m = arg;
	struct zone_info zi;

	if (m->n == MARKS_MAX)
		return;
	zone_get_info(zone, &zi);
	m->zone[m->n] = zone;
	m->empty_pages[m->n++] = zi.zi_pages_empty;
}

static void
marks_take(struct zone_marks *m)
{
	m->n = 0;
	zone_iterate(mark_one, m);
}

static void
marks_restore(const struct zone_marks *m)
{
	for (unsigned i = 0; i < m->n; i++)
		zone_trim(m->zone[i], m->empty_pages[i]);
}

/* The class a request of size bytes should land in; 0 for a large one. */
static vm_size_t
class_of(vm_size_t size)
{
	for (unsigned i = 0; i < nitems(class_sizes); i++) {
		if (size <= class_sizes[i])
			return class_sizes[i];
	}
	return 0;
}

KTEST(kalloc, every_class_boundary)
{
	struct zone_marks marks;

	marks_take(&marks);
	for (unsigned i = 0; i < nitems(class_sizes); i++) {
		vm_size_t c = class_sizes[i];

		for (vm_size_t size = c - 1; size <= c + 1; size++) {
			unsigned char *p = kalloc(size);
			zone_t z = ZONE_NULL;

			KT_ASSERT_TRUE(p != NULL);
			KT_EXPECT_EQ((uintptr_t)p % 16, 0);
			KT_EXPECT_EQ(zone_element_size(p, &z), class_of(size));
			KT_EXPECT_TRUE(z == kalloc_zone(size));
			memset(p, 0xa5, size);
			KT_EXPECT_EQ(p[size - 1], 0xa5);
			kfree(p, size);
		}
	}
	marks_restore(&marks);
}

KTEST(kalloc, zones_are_named_after_their_class)
{
	for (unsigned i = 0; i < nitems(class_sizes); i++) {
		char want[ZONE_NAME_MAX];

		snprintf(want, sizeof(want), "kalloc.%lu", (unsigned long)class_sizes[i]);
		KT_ASSERT_TRUE(kalloc_zone(class_sizes[i]) != ZONE_NULL);
		KT_EXPECT_STREQ(zone_name(kalloc_zone(class_sizes[i])), want);
	}
	KT_EXPECT_TRUE(kalloc_zone(0) == ZONE_NULL);
	KT_EXPECT_TRUE(kalloc_zone(KALLOC_MAX_ZONE_SIZE + 1) == ZONE_NULL);
}

KTEST(kalloc, large_sizes_use_kmem)
{
	static const vm_size_t sizes[] = {
		8193, 3 * PAGE_SIZE, 64 * 1024 + 5, 1024 * 1024
	};
	struct kmem_stats before, during, after;
	struct kalloc_stats kst;

	kmem_get_stats(&before);
	for (unsigned i = 0; i < nitems(sizes); i++) {
		unsigned char *p = kalloc(sizes[i]);

		KT_ASSERT_TRUE(p != NULL);
		KT_EXPECT_EQ((uintptr_t)p % PAGE_SIZE, 0);
		KT_EXPECT_EQ(zone_element_size(p, NULL), 0);
		kmem_get_stats(&during);
		KT_EXPECT_EQ(during.ks_allocations, before.ks_allocations + 1);
		KT_EXPECT_EQ(during.ks_mapped_bytes,
		    before.ks_mapped_bytes + round_page(sizes[i]));
		kalloc_get_stats(&kst);
		KT_EXPECT_GE(kst.kas_large_inuse, 1);
		p[0] = 1;
		p[sizes[i] - 1] = 2;
		kfree(p, sizes[i]);
	}
	kmem_get_stats(&after);
	KT_EXPECT_EQ(after.ks_allocations, before.ks_allocations);
	KT_EXPECT_EQ(after.ks_mapped_bytes, before.ks_mapped_bytes);
}

KTEST(kalloc, zero_and_impossible_sizes_return_null)
{
	struct kalloc_stats before, after;

	kalloc_get_stats(&before);
	KT_EXPECT_TRUE(kalloc(0) == NULL);
	KT_EXPECT_TRUE(kalloc(SIZE_MAX) == NULL);
	KT_EXPECT_TRUE(kalloc(SIZE_MAX - PAGE_SIZE + 2) == NULL);
	KT_EXPECT_TRUE(kalloc((vm_size_t)1 << 62) == NULL);
	kalloc_get_stats(&after);
	KT_EXPECT_EQ(after.kas_failures, before.kas_failures + 3);
	kfree(NULL, 64);
}

KTEST(kalloc, mixed_sizes_keep_their_contents)
{
	struct zone_marks marks;
	static unsigned char *p[300];
	static vm_size_t size[300];
	uint32_t x = 12345;

	marks_take(&marks);
	for (int i = 0; i < 300; i++) {
		x = x * 1103515245 + 12345;
		size[i] = 1 + (x >> 8) % 9000;
		p[i] = kalloc(size[i]);
		KT_ASSERT_TRUE(p[i] != NULL);
		memset(p[i], i & 0xff, size[i]);
	}
	for (int i = 0; i < 300; i += 2)
		kfree(p[i], size[i]);
	for (int i = 1; i < 300; i += 2) {
		KT_EXPECT_EQ(p[i][0], i & 0xff);
		KT_EXPECT_EQ(p[i][size[i] - 1], i & 0xff);
		kfree(p[i], size[i]);
	}
	marks_restore(&marks);
}

/* --- panics on purpose ------------------------------------------------------ */

KTEST_EXPLICIT(kalloc, wrong_size_panics)
{
	void *p = kalloc(40);

	kfree(p, 100);
}

KTEST_EXPLICIT(kalloc, large_size_for_zone_element_panics)
{
	void *p = kalloc(64);

	kfree(p, 10000);
}
