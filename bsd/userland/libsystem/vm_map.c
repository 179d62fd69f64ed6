/*
 * vm_map.c - the vm_* calls (mach/vm_map.h) and mach_make_memory_entry_64,
 * made of the generated mach_vm stubs (mach/mach_vm.h).
 */

#include <mach/vm_map.h>

kern_return_t
vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size, int flags)
{
	mach_vm_address_t addr = *address;
	kern_return_t kr = mach_vm_allocate(target_task, &addr, size, flags);

	if (kr == KERN_SUCCESS)
		*address = (vm_address_t)addr;
	return kr;
}

kern_return_t
vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size)
{
	return mach_vm_deallocate(target_task, address, size);
}

kern_return_t
vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size, boolean_t set_maximum,
    vm_prot_t new_protection)
{
	return mach_vm_protect(target_task, address, size, set_maximum, new_protection);
}

kern_return_t
vm_inherit(vm_map_t target_task, vm_address_t address, vm_size_t size,
    vm_inherit_t new_inheritance)
{
	return mach_vm_inherit(target_task, address, size, new_inheritance);
}

kern_return_t
vm_read(vm_map_t target_task, vm_address_t address, vm_size_t size, vm_offset_t *data,
    mach_msg_type_number_t *dataCnt)
{
	return mach_vm_read(target_task, address, size, data, dataCnt);
}

kern_return_t
vm_write(vm_map_t target_task, vm_address_t address, vm_offset_t data,
    mach_msg_type_number_t dataCnt)
{
	return mach_vm_write(target_task, address, data, dataCnt);
}

kern_return_t
vm_copy(vm_map_t target_task, vm_address_t source_address, vm_size_t size,
    vm_address_t dest_address)
{
	return mach_vm_copy(target_task, source_address, size, dest_address);
}

kern_return_t
vm_read_overwrite(vm_map_t target_task, vm_address_t address, vm_size_t size,
    vm_address_t data, vm_size_t *outsize)
{
	mach_vm_size_t out = 0;
	kern_return_t kr = mach_vm_read_overwrite(target_task, address, size, data, &out);

	if (kr == KERN_SUCCESS)
		*outsize = (vm_size_t)out;
	return kr;
}

kern_return_t
vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size, vm_address_t mask,
    int flags, mem_entry_name_port_t object, vm_offset_t offset, boolean_t copy,
    vm_prot_t cur_protection, vm_prot_t max_protection, vm_inherit_t inheritance)
{
	mach_vm_address_t addr = *address;
	kern_return_t kr = mach_vm_map(target_task, &addr, size, mask, flags, object, offset,
	    copy, cur_protection, max_protection, inheritance);

	if (kr == KERN_SUCCESS)
		*address = (vm_address_t)addr;
	return kr;
}

kern_return_t
vm_region_64(vm_map_t target_task, vm_address_t *address, vm_size_t *size,
    vm_region_flavor_t flavor, vm_region_info_t info, mach_msg_type_number_t *infoCnt,
    mach_port_t *object_name)
{
	mach_vm_address_t addr = *address;
	mach_vm_size_t sz = 0;
	kern_return_t kr = mach_vm_region(target_task, &addr, &sz, flavor, info, infoCnt,
	    object_name);

	if (kr == KERN_SUCCESS) {
		*address = (vm_address_t)addr;
		*size = (vm_size_t)sz;
	}
	return kr;
}

kern_return_t
mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
    memory_object_offset_t offset, vm_prot_t permission, mach_port_t *object_handle,
    mem_entry_name_port_t parent_entry)
{
	return _mach_make_memory_entry(target_task, size, offset, permission, object_handle,
	    parent_entry);
}
