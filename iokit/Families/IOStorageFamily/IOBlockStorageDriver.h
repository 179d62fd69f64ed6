/*
 * IOBlockStorageDriver.h - the storage family's generic driver of a block
 * storage device (XNU's IOBlockStorageDriver): it matches every
 * IOBlockStorageDevice (the personality in the family's Info.plist), reads
 * and checks the device's geometry once in start, publishes an IOMedia for
 * the whole disk, and is the only path by which requests reach the device:
 * each one is checked (IOStorageRequest.h) before the device sees it.
 *
 * Requests: IOBlockStorageDriver_readWrite is asynchronous (the device's
 * contract, IOBlockStorageDevice.h): it checks the request, prepares the
 * buffer, counts the request in flight and hands it to the device; the
 * caller's completion runs once the device has completed it and the buffer
 * is completed again. syncReadWrite waits for that on the caller's thread.
 *
 * Going away: willTerminate closes the driver to new requests
 * (kIOReturnNoDevice); stop waits until the requests in flight have
 * completed, so the device's own stop, which runs after, sees none.
 *
 * Invariants
 *   - bd_inflight counts requests handed to the device whose completion
 *     has not run; once bd_closed is set it only goes down;
 *   - bd_geometry and bd_device do not change after start.
 *
 * Locks: bd_lock (a mutex, a leaf: nothing is called with it held) covers
 * bd_inflight and bd_closed, and the synchronous waits. Keys: [l] bd_lock,
 * [I] fixed after start.
 */

#ifndef IOKIT_FAMILIES_IOSTORAGEFAMILY_IOBLOCKSTORAGEDRIVER_H
#define IOKIT_FAMILIES_IOSTORAGEFAMILY_IOBLOCKSTORAGEDRIVER_H

#include "iokit/Families/IOStorageFamily/IOBlockStorageDevice.h"
#include "iokit/Families/IOStorageFamily/IOStorageRequest.h"
#include "iokit/Kernel/IOLocks.h"

struct IOMedia;

typedef struct IOBlockStorageDriver IOBlockStorageDriver;

struct IOBlockStorageDriver {
	IOService		bd_service;	/* the superclass, first */
	IOBlockStorageDevice	*bd_device;	/* [I] the provider */
	struct IOStorageGeometry bd_geometry;	/* [I] */
	bool			bd_removable;	/* [I] */
	struct IOMedia		*bd_media;	/* [I] retained, the whole disk */
	IOLock			*bd_lock;
	uint32_t		bd_inflight;	/* [l] */
	bool			bd_closed;	/* [l] refuses new requests */
};
OSDeclareDefaultStructors(IOBlockStorageDriver);

/*
 * readWrite: byteCount = the buffer's length bytes at byteStart, in the
 * buffer's direction (kIODirectionIn: read). kIOReturnSuccess: the
 * completion will run once. Otherwise it will not: kIOReturnBadArgument
 * (no buffer, a bad direction, not whole blocks), kIOReturnOverrun (past
 * the end), kIOReturnNotWritable, kIOReturnNoDevice (going away),
 * kIOReturnNoMemory, or what prepare or the device refused with.
 */
IOReturn	IOBlockStorageDriver_readWrite(IOBlockStorageDriver *drv, uint64_t byteStart,
		    IOMemoryDescriptor *buffer, IOStorageAttributes *attributes,
		    IOStorageCompletion *completion);
/* syncReadWrite: the same, waiting; the completion's status, and *actual its byte count. */
IOReturn	IOBlockStorageDriver_syncReadWrite(IOBlockStorageDriver *drv, uint64_t byteStart,
		    IOMemoryDescriptor *buffer, uint64_t *actual);
/* synchronizeCache: the device's doSynchronizeCache; kIOReturnNoDevice once closed. */
IOReturn	IOBlockStorageDriver_synchronizeCache(IOBlockStorageDriver *drv);

#endif /* IOKIT_FAMILIES_IOSTORAGEFAMILY_IOBLOCKSTORAGEDRIVER_H */
