/*
 * vm_fault.c - the page-fault handler (vm_fault.h).
 */

#include "mach/vm/vm_fault.h"

static struct vm_fault_stats vm_fault_stats;

kern_return_t
vm_fault(struct vm_map *map, vm_map_offset_t vaddr, vm_prot_t fault_type,
    boolean_t change_wiring, int interruptible, pmap_t caller_pmap,
    vm_map_offset_t caller_pmap_addr)
{
	(void)map;
	(void)vaddr;
	(void)fault_type;
	(void)change_wiring;
	(void)interruptible;
	(void)caller_pmap;
	(void)caller_pmap_addr;
	__atomic_add_fetch(&vm_fault_stats.vfs_faults, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&vm_fault_stats.vfs_failures, 1, __ATOMIC_RELAXED);
	return KERN_INVALID_ADDRESS;
}

void
vm_fault_get_stats(struct vm_fault_stats *out)
{
	*out = vm_fault_stats;
}
