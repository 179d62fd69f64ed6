/*
 * vm_memory_entry.h - named entries: a handle on a range of a VM object,
 * so that another task (or the kernel) can map the same memory and see
 * every write to it (mach_make_memory_entry_64 and mach_vm_map).
 *
 *	vm_named_entry_t ne;
 *	memory_object_size_t size = 4 * PAGE_SIZE;
 *	kr = mach_make_memory_entry_64(task_a->map, &size, addr,
 *	    VM_PROT_READ | VM_PROT_WRITE, &ne, NULL);
 *	kr = mach_vm_map(task_b->map, &addr_b, size, 0, VM_FLAGS_ANYWHERE, ne, 0,
 *	    FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_SHARE);
 *	mach_memory_entry_deallocate(ne);
 *
 * Inside the kernel the entry is passed as a vm_named_entry_t; to user
 * space it travels as a send right to its port (IKOT_NAMED_ENTRY, made by
 * convert_named_entry_to_port), as in XNU. The port holds one reference
 * on the entry, dropped when the last send right to it goes (the port
 * then dies). The entry holds a reference on its object; its memory stays
 * as long as the entry or any mapping of it does.
 *
 * permission: the VM_PROT_* the entry grants (mappings of it may not ask
 * for more), or'ed with MAP_MEM_NAMED_CREATE to make a new anonymous
 * object of *size bytes instead of naming a range of target_map.
 *
 * Locks: the entry's reference count is atomic; its fields never change.
 */

#ifndef MACH_VM_VM_MEMORY_ENTRY_H
#define MACH_VM_VM_MEMORY_ENTRY_H

#include <stdint.h>

#include "mach/kern_return.h"
#include "mach/vm/vm_object.h"
#include "mach/vm_prot.h"
#include "mach/vm_types.h"

struct ipc_port;
struct vm_map;

#define MAP_MEM_NAMED_CREATE	0x020000	/* a new object, not a range of a map */
#define MAP_MEM_FLAGS_MASK	0x020000

struct vm_named_entry {
	uint32_t		ref_count;	/* [a] */
	vm_object_t		backing;	/* [I] with one reference */
	vm_object_offset_t	offset;		/* [I] of the range in backing */
	vm_object_size_t	size;		/* [I] of the range, page-rounded */
	vm_prot_t		protection;	/* [I] the most a mapping may have */
	struct ipc_port		*port;		/* [P] its port, once it has one */
};

typedef struct vm_named_entry *vm_named_entry_t;
#define VM_NAMED_ENTRY_NULL	((vm_named_entry_t)0)

/*
 * mach_make_memory_entry_64: a named entry for [offset, offset + *size)
 * of target_map (page-rounded outward; *size is set to the rounded size),
 * which must lie within one mapping that allows permission; or, with
 * MAP_MEM_NAMED_CREATE, for a new object of *size bytes. parent_handle,
 * if not NULL, names a range of that entry instead (offset relative to
 * it, permission within its protection).
 * Returns KERN_SUCCESS with *object_handle set (one reference);
 *   KERN_INVALID_ARGUMENT	size 0, wrapping, bad permission bits, a
 *				range beyond the parent or across mappings;
 *   KERN_INVALID_ADDRESS	nothing mapped at offset;
 *   KERN_PROTECTION_FAILURE	permission beyond what the mapping allows;
 *   KERN_RESOURCE_SHORTAGE.
 */
kern_return_t	mach_make_memory_entry_64(struct vm_map *target_map,
		    memory_object_size_t *size, memory_object_offset_t offset,
		    vm_prot_t permission, vm_named_entry_t *object_handle,
		    vm_named_entry_t parent_handle);

void		mach_memory_entry_reference(vm_named_entry_t entry);
/* mach_memory_entry_deallocate: drop a reference; the last frees the entry. */
void		mach_memory_entry_deallocate(vm_named_entry_t entry);

/* The entry's object, offset and size, for vm_map-level users. */
void		mach_memory_entry_range(vm_named_entry_t entry, vm_object_t *object,
		    vm_object_offset_t *offset, vm_object_size_t *size);

/*
 * The entry's port (the IPC lock not held for these):
 * convert_port_to_named_entry: the entry of a live IKOT_NAMED_ENTRY port,
 *   with a reference; NULL for any other port.
 * convert_named_entry_to_port: a send right to entry's port (made on first
 *   use), consuming the caller's reference; NULL if memory ran out (the
 *   reference is dropped then too).
 * mach_memory_entry_port_release: drop a send right to such a port.
 */
vm_named_entry_t convert_port_to_named_entry(struct ipc_port *port);
struct ipc_port	*convert_named_entry_to_port(vm_named_entry_t entry);
void		mach_memory_entry_port_release(struct ipc_port *port);

/*
 * mach_memory_entry_no_senders: the last send right to entry's port went
 * (ipc_kobject_no_senders, IPC lock held): the port dies and drops its
 * reference on the entry.
 */
void		mach_memory_entry_no_senders(struct ipc_port *port);

#endif /* MACH_VM_VM_MEMORY_ENTRY_H */
