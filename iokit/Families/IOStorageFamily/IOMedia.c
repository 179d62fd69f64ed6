/*
 * IOMedia.c - the whole disk as a medium: its properties and the requests
 * that go through its driver (IOMedia.h).
 */

#include "iokit/Families/IOStorageFamily/IOMedia.h"

#include "libkern/OSBoolean.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"

static void
media_free(OSObject *obj)
{
	IOMedia *media = (IOMedia *)obj;

	OSSafeReleaseNULL(media->m_driver);
}

static const struct IOService_methods media_methods = {
	.re.os = { .free = media_free },
};
OSDefineMetaClassAndStructorsWithMethods(IOMedia, IOService, &media_methods);

static bool
media_set_number(IOMedia *media, const char *key, uint64_t value)
{
	OSNumber *n = OSNumber_withNumber(value, 64);
	bool ok = n != NULL && IORegistryEntry_setProperty(&media->m_service.sv_entry, key,
	    OSOBJ(n));

	OSSafeReleaseNULL(n);
	return ok;
}

static bool
media_set_string(IOMedia *media, const char *key, const char *value)
{
	OSString *s = OSString_withCString(value);
	bool ok = s != NULL && IORegistryEntry_setProperty(&media->m_service.sv_entry, key,
	    OSOBJ(s));

	OSSafeReleaseNULL(s);
	return ok;
}

static bool
media_set_bool(IOMedia *media, const char *key, bool value)
{
	return IORegistryEntry_setProperty(&media->m_service.sv_entry, key,
	    OSOBJ(OSBoolean_withBoolean(value)));
}

static bool
media_set_properties(IOMedia *media, const char *name, bool removable)
{
	const struct IOStorageGeometry *g = &media->m_geometry;

	return IORegistryEntry_setName(&media->m_service.sv_entry, name, NULL) &&
	    media_set_number(media, kIOMediaSizeKey, g->sg_blockSize * g->sg_blockCount) &&
	    media_set_number(media, kIOMediaPreferredBlockSizeKey, g->sg_blockSize) &&
	    media_set_bool(media, kIOMediaWholeKey, true) &&
	    media_set_bool(media, kIOMediaLeafKey, true) &&
	    media_set_bool(media, kIOMediaWritableKey, g->sg_writable) &&
	    media_set_bool(media, kIOMediaRemovableKey, removable) &&
	    media_set_bool(media, kIOMediaEjectableKey, removable) &&
	    media_set_string(media, kIOMediaContentKey, "") &&
	    media_set_string(media, kIOMediaContentHintKey, "");
}

IOMedia *
IOMedia_withDriver(IOBlockStorageDriver *drv, const char *name,
    const struct IOStorageGeometry *geometry, bool removable)
{
	IOMedia *media = OSTypeAlloc(IOMedia);

	if (media == NULL)
		return NULL;
	if (!IOService_init(&media->m_service, NULL)) {
		OSObject_release(OSOBJ(media));
		return NULL;
	}
	media->m_geometry = *geometry;
	OSObject_retain(OSOBJ(drv));
	media->m_driver = drv;
	if (!media_set_properties(media, name, removable)) {
		OSObject_release(OSOBJ(media));
		return NULL;
	}
	return media;
}

const struct IOStorageGeometry *
IOMedia_getGeometry(IOMedia *media)
{
	return &media->m_geometry;
}

uint64_t
IOMedia_getSize(IOMedia *media)
{
	return media->m_geometry.sg_blockSize * media->m_geometry.sg_blockCount;
}

bool
IOMedia_isWritable(IOMedia *media)
{
	return media->m_geometry.sg_writable;
}

IOReturn
IOMedia_readWrite(IOMedia *media, uint64_t byteStart, IOMemoryDescriptor *buffer,
    IOStorageAttributes *attributes, IOStorageCompletion *completion)
{
	if (media == NULL)
		return kIOReturnBadArgument;
	if (IOService_isInactive(&media->m_service))
		return kIOReturnNoDevice;
	return IOBlockStorageDriver_readWrite(media->m_driver, byteStart, buffer, attributes,
	    completion);
}

IOReturn
IOMedia_syncReadWrite(IOMedia *media, uint64_t byteStart, IOMemoryDescriptor *buffer,
    uint64_t *actual)
{
	if (media == NULL)
		return kIOReturnBadArgument;
	if (IOService_isInactive(&media->m_service))
		return kIOReturnNoDevice;
	return IOBlockStorageDriver_syncReadWrite(media->m_driver, byteStart, buffer, actual);
}

IOReturn
IOMedia_synchronizeCache(IOMedia *media)
{
	if (media == NULL)
		return kIOReturnBadArgument;
	if (IOService_isInactive(&media->m_service))
		return kIOReturnNoDevice;
	return IOBlockStorageDriver_synchronizeCache(media->m_driver);
}
