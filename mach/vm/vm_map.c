/*
 * vm_map.c - address maps (vm_map.h): entries, and what is done to ranges
 * of them: enter, remove, protect, inherit, wire, region, fork.
 *
 * Every operation on a range first clips the entries at its ends (so that
 * it covers whole entries), changes them, and then merges what became
 * alike again (vm_map_simplify_range). Clipping needs a new entry and so
 * can fail for want of memory; it is done before anything else changes,
 * and a clip on its own changes nothing a task can see, so a failure
 * leaves the map as it was in every way that matters.
 */

#include "mach/vm/vm_map.h"

#include "kernel/machine/vm_param.h"
#include "libkern/assert.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/thread.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/vm_fault.h"
#include "mach/vm/vm_map_internal.h"
#include "mach/vm/vm_page.h"

static lck_grp_t vm_map_lck_grp;
static zone_t vm_map_zone;
static zone_t vm_map_entry_zone;
static struct vm_map kernel_map_store;
vm_map_t kernel_map __hot_data;

#define ENTRY(l)	((vm_map_entry_t)(l))
#define LINKS(e)	(&(e)->vme_links)

static inline vm_map_entry_t
entry_next(vm_map_entry_t entry)
{
	return ENTRY(vm_map_store_next(LINKS(entry)));
}

static inline vm_map_entry_t
entry_prev(vm_map_entry_t entry)
{
	return ENTRY(vm_map_store_prev(LINKS(entry)));
}

static inline vm_map_entry_t
entry_first(vm_map_t map)
{
	return ENTRY(vm_map_store_first(&map->hdr));
}

static inline vm_map_size_t
entry_size(vm_map_entry_t entry)
{
	return entry->vme_end - entry->vme_start;
}

/* --- maps --------------------------------------------------------------------- */

static void
vm_map_setup(vm_map_t map, pmap_t pmap, vm_map_offset_t min, vm_map_offset_t max)
{
	memset(map, 0, sizeof(*map));
	lck_rw_init(&map->lock, &vm_map_lck_grp, LCK_ATTR_NULL);
	(void)vm_map_store_init(&map->hdr, min, max);
	map->pmap = pmap;
	map->ref_count = 1;
}

void
vm_map_bootstrap(void)
{
	lck_grp_init(&vm_map_lck_grp, "vm_map", LCK_GRP_ATTR_NULL);
	vm_map_zone = zinit(sizeof(struct vm_map), 0, 0, "maps");
	vm_map_entry_zone = zinit(sizeof(struct vm_map_entry), 0, 0, "VM map entries");
	if (vm_map_zone == ZONE_NULL || vm_map_entry_zone == ZONE_NULL)
		panic("vm_map_bootstrap: no memory for the map zones");
	vm_object_bootstrap();
	vm_map_setup(&kernel_map_store, kernel_pmap, VM_MIN_KERNEL_ADDRESS,
	    VM_MAX_KERNEL_ADDRESS);
	kernel_map_store.wiring_required = TRUE;
	kernel_map = &kernel_map_store;
}

vm_map_t
vm_map_create(pmap_t pmap, vm_map_offset_t min, vm_map_offset_t max, boolean_t pageable)
{
	vm_map_t map;

	(void)pageable;
	if (pmap == PMAP_NULL || min >= max || !page_aligned(min) || !page_aligned(max))
		return VM_MAP_NULL;
	map = zalloc(vm_map_zone);
	if (map == VM_MAP_NULL)
		return VM_MAP_NULL;
	vm_map_setup(map, pmap, min, max);
	return map;
}

void
vm_map_reference(vm_map_t map)
{
	__atomic_add_fetch(&map->ref_count, 1, __ATOMIC_RELAXED);
}

void
vm_map_deallocate(vm_map_t map)
{
	if (map == VM_MAP_NULL)
		return;
	if (__atomic_sub_fetch(&map->ref_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (map == kernel_map)
		panic("vm_map_deallocate: kernel_map lost its last reference");
	(void)vm_map_remove(map, vm_map_min(map), vm_map_max(map));
	pmap_destroy(map->pmap);
	lck_rw_destroy(&map->lock, &vm_map_lck_grp);
	zfree(vm_map_zone, map);
}

vm_map_t
vm_map_switch(vm_map_t map)
{
	thread_t self = current_thread();
	vm_map_t old = self->map;
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	self->map = map;
	if (map != kernel_map)
		pmap_switch(vm_map_pmap(map));
	ml_set_interrupts_enabled(s);
	return old;
}

boolean_t
vm_map_lookup_entry(vm_map_t map, vm_map_offset_t address, vm_map_entry_t *entry)
{
	struct vm_map_links *l;
	vm_map_entry_t hint = __atomic_load_n(&map->hint, __ATOMIC_RELAXED);
	boolean_t found;

	/*
	 * Faults come in runs on one entry: try the last one found first.
	 * Readers share the map, and each stores an entry valid under the
	 * lock they hold; a writer clears the hint before freeing its entry.
	 */
	if (hint != VM_MAP_ENTRY_NULL && address >= hint->vme_start && address < hint->vme_end) {
		*entry = hint;
		return TRUE;
	}
	found = vm_map_store_lookup(&map->hdr, address, &l);
	*entry = ENTRY(l);
	if (found)
		__atomic_store_n(&map->hint, *entry, __ATOMIC_RELAXED);
	return found;
}

/* --- entries ------------------------------------------------------------------ */

static vm_map_entry_t
entry_alloc(void)
{
	vm_map_entry_t entry = zalloc(vm_map_entry_zone);

	if (entry != VM_MAP_ENTRY_NULL)
		memset(entry, 0, sizeof(*entry));
	return entry;
}

static void
entry_free(vm_map_t map, vm_map_entry_t entry)
{
	if (map->hint == entry)
		map->hint = VM_MAP_ENTRY_NULL;
	zfree(vm_map_entry_zone, entry);
}

/* Everything but the links: what a clip copies into the new half. */
static void
entry_copy_attributes(vm_map_entry_t to, const vm_map_entry_t from)
{
	struct vm_map_links links = to->vme_links;

	*to = *from;
	to->vme_links = links;
	vm_object_reference(to->vme_object);
}

/*
 * Split entry so that it starts at addr; the part below becomes a new
 * entry. KERN_RESOURCE_SHORTAGE if no entry could be allocated (nothing
 * changed). Locks: [M] exclusive.
 */
static kern_return_t
vm_map_clip_start(vm_map_t map, vm_map_entry_t entry, vm_map_offset_t addr)
{
	vm_map_entry_t below;

	if (addr <= entry->vme_start)
		return KERN_SUCCESS;
	below = entry_alloc();
	if (below == VM_MAP_ENTRY_NULL)
		return KERN_RESOURCE_SHORTAGE;
	entry_copy_attributes(below, entry);
	if (vm_map_store_clip_start(&map->hdr, LINKS(entry), addr, LINKS(below)) != KERN_SUCCESS)
		panic("vm_map_clip_start: 0x%llx is not inside entry %p",
		    (unsigned long long)addr, entry);
	entry->vme_offset += entry->vme_start - below->vme_start;
	map->timestamp++;
	return KERN_SUCCESS;
}

/* Split entry so that it ends at addr. As vm_map_clip_start. */
static kern_return_t
vm_map_clip_end(vm_map_t map, vm_map_entry_t entry, vm_map_offset_t addr)
{
	vm_map_entry_t above;

	if (addr >= entry->vme_end)
		return KERN_SUCCESS;
	above = entry_alloc();
	if (above == VM_MAP_ENTRY_NULL)
		return KERN_RESOURCE_SHORTAGE;
	entry_copy_attributes(above, entry);
	if (vm_map_store_clip_end(&map->hdr, LINKS(entry), addr, LINKS(above)) != KERN_SUCCESS)
		panic("vm_map_clip_end: 0x%llx is not inside entry %p",
		    (unsigned long long)addr, entry);
	above->vme_offset += above->vme_start - entry->vme_start;
	map->timestamp++;
	return KERN_SUCCESS;
}

/*
 * Could a and b (a just below b, touching) be one entry? Same attributes,
 * and the same object at contiguous offsets, or both still without one.
 */
static boolean_t
entries_mergeable(vm_map_entry_t a, vm_map_entry_t b)
{
	if (a->vme_end != b->vme_start || a->vme_object != b->vme_object)
		return FALSE;
	if (a->vme_object != VM_OBJECT_NULL &&
	    a->vme_offset + entry_size(a) != b->vme_offset)
		return FALSE;
	if (a->vme_object == kernel_object)
		return FALSE;	/* kmem allocations stay apart: kmem_free finds them */
	return a->protection == b->protection && a->max_protection == b->max_protection &&
	    a->inheritance == b->inheritance && a->wired_count == b->wired_count &&
	    a->user_wired_count == b->user_wired_count && a->alias == b->alias &&
	    a->needs_copy == b->needs_copy && a->is_shared == b->is_shared &&
	    !a->guard_first && !a->guard_last && !b->guard_first && !b->guard_last;
}

/* Merge entry into the one below it if they are alike. Locks: [M] exclusive. */
static vm_map_entry_t
vm_map_simplify_entry(vm_map_t map, vm_map_entry_t entry)
{
	vm_map_entry_t prev = entry_prev(entry);
	vm_map_offset_t end = entry->vme_end;

	if (prev == VM_MAP_ENTRY_NULL || !entries_mergeable(prev, entry))
		return entry;
	vm_map_store_remove(&map->hdr, LINKS(entry));
	if (vm_map_store_resize(&map->hdr, LINKS(prev), prev->vme_start, end) != KERN_SUCCESS)
		panic("vm_map_simplify_entry: cannot extend %p over its neighbour", prev);
	vm_object_deallocate(entry->vme_object);	/* prev holds its own reference */
	entry_free(map, entry);
	map->timestamp++;
	return prev;
}

/*
 * Merge what can be merged among the entries from the one below start to
 * the one above end. Locks: [M] exclusive.
 */
static void
vm_map_simplify_range(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end)
{
	vm_map_entry_t entry;

	if (!vm_map_lookup_entry(map, start, &entry))
		entry = entry != VM_MAP_ENTRY_NULL ? entry_next(entry) : entry_first(map);
	while (entry != VM_MAP_ENTRY_NULL && entry->vme_start <= end) {
		entry = vm_map_simplify_entry(map, entry);
		entry = entry_next(entry);
	}
}

/*
 * The entry containing start, clipped to begin there, if [start, end) is
 * mapped without holes; NULL otherwise (nothing clipped). Clips the last
 * entry to end there too. *kr says why not. Locks: [M] exclusive.
 */
static vm_map_entry_t
vm_map_range_clip(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end, kern_return_t *kr)
{
	vm_map_entry_t first, entry;

	if (!vm_map_lookup_entry(map, start, &first)) {
		*kr = KERN_INVALID_ADDRESS;
		return VM_MAP_ENTRY_NULL;
	}
	for (entry = first; entry->vme_end < end; ) {
		vm_map_entry_t next = entry_next(entry);

		if (next == VM_MAP_ENTRY_NULL || next->vme_start != entry->vme_end) {
			*kr = KERN_INVALID_ADDRESS;
			return VM_MAP_ENTRY_NULL;
		}
		entry = next;
	}
	if ((*kr = vm_map_clip_start(map, first, start)) != KERN_SUCCESS ||
	    (*kr = vm_map_clip_end(map, entry, end)) != KERN_SUCCESS)
		return VM_MAP_ENTRY_NULL;
	return first;
}

kern_return_t
vm_map_entry_make_private(vm_map_entry_t entry)
{
	vm_map_size_t size = entry_size(entry);

	if (entry->vme_object == VM_OBJECT_NULL) {
		entry->vme_object = vm_object_allocate(size);
		if (entry->vme_object == VM_OBJECT_NULL)
			return KERN_RESOURCE_SHORTAGE;
		entry->vme_offset = 0;
	} else if (entry->needs_copy) {
		vm_object_t object = entry->vme_object;
		boolean_t alone;

		/*
		 * Whoever it was to be copied from has let go (a child that
		 * exited): the object is this entry's alone, no shadow needed.
		 */
		vm_object_lock(object);
		alone = object->ref_count == 1 && !object->named && !object->true_share;
		vm_object_unlock(object);
		if (!alone && !vm_object_shadow(&entry->vme_object, &entry->vme_offset, size))
			return KERN_RESOURCE_SHORTAGE;
		entry->needs_copy = FALSE;
	}
	return KERN_SUCCESS;
}

kern_return_t
vm_map_share_object(vm_map_t map, vm_map_offset_t start, vm_map_size_t size,
    vm_prot_t permission, vm_object_t *object, vm_object_offset_t *offset)
{
	vm_map_entry_t entry;
	kern_return_t kr;

	if (size == 0 || start + size < start)
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	if (!vm_map_lookup_entry(map, start, &entry) || entry->vme_object == kernel_object) {
		vm_map_unlock(map);
		return KERN_INVALID_ADDRESS;
	}
	if (start + size > entry->vme_end) {
		vm_map_unlock(map);
		return KERN_INVALID_ARGUMENT;	/* one entry at a time */
	}
	if (permission & ~entry->max_protection) {
		vm_map_unlock(map);
		return KERN_PROTECTION_FAILURE;
	}
	if ((kr = vm_map_entry_make_private(entry)) != KERN_SUCCESS) {
		vm_map_unlock(map);
		return kr;
	}
	*object = entry->vme_object;
	*offset = entry->vme_offset + (start - entry->vme_start);
	vm_object_lock(*object);
	(*object)->true_share = TRUE;
	(*object)->named = TRUE;
	(*object)->ref_count++;
	vm_object_unlock(*object);
	entry->is_shared = TRUE;
	map->timestamp++;
	vm_map_unlock(map);
	return KERN_SUCCESS;
}

/* --- removing ------------------------------------------------------------------ */

/*
 * Give back the pages of a kmem range of kernel_object (found through the
 * kernel pmap: they are in no object), a batch at a time so that the TLB
 * is flushed once a batch, and before the pages can be reused.
 */
static void
kmem_pages_free(vm_map_offset_t start, vm_map_offset_t end)
{
	enum { BATCH = 64 };
	struct vm_page *pages[BATCH];

	while (start < end) {
		vm_map_offset_t stop = MIN(end, start + BATCH * PAGE_SIZE);
		unsigned n = 0;

		for (vm_map_offset_t va = start; va < stop; va += PAGE_SIZE) {
			ppnum_t pn = pmap_find_phys(kernel_pmap, va);

			if (pn != 0)
				pages[n++] = vm_page_lookup_phys(ptoa((pmap_paddr_t)pn));
		}
		pmap_remove(kernel_pmap, start, stop);
		for (unsigned i = 0; i < n; i++)
			vm_page_release(pages[i]);
		start = stop;
	}
}

/* Undo an entry's wiring of its pages. Locks: [M] exclusive. */
static void
entry_unwire_pages(vm_map_t map, vm_map_entry_t entry)
{
	for (vm_map_offset_t va = entry->vme_start; va < entry->vme_end; va += PAGE_SIZE)
		vm_fault_unwire_locked(map, entry, va);
}

/* Remove one whole entry: its mappings, wiring, object reference. */
static void
vm_map_entry_delete(vm_map_t map, vm_map_entry_t entry)
{
	if (entry->vme_object == kernel_object) {
		kmem_pages_free(entry->vme_start, entry->vme_end);
	} else {
		if (entry->wired_count != 0)
			entry_unwire_pages(map, entry);
		pmap_remove(map->pmap, entry->vme_start, entry->vme_end);
	}
	vm_map_store_remove(&map->hdr, LINKS(entry));
	map->size -= entry_size(entry);
	vm_object_deallocate(entry->vme_object);
	entry_free(map, entry);
	map->timestamp++;
}

/*
 * Remove whatever is mapped in [start, end). Fails only if an entry
 * straddling an end cannot be split (KERN_RESOURCE_SHORTAGE), before
 * anything is removed. Locks: [M] exclusive.
 */
static kern_return_t
vm_map_delete(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end)
{
	vm_map_entry_t entry, last;
	kern_return_t kr;

	if (vm_map_lookup_entry(map, start, &entry)) {
		if ((kr = vm_map_clip_start(map, entry, start)) != KERN_SUCCESS)
			return kr;
	} else {
		entry = entry != VM_MAP_ENTRY_NULL ? entry_next(entry) : entry_first(map);
	}
	if (end > start && vm_map_lookup_entry(map, end - 1, &last) &&
	    (kr = vm_map_clip_end(map, last, end)) != KERN_SUCCESS)
		return kr;
	while (entry != VM_MAP_ENTRY_NULL && entry->vme_start < end) {
		vm_map_entry_t next = entry_next(entry);

		vm_map_entry_delete(map, entry);
		entry = next;
	}
	return KERN_SUCCESS;
}

/* [start, end) is a non-empty range inside map. */
static boolean_t
range_in_map(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end)
{
	return start < end && start >= vm_map_min(map) && end <= vm_map_max(map);
}

kern_return_t
vm_map_remove(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end)
{
	kern_return_t kr;

	if (end < start || !page_aligned(start) || !page_aligned(end))
		return KERN_INVALID_ARGUMENT;
	if (start == end)
		return KERN_SUCCESS;
	if (!range_in_map(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lock(map);
	kr = vm_map_delete(map, start, end);
	vm_map_unlock(map);
	return kr;
}

/* --- entering ------------------------------------------------------------------ */

/*
 * Insert entry for [start, start + size), which is free, after `after`.
 * Locks: [M] exclusive.
 */
static void
vm_map_entry_link(vm_map_t map, vm_map_entry_t after, vm_map_entry_t entry,
    vm_map_offset_t start, vm_map_size_t size)
{
	entry->vme_start = start;
	entry->vme_end = start + size;
	if (vm_map_store_insert(&map->hdr, after != VM_MAP_ENTRY_NULL ? LINKS(after) : NULL,
	    LINKS(entry)) != KERN_SUCCESS)
		panic("vm_map_entry_link: [0x%llx, 0x%llx) is not free in map %p",
		    (unsigned long long)start, (unsigned long long)(start + size), map);
	map->size += size;
	map->timestamp++;
}

/*
 * Find room for size bytes in map: anywhere with (start & mask) == 0,
 * trying at and above hint first. Locks: [M].
 */
static kern_return_t
vm_map_find_space_locked(vm_map_t map, vm_map_offset_t hint, vm_map_size_t size,
    vm_map_offset_t mask, vm_map_offset_t *start, vm_map_entry_t *after)
{
	struct vm_map_links *l;
	kern_return_t kr;

	mask |= PAGE_MASK;
	kr = vm_map_store_find_space(&map->hdr, size, mask, hint, ~0UL, start, &l);
	if (kr == KERN_NO_SPACE && hint > vm_map_min(map))
		kr = vm_map_store_find_space(&map->hdr, size, mask, 0, ~0UL, start, &l);
	*after = ENTRY(l);
	return kr;
}

static boolean_t
prot_valid(vm_prot_t prot)
{
	return (prot & ~VM_PROT_ALL) == 0;
}

kern_return_t
vm_map_enter(vm_map_t map, vm_map_offset_t *address, vm_map_size_t size,
    vm_map_offset_t mask, int flags, vm_object_t object, vm_object_offset_t offset,
    boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
    vm_inherit_t inheritance)
{
	boolean_t anywhere = (flags & VM_FLAGS_ANYWHERE) != 0;
	vm_map_offset_t start;
	vm_map_entry_t entry, after;
	vm_object_t backing = object;
	kern_return_t kr;
	int alias;

	if (size == 0 || round_page(size) < size || (flags & ~VM_FLAGS_USER_ALLOCATE) ||
	    !prot_valid(cur_protection) || !prot_valid(max_protection) ||
	    (cur_protection & ~max_protection) || inheritance > VM_INHERIT_LAST_VALID ||
	    ((mask + 1) & mask) != 0)
		return KERN_INVALID_ARGUMENT;
	if ((flags & VM_FLAGS_OVERWRITE) && anywhere)
		return KERN_INVALID_ARGUMENT;
	size = round_page(size);
	VM_GET_FLAGS_ALIAS(flags, alias);
	if (object != VM_OBJECT_NULL) {
		if (!page_aligned(offset) || offset + size < offset ||
		    offset + size > object->vo_size || object == kernel_object)
			return KERN_INVALID_ARGUMENT;
		if (copy && object->phys_contiguous)
			return KERN_INVALID_ARGUMENT;	/* device memory is not copied */
	}
	if (!anywhere) {
		start = *address;
		if (!page_aligned(start))
			return KERN_INVALID_ARGUMENT;
		if (start + size < start)
			return KERN_INVALID_ARGUMENT;
		if (!range_in_map(map, start, start + size))
			return KERN_INVALID_ADDRESS;
	}

	/* A copy is made before anything else, so failure leaves nothing behind. */
	if (object != VM_OBJECT_NULL) {
		if (copy) {
			if ((kr = vm_object_copy_slowly(object, offset, size, &backing)) != KERN_SUCCESS)
				return kr;
			offset = 0;
		} else {
			vm_object_reference(object);
		}
	}
	entry = entry_alloc();
	if (entry == VM_MAP_ENTRY_NULL) {
		vm_object_deallocate(backing);
		return KERN_RESOURCE_SHORTAGE;
	}
	entry->vme_object = backing;
	entry->vme_offset = offset;
	entry->protection = cur_protection;
	entry->max_protection = max_protection;
	entry->inheritance = inheritance;
	entry->alias = (uint8_t)alias;

	vm_map_lock(map);
	if (anywhere) {
		kr = vm_map_find_space_locked(map, MAX(trunc_page(*address), vm_map_min(map)),
		    size, mask, &start, &after);
	} else {
		vm_map_entry_t e;

		kr = KERN_SUCCESS;
		if (flags & VM_FLAGS_OVERWRITE)
			kr = vm_map_delete(map, start, start + size);
		if (kr == KERN_SUCCESS && (vm_map_lookup_entry(map, start, &after) ||
		    ((e = after != VM_MAP_ENTRY_NULL ? entry_next(after) : entry_first(map)) !=
		    VM_MAP_ENTRY_NULL && e->vme_start < start + size)))
			kr = KERN_NO_SPACE;
	}
	if (kr != KERN_SUCCESS) {
		vm_map_unlock(map);
		vm_object_deallocate(backing);
		entry_free(map, entry);
		return kr;
	}
	vm_map_entry_link(map, after, entry, start, size);
	entry = vm_map_simplify_entry(map, entry);
	if (entry_next(entry) != VM_MAP_ENTRY_NULL)
		(void)vm_map_simplify_entry(map, entry_next(entry));
	vm_map_unlock(map);
	*address = start;
	return KERN_SUCCESS;
}

kern_return_t
vm_map_find_space_kernel(vm_map_t map, vm_map_offset_t *address, vm_map_size_t size,
    vm_map_offset_t mask, boolean_t guard_first, boolean_t guard_last)
{
	vm_map_entry_t entry, after;
	vm_map_offset_t start;
	kern_return_t kr;

	if (map != kernel_map || size == 0 || !page_aligned(size))
		return KERN_INVALID_ARGUMENT;
	entry = entry_alloc();
	if (entry == VM_MAP_ENTRY_NULL)
		return KERN_RESOURCE_SHORTAGE;
	entry->vme_object = kernel_object;
	entry->protection = VM_PROT_READ | VM_PROT_WRITE;
	entry->max_protection = VM_PROT_READ | VM_PROT_WRITE;
	entry->inheritance = VM_INHERIT_NONE;
	entry->wired_count = 1;
	entry->guard_first = guard_first ? 1 : 0;
	entry->guard_last = guard_last ? 1 : 0;
	vm_map_lock(map);
	/*
	 * Align the caller's part, not the guard before it: find an aligned
	 * hole one alignment unit (less the guard) larger, and start the
	 * entry a guard's length before the next aligned address in it.
	 */
	if (guard_first && (mask | PAGE_MASK) != PAGE_MASK) {
		mask |= PAGE_MASK;
		kr = vm_map_find_space_locked(map, vm_map_min(map), size + mask + 1 - PAGE_SIZE,
		    mask, &start, &after);
		if (kr == KERN_SUCCESS)
			start += mask + 1 - PAGE_SIZE;
	} else {
		kr = vm_map_find_space_locked(map, vm_map_min(map), size, mask, &start, &after);
	}
	if (kr != KERN_SUCCESS) {
		vm_map_unlock(map);
		entry_free(map, entry);
		return kr;
	}
	vm_object_reference(kernel_object);
	entry->vme_offset = start - vm_map_min(map);
	vm_map_entry_link(map, after, entry, start, size);
	vm_map_unlock(map);
	*address = start;
	return KERN_SUCCESS;
}

kern_return_t
vm_map_remove_kernel(vm_map_t map, vm_map_offset_t addr, vm_map_size_t size)
{
	vm_map_entry_t entry;
	vm_map_offset_t start, end;

	vm_map_lock(map);
	if (!vm_map_lookup_entry(map, addr, &entry) || entry->vme_object != kernel_object) {
		vm_map_unlock(map);
		return KERN_INVALID_ADDRESS;
	}
	start = entry->vme_start + (entry->guard_first ? PAGE_SIZE : 0);
	end = entry->vme_end - (entry->guard_last ? PAGE_SIZE : 0);
	if (addr != start || round_page(size) != end - start) {
		vm_map_unlock(map);
		return KERN_INVALID_ARGUMENT;
	}
	vm_map_entry_delete(map, entry);
	vm_map_unlock(map);
	return KERN_SUCCESS;
}

/* --- protection, inheritance ------------------------------------------------------ */

kern_return_t
vm_map_protect(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end, vm_prot_t new_prot,
    boolean_t set_max)
{
	vm_map_entry_t entry;
	kern_return_t kr;

	if (!prot_valid(new_prot) || end < start || !page_aligned(start) || !page_aligned(end))
		return KERN_INVALID_ARGUMENT;
	if (start == end)
		return KERN_SUCCESS;
	if (!range_in_map(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lock(map);
	/* First check every entry: a refusal changes nothing. */
	if (!vm_map_lookup_entry(map, start, &entry)) {
		vm_map_unlock(map);
		return KERN_INVALID_ADDRESS;
	}
	for (vm_map_entry_t e = entry; e != VM_MAP_ENTRY_NULL && e->vme_start < end;
	    e = entry_next(e)) {
		vm_map_entry_t next = entry_next(e);

		if (e->vme_object == kernel_object ||
		    (!set_max && (new_prot & ~e->max_protection))) {
			vm_map_unlock(map);
			return KERN_PROTECTION_FAILURE;
		}
		if (e->vme_end < end && (next == VM_MAP_ENTRY_NULL || next->vme_start != e->vme_end)) {
			vm_map_unlock(map);
			return KERN_INVALID_ADDRESS;
		}
	}
	entry = vm_map_range_clip(map, start, end, &kr);
	if (entry == VM_MAP_ENTRY_NULL) {
		vm_map_unlock(map);
		return kr;
	}
	for (; entry != VM_MAP_ENTRY_NULL && entry->vme_start < end; entry = entry_next(entry)) {
		vm_prot_t old = entry->protection;

		if (set_max) {
			entry->max_protection = new_prot;
			entry->protection &= new_prot;
		} else {
			entry->protection = new_prot;
		}
		/* Rights taken away go from the pmap now; new ones come by fault. */
		if (old & ~entry->protection)
			pmap_protect(map->pmap, entry->vme_start, entry->vme_end, entry->protection);
	}
	map->timestamp++;
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return KERN_SUCCESS;
}

kern_return_t
vm_map_inherit(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end,
    vm_inherit_t new_inheritance)
{
	vm_map_entry_t entry;
	kern_return_t kr;

	if (new_inheritance > VM_INHERIT_LAST_VALID || end < start || !page_aligned(start) ||
	    !page_aligned(end))
		return KERN_INVALID_ARGUMENT;
	if (start == end)
		return KERN_SUCCESS;
	if (!range_in_map(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lock(map);
	entry = vm_map_range_clip(map, start, end, &kr);
	if (entry == VM_MAP_ENTRY_NULL) {
		vm_map_unlock(map);
		return kr;
	}
	for (; entry != VM_MAP_ENTRY_NULL && entry->vme_start < end; entry = entry_next(entry))
		entry->inheritance = new_inheritance;
	map->timestamp++;
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return KERN_SUCCESS;
}

/* --- wiring ------------------------------------------------------------------------ */

/*
 * Unwire [start, end) of entries that this call wired (their counts were
 * raised), undoing vm_map_wire_kernel halfway. Locks: [M] exclusive.
 */
static void
vm_map_unwire_locked(vm_map_t map, vm_map_entry_t entry, vm_map_offset_t end,
    boolean_t user_wire)
{
	for (; entry != VM_MAP_ENTRY_NULL && entry->vme_start < end; entry = entry_next(entry)) {
		if (entry->wired_count == 0)
			continue;
		if (user_wire)
			entry->user_wired_count--;
		if (--entry->wired_count == 0)
			entry_unwire_pages(map, entry);
	}
}

kern_return_t
vm_map_wire_kernel(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end,
    vm_prot_t access_type, boolean_t user_wire)
{
	vm_map_entry_t first, entry;
	kern_return_t kr;

	if (!prot_valid(access_type) || end < start || !page_aligned(start) ||
	    !page_aligned(end))
		return KERN_INVALID_ARGUMENT;
	if (start == end)
		return KERN_SUCCESS;
	if (!range_in_map(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lock(map);
	if (!vm_map_lookup_entry(map, start, &first)) {
		vm_map_unlock(map);
		return KERN_INVALID_ADDRESS;
	}
	for (entry = first; entry != VM_MAP_ENTRY_NULL && entry->vme_start < end;
	    entry = entry_next(entry)) {
		vm_map_entry_t next = entry_next(entry);

		if ((access_type & ~entry->protection) || entry->vme_object == kernel_object) {
			vm_map_unlock(map);
			return KERN_PROTECTION_FAILURE;
		}
		if (entry->vme_end < end &&
		    (next == VM_MAP_ENTRY_NULL || next->vme_start != entry->vme_end)) {
			vm_map_unlock(map);
			return KERN_INVALID_ADDRESS;
		}
		if (entry->wired_count == UINT16_MAX) {
			vm_map_unlock(map);
			return KERN_FAILURE;
		}
	}
	first = vm_map_range_clip(map, start, end, &kr);
	if (first == VM_MAP_ENTRY_NULL) {
		vm_map_unlock(map);
		return kr;
	}
	for (entry = first; entry != VM_MAP_ENTRY_NULL && entry->vme_start < end;
	    entry = entry_next(entry)) {
		if (entry->wired_count == 0) {
			for (vm_map_offset_t va = entry->vme_start; va < entry->vme_end;
			    va += PAGE_SIZE) {
				kr = vm_fault_wire_locked(map, entry, va);
				if (kr != KERN_SUCCESS) {
					/* Undo: this entry's pages so far, then the entries before. */
					for (vm_map_offset_t v = entry->vme_start; v < va; v += PAGE_SIZE)
						vm_fault_unwire_locked(map, entry, v);
					vm_map_unwire_locked(map, first, entry->vme_start, user_wire);
					vm_map_simplify_range(map, start, end);
					vm_map_unlock(map);
					return kr;
				}
			}
		}
		entry->wired_count++;
		if (user_wire)
			entry->user_wired_count++;
	}
	map->timestamp++;
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return KERN_SUCCESS;
}

kern_return_t
vm_map_unwire(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end, boolean_t user_wire)
{
	vm_map_entry_t entry;
	kern_return_t kr;

	if (end < start || !page_aligned(start) || !page_aligned(end))
		return KERN_INVALID_ARGUMENT;
	if (start == end)
		return KERN_SUCCESS;
	if (!range_in_map(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lock(map);
	if (!vm_map_lookup_entry(map, start, &entry)) {
		vm_map_unlock(map);
		return KERN_INVALID_ADDRESS;
	}
	for (vm_map_entry_t e = entry; e != VM_MAP_ENTRY_NULL && e->vme_start < end;
	    e = entry_next(e)) {
		vm_map_entry_t next = entry_next(e);

		if (e->wired_count == 0 || (user_wire && e->user_wired_count == 0) ||
		    e->vme_object == kernel_object) {
			vm_map_unlock(map);
			return KERN_INVALID_ARGUMENT;	/* not wired (that way) */
		}
		if (e->vme_end < end && (next == VM_MAP_ENTRY_NULL || next->vme_start != e->vme_end)) {
			vm_map_unlock(map);
			return KERN_INVALID_ADDRESS;
		}
	}
	entry = vm_map_range_clip(map, start, end, &kr);
	if (entry == VM_MAP_ENTRY_NULL) {
		vm_map_unlock(map);
		return kr;
	}
	vm_map_unwire_locked(map, entry, end, user_wire);
	map->timestamp++;
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return KERN_SUCCESS;
}

/* --- describing ------------------------------------------------------------------- */

kern_return_t
vm_map_region(vm_map_t map, vm_map_offset_t *address, vm_map_size_t *size,
    vm_region_flavor_t flavor, vm_region_info_t info, mach_msg_type_number_t *count)
{
	vm_map_entry_t entry;

	if (address == NULL || size == NULL || info == NULL || count == NULL)
		return KERN_INVALID_ARGUMENT;
	if (flavor == VM_REGION_BASIC_INFO_64) {
		if (*count < VM_REGION_BASIC_INFO_COUNT_64)
			return KERN_INVALID_ARGUMENT;
	} else if (flavor == VM_REGION_EXTENDED_INFO) {
		if (*count < VM_REGION_EXTENDED_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
	} else {
		return KERN_INVALID_ARGUMENT;
	}
	vm_map_lock_read(map);
	if (!vm_map_lookup_entry(map, *address, &entry))
		entry = entry != VM_MAP_ENTRY_NULL ? entry_next(entry) : entry_first(map);
	if (entry == VM_MAP_ENTRY_NULL) {
		vm_map_unlock_read(map);
		return KERN_INVALID_ADDRESS;
	}
	*address = entry->vme_start;
	*size = entry_size(entry);
	if (flavor == VM_REGION_BASIC_INFO_64) {
		struct vm_region_basic_info_64 *b = (struct vm_region_basic_info_64 *)info;

		memset(b, 0, sizeof(*b));
		b->protection = entry->protection;
		b->max_protection = entry->max_protection;
		b->inheritance = entry->inheritance;
		b->shared = entry->is_shared;
		b->offset = entry->vme_offset;
		b->behavior = VM_BEHAVIOR_DEFAULT;
		b->user_wired_count = entry->user_wired_count;
		*count = VM_REGION_BASIC_INFO_COUNT_64;
	} else {
		struct vm_region_extended_info *x = (struct vm_region_extended_info *)info;
		vm_object_t object = entry->vme_object;

		memset(x, 0, sizeof(*x));
		x->protection = entry->protection;
		x->user_tag = entry->alias;
		if (object == VM_OBJECT_NULL) {
			x->share_mode = SM_EMPTY;
		} else if (object == kernel_object) {
			x->share_mode = SM_PRIVATE;
			x->ref_count = 1;
			x->pages_resident = (unsigned)atop(entry_size(entry));
		} else {
			vm_object_lock(object);
			x->ref_count = object->ref_count;
			x->pages_resident = object->phys_contiguous ? 0 :
			    vm_object_chain_foreach(object, entry->vme_offset, entry_size(entry),
			    NULL, NULL);
			x->external_pager = !object->internal;
			if (object->named)
				x->share_mode = SM_TRUESHARED;
			else if (entry->is_shared || object->true_share)
				x->share_mode = SM_SHARED;
			else if (entry->needs_copy || object->ref_count > 1)
				x->share_mode = SM_COW;
			else
				x->share_mode = SM_PRIVATE;
			vm_object_unlock(object);
			x->shadow_depth = (unsigned short)vm_object_shadow_depth(object);
		}
		*count = VM_REGION_EXTENDED_INFO_COUNT;
	}
	vm_map_unlock_read(map);
	return KERN_SUCCESS;
}

/* --- fork ---------------------------------------------------------------------------- */

/*
 * The child's copy of one parent entry, by its inheritance. Returns the
 * child's entry (not yet linked), NULL with *kr KERN_SUCCESS for "none",
 * or NULL with an error. Locks: [M] exclusive of old_map.
 */
static vm_map_entry_t
vm_map_fork_entry(vm_map_t old_map, vm_map_entry_t old, kern_return_t *kr)
{
	vm_map_entry_t new;
	vm_object_t object = old->vme_object;

	*kr = KERN_SUCCESS;
	if (old->inheritance == VM_INHERIT_NONE || object == kernel_object)
		return VM_MAP_ENTRY_NULL;
	new = entry_alloc();
	if (new == VM_MAP_ENTRY_NULL) {
		*kr = KERN_RESOURCE_SHORTAGE;
		return VM_MAP_ENTRY_NULL;
	}
	if (old->inheritance == VM_INHERIT_SHARE ||
	    (object != VM_OBJECT_NULL && object->phys_contiguous)) {
		/* Both see one object: the parent's own, made now if need be. */
		if (object == VM_OBJECT_NULL) {
			object = vm_object_allocate(entry_size(old));
			if (object == VM_OBJECT_NULL)
				goto shortage;
			old->vme_object = object;
			old->vme_offset = 0;
		} else if (old->needs_copy) {
			if (!vm_object_shadow(&old->vme_object, &old->vme_offset, entry_size(old)))
				goto shortage;
			old->needs_copy = FALSE;
			object = old->vme_object;
		}
		vm_object_lock(object);
		object->true_share = TRUE;	/* no more symmetric copies of it */
		vm_object_unlock(object);
		old->is_shared = TRUE;
		entry_copy_attributes(new, old);
	} else if (object == VM_OBJECT_NULL) {
		/* Never touched: each side gets its own zeros later. */
		entry_copy_attributes(new, old);
	} else if (old->wired_count != 0 || object->true_share) {
		/*
		 * Wired pages must stay writable in the parent, and a shared
		 * object's other mappings cannot be write-protected: copy now.
		 */
		vm_object_t copy;

		if (vm_object_copy_slowly(object, old->vme_offset, entry_size(old), &copy) !=
		    KERN_SUCCESS)
			goto shortage;
		entry_copy_attributes(new, old);
		vm_object_deallocate(new->vme_object);
		new->vme_object = copy;
		new->vme_offset = 0;
		new->is_shared = FALSE;
	} else {
		/*
		 * Symmetric copy-on-write: both sides need a copy before writing.
		 * A shadow an earlier child no longer shares collapses first, so
		 * that a process forking again and again (a shell, init) keeps
		 * its chains short rather than one object longer per fork.
		 */
		vm_object_lock(object);
		if (object->shadow != VM_OBJECT_NULL)
			vm_object_collapse(object);
		vm_object_unlock(object);
		if (old->protection & VM_PROT_WRITE)
			pmap_protect(old_map->pmap, old->vme_start, old->vme_end,
			    old->protection & ~VM_PROT_WRITE);
		old->needs_copy = TRUE;
		entry_copy_attributes(new, old);
	}
	new->wired_count = 0;
	new->user_wired_count = 0;
	return new;

shortage:
	entry_free(old_map, new);
	*kr = KERN_RESOURCE_SHORTAGE;
	return VM_MAP_ENTRY_NULL;
}

vm_map_t
vm_map_fork(vm_map_t old_map)
{
	pmap_t pmap = pmap_create();
	vm_map_t new_map;
	vm_map_entry_t last = VM_MAP_ENTRY_NULL;

	if (pmap == PMAP_NULL)
		return VM_MAP_NULL;
	new_map = vm_map_create(pmap, vm_map_min(old_map), vm_map_max(old_map), TRUE);
	if (new_map == VM_MAP_NULL) {
		pmap_destroy(pmap);
		return VM_MAP_NULL;
	}
	vm_map_lock(old_map);
	for (vm_map_entry_t old = entry_first(old_map); old != VM_MAP_ENTRY_NULL;
	    old = entry_next(old)) {
		kern_return_t kr;
		vm_map_entry_t new = vm_map_fork_entry(old_map, old, &kr);

		if (new == VM_MAP_ENTRY_NULL) {
			if (kr == KERN_SUCCESS)
				continue;
			vm_map_unlock(old_map);
			vm_map_deallocate(new_map);
			return VM_MAP_NULL;
		}
		/* Nobody else sees new_map yet; its lock is for the invariants. */
		vm_map_lock(new_map);
		vm_map_entry_link(new_map, last, new, old->vme_start, entry_size(old));
		vm_map_unlock(new_map);
		last = new;
	}
	old_map->timestamp++;
	vm_map_unlock(old_map);
	return new_map;
}

/* --- checking ----------------------------------------------------------------------- */

int
vm_map_verify(vm_map_t map)
{
	vm_map_size_t size = 0;
	int err;

	vm_map_lock_read(map);
	err = vm_map_store_verify(&map->hdr);
	for (vm_map_entry_t e = entry_first(map); err == 0 && e != VM_MAP_ENTRY_NULL;
	    e = entry_next(e)) {
		size += entry_size(e);
		if (e->protection & ~e->max_protection)
			err = -20;
		else if (e->wired_count != 0 && e->needs_copy)
			err = -21;
		else if (e->user_wired_count > e->wired_count)
			err = -22;
		else if (e->vme_object != VM_OBJECT_NULL && e->vme_object != kernel_object &&
		    e->vme_offset + entry_size(e) > e->vme_object->vo_size)
			err = -23;
	}
	if (err == 0 && size != map->size)
		err = -24;
	vm_map_unlock_read(map);
	return err;
}

uint64_t
vm_map_entry_count(vm_map_t map)
{
	return vm_map_store_count(&map->hdr);
}

/* --- for vm_map_copy (vm_map_internal.h) ---------------------------------------------- */

vm_map_entry_t
vm_map_entry_successor(vm_map_entry_t entry)
{
	return entry_next(entry);
}

vm_map_entry_t
vm_map_clip_range_locked(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end,
    kern_return_t *kr)
{
	return vm_map_range_clip(map, start, end, kr);
}

kern_return_t
vm_map_delete_locked(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end)
{
	return vm_map_delete(map, start, end);
}

void
vm_map_simplify_range_locked(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end)
{
	vm_map_simplify_range(map, start, end);
}

vm_map_entry_t
vm_map_entry_create(void)
{
	return entry_alloc();
}

kern_return_t
vm_map_find_space_anywhere_locked(vm_map_t map, vm_map_size_t size, vm_map_offset_t *start,
    vm_map_entry_t *after)
{
	if (size == 0 || !page_aligned(size))
		return KERN_INVALID_ARGUMENT;
	return vm_map_find_space_locked(map, vm_map_min(map), size, 0, start, after);
}

void
vm_map_entry_insert_locked(vm_map_t map, vm_map_entry_t after, vm_map_entry_t entry,
    vm_map_offset_t start, vm_map_size_t size)
{
	vm_map_entry_link(map, after, entry, start, size);
}
