/*
 * IOVirtioQueue.h - one virtqueue of a virtio device: the rings
 * (IOVirtioRing.h) in physically contiguous memory from an
 * IOBufferMemoryDescriptor, given to the device, with the calls a driver
 * makes to post requests and collect their completions.
 *
 *	q = IOVirtioQueue_withDevice(dev, 0);		before driverOK
 *	segs = { {hdr_pa, 16}, {data_pa, 512}, {status_pa, 1} };
 *	IOVirtioQueue_addBuffers(q, segs, 1, 2, req);	1 read by the device, 2 written
 *	IOVirtioQueue_notify(q);
 *	...in the interrupt action, on the work loop:
 *	while (IOVirtioQueue_getUsed(q, &cookie, &len)) complete(cookie, len);
 *	...stop: IOVirtioDevice_reset(dev) first, then OSSafeReleaseNULL(q).
 *
 * The memory: IOVirtioRing_memorySize(size) bytes, 4096-aligned, below
 * 2^44 (the legacy queue address register holds a 32-bit page number),
 * zeroed, wired for the queue's life. The queue's size is the device's
 * (its queue size register), checked: 0 or not a power of two is refused
 * and the device marked FAILED.
 *
 * A device that hands back something wrong on the used ring (IOVirtioRing.h
 * lists the checks) is marked FAILED (one log line: the device, the queue,
 * the rule) and getUsed returns false from then on; nothing it wrote is
 * believed.
 *
 * Invariants: vq_memory, vq_slots and vq_freeNext live as long as the
 * queue; the device has the rings' address from withDevice until the
 * queue is freed (free writes 0 to it, after the driver's reset).
 *
 * Locks: none; the driver calls it from one context at a time (its work
 * loop, or start and stop).
 */

#ifndef IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIOQUEUE_H
#define IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIOQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "iokit/Families/IOVirtioFamily/IOVirtioDevice.h"
#include "iokit/Families/IOVirtioFamily/IOVirtioRing.h"
#include "iokit/Kernel/IOBufferMemoryDescriptor.h"
#include "libkern/OSObject.h"

typedef struct IOVirtioQueue IOVirtioQueue;

struct IOVirtioQueue {
	OSObject		vq_object;	/* the superclass, first */
	IOVirtioDevice		*vq_device;	/* [I] retained */
	uint16_t		vq_index;	/* [I] the queue's number on the device */
	IOBufferMemoryDescriptor *vq_memory;	/* [I] the rings */
	struct IOVirtioRingSlot	*vq_slots;	/* [I] per chain head */
	uint16_t		*vq_freeNext;	/* [I] free-list links */
	bool			vq_given;	/* [I] the device has the address */
	struct IOVirtioRing	vq_ring;	/* [w] */
};
OSDeclareDefaultStructors(IOVirtioQueue);

/*
 * withDevice: set up queue index of dev and give its address to the
 * device. NULL, logged, if the device has no such queue (size 0), a size
 * that is not a power of two (the device is marked FAILED), has failed,
 * or memory ran out.
 */
IOVirtioQueue	*IOVirtioQueue_withDevice(IOVirtioDevice *dev, uint16_t index);

/* getSize: the queue's size (descriptors). */
uint32_t	IOVirtioQueue_getSize(IOVirtioQueue *q);

/*
 * addBuffers: post a request of nout device-readable segments followed by
 * nin device-writable ones (physical addresses), remembered by cookie.
 * kIOReturnSuccess; kIOReturnNoSpace if there are not enough free
 * descriptors; kIOReturnBadArgument for an empty request or segment;
 * kIOReturnNotReady if the device has failed.
 */
IOReturn	IOVirtioQueue_addBuffers(IOVirtioQueue *q, const struct IOVirtioSegment *segs,
		    unsigned nout, unsigned nin, void *cookie);

/* notify: tell the device there are new requests, unless it said it needs no kick. */
void		IOVirtioQueue_notify(IOVirtioQueue *q);

/*
 * getUsed: the next completed request's cookie and the bytes the device
 * wrote into its writable segments. false when none is pending, or when
 * the device broke a rule (it is then marked FAILED).
 */
bool		IOVirtioQueue_getUsed(IOVirtioQueue *q, void **cookie, uint32_t *len);

/* inFlight: requests the device holds. */
uint32_t	IOVirtioQueue_inFlight(IOVirtioQueue *q);

#endif /* IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIOQUEUE_H */
