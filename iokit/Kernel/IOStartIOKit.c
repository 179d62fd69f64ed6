/*
 * IOStartIOKit.c - IOKitInitialize: the I/O Kit's start-up, one call per
 * piece, in dependency order.
 */

#include "iokit/Kernel/IOStartIOKit.h"

#include "iokit/Kernel/IOBufferMemoryDescriptor.h"
#include "iokit/Kernel/IOCatalogue.h"
#include "iokit/Kernel/IODMACommand.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"
#include "iokit/Kernel/IORegistryEntry.h"
#include "iokit/Kernel/IOService.h"
#include "libkern/panic.h"

/* The memory classes, superclasses before subclasses. */
static OSMetaClass *const iokit_memory_classes[] = {
	&IOMemoryDescriptor_metaClass,
	&IOMemoryMap_metaClass,
	&IOBufferMemoryDescriptor_metaClass,
	&IODMACommand_metaClass,
};

void
IOKitInitialize(void)
{
	/* The registry: its classes, lock, planes and root. */
	IORegistryEntry_initialize();
	/* The personalities of every kext in the catalog, before anything matches. */
	IOCatalogue_initialize();
	/* IOService and IOResources, which is registered (and matched) here. */
	IOService_initialize();
	/* Memory descriptors, buffers, maps and DMA commands. */
	for (size_t i = 0; i < sizeof(iokit_memory_classes) / sizeof(iokit_memory_classes[0]); i++)
		if (OSMetaClass_register(iokit_memory_classes[i]) != KERN_SUCCESS)
			panic("IOKitInitialize: cannot register %s",
			    OSMetaClass_getClassName(iokit_memory_classes[i]));
	IOMemoryDescriptor_initialize();
}
