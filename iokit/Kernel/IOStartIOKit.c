/*
 * IOStartIOKit.c - IOKitInitialize: the I/O Kit's start-up, one call per
 * piece, in dependency order.
 */

#include "iokit/Kernel/IOStartIOKit.h"

#include "iokit/Kernel/IORegistryEntry.h"

void
IOKitInitialize(void)
{
	/* The registry: its classes, lock, planes and root. */
	IORegistryEntry_initialize();
}
