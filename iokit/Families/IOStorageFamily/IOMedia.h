/*
 * IOMedia.h - a medium of a block storage device, as the rest of the
 * system sees it (XNU's IOMedia): here always the whole disk, published by
 * its IOBlockStorageDriver below it in the IOService plane, with the
 * properties macOS users know:
 *
 *	"Size"			bytes (OSNumber)
 *	"Preferred Block Size"	bytes per block (OSNumber)
 *	"Whole"			true: the whole disk (OSBoolean)
 *	"Leaf"			true: nothing is carved out of it (no partitions yet)
 *	"Writable"		whether writes reach the device (OSBoolean)
 *	"Removable"		as the device reported (OSBoolean)
 *	"Ejectable"		the same (OSBoolean)
 *	"Content"		the partition-map type: "" (none is read yet)
 *	"Content Hint"		""
 * and, once its BSD client (IOMediaBSDClient.h) has made its device nodes,
 *	"BSD Name"		"disk0" (OSString), "BSD Major", "BSD Minor",
 *	"BSD Unit"		(OSNumbers)
 *
 * Requests on a medium are byte offsets and lengths in whole blocks, in
 * the buffer's direction; they go through the driver's checks to the
 * device (IOBlockStorageDriver.h has the results).
 *
 * Locks: none of its own; its fields are fixed at creation. [I].
 */

#ifndef IOKIT_FAMILIES_IOSTORAGEFAMILY_IOMEDIA_H
#define IOKIT_FAMILIES_IOSTORAGEFAMILY_IOMEDIA_H

#include "iokit/Families/IOStorageFamily/IOBlockStorageDriver.h"

#define kIOMediaSizeKey			"Size"
#define kIOMediaPreferredBlockSizeKey	"Preferred Block Size"
#define kIOMediaWholeKey		"Whole"
#define kIOMediaLeafKey			"Leaf"
#define kIOMediaWritableKey		"Writable"
#define kIOMediaRemovableKey		"Removable"
#define kIOMediaEjectableKey		"Ejectable"
#define kIOMediaContentKey		"Content"
#define kIOMediaContentHintKey		"Content Hint"
#define kIOBSDNameKey			"BSD Name"
#define kIOBSDMajorKey			"BSD Major"
#define kIOBSDMinorKey			"BSD Minor"
#define kIOBSDUnitKey			"BSD Unit"

typedef struct IOMedia IOMedia;

struct IOMedia {
	IOService		m_service;	/* the superclass, first */
	IOBlockStorageDriver	*m_driver;	/* [I] retained */
	struct IOStorageGeometry m_geometry;	/* [I] */
};
OSDeclareDefaultStructors(IOMedia);

/*
 * IOMedia_withDriver: a new whole-disk medium of drv (one reference, not
 * yet attached), named name, with the properties above; NULL if out of
 * memory.
 */
IOMedia		*IOMedia_withDriver(IOBlockStorageDriver *drv, const char *name,
		    const struct IOStorageGeometry *geometry, bool removable);

const struct IOStorageGeometry *IOMedia_getGeometry(IOMedia *media);
uint64_t	IOMedia_getSize(IOMedia *media);
bool		IOMedia_isWritable(IOMedia *media);

/* Requests (IOBlockStorageDriver.h); kIOReturnNoDevice once the medium is going away. */
IOReturn	IOMedia_readWrite(IOMedia *media, uint64_t byteStart, IOMemoryDescriptor *buffer,
		    IOStorageAttributes *attributes, IOStorageCompletion *completion);
IOReturn	IOMedia_syncReadWrite(IOMedia *media, uint64_t byteStart,
		    IOMemoryDescriptor *buffer, uint64_t *actual);
IOReturn	IOMedia_synchronizeCache(IOMedia *media);

#endif /* IOKIT_FAMILIES_IOSTORAGEFAMILY_IOMEDIA_H */
