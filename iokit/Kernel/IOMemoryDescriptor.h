/*
 * IOMemoryDescriptor.h - memory described for I/O: one range of kernel
 * memory, of a user task's memory, or of physical addresses; and
 * IOMemoryMap, such a range mapped into the kernel's address space.
 *
 * A driver is handed (or makes) a descriptor, prepares it before a
 * transfer and completes it after:
 *
 *	md = IOMemoryDescriptor_withAddressRange(uaddr, len, kIODirectionIn, task);
 *	if (md == NULL)				(wrapping, outside the task's map)
 *		return kIOReturnBadArgument;
 *	ret = IOMemoryDescriptor_prepare(md, kIODirectionNone);	(wires the pages)
 *	for (off = 0; off < len; off += seglen)
 *		pa = IOMemoryDescriptor_getPhysicalSegment(md, off, &seglen, 0);
 *	... the device writes there ...
 *	IOMemoryDescriptor_complete(md, kIODirectionNone);	(unwires them)
 *	OSSafeReleaseNULL(md);
 *
 * Kinds of memory:
 *   - kernel virtual (withAddress, or withAddressRange with kernel_task):
 *     the kernel's memory is always wired (docs/memory.md), so preparing
 *     checks that every page is mapped and pins nothing;
 *   - a user task's virtual memory (withAddressRange with a user task): the
 *     descriptor holds a reference on the task's vm_map; the first prepare
 *     wires the range (vm_map_wire_kernel: faulted in, resident, mapped,
 *     each page's vm_page wire count raised), the last complete unwires it;
 *   - physical (withPhysicalAddress): addresses the direct map reaches.
 *
 * Invariants:
 *   - md_length > 0 and [md_address, md_address + md_length) does not wrap;
 *     for task memory it lies inside the task's map, for kernel memory in
 *     the kernel's half, for physical memory inside the direct map;
 *   - md_prepare_count counts prepares not yet completed; the memory is
 *     wired while it is above zero (a buffer descriptor's always is:
 *     md_always_wired), and only then are physical addresses handed out;
 *   - an IOMemoryMap holds a prepare and a reference on its descriptor
 *     for as long as it is mapped.
 *
 * Locks: md_lock (a mutex) serialises prepare and complete (it is held
 * across the wiring, so it comes before the vm_map's lock and everything
 * below it). Other calls read fields that do not change after creation,
 * apart from the length of a buffer descriptor (IOBufferMemoryDescriptor_
 * setLength), which its owner serialises. IOMemoryMap is not locked: its
 * owner unmaps it once.
 */

#ifndef IOKIT_KERNEL_IOMEMORYDESCRIPTOR_H
#define IOKIT_KERNEL_IOMEMORYDESCRIPTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "iokit/Kernel/IOReturn.h"
#include "libkern/OSObject.h"
#include "mach/kern/locks.h"
#include "mach/vm_prot.h"
#include "mach/vm_types.h"

struct task;
struct vm_map;

typedef uint32_t	IOOptionBits;
typedef uint64_t	IOByteCount;
typedef uint64_t	IOPhysicalAddress64;
typedef uint64_t	IOPhysicalLength64;
typedef uint64_t	IOVirtualAddress;

/* Directions (IOOptionBits), Apple's values: In = into memory (a device read). */
typedef uint32_t	IODirection;
#define kIODirectionNone	0x0
#define kIODirectionIn		0x1	/* the device writes memory (user "read") */
#define kIODirectionOut		0x2	/* the device reads memory (user "write") */
#define kIODirectionOutIn	(kIODirectionOut | kIODirectionIn)
#define kIODirectionInOut	(kIODirectionIn | kIODirectionOut)
#define kIOMemoryDirectionMask	0x00000007

/* Memory options (IOBufferMemoryDescriptor), Apple's values. */
#define kIOMemoryPhysicallyContiguous	0x00000010
#define kIOMemoryPageable		0x00000400	/* refused: all memory here is wired */

/* map() options, Apple's values. */
#define kIOMapAnywhere		0x00000001
#define kIOMapDefaultCache	0x00000000
#define kIOMapInhibitCache	0x00000100
#define kIOMapWriteCombineCache	0x00000400
#define kIOMapCacheMask		0x00000700
#define kIOMapReadOnly		0x00001000

/* getPhysicalSegment options. */
#define kIOMemoryMapperNone	0x00000800	/* accepted: there is no mapper */

enum IOMemoryDescriptorKind {
	kIOMemoryKindKernel = 1,	/* kernel virtual addresses */
	kIOMemoryKindTask,		/* a user task's virtual addresses */
	kIOMemoryKindPhysical		/* physical addresses */
};

struct IOMemoryDescriptor {
	OSObject		md_os;
	lck_mtx_t		md_lock;
	uint8_t			md_kind;	/* [I] enum IOMemoryDescriptorKind */
	bool			md_always_wired; /* [I] a buffer's own memory */
	IODirection		md_direction;	/* [I] */
	uint64_t		md_address;	/* [I] virtual or physical start */
	IOByteCount		md_length;	/* [I], a buffer's: its owner's */
	struct vm_map		*md_map;	/* [I] kind Task: referenced */
	uint32_t		md_prepare_count; /* [md_lock] */
	vm_prot_t		md_wired_prot;	/* [md_lock] access the wiring gave */
};
OSDeclareDefaultStructors(IOMemoryDescriptor);

/*
 * Creation. Each returns a new descriptor (one reference) or NULL: for a
 * length of 0, a range that wraps or leaves its address space (task map,
 * kernel half, direct map), a bad direction (the reason is logged with
 * IOLog), or no memory. Unmapped memory is found by prepare.
 */
IOMemoryDescriptor *IOMemoryDescriptor_withAddress(void *address, IOByteCount length,
		    IODirection direction);
IOMemoryDescriptor *IOMemoryDescriptor_withAddressRange(uint64_t address, uint64_t length,
		    IOOptionBits options, struct task *task);
IOMemoryDescriptor *IOMemoryDescriptor_withPhysicalAddress(IOPhysicalAddress64 address,
		    IOByteCount length, IODirection direction);

IOByteCount	IOMemoryDescriptor_getLength(const IOMemoryDescriptor *md);
IODirection	IOMemoryDescriptor_getDirection(const IOMemoryDescriptor *md);
/* The task memory's vm_map, or NULL for kernel and physical memory. */
struct vm_map	*IOMemoryDescriptor_getMap(const IOMemoryDescriptor *md);

/*
 * prepare: make the memory resident and wired, so that its physical
 * addresses hold until the matching complete; nests (only the first
 * prepare wires, the last complete unwires). forDirection is
 * kIODirectionNone (the descriptor's) or a direction. Returns
 * kIOReturnSuccess; kIOReturnVMError (a page is not mapped),
 * kIOReturnNotWritable / kIOReturnNotReadable (the mapping forbids the
 * transfer; also a nested prepare of task memory for kIODirectionIn when
 * the first wired it only for reading), kIOReturnNoMemory (no page to
 * fault in; nothing stays wired).
 * complete returns kIOReturnNotReady if the descriptor is not prepared.
 */
IOReturn	IOMemoryDescriptor_prepare(IOMemoryDescriptor *md, IODirection forDirection);
IOReturn	IOMemoryDescriptor_complete(IOMemoryDescriptor *md, IODirection forDirection);

/*
 * getPhysicalSegment: the physical address of the byte at offset and, in
 * *length (if not NULL), how many bytes from there are physically
 * contiguous (pages are coalesced) up to the end of the descriptor. 0 (and
 * *length 0) if offset is past the end or the descriptor is not prepared.
 * options: 0 or kIOMemoryMapperNone.
 */
IOPhysicalAddress64 IOMemoryDescriptor_getPhysicalSegment(IOMemoryDescriptor *md,
		    IOByteCount offset, IOByteCount *length, IOOptionBits options);
/* getPhysicalAddress: the first byte's (getPhysicalSegment(0)). */
IOPhysicalAddress64 IOMemoryDescriptor_getPhysicalAddress(IOMemoryDescriptor *md);

/*
 * readBytes, writeBytes: copy between the described memory at offset and
 * a kernel buffer, through the physical pages (the descriptor is prepared
 * for the copy). Return the bytes copied: length, cut at the end of the
 * descriptor; 0 if offset is past the end or the memory cannot be wired.
 */
IOByteCount	IOMemoryDescriptor_readBytes(IOMemoryDescriptor *md, IOByteCount offset,
		    void *bytes, IOByteCount length);
IOByteCount	IOMemoryDescriptor_writeBytes(IOMemoryDescriptor *md, IOByteCount offset,
		    const void *bytes, IOByteCount length);

/* --- IOMemoryMap ------------------------------------------------------------- */

struct IOMemoryMap {
	OSObject		mm_os;
	IOMemoryDescriptor	*mm_memory;	/* retained and prepared while mapped */
	vm_offset_t		mm_base;	/* page-aligned start in kernel_map */
	vm_size_t		mm_size;	/* pages mapped, in bytes */
	IOVirtualAddress	mm_address;	/* the descriptor's first byte */
	IOByteCount		mm_length;
	IOOptionBits		mm_options;
};
OSDeclareDefaultStructors(IOMemoryMap);

/*
 * map: the descriptor's memory mapped at a fresh range of kernel_map
 * (wired; options: kIOMapAnywhere, a cache mode, kIOMapReadOnly), the
 * descriptor prepared and retained until the map is unmapped; a new map
 * (one reference) or NULL (the memory cannot be prepared, no address space
 * or page tables; logged). The last release of the map unmaps it.
 */
IOMemoryMap	*IOMemoryDescriptor_map(IOMemoryDescriptor *md, IOOptionBits options);

IOVirtualAddress IOMemoryMap_getVirtualAddress(const IOMemoryMap *map);
IOByteCount	IOMemoryMap_getLength(const IOMemoryMap *map);
IOMemoryDescriptor *IOMemoryMap_getMemoryDescriptor(const IOMemoryMap *map);
/* getPhysicalSegment of the map's descriptor. */
IOPhysicalAddress64 IOMemoryMap_getPhysicalSegment(IOMemoryMap *map, IOByteCount offset,
		    IOByteCount *length, IOOptionBits options);
/* unmap: remove the mapping now (the object stays); kIOReturnNotReady if already unmapped. */
IOReturn	IOMemoryMap_unmap(IOMemoryMap *map);

/* For IOKitInitialize and IOBufferMemoryDescriptor: the lock group. */
void		IOMemoryDescriptor_initialize(void);
void		IOMemoryDescriptor_initFields(IOMemoryDescriptor *md, int kind,
		    uint64_t address, IOByteCount length, IODirection direction);

#endif /* IOKIT_KERNEL_IOMEMORYDESCRIPTOR_H */
