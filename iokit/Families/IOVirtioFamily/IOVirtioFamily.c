/*
 * IOVirtioFamily.c - the virtio family kext (org.machina.iokit.IOVirtioFamily):
 * the driver of virtio PCI functions and the library virtio drivers link
 * against (IOVirtioDevice.h, IOVirtioQueue.h).
 *
 * Its classes, IOVirtioDevice and IOVirtioQueue, register from the kext's
 * constructors; start makes the family's allocation tag and stop frees it
 * (the kernel unloads the kext only when no instance of its classes lives
 * and no driver links against it).
 */

#include "iokit/Families/IOVirtioFamily/IOVirtioFamilyPrivate.h"

#include <stddef.h>

#include "mach/kmod.h"

kern_return_t IOVirtioFamily_start(kmod_info_t *ki, void *data);
kern_return_t IOVirtioFamily_stop(kmod_info_t *ki, void *data);

OSMallocTag gIOVirtioFamilyTag;

kern_return_t
IOVirtioFamily_start(kmod_info_t *ki, void *data)
{
	gIOVirtioFamilyTag = OSMalloc_Tagalloc("org.machina.iokit.IOVirtioFamily", 0);
	return gIOVirtioFamilyTag != NULL ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t
IOVirtioFamily_stop(kmod_info_t *ki, void *data)
{
	OSMalloc_Tagfree(gIOVirtioFamilyTag);
	gIOVirtioFamilyTag = NULL;
	return KERN_SUCCESS;
}
