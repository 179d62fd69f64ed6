/*
 * vm_map.c - address maps: creating and destroying them, and the entry
 * operations of vm_map.h.
 */

#include "mach/vm/vm_map.h"

#include "kernel/machine/vm_param.h"
#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/kern/zalloc.h"

static lck_grp_t vm_map_lck_grp;
static zone_t vm_map_zone;
static zone_t vm_map_entry_zone;
static struct vm_map kernel_map_store;
vm_map_t kernel_map;

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
	if (vm_map_zone == NULL || vm_map_entry_zone == NULL)
		panic("vm_map_bootstrap: no memory for the map zones");
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
	if (map == NULL)
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

boolean_t
vm_map_lookup_entry(vm_map_t map, vm_map_offset_t address, vm_map_entry_t *entry)
{
	struct vm_map_links *l;
	boolean_t found = vm_map_store_lookup(&map->hdr, address, &l);

	*entry = (vm_map_entry_t)l;
	return found;
}

kern_return_t
vm_map_remove(vm_map_t map, vm_map_offset_t start, vm_map_offset_t end)
{
	(void)map;
	(void)start;
	(void)end;
	return KERN_SUCCESS;
}

vm_map_t
vm_map_fork(vm_map_t old_map)
{
	(void)old_map;
	return VM_MAP_NULL;
}

uint64_t
vm_map_entry_count(vm_map_t map)
{
	return map->hdr.vmh_nentries;
}
