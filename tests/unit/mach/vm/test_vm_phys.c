/*
 * test_vm_phys.c - mach/vm/vm_phys.c: the physical page allocator over
 * fake RAM.
 *
 * Each test builds its own struct vm_phys over "physical" ranges that the
 * shim backs with host memory (fake_ram_add), so the bitmaps the allocator
 * keeps in its own first pages are real memory ASan watches. Where only the
 * bitmap should ever be touched, only the bitmap pages are backed: a bitmap
 * access past them is then an ASan report. A randomized run holds the
 * allocator against a shadow model of every page.
 */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"
#include "tests/unit/shim/shim.h"

#include "mach/vm/vm_phys.h"

#define MB	(1024ULL * 1024)
#define GB	(1024 * MB)

static struct vm_phys vp;

/* A segment over [pa, pa + npages pages), all of it backed by fake RAM. */
static void
add_backed(uint64_t pa, uint64_t npages)
{
	fake_ram_add(pa, npages * PAGE_SIZE);
	cr_assert_eq(vm_phys_add_range(&vp, pa, pa + npages * PAGE_SIZE), KERN_SUCCESS);
}

static void
setup(void)
{
	vm_phys_init(&vp);
}

static pmap_paddr_t
alloc_ok(uint64_t npages, uint64_t align)
{
	pmap_paddr_t pa = 0;

	cr_assert_eq(vm_phys_alloc(&vp, npages, align, &pa), KERN_SUCCESS,
	    "alloc(%llu, %llu) failed with %llu pages free", (unsigned long long)npages,
	    (unsigned long long)align, (unsigned long long)vm_phys_free_pages(&vp));
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE, "interrupts left off");
	return pa;
}

TestSuite(vm_phys, .init = setup);

/* --- adding ranges --------------------------------------------------------- */

Test(vm_phys, add_range_keeps_its_bitmap_in_its_first_page)
{
	uint64_t *bitmap = fake_ram_add(0x100000, 256 * PAGE_SIZE);

	cr_assert_eq(vm_phys_add_range(&vp, 0x100000, 0x200000), KERN_SUCCESS);
	cr_assert_eq(vm_phys_total_pages(&vp), 255u, "one page holds the bitmap");
	cr_assert_eq(vm_phys_free_pages(&vp), 255u);
	cr_assert_eq(vp.vp_meta_pages, 1u);
	cr_assert_eq(vp.vp_nsegs, 1u);
	cr_assert_eq(vp.vp_segs[0].vps_base, 0x100000u);
	cr_assert_eq(vp.vp_segs[0].vps_start, 0x101000u);
	cr_assert_eq(vp.vp_segs[0].vps_end, 0x200000u);
	cr_assert_eq((void *)vp.vp_segs[0].vps_bitmap, (void *)bitmap);
	cr_assert_eq(bitmap[0], 0u, "all free");
	cr_assert_eq(bitmap[3], 0x8000000000000000u, "bit 255 is past the end");
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}

Test(vm_phys, add_range_rounds_inward_to_pages)
{
	fake_ram_add(0x100000, 16 * PAGE_SIZE);
	cr_assert_eq(vm_phys_add_range(&vp, 0x100001, 0x10ffff), KERN_SUCCESS);
	cr_assert_eq(vp.vp_segs[0].vps_base, 0x101000u);
	cr_assert_eq(vp.vp_segs[0].vps_end, 0x10f000u);
	cr_assert_eq(vm_phys_total_pages(&vp), 13u);
}

Test(vm_phys, add_empty_range_is_invalid)
{
	cr_assert_eq(vm_phys_add_range(&vp, 0x100000, 0x100000), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_add_range(&vp, 0x100000, 0x100fff), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_add_range(&vp, 0x100001, 0x101fff), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_add_range(&vp, 0x200000, 0x100000), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vp.vp_nsegs, 0u);
	cr_assert_eq(vp.vp_dropped_pages, 0u);
}

Test(vm_phys, add_overlapping_range_is_rejected)
{
	add_backed(0x100000, 64);		/* [0x100000, 0x140000) */
	cr_assert_eq(vm_phys_add_range(&vp, 0x100000, 0x140000), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_add_range(&vp, 0xf0000, 0x101000), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_add_range(&vp, 0x13f000, 0x150000), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_add_range(&vp, 0x110000, 0x120000), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_add_range(&vp, 0x0, 0x1000000), KERN_INVALID_ARGUMENT);
	/* The bitmap page belongs to the segment too. */
	cr_assert_eq(vm_phys_add_range(&vp, 0xff000, 0x101000), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vp.vp_nsegs, 1u);
	cr_assert_eq(vm_phys_total_pages(&vp), 63u, "nothing was added twice");
	/* Touching is not overlapping. */
	add_backed(0x140000, 8);
	add_backed(0xf0000, 16);
	cr_assert_eq(vp.vp_nsegs, 3u);
}

Test(vm_phys, too_small_range_is_dropped_and_counted)
{
	cr_assert_eq(vm_phys_add_range(&vp, 0x100000, 0x101000), KERN_NO_SPACE,
	    "one page cannot hold its bitmap and a page");
	cr_assert_eq(vp.vp_dropped_pages, 1u);
	cr_assert_eq(vp.vp_nsegs, 0u);
	cr_assert_eq(vm_phys_total_pages(&vp), 0u);
	/* Two pages: one for the bitmap, one to hand out. */
	add_backed(0x200000, 2);
	cr_assert_eq(vm_phys_total_pages(&vp), 1u);
	cr_assert_eq(alloc_ok(1, 1), 0x201000u);
}

Test(vm_phys, no_free_segment_slot)
{
	for (unsigned i = 0; i < VM_PHYS_MAX_SEGS; i++)
		add_backed(0x100000 + (uint64_t)i * 0x10000, 4);
	fake_ram_add(0x10000000, 4 * PAGE_SIZE);
	cr_assert_eq(vm_phys_add_range(&vp, 0x10000000, 0x10004000), KERN_NO_SPACE);
	cr_assert_eq(vp.vp_dropped_pages, 4u);
	cr_assert_eq(vp.vp_nsegs, VM_PHYS_MAX_SEGS);
	cr_assert_eq(vm_phys_total_pages(&vp), 3u * VM_PHYS_MAX_SEGS);
}

/*
 * A segment needs as many bitmap pages as its bits take: 32768 pages fit
 * one bitmap page, 32769 need two. Only the bitmap pages are backed, so a
 * bitmap that spills past them is an ASan report.
 */
Test(vm_phys, bitmap_size_at_a_page_boundary)
{
	uint64_t *b1 = fake_ram_add(1 * GB, PAGE_SIZE);
	uint64_t *b2 = fake_ram_add(2 * GB, 2 * PAGE_SIZE);

	cr_assert_eq(vm_phys_add_range(&vp, 1 * GB, 1 * GB + ptoa(32768ULL)),
	    KERN_SUCCESS);
	cr_assert_eq(vp.vp_meta_pages, 1u);
	cr_assert_eq(vm_phys_add_range(&vp, 2 * GB, 2 * GB + ptoa(32769ULL)),
	    KERN_SUCCESS);
	cr_assert_eq(vp.vp_meta_pages, 3u);
	cr_assert_eq(vm_phys_total_pages(&vp), 32767u + 32767u);
	/* 32767 pages: the last word has its top bit set, nothing more. */
	cr_assert_eq(b1[511], 0x8000000000000000u);
	cr_assert_eq(b2[511], 0x8000000000000000u);
	cr_assert_eq(vp.vp_segs[1].vps_start, 2 * GB + 2 * PAGE_SIZE);
	cr_assert_eq(alloc_ok(1, 1), 1 * GB + PAGE_SIZE);
}

/* Bits past the last page read as allocated, so they are never handed out. */
Test(vm_phys, bitmap_tail_bits_are_set)
{
	uint64_t *bitmap = fake_ram_add(0x100000, 71 * PAGE_SIZE);
	pmap_paddr_t pa;

	cr_assert_eq(vm_phys_add_range(&vp, 0x100000, 0x100000 + 71 * PAGE_SIZE),
	    KERN_SUCCESS);
	cr_assert_eq(vm_phys_total_pages(&vp), 70u);
	cr_assert_eq(bitmap[0], 0u);
	cr_assert_eq(bitmap[1], ~0ULL << 6, "bits 70..127 set");
	for (unsigned i = 0; i < 70; i++) {
		pa = alloc_ok(1, 1);
		cr_assert_lt(pa, 0x100000 + 71 * PAGE_SIZE, "a page past the end");
	}
	cr_assert_eq(vm_phys_alloc(&vp, 1, 1, &pa), KERN_RESOURCE_SHORTAGE);
	cr_assert_eq(vm_phys_alloc(&vp, 1, 2, &pa), KERN_RESOURCE_SHORTAGE);
}

/* --- allocating and freeing ------------------------------------------------ */

Test(vm_phys, single_pages_until_exhaustion)
{
	static bool seen[256];
	pmap_paddr_t pa;

	add_backed(0x100000, 256);
	for (unsigned i = 0; i < 255; i++) {
		pa = alloc_ok(1, 1);
		cr_assert(page_aligned(pa));
		cr_assert(pa >= 0x101000 && pa < 0x200000, "%#llx",
		    (unsigned long long)pa);
		cr_assert_not(seen[atop(pa - 0x100000)], "page %#llx handed out twice",
		    (unsigned long long)pa);
		seen[atop(pa - 0x100000)] = true;
		cr_assert(vm_phys_is_allocated(&vp, pa));
	}
	cr_assert_eq(vm_phys_free_pages(&vp), 0u);
	cr_assert_eq(vm_phys_alloc(&vp, 1, 1, &pa), KERN_RESOURCE_SHORTAGE);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);

	vm_phys_free(&vp, 0x150000, 1);
	cr_assert_not(vm_phys_is_allocated(&vp, 0x150000));
	cr_assert_eq(vm_phys_free_pages(&vp), 1u);
	cr_assert_eq(alloc_ok(1, 1), 0x150000u, "the only free page");
	for (pmap_paddr_t p = 0x101000; p < 0x200000; p += PAGE_SIZE)
		vm_phys_free(&vp, p, 1);
	cr_assert_eq(vm_phys_free_pages(&vp), 255u);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}

/* vm_phys.h: "Allocation is first fit from low addresses up". */
Test(vm_phys, single_pages_come_first_fit_from_low_addresses)
{
	pmap_paddr_t first, pa;

	add_backed(0x100000, 256);
	first = alloc_ok(1, 1);
	cr_assert_eq(first, 0x101000u);
	for (unsigned i = 1; i < 100; i++)
		cr_assert_eq(alloc_ok(1, 1), 0x101000 + (uint64_t)i * PAGE_SIZE);
	vm_phys_free(&vp, first, 1);
	pa = alloc_ok(1, 1);
	cr_assert_eq(pa, first, "got %#llx, but %#llx is the lowest free page",
	    (unsigned long long)pa, (unsigned long long)first);
}

Test(vm_phys, runs_are_contiguous_and_aligned)
{
	pmap_paddr_t a, b, c;

	add_backed(0x100000, 256);		/* pages 0x101..0x1ff */
	a = alloc_ok(3, 1);
	cr_assert_eq(a, 0x101000u, "first fit");
	b = alloc_ok(4, 16);
	cr_assert_eq(b, 0x110000u, "the first 16-page boundary");
	cr_assert_eq(b % (16 * PAGE_SIZE), 0u);
	c = alloc_ok(5, 4);
	cr_assert_eq(c, 0x104000u, "fills the gap below b");
	for (unsigned i = 0; i < 5; i++)
		cr_assert(vm_phys_is_allocated(&vp, c + i * PAGE_SIZE));
	cr_assert_eq(alloc_ok(16, 64), 0x140000u);
	cr_assert_eq(vm_phys_free_pages(&vp), 255u - 28u);
}

/* Page numbers 0x101..0x1ff hold no multiple of 256: no such run here. */
Test(vm_phys, alignment_no_page_of_the_segment_meets)
{
	pmap_paddr_t pa = 0x1234;

	add_backed(0x100000, 256);
	cr_assert_eq(vm_phys_alloc(&vp, 1, 256, &pa), KERN_RESOURCE_SHORTAGE);
	cr_assert_eq(pa, 0x1234u, "nothing stored on failure");
	cr_assert_eq(vm_phys_free_pages(&vp), 255u);
	cr_assert_eq(alloc_ok(1, 128), 0x180000u);
}

Test(vm_phys, invalid_requests)
{
	pmap_paddr_t pa;

	add_backed(0x100000, 64);
	cr_assert_eq(vm_phys_alloc(&vp, 0, 1, &pa), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_alloc(&vp, 1, 0, &pa), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_alloc(&vp, 1, 3, &pa), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_alloc(&vp, 2, 12, &pa), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_alloc(&vp, 1, 1ULL << 63 | 1, &pa), KERN_INVALID_ARGUMENT);
	cr_assert_eq(vm_phys_alloc(&vp, 64, 1, &pa), KERN_RESOURCE_SHORTAGE, "63 pages");
	cr_assert_eq(vm_phys_alloc(&vp, UINT64_MAX, 1, &pa), KERN_RESOURCE_SHORTAGE);
	cr_assert_eq(vm_phys_alloc(&vp, 1, 1ULL << 63, &pa), KERN_RESOURCE_SHORTAGE);
	cr_assert_eq(vm_phys_free_pages(&vp), 63u);
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}

Test(vm_phys, allocator_with_no_segments)
{
	pmap_paddr_t pa;

	cr_assert_eq(vm_phys_alloc(&vp, 1, 1, &pa), KERN_RESOURCE_SHORTAGE);
	cr_assert_not(vm_phys_is_allocated(&vp, 0x100000));
	cr_assert_eq(vm_phys_free_pages(&vp), 0u);
}

/* Half the pages free, but no two of them adjacent. */
Test(vm_phys, fragmentation_defeats_runs_not_pages)
{
	pmap_paddr_t pa;

	add_backed(0x100000, 65);		/* 64 pages, numbers 0x101..0x140 */
	for (unsigned i = 0; i < 64; i++)
		(void)alloc_ok(1, 1);
	for (pmap_paddr_t p = 0x102000; p <= 0x140000; p += 2 * PAGE_SIZE)
		vm_phys_free(&vp, p, 1);
	cr_assert_eq(vm_phys_free_pages(&vp), 32u);
	cr_assert_eq(vm_phys_alloc(&vp, 2, 1, &pa), KERN_RESOURCE_SHORTAGE);
	cr_assert_eq(alloc_ok(1, 2), 0x102000u, "even page numbers are free");
	vm_phys_free(&vp, 0x102000, 1);
	vm_phys_free(&vp, 0x103000, 1);
	cr_assert_eq(alloc_ok(3, 1), 0x102000u, "pages 0x102..0x104 are free now");
}

/* "Give back what vm_phys_alloc returned (or part of it)." */
Test(vm_phys, part_of_a_run_can_be_freed)
{
	pmap_paddr_t run;

	add_backed(0x100000, 65);
	run = alloc_ok(8, 8);
	vm_phys_free(&vp, run + 2 * PAGE_SIZE, 3);
	cr_assert(vm_phys_is_allocated(&vp, run + PAGE_SIZE));
	cr_assert_not(vm_phys_is_allocated(&vp, run + 2 * PAGE_SIZE));
	cr_assert_not(vm_phys_is_allocated(&vp, run + 4 * PAGE_SIZE));
	cr_assert(vm_phys_is_allocated(&vp, run + 5 * PAGE_SIZE));
	cr_assert_eq(vm_phys_free_pages(&vp), 64u - 5u);
	vm_phys_free(&vp, run, 2);
	vm_phys_free(&vp, run + 5 * PAGE_SIZE, 3);
	cr_assert_eq(vm_phys_free_pages(&vp), 64u);
	vm_phys_free(&vp, run, 0);		/* nothing */
	cr_assert_eq(vm_phys_free_pages(&vp), 64u);
}

Test(vm_phys, is_allocated_outside_every_segment)
{
	add_backed(0x100000, 16);
	cr_assert_not(vm_phys_is_allocated(&vp, 0));
	cr_assert_not(vm_phys_is_allocated(&vp, 0x100000), "the bitmap page");
	cr_assert_not(vm_phys_is_allocated(&vp, 0x110000), "the end");
	cr_assert_not(vm_phys_is_allocated(&vp, UINT64_MAX));
}

/* --- frees that are kernel bugs -------------------------------------------- */

Test(vm_phys, double_free_panics, .signal = SIGABRT)
{
	pmap_paddr_t pa;

	add_backed(0x100000, 16);
	pa = alloc_ok(1, 1);
	vm_phys_free(&vp, pa, 1);
	shim_expect_panic("double free");
	vm_phys_free(&vp, pa, 1);
}

Test(vm_phys, freeing_a_page_never_allocated_panics, .signal = SIGABRT)
{
	add_backed(0x100000, 16);
	(void)alloc_ok(1, 1);
	shim_expect_panic("already free");
	vm_phys_free(&vp, 0x105000, 1);
}

Test(vm_phys, run_with_a_free_page_inside_panics, .signal = SIGABRT)
{
	pmap_paddr_t pa;

	add_backed(0x100000, 16);
	pa = alloc_ok(4, 1);
	vm_phys_free(&vp, pa + PAGE_SIZE, 1);
	shim_expect_panic("double free");
	vm_phys_free(&vp, pa, 4);
}

Test(vm_phys, foreign_free_panics, .signal = SIGABRT)
{
	add_backed(0x100000, 16);
	shim_expect_panic("not managed memory");
	vm_phys_free(&vp, 0x800000, 1);
}

Test(vm_phys, freeing_the_bitmap_page_panics, .signal = SIGABRT)
{
	add_backed(0x100000, 16);
	shim_expect_panic("not managed memory");
	vm_phys_free(&vp, 0x100000, 1);
}

Test(vm_phys, misaligned_free_panics, .signal = SIGABRT)
{
	pmap_paddr_t pa;

	add_backed(0x100000, 16);
	pa = alloc_ok(1, 1);
	shim_expect_panic("not managed memory");
	vm_phys_free(&vp, pa + 8, 1);
}

Test(vm_phys, free_past_the_segment_end_panics, .signal = SIGABRT)
{
	add_backed(0x100000, 16);
	add_backed(0x110000, 16);		/* right after it */
	for (unsigned i = 0; i < 30; i++)
		(void)alloc_ok(1, 1);
	shim_expect_panic("not managed memory");
	vm_phys_free(&vp, 0x10f000, 2);
}

/* --- several segments ------------------------------------------------------ */

Test(vm_phys, segments_are_kept_sorted_and_used_low_first)
{
	pmap_paddr_t pa;

	add_backed(4 * GB, 32);			/* above 4 GiB, added first */
	add_backed(0x100000, 8);
	add_backed(0x40000000, 8);
	cr_assert_eq(vp.vp_nsegs, 3u);
	cr_assert_eq(vp.vp_segs[0].vps_base, 0x100000u);
	cr_assert_eq(vp.vp_segs[1].vps_base, 0x40000000u);
	cr_assert_eq(vp.vp_segs[2].vps_base, 4 * GB);
	cr_assert_eq(vm_phys_total_pages(&vp), 7u + 7u + 31u);

	for (unsigned i = 0; i < 7; i++)
		cr_assert_lt(alloc_ok(1, 1), 0x108000u);
	cr_assert_eq(alloc_ok(1, 1), 0x40001000u, "then the next segment");
	pa = alloc_ok(8, 1);
	cr_assert_eq(pa, 4 * GB + PAGE_SIZE, "a run no lower segment can hold");
	cr_assert(vm_phys_is_allocated(&vp, pa + 7 * PAGE_SIZE));
	vm_phys_free(&vp, pa, 8);
	vm_phys_free(&vp, 0x40001000, 1);
	cr_assert_eq(vm_phys_free_pages(&vp), 45u - 7u);
}

/* A run never spans two segments, even touching ones. */
Test(vm_phys, runs_do_not_span_segments)
{
	pmap_paddr_t pa;

	add_backed(0x100000, 5);		/* pages 0x101..0x104 */
	add_backed(0x105000, 5);		/* pages 0x106..0x109 */
	cr_assert_eq(vm_phys_alloc(&vp, 5, 1, &pa), KERN_RESOURCE_SHORTAGE);
	cr_assert_eq(alloc_ok(4, 1), 0x101000u);
	cr_assert_eq(alloc_ok(4, 1), 0x106000u);
}

/* A caller that runs with interrupts off keeps them off. */
Test(vm_phys, interrupt_state_is_restored)
{
	pmap_paddr_t pa;

	add_backed(0x100000, 16);
	(void)ml_set_interrupts_enabled(FALSE);
	cr_assert_eq(vm_phys_alloc(&vp, 1, 1, &pa), KERN_SUCCESS);
	cr_assert_eq(ml_get_interrupts_enabled(), FALSE);
	vm_phys_free(&vp, pa, 1);
	(void)vm_phys_is_allocated(&vp, pa);
	cr_assert_eq(ml_get_interrupts_enabled(), FALSE);
	cr_assert_not(hw_lock_held(&vp.vp_lock));
}

/* --- against a model ------------------------------------------------------- */

#define STRESS_SEGS	3
#define STRESS_BLOCKS	1000

static const struct { uint64_t pa, npages; } stress_segs[STRESS_SEGS] = {
	{ 0x100000, 200 }, { 0x1000000, 70 }, { 5 * GB, 300 },
};

/* Every allocatable page (the bitmap page excluded): in use or not. */
static struct {
	bool		m_used[STRESS_SEGS][300];
	uint64_t	m_free;
	struct {
		pmap_paddr_t	b_pa;
		uint64_t	b_npages;
	}		m_blocks[STRESS_BLOCKS];
	unsigned	m_nblocks;
} model;

static pmap_paddr_t
seg_first_page(unsigned s)
{
	return stress_segs[s].pa + PAGE_SIZE;
}

static uint64_t
seg_pages(unsigned s)
{
	return stress_segs[s].npages - 1;
}

/* The model's flag for page pa, which must be in a segment. */
static bool *
model_page(pmap_paddr_t pa)
{
	for (unsigned s = 0; s < STRESS_SEGS; s++) {
		pmap_paddr_t first = seg_first_page(s);

		if (pa >= first && atop(pa - first) < seg_pages(s))
			return &model.m_used[s][atop(pa - first)];
	}
	cr_assert_fail("%#llx is in no segment", (unsigned long long)pa);
	return NULL;
}

/* Where first fit puts a run of n pages aligned to align, or 0. */
static pmap_paddr_t
model_first_fit(uint64_t n, uint64_t align)
{
	for (unsigned s = 0; s < STRESS_SEGS; s++) {
		for (uint64_t i = 0; i + n <= seg_pages(s); i++) {
			uint64_t j;

			if ((atop(seg_first_page(s)) + i) % align != 0)
				continue;
			for (j = 0; j < n && !model.m_used[s][i + j]; j++)
				continue;
			if (j == n)
				return seg_first_page(s) + ptoa(i);
		}
	}
	return 0;
}

/*
 * One allocation, checked: it succeeds exactly when the model has room;
 * runs land where first fit puts them, single pages anywhere free.
 */
static void
stress_alloc(struct test_rand *r, int step)
{
	uint64_t n = test_rand_below(r, 4) ? 1 : 1 + test_rand_below(r, 12);
	uint64_t align = 1ULL << test_rand_below(r, n == 1 ? 2 : 5);
	pmap_paddr_t want = model_first_fit(n, align), pa = 0;
	kern_return_t kr = vm_phys_alloc(&vp, n, align, &pa);

	if (want == 0) {
		cr_assert_eq(kr, KERN_RESOURCE_SHORTAGE, "step %d", step);
		return;
	}
	cr_assert_eq(kr, KERN_SUCCESS,
	    "step %d: alloc(%llu, %llu) failed, but %#llx fits", step,
	    (unsigned long long)n, (unsigned long long)align,
	    (unsigned long long)want);
	if (n > 1 || align > 1) {
		cr_assert_eq(pa, want, "step %d: run at %#llx, first fit is %#llx", step,
		    (unsigned long long)pa, (unsigned long long)want);
	}
	cr_assert_eq(atop(pa) % align, 0u, "step %d: misaligned", step);
	for (uint64_t i = 0; i < n; i++) {
		bool *used = model_page(pa + ptoa(i));

		cr_assert_not(*used, "step %d: %#llx handed out twice", step,
		    (unsigned long long)(pa + ptoa(i)));
		*used = true;
	}
	model.m_free -= n;
	model.m_blocks[model.m_nblocks].b_pa = pa;
	model.m_blocks[model.m_nblocks].b_npages = n;
	model.m_nblocks++;
}

/* Free the tail of a random block; its head stays allocated. */
static void
stress_free(struct test_rand *r)
{
	unsigned k = (unsigned)test_rand_below(r, model.m_nblocks);
	uint64_t first = test_rand_below(r, model.m_blocks[k].b_npages);
	uint64_t count = model.m_blocks[k].b_npages - first;
	pmap_paddr_t pa = model.m_blocks[k].b_pa;

	vm_phys_free(&vp, pa + ptoa(first), count);
	for (uint64_t i = first; i < first + count; i++)
		*model_page(pa + ptoa(i)) = false;
	model.m_free += count;
	model.m_blocks[k].b_npages = first;
	if (first == 0)
		model.m_blocks[k] = model.m_blocks[--model.m_nblocks];
}

static void
stress_check_every_page(int step)
{
	for (unsigned s = 0; s < STRESS_SEGS; s++) {
		for (uint64_t i = 0; i < seg_pages(s); i++) {
			pmap_paddr_t pa = seg_first_page(s) + ptoa(i);

			cr_assert_eq(vm_phys_is_allocated(&vp, pa) != 0,
			    model.m_used[s][i], "step %d: page %#llx", step,
			    (unsigned long long)pa);
		}
	}
}

Test(vm_phys, random_allocations_against_a_model)
{
	struct test_rand r;

	for (unsigned s = 0; s < STRESS_SEGS; s++) {
		add_backed(stress_segs[s].pa, stress_segs[s].npages);
		model.m_free += seg_pages(s);
	}
	test_rand_seed(&r, 0x9a9e);
	for (int step = 0; step < 30000; step++) {
		if (test_rand_below(&r, 100) < 55 && model.m_nblocks < STRESS_BLOCKS)
			stress_alloc(&r, step);
		else if (model.m_nblocks > 0)
			stress_free(&r);
		cr_assert_eq(vm_phys_free_pages(&vp), model.m_free, "step %d: free count",
		    step);
		if (step % 1000 == 0)
			stress_check_every_page(step);
	}
	cr_assert_eq(ml_get_interrupts_enabled(), TRUE);
}
