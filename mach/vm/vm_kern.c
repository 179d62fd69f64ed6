/*
 * vm_kern.c - kernel_memory_allocate and kmem_free over kernel_map.
 *
 * Each allocation is one kernel_map entry of kernel_object, guards
 * included (vm_map_find_space_kernel); its pages are wired and mapped at
 * once and found again through the kernel pmap when it is freed
 * (vm_map_remove_kernel). The entry remembers its guards, so kmem_free
 * needs only the address and size the caller was given.
 */

#include "mach/vm/vm_kern.h"

#include "libkern/panic.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_page.h"

static struct kmem_stats kmem_stats;	/* [a] */

void
kmem_init(void)
{
	/* kernel_map is made by vm_map_bootstrap; nothing more to set up. */
}

kern_return_t
kernel_memory_allocate(vm_map_t map, vm_offset_t *addrp, vm_size_t size,
    vm_offset_t mask, int flags)
{
	vm_size_t guard_before = (flags & KMA_GUARD_FIRST) ? PAGE_SIZE : 0;
	vm_size_t guard_after = (flags & KMA_GUARD_LAST) ? PAGE_SIZE : 0;
	vm_size_t total;
	vm_map_offset_t start;
	vm_offset_t addr;
	kern_return_t kr;

	if (size == 0 || round_page(size) < size ||
	    round_page(size) > vm_map_max(map) - vm_map_min(map))
		return KERN_INVALID_ARGUMENT;
	size = round_page(size);
	total = guard_before + size + guard_after;
	kr = vm_map_find_space_kernel(map, &start, total, mask, guard_before != 0,
	    guard_after != 0);
	if (kr != KERN_SUCCESS)
		return kr;
	addr = start + guard_before;
	for (vm_offset_t va = addr; va < addr + size; va += PAGE_SIZE) {
		struct vm_page *m = (flags & KMA_ZERO) ? vm_page_grab_zeroed(VM_PAGE_USE_KERNEL)
						       : vm_page_grab(VM_PAGE_USE_KERNEL);

		if (m == NULL || pmap_enter(kernel_pmap, va, m->vmp_phys_page,
		    VM_PROT_READ | VM_PROT_WRITE, PMAP_WIRED) != KERN_SUCCESS) {
			if (m != NULL)
				vm_page_release(m);
			/* The pages mapped so far go with the entry. */
			(void)vm_map_remove_kernel(map, addr, size);
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	__atomic_add_fetch(&kmem_stats.ks_allocations, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&kmem_stats.ks_mapped_bytes, size, __ATOMIC_RELAXED);
	__atomic_add_fetch(&kmem_stats.ks_reserved_bytes, total, __ATOMIC_RELAXED);
	*addrp = addr;
	return KERN_SUCCESS;
}

kern_return_t
kmem_alloc(vm_map_t map, vm_offset_t *addrp, vm_size_t size)
{
	return kernel_memory_allocate(map, addrp, size, 0, 0);
}

void
kmem_free(vm_map_t map, vm_offset_t addr, vm_size_t size)
{
	vm_map_entry_t entry;
	vm_size_t total;
	kern_return_t kr;

	/* The reservation's full size, guards included, for the statistics. */
	vm_map_lock_read(map);
	total = vm_map_lookup_entry(map, addr, &entry) ? entry->vme_end - entry->vme_start : 0;
	vm_map_unlock_read(map);
	kr = vm_map_remove_kernel(map, addr, size);
	if (kr == KERN_INVALID_ADDRESS)
		panic("kmem_free: 0x%lx was not allocated by kmem", addr);
	if (kr != KERN_SUCCESS)
		panic("kmem_free: 0x%lx freed with size 0x%lx, not the size it was "
		    "allocated with", addr, size);
	__atomic_sub_fetch(&kmem_stats.ks_allocations, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&kmem_stats.ks_mapped_bytes, round_page(size), __ATOMIC_RELAXED);
	__atomic_sub_fetch(&kmem_stats.ks_reserved_bytes, total, __ATOMIC_RELAXED);
}

void
kmem_get_stats(struct kmem_stats *out)
{
	out->ks_allocations = __atomic_load_n(&kmem_stats.ks_allocations, __ATOMIC_RELAXED);
	out->ks_mapped_bytes = __atomic_load_n(&kmem_stats.ks_mapped_bytes, __ATOMIC_RELAXED);
	out->ks_reserved_bytes = __atomic_load_n(&kmem_stats.ks_reserved_bytes,
	    __ATOMIC_RELAXED);
}
