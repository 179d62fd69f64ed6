/*
 * IOBufferMemoryDescriptor.c - kernel memory for I/O: allocation (contiguous
 * runs of vm_phys under a mask, or kmem), the descriptor over it, and its
 * length. The object is described in IOBufferMemoryDescriptor.h.
 */

#include "iokit/Kernel/IOBufferMemoryDescriptor.h"

#include "iokit/Kernel/IOLib.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_kern.h"
#include "mach/vm/vm_page.h"

static void
IOBufferMemoryDescriptor_free(OSObject *obj)
{
	IOBufferMemoryDescriptor *bmd = (IOBufferMemoryDescriptor *)obj;

	if (bmd->bmd_buffer == NULL)
		return;
	if (bmd->bmd_pa != 0)
		vm_page_free_contig(bmd->bmd_pa, atop(bmd->bmd_size));
	else
		kmem_free(kernel_map, (vm_offset_t)bmd->bmd_buffer, bmd->bmd_size);
	bmd->bmd_buffer = NULL;
}

static const struct OSObject_methods IOBufferMemoryDescriptor_methods = {
	.free = IOBufferMemoryDescriptor_free,
};
OSDefineMetaClass(IOBufferMemoryDescriptor, IOMemoryDescriptor,
    &IOBufferMemoryDescriptor_methods);

/*
 * Make the buffer: capacity bytes, contiguous (a vm_phys run aligned to
 * alignment, its last byte at or below max_pa) or from kmem.
 */
static IOBufferMemoryDescriptor *
iobmd_create(struct task *task, IOOptionBits options, IOByteCount capacity,
    IOByteCount alignment, uint64_t max_pa, const char *what)
{
	IOBufferMemoryDescriptor *bmd;
	bool contiguous = (options & kIOMemoryPhysicallyContiguous) != 0 || max_pa != UINT64_MAX;
	vm_size_t size;

	if (task != kernel_task) {
		IOLog("%s: only kernel_task's buffers are supported\n", what);
		return NULL;
	}
	if (capacity == 0 || round_page(capacity) < capacity) {
		IOLog("%s: bad capacity 0x%llx\n", what, (unsigned long long)capacity);
		return NULL;
	}
	if (options & ~(kIOMemoryDirectionMask | kIOMemoryPhysicallyContiguous)) {
		IOLog("%s: unsupported options 0x%x\n", what, options);
		return NULL;
	}
	if (alignment == 0)
		alignment = 1;
	if ((alignment & (alignment - 1)) != 0) {
		IOLog("%s: alignment 0x%llx is not a power of two\n", what,
		    (unsigned long long)alignment);
		return NULL;
	}
	size = round_page(capacity);
	bmd = OSTypeAlloc(IOBufferMemoryDescriptor);
	if (bmd == NULL)
		return NULL;
	if (contiguous) {
		uint64_t align_pages = alignment > PAGE_SIZE ? atop(alignment) : 1;
		pmap_paddr_t pa;

		if (vm_page_alloc_contig(atop(size), align_pages, VM_PAGE_USE_KERNEL, &pa) !=
		    KERN_SUCCESS) {
			OSSafeReleaseNULL(bmd);
			return NULL;
		}
		if (pa + size - 1 > max_pa) {
			/* First fit: the lowest run that fits is above the mask. */
			vm_page_free_contig(pa, atop(size));
			OSSafeReleaseNULL(bmd);
			return NULL;
		}
		bmd->bmd_pa = pa;
		bmd->bmd_buffer = phystokv(pa);
		memset(bmd->bmd_buffer, 0, size);
	} else {
		vm_offset_t va;

		if (kernel_memory_allocate(kernel_map, &va, size,
		    alignment > PAGE_SIZE ? alignment - 1 : 0, KMA_ZERO) != KERN_SUCCESS) {
			OSSafeReleaseNULL(bmd);
			return NULL;
		}
		bmd->bmd_buffer = (void *)va;
	}
	bmd->bmd_capacity = capacity;
	bmd->bmd_size = size;
	bmd->bmd_options = options;
	IOMemoryDescriptor_initFields(&bmd->bmd_md, kIOMemoryKindKernel,
	    (uint64_t)bmd->bmd_buffer, capacity, options & kIOMemoryDirectionMask);
	bmd->bmd_md.md_always_wired = true;
	return bmd;
}

IOBufferMemoryDescriptor *
IOBufferMemoryDescriptor_inTaskWithOptions(struct task *task, IOOptionBits options,
    IOByteCount capacity, IOByteCount alignment)
{
	return iobmd_create(task, options, capacity, alignment, UINT64_MAX,
	    "IOBufferMemoryDescriptor_inTaskWithOptions");
}

IOBufferMemoryDescriptor *
IOBufferMemoryDescriptor_withCapacity(IOByteCount capacity, IODirection direction,
    bool contiguous)
{
	return iobmd_create(kernel_task,
	    direction | (contiguous ? kIOMemoryPhysicallyContiguous : 0), capacity, 1,
	    UINT64_MAX, "IOBufferMemoryDescriptor_withCapacity");
}

IOBufferMemoryDescriptor *
IOBufferMemoryDescriptor_inTaskWithPhysicalMask(struct task *task, IOOptionBits options,
    IOByteCount capacity, uint64_t physicalMask)
{
	uint64_t alignment, max_pa;

	if (physicalMask == 0) {
		IOLog("IOBufferMemoryDescriptor_inTaskWithPhysicalMask: a mask of 0\n");
		return NULL;
	}
	/* The mask's low zero bits are an alignment; the bits above, a limit. */
	alignment = physicalMask & -physicalMask;
	max_pa = physicalMask | (alignment - 1);
	if ((max_pa & (max_pa + 1)) != 0) {
		IOLog("IOBufferMemoryDescriptor_inTaskWithPhysicalMask: mask 0x%llx has a "
		    "hole (only a limit and an alignment are supported)\n",
		    (unsigned long long)physicalMask);
		return NULL;
	}
	return iobmd_create(task, options | kIOMemoryPhysicallyContiguous, capacity,
	    MAX(alignment, PAGE_SIZE), max_pa,
	    "IOBufferMemoryDescriptor_inTaskWithPhysicalMask");
}

void *
IOBufferMemoryDescriptor_getBytesNoCopy(IOBufferMemoryDescriptor *bmd)
{
	return bmd->bmd_buffer;
}

void *
IOBufferMemoryDescriptor_getBytesNoCopyRange(IOBufferMemoryDescriptor *bmd, IOByteCount start,
    IOByteCount length)
{
	IOByteCount used = bmd->bmd_md.md_length;

	if (start >= used || length > used - start)
		return NULL;
	return (uint8_t *)bmd->bmd_buffer + start;
}

IOByteCount
IOBufferMemoryDescriptor_getCapacity(const IOBufferMemoryDescriptor *bmd)
{
	return bmd->bmd_capacity;
}

IOReturn
IOBufferMemoryDescriptor_setLength(IOBufferMemoryDescriptor *bmd, IOByteCount length)
{
	if (length > bmd->bmd_capacity) {
		IOLog("IOBufferMemoryDescriptor_setLength: 0x%llx is more than the capacity "
		    "0x%llx\n", (unsigned long long)length,
		    (unsigned long long)bmd->bmd_capacity);
		return kIOReturnBadArgument;
	}
	bmd->bmd_md.md_length = length;
	return kIOReturnSuccess;
}

bool
IOBufferMemoryDescriptor_appendBytes(IOBufferMemoryDescriptor *bmd, const void *bytes,
    IOByteCount length)
{
	IOByteCount used = bmd->bmd_md.md_length;

	if (length > bmd->bmd_capacity - used)
		return false;
	memcpy((uint8_t *)bmd->bmd_buffer + used, bytes, length);
	bmd->bmd_md.md_length = used + length;
	return true;
}
