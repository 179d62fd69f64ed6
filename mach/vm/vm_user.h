/*
 * vm_user.h - the Mach VM interface: what a task asks of an address space
 * (its own, or another task's it holds the port of), and what kernel code
 * and extensions use on kernel_map or a task's map.
 *
 *	mach_vm_address_t addr = 0;
 *	kr = mach_vm_allocate(task->map, &addr, 4 * PAGE_SIZE, VM_FLAGS_ANYWHERE);
 *	kr = mach_vm_protect(task->map, addr, PAGE_SIZE, FALSE, VM_PROT_READ);
 *	kr = mach_vm_deallocate(task->map, addr, 4 * PAGE_SIZE);
 *
 * Memory from mach_vm_allocate reads as zeros and costs nothing until it
 * is touched (each page is zero-filled on its first fault). The legacy
 * vm_* names are the same calls on vm_address_t (which is 64 bits here).
 *
 * Arguments (checked before anything changes):
 *   - addresses must be page-aligned, sizes are rounded up to pages, and
 *     a size of 0 is a successful no-op (mach_vm_allocate returns 0 as
 *     the address), as in XNU;
 *   - KERN_INVALID_ARGUMENT for an unaligned address, a range that wraps
 *     or a size that overflows when rounded, a bad flag, protection or
 *     inheritance value, or a null map;
 *   - KERN_INVALID_ADDRESS for a range outside the map, or (protect,
 *     inherit, wire) one with a hole in it;
 *   - KERN_NO_SPACE when a fixed range is in use or nothing is free;
 *   - KERN_PROTECTION_FAILURE when vm_protect asks for more than an
 *     entry's max_protection (nothing changes);
 *   - KERN_RESOURCE_SHORTAGE when memory for the map's records, a copy or
 *     a wiring ran out (nothing is left behind).
 *
 * Locks: each call takes the map's lock; none may be held by the caller.
 */

#ifndef MACH_VM_VM_USER_H
#define MACH_VM_VM_USER_H

#include "mach/ipc/ipc_types.h"
#include "mach/kern_return.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_map_copy.h"
#include "mach/vm/vm_memory_entry.h"
#include "mach/vm_types.h"

kern_return_t	mach_vm_allocate(vm_map_t map, mach_vm_address_t *addr, mach_vm_size_t size,
		    int flags);
kern_return_t	mach_vm_deallocate(vm_map_t map, mach_vm_address_t start, mach_vm_size_t size);
kern_return_t	mach_vm_protect(vm_map_t map, mach_vm_address_t start, mach_vm_size_t size,
		    boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t	mach_vm_inherit(vm_map_t map, mach_vm_address_t start, mach_vm_size_t size,
		    vm_inherit_t new_inheritance);

/*
 * mach_vm_map_kernel: map a named entry's memory (NULL: fresh anonymous
 * memory), from offset in it, into map: shared, or with copy a private
 * copy of what it holds now. cur and max protections may not exceed the
 * entry's (KERN_PROTECTION_FAILURE); offset + size may not pass its end
 * (KERN_INVALID_ARGUMENT).
 * mach_vm_map: the same with the entry named by its port (the
 * interface's: mach_vm.defs); IP_NULL for anonymous memory; a port that
 * is not a named entry's is KERN_INVALID_ARGUMENT. On success the
 * caller's send right for object is consumed (the request's), not on
 * failure.
 */
kern_return_t	mach_vm_map_kernel(vm_map_t target_map, mach_vm_address_t *address,
		    mach_vm_size_t size, mach_vm_offset_t mask, int flags,
		    vm_named_entry_t entry, memory_object_offset_t offset, boolean_t copy,
		    vm_prot_t cur_protection, vm_prot_t max_protection,
		    vm_inherit_t inheritance);
kern_return_t	mach_vm_map(vm_map_t target_map, mach_vm_address_t *address,
		    mach_vm_size_t size, mach_vm_offset_t mask, int flags,
		    ipc_port_t object, memory_object_offset_t offset, boolean_t copy,
		    vm_prot_t cur_protection, vm_prot_t max_protection,
		    vm_inherit_t inheritance);

/*
 * mach_vm_region: describe the first range mapped at or above *address
 * (vm_region.h). object_name, if not NULL, is set to IP_NULL (XNU returns
 * no object port either).
 */
kern_return_t	mach_vm_region(vm_map_t map, mach_vm_address_t *address, mach_vm_size_t *size,
		    vm_region_flavor_t flavor, vm_region_info_t info,
		    mach_msg_type_number_t *count, ipc_port_t *object_name);

/*
 * _mach_make_memory_entry: mach_make_memory_entry_64 (vm_memory_entry.h)
 * for the interface: the entry comes back as a send right to its port
 * (IKOT_NAMED_ENTRY); parent_handle is such a port or IP_NULL (another
 * kind of port: KERN_INVALID_ARGUMENT). The entry lives until the last
 * send right to its port goes (and any mappings of it beyond that).
 */
kern_return_t	_mach_make_memory_entry(vm_map_t target_map, memory_object_size_t *size,
		    memory_object_offset_t offset, vm_prot_t permission,
		    ipc_port_t *object_handle, ipc_port_t parent_handle);

/*
 * mach_vm_wire: keep [start, start + size) resident and mapped with at
 * least access (VM_PROT_NONE unwires instead), on the task's behalf.
 */
kern_return_t	mach_vm_wire(vm_map_t map, mach_vm_address_t start, mach_vm_size_t size,
		    vm_prot_t access);

/*
 * Reading and writing another task's memory (XNU's semantics; the copy
 * is the message's out-of-line data when these come by IPC):
 *
 * mach_vm_read: a copy of [addr, addr + size) of map, any alignment
 *   (vm_map_copyin without destroy: copy-on-write above
 *   VM_MAP_COPY_KBUF_MAX bytes), as a vm_map_copy_t in *data (XNU's
 *   pointer_t: the reply's out-of-line memory), *data_size = size. The
 *   caller owns the copy: it copies it out or discards it. size 0 gives
 *   VM_MAP_COPY_NULL; a size beyond a message's count is
 *   KERN_INVALID_ARGUMENT.
 * mach_vm_write: write data (a vm_map_copy_t of data_size bytes, the
 *   request's out-of-line memory) over [addr, addr + data_size) of map,
 *   which must be mapped and writable (vm_map_copy_overwrite). Consumes
 *   data on success only.
 * mach_vm_copy: copy [src, src + size) of map over [dst, dst + size) of
 *   the same map, as if through a buffer (overlap is fine): a read
 *   then a write.
 * mach_vm_read_overwrite: copy [addr, addr + size) of map over
 *   [data, data + size) of the calling thread's own map; *outsize = size.
 * Returns: vm_map_copyin's and vm_map_copy_overwrite's (vm_map_copy.h);
 *   KERN_INVALID_ARGUMENT for a null map or pointer.
 */
kern_return_t	mach_vm_read(vm_map_t map, mach_vm_address_t addr, mach_vm_size_t size,
		    vm_offset_t *data, mach_msg_type_number_t *data_size);
kern_return_t	mach_vm_write(vm_map_t map, mach_vm_address_t addr, vm_offset_t data,
		    mach_msg_type_number_t data_size);
kern_return_t	mach_vm_copy(vm_map_t map, mach_vm_address_t source_address,
		    mach_vm_size_t size, mach_vm_address_t dest_address);
kern_return_t	mach_vm_read_overwrite(vm_map_t map, mach_vm_address_t addr,
		    mach_vm_size_t size, mach_vm_address_t data, mach_vm_size_t *outsize);

/* The legacy names. */
#define vm_allocate(map, addr, size, flags) \
	mach_vm_allocate((map), (mach_vm_address_t *)(addr), (size), (flags))
#define vm_deallocate		mach_vm_deallocate
#define vm_protect		mach_vm_protect
#define vm_inherit		mach_vm_inherit
#define vm_read			mach_vm_read
#define vm_write		mach_vm_write
#define vm_copy			mach_vm_copy
#define vm_read_overwrite	mach_vm_read_overwrite
#define vm_map(map, addr, size, mask, flags, entry, offset, copy, cur, max, inh) \
	mach_vm_map_kernel((map), (mach_vm_address_t *)(addr), (size), (mask), (flags), (entry), \
	    (offset), (copy), (cur), (max), (inh))
#define vm_region_64(map, addr, size, flavor, info, count, name) \
	mach_vm_region((map), (mach_vm_address_t *)(addr), (mach_vm_size_t *)(size), \
	    (flavor), (info), (count), (name))

#endif /* MACH_VM_VM_USER_H */
