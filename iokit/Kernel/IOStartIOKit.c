/*
 * IOStartIOKit.c - IOKitInitialize: the kernel's I/O Kit classes joined to
 * the class registry (they are defined without constructors, as libkern's
 * are, since the kernel runs none), each piece's own set-up after.
 */

#include "iokit/Kernel/IOStartIOKit.h"

#include "iokit/Kernel/IOBufferMemoryDescriptor.h"
#include "iokit/Kernel/IODMACommand.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"
#include "libkern/panic.h"

/* Superclasses before subclasses. */
static OSMetaClass *const iokit_classes[] = {
	&IOMemoryDescriptor_metaClass,
	&IOMemoryMap_metaClass,
	&IOBufferMemoryDescriptor_metaClass,
	&IODMACommand_metaClass,
};

void
IOKitInitialize(void)
{
	for (size_t i = 0; i < sizeof(iokit_classes) / sizeof(iokit_classes[0]); i++)
		if (OSMetaClass_register(iokit_classes[i]) != KERN_SUCCESS)
			panic("IOKitInitialize: cannot register %s",
			    OSMetaClass_getClassName(iokit_classes[i]));
	IOMemoryDescriptor_initialize();
}
