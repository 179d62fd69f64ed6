/*
 * OSMalloc_test.c - tags count what they hold, and outlive their
 * OSMalloc_Tagfree until the last block goes.
 *
 * Tags and blocks come from kalloc's zones; as in kalloc_test.c, each test
 * trims every zone back to the wholly free pages it held at the start.
 */

#include "libkern/OSMalloc.h"

#include "mach/kern/kalloc.h"
#include "tests/ktest.h"

#define MARKS_MAX	64

struct zone_marks {
	unsigned	n;
	zone_t		zone[MARKS_MAX];
	uint64_t	empty_pages[MARKS_MAX];
	uint64_t	inuse;		/* elements in use, all zones */
};

static void
mark_one(zone_t zone, void *arg)
{
	struct zone_marks *m = arg;
	struct zone_info zi;

	zone_get_info(zone, &zi);
	m->inuse += zi.zi_elems_inuse;
	if (m->n == MARKS_MAX)
		return;
	m->zone[m->n] = zone;
	m->empty_pages[m->n++] = zi.zi_pages_empty;
}

static void
marks_take(struct zone_marks *m)
{
	m->n = 0;
	m->inuse = 0;
	zone_iterate(mark_one, m);
}

static void
marks_restore(const struct zone_marks *m)
{
	for (unsigned i = 0; i < m->n; i++)
		zone_trim(m->zone[i], m->empty_pages[i]);
}

static uint64_t
elements_in_use(void)
{
	struct zone_marks m;

	marks_take(&m);
	return m.inuse;
}

KTEST(OSMalloc, tag_counts_outstanding_blocks)
{
	struct OSMalloc_tag_info info;
	struct zone_marks marks;
	OSMallocTag tag;
	unsigned char *a, *b, *c;

	marks_take(&marks);
	tag = OSMalloc_Tagalloc("ktest.count", OSMT_DEFAULT);
	KT_ASSERT_TRUE(tag != NULL);
	a = OSMalloc(100, tag);
	b = OSMalloc_nowait(5000, tag);
	c = OSMalloc_noblock(20000, tag);
	KT_ASSERT_TRUE(a != NULL && b != NULL && c != NULL);
	KT_EXPECT_EQ((uintptr_t)a % 16, 0);
	KT_EXPECT_EQ((uintptr_t)b % 16, 0);
	KT_EXPECT_EQ((uintptr_t)c % 16, 0);
	memset(a, 1, 100);
	memset(b, 2, 5000);
	memset(c, 3, 20000);
	OSMalloc_Tag_getinfo(tag, &info);
	KT_EXPECT_STREQ(info.omti_name, "ktest.count");
	KT_EXPECT_EQ(info.omti_allocations, 3);
	KT_EXPECT_EQ(info.omti_bytes, 25100);
	KT_EXPECT_EQ(info.omti_refcnt, 4);
	KT_EXPECT_FALSE(info.omti_released);
	OSFree(b, 5000, tag);
	OSFree(a, 100, tag);
	OSFree(c, 20000, tag);
	OSMalloc_Tag_getinfo(tag, &info);
	KT_EXPECT_EQ(info.omti_allocations, 0);
	KT_EXPECT_EQ(info.omti_bytes, 0);
	KT_EXPECT_EQ(info.omti_refcnt, 1);
	OSMalloc_Tagfree(tag);
	marks_restore(&marks);
}

KTEST(OSMalloc, tag_outlives_tagfree_until_the_last_block)
{
	struct OSMalloc_tag_info info;
	struct zone_marks marks;
	OSMallocTag tag;
	void *p;

	marks_take(&marks);
	tag = OSMalloc_Tagalloc("ktest.outlive", OSMT_DEFAULT);
	KT_ASSERT_TRUE(tag != NULL);
	p = OSMalloc(64, tag);
	KT_ASSERT_TRUE(p != NULL);
	OSMalloc_Tagfree(tag);
	OSMalloc_Tag_getinfo(tag, &info);
	KT_EXPECT_TRUE(info.omti_released);
	KT_EXPECT_EQ(info.omti_allocations, 1);
	KT_EXPECT_EQ(info.omti_refcnt, 1);
	OSFree(p, 64, tag);
	/* The tag went with its last block: every kalloc element is back. */
	KT_EXPECT_EQ(elements_in_use(), marks.inuse);
	marks_restore(&marks);
}

KTEST(OSMalloc, tag_names_are_copied_and_bounded)
{
	struct OSMalloc_tag_info info;
	struct zone_marks marks;
	char name[100];
	OSMallocTag tag;

	marks_take(&marks);
	memset(name, 'k', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	tag = OSMalloc_Tagalloc(name, OSMT_PAGEABLE);
	KT_ASSERT_TRUE(tag != NULL);
	name[0] = 'x';
	OSMalloc_Tag_getinfo(tag, &info);
	KT_EXPECT_EQ(strlen(info.omti_name), OSMT_MAX_NAME - 1);
	KT_EXPECT_EQ(info.omti_name[0], 'k');
	KT_EXPECT_EQ(info.omti_flags, OSMT_PAGEABLE);
	OSMalloc_Tagfree(tag);
	marks_restore(&marks);
}

KTEST(OSMalloc, zero_size_and_null_free)
{
	struct zone_marks marks;
	OSMallocTag tag;

	marks_take(&marks);
	tag = OSMalloc_Tagalloc("ktest.zero", OSMT_DEFAULT);
	KT_ASSERT_TRUE(tag != NULL);
	KT_EXPECT_TRUE(OSMalloc(0, tag) == NULL);
	OSFree(NULL, 10, tag);
	OSMalloc_Tagfree(tag);
	marks_restore(&marks);
}

/* --- panics on purpose ------------------------------------------------------ */

KTEST_EXPLICIT(OSMalloc, wrong_tag_panics)
{
	OSMallocTag a = OSMalloc_Tagalloc("ktest.right", OSMT_DEFAULT);
	OSMallocTag b = OSMalloc_Tagalloc("ktest.wrong", OSMT_DEFAULT);

	OSFree(OSMalloc(32, a), 32, b);
}

KTEST_EXPLICIT(OSMalloc, wrong_size_panics)
{
	OSMallocTag tag = OSMalloc_Tagalloc("ktest.size", OSMT_DEFAULT);

	OSFree(OSMalloc(100, tag), 99, tag);
}

KTEST_EXPLICIT(OSMalloc, double_free_panics)
{
	OSMallocTag tag = OSMalloc_Tagalloc("ktest.twice", OSMT_DEFAULT);
	void *p = OSMalloc(48, tag);

	OSFree(p, 48, tag);
	OSFree(p, 48, tag);
}
