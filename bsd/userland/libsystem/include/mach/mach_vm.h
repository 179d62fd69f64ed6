/*
 * mach/mach_vm.h - operations on a task's address space through its task
 * port, in 64-bit addresses and sizes: the calls of mach/mach_vm.defs,
 * messages to the task port (XNU's names and arguments). Holding a task's
 * port (mach_task_self(), task_for_pid) is the power to change its memory.
 *
 * Errors: MACH_SEND_INVALID_DEST for a name that is no send right;
 * KERN_INVALID_ARGUMENT for a port that is not a task's, an unaligned
 * address, a size that wraps, a bad flag or protection; KERN_INVALID_ADDRESS
 * for a range that is not mapped (or has a hole); KERN_NO_SPACE when a
 * fixed range is in use; KERN_PROTECTION_FAILURE for access the mapping
 * does not allow.
 *
 * mach_vm_read returns the bytes as new memory in the caller's own space
 * (*data, *dataCnt bytes), which the caller frees with mach_vm_deallocate.
 * mach_vm_region: VM_REGION_BASIC_INFO_64 (<mach/vm_region.h>).
 * _mach_make_memory_entry / mach_make_memory_entry_64 give a send right
 * to a named entry, which mach_vm_map maps (in any task); the entry lives
 * until the last send right to it goes.
 */

#ifndef _MACH_MACH_VM_H_
#define _MACH_MACH_VM_H_

#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/vm_region.h>
#include <mach/vm_statistics.h>

/* mach_make_memory_entry_64's permission: a new object, not a range of the map. */
#define MAP_MEM_NAMED_CREATE	0x020000

kern_return_t	mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
		    mach_vm_size_t size, int flags);
kern_return_t	mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
		    mach_vm_size_t size);
kern_return_t	mach_vm_protect(vm_map_t target_task, mach_vm_address_t address,
		    mach_vm_size_t size, boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t	mach_vm_inherit(vm_map_t target_task, mach_vm_address_t address,
		    mach_vm_size_t size, vm_inherit_t new_inheritance);
kern_return_t	mach_vm_read(vm_map_t target_task, mach_vm_address_t address,
		    mach_vm_size_t size, vm_offset_t *data, mach_msg_type_number_t *dataCnt);
kern_return_t	mach_vm_write(vm_map_t target_task, mach_vm_address_t address,
		    vm_offset_t data, mach_msg_type_number_t dataCnt);
kern_return_t	mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address,
		    mach_vm_size_t size, mach_vm_address_t dest_address);
kern_return_t	mach_vm_read_overwrite(vm_map_t target_task, mach_vm_address_t address,
		    mach_vm_size_t size, mach_vm_address_t data, mach_vm_size_t *outsize);
kern_return_t	mach_vm_map(vm_map_t target_task, mach_vm_address_t *address,
		    mach_vm_size_t size, mach_vm_offset_t mask, int flags,
		    mem_entry_name_port_t object, memory_object_offset_t offset,
		    boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
		    vm_inherit_t inheritance);
kern_return_t	mach_vm_region(vm_map_t target_task, mach_vm_address_t *address,
		    mach_vm_size_t *size, vm_region_flavor_t flavor, vm_region_info_t info,
		    mach_msg_type_number_t *infoCnt, mach_port_t *object_name);
kern_return_t	_mach_make_memory_entry(vm_map_t target_task, memory_object_size_t *size,
		    memory_object_offset_t offset, vm_prot_t permission,
		    mem_entry_name_port_t *object_handle, mem_entry_name_port_t parent_handle);
kern_return_t	mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
		    memory_object_offset_t offset, vm_prot_t permission,
		    mach_port_t *object_handle, mem_entry_name_port_t parent_entry);

#endif /* _MACH_MACH_VM_H_ */
