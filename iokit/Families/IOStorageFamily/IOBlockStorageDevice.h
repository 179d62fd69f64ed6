/*
 * IOBlockStorageDevice.h - the nub a block storage driver publishes for a
 * disk, and the whole of the API such a driver implements (XNU's
 * IOBlockStorageDevice, in C). Part of the IOStorageFamily kext
 * (org.machina.iokit.IOStorageFamily): a driver names that identifier in
 * its OSBundleLibraries and includes <IOKit/storage/IOBlockStorageDevice.h>
 * from the SDK. docs/iokit-storage.md has the whole picture.
 *
 * Layering (as in XNU):
 *
 *	your driver's IOBlockStorageDevice subclass	(you: moves blocks)
 *	  IOBlockStorageDriver				(the family: checks requests)
 *	    IOMedia "disk0"				(the family: the whole disk)
 *	      /dev/disk0, /dev/rdisk0			(the family's BSD glue)
 *
 * A driver makes a subclass of IOBlockStorageDevice whose method table
 * (struct IOBlockStorageDevice_methods) fills the report* and
 * doAsyncReadWrite entries, puts an instance in the IOService plane (it may
 * be the driver object itself, or a nub it creates and attaches below
 * itself) and calls IOService_registerService on it. The family's
 * IOBlockStorageDriver matches every IOBlockStorageDevice (personality in
 * the family's Info.plist), asks it for its geometry once, in its start,
 * and publishes an IOMedia for the whole disk:
 *
 *	static IOReturn
 *	mydisk_doAsyncReadWrite(IOBlockStorageDevice *self, IOMemoryDescriptor *buffer,
 *	    uint64_t block, uint64_t nblks, IOStorageAttributes *attributes,
 *	    IOStorageCompletion *completion)
 *	{
 *		(start the transfer; later, once:)
 *		IOStorageCompletion_complete(completion, kIOReturnSuccess, nblks * 512);
 *		return kIOReturnSuccess;
 *	}
 *	static IOReturn mydisk_reportBlockSize(IOBlockStorageDevice *self, uint64_t *bs)
 *	{ *bs = 512; return kIOReturnSuccess; }
 *	...
 *	static const struct IOBlockStorageDevice_methods mydisk_methods = {
 *		.sv.re.os = { .free = mydisk_free },
 *		.sv.start = mydisk_start,
 *		.reportBlockSize = mydisk_reportBlockSize,
 *		.reportMaxValidBlock = mydisk_reportMaxValidBlock,
 *		.doAsyncReadWrite = mydisk_doAsyncReadWrite,
 *	};
 *	OSDefineMetaClassAndStructorsWithMethods(com_example_MyDisk,
 *	    IOBlockStorageDevice, &mydisk_methods);
 *
 * The I/O contract (doAsyncReadWrite):
 *   - the family has already checked the request: 1 <= nblks, block + nblks
 *     <= the block count the device reported (no overflow), the buffer's
 *     length is exactly nblks * block size, its direction is
 *     kIODirectionIn (a read: the device writes the buffer) or
 *     kIODirectionOut (a write), and a write is not sent to a device that
 *     reported itself write-protected. A device need not check again;
 *   - the buffer is prepared (wired) by the family before the call and
 *     stays prepared until the completion has run: the device may take
 *     physical segments for DMA, or copy with IOMemoryDescriptor_readBytes
 *     and _writeBytes;
 *   - asynchronous, as XNU's: on kIOReturnSuccess the device has accepted
 *     the request and calls IOStorageCompletion_complete(completion, ...)
 *     exactly once, with the status and the bytes moved, either before
 *     doAsyncReadWrite returns (on the caller's thread: a memory disk) or
 *     later from any thread (a work loop's action, a command gate, ...)
 *     but not from a primary interrupt handler. *completion is the
 *     device's to copy: the pointer is valid only during the call. Any
 *     other return means the request was refused and the completion is
 *     never called;
 *   - the device may be asked for several requests at once (from several
 *     threads); it serialises what it must itself;
 *   - every accepted request completes, also when the device is going
 *     away: the family's stop waits for requests in flight before the
 *     device's own stop runs (a client is stopped before its provider).
 *     So a device must not terminate itself from the thread that
 *     completes its requests (its work loop): that wait would never end.
 *     A device that has lost its hardware completes what it holds with
 *     an error (kIOReturnNoMedia) first.
 *
 * Geometry: reportBlockSize (bytes, a power of two from 512 to 65536),
 * reportMaxValidBlock (the number of the last block, so count - 1; a
 * device with no blocks cannot be published), reportWriteProtection,
 * reportRemovability are asked once, in the IOBlockStorageDriver's start;
 * a device whose answers are missing or out of range is refused there
 * with one log line, and no IOMedia appears. The geometry may not change
 * while the device is published (no media change yet).
 *
 * doSynchronizeCache (optional): write whatever the device caches to
 * stable storage; called synchronously (it may sleep) for
 * DKIOCSYNCHRONIZECACHE. A device without a cache leaves it NULL.
 *
 * Locks: the family holds no lock of its own across any call into the
 * device; a device's methods may sleep (except that the completion must
 * not be called from interrupt context, see above).
 */

#ifndef IOKIT_FAMILIES_IOSTORAGEFAMILY_IOBLOCKSTORAGEDEVICE_H
#define IOKIT_FAMILIES_IOSTORAGEFAMILY_IOBLOCKSTORAGEDEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "iokit/Kernel/IOMemoryDescriptor.h"
#include "iokit/Kernel/IOService.h"

/* The family's bundle identifier, for OSBundleLibraries. */
#define kIOStorageFamilyBundleIdentifier	"org.machina.iokit.IOStorageFamily"

/* Property keys the family's objects have (IOMedia.h lists the media's). */
#define kIOBlockStorageDeviceTypeKey	"device-type"		/* optional, a driver's OSString */
#define kIOPropertyVendorNameKey	"Vendor Name"		/* optional, a driver's OSString */
#define kIOPropertyProductNameKey	"Product Name"		/* optional, a driver's OSString */

/* Limits the family enforces on a device's geometry. */
#define kIOBlockStorageMinBlockSize	512u
#define kIOBlockStorageMaxBlockSize	65536u

/* Options of a request (IOStorageAttributes.options). */
#define kIOStorageOptionNone		0x00000000
#define kIOStorageOptionForceUnitAccess	0x00000001	/* write through any cache */

typedef struct IOStorageAttributes {
	IOOptionBits	options;	/* kIOStorageOption* */
	uint32_t	reserved[3];	/* zero */
} IOStorageAttributes;

/*
 * A completion: action(target, parameter, status, actualByteCount) is
 * called once per accepted request. status is kIOReturnSuccess or the
 * error (kIOReturnIOError for a failed transfer, kIOReturnNoMedia,
 * kIOReturnNotWritable, ...); actualByteCount the bytes moved (all of them
 * on success).
 */
typedef void (*IOStorageCompletionAction)(void *target, void *parameter, IOReturn status,
    uint64_t actualByteCount);

typedef struct IOStorageCompletion {
	void				*target;
	IOStorageCompletionAction	action;
	void				*parameter;
} IOStorageCompletion;

/* IOStorageCompletion_complete: call completion's action (nothing if it has none). */
static inline void
IOStorageCompletion_complete(const IOStorageCompletion *completion, IOReturn status,
    uint64_t actualByteCount)
{
	if (completion != NULL && completion->action != NULL)
		completion->action(completion->target, completion->parameter, status,
		    actualByteCount);
}

typedef struct IOBlockStorageDevice IOBlockStorageDevice;

struct IOBlockStorageDevice {
	IOService	bsd_service;	/* the superclass, first */
	void		*bsd_reserved;	/* the family's; drivers keep out */
};
OSDeclareDefaultStructors(IOBlockStorageDevice);

struct IOBlockStorageDevice_methods {
	struct IOService_methods sv;
	/* reportBlockSize: *blockSize gets the bytes per block. Required. */
	IOReturn	(*reportBlockSize)(IOBlockStorageDevice *self, uint64_t *blockSize);
	/* reportMaxValidBlock: *maxBlock gets the last block's number (count - 1). Required. */
	IOReturn	(*reportMaxValidBlock)(IOBlockStorageDevice *self, uint64_t *maxBlock);
	/* reportWriteProtection: *isWriteProtected. Default: false (writable). */
	IOReturn	(*reportWriteProtection)(IOBlockStorageDevice *self,
			    bool *isWriteProtected);
	/* reportRemovability: *isRemovable. Default: false. */
	IOReturn	(*reportRemovability)(IOBlockStorageDevice *self, bool *isRemovable);
	/*
	 * doAsyncReadWrite: the transfer of nblks blocks from block, into or
	 * out of buffer (its direction says which); see the contract above.
	 * Required.
	 */
	IOReturn	(*doAsyncReadWrite)(IOBlockStorageDevice *self, IOMemoryDescriptor *buffer,
			    uint64_t block, uint64_t nblks, IOStorageAttributes *attributes,
			    IOStorageCompletion *completion);
	/* doSynchronizeCache: flush the device's write cache; may sleep. Optional. */
	IOReturn	(*doSynchronizeCache)(IOBlockStorageDevice *self);
};

/*
 * IOBlockStorageDevice_init: initialise a new device (from OSTypeAlloc of
 * the driver's subclass) with a copy of properties (NULL: none). A device
 * that is itself the driver matched from a personality is initialised by
 * matching and does not call it.
 */
bool		IOBlockStorageDevice_init(IOBlockStorageDevice *dev, OSDictionary *properties);

/*
 * The methods, dispatched through the device's class (what the family
 * calls; a driver calls them only on its own device). A required method
 * the class does not have gives kIOReturnUnsupported.
 */
IOReturn	IOBlockStorageDevice_reportBlockSize(IOBlockStorageDevice *dev,
		    uint64_t *blockSize);
IOReturn	IOBlockStorageDevice_reportMaxValidBlock(IOBlockStorageDevice *dev,
		    uint64_t *maxBlock);
IOReturn	IOBlockStorageDevice_reportWriteProtection(IOBlockStorageDevice *dev,
		    bool *isWriteProtected);
IOReturn	IOBlockStorageDevice_reportRemovability(IOBlockStorageDevice *dev,
		    bool *isRemovable);
IOReturn	IOBlockStorageDevice_doAsyncReadWrite(IOBlockStorageDevice *dev,
		    IOMemoryDescriptor *buffer, uint64_t block, uint64_t nblks,
		    IOStorageAttributes *attributes, IOStorageCompletion *completion);
IOReturn	IOBlockStorageDevice_doSynchronizeCache(IOBlockStorageDevice *dev);

#endif /* IOKIT_FAMILIES_IOSTORAGEFAMILY_IOBLOCKSTORAGEDEVICE_H */
