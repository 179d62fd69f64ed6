/*
 * IOBlockStorageDriver.c - the generic driver of every block storage
 * device: geometry checked in start, the whole disk's IOMedia published,
 * requests checked and counted on their way to the device
 * (IOBlockStorageDriver.h).
 */

#include "iokit/Families/IOStorageFamily/IOBlockStorageDriver.h"

#include "iokit/Families/IOStorageFamily/IOMedia.h"
#include "iokit/Families/IOStorageFamily/IOStorageFamilyPrivate.h"
#include "iokit/Kernel/IOLib.h"
#include "libkern/OSString.h"
#include "libkern/libkern.h"
#include "mach/kern/kern_types.h"

/* One request handed to the device: what its completion must undo and call. */
struct bd_request {
	IOBlockStorageDriver	*rq_driver;
	IOMemoryDescriptor	*rq_buffer;	/* retained and prepared */
	IOStorageCompletion	rq_completion;	/* the caller's */
};

/* A synchronous request's rendezvous, on the waiting thread's stack. */
struct bd_sync {
	bool		sy_done;	/* [l] */
	IOReturn	sy_status;	/* [l] */
	uint64_t	sy_actual;	/* [l] */
};

/* --- geometry and start ----------------------------------------------------------- */

/* The device's answers, checked; false (logged, naming it) if unusable. */
static bool
bd_read_geometry(IOBlockStorageDriver *drv, IOBlockStorageDevice *dev)
{
	uint64_t bs = 0, maxBlock = 0;
	bool wp = false, removable = false;
	const char *why = NULL;
	IOReturn ret;

	ret = IOBlockStorageDevice_reportBlockSize(dev, &bs);
	if (ret == kIOReturnSuccess)
		ret = IOBlockStorageDevice_reportMaxValidBlock(dev, &maxBlock);
	if (ret == kIOReturnSuccess)
		ret = IOBlockStorageDevice_reportWriteProtection(dev, &wp);
	if (ret == kIOReturnSuccess)
		ret = IOBlockStorageDevice_reportRemovability(dev, &removable);
	if (ret != kIOReturnSuccess) {
		IOLog("IOBlockStorageDriver: %s did not report its geometry (0x%x)\n",
		    OSMetaClass_getClassName(OSTypeIDInst(dev)), ret);
		return false;
	}
	if (IOStorageCheckGeometry(bs, maxBlock, wp, &drv->bd_geometry, &why) !=
	    kIOReturnSuccess) {
		IOLog("IOBlockStorageDriver: %s refused: %s (block size %llu, last block %llu)\n",
		    OSMetaClass_getClassName(OSTypeIDInst(dev)), why,
		    (unsigned long long)bs, (unsigned long long)maxBlock);
		return false;
	}
	drv->bd_removable = removable;
	return true;
}

/* The medium's name: the device's "Product Name", else its class's. */
static void
bd_media_name(IOBlockStorageDevice *dev, char *buf, size_t len)
{
	OSString *product = OSDynamicCast(OSString, IORegistryEntry_getProperty(
	    &dev->bsd_service.sv_entry, kIOPropertyProductNameKey));

	snprintf(buf, len, "%s Media", product != NULL ? OSString_getCStringNoCopy(product) :
	    OSMetaClass_getClassName(OSTypeIDInst(dev)));
}

static bool
bd_start(IOService *self, IOService *provider)
{
	IOBlockStorageDriver *drv = (IOBlockStorageDriver *)self;
	IOBlockStorageDevice *dev = OSDynamicCast(IOBlockStorageDevice, provider);
	char name[64];

	if (dev == NULL || !bd_read_geometry(drv, dev))
		return false;
	drv->bd_lock = IOLockAlloc();
	if (drv->bd_lock == NULL)
		return false;
	drv->bd_device = dev;
	bd_media_name(dev, name, sizeof(name));
	drv->bd_media = IOMedia_withDriver(drv, name, &drv->bd_geometry, drv->bd_removable);
	if (drv->bd_media == NULL || !IOService_attach(&drv->bd_media->m_service, self)) {
		IOLog("IOBlockStorageDriver: no medium for %s (no memory)\n", name);
		OSSafeReleaseNULL(drv->bd_media);
		return false;	/* bd_free frees the lock */
	}
	IOService_registerService(&drv->bd_media->m_service, 0);
	return true;
}

static bool
bd_willTerminate(IOService *self, IOService *provider, IOOptionBits options)
{
	IOBlockStorageDriver *drv = (IOBlockStorageDriver *)self;

	(void)provider;
	(void)options;
	if (drv->bd_lock != NULL) {
		IOLockLock(drv->bd_lock);
		drv->bd_closed = true;
		IOLockUnlock(drv->bd_lock);
	}
	return true;
}

/* stop: no new requests, and none left in flight, before the device's stop runs. */
static void
bd_stop(IOService *self, IOService *provider)
{
	IOBlockStorageDriver *drv = (IOBlockStorageDriver *)self;

	(void)provider;
	IOLockLock(drv->bd_lock);
	drv->bd_closed = true;
	while (drv->bd_inflight > 0)
		IOLockSleep(drv->bd_lock, &drv->bd_inflight, THREAD_UNINT);
	IOLockUnlock(drv->bd_lock);
	/* The medium, a client, was stopped and detached before us. */
	OSSafeReleaseNULL(drv->bd_media);
}

static void
bd_free(OSObject *obj)
{
	IOBlockStorageDriver *drv = (IOBlockStorageDriver *)obj;

	OSSafeReleaseNULL(drv->bd_media);
	if (drv->bd_lock != NULL)
		IOLockFree(drv->bd_lock);
	drv->bd_lock = NULL;
}

static const struct IOService_methods bd_methods = {
	.re.os = { .free = bd_free },
	.start = bd_start,
	.stop = bd_stop,
	.willTerminate = bd_willTerminate,
};
OSDefineMetaClassAndStructorsWithMethods(IOBlockStorageDriver, IOService, &bd_methods);

/* --- requests ------------------------------------------------------------------------ */

/* The device's completion: undo what readWrite did, then tell the caller. */
static void
bd_request_done(void *target, void *parameter, IOReturn status, uint64_t actual)
{
	struct bd_request *rq = parameter;
	IOBlockStorageDriver *drv = rq->rq_driver;
	IOStorageCompletion caller = rq->rq_completion;

	(void)target;
	(void)IOMemoryDescriptor_complete(rq->rq_buffer, kIODirectionNone);
	OSSafeReleaseNULL(rq->rq_buffer);
	OSFree(rq, sizeof(*rq), gIOStorageFamilyTag);
	IOStorageCompletion_complete(&caller, status, actual);
	IOLockLock(drv->bd_lock);
	if (--drv->bd_inflight == 0)
		IOLockWakeup(drv->bd_lock, &drv->bd_inflight, false);
	IOLockUnlock(drv->bd_lock);
	OSObject_release(OSOBJ(drv));	/* readWrite's */
}

/* Count a request in; false if the driver is closed. */
static bool
bd_enter(IOBlockStorageDriver *drv)
{
	bool open;

	IOLockLock(drv->bd_lock);
	open = !drv->bd_closed;
	if (open)
		drv->bd_inflight++;
	IOLockUnlock(drv->bd_lock);
	return open;
}

static void
bd_leave(IOBlockStorageDriver *drv)
{
	IOLockLock(drv->bd_lock);
	if (--drv->bd_inflight == 0)
		IOLockWakeup(drv->bd_lock, &drv->bd_inflight, false);
	IOLockUnlock(drv->bd_lock);
}

/* Check a request (no side effect): its blocks, or why not. */
static IOReturn
bd_check(IOBlockStorageDriver *drv, uint64_t byteStart, IOMemoryDescriptor *buffer,
    uint64_t *block, uint64_t *nblks)
{
	IODirection dir;

	if (buffer == NULL)
		return kIOReturnBadArgument;
	dir = IOMemoryDescriptor_getDirection(buffer) & kIOMemoryDirectionMask;
	if (dir != kIODirectionIn && dir != kIODirectionOut)
		return kIOReturnBadArgument;
	return IOStorageCheckRequest(&drv->bd_geometry, byteStart,
	    IOMemoryDescriptor_getLength(buffer), dir == kIODirectionOut, block, nblks, NULL);
}

IOReturn
IOBlockStorageDriver_readWrite(IOBlockStorageDriver *drv, uint64_t byteStart,
    IOMemoryDescriptor *buffer, IOStorageAttributes *attributes,
    IOStorageCompletion *completion)
{
	IOStorageAttributes none = { .options = kIOStorageOptionNone };
	IOStorageCompletion done;
	struct bd_request *rq;
	uint64_t block, nblks;
	IOReturn ret;

	if (drv == NULL || completion == NULL || drv->bd_device == NULL)
		return kIOReturnBadArgument;
	if ((ret = bd_check(drv, byteStart, buffer, &block, &nblks)) != kIOReturnSuccess)
		return ret;
	rq = OSMalloc(sizeof(*rq), gIOStorageFamilyTag);
	if (rq == NULL)
		return kIOReturnNoMemory;
	if (!bd_enter(drv)) {
		OSFree(rq, sizeof(*rq), gIOStorageFamilyTag);
		return kIOReturnNoDevice;
	}
	if ((ret = IOMemoryDescriptor_prepare(buffer, kIODirectionNone)) != kIOReturnSuccess) {
		OSFree(rq, sizeof(*rq), gIOStorageFamilyTag);
		bd_leave(drv);
		return ret;
	}
	OSObject_retain(OSOBJ(buffer));
	OSObject_retain(OSOBJ(drv));
	rq->rq_driver = drv;
	rq->rq_buffer = buffer;
	rq->rq_completion = *completion;
	done = (IOStorageCompletion){ .target = drv, .action = bd_request_done, .parameter = rq };
	ret = IOBlockStorageDevice_doAsyncReadWrite(drv->bd_device, buffer, block, nblks,
	    attributes != NULL ? attributes : &none, &done);
	if (ret != kIOReturnSuccess) {
		/* Refused: the completion will not run; undo here. */
		(void)IOMemoryDescriptor_complete(buffer, kIODirectionNone);
		OSObject_release(OSOBJ(buffer));
		OSFree(rq, sizeof(*rq), gIOStorageFamilyTag);
		bd_leave(drv);
		OSObject_release(OSOBJ(drv));
	}
	return ret;
}

static void
bd_sync_done(void *target, void *parameter, IOReturn status, uint64_t actual)
{
	IOBlockStorageDriver *drv = target;
	struct bd_sync *sy = parameter;

	IOLockLock(drv->bd_lock);
	sy->sy_status = status;
	sy->sy_actual = actual;
	sy->sy_done = true;
	IOLockWakeup(drv->bd_lock, sy, false);
	IOLockUnlock(drv->bd_lock);
}

IOReturn
IOBlockStorageDriver_syncReadWrite(IOBlockStorageDriver *drv, uint64_t byteStart,
    IOMemoryDescriptor *buffer, uint64_t *actual)
{
	struct bd_sync sy = { .sy_done = false };
	IOStorageCompletion c = { .target = drv, .action = bd_sync_done, .parameter = &sy };
	IOReturn ret;

	if (actual != NULL)
		*actual = 0;
	ret = IOBlockStorageDriver_readWrite(drv, byteStart, buffer, NULL, &c);
	if (ret != kIOReturnSuccess)
		return ret;
	IOLockLock(drv->bd_lock);
	while (!sy.sy_done)
		IOLockSleep(drv->bd_lock, &sy, THREAD_UNINT);
	IOLockUnlock(drv->bd_lock);
	if (actual != NULL)
		*actual = sy.sy_actual;
	return sy.sy_status;
}

IOReturn
IOBlockStorageDriver_synchronizeCache(IOBlockStorageDriver *drv)
{
	IOReturn ret;

	if (drv == NULL || drv->bd_device == NULL)
		return kIOReturnBadArgument;
	if (!bd_enter(drv))
		return kIOReturnNoDevice;
	ret = IOBlockStorageDevice_doSynchronizeCache(drv->bd_device);
	bd_leave(drv);
	return ret;
}
