/*
 * vm_user.c - the Mach VM interface (vm_user.h): argument checks, then the
 * vm_map operations.
 */

#include "mach/vm/vm_user.h"

#include "mach/ipc/ipc_port.h"
#include "mach/kern/thread.h"

/*
 * The page range [start, start + size), size rounded up. KERN_SUCCESS, or
 * KERN_INVALID_ARGUMENT for an unaligned start or a size that overflows
 * or wraps.
 */
static kern_return_t
page_range(mach_vm_address_t start, mach_vm_size_t size, mach_vm_address_t *end)
{
	mach_vm_size_t rounded = round_page(size);

	if (!page_aligned(start) || rounded < size || start + rounded < start)
		return KERN_INVALID_ARGUMENT;
	*end = start + rounded;
	return KERN_SUCCESS;
}

kern_return_t
mach_vm_allocate(vm_map_t map, mach_vm_address_t *addr, mach_vm_size_t size, int flags)
{
	mach_vm_address_t end;
	kern_return_t kr;

	if (map == VM_MAP_NULL || addr == NULL || (flags & ~VM_FLAGS_USER_ALLOCATE))
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		*addr = 0;
		return KERN_SUCCESS;
	}
	if (!(flags & VM_FLAGS_ANYWHERE) && (kr = page_range(*addr, size, &end)) != KERN_SUCCESS)
		return kr;
	if (round_page(size) < size)
		return KERN_INVALID_ARGUMENT;
	return vm_map_enter(map, addr, round_page(size), 0, flags, VM_OBJECT_NULL, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT);
}

kern_return_t
mach_vm_deallocate(vm_map_t map, mach_vm_address_t start, mach_vm_size_t size)
{
	mach_vm_address_t end;
	kern_return_t kr;

	if (map == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if ((kr = page_range(start, size, &end)) != KERN_SUCCESS)
		return kr;
	return vm_map_remove(map, start, end);
}

kern_return_t
mach_vm_protect(vm_map_t map, mach_vm_address_t start, mach_vm_size_t size,
    boolean_t set_maximum, vm_prot_t new_protection)
{
	mach_vm_address_t end;
	kern_return_t kr;

	if (map == VM_MAP_NULL || (new_protection & ~VM_PROT_ALL))
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if ((kr = page_range(start, size, &end)) != KERN_SUCCESS)
		return kr;
	return vm_map_protect(map, start, end, new_protection, set_maximum);
}

kern_return_t
mach_vm_inherit(vm_map_t map, mach_vm_address_t start, mach_vm_size_t size,
    vm_inherit_t new_inheritance)
{
	mach_vm_address_t end;
	kern_return_t kr;

	if (map == VM_MAP_NULL || new_inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if ((kr = page_range(start, size, &end)) != KERN_SUCCESS)
		return kr;
	return vm_map_inherit(map, start, end, new_inheritance);
}

kern_return_t
mach_vm_map_kernel(vm_map_t target_map, mach_vm_address_t *address, mach_vm_size_t size,
    mach_vm_offset_t mask, int flags, vm_named_entry_t entry, memory_object_offset_t offset,
    boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
    vm_inherit_t inheritance)
{
	vm_object_t object = VM_OBJECT_NULL;
	vm_object_offset_t base = 0;
	vm_object_size_t length;

	if (target_map == VM_MAP_NULL || address == NULL || size == 0 ||
	    round_page(size) < size)
		return KERN_INVALID_ARGUMENT;
	size = round_page(size);
	if (entry != VM_NAMED_ENTRY_NULL) {
		mach_memory_entry_range(entry, &object, &base, &length);
		if ((cur_protection | max_protection) & ~entry->protection)
			return KERN_PROTECTION_FAILURE;
		if (!page_aligned(offset) || offset + size < offset || offset + size > length)
			return KERN_INVALID_ARGUMENT;
		base += offset;
	} else if (offset != 0) {
		return KERN_INVALID_ARGUMENT;
	}
	return vm_map_enter(target_map, address, size, mask, flags, object, base, copy,
	    cur_protection, max_protection, inheritance);
}

kern_return_t
mach_vm_map(vm_map_t target_map, mach_vm_address_t *address, mach_vm_size_t size,
    mach_vm_offset_t mask, int flags, ipc_port_t object, memory_object_offset_t offset,
    boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
    vm_inherit_t inheritance)
{
	vm_named_entry_t entry = VM_NAMED_ENTRY_NULL;
	kern_return_t kr;

	if (IP_VALID(object) &&
	    (entry = convert_port_to_named_entry(object)) == VM_NAMED_ENTRY_NULL)
		return KERN_INVALID_ARGUMENT;
	kr = mach_vm_map_kernel(target_map, address, size, mask, flags, entry, offset, copy,
	    cur_protection, max_protection, inheritance);
	if (entry != VM_NAMED_ENTRY_NULL)
		mach_memory_entry_deallocate(entry);
	if (kr == KERN_SUCCESS)
		mach_memory_entry_port_release(object);	/* the request's right */
	return kr;
}

kern_return_t
_mach_make_memory_entry(vm_map_t target_map, memory_object_size_t *size,
    memory_object_offset_t offset, vm_prot_t permission, ipc_port_t *object_handle,
    ipc_port_t parent_handle)
{
	vm_named_entry_t parent = VM_NAMED_ENTRY_NULL, entry;
	kern_return_t kr;

	if (object_handle == NULL)
		return KERN_INVALID_ARGUMENT;
	if (IP_VALID(parent_handle) &&
	    (parent = convert_port_to_named_entry(parent_handle)) == VM_NAMED_ENTRY_NULL)
		return KERN_INVALID_ARGUMENT;
	kr = mach_make_memory_entry_64(target_map, size, offset, permission, &entry, parent);
	if (parent != VM_NAMED_ENTRY_NULL)
		mach_memory_entry_deallocate(parent);
	if (kr != KERN_SUCCESS)
		return kr;
	*object_handle = convert_named_entry_to_port(entry);
	if (*object_handle == IP_NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (IP_VALID(parent_handle))
		mach_memory_entry_port_release(parent_handle);	/* the request's right */
	return KERN_SUCCESS;
}

kern_return_t
mach_vm_region(vm_map_t map, mach_vm_address_t *address, mach_vm_size_t *size,
    vm_region_flavor_t flavor, vm_region_info_t info, mach_msg_type_number_t *count,
    ipc_port_t *object_name)
{
	if (map == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if (object_name != NULL)
		*object_name = IP_NULL;
	return vm_map_region(map, address, size, flavor, info, count);
}

kern_return_t
mach_vm_wire(vm_map_t map, mach_vm_address_t start, mach_vm_size_t size, vm_prot_t access)
{
	mach_vm_address_t end;
	kern_return_t kr;

	if (map == VM_MAP_NULL || (access & ~VM_PROT_ALL))
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if ((kr = page_range(start, size, &end)) != KERN_SUCCESS)
		return kr;
	if (access == VM_PROT_NONE)
		return vm_map_unwire(map, start, end, TRUE);
	return vm_map_wire_kernel(map, start, end, access, TRUE);
}

kern_return_t
mach_vm_read(vm_map_t map, mach_vm_address_t addr, mach_vm_size_t size, vm_offset_t *data,
    mach_msg_type_number_t *data_size)
{
	vm_map_copy_t copy;
	kern_return_t kr;

	if (map == VM_MAP_NULL || data == NULL || data_size == NULL || size > UINT32_MAX)
		return KERN_INVALID_ARGUMENT;
	kr = vm_map_copyin(map, addr, size, FALSE, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	*data = (vm_offset_t)copy;
	*data_size = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

kern_return_t
mach_vm_write(vm_map_t map, mach_vm_address_t addr, vm_offset_t data,
    mach_msg_type_number_t data_size)
{
	vm_map_copy_t copy = (vm_map_copy_t)data;

	if (map == VM_MAP_NULL || vm_map_copy_size(copy) != data_size)
		return KERN_INVALID_ARGUMENT;
	return vm_map_copy_overwrite(map, addr, copy, FALSE);
}

kern_return_t
mach_vm_copy(vm_map_t map, mach_vm_address_t source_address, mach_vm_size_t size,
    mach_vm_address_t dest_address)
{
	vm_map_copy_t copy;
	kern_return_t kr;

	if (map == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if ((kr = vm_map_copyin(map, source_address, size, FALSE, &copy)) != KERN_SUCCESS)
		return kr;
	if ((kr = vm_map_copy_overwrite(map, dest_address, copy, FALSE)) != KERN_SUCCESS)
		vm_map_copy_discard(copy);
	return kr;
}

kern_return_t
mach_vm_read_overwrite(vm_map_t map, mach_vm_address_t addr, mach_vm_size_t size,
    mach_vm_address_t data, mach_vm_size_t *outsize)
{
	vm_map_copy_t copy;
	kern_return_t kr;

	if (map == VM_MAP_NULL || outsize == NULL)
		return KERN_INVALID_ARGUMENT;
	if ((kr = vm_map_copyin(map, addr, size, FALSE, &copy)) != KERN_SUCCESS)
		return kr;
	kr = vm_map_copy_overwrite(current_thread()->map, data, copy, FALSE);
	if (kr != KERN_SUCCESS) {
		vm_map_copy_discard(copy);
		return kr;
	}
	*outsize = size;
	return KERN_SUCCESS;
}
