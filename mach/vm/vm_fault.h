/*
 * vm_fault.h - the page-fault handler: make an access to a map's address
 * possible, or say why not.
 *
 * vm_fault() is what the machine's trap handler calls for a page fault on
 * a user address (from user mode, or from copyin and copyout in the
 * kernel), and what wiring calls to make pages resident. It finds the map
 * entry, checks the access against the entry's protection, and finds or
 * makes the page down the entry's object chain:
 *
 *   - a page in the entry's own object is mapped as it is;
 *   - a page found further down the shadow chain is mapped read-only for
 *     a read, and copied up into the entry's object for a write (the
 *     copy-on-write break), after giving a needs_copy entry its own
 *     shadow object;
 *   - a page found nowhere is zero-filled into the entry's object.
 *
 * Returns KERN_SUCCESS (the access can be retried), or
 *   KERN_INVALID_ADDRESS		nothing is mapped there;
 *   KERN_PROTECTION_FAILURE	the entry does not allow the access;
 *   KERN_RESOURCE_SHORTAGE	no memory for a page or a page table.
 * The trap handler turns a failure into an exception for a user thread
 * (EXC_BAD_ACCESS, code = the return, subcode = the address), or into the
 * recovery path of copyin.
 *
 * Locks: takes the map lock shared (exclusive briefly, to give an entry its
 * first object or shadow) and the objects' locks. Called with none held,
 * with interrupts on and preemption enabled: it may block.
 */

#ifndef MACH_VM_VM_FAULT_H
#define MACH_VM_VM_FAULT_H

#include "mach/boolean.h"
#include "mach/kern_return.h"
#include "mach/vm/pmap.h"
#include "mach/vm_prot.h"
#include "mach/vm_types.h"

struct vm_map;

/*
 * vm_fault: resolve an access of fault_type at vaddr in map. With
 * change_wiring, also wire the page (vm_map_wire's use). caller_pmap, if
 * not NULL, is where to enter the page instead of the map's own pmap, at
 * caller_pmap_addr. interruptible is THREAD_UNINT or THREAD_ABORTSAFE.
 */
kern_return_t	vm_fault(struct vm_map *map, vm_map_offset_t vaddr, vm_prot_t fault_type,
		    boolean_t change_wiring, int interruptible, pmap_t caller_pmap,
		    vm_map_offset_t caller_pmap_addr);

/*
 * For vm_map's wiring, with the map locked exclusive and entry the entry
 * at vaddr: vm_fault_wire_locked makes the page at vaddr resident in the
 * entry's own object (copying it up or zero-filling it if it is not
 * there, giving the entry its object or shadow first), wires it and maps
 * it wired; KERN_RESOURCE_SHORTAGE if memory ran out. vm_fault_unwire_
 * locked undoes it for one page.
 */
struct vm_map_entry;
kern_return_t	vm_fault_wire_locked(struct vm_map *map, struct vm_map_entry *entry,
		    vm_map_offset_t vaddr);
void		vm_fault_unwire_locked(struct vm_map *map, struct vm_map_entry *entry,
		    vm_map_offset_t vaddr);

/* What the fault handler did, ever; for tests, benchmarks and debuggers. */
struct vm_fault_stats {
	uint64_t	vfs_faults;		/* calls */
	uint64_t	vfs_zero_fills;		/* pages zero-filled */
	uint64_t	vfs_cow_copies;		/* pages copied on write */
	uint64_t	vfs_failures;		/* calls that returned an error */
};

void		vm_fault_get_stats(struct vm_fault_stats *out);

#endif /* MACH_VM_VM_FAULT_H */
