/*
 * vm_map_store.h - the ordered set of entries of one address map.
 *
 * An address map (vm_map) is a set of non-overlapping ranges of virtual
 * addresses, its entries, within the map's bounds [vmh_min, vmh_max). The
 * store keeps them twice, as XNU does:
 *
 *   - in a red-black tree keyed by start address (libkern/rbtree.h), so
 *     that finding the entry containing an address is O(log n);
 *   - on a doubly linked list sorted by address, so that the walks over a
 *     range that every vm_map operation does step to the next or previous
 *     entry in O(1).
 *
 * Each entry also records the free space between its end and the next
 * entry (or the map's end), and the tree keeps in every node the largest
 * such gap in its subtree. vm_map_store_find_space() uses it to skip whole
 * subtrees with no room, so finding space is O(log n) when the first gap
 * that is large enough also fits the alignment asked for, and never worse
 * than O(n).
 *
 * Entry layout. The store's part of an entry is struct vm_map_links; the
 * vm_map layer defines struct vm_map_entry with a struct vm_map_links as
 * its first member, and the store never sees the rest:
 *
 *	struct vm_map_entry {
 *		struct vm_map_links	vme_links;	(must be first)
 *		vm_object_t		vme_object;
 *		...
 *	};
 *
 * Being first, a pointer to the links and a pointer to the entry are the
 * same address, and NULL stays NULL both ways, so converting costs nothing
 * (container_of(), or a cast). Keeping the store's fields in a struct of
 * their own, rather than in a struct vm_map_entry shared with vm_map,
 * means the store and its tests compile without the vm_map layer, no
 * second definition of struct vm_map_entry exists anywhere, and vm_map.h
 * alone owns what an entry holds (it may alias the address fields, as XNU
 * does: #define vme_start vme_links.vml_start).
 *
 * The caller allocates and frees entries; the store only links them. The
 * address fields of an entry in a map are written only by the store
 * (insert, clip, resize): the gaps it records depend on them.
 *
 * Invariants (checked by vm_map_store_verify):
 *   - vmh_min < vmh_max, both page-aligned;
 *   - every entry is page-aligned, non-empty (vml_start < vml_end) and
 *     inside [vmh_min, vmh_max);
 *   - entries are sorted and do not overlap: prev->vml_end <= vml_start;
 *   - the list and the tree hold the same entries in the same order;
 *     vmh_first and vmh_last are its ends; vmh_nentries counts them;
 *   - vml_gap is the distance from vml_end to the next entry's start (or
 *     to vmh_max); vml_max_gap is the largest vml_gap in the subtree.
 *
 * All addresses are page-aligned; the last page of the 64-bit space is
 * never in a map (vmh_max is exclusive and page-aligned), so no entry's
 * end wraps to 0.
 *
 * Bad requests (unaligned addresses, empty or inverted ranges, ranges out
 * of the map or overlapping an entry) are refused with a kern_return_t.
 * A panic means the store's own invariants are broken, or an entry that
 * is not in the map was handed to it: kernel bugs.
 *
 * Locks: none. The store belongs to its vm_map, whose lock covers it. The
 * read-only operations (lookup, find_space, first/last/next/prev, count,
 * verify) write nothing, so any number of readers may share the map.
 */

#ifndef MACH_VM_VM_MAP_STORE_H
#define MACH_VM_VM_MAP_STORE_H

#include <stdint.h>

#include "libkern/rbtree.h"
#include "mach/boolean.h"
#include "mach/kern_return.h"
#include "mach/vm_types.h"

/* The store's part of a map entry: its range, its links and its gap. */
struct vm_map_links {
	vm_offset_t		vml_start;	/* first address, page-aligned */
	vm_offset_t		vml_end;	/* one past the last, page-aligned */
	struct vm_map_links	*vml_prev;	/* entry below, NULL if first */
	struct vm_map_links	*vml_next;	/* entry above, NULL if last */
	struct rb_node		vml_node;	/* in vmh_tree, by vml_start */
	vm_size_t		vml_gap;	/* free bytes from vml_end up */
	vm_size_t		vml_max_gap;	/* max vml_gap in this subtree */
};

/* The entries of one map and its bounds. */
struct vm_map_header {
	struct rb_tree		vmh_tree;	/* entries by vml_start */
	struct vm_map_links	*vmh_first;	/* lowest entry, NULL if none */
	struct vm_map_links	*vmh_last;	/* highest entry, NULL if none */
	uint64_t		vmh_nentries;
	vm_offset_t		vmh_min;	/* lowest address of the map */
	vm_offset_t		vmh_max;	/* end of the map, exclusive */
};

/* What vm_map_store_verify() found wrong. */
#define VM_MAP_STORE_BAD_BOUNDS		(-1)	/* vmh_min/vmh_max */
#define VM_MAP_STORE_BAD_TREE		(-2)	/* red-black invariants */
#define VM_MAP_STORE_BAD_ENTRY		(-3)	/* unaligned or empty */
#define VM_MAP_STORE_OUT_OF_BOUNDS	(-4)	/* outside [min, max) */
#define VM_MAP_STORE_OVERLAP		(-5)	/* unsorted or overlapping */
#define VM_MAP_STORE_BAD_LIST		(-6)	/* prev/next, first/last */
#define VM_MAP_STORE_LIST_TREE		(-7)	/* list and tree disagree */
#define VM_MAP_STORE_BAD_COUNT		(-8)	/* vmh_nentries */
#define VM_MAP_STORE_BAD_GAP		(-9)	/* vml_gap or vml_max_gap */

/*
 * vm_map_store_init: an empty store for addresses [min, max).
 * Returns KERN_SUCCESS, or KERN_INVALID_ARGUMENT if min or max is not
 * page-aligned or min >= max (hdr is then left untouched).
 */
kern_return_t	vm_map_store_init(struct vm_map_header *hdr, vm_offset_t min,
		    vm_offset_t max);

/*
 * vm_map_store_lookup: the entry containing addr. Returns TRUE with
 * *entry set to it; otherwise FALSE with *entry set to the entry below
 * addr (the last one ending at or before it), or NULL if there is none.
 * addr need not be aligned. O(log n).
 */
boolean_t	vm_map_store_lookup(const struct vm_map_header *hdr, vm_offset_t addr,
		    struct vm_map_links **entry);

/*
 * vm_map_store_insert: add entry, its vml_start and vml_end set by the
 * caller, right after `after` (NULL: as the first entry), which is the
 * entry vm_map_store_lookup(entry->vml_start) returned. entry must not be
 * in any map. O(log n).
 * Returns KERN_SUCCESS;
 *   KERN_INVALID_ARGUMENT	range unaligned or empty, or `after` is not
 *				the entry below the range;
 *   KERN_INVALID_ADDRESS	range not inside [vmh_min, vmh_max);
 *   KERN_NO_SPACE		range overlaps an entry.
 */
kern_return_t	vm_map_store_insert(struct vm_map_header *hdr,
		    struct vm_map_links *after, struct vm_map_links *entry);

/*
 * vm_map_store_remove: take entry out of the map; the caller frees it.
 * Panics if entry is not in the map (as far as its neighbours tell).
 * O(log n).
 */
void		vm_map_store_remove(struct vm_map_header *hdr,
		    struct vm_map_links *entry);

/*
 * vm_map_store_find_space: the lowest start address of a free range of
 * size bytes with (start & mask) == 0, inside [hint_min, hint_max) and
 * the map's bounds. The hints are rounded inward to pages (0 and ~0 mean
 * "no limit"); mask is a run of low one bits (2^k - 1), and page
 * alignment is always implied. On success *start is the address and
 * *after the entry the new range follows (NULL: before the first), ready
 * for vm_map_store_insert(). Nothing is reserved.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT if size is 0 or unaligned
 * or mask is not 2^k - 1; KERN_NO_SPACE if no such range exists.
 */
kern_return_t	vm_map_store_find_space(const struct vm_map_header *hdr,
		    vm_size_t size, vm_offset_t mask, vm_offset_t hint_min,
		    vm_offset_t hint_max, vm_offset_t *start,
		    struct vm_map_links **after);

/*
 * vm_map_store_clip_start: split entry at addr. new_entry, not in any map,
 * becomes [entry's start, addr) and goes in before entry, which keeps
 * [addr, end). The caller copies (and references) the rest of the entry's
 * fields into new_entry, before or after; the store sets only its links
 * and addresses.
 * Returns KERN_SUCCESS, or KERN_INVALID_ARGUMENT if addr is unaligned or
 * not strictly inside the entry, or new_entry is entry.
 */
kern_return_t	vm_map_store_clip_start(struct vm_map_header *hdr,
		    struct vm_map_links *entry, vm_offset_t addr,
		    struct vm_map_links *new_entry);

/*
 * vm_map_store_clip_end: split entry at addr. new_entry becomes
 * [addr, entry's end) and goes in after entry, which keeps [start, addr).
 * As vm_map_store_clip_start otherwise.
 */
kern_return_t	vm_map_store_clip_end(struct vm_map_header *hdr,
		    struct vm_map_links *entry, vm_offset_t addr,
		    struct vm_map_links *new_entry);

/*
 * vm_map_store_resize: give entry the range [start, end), which may grow
 * into the free space on either side or shrink, but stays between the
 * entry's neighbours (how vm_map extends an entry, or merges two after
 * removing one). O(log n).
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (unaligned or empty);
 * KERN_INVALID_ADDRESS (outside the map); KERN_NO_SPACE (reaches into or
 * past a neighbour). On failure the entry is unchanged.
 */
kern_return_t	vm_map_store_resize(struct vm_map_header *hdr,
		    struct vm_map_links *entry, vm_offset_t start, vm_offset_t end);

/* In address order; NULL past either end. O(1). */
struct vm_map_links *vm_map_store_first(const struct vm_map_header *hdr);
struct vm_map_links *vm_map_store_last(const struct vm_map_header *hdr);
struct vm_map_links *vm_map_store_next(const struct vm_map_links *entry);
struct vm_map_links *vm_map_store_prev(const struct vm_map_links *entry);

uint64_t	vm_map_store_count(const struct vm_map_header *hdr);

/*
 * vm_map_store_verify: check every invariant above. O(n). Returns 0, or
 * one of the negative VM_MAP_STORE_* codes for the first problem found.
 * For tests and debugging; it never panics and never loops on a corrupt
 * list.
 */
int		vm_map_store_verify(const struct vm_map_header *hdr);

#endif /* MACH_VM_VM_MAP_STORE_H */
