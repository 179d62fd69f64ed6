/*
 * IOTimerEventSource_test.c - a timeout's action runs once, on the work
 * loop's thread, no earlier than its deadline; cancelled or disabled it
 * does not run; an action may rearm; a source leaves its loop with no
 * callout pending. No test depends on how late a timer is.
 */

#include "iokit/Kernel/IOTimerEventSource.h"

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOWorkLoop.h"
#include "mach/kern/clock.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

struct ticker {
	IOWorkLoop	*wl;
	volatile int	fired;
	volatile int	off_thread;
	volatile int	early;		/* ran before its deadline */
	int		rearm;		/* rearm this many more times */
};

static void
ticker_action(OSObject *owner, IOTimerEventSource *sender)
{
	struct ticker *tk = (struct ticker *)owner;

	if (!IOWorkLoop_onThread(tk->wl) || !IOWorkLoop_inGate(tk->wl))
		tk->off_thread++;
	if (mach_absolute_time() < sender->tes_deadline)
		tk->early++;
	tk->fired++;
	if (tk->rearm > 0) {
		tk->rearm--;
		(void)IOTimerEventSource_setTimeoutUS(sender, 500);
	}
}

static IOTimerEventSource *
ticker_setup(struct ticker *tk, thread_t *t)
{
	IOTimerEventSource *tes;

	tk->wl = IOWorkLoop_workLoop();
	if (tk->wl == NULL)
		return NULL;
	*t = IOWorkLoop_getThread(tk->wl);
	thread_reference(*t);
	tes = IOTimerEventSource_timerEventSource((OSObject *)tk, ticker_action);
	if (tes != NULL && IOWorkLoop_addEventSource(tk->wl, &tes->tes_es) != kIOReturnSuccess)
		OSSafeReleaseNULL(tes);
	return tes;
}

static void
ticker_finish(struct ticker *tk, thread_t t, IOTimerEventSource *tes)
{
	(void)IOWorkLoop_removeEventSource(tk->wl, &tes->tes_es);
	OSObject_release(&tes->tes_es.es_os);
	OSSafeReleaseNULL(tk->wl);
	ktest_thread_join(t);
}

KTEST(iokit_timer, fires_once_after_its_delay_on_the_workloop)
{
	int32_t before = OSMetaClass_getInstanceCount(OSTypeID(IOTimerEventSource));
	struct ticker tk = { .fired = 0 };
	IOTimerEventSource *tes;
	thread_t t;

	KT_ASSERT_TRUE((tes = ticker_setup(&tk, &t)) != NULL);
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 10), kIOReturnSuccess);
	KT_EXPECT_TRUE(ktest_wait_until(tk.fired == 1, 2000));
	IOSleep(30);
	KT_EXPECT_EQ(tk.fired, 1);
	KT_EXPECT_EQ(tk.off_thread, 0);
	KT_EXPECT_EQ(tk.early, 0);
	KT_EXPECT_EQ(tes->tes_outstanding, 0);
	/* The other units, and an absolute deadline. */
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutUS(tes, 2000), kIOReturnSuccess);
	KT_EXPECT_TRUE(ktest_wait_until(tk.fired == 2, 2000));
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutTicks(tes, 1), kIOReturnSuccess);
	KT_EXPECT_TRUE(ktest_wait_until(tk.fired == 3, 2000));
	KT_EXPECT_EQ(IOTimerEventSource_wakeAtTime(tes, mach_absolute_time() + NSEC_PER_MSEC),
	    kIOReturnSuccess);
	KT_EXPECT_TRUE(ktest_wait_until(tk.fired == 4, 2000));
	KT_EXPECT_EQ(tk.early, 0);
	ticker_finish(&tk, t, tes);
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(IOTimerEventSource)), before);
}

KTEST(iokit_timer, cancel_and_disable_stop_it)
{
	struct ticker tk = { .fired = 0 };
	IOTimerEventSource *tes;
	thread_t t;

	KT_ASSERT_TRUE((tes = ticker_setup(&tk, &t)) != NULL);
	/* Seconds ahead: however slowly the machine runs, the cancels come first. */
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 2000), kIOReturnSuccess);
	IOTimerEventSource_cancelTimeout(tes);
	/* Replaced, not added: one timeout, which is then cancelled. */
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 2000), kIOReturnSuccess);
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 2500), kIOReturnSuccess);
	KT_EXPECT_EQ(tes->tes_outstanding, 1);
	IOTimerEventSource_cancelTimeout(tes);
	KT_EXPECT_EQ(tes->tes_outstanding, 0);
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 2000), kIOReturnSuccess);
	IOEventSource_disable(&tes->tes_es);
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 1), kIOReturnNotPermitted);
	IOSleep(60);
	KT_EXPECT_EQ(tk.fired, 0);
	IOEventSource_enable(&tes->tes_es);
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 1), kIOReturnSuccess);
	KT_EXPECT_TRUE(ktest_wait_until(tk.fired == 1, 2000));
	ticker_finish(&tk, t, tes);
}

KTEST(iokit_timer, an_action_may_rearm_it)
{
	struct ticker tk = { .rearm = 5 };
	IOTimerEventSource *tes;
	thread_t t;

	KT_ASSERT_TRUE((tes = ticker_setup(&tk, &t)) != NULL);
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutUS(tes, 500), kIOReturnSuccess);
	KT_EXPECT_TRUE(ktest_wait_until(tk.fired == 6, 2000));
	IOSleep(10);
	KT_EXPECT_EQ(tk.fired, 6);
	KT_EXPECT_EQ(tk.off_thread, 0);
	ticker_finish(&tk, t, tes);
}

KTEST(iokit_timer, needs_a_workloop_and_leaves_it_cleanly)
{
	struct ticker tk = { .fired = 0 };
	IOTimerEventSource *tes = IOTimerEventSource_timerEventSource((OSObject *)&tk,
	    ticker_action);
	IOWorkLoop *wl = IOWorkLoop_workLoop();
	thread_t t;

	KT_ASSERT_TRUE(tes != NULL && wl != NULL);
	t = IOWorkLoop_getThread(wl);
	thread_reference(t);
	tk.wl = wl;
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 1), kIOReturnNotReady);
	KT_EXPECT_TRUE(IOTimerEventSource_timerEventSource(NULL, NULL) == NULL);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &tes->tes_es), kIOReturnSuccess);
	/*
	 * Armed, then taken off the loop: nothing fires, nothing pends. (Armed
	 * far enough ahead that the removal comes first however slowly the
	 * machine runs: under emulation 100 us can pass before the next line.)
	 */
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 10000), kIOReturnSuccess);
	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(wl, &tes->tes_es), kIOReturnSuccess);
	KT_EXPECT_EQ(tes->tes_outstanding, 0);
	IOSleep(10);
	KT_EXPECT_EQ(tk.fired, 0);
	/* Armed and released with the loop still holding it. */
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &tes->tes_es), kIOReturnSuccess);
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 10000), kIOReturnSuccess);
	OSSafeReleaseNULL(tes);
	OSSafeReleaseNULL(wl);
	ktest_thread_join(t);
}
