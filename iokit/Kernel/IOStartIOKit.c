/*
 * IOStartIOKit.c - IOKitInitialize: the I/O Kit's lock group, then its
 * classes, registered by hand as libkern's are (the kernel runs no
 * constructors), superclasses first.
 */

#include "iokit/Kernel/IOStartIOKit.h"

#include <stddef.h>

#include "iokit/Kernel/IOCommandGate.h"
#include "iokit/Kernel/IOEventSource.h"
#include "iokit/Kernel/IOInterruptEventSource.h"
#include "iokit/Kernel/IOLocks.h"
#include "iokit/Kernel/IOTimerEventSource.h"
#include "iokit/Kernel/IOWorkLoop.h"
#include "libkern/OSMetaClass.h"
#include "libkern/panic.h"

static OSMetaClass *const iokit_classes[] = {
	&IOWorkLoop_metaClass,
	&IOEventSource_metaClass,
	&IOInterruptEventSource_metaClass,
	&IOFilterInterruptEventSource_metaClass,
	&IOTimerEventSource_metaClass,
	&IOCommandGate_metaClass,
};

void
IOKitInitialize(void)
{
	IOLocksInit();
	for (size_t i = 0; i < sizeof(iokit_classes) / sizeof(iokit_classes[0]); i++) {
		if (OSMetaClass_register(iokit_classes[i]) != KERN_SUCCESS)
			panic("IOKitInitialize: cannot register %s",
			    iokit_classes[i]->className);
	}
}
