/*
 * WorkLoop: a driver's work loop in a kext. Its start makes a work loop
 * with an interrupt source (line 3, simulated: nothing drives it in the
 * test machines), a timer and a command gate, and fails unless ten
 * interrupts, one timeout and one command all reach its actions in the
 * gate. Its stop takes them down; the unload that follows frees the code
 * the loop's thread ran, so the thread must be gone by then.
 */
#include <IOKit/IOCommandGate.h>
#include <IOKit/IOInterruptEventSource.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOTimerEventSource.h>
#include <IOKit/IOWorkLoop.h>
#include <mach/kmod.h>

kern_return_t WorkLoop_start(kmod_info_t *ki, void *data);
kern_return_t WorkLoop_stop(kmod_info_t *ki, void *data);

#define LINE		3
#define INTERRUPTS	10

static struct {
	IOWorkLoop		*wl;
	IOInterruptEventSource	*ies;
	IOTimerEventSource	*tes;
	IOCommandGate		*gate;
	volatile int		interrupts;
	volatile int		timeouts;
	volatile int		commands;
	volatile int		outside;	/* actions that ran without the gate */
} wk;

static void
interrupt_action(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	if (!IOWorkLoop_inGate(wk.wl) || !IOWorkLoop_onThread(wk.wl))
		wk.outside++;
	wk.interrupts += count;
}

static void
timer_action(OSObject *owner, IOTimerEventSource *sender)
{
	if (!IOWorkLoop_inGate(wk.wl) || !IOWorkLoop_onThread(wk.wl))
		wk.outside++;
	wk.timeouts++;
}

static IOReturn
command_action(OSObject *owner, void *arg0, void *arg1, void *arg2, void *arg3)
{
	if (!IOWorkLoop_inGate(wk.wl))
		wk.outside++;
	wk.commands++;
	return kIOReturnSuccess;
}

static void
take_down(void)
{
	if (wk.wl != NULL) {
		if (wk.ies != NULL)
			(void)IOWorkLoop_removeEventSource(wk.wl, &wk.ies->ies_es);
		if (wk.tes != NULL)
			(void)IOWorkLoop_removeEventSource(wk.wl, &wk.tes->tes_es);
		if (wk.gate != NULL)
			(void)IOWorkLoop_removeEventSource(wk.wl, &wk.gate->cg_es);
	}
	OSSafeReleaseNULL(wk.ies);
	OSSafeReleaseNULL(wk.tes);
	OSSafeReleaseNULL(wk.gate);
	OSSafeReleaseNULL(wk.wl);	/* its thread has ended when this returns */
}

kern_return_t
WorkLoop_start(kmod_info_t *ki, void *data)
{
	int waited;

	wk.interrupts = wk.timeouts = wk.commands = wk.outside = 0;
	wk.wl = IOWorkLoop_workLoop();
	if (wk.wl == NULL)
		goto fail;
	wk.ies = IOInterruptEventSource_interruptEventSource(NULL, interrupt_action, LINE);
	wk.tes = IOTimerEventSource_timerEventSource(NULL, timer_action);
	wk.gate = IOCommandGate_commandGate(NULL, command_action);
	if (wk.ies == NULL || wk.tes == NULL || wk.gate == NULL ||
	    IOWorkLoop_addEventSource(wk.wl, &wk.ies->ies_es) != kIOReturnSuccess ||
	    IOWorkLoop_addEventSource(wk.wl, &wk.tes->tes_es) != kIOReturnSuccess ||
	    IOWorkLoop_addEventSource(wk.wl, &wk.gate->cg_es) != kIOReturnSuccess)
		goto fail;
	IOEventSource_enable(&wk.ies->ies_es);
	for (int i = 0; i < INTERRUPTS; i++)
		(void)ml_simulate_interrupt(LINE);
	if (IOTimerEventSource_setTimeoutMS(wk.tes, 1) != kIOReturnSuccess ||
	    IOCommandGate_runCommand(wk.gate, NULL, NULL, NULL, NULL) != kIOReturnSuccess)
		goto fail;
	for (waited = 0; waited < 2000; waited++) {
		if (wk.interrupts == INTERRUPTS && wk.timeouts == 1)
			break;
		IOSleep(1);
	}
	if (wk.interrupts != INTERRUPTS || wk.timeouts != 1 || wk.commands != 1 ||
	    wk.outside != 0) {
		IOLog("WorkLoop: %d interrupts, %d timeouts, %d commands, %d outside the gate\n",
		    wk.interrupts, wk.timeouts, wk.commands, wk.outside);
		goto fail;
	}
	IOLog("WorkLoop: %d interrupts, a timeout and a command, all in the gate\n",
	    wk.interrupts);
	return KERN_SUCCESS;
fail:
	take_down();
	return KERN_FAILURE;
}

kern_return_t
WorkLoop_stop(kmod_info_t *ki, void *data)
{
	take_down();
	return KERN_SUCCESS;
}
