/*
 * memmap.c - normalizing the loader's memory map.
 *
 * The method is a sweep over boundaries: every range start and end is a cut
 * point; between two neighbouring cut points each input range either covers
 * the whole piece or none of it, so the piece gets the strongest type among
 * the ranges that cover it. Neighbouring pieces of one type merge. With at
 * most a few hundred ranges the quadratic sweep is instant and obviously
 * right, which matters more here than speed.
 */

#include "kernel/memmap.h"

#include <stdbool.h>

#include "libkern/cdefs.h"
#include "libkern/string.h"

/* Higher rank wins an overlap. Unknown types count as reserved. */
static int
type_rank(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE:		return 0;
	case BOOT_MEM_ACPI_RECLAIM:	return 1;
	case BOOT_MEM_ACPI_NVS:		return 2;
	case BOOT_MEM_PERSISTENT:	return 3;
	case BOOT_MEM_RESERVED:		return 4;
	case BOOT_MEM_BAD:		return 5;
	case BOOT_MEM_LOW:		return 6;
	case BOOT_MEM_MODULE:		return 7;
	case BOOT_MEM_KERNEL:		return 8;
	default:			return 4;
	}
}

static uint32_t
canonical_type(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE:
	case BOOT_MEM_ACPI_RECLAIM:
	case BOOT_MEM_ACPI_NVS:
	case BOOT_MEM_PERSISTENT:
	case BOOT_MEM_BAD:
	case BOOT_MEM_LOW:
	case BOOT_MEM_MODULE:
	case BOOT_MEM_KERNEL:
		return type;
	default:
		return BOOT_MEM_RESERVED;
	}
}

const char *
memmap_type_name(uint32_t type)
{
	switch (canonical_type(type)) {
	case BOOT_MEM_USABLE:		return "usable";
	case BOOT_MEM_ACPI_RECLAIM:	return "ACPI reclaimable";
	case BOOT_MEM_ACPI_NVS:		return "ACPI NVS";
	case BOOT_MEM_PERSISTENT:	return "persistent";
	case BOOT_MEM_BAD:		return "bad";
	case BOOT_MEM_LOW:		return "low memory";
	case BOOT_MEM_MODULE:		return "boot module";
	case BOOT_MEM_KERNEL:		return "kernel";
	default:			return "reserved";
	}
}

/* Insertion sort of cut points, dropping duplicates; returns the count. */
static unsigned
sort_unique(uint64_t *v, unsigned n)
{
	unsigned i, j, out;

	for (i = 1; i < n; i++) {
		uint64_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	for (i = 0, out = 0; i < n; i++) {
		if (out == 0 || v[out - 1] != v[i])
			v[out++] = v[i];
	}
	return out;
}

/* Append r to out, merging with the last range when type and edge agree. */
static int
append(struct boot_mem_range *out, unsigned *n, unsigned cap, uint64_t lo,
    uint64_t hi, uint32_t type)
{
	if (lo >= hi)
		return 0;
	if (*n > 0) {
		struct boot_mem_range *last = &out[*n - 1];

		if (last->bmr_type == type && last->bmr_base + last->bmr_length == lo) {
			last->bmr_length += hi - lo;
			return 0;
		}
	}
	if (*n == cap)
		return -1;
	out[(*n)++] = (struct boot_mem_range){ .bmr_base = lo, .bmr_length = hi - lo,
		.bmr_type = type };
	return 0;
}

/* Sweep the ranges into out; ranges must be non-empty and not wrap. */
static void
sweep(struct memmap *out, const struct boot_mem_range *r, unsigned n)
{
	uint64_t cuts[2 * BOOT_MEMMAP_MAX];
	unsigned ncuts = 0, i, k;

	for (i = 0; i < n; i++) {
		cuts[ncuts++] = r[i].bmr_base;
		cuts[ncuts++] = r[i].bmr_base + r[i].bmr_length;
	}
	ncuts = sort_unique(cuts, ncuts);

	out->mm_count = 0;
	for (k = 0; k + 1 < ncuts; k++) {
		uint64_t lo = cuts[k], hi = cuts[k + 1];
		int best = -1;
		uint32_t type = 0;

		for (i = 0; i < n; i++) {
			if (r[i].bmr_base <= lo && r[i].bmr_base + r[i].bmr_length >= hi &&
			    type_rank(r[i].bmr_type) > best) {
				best = type_rank(r[i].bmr_type);
				type = canonical_type(r[i].bmr_type);
			}
		}
		if (best < 0)
			continue;	/* a hole */
		/* Cannot fail: pieces <= ncuts - 1 <= 2n - 1 < MEMMAP_MAX. */
		(void)append(out->mm_ranges, &out->mm_count, MEMMAP_MAX, lo, hi, type);
	}
}

unsigned
memmap_normalize(struct memmap *out, const struct boot_mem_range *in, unsigned n)
{
	struct boot_mem_range clean[BOOT_MEMMAP_MAX];
	unsigned i, m = 0, dropped = 0;

	if (n > BOOT_MEMMAP_MAX) {
		dropped += n - BOOT_MEMMAP_MAX;
		n = BOOT_MEMMAP_MAX;
	}
	for (i = 0; i < n; i++) {
		struct boot_mem_range r = in[i];

		if (r.bmr_length == 0) {
			dropped++;
			continue;
		}
		if (r.bmr_base + r.bmr_length < r.bmr_base) {
			/* Wraps past 2^64: keep what lies below the top. */
			r.bmr_length = UINT64_MAX - r.bmr_base;
			dropped++;
			if (r.bmr_length == 0)
				continue;
		}
		clean[m++] = r;
	}
	sweep(out, clean, m);
	return dropped;
}

int
memmap_carve(struct memmap *map, uint64_t base, uint64_t length, uint32_t type)
{
	static struct boot_mem_range r[MEMMAP_MAX];
	uint64_t end;
	unsigned i, n = 0;
	int err = 0;

	if (length == 0)
		return 0;
	end = base + length < base ? UINT64_MAX : base + length;

	/*
	 * The map is sorted and without overlaps, so one pass splits each
	 * usable range it meets into (before, carved, after). Only usable
	 * memory is claimed: firmware ranges keep their type.
	 */
	for (i = 0; i < map->mm_count && err == 0; i++) {
		const struct boot_mem_range *u = &map->mm_ranges[i];
		uint64_t lo = u->bmr_base, hi = u->bmr_base + u->bmr_length;

		if (u->bmr_type != BOOT_MEM_USABLE || hi <= base || lo >= end) {
			err = append(r, &n, MEMMAP_MAX, lo, hi, u->bmr_type);
			continue;
		}
		err = append(r, &n, MEMMAP_MAX, lo, MAX(lo, base), BOOT_MEM_USABLE);
		if (err == 0)
			err = append(r, &n, MEMMAP_MAX, MAX(lo, base), MIN(hi, end), type);
		if (err == 0)
			err = append(r, &n, MEMMAP_MAX, MIN(hi, end), hi, BOOT_MEM_USABLE);
	}
	if (err != 0)
		return -1;
	memcpy(map->mm_ranges, r, n * sizeof(r[0]));
	map->mm_count = n;
	return 0;
}

uint64_t
memmap_usable_bytes(const struct memmap *map)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < map->mm_count; i++) {
		if (map->mm_ranges[i].bmr_type == BOOT_MEM_USABLE)
			total += map->mm_ranges[i].bmr_length;
	}
	return total;
}
