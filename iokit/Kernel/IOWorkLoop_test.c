/*
 * IOWorkLoop_test.c - a work loop's thread and gate: actions of several
 * sources, from several threads, never overlap; runAction runs in the
 * gate on the caller's thread; a command gate's sleepers give the gate up;
 * releasing a loop (from outside, or from its own action) ends its thread
 * and leaves no object behind.
 *
 * Interrupts are simulated (ml_simulate_interrupt) on lines 3 and 5, which
 * no device drives in the machines the tests run on (no COM2, no ISA
 * cards).
 */

#include "iokit/Kernel/IOWorkLoop.h"

#include "iokit/Kernel/IOCommandGate.h"
#include "iokit/Kernel/IOInterruptEventSource.h"
#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOTimerEventSource.h"
#include "kernel/machine_routines.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

#define TEST_IRQ	3
#define TEST_IRQ2	5

/* Live objects of the I/O Kit's classes, to compare before and after. */
static int32_t
iokit_instances(void)
{
	return OSMetaClass_getInstanceCount(OSTypeID(IOWorkLoop)) +
	    OSMetaClass_getInstanceCount(OSTypeID(IOEventSource)) +
	    OSMetaClass_getInstanceCount(OSTypeID(IOInterruptEventSource)) +
	    OSMetaClass_getInstanceCount(OSTypeID(IOFilterInterruptEventSource)) +
	    OSMetaClass_getInstanceCount(OSTypeID(IOTimerEventSource)) +
	    OSMetaClass_getInstanceCount(OSTypeID(IOCommandGate));
}

/* A reference on wl's thread, to see it end and to free it fully. */
static thread_t
hold_thread(IOWorkLoop *wl)
{
	thread_t t = IOWorkLoop_getThread(wl);

	thread_reference(t);
	return t;
}

KTEST(iokit_workloop, release_ends_its_thread)
{
	int32_t before = iokit_instances();
	IOWorkLoop *wl = IOWorkLoop_workLoop();
	thread_t t;

	KT_ASSERT_TRUE(wl != NULL);
	t = hold_thread(wl);
	KT_EXPECT_TRUE(t != THREAD_NULL);
	KT_EXPECT_FALSE(IOWorkLoop_onThread(wl));
	KT_EXPECT_FALSE(IOWorkLoop_inGate(wl));
	KT_EXPECT_EQ(iokit_instances(), before + 1);
	OSObject_release(&wl->wl_os);
	/* The release waited for the thread. */
	KT_EXPECT_TRUE(__atomic_load_n(&t->th_ended, __ATOMIC_ACQUIRE));
	ktest_thread_join(t);
	KT_EXPECT_EQ(iokit_instances(), before);
}

struct run_check {
	IOWorkLoop	*wl;
	bool		in_gate;
	bool		on_thread;
	int		depth;
};

static IOReturn
run_check_action(OSObject *target, void *arg0, void *arg1, void *arg2, void *arg3)
{
	struct run_check *rc = arg0;

	(void)target;
	(void)arg2;
	(void)arg3;
	rc->in_gate = IOWorkLoop_inGate(rc->wl);
	rc->on_thread = IOWorkLoop_onThread(rc->wl);
	if (arg1 != NULL && rc->depth++ == 0)	/* the gate is recursive */
		return IOWorkLoop_runAction(rc->wl, run_check_action, target, rc, arg1,
		    NULL, NULL);
	return kIOReturnUnderrun;
}

KTEST(iokit_workloop, run_action_holds_the_gate_on_the_callers_thread)
{
	IOWorkLoop *wl = IOWorkLoop_workLoop();
	struct run_check rc = { .wl = wl };
	thread_t t;

	KT_ASSERT_TRUE(wl != NULL);
	t = hold_thread(wl);
	KT_EXPECT_EQ(IOWorkLoop_runAction(wl, run_check_action, NULL, &rc, NULL, NULL, NULL),
	    kIOReturnUnderrun);
	KT_EXPECT_TRUE(rc.in_gate);
	KT_EXPECT_FALSE(rc.on_thread);
	KT_EXPECT_FALSE(IOWorkLoop_inGate(wl));
	/* Again, recursively. */
	KT_EXPECT_EQ(IOWorkLoop_runAction(wl, run_check_action, NULL, &rc, &rc, NULL, NULL),
	    kIOReturnUnderrun);
	KT_EXPECT_EQ(rc.depth, 2);	/* the outer call, and the one inside it */
	KT_EXPECT_TRUE(rc.in_gate);
	KT_EXPECT_FALSE(IOWorkLoop_inGate(wl));
	KT_EXPECT_EQ(IOWorkLoop_runAction(wl, NULL, NULL, NULL, NULL, NULL, NULL),
	    kIOReturnBadArgument);
	OSObject_release(&wl->wl_os);
	ktest_thread_join(t);
}

/* --- serialization across sources and threads ---------------------------- */

#define SERIAL_THREADS		2
#define SERIAL_ROUNDS		200

struct serial {
	IOWorkLoop		*wl;
	IOCommandGate		*gate;
	volatile int		inside;		/* actions running now */
	volatile int		overlaps;	/* times one found another running */
	volatile int		not_in_gate;
	volatile int		commands;
	volatile int		interrupts[2];
	volatile int		done_threads;
};

/* The body every action shares: alone, in the gate, for a little while. */
static void
serial_enter(struct serial *sr)
{
	if (__atomic_fetch_add(&sr->inside, 1, __ATOMIC_ACQ_REL) != 0)
		__atomic_fetch_add(&sr->overlaps, 1, __ATOMIC_RELAXED);
	if (!IOWorkLoop_inGate(sr->wl))
		__atomic_fetch_add(&sr->not_in_gate, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 50; i++)
		ml_cpu_pause();
	__atomic_fetch_sub(&sr->inside, 1, __ATOMIC_ACQ_REL);
}

static void
serial_interrupt0(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct serial *sr = (struct serial *)owner;

	(void)sender;
	serial_enter(sr);
	sr->interrupts[0] += count;
}

static void
serial_interrupt1(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct serial *sr = (struct serial *)owner;

	(void)sender;
	serial_enter(sr);
	sr->interrupts[1] += count;
}

static IOReturn
serial_command(OSObject *owner, void *arg0, void *arg1, void *arg2, void *arg3)
{
	struct serial *sr = (struct serial *)owner;

	(void)arg0;
	(void)arg1;
	(void)arg2;
	(void)arg3;
	serial_enter(sr);
	sr->commands++;
	return kIOReturnSuccess;
}

static void
serial_thread(void *arg, int result)
{
	struct serial *sr = arg;

	(void)result;
	for (int i = 0; i < SERIAL_ROUNDS; i++) {
		(void)IOCommandGate_runCommand(sr->gate, NULL, NULL, NULL, NULL);
		(void)ml_simulate_interrupt(TEST_IRQ);
		(void)ml_simulate_interrupt(TEST_IRQ2);
		if (i % 16 == 0)
			thread_yield();
	}
	__atomic_fetch_add(&sr->done_threads, 1, __ATOMIC_RELEASE);
}

KTEST(iokit_workloop, actions_are_serialized_across_sources_and_threads)
{
	int32_t before = iokit_instances();
	struct serial sr = { .wl = IOWorkLoop_workLoop() };
	IOInterruptEventSource *ies0, *ies1;
	thread_t wt, threads[SERIAL_THREADS];

	KT_ASSERT_TRUE(sr.wl != NULL);
	wt = hold_thread(sr.wl);
	/* The owner is only handed back to the actions: any pointer will do. */
	ies0 = IOInterruptEventSource_interruptEventSource((OSObject *)&sr, serial_interrupt0,
	    TEST_IRQ);
	ies1 = IOInterruptEventSource_interruptEventSource((OSObject *)&sr, serial_interrupt1,
	    TEST_IRQ2);
	sr.gate = IOCommandGate_commandGate((OSObject *)&sr, serial_command);
	KT_ASSERT_TRUE(ies0 != NULL && ies1 != NULL && sr.gate != NULL);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(sr.wl, &ies0->ies_es), kIOReturnSuccess);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(sr.wl, &ies1->ies_es), kIOReturnSuccess);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(sr.wl, &sr.gate->cg_es), kIOReturnSuccess);
	IOEventSource_enable(&ies0->ies_es);
	IOEventSource_enable(&ies1->ies_es);

	for (int i = 0; i < SERIAL_THREADS; i++)
		threads[i] = ktest_thread_start(serial_thread, &sr, BASEPRI_DEFAULT);
	for (int i = 0; i < SERIAL_THREADS; i++)
		ktest_thread_join(threads[i]);
	KT_EXPECT_TRUE(ktest_wait_until(
	    sr.interrupts[0] + sr.interrupts[1] == 2 * SERIAL_THREADS * SERIAL_ROUNDS, 5000));
	KT_EXPECT_EQ(sr.done_threads, SERIAL_THREADS);
	KT_EXPECT_EQ(sr.commands, SERIAL_THREADS * SERIAL_ROUNDS);
	KT_EXPECT_EQ(sr.interrupts[0], SERIAL_THREADS * SERIAL_ROUNDS);
	KT_EXPECT_EQ(sr.interrupts[1], SERIAL_THREADS * SERIAL_ROUNDS);
	KT_EXPECT_EQ(sr.overlaps, 0);
	KT_EXPECT_EQ(sr.not_in_gate, 0);

	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(sr.wl, &ies0->ies_es), kIOReturnSuccess);
	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(sr.wl, &ies1->ies_es), kIOReturnSuccess);
	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(sr.wl, &sr.gate->cg_es), kIOReturnSuccess);
	OSSafeReleaseNULL(ies0);
	OSSafeReleaseNULL(ies1);
	OSSafeReleaseNULL(sr.gate);
	OSSafeReleaseNULL(sr.wl);
	ktest_thread_join(wt);
	KT_EXPECT_EQ(iokit_instances(), before);
}

/* --- adding and removing ------------------------------------------------- */

KTEST(iokit_workloop, add_and_remove_say_what_is_wrong)
{
	IOWorkLoop *wl = IOWorkLoop_workLoop(), *other = IOWorkLoop_workLoop();
	IOCommandGate *gate = IOCommandGate_commandGate(NULL, NULL);
	thread_t t1, t2;

	KT_ASSERT_TRUE(wl != NULL && other != NULL && gate != NULL);
	t1 = hold_thread(wl);
	t2 = hold_thread(other);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, NULL), kIOReturnBadArgument);
	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(wl, &gate->cg_es), kIOReturnNotFound);
	/*
	 * Counted with the gate closed: the loop's thread, scanning its
	 * sources on another CPU, holds each one for a moment while it looks.
	 */
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &gate->cg_es), kIOReturnSuccess);
	IOWorkLoop_closeGate(wl);
	KT_EXPECT_EQ(OSObject_getRetainCount(&gate->cg_es.es_os), 2);
	IOWorkLoop_openGate(wl);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &gate->cg_es), kIOReturnSuccess);
	IOWorkLoop_closeGate(wl);
	KT_EXPECT_EQ(OSObject_getRetainCount(&gate->cg_es.es_os), 2);
	IOWorkLoop_openGate(wl);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(other, &gate->cg_es), kIOReturnExclusiveAccess);
	KT_EXPECT_TRUE(IOEventSource_getWorkLoop(&gate->cg_es) == wl);
	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(other, &gate->cg_es), kIOReturnNotFound);
	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(wl, &gate->cg_es), kIOReturnSuccess);
	KT_EXPECT_EQ(OSObject_getRetainCount(&gate->cg_es.es_os), 1);
	KT_EXPECT_TRUE(IOEventSource_getWorkLoop(&gate->cg_es) == NULL);
	KT_EXPECT_EQ(IOCommandGate_runAction(gate, NULL, NULL, NULL, NULL, NULL),
	    kIOReturnBadArgument);
	OSSafeReleaseNULL(gate);
	OSSafeReleaseNULL(wl);
	OSSafeReleaseNULL(other);
	ktest_thread_join(t1);
	ktest_thread_join(t2);
}

/* --- releasing with sources on, and from inside ------------------------- */

static volatile int counted;

static void
count_action(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	(void)owner;
	(void)sender;
	counted += count;
}

KTEST(iokit_workloop, release_takes_its_sources_off)
{
	int32_t before = iokit_instances();
	IOWorkLoop *wl = IOWorkLoop_workLoop();
	IOInterruptEventSource *ies;
	IOTimerEventSource *tes;
	thread_t t;

	KT_ASSERT_TRUE(wl != NULL);
	t = hold_thread(wl);
	ies = IOInterruptEventSource_interruptEventSource(NULL, count_action, TEST_IRQ);
	tes = IOTimerEventSource_timerEventSource(NULL,
	    (IOTimerEventAction)(void (*)(void))count_action);
	KT_ASSERT_TRUE(ies != NULL && tes != NULL);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &ies->ies_es), kIOReturnSuccess);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &tes->tes_es), kIOReturnSuccess);
	IOEventSource_enable(&ies->ies_es);
	KT_EXPECT_EQ(IOTimerEventSource_setTimeoutMS(tes, 10000), kIOReturnSuccess);
	OSSafeReleaseNULL(wl);
	ktest_thread_join(t);
	/* Off the loop: the handler is off its line, the timeout cancelled. */
	KT_EXPECT_TRUE(IOEventSource_getWorkLoop(&ies->ies_es) == NULL);
	KT_EXPECT_TRUE(IOEventSource_getWorkLoop(&tes->tes_es) == NULL);
	KT_EXPECT_EQ(ml_simulate_interrupt(TEST_IRQ), KERN_SUCCESS);
	KT_EXPECT_EQ(ies->ies_producerCount, 0);
	KT_EXPECT_EQ(tes->tes_outstanding, 0);
	KT_EXPECT_EQ(OSObject_getRetainCount(&ies->ies_es.es_os), 1);
	OSSafeReleaseNULL(ies);
	OSSafeReleaseNULL(tes);
	KT_EXPECT_EQ(iokit_instances(), before);
}

struct self_release {
	IOWorkLoop	*wl;
	volatile bool	ran;
};

static void
self_release_action(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct self_release *sr = (struct self_release *)owner;

	(void)sender;
	(void)count;
	/* The last reference, from the loop's own thread. */
	OSSafeReleaseNULL(sr->wl);
	sr->ran = true;
}

KTEST(iokit_workloop, last_release_from_its_own_action_ends_the_thread)
{
	int32_t before = iokit_instances();
	struct self_release sr = { .wl = IOWorkLoop_workLoop() };
	IOInterruptEventSource *ies;
	thread_t t;

	KT_ASSERT_TRUE(sr.wl != NULL);
	t = hold_thread(sr.wl);
	ies = IOInterruptEventSource_interruptEventSource((OSObject *)&sr, self_release_action,
	    TEST_IRQ);
	KT_ASSERT_TRUE(ies != NULL);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(sr.wl, &ies->ies_es), kIOReturnSuccess);
	IOEventSource_enable(&ies->ies_es);
	KT_EXPECT_EQ(ml_simulate_interrupt(TEST_IRQ), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_wait_until(sr.ran, 2000));
	KT_EXPECT_TRUE(ktest_wait_until(__atomic_load_n(&t->th_ended, __ATOMIC_ACQUIRE), 2000));
	ktest_thread_join(t);
	/* The freed loop let go of the source and took its handler off the line. */
	KT_EXPECT_TRUE(IOEventSource_getWorkLoop(&ies->ies_es) == NULL);
	KT_EXPECT_EQ(OSObject_getRetainCount(&ies->ies_es.es_os), 1);
	OSSafeReleaseNULL(ies);
	KT_EXPECT_EQ(iokit_instances(), before);
}

/* --- the command gate ----------------------------------------------------- */

struct sleeper {
	IOCommandGate	*gate;
	volatile bool	asleep;
	volatile bool	condition;
	volatile IOReturn result;
	volatile bool	woke_in_gate;
};

static IOReturn
sleeper_action(OSObject *owner, void *arg0, void *arg1, void *arg2, void *arg3)
{
	struct sleeper *sl = arg0;
	IOReturn ret = kIOReturnSuccess;

	(void)owner;
	(void)arg1;
	(void)arg2;
	(void)arg3;
	sl->asleep = true;
	while (!sl->condition && ret == kIOReturnSuccess)
		ret = IOCommandGate_commandSleep(sl->gate, (void *)&sl->condition, THREAD_UNINT);
	sl->woke_in_gate = IOWorkLoop_inGate(IOEventSource_getWorkLoop(&sl->gate->cg_es));
	return ret;
}

static void
sleeper_thread(void *arg, int result)
{
	struct sleeper *sl = arg;

	(void)result;
	sl->result = IOCommandGate_runAction(sl->gate, sleeper_action, sl, NULL, NULL, NULL);
}

static IOReturn
waker_action(OSObject *owner, void *arg0, void *arg1, void *arg2, void *arg3)
{
	struct sleeper *sl = arg0;

	(void)owner;
	(void)arg1;
	(void)arg2;
	(void)arg3;
	sl->condition = true;
	IOCommandGate_commandWakeup(sl->gate, (void *)&sl->condition, false);
	return kIOReturnOverrun;
}

KTEST(iokit_commandgate, sleep_gives_the_gate_up_until_woken)
{
	IOWorkLoop *wl = IOWorkLoop_workLoop();
	struct sleeper sl = { .result = kIOReturnError };
	thread_t t, st;

	KT_ASSERT_TRUE(wl != NULL);
	t = hold_thread(wl);
	sl.gate = IOCommandGate_commandGate(NULL, NULL);
	KT_ASSERT_TRUE(sl.gate != NULL);
	KT_EXPECT_EQ(IOCommandGate_runAction(sl.gate, waker_action, &sl, NULL, NULL, NULL),
	    kIOReturnNotReady);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &sl.gate->cg_es), kIOReturnSuccess);
	/* Outside the gate there is nothing to give up. */
	KT_EXPECT_EQ(IOCommandGate_commandSleep(sl.gate, &sl, THREAD_UNINT),
	    kIOReturnNotPermitted);

	st = ktest_thread_start(sleeper_thread, &sl, BASEPRI_DEFAULT);
	KT_EXPECT_TRUE(ktest_wait_until(sl.asleep, 2000));
	/* The sleeper is in its action, asleep: the gate is free for us. */
	KT_EXPECT_EQ(IOCommandGate_runAction(sl.gate, waker_action, &sl, NULL, NULL, NULL),
	    kIOReturnOverrun);
	ktest_thread_join(st);
	KT_EXPECT_EQ(sl.result, kIOReturnSuccess);
	KT_EXPECT_TRUE(sl.woke_in_gate);

	/* A disabled gate refuses. */
	IOEventSource_disable(&sl.gate->cg_es);
	KT_EXPECT_EQ(IOCommandGate_runAction(sl.gate, waker_action, &sl, NULL, NULL, NULL),
	    kIOReturnNotPermitted);
	IOEventSource_enable(&sl.gate->cg_es);

	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(wl, &sl.gate->cg_es), kIOReturnSuccess);
	OSSafeReleaseNULL(sl.gate);
	OSSafeReleaseNULL(wl);
	ktest_thread_join(t);
}

struct holder {
	IOCommandGate	*gate;
	volatile bool	holding;
	volatile bool	let_go;
};

static IOReturn
hold_action(OSObject *owner, void *arg0, void *arg1, void *arg2, void *arg3)
{
	struct holder *h = arg0;

	(void)owner;
	(void)arg1;
	(void)arg2;
	(void)arg3;
	h->holding = true;
	while (!h->let_go)
		IOSleep(1);
	return kIOReturnSuccess;
}

static void
holder_thread(void *arg, int result)
{
	struct holder *h = arg;

	(void)result;
	(void)IOCommandGate_runAction(h->gate, hold_action, h, NULL, NULL, NULL);
}

static IOReturn
nothing_action(OSObject *owner, void *arg0, void *arg1, void *arg2, void *arg3)
{
	(void)owner;
	(void)arg0;
	(void)arg1;
	(void)arg2;
	(void)arg3;
	return kIOReturnAborted;
}

KTEST(iokit_commandgate, attempt_fails_while_another_thread_holds_the_gate)
{
	IOWorkLoop *wl = IOWorkLoop_workLoop();
	struct holder h = { .gate = IOCommandGate_commandGate(NULL, nothing_action) };
	thread_t t, ht;

	KT_ASSERT_TRUE(wl != NULL && h.gate != NULL);
	t = hold_thread(wl);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &h.gate->cg_es), kIOReturnSuccess);
	KT_EXPECT_EQ(IOCommandGate_attemptCommand(h.gate, NULL, NULL, NULL, NULL),
	    kIOReturnAborted);
	ht = ktest_thread_start(holder_thread, &h, BASEPRI_DEFAULT);
	KT_EXPECT_TRUE(ktest_wait_until(h.holding, 2000));
	KT_EXPECT_EQ(IOCommandGate_attemptCommand(h.gate, NULL, NULL, NULL, NULL),
	    kIOReturnCannotLock);
	KT_EXPECT_EQ(IOCommandGate_attemptAction(h.gate, nothing_action, NULL, NULL, NULL,
	    NULL), kIOReturnCannotLock);
	h.let_go = true;
	ktest_thread_join(ht);
	KT_EXPECT_EQ(IOCommandGate_runCommand(h.gate, NULL, NULL, NULL, NULL),
	    kIOReturnAborted);
	KT_EXPECT_EQ(IOWorkLoop_removeEventSource(wl, &h.gate->cg_es), kIOReturnSuccess);
	OSSafeReleaseNULL(h.gate);
	OSSafeReleaseNULL(wl);
	ktest_thread_join(t);
}
