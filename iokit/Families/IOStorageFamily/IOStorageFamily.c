/*
 * IOStorageFamily.c - the storage family kext
 * (org.machina.iokit.IOStorageFamily): a library block storage drivers
 * link against (IOBlockStorageDevice.h), with the generic driver that
 * matches every block storage device and publishes its IOMedia, and the
 * BSD glue that gives each whole medium /dev/diskN and /dev/rdiskN.
 *
 * Its classes register from the kext's constructors; start makes the
 * family's allocation tag and stop frees it (the kernel unloads the kext
 * only when no instance of its classes lives and no driver links
 * against it).
 */

#include "iokit/Families/IOStorageFamily/IOBlockStorageDevice.h"

#include "libkern/OSMalloc.h"
#include "mach/kmod.h"

kern_return_t IOStorageFamily_start(kmod_info_t *ki, void *data);
kern_return_t IOStorageFamily_stop(kmod_info_t *ki, void *data);

OSMallocTag gIOStorageFamilyTag;

kern_return_t
IOStorageFamily_start(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	gIOStorageFamilyTag = OSMalloc_Tagalloc(kIOStorageFamilyBundleIdentifier, 0);
	return gIOStorageFamilyTag != NULL ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t
IOStorageFamily_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	OSMalloc_Tagfree(gIOStorageFamilyTag);
	gIOStorageFamilyTag = NULL;
	return KERN_SUCCESS;
}
