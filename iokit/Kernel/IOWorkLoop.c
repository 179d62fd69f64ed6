/*
 * IOWorkLoop.c - the work loop's thread, its gate and its chain of event
 * sources.
 *
 * What the thread touches is in a IOWorkLoopThreadState of its own, not
 * in the object, so that the object can be freed under a running thread
 * (when the last release comes from an action on it).
 *
 * The thread's life: sleep on ts_workToDo until signalled; clear it
 * (under the work lock, so a signal that comes while the sources are
 * being checked sets it again and is not lost), then pass over the chain
 * with the gate held; repeat. It ends when told to (ts_terminate), or
 * after the pass in which its loop was freed (ts_orphaned), then freeing
 * the state itself.
 */

#include "iokit/Kernel/IOWorkLoop.h"

#include <stddef.h>

#include "libkern/panic.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"

struct IOWorkLoopThreadState {
	IORecursiveLock	*ts_gate;
	IOSimpleLock	*ts_workLock;
	bool		ts_workToDo;	/* [w] signalled since the thread last looked */
	bool		ts_terminate;	/* [w] the thread is to end */
	bool		ts_orphaned;	/* [g] the loop was freed on its thread */
	IOEventSource	*ts_chain;	/* [g] sources, in the order added */
	bool		ts_chainChanged; /* [g] during the current pass */
	uint64_t	ts_passes;	/* [g] passes over the chain */
};

static void	workloop_free(OSObject *obj);

static const struct OSObject_methods IOWorkLoop_methods = {
	.free = workloop_free,
};
OSDefineMetaClass(IOWorkLoop, OSObject, &IOWorkLoop_methods);

static void
workloop_state_free(struct IOWorkLoopThreadState *ts)
{
	IORecursiveLockFree(ts->ts_gate);
	IOSimpleLockFree(ts->ts_workLock);
	kfree(ts, sizeof(*ts));
}

/* Passes over the chain, every source's checkForWork, while there is more. */
static void
workloop_run_event_sources(struct IOWorkLoopThreadState *ts)
{
	bool more;

	IORecursiveLockLock(ts->ts_gate);
	do {
		more = false;
		ts->ts_chainChanged = false;
		ts->ts_passes++;
		for (IOEventSource *es = ts->ts_chain, *next; es != NULL; es = next) {
			/* An action may remove es (and drop the loop's reference). */
			OSObject_retain(&es->es_os);
			if (IOEventSource_checkForWork(es))
				more = true;
			next = es->es_next;
			OSObject_release(&es->es_os);
			if (ts->ts_chainChanged) {
				more = true;
				break;
			}
		}
	} while (more);
	IORecursiveLockUnlock(ts->ts_gate);
}

static void
workloop_thread(void *param, wait_result_t wresult)
{
	struct IOWorkLoopThreadState *ts = param;
	IOInterruptState s;

	(void)wresult;
	for (;;) {
		s = IOSimpleLockLockDisableInterrupt(ts->ts_workLock);
		if (ts->ts_terminate) {
			IOSimpleLockUnlockEnableInterrupt(ts->ts_workLock, s);
			break;		/* the loop's free waits for us to end */
		}
		if (!ts->ts_workToDo) {
			(void)assert_wait(&ts->ts_workToDo, THREAD_UNINT);
			IOSimpleLockUnlockEnableInterrupt(ts->ts_workLock, s);
			(void)thread_block(THREAD_CONTINUE_NULL);
			continue;
		}
		ts->ts_workToDo = false;
		IOSimpleLockUnlockEnableInterrupt(ts->ts_workLock, s);

		workloop_run_event_sources(ts);
		/* Set by this thread, in an action: no lock needed to read it. */
		if (ts->ts_orphaned) {
			workloop_state_free(ts);
			break;
		}
	}
	thread_terminate_self();
}

IOWorkLoop *
IOWorkLoop_workLoop(void)
{
	IOWorkLoop *wl = OSTypeAlloc(IOWorkLoop);
	struct IOWorkLoopThreadState *ts;

	if (wl == NULL)
		return NULL;
	if ((ts = kalloc(sizeof(*ts))) == NULL) {
		OSSafeReleaseNULL(wl);
		return NULL;
	}
	*ts = (struct IOWorkLoopThreadState){
		.ts_gate = IORecursiveLockAlloc(),
		.ts_workLock = IOSimpleLockAlloc(),
	};
	if (ts->ts_gate == NULL || ts->ts_workLock == NULL ||
	    kernel_thread_create(workloop_thread, ts, BASEPRI_KERNEL, &wl->wl_thread) !=
	    KERN_SUCCESS) {
		workloop_state_free(ts);
		OSSafeReleaseNULL(wl);
		return NULL;
	}
	wl->wl_state = ts;
	wl->wl_gate = ts->ts_gate;
	thread_set_name(wl->wl_thread, "IOWorkLoop");
	thread_start(wl->wl_thread);
	return wl;
}

/* Take every source off the chain and release it. Gate held. */
static void
workloop_remove_all_locked(struct IOWorkLoopThreadState *ts)
{
	IOEventSource *es;

	while ((es = ts->ts_chain) != NULL) {
		ts->ts_chain = es->es_next;
		es->es_next = NULL;
		ts->ts_chainChanged = true;
		(void)IOEventSource_setWorkLoop(es, NULL);
		OSObject_release(&es->es_os);
	}
}

static void
workloop_free(OSObject *obj)
{
	IOWorkLoop *wl = (IOWorkLoop *)obj;
	struct IOWorkLoopThreadState *ts = wl->wl_state;
	IOInterruptState s;

	if (ts == NULL)
		return;		/* half-made: no thread was started */
	/* Wait out the thread's pass (or be in it), then no source can signal. */
	IORecursiveLockLock(ts->ts_gate);
	workloop_remove_all_locked(ts);
	if (IOWorkLoop_onThread(wl)) {
		/* In an action: the thread frees ts after its pass, and ends. */
		ts->ts_orphaned = true;
		IORecursiveLockUnlock(ts->ts_gate);
		thread_deallocate(wl->wl_thread);
		return;
	}
	s = IOSimpleLockLockDisableInterrupt(ts->ts_workLock);
	ts->ts_terminate = true;
	(void)thread_wakeup(&ts->ts_workToDo);
	IOSimpleLockUnlockEnableInterrupt(ts->ts_workLock, s);
	IORecursiveLockUnlock(ts->ts_gate);
	thread_wait_terminated(wl->wl_thread);
	thread_deallocate(wl->wl_thread);
	workloop_state_free(ts);
}

IOReturn
IOWorkLoop_addEventSource(IOWorkLoop *wl, IOEventSource *es)
{
	IOEventSource **tail;
	IOReturn ret;

	if (wl == NULL || es == NULL)
		return kIOReturnBadArgument;
	IORecursiveLockLock(wl->wl_gate);
	if (es->es_workLoop != NULL) {
		ret = es->es_workLoop == wl ? kIOReturnSuccess : kIOReturnExclusiveAccess;
		IORecursiveLockUnlock(wl->wl_gate);
		return ret;
	}
	ret = IOEventSource_setWorkLoop(es, wl);
	if (ret == kIOReturnSuccess) {
		OSObject_retain(&es->es_os);
		for (tail = &wl->wl_state->ts_chain; *tail != NULL; tail = &(*tail)->es_next)
			continue;
		es->es_next = NULL;
		*tail = es;
		wl->wl_state->ts_chainChanged = true;
	}
	IORecursiveLockUnlock(wl->wl_gate);
	/* It may have work already (an enabled source's interrupts, say). */
	if (ret == kIOReturnSuccess)
		IOWorkLoop_signalWorkAvailable(wl);
	return ret;
}

IOReturn
IOWorkLoop_removeEventSource(IOWorkLoop *wl, IOEventSource *es)
{
	IOEventSource **pp;

	if (wl == NULL || es == NULL)
		return kIOReturnBadArgument;
	IORecursiveLockLock(wl->wl_gate);
	for (pp = &wl->wl_state->ts_chain; *pp != NULL && *pp != es; pp = &(*pp)->es_next)
		continue;
	if (*pp == NULL) {
		IORecursiveLockUnlock(wl->wl_gate);
		return kIOReturnNotFound;
	}
	*pp = es->es_next;
	es->es_next = NULL;
	wl->wl_state->ts_chainChanged = true;
	(void)IOEventSource_setWorkLoop(es, NULL);
	IORecursiveLockUnlock(wl->wl_gate);
	OSObject_release(&es->es_os);
	return kIOReturnSuccess;
}

IOReturn
IOWorkLoop_runAction(IOWorkLoop *wl, IOWorkLoopAction action, OSObject *target,
    void *arg0, void *arg1, void *arg2, void *arg3)
{
	IOReturn ret;

	if (wl == NULL || action == NULL)
		return kIOReturnBadArgument;
	OSObject_retain(&wl->wl_os);		/* the action may drop the caller's */
	IORecursiveLockLock(wl->wl_gate);
	ret = action(target, arg0, arg1, arg2, arg3);
	IORecursiveLockUnlock(wl->wl_gate);
	OSObject_release(&wl->wl_os);
	return ret;
}

bool
IOWorkLoop_inGate(const IOWorkLoop *wl)
{
	return IORecursiveLockHaveLock(wl->wl_gate);
}

bool
IOWorkLoop_onThread(const IOWorkLoop *wl)
{
	return current_thread() == wl->wl_thread;
}

thread_t
IOWorkLoop_getThread(const IOWorkLoop *wl)
{
	return wl->wl_thread;
}

void
IOWorkLoop_closeGate(IOWorkLoop *wl)
{
	IORecursiveLockLock(wl->wl_gate);
}

void
IOWorkLoop_openGate(IOWorkLoop *wl)
{
	IORecursiveLockUnlock(wl->wl_gate);
}

bool
IOWorkLoop_tryCloseGate(IOWorkLoop *wl)
{
	return IORecursiveLockTryLock(wl->wl_gate);
}

IOReturn
IOWorkLoop_sleepGate(IOWorkLoop *wl, void *event, uint64_t deadline, uint32_t interType)
{
	if (!IORecursiveLockHaveLock(wl->wl_gate))
		return kIOReturnNotPermitted;
	return IORecursiveLockSleepDeadline(wl->wl_gate, event, deadline, interType);
}

void
IOWorkLoop_wakeupGate(IOWorkLoop *wl, void *event, bool oneThread)
{
	IORecursiveLockWakeup(wl->wl_gate, event, oneThread);
}

void
IOWorkLoop_signalWorkAvailable(IOWorkLoop *wl)
{
	struct IOWorkLoopThreadState *ts = wl->wl_state;
	IOInterruptState s = IOSimpleLockLockDisableInterrupt(ts->ts_workLock);

	if (!ts->ts_workToDo) {
		ts->ts_workToDo = true;
		(void)thread_wakeup_one(&ts->ts_workToDo);
	}
	IOSimpleLockUnlockEnableInterrupt(ts->ts_workLock, s);
}

void
IOWorkLoop_enableAllEventSources(IOWorkLoop *wl)
{
	IORecursiveLockLock(wl->wl_gate);
	for (IOEventSource *es = wl->wl_state->ts_chain; es != NULL; es = es->es_next)
		IOEventSource_enable(es);
	IORecursiveLockUnlock(wl->wl_gate);
}

void
IOWorkLoop_disableAllEventSources(IOWorkLoop *wl)
{
	IORecursiveLockLock(wl->wl_gate);
	for (IOEventSource *es = wl->wl_state->ts_chain; es != NULL; es = es->es_next)
		IOEventSource_disable(es);
	IORecursiveLockUnlock(wl->wl_gate);
}
