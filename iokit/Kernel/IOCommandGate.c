/*
 * IOCommandGate.c - actions run in a work loop's gate on the caller's
 * thread, and sleeping in it.
 */

#include "iokit/Kernel/IOCommandGate.h"

#include <stddef.h>

#include "mach/kern/sched_prim.h"

OSDefineMetaClass(IOCommandGate, IOEventSource, OS_NO_METHODS);

IOCommandGate *
IOCommandGate_commandGate(OSObject *owner, IOCommandGateAction action)
{
	IOCommandGate *cg = OSTypeAlloc(IOCommandGate);

	if (cg != NULL)
		IOEventSource_init(&cg->cg_es, owner, (IOEventSourceAction)action);
	return cg;
}

/* Run action in the gate; try: give up if another thread has it. */
static IOReturn
commandgate_run(IOCommandGate *cg, IOCommandGateAction action, bool try, void *arg0,
    void *arg1, void *arg2, void *arg3)
{
	IOWorkLoop *wl;
	IOReturn ret;

	if (cg == NULL || action == NULL)
		return kIOReturnBadArgument;
	if ((wl = cg->cg_es.es_workLoop) == NULL)
		return kIOReturnNotReady;
	/* The action may remove the gate and drop the last reference on the loop. */
	OSObject_retain(&wl->wl_os);
	if (try) {
		if (!IOWorkLoop_tryCloseGate(wl)) {
			OSObject_release(&wl->wl_os);
			return kIOReturnCannotLock;
		}
	} else {
		IOWorkLoop_closeGate(wl);
	}
	if (cg->cg_es.es_enabled)
		ret = action(cg->cg_es.es_owner, arg0, arg1, arg2, arg3);
	else
		ret = kIOReturnNotPermitted;
	IOWorkLoop_openGate(wl);
	OSObject_release(&wl->wl_os);
	return ret;
}

IOReturn
IOCommandGate_runCommand(IOCommandGate *cg, void *arg0, void *arg1, void *arg2, void *arg3)
{
	if (cg == NULL)
		return kIOReturnBadArgument;
	return commandgate_run(cg, (IOCommandGateAction)cg->cg_es.es_action, false,
	    arg0, arg1, arg2, arg3);
}

IOReturn
IOCommandGate_runAction(IOCommandGate *cg, IOCommandGateAction action, void *arg0,
    void *arg1, void *arg2, void *arg3)
{
	return commandgate_run(cg, action, false, arg0, arg1, arg2, arg3);
}

IOReturn
IOCommandGate_attemptCommand(IOCommandGate *cg, void *arg0, void *arg1, void *arg2,
    void *arg3)
{
	if (cg == NULL)
		return kIOReturnBadArgument;
	return commandgate_run(cg, (IOCommandGateAction)cg->cg_es.es_action, true,
	    arg0, arg1, arg2, arg3);
}

IOReturn
IOCommandGate_attemptAction(IOCommandGate *cg, IOCommandGateAction action, void *arg0,
    void *arg1, void *arg2, void *arg3)
{
	return commandgate_run(cg, action, true, arg0, arg1, arg2, arg3);
}

IOReturn
IOCommandGate_commandSleepDeadline(IOCommandGate *cg, void *event, uint64_t deadline,
    uint32_t interruptible)
{
	IOWorkLoop *wl = cg->cg_es.es_workLoop;

	if (wl == NULL)
		return kIOReturnNotReady;
	return IOWorkLoop_sleepGate(wl, event, deadline, interruptible);
}

IOReturn
IOCommandGate_commandSleep(IOCommandGate *cg, void *event, uint32_t interruptible)
{
	return IOCommandGate_commandSleepDeadline(cg, event, TIMEOUT_WAIT_FOREVER,
	    interruptible);
}

void
IOCommandGate_commandWakeup(IOCommandGate *cg, void *event, bool oneThread)
{
	(void)cg;
	(void)thread_wakeup_prim(event, oneThread, THREAD_AWAKENED);
}
