/*
 * IOTimerEventSource.c - timeouts over timer calls, delivered on a work
 * loop.
 *
 * The hazard is the callout: timer_queue_expire takes a call off its
 * queue and then calls it, with no lock held, so timer_call_cancel can
 * miss a callout that is about to run. Two counters deal with it:
 *   - tes_generation numbers the current timeout; a callout carries its
 *     own number (param1) and does nothing if a later setTimeout or a
 *     cancel has moved on;
 *   - tes_outstanding counts callouts entered and not yet finished (a
 *     successful cancel finishes one). Before the source leaves its loop
 *     or is freed, tes_wait_idle spins until it is zero: no callout can
 *     touch the source after that.
 */

#include "iokit/Kernel/IOTimerEventSource.h"

#include <stddef.h>

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOWorkLoop.h"
#include "mach/kern/clock.h"

/* The callout: interrupt context, interrupts off. */
static void
tes_timeout(void *param0, void *param1)
{
	IOTimerEventSource *tes = param0;

	IOSimpleLockLock(tes->tes_lock);
	tes->tes_outstanding--;
	if ((uint64_t)(uintptr_t)param1 == tes->tes_generation) {
		tes->tes_fired = true;
		IOEventSource_signalWorkAvailable(&tes->tes_es);
	}
	IOSimpleLockUnlock(tes->tes_lock);
}

/* Cancel the current timeout. Locks: [t]. */
static void
tes_cancel_locked(IOTimerEventSource *tes)
{
	if (timer_call_cancel(&tes->tes_call))
		tes->tes_outstanding--;
	tes->tes_generation++;		/* a callout on its way finds it stale */
	tes->tes_fired = false;
}

/*
 * Cancel, and wait until no callout is left that could touch tes; then,
 * if detach, take it off its loop (under the lock: no timeout can be
 * armed in between).
 */
static void
tes_wait_idle(IOTimerEventSource *tes, bool detach)
{
	IOInterruptState s;

	for (;;) {
		s = IOSimpleLockLockDisableInterrupt(tes->tes_lock);
		tes_cancel_locked(tes);
		if (tes->tes_outstanding == 0) {
			if (detach)
				tes->tes_es.es_workLoop = NULL;
			IOSimpleLockUnlockEnableInterrupt(tes->tes_lock, s);
			return;
		}
		IOSimpleLockUnlockEnableInterrupt(tes->tes_lock, s);
		ml_cpu_pause();
	}
}

static bool
tes_checkForWork(IOEventSource *es)
{
	IOTimerEventSource *tes = (IOTimerEventSource *)es;
	IOInterruptState s;
	bool fired;

	s = IOSimpleLockLockDisableInterrupt(tes->tes_lock);
	fired = tes->tes_fired && es->es_enabled;
	tes->tes_fired = false;
	IOSimpleLockUnlockEnableInterrupt(tes->tes_lock, s);
	if (fired)
		((IOTimerEventAction)es->es_action)(es->es_owner, tes);
	return false;
}

static IOReturn
tes_setWorkLoop(IOEventSource *es, IOWorkLoop *wl)
{
	IOTimerEventSource *tes = (IOTimerEventSource *)es;
	IOInterruptState s;

	if (wl == NULL) {
		tes_wait_idle(tes, true);
	} else {
		s = IOSimpleLockLockDisableInterrupt(tes->tes_lock);
		es->es_workLoop = wl;
		IOSimpleLockUnlockEnableInterrupt(tes->tes_lock, s);
	}
	return kIOReturnSuccess;
}

static void
tes_disable(IOEventSource *es)
{
	es->es_enabled = false;
	IOTimerEventSource_cancelTimeout((IOTimerEventSource *)es);
}

static void
tes_free(OSObject *obj)
{
	IOTimerEventSource *tes = (IOTimerEventSource *)obj;

	if (tes->tes_lock != NULL) {
		tes_wait_idle(tes, false);
		IOSimpleLockFree(tes->tes_lock);
	}
}

static const struct IOEventSource_methods IOTimerEventSource_methods = {
	.os.free = tes_free,
	.checkForWork = tes_checkForWork,
	.setWorkLoop = tes_setWorkLoop,
	.disable = tes_disable,
};
OSDefineMetaClass(IOTimerEventSource, IOEventSource, &IOTimerEventSource_methods);

IOTimerEventSource *
IOTimerEventSource_timerEventSource(OSObject *owner, IOTimerEventAction action)
{
	IOTimerEventSource *tes;

	if (action == NULL) {
		IOLog("IOTimerEventSource: no action\n");
		return NULL;
	}
	tes = OSTypeAlloc(IOTimerEventSource);
	if (tes == NULL)
		return NULL;
	if ((tes->tes_lock = IOSimpleLockAlloc()) == NULL) {
		OSSafeReleaseNULL(tes);
		return NULL;
	}
	IOEventSource_init(&tes->tes_es, owner, (IOEventSourceAction)action);
	timer_call_setup(&tes->tes_call, tes_timeout, tes);
	return tes;
}

IOReturn
IOTimerEventSource_wakeAtTime(IOTimerEventSource *tes, uint64_t abstime)
{
	IOInterruptState s;
	IOReturn ret = kIOReturnSuccess;

	if (tes->tes_es.es_action == NULL)
		return kIOReturnNoResources;
	s = IOSimpleLockLockDisableInterrupt(tes->tes_lock);
	if (tes->tes_es.es_workLoop == NULL) {
		ret = kIOReturnNotReady;
	} else if (!tes->tes_es.es_enabled) {
		ret = kIOReturnNotPermitted;
	} else {
		tes->tes_generation++;
		tes->tes_fired = false;
		tes->tes_deadline = abstime;
		/* A call still queued is moved: one callout, not two. */
		if (!timer_call_enter1(&tes->tes_call,
		    (void *)(uintptr_t)tes->tes_generation, abstime, 0))
			tes->tes_outstanding++;
	}
	IOSimpleLockUnlockEnableInterrupt(tes->tes_lock, s);
	return ret;
}

IOReturn
IOTimerEventSource_setTimeout(IOTimerEventSource *tes, uint32_t interval,
    uint32_t scale_factor)
{
	uint64_t deadline;

	clock_interval_to_deadline(interval, scale_factor, &deadline);
	return IOTimerEventSource_wakeAtTime(tes, deadline);
}

IOReturn
IOTimerEventSource_setTimeoutTicks(IOTimerEventSource *tes, uint32_t ticks)
{
	return IOTimerEventSource_setTimeout(tes, ticks, kTickScale);
}

IOReturn
IOTimerEventSource_setTimeoutMS(IOTimerEventSource *tes, uint32_t ms)
{
	return IOTimerEventSource_setTimeout(tes, ms, (uint32_t)NSEC_PER_MSEC);
}

IOReturn
IOTimerEventSource_setTimeoutUS(IOTimerEventSource *tes, uint32_t us)
{
	return IOTimerEventSource_setTimeout(tes, us, (uint32_t)NSEC_PER_USEC);
}

void
IOTimerEventSource_cancelTimeout(IOTimerEventSource *tes)
{
	IOInterruptState s = IOSimpleLockLockDisableInterrupt(tes->tes_lock);

	tes_cancel_locked(tes);
	IOSimpleLockUnlockEnableInterrupt(tes->tes_lock, s);
}
