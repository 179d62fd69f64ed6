/*
 * IOTimerEventSource.h - a one-shot timeout whose action runs on a work
 * loop.
 *
 *	static void
 *	watchdog(OSObject *owner, IOTimerEventSource *sender)
 *	{
 *		...check the device; IOTimerEventSource_setTimeoutMS(sender, 1000) to rearm...
 *	}
 *	tes = IOTimerEventSource_timerEventSource(owner, watchdog);
 *	IOWorkLoop_addEventSource(wl, &tes->tes_es);
 *	IOTimerEventSource_setTimeoutMS(tes, 1000);
 *
 * A timeout is a Mach timer call (mach/kern/timer_call.h): when it
 * expires, its callout (interrupt context) marks the source fired and
 * wakes the loop, whose thread runs the action with the gate held. Each
 * setTimeout or wakeAtTime replaces the pending timeout, if any.
 * cancelTimeout, disable, removal from the loop and release all cancel it:
 * after they return the action will not run for it (unless it is running
 * already, on the loop's thread), and no callout is left running that
 * could touch the source. Timeouts are not periodic: the action rearms.
 *
 * The source must be on a work loop to be armed (kIOReturnNotReady
 * otherwise): the loop is where the callout delivers.
 *
 * Locks: [t] tes_lock, a spin lock taken with interrupts off (the
 * callout runs with interrupts off); below the gate, above the loop's
 * work lock.
 */

#ifndef IOKIT_KERNEL_IOTIMEREVENTSOURCE_H
#define IOKIT_KERNEL_IOTIMEREVENTSOURCE_H

#include <stdint.h>

#include "iokit/Kernel/IOEventSource.h"
#include "iokit/Kernel/IOLocks.h"
#include "mach/kern/timer_call.h"

typedef struct IOTimerEventSource IOTimerEventSource;
typedef void (*IOTimerEventAction)(OSObject *owner, IOTimerEventSource *sender);

struct IOTimerEventSource {
	IOEventSource		tes_es;
	IOSimpleLock		*tes_lock;
	timer_call_data_t	tes_call;
	uint64_t		tes_generation;	/* [t] the current timeout's number */
	uint32_t		tes_outstanding; /* [t] callouts queued or on their way */
	bool			tes_fired;	/* [t] the action is due */
	uint64_t		tes_deadline;	/* [t] of the current timeout */
};
OSDeclareDefaultStructors(IOTimerEventSource);

/* kTickScale: one tick of setTimeoutTicks, in nanoseconds (100 Hz, as Apple's). */
#define kTickScale	(1000000000u / 100u)

/*
 * IOTimerEventSource_timerEventSource: a new source, enabled, not armed.
 * NULL (logged) if action is NULL, or if memory ran out.
 */
IOTimerEventSource *IOTimerEventSource_timerEventSource(OSObject *owner,
		    IOTimerEventAction action);

/*
 * Arm the timeout: after an interval (interval * scale_factor ns), or at
 * a deadline in mach absolute time. kIOReturnSuccess;
 * kIOReturnNotReady if the source is on no work loop; kIOReturnNoResources
 * if it has no action; kIOReturnNotPermitted while it is disabled.
 */
IOReturn	IOTimerEventSource_setTimeout(IOTimerEventSource *tes, uint32_t interval,
		    uint32_t scale_factor);
IOReturn	IOTimerEventSource_setTimeoutTicks(IOTimerEventSource *tes, uint32_t ticks);
IOReturn	IOTimerEventSource_setTimeoutMS(IOTimerEventSource *tes, uint32_t ms);
IOReturn	IOTimerEventSource_setTimeoutUS(IOTimerEventSource *tes, uint32_t us);
IOReturn	IOTimerEventSource_wakeAtTime(IOTimerEventSource *tes, uint64_t abstime);

/* cancelTimeout: the pending timeout, if any, will not run its action. */
void		IOTimerEventSource_cancelTimeout(IOTimerEventSource *tes);

#endif /* IOKIT_KERNEL_IOTIMEREVENTSOURCE_H */
