/*
 * IOMemoryDescriptor.c - descriptors of kernel, task and physical memory,
 * their wiring, physical segments, copies, and kernel mappings
 * (IOMemoryMap). The object, its invariants and its locks are described in
 * IOMemoryDescriptor.h.
 */

#include "iokit/Kernel/IOMemoryDescriptor.h"

#include "iokit/Kernel/IOLib.h"
#include "kernel/machine/vm_param.h"
#include "libkern/OSAtomic.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_map.h"

static lck_grp_t *iomd_lck_grp;

void
IOMemoryDescriptor_initialize(void)
{
	if (iomd_lck_grp == NULL)
		iomd_lck_grp = lck_grp_alloc_init("IOMemoryDescriptor", LCK_GRP_ATTR_NULL);
	if (iomd_lck_grp == NULL)
		panic("IOMemoryDescriptor_initialize: no memory for the lock group");
}

/* --- the descriptor ----------------------------------------------------------- */

/* Undo the wiring of task memory. Locks: md_lock held. */
static void
iomd_unwire_locked(IOMemoryDescriptor *md)
{
	vm_map_offset_t start = trunc_page(md->md_address);
	vm_map_offset_t end = round_page(md->md_address + md->md_length);
	kern_return_t kr;

	if (md->md_kind != kIOMemoryKindTask)
		return;
	kr = vm_map_unwire(md->md_map, start, end, FALSE);
	if (kr != KERN_SUCCESS)
		panic("IOMemoryDescriptor: unwiring 0x%llx-0x%llx of a prepared range "
		    "failed (%d)", (unsigned long long)start, (unsigned long long)end, kr);
}

static void
IOMemoryDescriptor_free(OSObject *obj)
{
	IOMemoryDescriptor *md = (IOMemoryDescriptor *)obj;

	if (md->md_kind == 0)
		return;		/* never initialised */
	if (md->md_prepare_count != 0) {
		IOLog("IOMemoryDescriptor: freed while prepared %u times; completing it\n",
		    md->md_prepare_count);
		iomd_unwire_locked(md);
		md->md_prepare_count = 0;
	}
	if (md->md_map != NULL)
		vm_map_deallocate(md->md_map);
	lck_mtx_destroy(&md->md_lock, iomd_lck_grp);
}

static const struct OSObject_methods IOMemoryDescriptor_methods = {
	.free = IOMemoryDescriptor_free,
};
OSDefineMetaClass(IOMemoryDescriptor, OSObject, &IOMemoryDescriptor_methods);

void
IOMemoryDescriptor_initFields(IOMemoryDescriptor *md, int kind, uint64_t address,
    IOByteCount length, IODirection direction)
{
	lck_mtx_init(&md->md_lock, iomd_lck_grp, LCK_ATTR_NULL);
	md->md_kind = (uint8_t)kind;
	md->md_address = address;
	md->md_length = length;
	md->md_direction = direction & kIOMemoryDirectionMask;
}

/* The checks every creation shares; false (logged) if the range is bad. */
static bool
iomd_check_range(const char *what, uint64_t address, uint64_t length, IOOptionBits direction,
    uint64_t min, uint64_t max)
{
	if (length == 0) {
		IOLog("%s: a length of 0\n", what);
		return false;
	}
	if (address + length < address) {
		IOLog("%s: 0x%llx + 0x%llx wraps\n", what, (unsigned long long)address,
		    (unsigned long long)length);
		return false;
	}
	if (round_page(address + length) < address + length) {
		IOLog("%s: 0x%llx + 0x%llx wraps when rounded to pages\n", what,
		    (unsigned long long)address, (unsigned long long)length);
		return false;
	}
	if (address < min || address + length > max) {
		IOLog("%s: 0x%llx-0x%llx is outside 0x%llx-0x%llx\n", what,
		    (unsigned long long)address, (unsigned long long)(address + length),
		    (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	if ((direction & ~kIOMemoryDirectionMask) != 0) {
		IOLog("%s: unknown direction or option bits 0x%x\n", what, direction);
		return false;
	}
	return true;
}

static IOMemoryDescriptor *
iomd_create(int kind, uint64_t address, IOByteCount length, IODirection direction,
    struct vm_map *map)
{
	IOMemoryDescriptor *md = OSTypeAlloc(IOMemoryDescriptor);

	if (md == NULL)
		return NULL;
	IOMemoryDescriptor_initFields(md, kind, address, length, direction);
	if (map != NULL) {
		vm_map_reference(map);
		md->md_map = map;
	}
	return md;
}

IOMemoryDescriptor *
IOMemoryDescriptor_withAddress(void *address, IOByteCount length, IODirection direction)
{
	if (!iomd_check_range("IOMemoryDescriptor_withAddress", (uint64_t)address, length,
	    direction, PHYSMAP_BASE, UINT64_MAX))
		return NULL;
	return iomd_create(kIOMemoryKindKernel, (uint64_t)address, length, direction, NULL);
}

IOMemoryDescriptor *
IOMemoryDescriptor_withAddressRange(uint64_t address, uint64_t length, IOOptionBits options,
    struct task *task)
{
	vm_map_t map;

	if (task == TASK_NULL) {
		IOLog("IOMemoryDescriptor_withAddressRange: no task\n");
		return NULL;
	}
	if (task == kernel_task)
		return IOMemoryDescriptor_withAddress((void *)address, length, options);
	map = task->map;
	if (!iomd_check_range("IOMemoryDescriptor_withAddressRange", address, length, options,
	    vm_map_min(map), vm_map_max(map)))
		return NULL;
	return iomd_create(kIOMemoryKindTask, address, length, options, map);
}

IOMemoryDescriptor *
IOMemoryDescriptor_withPhysicalAddress(IOPhysicalAddress64 address, IOByteCount length,
    IODirection direction)
{
	if (!iomd_check_range("IOMemoryDescriptor_withPhysicalAddress", address, length,
	    direction, 0, UINT64_MAX))
		return NULL;
	if (!pmap_physmap_contains(trunc_page(address), round_page(address + length) -
	    trunc_page(address))) {
		IOLog("IOMemoryDescriptor_withPhysicalAddress: 0x%llx-0x%llx is not in the "
		    "direct map\n", (unsigned long long)address,
		    (unsigned long long)(address + length));
		return NULL;
	}
	return iomd_create(kIOMemoryKindPhysical, address, length, direction, NULL);
}

IOByteCount
IOMemoryDescriptor_getLength(const IOMemoryDescriptor *md)
{
	return md->md_length;
}

IODirection
IOMemoryDescriptor_getDirection(const IOMemoryDescriptor *md)
{
	return md->md_direction;
}

struct vm_map *
IOMemoryDescriptor_getMap(const IOMemoryDescriptor *md)
{
	return md->md_map;
}

/* The protection a transfer in direction needs from the memory. */
static vm_prot_t
iomd_access(IODirection direction)
{
	vm_prot_t prot = VM_PROT_NONE;

	if (direction & kIODirectionIn)
		prot |= VM_PROT_WRITE | VM_PROT_READ;
	if (direction & kIODirectionOut)
		prot |= VM_PROT_READ;
	return prot == VM_PROT_NONE ? VM_PROT_READ : prot;
}

/* Wire, or check, the memory for a first prepare. Locks: md_lock held. */
static IOReturn
iomd_wire_locked(IOMemoryDescriptor *md, IODirection direction)
{
	vm_offset_t start = trunc_page(md->md_address);
	vm_offset_t end = round_page(md->md_address + md->md_length);
	kern_return_t kr;

	switch (md->md_kind) {
	case kIOMemoryKindKernel:
		/* Kernel memory is wired for its life; it must be there. */
		for (vm_offset_t va = start; va < end; va += PAGE_SIZE)
			if (pmap_find_phys(kernel_pmap, va) == 0)
				return kIOReturnVMError;
		return kIOReturnSuccess;
	case kIOMemoryKindTask:
		kr = vm_map_wire_kernel(md->md_map, start, end, iomd_access(direction), FALSE);
		switch (kr) {
		case KERN_SUCCESS:
			md->md_wired_prot = iomd_access(direction);
			return kIOReturnSuccess;
		case KERN_PROTECTION_FAILURE:
			return (direction & kIODirectionIn) ? kIOReturnNotWritable
							    : kIOReturnNotReadable;
		case KERN_RESOURCE_SHORTAGE:
			return kIOReturnNoMemory;
		default:
			return kIOReturnVMError;
		}
	default:
		return kIOReturnSuccess;	/* physical: nothing to wire */
	}
}

IOReturn
IOMemoryDescriptor_prepare(IOMemoryDescriptor *md, IODirection forDirection)
{
	IODirection direction = forDirection == kIODirectionNone ? md->md_direction
								 : forDirection;
	IOReturn ret = kIOReturnSuccess;

	if (md->md_always_wired) {
		(void)OSAddAtomic(1, (volatile int32_t *)&md->md_prepare_count);
		return kIOReturnSuccess;
	}
	lck_mtx_lock(&md->md_lock);
	if (md->md_prepare_count == UINT32_MAX)
		ret = kIOReturnNoResources;
	else if (md->md_prepare_count == 0)
		ret = iomd_wire_locked(md, direction);
	else if (md->md_kind == kIOMemoryKindTask &&
	    (iomd_access(direction) & ~md->md_wired_prot) != 0)
		ret = kIOReturnNotWritable;	/* wired for reading: the pages may be shared */
	if (ret == kIOReturnSuccess)
		md->md_prepare_count++;
	lck_mtx_unlock(&md->md_lock);
	return ret;
}

IOReturn
IOMemoryDescriptor_complete(IOMemoryDescriptor *md, IODirection forDirection)
{
	IOReturn ret = kIOReturnSuccess;

	(void)forDirection;
	if (md->md_always_wired) {
		int32_t old = OSAddAtomic(-1, (volatile int32_t *)&md->md_prepare_count);

		if (old <= 0) {
			(void)OSAddAtomic(1, (volatile int32_t *)&md->md_prepare_count);
			IOLog("IOMemoryDescriptor_complete: not prepared\n");
			return kIOReturnNotReady;
		}
		return kIOReturnSuccess;
	}
	lck_mtx_lock(&md->md_lock);
	if (md->md_prepare_count == 0) {
		IOLog("IOMemoryDescriptor_complete: not prepared\n");
		ret = kIOReturnNotReady;
	} else if (--md->md_prepare_count == 0) {
		iomd_unwire_locked(md);
	}
	lck_mtx_unlock(&md->md_lock);
	return ret;
}

/* The physical address of the virtual or physical address a (in the descriptor). */
static pmap_paddr_t
iomd_translate(const IOMemoryDescriptor *md, uint64_t a)
{
	switch (md->md_kind) {
	case kIOMemoryKindKernel:
		return pmap_extract(kernel_pmap, a);
	case kIOMemoryKindTask:
		return pmap_extract(vm_map_pmap(md->md_map), a);
	default:
		return a;
	}
}

IOPhysicalAddress64
IOMemoryDescriptor_getPhysicalSegment(IOMemoryDescriptor *md, IOByteCount offset,
    IOByteCount *length, IOOptionBits options)
{
	uint64_t a, end;
	pmap_paddr_t pa, next;
	IOByteCount len;

	(void)options;
	if (length != NULL)
		*length = 0;
	if (offset >= md->md_length || (md->md_prepare_count == 0 && !md->md_always_wired))
		return 0;
	a = md->md_address + offset;
	end = md->md_address + md->md_length;
	pa = iomd_translate(md, a);
	if (pa == 0 && md->md_kind != kIOMemoryKindPhysical)
		panic("IOMemoryDescriptor: 0x%llx of a prepared descriptor is not mapped",
		    (unsigned long long)a);
	if (md->md_kind == kIOMemoryKindPhysical || length == NULL) {
		if (length != NULL)
			*length = end - a;
		return pa;
	}
	/* Extend over the following pages while they follow physically. */
	len = MIN(end - a, PAGE_SIZE - (a & PAGE_MASK));
	while (a + len < end) {
		next = iomd_translate(md, a + len);
		if (next != pa + len)
			break;
		len += MIN(end - (a + len), PAGE_SIZE);
	}
	*length = len;
	return pa;
}

IOPhysicalAddress64
IOMemoryDescriptor_getPhysicalAddress(IOMemoryDescriptor *md)
{
	return IOMemoryDescriptor_getPhysicalSegment(md, 0, NULL, 0);
}

/* Copy between the memory at offset and bytes; to_memory says which way. */
static IOByteCount
iomd_copy(IOMemoryDescriptor *md, IOByteCount offset, void *bytes, IOByteCount length,
    bool to_memory)
{
	IOByteCount done = 0;

	if (offset >= md->md_length || length == 0)
		return 0;
	length = MIN(length, md->md_length - offset);
	if (IOMemoryDescriptor_prepare(md, to_memory ? kIODirectionIn : kIODirectionOut) !=
	    kIOReturnSuccess)
		return 0;
	while (done < length) {
		IOByteCount seglen;
		IOPhysicalAddress64 pa = IOMemoryDescriptor_getPhysicalSegment(md,
		    offset + done, &seglen, 0);
		uint8_t *kva = phystokv(pa);

		seglen = MIN(seglen, length - done);
		if (to_memory)
			memcpy(kva, (uint8_t *)bytes + done, seglen);
		else
			memcpy((uint8_t *)bytes + done, kva, seglen);
		done += seglen;
	}
	(void)IOMemoryDescriptor_complete(md, kIODirectionNone);
	return done;
}

IOByteCount
IOMemoryDescriptor_readBytes(IOMemoryDescriptor *md, IOByteCount offset, void *bytes,
    IOByteCount length)
{
	return iomd_copy(md, offset, bytes, length, false);
}

IOByteCount
IOMemoryDescriptor_writeBytes(IOMemoryDescriptor *md, IOByteCount offset, const void *bytes,
    IOByteCount length)
{
	return iomd_copy(md, offset, (void *)(uintptr_t)bytes, length, true);
}

/* --- IOMemoryMap --------------------------------------------------------------- */

static void
iomm_unmap(IOMemoryMap *map)
{
	pmap_remove(kernel_pmap, map->mm_base, map->mm_base + map->mm_size);
	/* Nothing is mapped any more, so removing the reservation frees no page. */
	if (vm_map_remove_kernel(kernel_map, map->mm_base, map->mm_size) != KERN_SUCCESS)
		panic("IOMemoryMap: the reservation at 0x%llx is gone",
		    (unsigned long long)map->mm_base);
	(void)IOMemoryDescriptor_complete(map->mm_memory, kIODirectionNone);
	OSSafeReleaseNULL(map->mm_memory);
	map->mm_base = 0;
	map->mm_address = 0;
}

static void
IOMemoryMap_free(OSObject *obj)
{
	IOMemoryMap *map = (IOMemoryMap *)obj;

	if (map->mm_memory != NULL)
		iomm_unmap(map);
}

static const struct OSObject_methods IOMemoryMap_methods = {
	.free = IOMemoryMap_free,
};
OSDefineMetaClass(IOMemoryMap, OSObject, &IOMemoryMap_methods);

IOMemoryMap *
IOMemoryDescriptor_map(IOMemoryDescriptor *md, IOOptionBits options)
{
	uint64_t start = trunc_page(md->md_address);
	vm_size_t size = round_page(md->md_address + md->md_length) - start;
	vm_prot_t prot = (options & kIOMapReadOnly) ? VM_PROT_READ
						   : VM_PROT_READ | VM_PROT_WRITE;
	unsigned flags = PMAP_WIRED;
	vm_map_offset_t base = 0;
	IOMemoryMap *map;
	IOReturn ret;

	if ((options & kIOMapCacheMask) == kIOMapInhibitCache)
		flags |= PMAP_CACHE_UNCACHED;
	else if ((options & kIOMapCacheMask) == kIOMapWriteCombineCache)
		flags |= PMAP_CACHE_WRITE_COMBINE;
	map = OSTypeAlloc(IOMemoryMap);
	if (map == NULL)
		return NULL;
	ret = IOMemoryDescriptor_prepare(md, kIODirectionNone);
	if (ret != kIOReturnSuccess) {
		IOLog("IOMemoryDescriptor_map: cannot prepare the memory (0x%x)\n", ret);
		OSSafeReleaseNULL(map);
		return NULL;
	}
	if (vm_map_find_space_kernel(kernel_map, &base, size, 0, FALSE, FALSE) !=
	    KERN_SUCCESS) {
		IOLog("IOMemoryDescriptor_map: no room for 0x%llx bytes in kernel_map\n",
		    (unsigned long long)size);
		(void)IOMemoryDescriptor_complete(md, kIODirectionNone);
		OSSafeReleaseNULL(map);
		return NULL;
	}
	OSObject_retain(OSOBJ(md));
	map->mm_memory = md;
	map->mm_base = base;
	map->mm_size = size;
	map->mm_address = base + (md->md_address & PAGE_MASK);
	map->mm_length = md->md_length;
	map->mm_options = options;
	for (vm_size_t off = 0; off < size; off += PAGE_SIZE) {
		/* The page under each page of the range (the first byte's for the first). */
		uint64_t a = off == 0 ? md->md_address : start + off;
		pmap_paddr_t pa = trunc_page(iomd_translate(md, a));

		if (pmap_enter(kernel_pmap, base + off, (ppnum_t)atop(pa), prot, flags) !=
		    KERN_SUCCESS) {
			IOLog("IOMemoryDescriptor_map: no page table for 0x%llx\n",
			    (unsigned long long)(base + off));
			OSSafeReleaseNULL(map);		/* unmaps what was entered */
			return NULL;
		}
	}
	return map;
}

IOVirtualAddress
IOMemoryMap_getVirtualAddress(const IOMemoryMap *map)
{
	return map->mm_address;
}

IOByteCount
IOMemoryMap_getLength(const IOMemoryMap *map)
{
	return map->mm_length;
}

IOMemoryDescriptor *
IOMemoryMap_getMemoryDescriptor(const IOMemoryMap *map)
{
	return map->mm_memory;
}

IOPhysicalAddress64
IOMemoryMap_getPhysicalSegment(IOMemoryMap *map, IOByteCount offset, IOByteCount *length,
    IOOptionBits options)
{
	if (map->mm_memory == NULL) {
		if (length != NULL)
			*length = 0;
		return 0;
	}
	return IOMemoryDescriptor_getPhysicalSegment(map->mm_memory, offset, length, options);
}

IOReturn
IOMemoryMap_unmap(IOMemoryMap *map)
{
	if (map->mm_memory == NULL)
		return kIOReturnNotReady;
	iomm_unmap(map);
	return kIOReturnSuccess;
}
