/*
 * vm_memory_entry.c - named entries (vm_memory_entry.h).
 */

#include "mach/vm/vm_memory_entry.h"

#include "kernel/kheap.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/vm/vm_map.h"

static kern_return_t
named_entry_alloc(vm_object_t object, vm_object_offset_t offset, vm_object_size_t size,
    vm_prot_t protection, vm_named_entry_t *out)
{
	vm_named_entry_t ne = kheap_alloc(&kernel_heap, sizeof(*ne));

	if (ne == VM_NAMED_ENTRY_NULL)
		return KERN_RESOURCE_SHORTAGE;
	ne->ref_count = 1;
	ne->backing = object;
	ne->offset = offset;
	ne->size = size;
	ne->protection = protection;
	ne->port = NULL;
	*out = ne;
	return KERN_SUCCESS;
}

kern_return_t
mach_make_memory_entry_64(struct vm_map *target_map, memory_object_size_t *size,
    memory_object_offset_t offset, vm_prot_t permission, vm_named_entry_t *object_handle,
    vm_named_entry_t parent_handle)
{
	vm_prot_t prot = permission & VM_PROT_ALL;
	vm_object_offset_t start, end, obj_offset;
	vm_object_t object;
	kern_return_t kr;

	if (size == NULL || object_handle == NULL ||
	    (permission & ~(VM_PROT_ALL | MAP_MEM_FLAGS_MASK)))
		return KERN_INVALID_ARGUMENT;
	if (*size == 0 || round_page(*size) < *size)
		return KERN_INVALID_ARGUMENT;

	if (permission & MAP_MEM_NAMED_CREATE) {
		if (parent_handle != VM_NAMED_ENTRY_NULL)
			return KERN_INVALID_ARGUMENT;
		object = vm_object_allocate(round_page(*size));
		if (object == VM_OBJECT_NULL)
			return KERN_RESOURCE_SHORTAGE;
		object->true_share = TRUE;
		object->named = TRUE;
		kr = named_entry_alloc(object, 0, round_page(*size), prot, object_handle);
		if (kr != KERN_SUCCESS) {
			vm_object_deallocate(object);
			return kr;
		}
		*size = round_page(*size);
		return KERN_SUCCESS;
	}

	start = trunc_page(offset);
	end = offset + *size;
	if (end < offset || round_page(end) < end)
		return KERN_INVALID_ARGUMENT;
	end = round_page(end);

	if (parent_handle != VM_NAMED_ENTRY_NULL) {
		/* A sub-range of the parent's, at most its rights. */
		if (end > parent_handle->size || (prot & ~parent_handle->protection))
			return (prot & ~parent_handle->protection) ? KERN_PROTECTION_FAILURE
								   : KERN_INVALID_ARGUMENT;
		object = parent_handle->backing;
		vm_object_reference(object);
		kr = named_entry_alloc(object, parent_handle->offset + start, end - start, prot,
		    object_handle);
		if (kr != KERN_SUCCESS)
			vm_object_deallocate(object);
		else
			*size = end - start;
		return kr;
	}

	if (target_map == NULL)
		return KERN_INVALID_ARGUMENT;
	kr = vm_map_share_object(target_map, start, end - start, prot, &object, &obj_offset);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = named_entry_alloc(object, obj_offset, end - start, prot, object_handle);
	if (kr != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return kr;
	}
	*size = end - start;
	return KERN_SUCCESS;
}

void
mach_memory_entry_reference(vm_named_entry_t entry)
{
	__atomic_add_fetch(&entry->ref_count, 1, __ATOMIC_RELAXED);
}

void
mach_memory_entry_deallocate(vm_named_entry_t entry)
{
	if (entry == VM_NAMED_ENTRY_NULL ||
	    __atomic_sub_fetch(&entry->ref_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	vm_object_deallocate(entry->backing);
	kheap_free(&kernel_heap, entry);
}

void
mach_memory_entry_range(vm_named_entry_t entry, vm_object_t *object,
    vm_object_offset_t *offset, vm_object_size_t *size)
{
	*object = entry->backing;
	*offset = entry->offset;
	*size = entry->size;
}

vm_named_entry_t
convert_port_to_named_entry(ipc_port_t port)
{
	vm_named_entry_t entry;

	ipc_lock();
	entry = (vm_named_entry_t)ipc_kobject_get(port, IKOT_NAMED_ENTRY);
	if (entry != VM_NAMED_ENTRY_NULL)
		mach_memory_entry_reference(entry);	/* the port holds one */
	ipc_unlock();
	return entry;
}

ipc_port_t
convert_named_entry_to_port(vm_named_entry_t entry)
{
	ipc_port_t port, fresh = IP_NULL;
	boolean_t port_took_ref = FALSE;

	if (entry->port == IP_NULL) {
		fresh = ipc_kobject_alloc_port((uintptr_t)entry, IKOT_NAMED_ENTRY);
		if (fresh == IP_NULL) {
			mach_memory_entry_deallocate(entry);
			return IP_NULL;
		}
	}
	ipc_lock();
	if (entry->port == IP_NULL) {
		entry->port = fresh;		/* it keeps the caller's reference */
		fresh = IP_NULL;
		port_took_ref = TRUE;
	}
	port = ipc_port_make_send(entry->port);
	ipc_unlock();
	if (fresh != IP_NULL)
		ipc_kobject_destroy_port(fresh);	/* another thread made it first */
	if (!port_took_ref)
		mach_memory_entry_deallocate(entry);
	return port;
}

void
mach_memory_entry_port_release(ipc_port_t port)
{
	if (!IP_VALID(port))
		return;
	ipc_lock();
	ipc_port_release_send(port);
	ipc_unlock();
}

void
mach_memory_entry_no_senders(ipc_port_t port)
{
	vm_named_entry_t entry = (vm_named_entry_t)port->ip_kobject;

	/* IPC lock held. */
	ipc_kobject_set(port, 0, IKOT_NONE);
	if (entry != VM_NAMED_ENTRY_NULL)
		entry->port = IP_NULL;
	ipc_port_destroy(port);			/* the kernel's receive right */
	mach_memory_entry_deallocate(entry);	/* the port's reference */
}
