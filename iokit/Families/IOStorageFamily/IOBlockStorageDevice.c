/*
 * IOBlockStorageDevice.c - the block storage nub's class and the dispatch
 * of its methods to the driver's subclass (IOBlockStorageDevice.h).
 */

#include "iokit/Families/IOStorageFamily/IOBlockStorageDevice.h"

#include <stddef.h>

static IOReturn
bsdev_default_reportWriteProtection(IOBlockStorageDevice *self, bool *isWriteProtected)
{
	(void)self;
	*isWriteProtected = false;
	return kIOReturnSuccess;
}

static IOReturn
bsdev_default_reportRemovability(IOBlockStorageDevice *self, bool *isRemovable)
{
	(void)self;
	*isRemovable = false;
	return kIOReturnSuccess;
}

static void
bsdev_free(OSObject *obj)
{
	(void)obj;		/* nothing of its own */
}

static const struct IOBlockStorageDevice_methods bsdev_methods = {
	.sv.re.os = { .free = bsdev_free },
	.reportWriteProtection = bsdev_default_reportWriteProtection,
	.reportRemovability = bsdev_default_reportRemovability,
};
OSDefineMetaClassAndStructorsWithMethods(IOBlockStorageDevice, IOService, &bsdev_methods);

#define BSDEV_METHOD(dev, name) \
	OSMetaClass_method(OSTypeIDInst(dev), IOBlockStorageDevice, name)

bool
IOBlockStorageDevice_init(IOBlockStorageDevice *dev, OSDictionary *properties)
{
	if (dev == NULL)
		return false;
	return IOService_init(&dev->bsd_service, properties);
}

IOReturn
IOBlockStorageDevice_reportBlockSize(IOBlockStorageDevice *dev, uint64_t *blockSize)
{
	IOReturn (*fn)(IOBlockStorageDevice *, uint64_t *);

	if (dev == NULL || blockSize == NULL)
		return kIOReturnBadArgument;
	fn = BSDEV_METHOD(dev, reportBlockSize);
	return fn != NULL ? fn(dev, blockSize) : kIOReturnUnsupported;
}

IOReturn
IOBlockStorageDevice_reportMaxValidBlock(IOBlockStorageDevice *dev, uint64_t *maxBlock)
{
	IOReturn (*fn)(IOBlockStorageDevice *, uint64_t *);

	if (dev == NULL || maxBlock == NULL)
		return kIOReturnBadArgument;
	fn = BSDEV_METHOD(dev, reportMaxValidBlock);
	return fn != NULL ? fn(dev, maxBlock) : kIOReturnUnsupported;
}

IOReturn
IOBlockStorageDevice_reportWriteProtection(IOBlockStorageDevice *dev, bool *isWriteProtected)
{
	if (dev == NULL || isWriteProtected == NULL)
		return kIOReturnBadArgument;
	return BSDEV_METHOD(dev, reportWriteProtection)(dev, isWriteProtected);
}

IOReturn
IOBlockStorageDevice_reportRemovability(IOBlockStorageDevice *dev, bool *isRemovable)
{
	if (dev == NULL || isRemovable == NULL)
		return kIOReturnBadArgument;
	return BSDEV_METHOD(dev, reportRemovability)(dev, isRemovable);
}

IOReturn
IOBlockStorageDevice_doAsyncReadWrite(IOBlockStorageDevice *dev, IOMemoryDescriptor *buffer,
    uint64_t block, uint64_t nblks, IOStorageAttributes *attributes,
    IOStorageCompletion *completion)
{
	IOReturn (*fn)(IOBlockStorageDevice *, IOMemoryDescriptor *, uint64_t, uint64_t,
	    IOStorageAttributes *, IOStorageCompletion *);

	if (dev == NULL || buffer == NULL || completion == NULL)
		return kIOReturnBadArgument;
	fn = BSDEV_METHOD(dev, doAsyncReadWrite);
	return fn != NULL ? fn(dev, buffer, block, nblks, attributes, completion) :
	    kIOReturnUnsupported;
}

IOReturn
IOBlockStorageDevice_doSynchronizeCache(IOBlockStorageDevice *dev)
{
	IOReturn (*fn)(IOBlockStorageDevice *);

	if (dev == NULL)
		return kIOReturnBadArgument;
	fn = BSDEV_METHOD(dev, doSynchronizeCache);
	return fn != NULL ? fn(dev) : kIOReturnSuccess;	/* no cache: nothing to write */
}
