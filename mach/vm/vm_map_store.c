/*
 * vm_map_store.c - a map's entries on a sorted list and in a red-black
 * tree whose nodes know the largest free gap below them.
 *
 * Every change goes through two private routines, vms_link() and
 * vms_unlink(), which keep the list, the tree, the count and the gaps in
 * step; the public operations check their arguments first and then call
 * them, so a refused request changes nothing.
 *
 * The gap of an entry is the free space after it, up to the next entry or
 * to vmh_max. The free space below the first entry belongs to no entry and
 * is looked at on its own. When an entry comes or goes, or its end moves,
 * the gap of the entry below it changes too, so both are brought up to date
 * (vms_update_gap), each with its path to the root.
 */

#include "mach/vm/vm_map_store.h"

#include "libkern/cdefs.h"
#include "libkern/panic.h"

static inline struct vm_map_links *
vms_entry(const struct rb_node *node)
{
	if (node == NULL)
		return NULL;
	return container_of(node, struct vm_map_links, vml_node);
}

/* The largest gap in the subtree at node; 0 for an empty one. */
static inline vm_size_t
vms_subtree_gap(const struct rb_node *node)
{
	return node == NULL ? 0 : vms_entry(node)->vml_max_gap;
}

/* rb_augment_t: node's vml_max_gap from its own gap and its children's. */
static void
vms_augment(struct rb_node *node)
{
	struct vm_map_links *entry = vms_entry(node);
	vm_size_t below = MAX(vms_subtree_gap(rb_left(node)),
	    vms_subtree_gap(rb_right(node)));

	entry->vml_max_gap = MAX(entry->vml_gap, below);
}

/* The free bytes from entry's end to the next entry or the map's end. */
static inline vm_size_t
vms_gap_after(const struct vm_map_header *hdr, const struct vm_map_links *entry)
{
	vm_offset_t limit = entry->vml_next != NULL ? entry->vml_next->vml_start :
	    hdr->vmh_max;

	return limit - entry->vml_end;
}

/* Recompute entry's gap, then the maxima from it to the root. */
static void
vms_update_gap(const struct vm_map_header *hdr, struct vm_map_links *entry)
{
	entry->vml_gap = vms_gap_after(hdr, entry);
	rb_augment_propagate(&entry->vml_node, vms_augment);
}

/* Is [start, end) a page-aligned, non-empty range inside the map? */
static kern_return_t
vms_check_range(const struct vm_map_header *hdr, vm_offset_t start,
    vm_offset_t end)
{
	if (!page_aligned(start) || !page_aligned(end) || start >= end)
		return KERN_INVALID_ARGUMENT;
	if (start < hdr->vmh_min || end > hdr->vmh_max)
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

/*
 * Put entry, whose range is already checked, between after (NULL: the
 * start) and after's successor.
 */
static void
vms_link(struct vm_map_header *hdr, struct vm_map_links *after,
    struct vm_map_links *entry)
{
	struct vm_map_links *next = after != NULL ? after->vml_next : hdr->vmh_first;
	struct rb_node *parent, **link;

	entry->vml_prev = after;
	entry->vml_next = next;
	if (after != NULL)
		after->vml_next = entry;
	else
		hdr->vmh_first = entry;
	if (next != NULL)
		next->vml_prev = entry;
	else
		hdr->vmh_last = entry;
	hdr->vmh_nentries++;

	/*
	 * In order, entry goes between after and next, so no search: the
	 * slot is after's right child if that is free, otherwise next's left
	 * child (next is then the leftmost node of after's right subtree).
	 */
	if (after != NULL && rb_right(&after->vml_node) == NULL) {
		parent = &after->vml_node;
		link = &parent->rb_child[RB_RIGHT];
	} else if (next != NULL) {
		parent = &next->vml_node;
		link = &parent->rb_child[RB_LEFT];
	} else {
		parent = NULL;
		link = &hdr->vmh_tree.rbt_root;
	}
	if (*link != NULL)
		panic("%s: map %p: tree slot for [%#lx, %#lx) is taken: list and "
		    "tree disagree", __func__, hdr, entry->vml_start, entry->vml_end);

	entry->vml_gap = vms_gap_after(hdr, entry);
	rb_link(&entry->vml_node, parent, link);
	rb_insert_fixup_augmented(&hdr->vmh_tree, &entry->vml_node, vms_augment);
	if (after != NULL)
		vms_update_gap(hdr, after);
}

/* Take entry, which is in the map, out of the list and the tree. */
static void
vms_unlink(struct vm_map_header *hdr, struct vm_map_links *entry)
{
	struct vm_map_links *prev = entry->vml_prev, *next = entry->vml_next;

	if (prev != NULL)
		prev->vml_next = next;
	else
		hdr->vmh_first = next;
	if (next != NULL)
		next->vml_prev = prev;
	else
		hdr->vmh_last = prev;
	hdr->vmh_nentries--;

	rb_remove_augmented(&hdr->vmh_tree, &entry->vml_node, vms_augment);
	if (prev != NULL)
		vms_update_gap(hdr, prev);
	entry->vml_prev = NULL;
	entry->vml_next = NULL;
}

kern_return_t
vm_map_store_init(struct vm_map_header *hdr, vm_offset_t min, vm_offset_t max)
{
	if (!page_aligned(min) || !page_aligned(max) || min >= max)
		return KERN_INVALID_ARGUMENT;
	rb_init(&hdr->vmh_tree);
	hdr->vmh_first = NULL;
	hdr->vmh_last = NULL;
	hdr->vmh_nentries = 0;
	hdr->vmh_min = min;
	hdr->vmh_max = max;
	return KERN_SUCCESS;
}

boolean_t
vm_map_store_lookup(const struct vm_map_header *hdr, vm_offset_t addr,
    struct vm_map_links **entry)
{
	struct rb_node *node = hdr->vmh_tree.rbt_root;
	struct vm_map_links *cur, *below = NULL;

	while (node != NULL) {
		cur = vms_entry(node);
		if (addr < cur->vml_start) {
			node = rb_left(node);
			continue;
		}
		if (addr < cur->vml_end) {
			*entry = cur;
			return TRUE;
		}
		/* cur ends at or below addr: the best "below" so far. */
		below = cur;
		node = rb_right(node);
	}
	*entry = below;
	return FALSE;
}

kern_return_t
vm_map_store_insert(struct vm_map_header *hdr, struct vm_map_links *after,
    struct vm_map_links *entry)
{
	struct vm_map_links *next;
	kern_return_t kr;

	if (entry == NULL || entry == after)
		return KERN_INVALID_ARGUMENT;
	kr = vms_check_range(hdr, entry->vml_start, entry->vml_end);
	if (kr != KERN_SUCCESS)
		return kr;
	/*
	 * after must end at or below the range and its successor begin at or
	 * above the range's end. Each failure is either an overlap or an
	 * `after` that is not the entry below the range at all.
	 */
	if (after != NULL && after->vml_end > entry->vml_start) {
		return after->vml_start <= entry->vml_start ? KERN_NO_SPACE :
		    KERN_INVALID_ARGUMENT;
	}
	next = after != NULL ? after->vml_next : hdr->vmh_first;
	if (next != NULL && next->vml_start < entry->vml_end) {
		return next->vml_start >= entry->vml_start ? KERN_NO_SPACE :
		    KERN_INVALID_ARGUMENT;
	}
	vms_link(hdr, after, entry);
	return KERN_SUCCESS;
}

void
vm_map_store_remove(struct vm_map_header *hdr, struct vm_map_links *entry)
{
	struct vm_map_links *prev = entry->vml_prev, *next = entry->vml_next;

	/* Cheap membership test: the neighbours must point back at entry. */
	if ((prev != NULL ? prev->vml_next : hdr->vmh_first) != entry ||
	    (next != NULL ? next->vml_prev : hdr->vmh_last) != entry)
		panic("%s: entry %p [%#lx, %#lx) is not in map %p", __func__, entry,
		    entry->vml_start, entry->vml_end, hdr);
	vms_unlink(hdr, entry);
}

/* --- finding space --------------------------------------------------------- */

/* What vm_map_store_find_space() looks for. */
struct vms_want {
	vm_offset_t	vw_lo;		/* the range must lie in [lo, hi) */
	vm_offset_t	vw_hi;
	vm_size_t	vw_size;	/* page-aligned, non-zero */
	vm_offset_t	vw_mask;	/* 2^k - 1, at least PAGE_MASK */
};

/*
 * The lowest start in the free range [a, b) meeting want, through *start.
 * Every step is checked for overflow: a range at the top of the space
 * must not wrap to 0 and "fit".
 */
static boolean_t
vms_fit(const struct vms_want *want, vm_offset_t a, vm_offset_t b,
    vm_offset_t *start)
{
	vm_offset_t s;

	a = MAX(a, want->vw_lo);
	b = MIN(b, want->vw_hi);
	if (a >= b)
		return FALSE;
	s = a;
	if ((s & want->vw_mask) != 0) {
		s = (s | want->vw_mask) + 1;	/* the next aligned address */
		if (s == 0 || s >= b)
			return FALSE;
	}
	if (b - s < want->vw_size)
		return FALSE;
	*start = s;
	return TRUE;
}

/* The leftmost node below node (inclusive) with vml_gap >= size. */
static struct vm_map_links *
vms_leftmost_gap(struct rb_node *node, vm_size_t size)
{
	/* Precondition, kept as we descend: node's subtree has such a gap. */
	for (;;) {
		if (vms_subtree_gap(rb_left(node)) >= size)
			node = rb_left(node);
		else if (vms_entry(node)->vml_gap >= size)
			return vms_entry(node);
		else
			node = rb_right(node);
	}
}

/*
 * The first entry after entry, in address order, with vml_gap >= size,
 * or NULL. Subtrees whose largest gap is too small are skipped whole.
 * A walk of successive calls crosses each tree edge at most twice, so
 * visiting k entries this way costs O(k + log n), and O(n) at worst.
 */
static struct vm_map_links *
vms_next_gap(const struct vm_map_links *entry, vm_size_t size)
{
	const struct rb_node *node = &entry->vml_node;
	struct rb_node *parent;

	if (vms_subtree_gap(rb_right(node)) >= size)
		return vms_leftmost_gap(rb_right(node), size);
	/* Up; every ancestor reached from its left comes next, then its right. */
	for (; (parent = rb_parent(node)) != NULL; node = parent) {
		if (rb_left(parent) != node)
			continue;
		if (vms_entry(parent)->vml_gap >= size)
			return vms_entry(parent);
		if (vms_subtree_gap(rb_right(parent)) >= size)
			return vms_leftmost_gap(rb_right(parent), size);
	}
	return NULL;
}

kern_return_t
vm_map_store_find_space(const struct vm_map_header *hdr, vm_size_t size,
    vm_offset_t mask, vm_offset_t hint_min, vm_offset_t hint_max,
    vm_offset_t *start, struct vm_map_links **after)
{
	struct vm_map_links *first = hdr->vmh_first, *entry;
	struct vms_want want;

	if (size == 0 || !page_aligned(size) || (mask & (mask + 1)) != 0)
		return KERN_INVALID_ARGUMENT;
	/* Round the hints inward: no page-aligned range lies outside them. */
	if (hint_min > trunc_page(~(vm_offset_t)0))
		return KERN_NO_SPACE;
	want.vw_lo = MAX(hdr->vmh_min, round_page(hint_min));
	want.vw_hi = MIN(hdr->vmh_max, trunc_page(hint_max));
	want.vw_size = size;
	want.vw_mask = mask | PAGE_MASK;
	if (want.vw_lo >= want.vw_hi || want.vw_hi - want.vw_lo < size)
		return KERN_NO_SPACE;

	/* The free space below the first entry. */
	if (vms_fit(&want, hdr->vmh_min, first != NULL ? first->vml_start :
	    hdr->vmh_max, start)) {
		*after = NULL;
		return KERN_SUCCESS;
	}
	if (first == NULL)
		return KERN_NO_SPACE;

	/*
	 * Gaps of entries below the one at or below lo end at or below lo:
	 * start there. A gap starting at or above hi cannot hold the range.
	 */
	(void)vm_map_store_lookup(hdr, want.vw_lo, &entry);
	if (entry == NULL)
		entry = first;
	for (; entry != NULL && entry->vml_end < want.vw_hi;
	    entry = vms_next_gap(entry, size)) {
		if (entry->vml_gap >= size && vms_fit(&want, entry->vml_end,
		    entry->vml_end + entry->vml_gap, start)) {
			*after = entry;
			return KERN_SUCCESS;
		}
	}
	return KERN_NO_SPACE;
}

/* --- changing entries ------------------------------------------------------ */

/* Can entry be split at addr? */
static kern_return_t
vms_check_clip(const struct vm_map_links *entry, vm_offset_t addr,
    const struct vm_map_links *new_entry)
{
	if (new_entry == NULL || new_entry == entry || !page_aligned(addr) ||
	    addr <= entry->vml_start || addr >= entry->vml_end)
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

kern_return_t
vm_map_store_clip_start(struct vm_map_header *hdr, struct vm_map_links *entry,
    vm_offset_t addr, struct vm_map_links *new_entry)
{
	kern_return_t kr = vms_check_clip(entry, addr, new_entry);

	if (kr != KERN_SUCCESS)
		return kr;
	/* Order is kept: new_entry takes the low part, just below entry. */
	new_entry->vml_start = entry->vml_start;
	new_entry->vml_end = addr;
	entry->vml_start = addr;
	vms_link(hdr, entry->vml_prev, new_entry);
	return KERN_SUCCESS;
}

kern_return_t
vm_map_store_clip_end(struct vm_map_header *hdr, struct vm_map_links *entry,
    vm_offset_t addr, struct vm_map_links *new_entry)
{
	kern_return_t kr = vms_check_clip(entry, addr, new_entry);

	if (kr != KERN_SUCCESS)
		return kr;
	/* new_entry takes the high part and entry's gap; entry's becomes 0. */
	new_entry->vml_start = addr;
	new_entry->vml_end = entry->vml_end;
	entry->vml_end = addr;
	vms_link(hdr, entry, new_entry);
	return KERN_SUCCESS;
}

kern_return_t
vm_map_store_resize(struct vm_map_header *hdr, struct vm_map_links *entry,
    vm_offset_t start, vm_offset_t end)
{
	kern_return_t kr = vms_check_range(hdr, start, end);

	if (kr != KERN_SUCCESS)
		return kr;
	if ((entry->vml_prev != NULL && entry->vml_prev->vml_end > start) ||
	    (entry->vml_next != NULL && entry->vml_next->vml_start < end))
		return KERN_NO_SPACE;
	/* Between the same neighbours, so the order (and tree) stand. */
	entry->vml_start = start;
	entry->vml_end = end;
	vms_update_gap(hdr, entry);
	if (entry->vml_prev != NULL)
		vms_update_gap(hdr, entry->vml_prev);
	return KERN_SUCCESS;
}

/* --- walking --------------------------------------------------------------- */

struct vm_map_links *
vm_map_store_first(const struct vm_map_header *hdr)
{
	return hdr->vmh_first;
}

struct vm_map_links *
vm_map_store_last(const struct vm_map_header *hdr)
{
	return hdr->vmh_last;
}

struct vm_map_links *
vm_map_store_next(const struct vm_map_links *entry)
{
	return entry->vml_next;
}

struct vm_map_links *
vm_map_store_prev(const struct vm_map_links *entry)
{
	return entry->vml_prev;
}

uint64_t
vm_map_store_count(const struct vm_map_header *hdr)
{
	return hdr->vmh_nentries;
}

/* --- checking -------------------------------------------------------------- */

/* List against tree, in order; first, last and count. */
static int
vms_verify_list(const struct vm_map_header *hdr)
{
	const struct vm_map_links *entry, *prev = NULL;
	const struct rb_node *node = rb_first(&hdr->vmh_tree);
	uint64_t n = 0;

	for (entry = hdr->vmh_first; entry != NULL; entry = entry->vml_next) {
		if (++n > hdr->vmh_nentries)
			return VM_MAP_STORE_BAD_COUNT;	/* also ends a cycle */
		if (entry->vml_prev != prev)
			return VM_MAP_STORE_BAD_LIST;
		if (node != &entry->vml_node)
			return VM_MAP_STORE_LIST_TREE;
		node = rb_next(node);
		prev = entry;
	}
	if (hdr->vmh_last != prev)
		return VM_MAP_STORE_BAD_LIST;
	if (node != NULL)
		return VM_MAP_STORE_LIST_TREE;
	if (n != hdr->vmh_nentries)
		return VM_MAP_STORE_BAD_COUNT;
	return 0;
}

/* One entry's range, and against the next entry's. */
static int
vms_verify_range(const struct vm_map_header *hdr, const struct vm_map_links *entry)
{
	if (!page_aligned(entry->vml_start) || !page_aligned(entry->vml_end) ||
	    entry->vml_start >= entry->vml_end)
		return VM_MAP_STORE_BAD_ENTRY;
	if (entry->vml_start < hdr->vmh_min || entry->vml_end > hdr->vmh_max)
		return VM_MAP_STORE_OUT_OF_BOUNDS;
	if (entry->vml_next != NULL && entry->vml_end > entry->vml_next->vml_start)
		return VM_MAP_STORE_OVERLAP;
	return 0;
}

/* One entry's gap and its subtree's largest gap. */
static int
vms_verify_gap(const struct vm_map_header *hdr, const struct vm_map_links *entry)
{
	const struct rb_node *node = &entry->vml_node;
	vm_size_t below;

	below = MAX(vms_subtree_gap(rb_left(node)), vms_subtree_gap(rb_right(node)));
	if (entry->vml_gap != vms_gap_after(hdr, entry) ||
	    entry->vml_max_gap != MAX(entry->vml_gap, below))
		return VM_MAP_STORE_BAD_GAP;
	return 0;
}

/*
 * The checks go from the structure up, each over the whole map, so that
 * the code returned names the first cause, not a gap it threw off.
 */
int
vm_map_store_verify(const struct vm_map_header *hdr)
{
	const struct vm_map_links *entry;
	int err;

	if (!page_aligned(hdr->vmh_min) || !page_aligned(hdr->vmh_max) ||
	    hdr->vmh_min >= hdr->vmh_max)
		return VM_MAP_STORE_BAD_BOUNDS;
	if (rb_verify(&hdr->vmh_tree, NULL) < 0)
		return VM_MAP_STORE_BAD_TREE;
	err = vms_verify_list(hdr);
	if (err != 0)
		return err;
	/* The list is sound now: these walks end. */
	for (entry = hdr->vmh_first; entry != NULL; entry = entry->vml_next) {
		err = vms_verify_range(hdr, entry);
		if (err != 0)
			return err;
	}
	for (entry = hdr->vmh_first; entry != NULL; entry = entry->vml_next) {
		err = vms_verify_gap(hdr, entry);
		if (err != 0)
			return err;
	}
	return 0;
}
