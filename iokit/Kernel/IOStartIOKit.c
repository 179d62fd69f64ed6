/*
 * IOStartIOKit.c - IOKitInitialize: the I/O Kit's start-up, one call per
 * piece, in dependency order. The kernel's own classes are registered by
 * hand, as libkern's are (the kernel runs no constructors), superclasses
 * first.
 */

#include "iokit/Kernel/IOStartIOKit.h"

#include <stddef.h>

#include "iokit/Kernel/IOBufferMemoryDescriptor.h"
#include "iokit/Kernel/IOCatalogue.h"
#include "iokit/Kernel/IOCommandGate.h"
#include "iokit/Kernel/IODMACommand.h"
#include "iokit/Kernel/IOEventSource.h"
#include "iokit/Kernel/IOInterruptEventSource.h"
#include "iokit/Kernel/IOLocks.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"
#include "iokit/Kernel/IOPlatformExpert.h"
#include "iokit/Kernel/IORegistryEntry.h"
#include "iokit/Kernel/IOService.h"
#include "iokit/Kernel/IOTimerEventSource.h"
#include "iokit/Kernel/IOWorkLoop.h"
#include "iokit/Kernel/iokit_rpc.h"
#include "libkern/OSMetaClass.h"
#include "libkern/panic.h"

/* Classes with no start-up of their own beyond being registered. */
static OSMetaClass *const iokit_classes[] = {
	&IOWorkLoop_metaClass,
	&IOEventSource_metaClass,
	&IOInterruptEventSource_metaClass,
	&IOFilterInterruptEventSource_metaClass,
	&IOTimerEventSource_metaClass,
	&IOCommandGate_metaClass,
	&IOMemoryDescriptor_metaClass,
	&IOMemoryMap_metaClass,
	&IOBufferMemoryDescriptor_metaClass,
	&IODMACommand_metaClass,
};

void
IOKitInitialize(void)
{
	/* The I/O Kit's lock group, which IOLockAlloc and the rest use. */
	IOLocksInit();
	for (size_t i = 0; i < sizeof(iokit_classes) / sizeof(iokit_classes[0]); i++) {
		if (OSMetaClass_register(iokit_classes[i]) != KERN_SUCCESS)
			panic("IOKitInitialize: cannot register %s",
			    OSMetaClass_getClassName(iokit_classes[i]));
	}
	IOMemoryDescriptor_initialize();
	/* The registry: its classes, lock, planes and root. */
	IORegistryEntry_initialize();
	/* The personalities of every kext in the catalog, before anything matches. */
	IOCatalogue_initialize();
	/*
	 * IOService, IOUserClient and IOResources, which is registered (and
	 * matched) here.
	 */
	IOService_initialize();
	/*
	 * The machine below the root: its CPUs, ACPI tables and legacy
	 * devices, whose drivers matching loads and starts here.
	 */
	IOPlatformExpert_initialize();
	/*
	 * The master port, through which user space reaches the registry,
	 * and the thread that tells user clients their task has gone.
	 */
	iokit_rpc_initialize();
}
