/*
 * IOPCIFamily.c - the PCI family kext (org.machina.iokit.IOPCIFamily): a
 * library drivers of PCI devices link against (IOPCIDevice.h), with the
 * host bridge's driver (IOPCIBridge.h) that publishes the nubs.
 *
 * Its classes, IOPCIBridge and IOPCIDevice, register from the kext's
 * constructors; start makes the family's allocation tag and stop frees
 * it (the kernel unloads the kext only when no instance of its classes
 * lives and no driver links against it).
 */

#include "iokit/Families/IOPCIFamily/IOPCIFamilyPrivate.h"

#include <stddef.h>

#include "mach/kmod.h"

kern_return_t IOPCIFamily_start(kmod_info_t *ki, void *data);
kern_return_t IOPCIFamily_stop(kmod_info_t *ki, void *data);

OSMallocTag gIOPCIFamilyTag;

kern_return_t
IOPCIFamily_start(kmod_info_t *ki, void *data)
{
	gIOPCIFamilyTag = OSMalloc_Tagalloc("org.machina.iokit.IOPCIFamily", 0);
	IOPCIDevice_initReports();
	return gIOPCIFamilyTag != NULL ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t
IOPCIFamily_stop(kmod_info_t *ki, void *data)
{
	IOPCIDevice_freeReports();
	OSMalloc_Tagfree(gIOPCIFamilyTag);
	gIOPCIFamilyTag = NULL;
	return KERN_SUCCESS;
}
