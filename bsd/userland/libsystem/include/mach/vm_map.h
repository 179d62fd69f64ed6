/*
 * mach/vm_map.h - the vm_* names of the address-space calls (XNU's
 * vm_map.defs), in vm_address_t and vm_size_t, which are 64 bits on
 * Machina: each is the mach_vm_* call of <mach/mach_vm.h> of the same
 * meaning, with the same errors.
 */

#ifndef _MACH_VM_MAP_H_
#define _MACH_VM_MAP_H_

#include <mach/mach_vm.h>

kern_return_t	vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size,
		    int flags);
kern_return_t	vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size);
kern_return_t	vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size,
		    boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t	vm_inherit(vm_map_t target_task, vm_address_t address, vm_size_t size,
		    vm_inherit_t new_inheritance);
kern_return_t	vm_read(vm_map_t target_task, vm_address_t address, vm_size_t size,
		    vm_offset_t *data, mach_msg_type_number_t *dataCnt);
kern_return_t	vm_write(vm_map_t target_task, vm_address_t address, vm_offset_t data,
		    mach_msg_type_number_t dataCnt);
kern_return_t	vm_copy(vm_map_t target_task, vm_address_t source_address, vm_size_t size,
		    vm_address_t dest_address);
kern_return_t	vm_read_overwrite(vm_map_t target_task, vm_address_t address, vm_size_t size,
		    vm_address_t data, vm_size_t *outsize);
kern_return_t	vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
		    vm_address_t mask, int flags, mem_entry_name_port_t object,
		    vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
		    vm_prot_t max_protection, vm_inherit_t inheritance);
kern_return_t	vm_region_64(vm_map_t target_task, vm_address_t *address, vm_size_t *size,
		    vm_region_flavor_t flavor, vm_region_info_t info,
		    mach_msg_type_number_t *infoCnt, mach_port_t *object_name);

#endif /* _MACH_VM_MAP_H_ */
