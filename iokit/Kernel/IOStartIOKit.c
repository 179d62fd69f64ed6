/*
 * IOStartIOKit.c - IOKitInitialize: the I/O Kit's start-up, one call per
 * piece, in dependency order.
 */

#include "iokit/Kernel/IOStartIOKit.h"

#include "iokit/Kernel/IOCatalogue.h"
#include "iokit/Kernel/IORegistryEntry.h"
#include "iokit/Kernel/IOService.h"

void
IOKitInitialize(void)
{
	/* The registry: its classes, lock, planes and root. */
	IORegistryEntry_initialize();
	/* The personalities of every kext in the catalog, before anything matches. */
	IOCatalogue_initialize();
	/* IOService and IOResources, which is registered (and matched) here. */
	IOService_initialize();
}
