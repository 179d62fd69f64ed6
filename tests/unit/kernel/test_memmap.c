/*
 * test_memmap.c - kernel/memmap.c: normalizing the loader's memory map and
 * carving the kernel's own ranges out of it.
 *
 * Hand-written cases cover each rule in memmap.h; randomized ones check
 * every result twice: against the invariants of a normalized map (sorted,
 * no overlaps, nothing empty, neighbours of one type merged, only known
 * types) and against a brute-force model that decides the type of every
 * single address of a small address space, at the bottom of the 64-bit
 * space and at its very top, where ranges wrap.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"

#include "kernel/memmap.h"

#define HOLE	0u	/* the model's type for an address in no range */

static struct boot_mem_range
R(uint64_t base, uint64_t length, uint32_t type)
{
	return (struct boot_mem_range){ .bmr_base = base, .bmr_length = length,
		.bmr_type = type };
}

/* --- checking a map -------------------------------------------------------- */

static bool
known_type(uint32_t t)
{
	switch (t) {
	case BOOT_MEM_USABLE: case BOOT_MEM_RESERVED: case BOOT_MEM_ACPI_RECLAIM:
	case BOOT_MEM_ACPI_NVS: case BOOT_MEM_BAD: case BOOT_MEM_PERSISTENT:
	case BOOT_MEM_KERNEL: case BOOT_MEM_MODULE: case BOOT_MEM_LOW:
		return true;
	default:
		return false;
	}
}

/* Sorted, non-overlapping, non-empty, not wrapping, merged, known types. */
static void
check_invariants(const struct memmap *m)
{
	const struct boot_mem_range *r, *p;

	cr_assert_leq(m->mm_count, MEMMAP_MAX);
	for (unsigned i = 0; i < m->mm_count; i++) {
		r = &m->mm_ranges[i];
		cr_assert_gt(r->bmr_length, 0u, "range %u is empty", i);
		cr_assert_geq(r->bmr_base + r->bmr_length, r->bmr_base, "range %u wraps",
		    i);
		cr_assert(known_type(r->bmr_type), "range %u has type %#x", i,
		    r->bmr_type);
		if (i == 0)
			continue;
		p = &m->mm_ranges[i - 1];
		cr_assert_leq(p->bmr_base + p->bmr_length, r->bmr_base,
		    "ranges %u and %u overlap or are unsorted", i - 1, i);
		cr_assert(!(p->bmr_base + p->bmr_length == r->bmr_base &&
		    p->bmr_type == r->bmr_type), "ranges %u and %u should have merged",
		    i - 1, i);
	}
}

/* The type the map gives address a, or HOLE. */
static uint32_t
map_type_at(const struct memmap *m, uint64_t a)
{
	for (unsigned i = 0; i < m->mm_count; i++) {
		const struct boot_mem_range *r = &m->mm_ranges[i];

		if (a >= r->bmr_base && a - r->bmr_base < r->bmr_length)
			return r->bmr_type;
	}
	return HOLE;
}

/* --- the model ------------------------------------------------------------- */

static int
model_rank(uint32_t t)
{
	switch (t) {
	case BOOT_MEM_USABLE: return 0;
	case BOOT_MEM_ACPI_RECLAIM: return 1;
	case BOOT_MEM_ACPI_NVS: return 2;
	case BOOT_MEM_PERSISTENT: return 3;
	case BOOT_MEM_BAD: return 5;
	case BOOT_MEM_LOW: return 6;
	case BOOT_MEM_MODULE: return 7;
	case BOOT_MEM_KERNEL: return 8;
	default: return 4;		/* reserved, and every unknown type */
	}
}

/* Does input range r cover a? A wrapping range covers [base, 2^64 - 1). */
static bool
model_covers(const struct boot_mem_range *r, uint64_t a)
{
	if (r->bmr_length == 0 || a < r->bmr_base)
		return false;
	if (r->bmr_base + r->bmr_length < r->bmr_base ||
	    r->bmr_base + r->bmr_length == 0)
		return a < UINT64_MAX;
	return a < r->bmr_base + r->bmr_length;
}

static uint32_t
model_type_at(const struct boot_mem_range *in, unsigned n, uint64_t a)
{
	int best = -1;
	uint32_t type = HOLE;

	if (n > BOOT_MEMMAP_MAX)
		n = BOOT_MEMMAP_MAX;
	for (unsigned i = 0; i < n; i++) {
		if (model_covers(&in[i], a) && model_rank(in[i].bmr_type) > best) {
			best = model_rank(in[i].bmr_type);
			type = known_type(in[i].bmr_type) ? in[i].bmr_type
							  : BOOT_MEM_RESERVED;
		}
	}
	return type;
}

static unsigned
model_dropped(const struct boot_mem_range *in, unsigned n)
{
	unsigned dropped = n > BOOT_MEMMAP_MAX ? n - BOOT_MEMMAP_MAX : 0;

	for (unsigned i = 0; i < n && i < BOOT_MEMMAP_MAX; i++) {
		uint64_t end = in[i].bmr_base + in[i].bmr_length;

		if (in[i].bmr_length == 0 || end < in[i].bmr_base)
			dropped++;
	}
	return dropped;
}

/* Normalize and compare every address of [lo, lo + span) with the model. */
static void
normalize_and_compare(struct memmap *out, const struct boot_mem_range *in, unsigned n,
    uint64_t lo, uint64_t span, const char *what)
{
	unsigned dropped = memmap_normalize(out, in, n);

	check_invariants(out);
	cr_assert_eq(dropped, model_dropped(in, n), "%s: dropped %u", what, dropped);
	for (uint64_t k = 0; k < span; k++) {
		uint64_t a = lo + k;

		cr_assert_eq(map_type_at(out, a), model_type_at(in, n, a),
		    "%s: address %#llx is %#x, the model says %#x", what,
		    (unsigned long long)a, map_type_at(out, a), model_type_at(in, n, a));
	}
}

static void
expect_map(const struct memmap *m, const struct boot_mem_range *want, unsigned n)
{
	cr_assert_eq(m->mm_count, n, "%u ranges, want %u", m->mm_count, n);
	for (unsigned i = 0; i < n; i++) {
		const struct boot_mem_range *r = &m->mm_ranges[i];

		cr_assert(r->bmr_base == want[i].bmr_base &&
		    r->bmr_length == want[i].bmr_length &&
		    r->bmr_type == want[i].bmr_type,
		    "range %u is [%#llx +%#llx type %#x], want [%#llx +%#llx type %#x]",
		    i, (unsigned long long)r->bmr_base, (unsigned long long)r->bmr_length,
		    r->bmr_type, (unsigned long long)want[i].bmr_base,
		    (unsigned long long)want[i].bmr_length, want[i].bmr_type);
	}
}

#define EXPECT_MAP(m, ...)						\
	do {								\
		const struct boot_mem_range __w[] = { __VA_ARGS__ };	\
		expect_map((m), __w, sizeof(__w) / sizeof(__w[0]));	\
	} while (0)

/* --- memmap_normalize ------------------------------------------------------ */

Test(memmap, empty_input_gives_an_empty_map)
{
	struct memmap m;

	memset(&m, 0xee, sizeof(m));
	cr_assert_eq(memmap_normalize(&m, NULL, 0), 0u);
	cr_assert_eq(m.mm_count, 0u);
	cr_assert_eq(memmap_usable_bytes(&m), 0u);
}

Test(memmap, unsorted_input_comes_out_sorted)
{
	const struct boot_mem_range in[] = {
		R(0x100000, 0x7ee0000, BOOT_MEM_USABLE),
		R(0xf0000, 0x10000, BOOT_MEM_RESERVED),
		R(0, 0x9fc00, BOOT_MEM_USABLE),
		R(0xfffc0000, 0x40000, BOOT_MEM_RESERVED),
	};
	struct memmap m;

	cr_assert_eq(memmap_normalize(&m, in, 4), 0u);
	EXPECT_MAP(&m, R(0, 0x9fc00, BOOT_MEM_USABLE),
	    R(0xf0000, 0x10000, BOOT_MEM_RESERVED),
	    R(0x100000, 0x7ee0000, BOOT_MEM_USABLE),
	    R(0xfffc0000, 0x40000, BOOT_MEM_RESERVED));
	cr_assert_eq(memmap_usable_bytes(&m), 0x9fc00u + 0x7ee0000u);
}

Test(memmap, the_stronger_type_wins_an_overlap)
{
	const struct boot_mem_range in[] = {
		R(0x0, 0x10000, BOOT_MEM_USABLE),
		R(0x4000, 0x2000, BOOT_MEM_RESERVED),		/* inside */
		R(0xe000, 0x4000, BOOT_MEM_ACPI_RECLAIM),	/* across the end */
		R(0xf000, 0x1000, BOOT_MEM_ACPI_NVS),		/* beats reclaimable */
	};
	struct memmap m;

	memmap_normalize(&m, in, 4);
	EXPECT_MAP(&m, R(0x0, 0x4000, BOOT_MEM_USABLE),
	    R(0x4000, 0x2000, BOOT_MEM_RESERVED), R(0x6000, 0x8000, BOOT_MEM_USABLE),
	    R(0xe000, 0x1000, BOOT_MEM_ACPI_RECLAIM),
	    R(0xf000, 0x1000, BOOT_MEM_ACPI_NVS),
	    R(0x10000, 0x2000, BOOT_MEM_ACPI_RECLAIM));
}

Test(memmap, usable_loses_whichever_comes_first)
{
	const struct boot_mem_range a[] = {
		R(0x1000, 0x3000, BOOT_MEM_BAD), R(0x0, 0x8000, BOOT_MEM_USABLE),
	};
	const struct boot_mem_range b[] = {
		R(0x0, 0x8000, BOOT_MEM_USABLE), R(0x1000, 0x3000, BOOT_MEM_BAD),
	};
	struct memmap ma, mb;

	memmap_normalize(&ma, a, 2);
	memmap_normalize(&mb, b, 2);
	cr_assert_eq(ma.mm_count, 3u);
	cr_assert(memcmp(ma.mm_ranges, mb.mm_ranges, 3 * sizeof(ma.mm_ranges[0])) == 0,
	    "the order of the input does not matter");
	cr_assert_eq(memmap_usable_bytes(&ma), 0x5000u);
}

Test(memmap, zero_length_entries_are_dropped_and_counted)
{
	const struct boot_mem_range in[] = {
		R(0x1000, 0, BOOT_MEM_RESERVED), R(0x0, 0x4000, BOOT_MEM_USABLE),
		R(0x2000, 0, BOOT_MEM_KERNEL), R(UINT64_MAX, 0, BOOT_MEM_USABLE),
	};
	struct memmap m;

	cr_assert_eq(memmap_normalize(&m, in, 4), 3u);
	EXPECT_MAP(&m, R(0x0, 0x4000, BOOT_MEM_USABLE));
}

Test(memmap, entries_wrapping_past_2_to_the_64_are_clipped)
{
	const struct boot_mem_range in[] = {
		R(0xfffffffffffff000, 0x2000, BOOT_MEM_RESERVED),
		R(0x1000, 0x1000, BOOT_MEM_USABLE),
		R(UINT64_MAX, 5, BOOT_MEM_USABLE),			/* nothing left */
		R(0xffffffff00000000, UINT64_MAX, BOOT_MEM_USABLE),
	};
	struct memmap m;

	cr_assert_eq(memmap_normalize(&m, in, 4), 3u, "three wrapped");
	check_invariants(&m);
	EXPECT_MAP(&m, R(0x1000, 0x1000, BOOT_MEM_USABLE),
	    R(0xffffffff00000000, 0xfffff000, BOOT_MEM_USABLE),
	    R(0xfffffffffffff000, 0xfff, BOOT_MEM_RESERVED));
}

/* A range that ends exactly at 2^64 cannot say so; it loses its last byte. */
Test(memmap, entry_ending_exactly_at_2_to_the_64)
{
	const struct boot_mem_range in[] = {
		R(0xfffffffffffff000, 0x1000, BOOT_MEM_USABLE),
	};
	struct memmap m;

	cr_assert_eq(memmap_normalize(&m, in, 1), 1u);
	EXPECT_MAP(&m, R(0xfffffffffffff000, 0xfff, BOOT_MEM_USABLE));
}

Test(memmap, unknown_types_count_as_reserved)
{
	const struct boot_mem_range in[] = {
		R(0x0, 0x1000, 0), R(0x1000, 0x1000, 6),
		R(0x2000, 0x1000, BOOT_MEM_RESERVED),
		R(0x3000, 0x1000, 0xdeadbeef), R(0x3800, 0x1000, BOOT_MEM_USABLE),
		R(0x8000, 0x1000, 0x103),
	};
	struct memmap m;

	memmap_normalize(&m, in, 6);
	EXPECT_MAP(&m, R(0x0, 0x4000, BOOT_MEM_RESERVED),
	    R(0x4000, 0x800, BOOT_MEM_USABLE), R(0x8000, 0x1000, BOOT_MEM_RESERVED));
}

Test(memmap, adjacent_ranges_of_one_type_merge)
{
	const struct boot_mem_range in[] = {
		R(0x3000, 0x1000, BOOT_MEM_USABLE), R(0x0, 0x1000, BOOT_MEM_USABLE),
		R(0x1000, 0x2000, BOOT_MEM_USABLE), R(0x4000, 0x1000, BOOT_MEM_ACPI_NVS),
		R(0x5000, 0x1000, BOOT_MEM_USABLE), R(0x7000, 0x1000, BOOT_MEM_USABLE),
	};
	struct memmap m;

	memmap_normalize(&m, in, 6);
	EXPECT_MAP(&m, R(0x0, 0x4000, BOOT_MEM_USABLE),
	    R(0x4000, 0x1000, BOOT_MEM_ACPI_NVS), R(0x5000, 0x1000, BOOT_MEM_USABLE),
	    R(0x7000, 0x1000, BOOT_MEM_USABLE));
}

Test(memmap, memory_above_4_gib_is_kept_exactly)
{
	const struct boot_mem_range in[] = {
		R(0x0, 0x9fc00, BOOT_MEM_USABLE),
		R(0x100000000, 0x340000000, BOOT_MEM_USABLE),
		R(0xfd00000000, 0x300000000, BOOT_MEM_RESERVED),
		R(0x80000000000, 0x1000, BOOT_MEM_PERSISTENT),
	};
	struct memmap m;

	cr_assert_eq(memmap_normalize(&m, in, 4), 0u);
	EXPECT_MAP(&m, R(0x0, 0x9fc00, BOOT_MEM_USABLE),
	    R(0x100000000, 0x340000000, BOOT_MEM_USABLE),
	    R(0xfd00000000, 0x300000000, BOOT_MEM_RESERVED),
	    R(0x80000000000, 0x1000, BOOT_MEM_PERSISTENT));
	cr_assert_eq(memmap_usable_bytes(&m), 0x9fc00u + 0x340000000u);
}

/* Only BOOT_MEMMAP_MAX entries are read; the rest are counted as dropped. */
Test(memmap, more_entries_than_boot_memmap_max)
{
	struct boot_mem_range in[BOOT_MEMMAP_MAX + 72];
	struct memmap m;

	for (unsigned i = 0; i < BOOT_MEMMAP_MAX + 72; i++)
		in[i] = R((uint64_t)i * 0x2000, 0x1000, BOOT_MEM_USABLE);
	cr_assert_eq(memmap_normalize(&m, in, BOOT_MEMMAP_MAX + 72), 72u);
	check_invariants(&m);
	cr_assert_eq(m.mm_count, BOOT_MEMMAP_MAX);
	cr_assert_eq(map_type_at(&m, (uint64_t)(BOOT_MEMMAP_MAX - 1) * 0x2000),
	    BOOT_MEM_USABLE);
	cr_assert_eq(map_type_at(&m, (uint64_t)BOOT_MEMMAP_MAX * 0x2000), HOLE);
}

/* Nested ranges make the most cut points: 2n of them, all within bounds. */
Test(memmap, nested_ranges_up_to_the_limit)
{
	static const uint32_t types[] = { BOOT_MEM_USABLE, BOOT_MEM_ACPI_RECLAIM,
		BOOT_MEM_ACPI_NVS, BOOT_MEM_PERSISTENT, BOOT_MEM_RESERVED, BOOT_MEM_BAD,
		BOOT_MEM_LOW, BOOT_MEM_MODULE, BOOT_MEM_KERNEL };
	struct boot_mem_range in[BOOT_MEMMAP_MAX];
	struct memmap m;

	/* Range i is [i, 2N - i) pages; inner ranges are mostly stronger. */
	for (unsigned i = 0; i < BOOT_MEMMAP_MAX; i++) {
		in[i] = R(0x1000 * (uint64_t)i,
		    0x1000 * (uint64_t)(2 * BOOT_MEMMAP_MAX - 2 * i),
		    types[(i * 9 / BOOT_MEMMAP_MAX + i % 2) % 9]);
	}
	normalize_and_compare(&m, in, BOOT_MEMMAP_MAX, 0,
	    0x1000 * 2 * BOOT_MEMMAP_MAX + 2, "nested");
	cr_assert_gt(m.mm_count, 1u);
}

Test(memmap, type_names)
{
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_USABLE), "usable");
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_RESERVED), "reserved");
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_ACPI_RECLAIM), "ACPI reclaimable");
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_ACPI_NVS), "ACPI NVS");
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_BAD), "bad");
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_PERSISTENT), "persistent");
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_KERNEL), "kernel");
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_MODULE), "boot module");
	cr_assert_str_eq(memmap_type_name(BOOT_MEM_LOW), "low memory");
	cr_assert_str_eq(memmap_type_name(0), "reserved");
	cr_assert_str_eq(memmap_type_name(6), "reserved");
	cr_assert_str_eq(memmap_type_name(0xffffffff), "reserved");
}

static const uint32_t random_types[] = {
	BOOT_MEM_USABLE, BOOT_MEM_USABLE, BOOT_MEM_USABLE, BOOT_MEM_RESERVED,
	BOOT_MEM_ACPI_RECLAIM, BOOT_MEM_ACPI_NVS, BOOT_MEM_BAD, BOOT_MEM_PERSISTENT,
	BOOT_MEM_KERNEL, BOOT_MEM_MODULE, BOOT_MEM_LOW, 0, 6, 0x99,
};

static void
random_ranges(struct test_rand *r, struct boot_mem_range *in, unsigned n, uint64_t lo,
    uint64_t span, uint64_t maxlen)
{
	size_t ntypes = sizeof(random_types) / sizeof(random_types[0]);

	for (unsigned i = 0; i < n; i++) {
		in[i] = R(lo + test_rand_below(r, span), test_rand_below(r, maxlen + 1),
		    random_types[test_rand_below(r, ntypes)]);
	}
}

Test(memmap, random_maps_match_the_model)
{
	struct boot_mem_range in[24];
	struct test_rand r;
	struct memmap m;
	char what[64];

	test_rand_seed(&r, 0x3e3a);
	for (int step = 0; step < 4000; step++) {
		unsigned n = (unsigned)test_rand_below(&r, 25);

		random_ranges(&r, in, n, 0, 64, 24);
		snprintf(what, sizeof(what), "step %d (seed 0x3e3a)", step);
		normalize_and_compare(&m, in, n, 0, 96, what);
	}
}

/* At the top of the address space, where base + length wraps. */
Test(memmap, random_maps_at_the_top_match_the_model)
{
	const uint64_t lo = UINT64_MAX - 63;
	struct boot_mem_range in[24];
	struct test_rand r;
	struct memmap m;
	char what[64];

	test_rand_seed(&r, 0x70b);
	for (int step = 0; step < 4000; step++) {
		unsigned n = (unsigned)test_rand_below(&r, 25);

		random_ranges(&r, in, n, lo - 16, 80, 40);
		if (n > 0 && step % 5 == 0)
			in[0].bmr_length = UINT64_MAX - test_rand_below(&r, 4);
		snprintf(what, sizeof(what), "step %d (seed 0x70b)", step);
		normalize_and_compare(&m, in, n, lo - 16, 80, what);
	}
}

/* --- memmap_carve ---------------------------------------------------------- */

static void
build(struct memmap *m, const struct boot_mem_range *in, unsigned n)
{
	cr_assert_eq(memmap_normalize(m, in, n), 0u);
}

Test(memmap, carve_inside_one_usable_range_splits_it)
{
	const struct boot_mem_range in[] = { R(0x0, 0x100000, BOOT_MEM_USABLE) };
	struct memmap m;

	build(&m, in, 1);
	cr_assert_eq(memmap_carve(&m, 0x10000, 0x8000, BOOT_MEM_KERNEL), 0);
	check_invariants(&m);
	EXPECT_MAP(&m, R(0x0, 0x10000, BOOT_MEM_USABLE),
	    R(0x10000, 0x8000, BOOT_MEM_KERNEL), R(0x18000, 0xe8000, BOOT_MEM_USABLE));
	cr_assert_eq(memmap_usable_bytes(&m), 0x100000u - 0x8000u);
}

Test(memmap, carve_across_range_boundaries_claims_only_usable_memory)
{
	const struct boot_mem_range in[] = {
		R(0x0, 0x1000, BOOT_MEM_USABLE), R(0x1000, 0x1000, BOOT_MEM_RESERVED),
		R(0x2000, 0x1000, BOOT_MEM_USABLE), R(0x4000, 0x1000, BOOT_MEM_USABLE),
	};
	struct memmap m;

	build(&m, in, 4);
	cr_assert_eq(memmap_carve(&m, 0x800, 0x4000, BOOT_MEM_MODULE), 0);
	check_invariants(&m);
	EXPECT_MAP(&m, R(0x0, 0x800, BOOT_MEM_USABLE), R(0x800, 0x800, BOOT_MEM_MODULE),
	    R(0x1000, 0x1000, BOOT_MEM_RESERVED), R(0x2000, 0x1000, BOOT_MEM_MODULE),
	    R(0x4000, 0x800, BOOT_MEM_MODULE), R(0x4800, 0x800, BOOT_MEM_USABLE));
}

Test(memmap, carve_touching_only_firmware_ranges_changes_nothing)
{
	const struct boot_mem_range in[] = {
		R(0x0, 0x1000, BOOT_MEM_USABLE), R(0x1000, 0x3000, BOOT_MEM_ACPI_NVS),
		R(0x4000, 0x1000, BOOT_MEM_RESERVED), R(0x8000, 0x1000, BOOT_MEM_USABLE),
	};
	struct memmap m, before;

	build(&m, in, 4);
	before = m;
	cr_assert_eq(memmap_carve(&m, 0x1000, 0x4000, BOOT_MEM_KERNEL), 0);
	cr_assert(memcmp(&m, &before, sizeof(m)) == 0, "firmware ranges keep their type");
	cr_assert_eq(memmap_carve(&m, 0x5000, 0x3000, BOOT_MEM_KERNEL), 0, "a hole");
	cr_assert(memcmp(&m, &before, sizeof(m)) == 0, "holes stay holes");
	cr_assert_eq(memmap_carve(&m, 0x0, 0, BOOT_MEM_KERNEL), 0, "length 0");
	cr_assert(memcmp(&m, &before, sizeof(m)) == 0);
}

Test(memmap, carve_merges_with_a_neighbour_of_its_type)
{
	const struct boot_mem_range in[] = { R(0x0, 0x10000, BOOT_MEM_USABLE) };
	struct memmap m;

	build(&m, in, 1);
	cr_assert_eq(memmap_carve(&m, 0x2000, 0x1000, BOOT_MEM_KERNEL), 0);
	cr_assert_eq(memmap_carve(&m, 0x3000, 0x1000, BOOT_MEM_KERNEL), 0);
	cr_assert_eq(memmap_carve(&m, 0x1000, 0x1000, BOOT_MEM_KERNEL), 0);
	check_invariants(&m);
	EXPECT_MAP(&m, R(0x0, 0x1000, BOOT_MEM_USABLE),
	    R(0x1000, 0x3000, BOOT_MEM_KERNEL), R(0x4000, 0xc000, BOOT_MEM_USABLE));
}

Test(memmap, carve_whole_range_and_past_the_top)
{
	const struct boot_mem_range in[] = {
		R(0x1000, 0x1000, BOOT_MEM_USABLE),
		R(0xfffffffffff00000, 0xff000, BOOT_MEM_USABLE),
	};
	struct memmap m;

	build(&m, in, 2);
	cr_assert_eq(memmap_carve(&m, 0x1000, 0x1000, BOOT_MEM_LOW), 0);
	/* base + length wraps: everything from base up. */
	cr_assert_eq(memmap_carve(&m, 0xfffffffffff80000, UINT64_MAX, BOOT_MEM_MODULE),
	    0);
	check_invariants(&m);
	EXPECT_MAP(&m, R(0x1000, 0x1000, BOOT_MEM_LOW),
	    R(0xfffffffffff00000, 0x80000, BOOT_MEM_USABLE),
	    R(0xfffffffffff80000, 0x7f000, BOOT_MEM_MODULE));
}

/* A full map has no room for the split: -1, and the map is unchanged. */
Test(memmap, carve_without_room_fails_and_changes_nothing)
{
	struct memmap m, before;

	m.mm_count = MEMMAP_MAX;
	for (unsigned i = 0; i < MEMMAP_MAX; i++) {
		m.mm_ranges[i] = R(0x10000 * (uint64_t)i, 0x10000,
		    i % 2 ? BOOT_MEM_RESERVED : BOOT_MEM_USABLE);
	}
	check_invariants(&m);
	before = m;
	cr_assert_eq(memmap_carve(&m, 0x21000, 0x1000, BOOT_MEM_KERNEL), -1);
	cr_assert(memcmp(&m, &before, sizeof(m)) == 0, "a failed carve changed the map");
	/* Replacing a whole usable range needs no room, so it works. */
	cr_assert_eq(memmap_carve(&m, 0x20000, 0x10000, BOOT_MEM_KERNEL), 0);
	check_invariants(&m);
	cr_assert_eq(m.mm_count, MEMMAP_MAX);
	cr_assert_eq(map_type_at(&m, 0x28000), BOOT_MEM_KERNEL);
}

Test(memmap, random_carves_match_the_model)
{
	struct boot_mem_range in[16];
	uint32_t model[96];
	struct test_rand r;
	struct memmap m;

	test_rand_seed(&r, 0xca7e);
	for (int step = 0; step < 2000; step++) {
		unsigned n = (unsigned)test_rand_below(&r, 17);

		random_ranges(&r, in, n, 0, 64, 24);
		memmap_normalize(&m, in, n);
		for (uint64_t a = 0; a < 96; a++)
			model[a] = map_type_at(&m, a);
		for (int c = 0; c < 6; c++) {
			uint64_t base = test_rand_below(&r, 90);
			uint64_t len = test_rand_below(&r, 30);
			uint32_t type = (uint32_t[]){ BOOT_MEM_KERNEL, BOOT_MEM_MODULE,
			    BOOT_MEM_LOW }[test_rand_below(&r, 3)];

			cr_assert_eq(memmap_carve(&m, base, len, type), 0);
			check_invariants(&m);
			for (uint64_t a = base; a < base + len && a < 96; a++) {
				if (model[a] == BOOT_MEM_USABLE)
					model[a] = type;
			}
			for (uint64_t a = 0; a < 96; a++) {
				cr_assert_eq(map_type_at(&m, a), model[a],
				    "step %d carve %d [%llu +%llu] address %llu: %#x, "
				    "want %#x", step, c, (unsigned long long)base,
				    (unsigned long long)len, (unsigned long long)a,
				    map_type_at(&m, a), model[a]);
			}
		}
	}
}
