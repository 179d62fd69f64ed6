/*
 * __NAME__.c - __IDENT__: an I/O Kit driver (docs/iokit.md).
 *
 * The class __CLASS__ is a subclass of IOService. Info.plist's
 * IOKitPersonalities says when it is wanted: here, on IOResources once the
 * I/O Kit is up (IOResourceMatch "IOKit"), so matching loads this kext at
 * boot from /System/Library/Extensions; for real hardware, name its nub
 * instead (IOProviderClass IOPCIDevice with IOPCIMatch, say). start gets a
 * work loop of its own and a timer that ticks on it; stop takes them down
 * before the kernel may unload the code.
 */

#include <IOKit/IOLib.h>
#include <IOKit/IOService.h>
#include <IOKit/IOTimerEventSource.h>
#include <IOKit/IOWorkLoop.h>
#include <mach/kmod.h>

struct __CLASS__ {
	IOService		drv_service;	/* the superclass, first */
	IOWorkLoop		*drv_workloop;
	IOTimerEventSource	*drv_timer;
	unsigned		drv_ticks;
};
OSDeclareDefaultStructors(__CLASS__);

/* On the work loop, in its gate: the driver's own work goes here. */
static void
drv_tick(OSObject *owner, IOTimerEventSource *sender)
{
	struct __CLASS__ *drv = (struct __CLASS__ *)owner;

	if (++drv->drv_ticks == 1)
		IOLog("__NAME__: the work loop's timer fired\n");
	if (drv->drv_ticks < 10)
		(void)IOTimerEventSource_setTimeoutMS(sender, 100);
}

static bool
drv_start(IOService *self, IOService *provider)
{
	struct __CLASS__ *drv = (struct __CLASS__ *)self;
	char name[64];

	drv->drv_workloop = IOWorkLoop_workLoop();
	drv->drv_timer = IOTimerEventSource_timerEventSource(OSOBJ(drv), drv_tick);
	if (drv->drv_workloop == NULL || drv->drv_timer == NULL ||
	    IOWorkLoop_addEventSource(drv->drv_workloop, &drv->drv_timer->tes_es) != kIOReturnSuccess)
		return false;	/* stop is not called: free releases what was made */
	IOEventSource_enable(&drv->drv_timer->tes_es);
	(void)IOTimerEventSource_setTimeoutMS(drv->drv_timer, 100);
	IOLog("__NAME__: started on %s\n",
	    IORegistryEntry_getName(&provider->sv_entry, NULL, name, sizeof name));
	IOService_registerService(self, 0);
	return true;
}

static void
drv_stop(IOService *self, IOService *provider)
{
	struct __CLASS__ *drv = (struct __CLASS__ *)self;

	if (drv->drv_timer != NULL) {
		IOTimerEventSource_cancelTimeout(drv->drv_timer);
		(void)IOWorkLoop_removeEventSource(drv->drv_workloop, &drv->drv_timer->tes_es);
	}
	IOLog("__NAME__: stopped after %u ticks\n", drv->drv_ticks);
}

/* The last release: the loop's thread has ended when its release returns. */
static void
drv_free(OSObject *obj)
{
	struct __CLASS__ *drv = (struct __CLASS__ *)obj;

	OSSafeReleaseNULL(drv->drv_timer);
	OSSafeReleaseNULL(drv->drv_workloop);
}

static const struct IOService_methods drv_methods = {
	.re.os.free = drv_free,
	.start = drv_start,
	.stop = drv_stop,
};
OSDefineMetaClassAndStructorsWithMethods(__CLASS__, IOService, &drv_methods);

/* The kext itself: its classes register before start; nothing else to do. */
kern_return_t __NAME___start(kmod_info_t *ki, void *data);
kern_return_t __NAME___stop(kmod_info_t *ki, void *data);

kern_return_t
__NAME___start(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}

kern_return_t
__NAME___stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
