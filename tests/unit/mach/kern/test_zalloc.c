/*
 * test_zalloc.c - mach/kern/zalloc.c: zones over the real vm_page and
 * vm_phys code, on fake RAM.
 *
 * Each test gets 8 MiB of fake RAM as the kernel's only vm_phys segment,
 * with the vm_page array, the kernel heap and the zone page slots built on
 * it as at boot. Every way zfree can be handed a bad pointer is tried, each
 * expecting its own panic; a randomized run holds several zones against a
 * model of what each has handed out.
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
#include "mach/kern/zalloc.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"
#include "mach/vm/vm_phys.h"

#define RAM_BASE	0x1000000ULL		/* 16 MiB */
#define RAM_PAGES	2048ULL			/* 8 MiB */

static uint64_t baseline_free_pages;

/* Free pages as the in-kernel test runner counts them: heap arenas count as free. */
static uint64_t
free_pages(void)
{
	struct kheap_stats st;

	kheap_get_stats(&kernel_heap, &st);
	return vm_phys_free_pages(&vm_phys_kernel) + st.khs_arena_bytes / PAGE_SIZE;
}

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
	baseline_free_pages = free_pages();
}

TestSuite(zalloc, .init = setup);

/* shim_expect_panic, with the message formatted (pointers and all). */
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

static struct zone_info
info_of(zone_t z)
{
	struct zone_info zi;

	zone_get_info(z, &zi);
	return zi;
}

static uint64_t
zone_pages_in_use(void)
{
	struct vm_page_stats st;

	vm_page_get_stats(&st);
	return st.vps_by_use[VM_PAGE_USE_ZONE];
}

static uint64_t
heap_inuse(void)
{
	struct kheap_stats st;

	kheap_get_stats(&kernel_heap, &st);
	return st.khs_inuse_bytes;
}

static void *
alloc_ok(zone_t z)
{
	void *p = zalloc(z);

	cr_assert_not_null(p, "zalloc(%s) failed", info_of(z).zi_name);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE, "interrupts left off");
	return p;
}

/* The counters agree with each other and with the page layer's. */
static void
check_consistent(zone_t z)
{
	struct zone_info zi = info_of(z);
	uint64_t chunk_pages = zi.zi_chunk_size / PAGE_SIZE;

	cr_assert_eq(zi.zi_elems_inuse + zi.zi_elems_free,
	    zi.zi_pages / chunk_pages * zi.zi_elems_per_chunk, "zone %s", zi.zi_name);
	cr_assert_eq(
	    zi.zi_allocs - zi.zi_frees, zi.zi_elems_inuse, "zone %s", zi.zi_name);
	cr_assert_leq(zi.zi_pages_empty, zi.zi_pages);
	cr_assert_leq(zi.zi_elems_inuse, zi.zi_peak_inuse);
}

/* --- creation ---------------------------------------------------------------- */

Test(zalloc, zinit_rounds_and_chooses_chunks)
{
	static const struct {
		vm_size_t	size, alloc, elem, chunk_pages, per_chunk;
	} cases[] = {
		{ 1, 0, 16, 1, 256 },
		{ 16, PAGE_SIZE, 16, 1, 256 },
		{ 40, PAGE_SIZE, 48, 1, 85 },
		{ 100, 0, 112, 1, 36 },
		{ 384, PAGE_SIZE, 384, 1, 10 },
		{ 1536, PAGE_SIZE, 1536, 2, 5 },
		{ 3072, PAGE_SIZE, 3072, 3, 4 },
		{ 4096, PAGE_SIZE, 4096, 1, 1 },
		{ 6144, PAGE_SIZE, 6144, 3, 2 },
		{ 8192, PAGE_SIZE, 8192, 2, 1 },
		{ 16, 3 * PAGE_SIZE, 16, 3, 768 },
		{ 16, 5000, 16, 2, 512 },
		{ 16, SIZE_MAX, 16, ZONE_CHUNK_MAX_PAGES, ZONE_CHUNK_MAX_PAGES * 256 },
		{ ZONE_MAX_ELEM_SIZE, 0, ZONE_MAX_ELEM_SIZE, ZONE_CHUNK_MAX_PAGES, 1 },
		{ 20000, 0, 20000, 5, 1 },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		zone_t z = zinit(cases[i].size, 0, cases[i].alloc, "zt.sizes");
		struct zone_info zi;

		cr_assert_not_null(z);
		zi = info_of(z);
		cr_assert_eq(zi.zi_elem_size, cases[i].elem, "case %u", i);
		cr_assert_eq(
		    zi.zi_chunk_size, cases[i].chunk_pages * PAGE_SIZE, "case %u", i);
		cr_assert_eq(zi.zi_elems_per_chunk, cases[i].per_chunk, "case %u", i);
		cr_assert_eq(zi.zi_pages, 0u, "a zone takes no page until used");
		zdestroy(z);
	}
	cr_assert_eq(heap_inuse(), 0u);
}

Test(zalloc, names_are_copied_and_cut)
{
	char name[64];
	zone_t z;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	z = zinit(32, 0, 0, name);
	name[0] = 'X';
	cr_assert_eq(strlen(info_of(z).zi_name), ZONE_NAME_MAX - 1);
	cr_assert_eq(info_of(z).zi_name[0], 'n');
	cr_assert_str_eq(zone_name(z), info_of(z).zi_name);
	zdestroy(z);
}

Test(zalloc, max_rounds_up_to_whole_chunks)
{
	zone_t a = zinit(64, 1, PAGE_SIZE, "zt.max1");
	zone_t b = zinit(6144, PAGE_SIZE, 0, "zt.max2");

	cr_assert_eq(info_of(a).zi_max_size, PAGE_SIZE);
	cr_assert_eq(info_of(b).zi_max_size, 3 * PAGE_SIZE);
	for (int i = 0; i < 64; i++)
		(void)alloc_ok(a);
	cr_assert_null(zalloc(a));
	(void)alloc_ok(b);
	(void)alloc_ok(b);
	cr_assert_null(zalloc(b));
	cr_assert_eq(info_of(b).zi_failures, 1u);
}

/* --- allocation ------------------------------------------------------------- */

Test(zalloc, elements_are_distinct_aligned_and_owned)
{
	zone_t z = zinit(40, 0, PAGE_SIZE, "zt.distinct");
	static uint8_t *p[500];
	zone_t owner;

	for (int i = 0; i < 500; i++) {
		struct vm_page *m;

		p[i] = alloc_ok(z);
		cr_assert_eq((uintptr_t)p[i] % 16, 0u);
		m = vm_page_lookup_phys(kvtophys((vm_offset_t)p[i]));
		cr_assert_not_null(m);
		cr_assert_eq(m->vmp_use, VM_PAGE_USE_ZONE);
		cr_assert_eq(m->vmp_owner, (void *)z);
		cr_assert_eq(zone_element_size(p[i], &owner), 48u);
		cr_assert_eq(owner, z);
		memset(p[i], i & 0xff, 48);
	}
	for (int i = 0; i < 500; i++) {
		for (int k = 0; k < 48; k++)
			cr_assert_eq(p[i][k], i & 0xff, "element %d overlaps another", i);
	}
	check_consistent(z);
	cr_assert_eq(
	    info_of(z).zi_pages, 6u, "500 elements of 48 bytes in 85-element pages");
	for (int i = 0; i < 500; i++)
		zfree(z, p[i]);
	zdestroy(z);
	cr_assert_eq(free_pages(), baseline_free_pages);
	cr_assert_eq(heap_inuse(), 0u);
}

Test(zalloc, elements_are_naturally_aligned)
{
	static const vm_size_t sizes[] = {
	    16, 32, 48, 64, 96, 128, 160, 192, 256, 384, 1536, 3072, 4096, 6144, 8192};

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		zone_t z = zinit(sizes[i], 0, 0, "zt.align");
		vm_size_t natural = sizes[i] & -sizes[i];
		void *p[20];

		for (int k = 0; k < 20; k++) {
			p[k] = alloc_ok(z);
			cr_assert_eq((uintptr_t)p[k] % (natural < 64 ? natural : 64), 0u,
			    "size %lu: %p", (unsigned long)sizes[i], p[k]);
		}
		for (int k = 0; k < 20; k++)
			zfree(z, p[k]);
		zdestroy(z);
	}
}

Test(zalloc, multi_page_elements_span_their_pages)
{
	zone_t z = zinit(6144, 0, PAGE_SIZE, "zt.multipage");
	uint8_t *p[6];

	for (int i = 0; i < 6; i++) {
		p[i] = alloc_ok(z);
		memset(p[i], 0x10 + i, 6144);
	}
	cr_assert_eq(info_of(z).zi_pages, 9u);
	cr_assert_eq(zone_pages_in_use(), 9u);
	for (int i = 0; i < 6; i++) {
		for (int k = 0; k < 6144; k += 511)
			cr_assert_eq(p[i][k], 0x10 + i);
		/* Every page of the chunk knows its zone. */
		cr_assert_eq(zone_element_size(p[i] + 6143, NULL), 6144u);
	}
	for (int i = 0; i < 6; i++)
		zfree(z, p[i]);
	zdestroy(z);
	cr_assert_eq(free_pages(), baseline_free_pages);
}

Test(zalloc, freed_elements_are_reused_lowest_first)
{
	zone_t z = zinit(64, 0, 0, "zt.reuse");
	uint8_t *a = alloc_ok(z), *b = alloc_ok(z), *c = alloc_ok(z);

	cr_assert_eq(b, a + 64);
	cr_assert_eq(c, b + 64);
	zfree(z, c);
	zfree(z, a);
	cr_assert_eq(alloc_ok(z), a);
	cr_assert_eq(alloc_ok(z), c);
	check_consistent(z);
}

Test(zalloc, noblock_is_zalloc)
{
	zone_t z = zinit(64, PAGE_SIZE, 0, "zt.noblock");

	for (int i = 0; i < 64; i++)
		cr_assert_not_null(zalloc_noblock(z));
	cr_assert_null(zalloc_noblock(z));
	cr_assert_eq(info_of(z).zi_allocs, 64u);
}

Test(zalloc, works_with_interrupts_off_and_leaves_them_off)
{
	zone_t z = zinit(64, 0, 0, "zt.intr");
	void *p;

	ml_set_interrupts_enabled(FALSE);
	p = zalloc(z);
	cr_assert_not_null(p);
	cr_assert_eq(ml_get_interrupts_enabled(), FALSE);
	zfree(z, p);
	cr_assert_eq(ml_get_interrupts_enabled(), FALSE);
	ml_set_interrupts_enabled(TRUE);
}

Test(zalloc, free_of_null_is_ignored)
{
	zone_t z = zinit(64, 0, 0, "zt.null");

	zfree(z, NULL);
	cr_assert_eq(info_of(z).zi_frees, 0u);
}

/* --- statistics --------------------------------------------------------------- */

Test(zalloc, stats_add_up)
{
	zone_t z = zinit(100, 0, 0, "zt.stats");
	void *p[100];
	struct zone_info zi;

	for (int i = 0; i < 100; i++)
		p[i] = alloc_ok(z);
	for (int i = 0; i < 100; i += 3)
		zfree(z, p[i]);
	zi = info_of(z);
	cr_assert_str_eq(zi.zi_name, "zt.stats");
	cr_assert_eq(zi.zi_elem_size, 112u);
	cr_assert_eq(zi.zi_elems_inuse, 66u);
	cr_assert_eq(zi.zi_allocs, 100u);
	cr_assert_eq(zi.zi_frees, 34u);
	cr_assert_eq(zi.zi_peak_inuse, 100u);
	cr_assert_eq(zi.zi_pages, 3u);
	cr_assert_eq(zi.zi_elems_free, 3 * 36 - 66u);
	cr_assert_eq(zi.zi_failures, 0u);
	cr_assert_eq(zone_pages_in_use(), 3u);
	check_consistent(z);
}

static void
collect_names(zone_t zone, void *arg)
{
	char *buf = arg;

	strcat(buf, zone_name(zone));
	strcat(buf, " ");
}

Test(zalloc, iterate_visits_every_zone_in_creation_order)
{
	char buf[256] = "";
	zone_t a = zinit(16, 0, 0, "zt.a");
	zone_t b = zinit(16, 0, 0, "zt.b");
	zone_t c = zinit(16, 0, 0, "zt.c");

	zone_iterate(collect_names, buf);
	cr_assert_str_eq(buf, "zt.a zt.b zt.c ");
	zdestroy(b);
	buf[0] = '\0';
	zone_iterate(collect_names, buf);
	cr_assert_str_eq(buf, "zt.a zt.c ");
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
	zdestroy(a);
	zdestroy(c);
}

Test(zalloc, zone_print_all_prints_a_row_per_zone)
{
	zone_t z = zinit(200, 0, 0, "zt.print");
	const char *row;
	unsigned long long elem, inuse, nfree, pages, allocs;
	char name[64];
	int n;

	for (int i = 0; i < 5; i++)
		(void)alloc_ok(z);
	shim_console_clear();
	zone_print_all();
	cr_assert_not_null(strstr(shim_console_text(), "zone"));
	cr_assert_not_null(strstr(shim_console_text(), "allocs"));
	row = strstr(shim_console_text(), "zt.print");
	cr_assert_not_null(row);
	n = sscanf(row, "%63s %llu %llu %llu %llu %llu", name, &elem, &inuse, &nfree,
	    &pages, &allocs);
	cr_assert_eq(n, 6);
	cr_assert_eq(elem, 208u);
	cr_assert_eq(inuse, 5u);
	cr_assert_eq(nfree, 19u - 5u);
	cr_assert_eq(pages, 1u);
	cr_assert_eq(allocs, 5u);
	cr_assert_not_null(strstr(shim_console_text(), "1 zones, 1 pages (4 KiB)"));
}

/* --- giving pages back ---------------------------------------------------- */

Test(zalloc, frees_give_back_all_but_one_free_chunk)
{
	zone_t z = zinit(256, 0, PAGE_SIZE, "zt.giveback");
	void *p[16 * 16];

	for (int i = 0; i < 256; i++)
		p[i] = alloc_ok(z);
	cr_assert_eq(zone_pages_in_use(), 16u);
	for (int i = 0; i < 256; i++)
		zfree(z, p[i]);
	cr_assert_eq(info_of(z).zi_pages, 1u);
	cr_assert_eq(info_of(z).zi_pages_empty, 1u);
	cr_assert_eq(zone_pages_in_use(), 1u);
	check_consistent(z);
}

Test(zalloc, zone_gc_gives_back_every_free_chunk_of_every_zone)
{
	zone_t a = zinit(64, 0, 0, "zt.gc.a");
	zone_t b = zinit(3072, 0, 0, "zt.gc.b");
	void *pa = alloc_ok(a), *pb = alloc_ok(b), *keep = alloc_ok(a);

	zfree(a, pa);
	zfree(b, pb);
	cr_assert_eq(zone_pages_in_use(), 1u + 3u);
	zone_gc();
	cr_assert_eq(zone_pages_in_use(), 1u, "a's page still holds an element");
	cr_assert_eq(info_of(b).zi_pages, 0u);
	cr_assert_eq(info_of(a).zi_elems_inuse, 1u);
	zfree(a, keep);
	zone_gc();
	cr_assert_eq(zone_pages_in_use(), 0u);
	cr_assert_eq(free_pages(), baseline_free_pages);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}

Test(zalloc, zone_trim_keeps_what_it_is_told)
{
	zone_t z = zinit(4096, 0, 0, "zt.trim");
	void *p[5];

	for (int i = 0; i < 5; i++)
		p[i] = alloc_ok(z);
	/* Freed from the last: each free leaves at most one free chunk. */
	for (int i = 4; i >= 0; i--)
		zfree(z, p[i]);
	cr_assert_eq(info_of(z).zi_pages, 1u);
	zone_trim(z, 1);
	cr_assert_eq(info_of(z).zi_pages, 1u);
	zone_trim(z, 0);
	cr_assert_eq(info_of(z).zi_pages, 0u);
}

Test(zalloc, zdestroy_gives_everything_back)
{
	zone_t z = zinit(512, 0, 0, "zt.destroy");
	void *p[40];

	for (int i = 0; i < 40; i++)
		p[i] = alloc_ok(z);
	for (int i = 0; i < 40; i++)
		zfree(z, p[i]);
	zdestroy(z);
	cr_assert_eq(zone_pages_in_use(), 0u);
	cr_assert_eq(free_pages(), baseline_free_pages);
	cr_assert_eq(heap_inuse(), 0u);
}

Test(zalloc, running_out_of_memory_returns_null)
{
	zone_t z = zinit(4096, 0, 0, "zt.oom");
	void **p = calloc(RAM_PAGES, sizeof(*p));
	unsigned n = 0;

	while ((p[n] = zalloc(z)) != NULL) {
		n++;
		cr_assert_lt(n, RAM_PAGES);
	}
	cr_assert_gt(n, RAM_PAGES / 2);
	cr_assert_eq(info_of(z).zi_failures, 1u);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
	check_consistent(z);
	for (unsigned i = 0; i < n; i++)
		zfree(z, p[i]);
	zdestroy(z);
	cr_assert_eq(free_pages(), baseline_free_pages);
	free(p);
}

/* --- poison ---------------------------------------------------------------- */

Test(zalloc, free_elements_hold_poison)
{
	zone_t z = zinit(64, 0, 0, "zt.poison");
	uint64_t *p = alloc_ok(z);

	for (int w = 0; w < 8; w++)
		cr_assert_eq(p[w], ZONE_POISON, "memory from zalloc holds the pattern");
	memset(p, 0, 64);
	zfree(z, p);
	for (int w = 0; w < 8; w++)
		cr_assert_eq(p[w], ZONE_POISON);
}

Test(zalloc, an_element_holding_the_poison_is_not_taken_for_free)
{
	zone_t z = zinit(64, 0, 0, "zt.lookalike");
	uint64_t *p = alloc_ok(z);

	/* It still holds the pattern: no write at all. A free is still fine. */
	zfree(z, p);
	cr_assert_eq(info_of(z).zi_elems_inuse, 0u);
	cr_assert_eq(alloc_ok(z), p);
}

/* --- panics: bad frees --------------------------------------------------------- */

Test(zalloc, double_free_panics, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.double");
	void *p = alloc_ok(z);

	zfree(z, p);
	expect_panic("zfree: zone zt.double: %p is already free (double free)", p);
	zfree(z, p);
}

Test(zalloc, double_free_is_caught_with_the_chunk_busy, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.double2");
	void *p = alloc_ok(z);

	(void)alloc_ok(z);
	zfree(z, p);
	expect_panic("zfree: zone zt.double2: %p is already free (double free)", p);
	zfree(z, p);
}

Test(zalloc, foreign_zone_panics, .signal = SIGABRT)
{
	zone_t a = zinit(64, 0, 0, "zt.owner");
	zone_t b = zinit(64, 0, 0, "zt.other");
	void *p = alloc_ok(a);

	expect_panic(
	    "zfree: zone zt.other: %p belongs to zone zt.owner, not to this one", p);
	zfree(b, p);
}

Test(zalloc, misaligned_pointer_panics, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.misaligned");
	char *p = alloc_ok(z);

	expect_panic(
	    "zfree: zone zt.misaligned: %p is not on an element boundary (16 bytes "
	    "into a 64-byte element)",
	    p + 16);
	zfree(z, p + 16);
}

Test(zalloc, pointer_into_the_slack_panics, .signal = SIGABRT)
{
	zone_t z = zinit(1000, 0, PAGE_SIZE, "zt.slack");
	char *first = alloc_ok(z);

	cr_assert_eq(info_of(z).zi_elems_per_chunk, 4u);
	expect_panic("zfree: zone zt.slack: %p is past the last element of its chunk "
	    "(element 4 of 4)", first + 4 * 1008);
	zfree(z, first + 4 * 1008);
}

Test(zalloc, pointer_outside_the_direct_map_panics, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.stack");
	uint64_t local[8];

	expect_panic(
	    "zfree: zone zt.stack: %p is not a zone element (not in the direct map)",
	    (void *)local);
	zfree(z, local);
}

Test(zalloc, pointer_to_unmanaged_memory_panics, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.unmanaged");
	void *other = fake_ram_add(0x40000000, PAGE_SIZE);	/* not in vm_phys */

	expect_panic(
	    "zfree: zone zt.unmanaged: %p is not a zone element (physical 0x40000000 "
	    "is not managed RAM)",
	    other);
	zfree(z, other);
}

Test(zalloc, heap_pointer_panics, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.heap");
	void *h = kheap_alloc(&kernel_heap, 64);

	expect_panic(
	    "zfree: zone zt.heap: %p is not a zone element (its page is not a zone "
	    "page, vm_page use %u)",
	    h, VM_PAGE_USE_KERNEL);
	zfree(z, h);
}

Test(zalloc, pointer_into_a_free_page_panics, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.freepage");
	void *p = alloc_ok(z);

	zfree(z, p);
	zone_gc();	/* the page is back in vm_phys: p is stale */
	expect_panic(
	    "zfree: zone zt.freepage: %p is not a zone element (its page is free, "
	    "vm_page use 0)",
	    p);
	zfree(z, p);
}

Test(zalloc, pointer_from_a_destroyed_zone_panics, .signal = SIGABRT)
{
	zone_t old = zinit(64, 0, 0, "zt.old");
	zone_t z = zinit(64, 0, 0, "zt.new");
	void *p = alloc_ok(old);

	zfree(old, p);
	zdestroy(old);
	expect_panic("zfree: zone zt.new: %p is not a zone element (its page is free", p);
	zfree(z, p);
}

/* --- panics: writes after free ------------------------------------------------ */

Test(zalloc, write_after_free_is_caught_by_zalloc, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.waf");
	uint8_t *p = alloc_ok(z);

	zfree(z, p);
	p[9] = 0x42;
	expect_panic(
	    "zalloc: zone zt.waf: element %p was written after it was freed (offset 8 "
	    "holds 0xdeadbeefdead42ef)",
	    p);
	(void)zalloc(z);
}

Test(zalloc, write_after_free_is_caught_by_zone_gc, .signal = SIGABRT)
{
	zone_t z = zinit(128, 0, 0, "zt.wafgc");
	uint64_t *p = alloc_ok(z);

	zfree(z, p);
	p[15] = 0;
	expect_panic("zone_gc: zone zt.wafgc: element %p was written after it was freed "
	    "(offset 120 holds 0x0000000000000000)", p);
	zone_gc();
}

Test(zalloc, write_after_free_is_caught_by_zdestroy, .signal = SIGABRT)
{
	zone_t z = zinit(32, 0, 0, "zt.wafdestroy");
	uint64_t *p = alloc_ok(z);

	zfree(z, p);
	p[0] = 7;
	expect_panic(
	    "zdestroy: zone zt.wafdestroy: element %p was written after it was freed "
	    "(offset 0 holds 0x0000000000000007)",
	    p);
	zdestroy(z);
}

Test(zalloc, write_into_a_never_used_element_is_caught, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.fresh");
	uint8_t *p = alloc_ok(z);

	p[64] = 1;	/* an overrun into the next element, never handed out */
	expect_panic(
	    "zalloc: zone zt.fresh: element %p was written after it was freed (offset "
	    "0 holds 0xdeadbeefdeadbe01)",
	    p + 64);
	(void)zalloc(z);
}

/* --- panics: misuse of the zone calls -------------------------------------- */

Test(zalloc, zdestroy_of_a_busy_zone_panics, .signal = SIGABRT)
{
	zone_t z = zinit(64, 0, 0, "zt.busy");

	(void)alloc_ok(z);
	(void)alloc_ok(z);
	shim_expect_panic("zdestroy: zone zt.busy is not empty (elements in use: 2)");
	zdestroy(z);
}

Test(zalloc, zinit_of_size_zero_panics, .signal = SIGABRT)
{
	shim_expect_panic(
	    "zinit: zone zt.zero: element size 0 is out of range (1 to 32768)");
	(void)zinit(0, 0, 0, "zt.zero");
}

Test(zalloc, zinit_of_a_huge_size_panics, .signal = SIGABRT)
{
	shim_expect_panic("zinit: zone zt.huge: element size 32769 is out of range");
	(void)zinit(ZONE_MAX_ELEM_SIZE + 1, 0, 0, "zt.huge");
}

Test(zalloc, zinit_without_a_name_panics, .signal = SIGABRT)
{
	shim_expect_panic("zinit: a zone needs a name");
	(void)zinit(64, 0, 0, NULL);
}

Test(zalloc, zone_bootstrap_twice_panics, .signal = SIGABRT)
{
	shim_expect_panic("zone_bootstrap: called twice");
	zone_bootstrap();
}

/* --- element size of anything ------------------------------------------------ */

Test(zalloc, element_size_never_panics)
{
	zone_t z = zinit(96, 0, 0, "zt.size");
	uint8_t *p = alloc_ok(z);
	int local;
	void *h = kheap_alloc(&kernel_heap, 10);
	zone_t owner = NULL;

	cr_assert_eq(zone_element_size(p, &owner), 96u);
	cr_assert_eq(owner, z);
	cr_assert_eq(zone_element_size(p + 5, NULL), 96u, "any byte of the page");
	cr_assert_eq(zone_element_size(&local, NULL), 0u);
	cr_assert_eq(zone_element_size(NULL, NULL), 0u);
	cr_assert_eq(zone_element_size(h, NULL), 0u);
	cr_assert_eq(zone_element_size(phystokv(RAM_BASE + (RAM_PAGES - 1) * PAGE_SIZE),
	    NULL), 0u, "a free page");
	kheap_free(&kernel_heap, h);
}

/* --- randomized, against a model --------------------------------------------- */

#define STRESS_ZONES	6
#define STRESS_LIVE	150
#define STRESS_STEPS	30000

struct model_zone {
	zone_t		mz_zone;
	vm_size_t	mz_size;
	unsigned	mz_capacity;	/* elements the max allows; 0: none */
	unsigned	mz_live;
	uint64_t	*mz_elem[STRESS_LIVE];
	uint64_t	mz_tag[STRESS_LIVE];
	uint64_t	mz_allocs, mz_frees, mz_failures;
};

static void
fill(uint64_t *p, vm_size_t size, uint64_t tag)
{
	for (vm_size_t w = 0; w < size / 8; w++)
		p[w] = tag + w;
}

static void
check_fill(const uint64_t *p, vm_size_t size, uint64_t tag, uint64_t seed, unsigned step)
{
	for (vm_size_t w = 0; w < size / 8; w++)
		cr_assert_eq(p[w], tag + w,
		    "seed %llu step %u: element %p word %lu was "
		    "overwritten",
		    (unsigned long long)seed, step, (void *)p, (unsigned long)w);
}

static void
check_model(struct model_zone *mz, unsigned n, uint64_t seed, unsigned step)
{
	uint64_t pages = 0;

	for (unsigned i = 0; i < n; i++) {
		struct zone_info zi = info_of(mz[i].mz_zone);

		cr_assert_eq(zi.zi_elems_inuse, mz[i].mz_live,
		    "seed %llu step %u zone %u", (unsigned long long)seed, step, i);
		cr_assert_eq(zi.zi_allocs, mz[i].mz_allocs);
		cr_assert_eq(zi.zi_frees, mz[i].mz_frees);
		cr_assert_eq(zi.zi_failures, mz[i].mz_failures);
		check_consistent(mz[i].mz_zone);
		pages += zi.zi_pages;
	}
	cr_assert_eq(zone_pages_in_use(), pages, "seed %llu step %u",
	    (unsigned long long)seed, step);
}

static void
stress_alloc(struct model_zone *m, struct test_rand *r, uint64_t seed, unsigned step)
{
	uint64_t *p = zalloc(m->mz_zone);

	if (m->mz_capacity != 0 && m->mz_live == m->mz_capacity) {
		cr_assert_null(p, "seed %llu step %u: allocation past the max",
		    (unsigned long long)seed, step);
		m->mz_failures++;
		return;
	}
	cr_assert_not_null(p, "seed %llu step %u", (unsigned long long)seed, step);
	m->mz_allocs++;
	m->mz_elem[m->mz_live] = p;
	m->mz_tag[m->mz_live] = test_rand_next(r) << 16;
	fill(p, m->mz_size, m->mz_tag[m->mz_live]);
	m->mz_live++;
}

static void
stress_free(struct model_zone *m, unsigned k, uint64_t seed, unsigned step)
{
	check_fill(m->mz_elem[k], m->mz_size, m->mz_tag[k], seed, step);
	zfree(m->mz_zone, m->mz_elem[k]);
	m->mz_frees++;
	m->mz_live--;
	m->mz_elem[k] = m->mz_elem[m->mz_live];
	m->mz_tag[k] = m->mz_tag[m->mz_live];
}

Test(zalloc, randomized_against_a_model)
{
	static const vm_size_t sizes[STRESS_ZONES] = { 16, 48, 200, 1536, 6144, 64 };
	static struct model_zone mz[STRESS_ZONES];
	const uint64_t seed = 0x5eedf00d;
	struct test_rand r;
	uint64_t heap_before = heap_inuse();

	test_rand_seed(&r, seed);
	for (unsigned i = 0; i < STRESS_ZONES; i++) {
		mz[i].mz_size = sizes[i];
		/* The last zone has a max: two pages of 64 elements. */
		mz[i].mz_capacity = i == STRESS_ZONES - 1 ? 128 : 0;
		mz[i].mz_zone = zinit(
		    sizes[i], i == STRESS_ZONES - 1 ? 2 * PAGE_SIZE : 0, 0, "zt.stress");
	}
	for (unsigned step = 0; step < STRESS_STEPS; step++) {
		struct model_zone *m = &mz[test_rand_below(&r, STRESS_ZONES)];
		/* Drift between filling and emptying, so zones grow and shrink. */
		unsigned bias = (step / 3000) % 2 == 0 ? 65 : 35;

		if (m->mz_live < STRESS_LIVE && (m->mz_live == 0 ||
		    test_rand_below(&r, 100) < bias))
			stress_alloc(m, &r, seed, step);
		else
			stress_free(
			    m, (unsigned)test_rand_below(&r, m->mz_live), seed, step);
		if (step % 997 == 0)
			check_model(mz, STRESS_ZONES, seed, step);
		if (step % 7919 == 0)
			zone_gc();
	}
	for (unsigned i = 0; i < STRESS_ZONES; i++) {
		while (mz[i].mz_live > 0)
			stress_free(&mz[i], 0, seed, STRESS_STEPS);
	}
	check_model(mz, STRESS_ZONES, seed, STRESS_STEPS);
	zone_gc();
	cr_assert_eq(zone_pages_in_use(), 0u);
	for (unsigned i = 0; i < STRESS_ZONES; i++)
		zdestroy(mz[i].mz_zone);
	cr_assert_eq(free_pages(), baseline_free_pages);
	cr_assert_eq(heap_inuse(), heap_before);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}
