/*
 * vm_map_internal.h - the entry-level primitives of vm_map.c, for the rest
 * of mach/vm (vm_map_copy.c) and nobody else.
 *
 * These work on a map the caller has locked exclusive ([M] in vm_map.h)
 * and keep its invariants, except where a function says what the caller
 * must finish. They are the same steps vm_map.c's own operations are built
 * from: clip a range to whole entries, change the entries, merge again.
 */

#ifndef MACH_VM_VM_MAP_INTERNAL_H
#define MACH_VM_VM_MAP_INTERNAL_H

#include "mach/vm/vm_map.h"

/* The entry above entry, or NULL. Locks: [M] held. */
vm_map_entry_t	vm_map_entry_successor(vm_map_entry_t entry);

/*
 * The entry beginning at start, after clipping the entries at start and
 * end, if [start, end) is mapped without holes; NULL with *kr set
 * otherwise (KERN_INVALID_ADDRESS, or KERN_RESOURCE_SHORTAGE for a clip
 * that found no memory). A clip changes nothing a task can see.
 * Locks: [M] exclusive.
 */
vm_map_entry_t	vm_map_clip_range_locked(vm_map_t map, vm_map_offset_t start,
		    vm_map_offset_t end, kern_return_t *kr);

/*
 * Remove whatever is mapped in [start, end) (page-aligned). Fails only
 * when an entry straddling an end cannot be clipped, before removing
 * anything. Locks: [M] exclusive.
 */
kern_return_t	vm_map_delete_locked(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end);

/* Merge alike neighbours from below start to above end. Locks: [M] exclusive. */
void		vm_map_simplify_range_locked(vm_map_t map, vm_map_offset_t start,
		    vm_map_offset_t end);

/* A zeroed entry, in no map; NULL if memory ran out. */
vm_map_entry_t	vm_map_entry_create(void);

/*
 * Free room for size bytes (page-aligned) anywhere in map: *start, and
 * the entry below it in *after (NULL if none). KERN_NO_SPACE if there is
 * none. Locks: [M] held.
 */
kern_return_t	vm_map_find_space_anywhere_locked(vm_map_t map, vm_map_size_t size,
		    vm_map_offset_t *start, vm_map_entry_t *after);

/*
 * Link entry, whose other fields are set and whose object reference the
 * map takes over, at [start, start + size), which must be free, just
 * above after (NULL: lowest). Counts it in map->size. Locks: [M] exclusive.
 */
void		vm_map_entry_insert_locked(vm_map_t map, vm_map_entry_t after,
		    vm_map_entry_t entry, vm_map_offset_t start, vm_map_size_t size);

#endif /* MACH_VM_VM_MAP_INTERNAL_H */
