/*
 * test_OSMalloc.c - libkern/OSMalloc.c: tags and tagged blocks over the
 * real kalloc and zones, on fake RAM.
 *
 * Tags must count exactly what is outstanding, outlive OSMalloc_Tagfree
 * until their last block is freed, and catch every mismatched OSFree.
 * A randomized run holds several tags against a model.
 */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"
#include "tests/unit/shim/shim.h"

#include "kernel/kheap.h"
#include "libkern/OSMalloc.h"
#include "mach/kern/kalloc.h"
#include "mach/vm/vm_page.h"
#include "mach/vm/vm_phys.h"

#define RAM_BASE	0x1000000ULL		/* 16 MiB */
#define RAM_PAGES	2048ULL			/* 8 MiB */

static void
setup(void)
{
	fake_ram_add(RAM_BASE, RAM_PAGES * PAGE_SIZE);
	vm_phys_init(&vm_phys_kernel);
	cr_assert_eq(vm_phys_add_range(&vm_phys_kernel, RAM_BASE,
	    RAM_BASE + RAM_PAGES * PAGE_SIZE), KERN_SUCCESS);
	vm_page_bootstrap();
	kernel_heap_init();
	zone_bootstrap();
	kalloc_init();
}

TestSuite(OSMalloc, .init = setup);

static void
expect_panic(const char *fmt, ...)
{
	static char expected[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(expected, sizeof(expected), fmt, ap);
	va_end(ap);
	shim_expect_panic(expected);
}

static void
count_inuse(zone_t zone, void *arg)
{
	struct zone_info zi;

	zone_get_info(zone, &zi);
	*(uint64_t *)arg += zi.zi_elems_inuse;
}

/* Elements in use in every zone: what tags and small blocks hold. */
static uint64_t
elements_in_use(void)
{
	uint64_t n = 0;

	zone_iterate(count_inuse, &n);
	return n;
}

static struct OSMalloc_tag_info
info_of(OSMallocTag tag)
{
	struct OSMalloc_tag_info info;

	OSMalloc_Tag_getinfo(tag, &info);
	return info;
}

/* --- tags ---------------------------------------------------------------------- */

Test(OSMalloc, tagalloc_copies_the_name_and_flags)
{
	char name[32] = "com.example.driver";
	OSMallocTag tag = OSMalloc_Tagalloc(name, OSMT_DEFAULT);
	OSMallocTag pageable = OSMalloc_Tagalloc("com.example.pageable", OSMT_PAGEABLE);

	cr_assert_not_null(tag);
	name[0] = 'X';
	cr_assert_str_eq(info_of(tag).omti_name, "com.example.driver");
	cr_assert_eq(info_of(tag).omti_flags, OSMT_DEFAULT);
	cr_assert_eq(info_of(tag).omti_refcnt, 1u);
	cr_assert_eq(info_of(tag).omti_released, FALSE);
	cr_assert_eq(info_of(pageable).omti_flags, OSMT_PAGEABLE);
	OSMalloc_Tagfree(tag);
	OSMalloc_Tagfree(pageable);
	cr_assert_eq(elements_in_use(), 0u);
}

Test(OSMalloc, long_and_missing_names_are_handled)
{
	char name[200];
	OSMallocTag a, b;

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	a = OSMalloc_Tagalloc(name, OSMT_DEFAULT);
	b = OSMalloc_Tagalloc(NULL, OSMT_DEFAULT);
	cr_assert_eq(strlen(info_of(a).omti_name), OSMT_MAX_NAME - 1);
	cr_assert_str_eq(info_of(b).omti_name, "");
	OSMalloc_Tagfree(a);
	OSMalloc_Tagfree(b);
}

Test(OSMalloc, tags_count_outstanding_blocks_and_bytes)
{
	OSMallocTag tag = OSMalloc_Tagalloc("count", OSMT_DEFAULT);
	uint8_t *a = OSMalloc(100, tag);
	uint8_t *b = OSMalloc_nowait(5000, tag);
	uint8_t *c = OSMalloc_noblock(20000, tag);

	cr_assert(a != NULL && b != NULL && c != NULL);
	cr_assert_eq((uintptr_t)a % 16, 0u);
	cr_assert_eq((uintptr_t)b % 16, 0u);
	cr_assert_eq((uintptr_t)c % 16, 0u);
	memset(a, 1, 100);
	memset(b, 2, 5000);
	memset(c, 3, 20000);
	cr_assert_eq(info_of(tag).omti_allocations, 3u);
	cr_assert_eq(info_of(tag).omti_bytes, 25100u);
	cr_assert_eq(info_of(tag).omti_refcnt, 4u);
	OSFree(b, 5000, tag);
	cr_assert_eq(info_of(tag).omti_allocations, 2u);
	cr_assert_eq(info_of(tag).omti_bytes, 20100u);
	OSFree(c, 20000, tag);
	OSFree(a, 100, tag);
	cr_assert_eq(info_of(tag).omti_allocations, 0u);
	cr_assert_eq(info_of(tag).omti_bytes, 0u);
	cr_assert_eq(info_of(tag).omti_refcnt, 1u);
	OSMalloc_Tagfree(tag);
	cr_assert_eq(elements_in_use(), 0u);
	cr_assert_eq(shim_kmem_outstanding(), 0u);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}

Test(OSMalloc, a_freed_tag_lives_until_its_last_block_goes)
{
	OSMallocTag tag = OSMalloc_Tagalloc("outlive", OSMT_DEFAULT);
	void *p = OSMalloc(64, tag), *q = OSMalloc(10, tag);

	shim_console_clear();
	OSMalloc_Tagfree(tag);
	cr_assert_not_null(strstr(shim_console_text(),
	    "OSMalloc_Tagfree: tag \"outlive\" freed with 2 allocations (74 bytes) "
	    "outstanding"));
	cr_assert_eq(info_of(tag).omti_released, TRUE);
	cr_assert_eq(info_of(tag).omti_refcnt, 2u);
	OSFree(p, 64, tag);
	cr_assert_eq(info_of(tag).omti_refcnt, 1u);
	cr_assert_eq(elements_in_use(), 2u, "the tag and q");
	OSFree(q, 10, tag);
	cr_assert_eq(elements_in_use(), 0u, "the tag went with its last block");
}

Test(OSMalloc, zero_size_and_null_free)
{
	OSMallocTag tag = OSMalloc_Tagalloc("zero", OSMT_DEFAULT);

	cr_assert_null(OSMalloc(0, tag));
	cr_assert_null(OSMalloc_noblock(0, tag));
	OSFree(NULL, 12, tag);
	cr_assert_eq(info_of(tag).omti_allocations, 0u);
	OSMalloc_Tagfree(tag);
}

Test(OSMalloc, the_largest_size_is_refused_cleanly)
{
	OSMallocTag tag = OSMalloc_Tagalloc("huge", OSMT_DEFAULT);

	shim_kmem_set_limit(64 * 1024 * 1024);
	cr_assert_null(OSMalloc(UINT32_MAX, tag));
	cr_assert_eq(info_of(tag).omti_allocations, 0u);
	cr_assert_eq(info_of(tag).omti_refcnt, 1u);
	OSMalloc_Tagfree(tag);
}

Test(OSMalloc, running_out_of_memory_returns_null)
{
	OSMallocTag tag = OSMalloc_Tagalloc("oom", OSMT_DEFAULT);
	void **p = calloc(RAM_PAGES, sizeof(*p));
	unsigned n = 0;

	while ((p[n] = OSMalloc(4000, tag)) != NULL) {
		n++;
		cr_assert_lt(n, RAM_PAGES);
	}
	cr_assert_gt(n, RAM_PAGES / 2);
	cr_assert_eq(info_of(tag).omti_allocations, n);
	for (unsigned i = 0; i < n; i++)
		OSFree(p[i], 4000, tag);
	OSMalloc_Tagfree(tag);
	cr_assert_eq(elements_in_use(), 0u);
	free(p);
}

/* --- panics -------------------------------------------------------------------- */

Test(OSMalloc, free_with_the_wrong_tag_panics, .signal = SIGABRT)
{
	OSMallocTag a = OSMalloc_Tagalloc("right", OSMT_DEFAULT);
	OSMallocTag b = OSMalloc_Tagalloc("wrong", OSMT_DEFAULT);
	void *p = OSMalloc(32, a);

	expect_panic(
	    "OSFree: %p was allocated with tag \"right\" but freed with tag \"wrong\"",
	    p);
	OSFree(p, 32, b);
}

Test(OSMalloc, free_with_the_wrong_size_panics, .signal = SIGABRT)
{
	OSMallocTag tag = OSMalloc_Tagalloc("size", OSMT_DEFAULT);
	void *p = OSMalloc(100, tag);

	expect_panic(
	    "OSFree: %p (tag \"size\") was allocated with 100 bytes but freed with 99",
	    p);
	OSFree(p, 99, tag);
}

Test(OSMalloc, double_free_panics, .signal = SIGABRT)
{
	OSMallocTag tag = OSMalloc_Tagalloc("twice", OSMT_DEFAULT);
	void *p = OSMalloc(48, tag);

	(void)OSMalloc(48, tag);	/* keeps the tag alive */
	OSFree(p, 48, tag);
	expect_panic("OSFree: %p was not returned by OSMalloc, or was freed already", p);
	OSFree(p, 48, tag);
}

Test(OSMalloc, free_of_kalloc_memory_panics, .signal = SIGABRT)
{
	OSMallocTag tag = OSMalloc_Tagalloc("kalloc", OSMT_DEFAULT);
	uint8_t *k = kalloc(64);

	memset(k, 0, 64);
	expect_panic(
	    "OSFree: %p was not returned by OSMalloc, or was freed already", k + 16);
	OSFree(k + 16, 48, tag);
}

Test(OSMalloc, free_of_a_misaligned_pointer_panics, .signal = SIGABRT)
{
	OSMallocTag tag = OSMalloc_Tagalloc("misaligned", OSMT_DEFAULT);
	uint8_t *p = OSMalloc(64, tag);

	expect_panic("OSFree: %p was not returned by OSMalloc", p + 8);
	OSFree(p + 8, 56, tag);
}

Test(OSMalloc, tagfree_twice_panics, .signal = SIGABRT)
{
	OSMallocTag tag = OSMalloc_Tagalloc("tagtwice", OSMT_DEFAULT);

	(void)OSMalloc(10, tag);
	OSMalloc_Tagfree(tag);
	shim_expect_panic("OSMalloc_Tagfree: tag \"tagtwice\" freed twice");
	OSMalloc_Tagfree(tag);
}

Test(OSMalloc, tagfree_of_a_gone_tag_panics, .signal = SIGABRT)
{
	OSMallocTag tag = OSMalloc_Tagalloc("gone", OSMT_DEFAULT);

	OSMalloc_Tagfree(tag);	/* nothing outstanding: the tag is freed */
	expect_panic(
	    "OSMalloc_Tagfree: %p is not an OSMalloc tag (freed already?)", (void *)tag);
	OSMalloc_Tagfree(tag);
}

Test(OSMalloc, malloc_with_a_freed_tag_panics, .signal = SIGABRT)
{
	OSMallocTag tag = OSMalloc_Tagalloc("released", OSMT_DEFAULT);

	(void)OSMalloc(10, tag);
	OSMalloc_Tagfree(tag);
	shim_expect_panic(
	    "OSMalloc: tag \"released\" was already freed with OSMalloc_Tagfree");
	(void)OSMalloc(10, tag);
}

Test(OSMalloc, malloc_with_a_null_tag_panics, .signal = SIGABRT)
{
	shim_expect_panic("OSMalloc: the tag is NULL");
	(void)OSMalloc(10, NULL);
}

/* --- randomized, against a model --------------------------------------------- */

#define STRESS_TAGS	4
#define STRESS_LIVE	300
#define STRESS_STEPS	15000

struct tagged_block {
	uint8_t		*tb_ptr;
	uint32_t	tb_size;
	unsigned	tb_tag;
};

Test(OSMalloc, randomized_against_a_model)
{
	static struct tagged_block live[STRESS_LIVE];
	OSMallocTag tags[STRESS_TAGS];
	uint64_t count[STRESS_TAGS] = { 0 }, bytes[STRESS_TAGS] = { 0 };
	const uint64_t seed = 0x05a110c;
	struct test_rand r;
	unsigned n = 0;

	test_rand_seed(&r, seed);
	for (unsigned t = 0; t < STRESS_TAGS; t++) {
		char name[16];

		snprintf(name, sizeof(name), "stress.%u", t);
		tags[t] = OSMalloc_Tagalloc(name, t % 2 ? OSMT_PAGEABLE : OSMT_DEFAULT);
	}
	for (unsigned step = 0; step < STRESS_STEPS; step++) {
		if (n < STRESS_LIVE && (n == 0 || test_rand_below(&r, 100) < 55)) {
			struct tagged_block *b = &live[n++];

			b->tb_tag = (unsigned)test_rand_below(&r, STRESS_TAGS);
			b->tb_size = 1 + (uint32_t)test_rand_below(&r,
			    test_rand_below(&r, 10) == 0 ? 30000 : 600);
			b->tb_ptr = OSMalloc(b->tb_size, tags[b->tb_tag]);
			cr_assert_not_null(b->tb_ptr, "seed %llu step %u",
			    (unsigned long long)seed, step);
			memset(b->tb_ptr, (int)b->tb_tag, b->tb_size);
			count[b->tb_tag]++;
			bytes[b->tb_tag] += b->tb_size;
		} else {
			unsigned k = (unsigned)test_rand_below(&r, n);
			struct tagged_block *b = &live[k];

			cr_assert_eq(b->tb_ptr[b->tb_size - 1], b->tb_tag,
			    "seed %llu step %u", (unsigned long long)seed, step);
			OSFree(b->tb_ptr, b->tb_size, tags[b->tb_tag]);
			count[b->tb_tag]--;
			bytes[b->tb_tag] -= b->tb_size;
			*b = live[--n];
		}
		if (step % 997 == 0) {
			for (unsigned t = 0; t < STRESS_TAGS; t++) {
				cr_assert_eq(info_of(tags[t]).omti_allocations, count[t]);
				cr_assert_eq(info_of(tags[t]).omti_bytes, bytes[t]);
				cr_assert_eq(info_of(tags[t]).omti_refcnt, count[t] + 1);
			}
		}
	}
	/* Free the tags first: each must go with its last block. */
	for (unsigned t = 0; t < STRESS_TAGS; t++)
		OSMalloc_Tagfree(tags[t]);
	while (n > 0) {
		n--;
		OSFree(live[n].tb_ptr, live[n].tb_size, tags[live[n].tb_tag]);
	}
	cr_assert_eq(elements_in_use(), 0u);
	cr_assert_eq(shim_kmem_outstanding(), 0u);
}
