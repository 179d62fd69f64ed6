/*
 * VirtioRNG.c - the driver of virtio's entropy device (device type 4,
 * QEMU's virtio-rng-pci): it asks the device for random bytes and mixes
 * them into the kernel's entropy pool with write_random (kernel/random.h).
 *
 * One request is in flight at a time: a 64-byte device-writable buffer on
 * queue 0 ("requestq"). Completions arrive by interrupt on the driver's
 * work loop. The rate is bounded: requests follow each other at once
 * until kVirtioRNGFillBytes have been mixed in after start (the pool's
 * initial fill), and after that one request a second
 * (kVirtioRNGIntervalMS, an IOTimerEventSource), so the driver costs
 * nothing worth measuring once the pool is seeded.
 *
 * Locks: every field after start is touched only on the work loop (its
 * interrupt and timer sources' actions), or in start before the interrupt
 * source is enabled, or in stop after it is disabled.
 */

#include <IOKit/IOBufferMemoryDescriptor.h>
#include <IOKit/IOInterruptEventSource.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOService.h>
#include <IOKit/IOTimerEventSource.h>
#include <IOKit/IOWorkLoop.h>
#include <IOKit/virtio/IOVirtioDevice.h>
#include <IOKit/virtio/IOVirtioQueue.h>
#include <kernel/random.h>
#include <mach/kmod.h>

#define kVirtioRNGRequestBytes	64
#define kVirtioRNGFillBytes	1024
#define kVirtioRNGIntervalMS	1000

struct VirtioRNG {
	IOService		rng_service;	/* the superclass, first */
	IOVirtioDevice		*rng_dev;	/* the provider */
	IOVirtioQueue		*rng_queue;
	IOBufferMemoryDescriptor *rng_buffer;	/* what the device fills */
	uint64_t		rng_bufferPA;
	IOWorkLoop		*rng_workloop;
	IOInterruptEventSource	*rng_ies;
	IOTimerEventSource	*rng_timer;
	bool			rng_inFlight;	/* the device holds the buffer */
	uint64_t		rng_received;	/* bytes mixed in since start */
};
OSDeclareDefaultStructors(VirtioRNG);

/* Post the buffer, unless it is already posted or the device has failed. */
static void
rng_request(VirtioRNG *rng)
{
	struct IOVirtioSegment seg = { rng->rng_bufferPA, kVirtioRNGRequestBytes };

	if (rng->rng_inFlight || IOVirtioDevice_isFailed(rng->rng_dev))
		return;
	if (IOVirtioQueue_addBuffers(rng->rng_queue, &seg, 0, 1, rng) != kIOReturnSuccess)
		return;
	rng->rng_inFlight = true;
	IOVirtioQueue_notify(rng->rng_queue);
}

/* On the work loop: the device filled the buffer (or some of it). */
static void
rng_interrupt(OSObject *owner, IOVirtioDevice *dev, uint8_t isr)
{
	VirtioRNG *rng = (VirtioRNG *)owner;
	void *cookie;
	uint32_t len;

	if (!(isr & kIOVirtioISRQueue))
		return;
	while (IOVirtioQueue_getUsed(rng->rng_queue, &cookie, &len)) {
		rng->rng_inFlight = false;
		if (len > 0)
			write_random(IOBufferMemoryDescriptor_getBytesNoCopy(rng->rng_buffer), len);
		rng->rng_received += len;
	}
	if (rng->rng_inFlight)
		return;
	if (rng->rng_received < kVirtioRNGFillBytes)
		rng_request(rng);
	else
		(void)IOTimerEventSource_setTimeoutMS(rng->rng_timer, kVirtioRNGIntervalMS);
}

static void
rng_timer(OSObject *owner, IOTimerEventSource *sender)
{
	rng_request((VirtioRNG *)owner);
}

/* The queue, the buffer, the work loop and its sources; false (logged) if any is missing. */
static bool
rng_setup(VirtioRNG *rng)
{
	rng->rng_queue = IOVirtioQueue_withDevice(rng->rng_dev, 0);
	rng->rng_buffer = IOBufferMemoryDescriptor_withCapacity(kVirtioRNGRequestBytes,
	    kIODirectionIn, true);
	rng->rng_workloop = IOWorkLoop_workLoop();
	rng->rng_ies = IOVirtioDevice_interruptEventSource(rng->rng_dev, OSOBJ(rng),
	    rng_interrupt);
	rng->rng_timer = IOTimerEventSource_timerEventSource(OSOBJ(rng), rng_timer);
	if (rng->rng_queue == NULL || rng->rng_buffer == NULL || rng->rng_workloop == NULL ||
	    rng->rng_ies == NULL || rng->rng_timer == NULL) {
		IOLog("VirtioRNG: cannot set up the device (queue, buffer or work loop)\n");
		return false;
	}
	rng->rng_bufferPA = IOMemoryDescriptor_getPhysicalAddress(&rng->rng_buffer->bmd_md);
	if (IOWorkLoop_addEventSource(rng->rng_workloop, &rng->rng_ies->ies_es) !=
	    kIOReturnSuccess ||
	    IOWorkLoop_addEventSource(rng->rng_workloop, &rng->rng_timer->tes_es) !=
	    kIOReturnSuccess) {
		IOLog("VirtioRNG: cannot add the event sources to the work loop\n");
		return false;
	}
	return true;
}

static void
rng_teardown(VirtioRNG *rng)
{
	if (rng->rng_ies != NULL) {
		IOEventSource_disable(&rng->rng_ies->ies_es);
		if (rng->rng_workloop != NULL)
			(void)IOWorkLoop_removeEventSource(rng->rng_workloop, &rng->rng_ies->ies_es);
	}
	if (rng->rng_timer != NULL) {
		IOTimerEventSource_cancelTimeout(rng->rng_timer);
		IOEventSource_disable(&rng->rng_timer->tes_es);
		if (rng->rng_workloop != NULL)
			(void)IOWorkLoop_removeEventSource(rng->rng_workloop,
			    &rng->rng_timer->tes_es);
	}
	OSSafeReleaseNULL(rng->rng_ies);
	OSSafeReleaseNULL(rng->rng_timer);
	OSSafeReleaseNULL(rng->rng_workloop);
	OSSafeReleaseNULL(rng->rng_queue);	/* after the reset: the device lets go */
	OSSafeReleaseNULL(rng->rng_buffer);
}

static bool
rng_start(IOService *self, IOService *provider)
{
	VirtioRNG *rng = (VirtioRNG *)self;

	rng->rng_dev = OSDynamicCast(IOVirtioDevice, provider);
	if (rng->rng_dev == NULL ||
	    IOVirtioDevice_getDeviceType(rng->rng_dev) != kIOVirtioDeviceTypeEntropy)
		return false;
	if (IOVirtioDevice_negotiateFeatures(rng->rng_dev, 0, NULL) != kIOReturnSuccess ||
	    !rng_setup(rng)) {
		IOVirtioDevice_reset(rng->rng_dev);
		rng_teardown(rng);
		return false;
	}
	IOEventSource_enable(&rng->rng_ies->ies_es);
	(void)IOVirtioDevice_driverOK(rng->rng_dev);
	IOLog("VirtioRNG: started; queue of %u entries, %u-byte requests\n",
	    IOVirtioQueue_getSize(rng->rng_queue), kVirtioRNGRequestBytes);
	IOWorkLoop_closeGate(rng->rng_workloop);
	rng_request(rng);
	IOWorkLoop_openGate(rng->rng_workloop);
	IOService_registerService(self, 0);
	return true;
}

static void
rng_stop(IOService *self, IOService *provider)
{
	VirtioRNG *rng = (VirtioRNG *)self;

	IOVirtioDevice_reset(rng->rng_dev);	/* no more DMA into the buffer */
	rng_teardown(rng);
	IOLog("VirtioRNG: stopped after %llu bytes\n", (unsigned long long)rng->rng_received);
}

static void
rng_free(OSObject *obj)
{
	rng_teardown((VirtioRNG *)obj);
}

static const struct IOService_methods rng_methods = {
	.re.os.free = rng_free,
	.start = rng_start,
	.stop = rng_stop,
};
OSDefineMetaClassAndStructorsWithMethods(VirtioRNG, IOService, &rng_methods);

kern_return_t VirtioRNG_start(kmod_info_t *ki, void *data);
kern_return_t VirtioRNG_stop(kmod_info_t *ki, void *data);

kern_return_t
VirtioRNG_start(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}

kern_return_t
VirtioRNG_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
