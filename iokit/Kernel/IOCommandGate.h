/*
 * IOCommandGate.h - a way into a work loop's gate from any thread: run a
 * function serialized with the driver's interrupt and timer actions, and
 * wait inside the gate for something one of them will do.
 *
 *	static IOReturn
 *	start_io(OSObject *owner, void *req, void *a1, void *a2, void *a3)
 *	{
 *		...queue req to the device...
 *		while (!done(req))		the interrupt action sets it, and wakes us
 *			IOCommandGate_commandSleep(gate, req, THREAD_UNINT);
 *		return kIOReturnSuccess;
 *	}
 *	gate = IOCommandGate_commandGate(owner, start_io);
 *	IOWorkLoop_addEventSource(wl, &gate->cg_es);
 *	IOCommandGate_runCommand(gate, req, NULL, NULL, NULL);
 *
 * The action runs on the calling thread with the gate held (recursively:
 * an action may run another). commandSleep gives the gate up entirely
 * while asleep, so the loop's thread and other callers run, and takes it
 * back at the same depth before returning; commandWakeup wakes the
 * sleepers on an event. A command gate has no work of its own for the
 * loop's thread.
 *
 * Unlike Apple's, a call on a disabled gate does not wait for it to be
 * enabled: it fails with kIOReturnNotPermitted.
 *
 * Locks: the work loop's gate.
 */

#ifndef IOKIT_KERNEL_IOCOMMANDGATE_H
#define IOKIT_KERNEL_IOCOMMANDGATE_H

#include <stdint.h>

#include "iokit/Kernel/IOEventSource.h"
#include "iokit/Kernel/IOWorkLoop.h"

typedef struct IOCommandGate IOCommandGate;
typedef IOWorkLoopAction IOCommandGateAction;

struct IOCommandGate {
	IOEventSource	cg_es;
};
OSDeclareDefaultStructors(IOCommandGate);

/* IOCommandGate_commandGate: a new gate, enabled; action may be NULL (use runAction). */
IOCommandGate	*IOCommandGate_commandGate(OSObject *owner, IOCommandGateAction action);

/*
 * runCommand: the gate's own action; runAction: another. With the gate
 * held, on this thread; the action's result, or kIOReturnBadArgument (no
 * action), kIOReturnNotReady (the gate is on no work loop),
 * kIOReturnNotPermitted (disabled). attempt*: the same, but
 * kIOReturnCannotLock at once if another thread holds the gate.
 */
IOReturn	IOCommandGate_runCommand(IOCommandGate *cg, void *arg0, void *arg1,
		    void *arg2, void *arg3);
IOReturn	IOCommandGate_runAction(IOCommandGate *cg, IOCommandGateAction action,
		    void *arg0, void *arg1, void *arg2, void *arg3);
IOReturn	IOCommandGate_attemptCommand(IOCommandGate *cg, void *arg0, void *arg1,
		    void *arg2, void *arg3);
IOReturn	IOCommandGate_attemptAction(IOCommandGate *cg, IOCommandGateAction action,
		    void *arg0, void *arg1, void *arg2, void *arg3);

/*
 * commandSleep: inside the gate, sleep on event until commandWakeup (or
 * the deadline, mach absolute time, for commandSleepDeadline), as
 * IOWorkLoop_sleepGate: THREAD_AWAKENED (= kIOReturnSuccess),
 * THREAD_TIMED_OUT, THREAD_INTERRUPTED; kIOReturnNotPermitted outside the
 * gate; kIOReturnNotReady on no loop.
 */
IOReturn	IOCommandGate_commandSleep(IOCommandGate *cg, void *event, uint32_t interruptible);
IOReturn	IOCommandGate_commandSleepDeadline(IOCommandGate *cg, void *event,
		    uint64_t deadline, uint32_t interruptible);
void		IOCommandGate_commandWakeup(IOCommandGate *cg, void *event, bool oneThread);

#endif /* IOKIT_KERNEL_IOCOMMANDGATE_H */
