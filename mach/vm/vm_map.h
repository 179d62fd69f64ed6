/*
 * vm_map.h - address maps: what each range of an address space maps.
 *
 * A vm_map is one task's address space (or the kernel's, kernel_map): a
 * set of non-overlapping entries, each mapping [vme_start, vme_end) onto
 * a VM object at an offset, with
 *
 *   protection		what the range may be accessed with now;
 *   max_protection	the most vm_protect may ever raise it to;
 *   inheritance	what task_create gives a child (vm_inherit.h);
 *   needs_copy		the object is shared copy-on-write: the first write
 *			through this entry gives it a shadow of its own;
 *   is_shared		another map maps the same object (share mode);
 *   wired_count	how often the range was wired: its pages stay
 *			resident and mapped (user_wired_count of those
 *			were asked for by the task itself).
 *
 * An entry with no object yet (VM_OBJECT_NULL) is anonymous memory never
 * touched: the first fault gives it one. Entries are kept by
 * vm_map_store, in an address-ordered list and a red-black tree, so
 * looking up an address and finding free space are O(log n). Adjacent
 * entries that could be one (same attributes, contiguous in the same
 * object or both without one) are merged when they are created or changed
 * (vm_map_simplify), so a map does not fragment as ranges are protected
 * and unprotected.
 *
 * The pmap holds a subset of what the map says: the fault handler enters
 * pages on demand, and anything not wired may be dropped from the pmap at
 * any time.
 *
 * Invariants:
 *   - entries lie in [min_offset, max_offset), page-aligned, disjoint;
 *   - protection is a subset of max_protection;
 *   - size is the sum of the entries' sizes;
 *   - every entry holds one reference on its object;
 *   - a wired entry is backed (its pages resident) and never needs_copy.
 *
 * Locks for struct vm_map:
 *   [M] the map's lock, a lck_rw: shared for lookups and faults,
 *       exclusive to change entries
 *   [I] set at creation
 *   [a] atomic
 * Lock order: the map lock, then the objects' locks (vm_object.h), then
 * the pmap. Two maps are never locked at once, except by vm_map_fork,
 * which locks the parent and then the child it is building (nothing else
 * can see it yet).
 */

#ifndef MACH_VM_VM_MAP_H
#define MACH_VM_VM_MAP_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/kern/locks.h"
#include "mach/kern_return.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map_store.h"
#include "mach/vm/vm_object.h"
#include "mach/vm_inherit.h"
#include "mach/vm_prot.h"
#include "mach/vm_region.h"
#include "mach/vm_statistics.h"
#include "mach/vm_types.h"

struct vm_map_entry {
	struct vm_map_links	vme_links;	/* [M] must be first (vm_map_store.h) */
	vm_object_t		vme_object;	/* [M] backing object, or NULL */
	vm_object_offset_t	vme_offset;	/* [M] offset of vme_start in it */
	vm_prot_t		protection;	/* [M] */
	vm_prot_t		max_protection;	/* [M] */
	vm_inherit_t		inheritance;	/* [M] */
	uint16_t		wired_count;	/* [M] kernel and user wirings */
	uint16_t		user_wired_count; /* [M] the task's own */
	uint8_t			alias;		/* [M] VM_MEMORY_* tag */
	uint8_t			needs_copy : 1;	/* [M] */
	uint8_t			is_shared : 1;	/* [M] */
	uint8_t			guard_first : 1; /* [M] kmem: first page unmapped */
	uint8_t			guard_last : 1;	/* [M] kmem: last page unmapped */
};

#define vme_start	vme_links.vml_start
#define vme_end		vme_links.vml_end

typedef struct vm_map_entry *vm_map_entry_t;
#define VM_MAP_ENTRY_NULL	((vm_map_entry_t)0)

struct vm_map {
	lck_rw_t		lock;
	struct vm_map_header	hdr;		/* [M] the entries */
	pmap_t			pmap;		/* [I] */
	vm_map_size_t		size;		/* [M] bytes mapped */
	uint32_t		ref_count;	/* [a] */
	uint32_t		timestamp;	/* [M] bumped by every change */
	vm_map_entry_t		hint;		/* [M] last entry looked up */
	boolean_t		wiring_required; /* [I] kernel_map: all wired */
};

typedef struct vm_map *vm_map_t;
#define VM_MAP_NULL	((vm_map_t)0)

extern vm_map_t kernel_map;

#define vm_map_min(map)		((map)->hdr.vmh_min)
#define vm_map_max(map)		((map)->hdr.vmh_max)
#define vm_map_pmap(map)	((map)->pmap)

/* vm_map_bootstrap: the map and entry zones, kernel_map. */
void		vm_map_bootstrap(void);

/*
 * vm_map_create: an empty map over [min, max) using pmap (the map takes
 * over the caller's reference on it), with one reference. NULL if memory
 * ran out or the bounds are bad.
 */
vm_map_t	vm_map_create(pmap_t pmap, vm_map_offset_t min, vm_map_offset_t max,
		    boolean_t pageable);

void		vm_map_reference(vm_map_t map);

/*
 * vm_map_deallocate: drop a reference; the last one removes every entry
 * and destroys the pmap.
 */
void		vm_map_deallocate(vm_map_t map);

#define vm_map_lock(map)		lck_rw_lock_exclusive(&(map)->lock)
#define vm_map_unlock(map)		lck_rw_unlock_exclusive(&(map)->lock)
#define vm_map_lock_read(map)		lck_rw_lock_shared(&(map)->lock)
#define vm_map_unlock_read(map)		lck_rw_unlock_shared(&(map)->lock)

/*
 * vm_map_lookup_entry: the entry containing address (TRUE), or the one
 * below it (FALSE; NULL if none). Locks: [M] held, either way.
 */
boolean_t	vm_map_lookup_entry(vm_map_t map, vm_map_offset_t address,
		    vm_map_entry_t *entry);

/*
 * vm_map_enter: map object (NULL: fresh anonymous memory) at offset into
 * the range *address, size bytes. Placement by flags (vm_statistics.h):
 * VM_FLAGS_ANYWHERE finds space with (address & mask) == 0; FIXED uses
 * *address, which must be free unless VM_FLAGS_OVERWRITE. With copy, the
 * range gets a copy of the object (copy-on-write when the object allows,
 * otherwise at once) rather than the object itself. The map takes a new
 * reference on object.
 * Returns KERN_SUCCESS with *address set;
 *   KERN_INVALID_ARGUMENT	size 0, unaligned fixed address, a fixed range
 *				that wraps, bad flags, cur_protection beyond
 *				max_protection, bad inheritance, an object
 *				range beyond the object;
 *   KERN_INVALID_ADDRESS	fixed range outside the map;
 *   KERN_NO_SPACE		no room, or a fixed range already in use;
 *   KERN_RESOURCE_SHORTAGE	memory for the entry or a copy ran out.
 */
kern_return_t	vm_map_enter(vm_map_t map, vm_map_offset_t *address, vm_map_size_t size,
		    vm_map_offset_t mask, int flags, vm_object_t object,
		    vm_object_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
		    vm_prot_t max_protection, vm_inherit_t inheritance);

/*
 * vm_map_remove: unmap [start, end), wherever something is mapped in it
 * (holes are fine). The range is rounded out to pages. KERN_INVALID_
 * ARGUMENT if it wraps or leaves the map.
 */
kern_return_t	vm_map_remove(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end);

/*
 * vm_map_protect: set the protection (set_max: the maximum protection,
 * which can only be lowered, and lowers the current one with it) of
 * [start, end), which must be mapped throughout. Entries are split at the
 * ends. KERN_PROTECTION_FAILURE if new_prot exceeds an entry's maximum
 * (then nothing changed); KERN_INVALID_ADDRESS for a hole.
 */
kern_return_t	vm_map_protect(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end,
		    vm_prot_t new_prot, boolean_t set_max);

/* vm_map_inherit: set the inheritance of [start, end), mapped throughout. */
kern_return_t	vm_map_inherit(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end,
		    vm_inherit_t new_inheritance);

/*
 * vm_map_wire_kernel: fault in [start, end) with access_type and keep it
 * resident and mapped until vm_map_unwire (user_wire: on the task's
 * behalf, counted apart). KERN_RESOURCE_SHORTAGE if memory ran out (what
 * was wired by this call is unwired again), KERN_PROTECTION_FAILURE if
 * access_type exceeds the protection, KERN_INVALID_ADDRESS for a hole.
 */
kern_return_t	vm_map_wire_kernel(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end,
		    vm_prot_t access_type, boolean_t user_wire);
kern_return_t	vm_map_unwire(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end,
		    boolean_t user_wire);

/*
 * vm_map_region: the first mapped range at or above *address, described
 * by flavor into info (*count words available in, used out). *address
 * and *size are set to the range. KERN_INVALID_ADDRESS if nothing is
 * mapped at or above; KERN_INVALID_ARGUMENT for a bad flavor or a count
 * too small.
 */
kern_return_t	vm_map_region(vm_map_t map, vm_map_offset_t *address, vm_map_size_t *size,
		    vm_region_flavor_t flavor, vm_region_info_t info,
		    mach_msg_type_number_t *count);

/*
 * vm_map_fork: a new map for a child task, built from old_map by each
 * entry's inheritance (vm_inherit.h), with a new pmap. NULL if memory ran
 * out (nothing is left behind).
 */
vm_map_t	vm_map_fork(vm_map_t old_map);

/*
 * vm_map_entry_make_private: give entry an object of its own to write
 * into: its first, if it has none yet, or a shadow of its copy-on-write
 * one (needs_copy is cleared). KERN_RESOURCE_SHORTAGE if memory ran out.
 * Locks: [M] exclusive.
 */
kern_return_t	vm_map_entry_make_private(vm_map_entry_t entry);

/*
 * vm_map_share_object: the object behind [start, start + size), which
 * must lie in one entry whose max_protection allows permission, for
 * another map to share (named entries): the entry is given its own
 * object first if it has none or it is copy-on-write, and the object is
 * marked shared (true_share, named). Returns it in *object with a new
 * reference, and the range's offset in it.
 * KERN_INVALID_ADDRESS (nothing mapped at start), KERN_INVALID_ARGUMENT
 * (size 0, wrapping, or more than one entry), KERN_PROTECTION_FAILURE,
 * KERN_RESOURCE_SHORTAGE.
 */
kern_return_t	vm_map_share_object(vm_map_t map, vm_map_offset_t start, vm_map_size_t size,
		    vm_prot_t permission, vm_object_t *object, vm_object_offset_t *offset);

/*
 * vm_map_switch: make map the current thread's address space (a kernel
 * thread borrowing a task's, to copyin from it), returning the one it had.
 * The caller holds a reference on map for as long as it is switched in.
 */
vm_map_t	vm_map_switch(vm_map_t map);

/*
 * For kmem (vm_kern.c): reserve size bytes of kernel_map for wired pages
 * of kernel_object, the first and last page left unmapped if asked
 * (guards), the part between them aligned to mask; and remove such a
 * reservation given the address and size of that part (its pages are
 * freed). vm_map_remove_kernel returns KERN_INVALID_ADDRESS if addr is in
 * no kmem reservation, KERN_INVALID_ARGUMENT if addr and size are not
 * exactly its part.
 */
kern_return_t	vm_map_find_space_kernel(vm_map_t map, vm_map_offset_t *address,
		    vm_map_size_t size, vm_map_offset_t mask, boolean_t guard_first,
		    boolean_t guard_last);
kern_return_t	vm_map_remove_kernel(vm_map_t map, vm_map_offset_t addr, vm_map_size_t size);

/* vm_map_verify: check the invariants above; 0 if they hold. For tests. */
int		vm_map_verify(vm_map_t map);

/* Counts for tests and debuggers. */
uint64_t	vm_map_entry_count(vm_map_t map);

#endif /* MACH_VM_VM_MAP_H */
