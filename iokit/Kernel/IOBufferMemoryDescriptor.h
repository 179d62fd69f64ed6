/*
 * IOBufferMemoryDescriptor.h - kernel memory allocated for I/O, and the
 * descriptor of it: wired, mapped in the kernel, optionally physically
 * contiguous and below a physical address mask (a 32-bit device's
 * buffers: inTaskWithPhysicalMask(kernel_task, 0, size, 0xffffffff)).
 *
 *	bmd = IOBufferMemoryDescriptor_withCapacity(4096, kIODirectionOut, true);
 *	p = IOBufferMemoryDescriptor_getBytesNoCopy(bmd);	fill it
 *	IOBufferMemoryDescriptor_setLength(bmd, used);
 *	pa = IOMemoryDescriptor_getPhysicalAddress(&bmd->bmd_md);	give it to the device
 *	OSSafeReleaseNULL(bmd);					the pages go back
 *
 * Where the pages come from:
 *   - contiguous or with a mask: one run of vm_phys (vm_page_alloc_contig:
 *     first fit from low addresses, so if the lowest run that fits is not
 *     below the mask, none is), used through the direct map;
 *   - otherwise: kmem (kernel_memory_allocate), pages anywhere.
 * Either way the memory is zero-filled, wired for the buffer's life (it
 * counts as prepared always: physical addresses are valid without a
 * prepare) and given back when the last reference goes.
 *
 * Invariants: 0 < capacity; length <= capacity (the descriptor's length is
 * the bytes in use, what getLength, the physical segments and the DMA
 * commands see); bmd_pa != 0 exactly when the memory is one vm_phys run.
 *
 * Locks: none of its own (IOMemoryDescriptor's for prepare); setLength and
 * appendBytes change the length and are serialised by the buffer's owner.
 */

#ifndef IOKIT_KERNEL_IOBUFFERMEMORYDESCRIPTOR_H
#define IOKIT_KERNEL_IOBUFFERMEMORYDESCRIPTOR_H

#include "iokit/Kernel/IOMemoryDescriptor.h"

struct IOBufferMemoryDescriptor {
	IOMemoryDescriptor	bmd_md;		/* the superclass, first */
	void			*bmd_buffer;	/* [I] kernel address of the memory */
	IOByteCount		bmd_capacity;	/* [I] bytes usable */
	vm_size_t		bmd_size;	/* [I] bytes allocated (whole pages) */
	pmap_paddr_t		bmd_pa;		/* [I] a vm_phys run's start, or 0: kmem */
	IOOptionBits		bmd_options;	/* [I] */
};
OSDeclareDefaultStructors(IOBufferMemoryDescriptor);

/*
 * withCapacity: capacity bytes for I/O in direction, physically contiguous
 * if asked; the length starts at capacity. inTaskWithOptions: the same
 * with options (a direction, kIOMemoryPhysicallyContiguous) and an
 * alignment (a power of two; contiguous memory is aligned to it physically
 * too). inTaskWithPhysicalMask: physically contiguous memory whose every
 * byte's address fits physicalMask, aligned as the mask's lowest set bit
 * says (at least a page). Only kernel_task is supported.
 * Each returns a new buffer (one reference) or NULL: capacity 0, a bad
 * option, alignment or mask, another task (all logged); no memory (below
 * the mask).
 */
IOBufferMemoryDescriptor *IOBufferMemoryDescriptor_withCapacity(IOByteCount capacity,
			    IODirection direction, bool contiguous);
IOBufferMemoryDescriptor *IOBufferMemoryDescriptor_inTaskWithOptions(struct task *task,
			    IOOptionBits options, IOByteCount capacity, IOByteCount alignment);
IOBufferMemoryDescriptor *IOBufferMemoryDescriptor_inTaskWithPhysicalMask(struct task *task,
			    IOOptionBits options, IOByteCount capacity, uint64_t physicalMask);

/* getBytesNoCopy: the buffer's kernel address. */
void		*IOBufferMemoryDescriptor_getBytesNoCopy(IOBufferMemoryDescriptor *bmd);
/* getBytesNoCopyRange: the address of [start, start + length), or NULL past the length. */
void		*IOBufferMemoryDescriptor_getBytesNoCopyRange(IOBufferMemoryDescriptor *bmd,
		    IOByteCount start, IOByteCount length);
IOByteCount	IOBufferMemoryDescriptor_getCapacity(const IOBufferMemoryDescriptor *bmd);

/*
 * setLength: the bytes in use (length <= capacity; a larger one is refused:
 * kIOReturnBadArgument, logged). appendBytes: copy length bytes after the
 * ones in use and count them in; false (and nothing copied) if they do not
 * fit.
 */
IOReturn	IOBufferMemoryDescriptor_setLength(IOBufferMemoryDescriptor *bmd,
		    IOByteCount length);
bool		IOBufferMemoryDescriptor_appendBytes(IOBufferMemoryDescriptor *bmd,
		    const void *bytes, IOByteCount length);

#endif /* IOKIT_KERNEL_IOBUFFERMEMORYDESCRIPTOR_H */
