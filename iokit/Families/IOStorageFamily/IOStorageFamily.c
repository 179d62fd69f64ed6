/*
 * IOStorageFamily.c - the storage family kext
 * (org.machina.iokit.IOStorageFamily): a library block storage drivers
 * link against (IOBlockStorageDevice.h), with the generic driver that
 * matches every block storage device and publishes its IOMedia, and the
 * BSD glue that gives each whole medium /dev/diskN and /dev/rdiskN.
 *
 * Its classes register from the kext's constructors; start makes the
 * family's allocation tag and registers the disk character devices, stop
 * undoes both (the kernel unloads the kext only when no instance of its
 * classes lives and no driver links against it; stop also refuses while a
 * descriptor of a disk that has gone is still open).
 */

#include "iokit/Families/IOStorageFamily/IOStorageFamilyPrivate.h"

#include "iokit/Families/IOStorageFamily/IOBlockStorageDevice.h"
#include "mach/kmod.h"

kern_return_t IOStorageFamily_start(kmod_info_t *ki, void *data);
kern_return_t IOStorageFamily_stop(kmod_info_t *ki, void *data);

OSMallocTag gIOStorageFamilyTag;

kern_return_t
IOStorageFamily_start(kmod_info_t *ki, void *data)
{
	kern_return_t kr;

	(void)ki;
	(void)data;
	gIOStorageFamilyTag = OSMalloc_Tagalloc(kIOStorageFamilyBundleIdentifier, 0);
	if (gIOStorageFamilyTag == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = IOMediaBSDClient_initialize();
	if (kr != KERN_SUCCESS) {
		OSMalloc_Tagfree(gIOStorageFamilyTag);
		gIOStorageFamilyTag = NULL;
	}
	return kr;
}

kern_return_t
IOStorageFamily_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	if (IOMediaBSDClient_finalize() != KERN_SUCCESS)
		return KERN_FAILURE;
	OSMalloc_Tagfree(gIOStorageFamilyTag);
	gIOStorageFamilyTag = NULL;
	return KERN_SUCCESS;
}
