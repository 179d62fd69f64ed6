/*
 * IOVirtioQueue.c - a virtqueue of a virtio device (IOVirtioQueue.h): the
 * rings' memory, given to the device through the legacy queue registers,
 * and the ring calls with the device marked FAILED when it breaks a rule.
 */

#include "iokit/Families/IOVirtioFamily/IOVirtioQueue.h"

#include "iokit/Families/IOVirtioFamily/IOVirtioFamilyPrivate.h"
#include "iokit/Kernel/IOLib.h"
#include "libkern/printf.h"
#include "libkern/string.h"

/* The rings must start on a page below 2^44: the page number fits 32 bits. */
#define QUEUE_PHYS_LIMIT	(1ULL << 44)

static void
IOVirtioQueue_free(OSObject *obj)
{
	IOVirtioQueue *q = (IOVirtioQueue *)obj;
	uint32_t n = q->vq_ring.vr_entries;

	if (q->vq_given)
		IOVirtioDevice_setQueueAddress(q->vq_device, q->vq_index, 0);
	if (q->vq_slots != NULL)
		OSFree(q->vq_slots, n * (uint32_t)sizeof(*q->vq_slots), gIOVirtioFamilyTag);
	if (q->vq_freeNext != NULL)
		OSFree(q->vq_freeNext, n * (uint32_t)sizeof(*q->vq_freeNext), gIOVirtioFamilyTag);
	OSSafeReleaseNULL(q->vq_memory);
	OSSafeReleaseNULL(q->vq_device);
}

static const struct OSObject_methods IOVirtioQueue_methods = {
	.free = IOVirtioQueue_free,
};
OSDefineMetaClassAndStructorsWithMethods(IOVirtioQueue, OSObject, &IOVirtioQueue_methods);

/* Size check and memory; false (logged) if the device or memory says no. */
static bool
queue_alloc(IOVirtioQueue *q, uint32_t size)
{
	const char *why;
	char msg[96];

	if (!IOVirtioRing_checkSize(size, &why)) {
		snprintf(msg, sizeof msg, "queue %u: %s (%u)", q->vq_index, why, size);
		IOVirtioDevice_failed(q->vq_device, msg);
		return false;
	}
	/* Contiguous buffers are whole pages of one physical run: page-aligned. */
	q->vq_memory = IOBufferMemoryDescriptor_withCapacity(IOVirtioRing_memorySize(size),
	    kIODirectionInOut, true);
	q->vq_slots = OSMalloc(size * (uint32_t)sizeof(*q->vq_slots), gIOVirtioFamilyTag);
	q->vq_freeNext = OSMalloc(size * (uint32_t)sizeof(*q->vq_freeNext), gIOVirtioFamilyTag);
	q->vq_ring.vr_entries = size;	/* for free, should the rest fail */
	if (q->vq_memory == NULL || q->vq_slots == NULL || q->vq_freeNext == NULL) {
		IOLog("IOVirtioFamily: queue %u: out of memory for %u entries\n", q->vq_index,
		    size);
		return false;
	}
	return true;
}

IOVirtioQueue *
IOVirtioQueue_withDevice(IOVirtioDevice *dev, uint16_t index)
{
	IOVirtioQueue *q;
	uint32_t size;
	uint64_t pa;
	void *mem;

	if (IOVirtioDevice_isFailed(dev))
		return NULL;
	if ((q = OSTypeAlloc(IOVirtioQueue)) == NULL)
		return NULL;
	OSObject_retain(OSOBJ(dev));
	q->vq_device = dev;
	q->vq_index = index;
	size = IOVirtioDevice_queueSize(dev, index);
	if (!queue_alloc(q, size)) {
		OSObject_release(OSOBJ(q));
		return NULL;
	}
	pa = IOMemoryDescriptor_getPhysicalAddress(&q->vq_memory->bmd_md);
	if (pa == 0 || (pa & (kIOVirtioRingAlign - 1)) != 0 ||
	    pa + IOVirtioRing_memorySize(size) > QUEUE_PHYS_LIMIT) {
		IOLog("IOVirtioFamily: queue %u: its memory at 0x%llx is not page-aligned "
		    "below 2^44\n", index, (unsigned long long)pa);
		OSObject_release(OSOBJ(q));
		return NULL;
	}
	mem = IOBufferMemoryDescriptor_getBytesNoCopy(q->vq_memory);
	memset(mem, 0, IOVirtioRing_memorySize(size));
	IOVirtioRing_init(&q->vq_ring, size, mem, q->vq_slots, q->vq_freeNext);
	IOVirtioDevice_setQueueAddress(dev, index, (uint32_t)(pa >> kVirtioLegacyPageShift));
	q->vq_given = true;
	return q;
}

uint32_t
IOVirtioQueue_getSize(IOVirtioQueue *q)
{
	return q->vq_ring.vr_entries;
}

uint32_t
IOVirtioQueue_inFlight(IOVirtioQueue *q)
{
	return IOVirtioRing_inFlight(&q->vq_ring);
}

IOReturn
IOVirtioQueue_addBuffers(IOVirtioQueue *q, const struct IOVirtioSegment *segs,
    unsigned nout, unsigned nin, void *cookie)
{
	if (IOVirtioDevice_isFailed(q->vq_device) || q->vq_ring.vr_broken)
		return kIOReturnNotReady;
	if (nout + nin == 0)
		return kIOReturnBadArgument;
	for (unsigned i = 0; i < nout + nin; i++)
		if (segs[i].vs_len == 0)
			return kIOReturnBadArgument;
	if (nout + nin > q->vq_ring.vr_numFree)
		return kIOReturnNoSpace;
	return IOVirtioRing_add(&q->vq_ring, segs, nout, nin, cookie, NULL) == 0 ?
	    kIOReturnSuccess : kIOReturnBadArgument;
}

void
IOVirtioQueue_notify(IOVirtioQueue *q)
{
	if (!IOVirtioDevice_isFailed(q->vq_device) && IOVirtioRing_needsNotify(&q->vq_ring))
		IOVirtioDevice_notifyQueue(q->vq_device, q->vq_index);
}

bool
IOVirtioQueue_getUsed(IOVirtioQueue *q, void **cookie, uint32_t *len)
{
	char msg[112];
	int r;

	if (IOVirtioDevice_isFailed(q->vq_device))
		return false;
	r = IOVirtioRing_getUsed(&q->vq_ring, cookie, len);
	if (r < 0) {
		snprintf(msg, sizeof msg, "queue %u: %s", q->vq_index, q->vq_ring.vr_error);
		IOVirtioDevice_failed(q->vq_device, msg);
	}
	return r > 0;
}
