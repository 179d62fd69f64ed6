/*
 * IOWorkLoop.h - a driver's work loop: one thread, and a gate that
 * serializes everything done for the driver's event sources.
 *
 *	wl = IOWorkLoop_workLoop();
 *	ies = IOInterruptEventSource_interruptEventSource(owner, handle_irq, irq);
 *	IOWorkLoop_addEventSource(wl, &ies->ies_es);
 *	IOEventSource_enable(&ies->ies_es);
 *	...
 *	IOWorkLoop_removeEventSource(wl, &ies->ies_es);
 *	OSSafeReleaseNULL(ies);
 *	OSSafeReleaseNULL(wl);		the thread has ended when this returns
 *
 * The gate is a recursive lock. Every event source's action runs with it
 * held: on the loop's thread (interrupt and timer actions, called from
 * checkForWork) or on the caller's (runAction, IOCommandGate). So a
 * driver's actions never run at the same time as each other, and code in
 * one may call into another (the gate is recursive).
 *
 * The thread sleeps until signalWorkAvailable (from an event source, in
 * any context, interrupts included); then, with the gate held, it calls
 * checkForWork on each source in the order they were added, and again
 * from the start while any says it has more or the chain changed, and
 * sleeps again.
 *
 * Releasing the last reference closes the gate (so waits for the thread
 * to finish what it is doing), removes and releases every source still on
 * the loop (an interrupt source's handler is then off its line, a timer's
 * callout cancelled), stops the thread and waits for it to end
 * (thread_wait_terminated) before the memory goes: a kext may be unloaded
 * as soon as its stop routine's release returns. runAction holds a
 * reference while the action runs. If the last release comes from an
 * action on the loop's own thread, the sources are removed at once and
 * the thread ends when the action returns, freeing what is left (the
 * thread's state is kept apart from the object for this). The last
 * release must not come from another thread holding the gate by
 * closeGate (it would wait for itself).
 *
 * Locks, in order: the gate [g] (a sleeping lock: not from interrupt
 * context), then a source's own spin lock, then the loop's work lock
 * [w] (a spin lock taken with interrupts off; signalWorkAvailable takes
 * only it), then the scheduler's.
 */

#ifndef IOKIT_KERNEL_IOWORKLOOP_H
#define IOKIT_KERNEL_IOWORKLOOP_H

#include <stdbool.h>

#include "iokit/Kernel/IOEventSource.h"
#include "iokit/Kernel/IOLocks.h"
#include "iokit/Kernel/IOReturn.h"
#include "libkern/OSObject.h"
#include "mach/kern/kern_types.h"

/* What runAction and IOCommandGate run: target, and four arguments. */
typedef IOReturn (*IOWorkLoopAction)(OSObject *target, void *arg0, void *arg1,
    void *arg2, void *arg3);

struct IOWorkLoopThreadState;		/* private to IOWorkLoop.c */

struct IOWorkLoop {
	OSObject			wl_os;
	IORecursiveLock			*wl_gate;	/* the gate */
	struct IOWorkLoopThreadState	*wl_state;	/* what the thread uses */
	thread_t			wl_thread;	/* its thread (a reference) */
};
OSDeclareDefaultStructors(IOWorkLoop);

/*
 * IOWorkLoop_workLoop: a new work loop and its thread (running, asleep),
 * with one reference for the caller. NULL if memory ran out.
 */
IOWorkLoop	*IOWorkLoop_workLoop(void);

/*
 * IOWorkLoop_addEventSource: put es on wl's chain (wl retains it) and tell
 * it so (its setWorkLoop). kIOReturnBadArgument for NULL;
 * kIOReturnExclusiveAccess if es is on another loop; kIOReturnSuccess if
 * it is already on this one; the source's error if it refused (an
 * interrupt line full: kIOReturnNoResources).
 * IOWorkLoop_removeEventSource: take it off and release it.
 * kIOReturnBadArgument for NULL; kIOReturnNotFound if it is not on wl.
 * Both take the gate, so may be called from any thread, actions
 * included; not from interrupt context.
 */
IOReturn	IOWorkLoop_addEventSource(IOWorkLoop *wl, IOEventSource *es);
IOReturn	IOWorkLoop_removeEventSource(IOWorkLoop *wl, IOEventSource *es);

/*
 * IOWorkLoop_runAction: action(target, arg0..arg3) on the calling thread
 * with the gate held; its result. kIOReturnBadArgument if action is NULL.
 */
IOReturn	IOWorkLoop_runAction(IOWorkLoop *wl, IOWorkLoopAction action,
		    OSObject *target, void *arg0, void *arg1, void *arg2, void *arg3);

/* Whether the current thread holds the gate; whether it is wl's thread. */
bool		IOWorkLoop_inGate(const IOWorkLoop *wl);
bool		IOWorkLoop_onThread(const IOWorkLoop *wl);
thread_t	IOWorkLoop_getThread(const IOWorkLoop *wl);

/* The gate itself (Apple's closeGate, openGate, tryCloseGate). */
void		IOWorkLoop_closeGate(IOWorkLoop *wl);
void		IOWorkLoop_openGate(IOWorkLoop *wl);
bool		IOWorkLoop_tryCloseGate(IOWorkLoop *wl);

/*
 * IOWorkLoop_sleepGate: with the gate held (at any depth), give it up,
 * sleep on event until IOWorkLoop_wakeupGate or the deadline (mach
 * absolute time; 0 for none), and take it back at the same depth. Returns
 * THREAD_AWAKENED (kIOReturnSuccess), THREAD_TIMED_OUT or
 * THREAD_INTERRUPTED; kIOReturnNotPermitted if the caller is not in the
 * gate.
 */
IOReturn	IOWorkLoop_sleepGate(IOWorkLoop *wl, void *event, uint64_t deadline,
		    uint32_t interType);
void		IOWorkLoop_wakeupGate(IOWorkLoop *wl, void *event, bool oneThread);

/* IOWorkLoop_signalWorkAvailable: wake the thread. Any context. */
void		IOWorkLoop_signalWorkAvailable(IOWorkLoop *wl);

/* enable or disable every source on the loop (takes the gate). */
void		IOWorkLoop_enableAllEventSources(IOWorkLoop *wl);
void		IOWorkLoop_disableAllEventSources(IOWorkLoop *wl);

#endif /* IOKIT_KERNEL_IOWORKLOOP_H */
