/*
 * memmap.h - the physical memory map as the kernel uses it: sorted, without
 * overlaps or empty ranges, with the kernel's own carve-outs in it.
 *
 * Loaders hand over maps that may be unsorted, overlapping, hold zero-length
 * entries, wrap past 2^64 or name types nobody knows. memmap_normalize()
 * turns any of that into a clean map. Where ranges overlap, the more
 * restrictive type wins (usable memory loses to everything), so the allocator
 * never hands out a page that anybody else claims. memmap_carve() then marks
 * the kernel image, the modules and low memory with the kernel's own types
 * through the same rule.
 *
 * Pure functions over caller-supplied arrays: no locks, no allocation, the
 * same code runs in the host unit tests.
 */

#ifndef KERNEL_MEMMAP_H
#define KERNEL_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/boot_args.h"

/* A normalized map holds at most two ranges per input range, plus carves. */
#define MEMMAP_MAX	(2 * BOOT_MEMMAP_MAX + 32)

struct memmap {
	unsigned		mm_count;
	struct boot_mem_range	mm_ranges[MEMMAP_MAX];
};

/*
 * memmap_normalize: build a clean map in *out from n loader ranges.
 * Returns the number of input ranges that were dropped or clipped (empty,
 * wrapping) so start-up can say so; out is valid either way.
 */
unsigned	memmap_normalize(struct memmap *out, const struct boot_mem_range *in,
		    unsigned n);

/*
 * memmap_carve: give [base, base+length) the given type, overriding usable
 * memory (and only usable memory: firmware ranges keep their type). Returns
 * 0, or -1 if the map had no room (it is then unchanged). Boot-time only:
 * it works in a static scratch array, so two callers must not race.
 */
int		memmap_carve(struct memmap *map, uint64_t base, uint64_t length,
		    uint32_t type);

/* memmap_type_name: "usable", "reserved", "ACPI reclaimable", ... */
const char	*memmap_type_name(uint32_t type);

/* memmap_usable_bytes: total of the usable ranges. */
uint64_t	memmap_usable_bytes(const struct memmap *map);

#endif /* KERNEL_MEMMAP_H */
