/*
 * vm_fault.c - the page-fault handler (vm_fault.h).
 *
 * A fault is resolved with the map locked shared, so faults on one map
 * run in parallel and are serialized only by the objects' locks. Giving
 * an entry its first object, or its own shadow before a copy-on-write
 * write, changes the entry: that needs the map exclusive, and the fault
 * starts again with it (vm_fault_page returns KERN_MEMORY_RESTART_COPY).
 */

#include "mach/vm/vm_fault.h"

#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_object.h"
#include "mach/vm/vm_page.h"

static struct vm_fault_stats vm_fault_stats;	/* [a] */

#define STAT_INC(field)	__atomic_add_fetch(&vm_fault_stats.field, 1, __ATOMIC_RELAXED)

/*
 * The heart of the fault handler: make the page at vaddr of entry
 * accessible for fault_type (private: copied up into the entry's own
 * object even for a read, as wiring wants), map it in pmap at paddr, and
 * wire it if wire. Locks: [M] held shared, or exclusive if exclusive;
 * returns KERN_MEMORY_RESTART_COPY when it needs the map exclusive.
 */
static kern_return_t
vm_fault_page(vm_map_entry_t entry, vm_map_offset_t vaddr, vm_prot_t fault_type,
    boolean_t private, boolean_t wire, boolean_t exclusive, pmap_t pmap,
    vm_map_offset_t paddr)
{
	vm_object_t object, owner;
	vm_object_offset_t offset;
	struct vm_page *m;
	vm_prot_t prot;
	kern_return_t kr;
	boolean_t want_own = private || (fault_type & VM_PROT_WRITE);
	boolean_t owner_locked = FALSE;	/* a backing object's lock, held */

	if (entry->vme_object == kernel_object)
		return KERN_INVALID_ADDRESS;	/* a kmem guard page, or a bug */
	if (entry->vme_object == VM_OBJECT_NULL || (entry->needs_copy && want_own)) {
		if (!exclusive)
			return KERN_MEMORY_RESTART_COPY;
		if ((kr = vm_map_entry_make_private(entry)) != KERN_SUCCESS)
			return kr;
	}
	object = entry->vme_object;
	offset = entry->vme_offset + (vaddr - entry->vme_start);
	prot = entry->protection;
	if (entry->needs_copy)
		prot &= ~VM_PROT_WRITE;		/* reads only until it has its own copy */

	if (object->phys_contiguous) {
		/* Device memory: the page is simply there. */
		return pmap_enter(pmap, paddr, (ppnum_t)atop(object->vo_phys_base + offset), prot,
		    object->wimg_bits | (wire ? PMAP_WIRED : 0));
	}

	vm_object_lock(object);
	if (object->shadow != VM_OBJECT_NULL)
		vm_object_collapse(object);	/* a shadow nobody else needs goes now */
	m = vm_object_chain_lookup(object, offset, &owner);
	if (m != NULL && owner != object) {
		if (want_own) {
			/* Copy-on-write: the entry's object gets its own copy. */
			struct vm_page *copy = vm_page_grab(VM_PAGE_USE_OBJECT);

			if (copy != NULL)
				memcpy(phystokv(vm_page_to_phys(copy)), phystokv(vm_page_to_phys(m)),
				    PAGE_SIZE);
			/*
			 * Whoever else reaches the old page through this object
			 * must see the copy from now on: drop their mappings.
			 */
			if (copy != NULL && object->ref_count > 1)
				pmap_disconnect(m->vmp_phys_page);
			vm_object_unlock(owner);
			if (copy == NULL) {
				vm_object_unlock(object);
				return KERN_RESOURCE_SHORTAGE;
			}
			vm_object_page_insert(object, copy, offset);
			m = copy;
			STAT_INC(vfs_cow_copies);
		} else {
			/* Read a page further down: it stays shared, read-only. */
			prot &= ~VM_PROT_WRITE;
			owner_locked = TRUE;
		}
	} else if (m == NULL) {
		/* Nowhere in the chain: zeros, in the entry's own object. */
		m = vm_page_grab_zeroed(VM_PAGE_USE_OBJECT);
		if (m == NULL) {
			vm_object_unlock(object);
			return KERN_RESOURCE_SHORTAGE;
		}
		vm_object_page_insert(object, m, offset);
		STAT_INC(vfs_zero_fills);
	}
	if (wire)
		vm_page_wire(m);
	kr = pmap_enter(pmap, paddr, m->vmp_phys_page, prot, wire ? PMAP_WIRED : 0);
	if (kr != KERN_SUCCESS && wire)
		vm_page_unwire(m);
	if (owner_locked)
		vm_object_unlock(owner);
	vm_object_unlock(object);
	return kr;
}

kern_return_t
vm_fault(struct vm_map *map, vm_map_offset_t vaddr, vm_prot_t fault_type,
    boolean_t change_wiring, int interruptible, pmap_t caller_pmap,
    vm_map_offset_t caller_pmap_addr)
{
	vm_map_entry_t entry;
	pmap_t pmap = caller_pmap != PMAP_NULL ? caller_pmap : vm_map_pmap(map);
	kern_return_t kr;
	boolean_t exclusive = FALSE;

	(void)interruptible;		/* nothing here waits: no pager to wait for */
	STAT_INC(vfs_faults);
	vaddr = trunc_page(vaddr);
	if (caller_pmap == PMAP_NULL)
		caller_pmap_addr = vaddr;
	for (;;) {
		if (exclusive)
			vm_map_lock(map);
		else
			vm_map_lock_read(map);
		if (!vm_map_lookup_entry(map, vaddr, &entry))
			kr = KERN_INVALID_ADDRESS;
		else if (fault_type & ~entry->protection)
			kr = KERN_PROTECTION_FAILURE;
		else
			kr = vm_fault_page(entry, vaddr, fault_type, change_wiring, change_wiring,
			    exclusive, pmap, caller_pmap_addr);
		if (exclusive)
			vm_map_unlock(map);
		else
			vm_map_unlock_read(map);
		if (kr != KERN_MEMORY_RESTART_COPY)
			break;
		exclusive = TRUE;
	}
	if (kr != KERN_SUCCESS)
		STAT_INC(vfs_failures);
	return kr;
}

kern_return_t
vm_fault_wire_locked(struct vm_map *map, struct vm_map_entry *entry, vm_map_offset_t vaddr)
{
	vm_prot_t type = entry->protection & (VM_PROT_READ | VM_PROT_WRITE);

	return vm_fault_page(entry, vaddr, type, TRUE, TRUE, TRUE, vm_map_pmap(map), vaddr);
}

void
vm_fault_unwire_locked(struct vm_map *map, struct vm_map_entry *entry, vm_map_offset_t vaddr)
{
	vm_object_t object = entry->vme_object;
	struct vm_page *m;

	(void)map;
	if (object == VM_OBJECT_NULL || object->phys_contiguous)
		return;
	/* Wiring put the page in the entry's own object, and it stays there. */
	vm_object_lock(object);
	m = vm_object_page_lookup(object, entry->vme_offset + (vaddr - entry->vme_start));
	if (m == NULL)
		panic("vm_fault_unwire: no page at 0x%llx of a wired entry",
		    (unsigned long long)vaddr);
	vm_page_unwire(m);
	vm_object_unlock(object);
}

void
vm_fault_get_stats(struct vm_fault_stats *out)
{
	out->vfs_faults = __atomic_load_n(&vm_fault_stats.vfs_faults, __ATOMIC_RELAXED);
	out->vfs_zero_fills = __atomic_load_n(&vm_fault_stats.vfs_zero_fills, __ATOMIC_RELAXED);
	out->vfs_cow_copies = __atomic_load_n(&vm_fault_stats.vfs_cow_copies, __ATOMIC_RELAXED);
	out->vfs_failures = __atomic_load_n(&vm_fault_stats.vfs_failures, __ATOMIC_RELAXED);
}
