/*
 * IOInterruptEventSource_test.c - simulated interrupts reach the action on
 * the work loop's thread, counted: the counts add up to the interrupts; a
 * disabled source counts none; a filter's refusals never reach the
 * action; two sources share a line.
 *
 * Line 3 (COM2's) has no device in the machines the tests run on.
 */

#include "iokit/Kernel/IOInterruptEventSource.h"

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOService.h"
#include "libkern/OSArray.h"
#include "libkern/OSData.h"
#include "iokit/Kernel/IOWorkLoop.h"
#include "kernel/machine_routines.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

#define TEST_IRQ	3
#define INTERRUPTS	100

struct counter {
	IOWorkLoop	*wl;
	volatile int	total;		/* sum of the counts the action got */
	volatile int	calls;
	volatile int	off_thread;	/* calls not on the loop's thread */
	volatile int	off_gate;	/* calls without the gate */
	volatile unsigned filter_calls;
	volatile unsigned filter_with_interrupts_on; /* filter calls in a wrong context */
};

static void
counter_action(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct counter *c = (struct counter *)owner;

	(void)sender;
	if (!IOWorkLoop_onThread(c->wl))
		c->off_thread++;
	if (!IOWorkLoop_inGate(c->wl))
		c->off_gate++;
	c->calls++;
	c->total += count;
}

/* Accept every other interrupt: the even-numbered ones are "another device's". */
static bool
odd_filter(OSObject *owner, IOFilterInterruptEventSource *sender)
{
	struct counter *c = (struct counter *)owner;

	(void)sender;
	if (ml_get_interrupts_enabled())
		c->filter_with_interrupts_on++;
	return (c->filter_calls++ & 1) != 0;
}

static thread_t
hold_thread(IOWorkLoop *wl)
{
	thread_t t = IOWorkLoop_getThread(wl);

	thread_reference(t);
	return t;
}

static void
finish(IOWorkLoop *wl, thread_t t, IOEventSource *es)
{
	(void)IOWorkLoop_removeEventSource(wl, es);
	OSObject_release(&es->es_os);
	OSObject_release(&wl->wl_os);
	ktest_thread_join(t);
}

KTEST(iokit_interrupt, counts_reach_the_workloop_thread_and_add_up)
{
	int32_t before = OSMetaClass_getInstanceCount(OSTypeID(IOInterruptEventSource));
	struct counter c = { .wl = IOWorkLoop_workLoop() };
	IOInterruptEventSource *ies;
	thread_t t;

	KT_ASSERT_TRUE(c.wl != NULL);
	t = hold_thread(c.wl);
	ies = IOInterruptEventSource_interruptEventSource((OSObject *)&c, counter_action,
	    TEST_IRQ);
	KT_ASSERT_TRUE(ies != NULL);
	KT_EXPECT_EQ(IOInterruptEventSource_getIntIndex(ies), TEST_IRQ);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(c.wl, &ies->ies_es), kIOReturnSuccess);
	IOEventSource_enable(&ies->ies_es);
	for (int i = 0; i < INTERRUPTS; i++) {
		KT_EXPECT_EQ(ml_simulate_interrupt(TEST_IRQ), KERN_SUCCESS);
		if (i % 10 == 0)
			IOSleep(1);	/* let some be delivered one by one */
	}
	KT_EXPECT_TRUE(ktest_wait_until(c.total == INTERRUPTS, 2000));
	IOSleep(5);
	KT_EXPECT_EQ(c.total, INTERRUPTS);
	KT_EXPECT_GE(c.calls, 1);
	KT_EXPECT_LE(c.calls, INTERRUPTS);
	KT_EXPECT_EQ(c.off_thread, 0);
	KT_EXPECT_EQ(c.off_gate, 0);
	finish(c.wl, t, &ies->ies_es);
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(IOInterruptEventSource)), before);
}

KTEST(iokit_interrupt, a_disabled_source_counts_nothing)
{
	struct counter c = { .wl = IOWorkLoop_workLoop() };
	IOInterruptEventSource *ies;
	thread_t t;

	KT_ASSERT_TRUE(c.wl != NULL);
	t = hold_thread(c.wl);
	ies = IOInterruptEventSource_interruptEventSource((OSObject *)&c, counter_action,
	    TEST_IRQ);
	KT_ASSERT_TRUE(ies != NULL);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(c.wl, &ies->ies_es), kIOReturnSuccess);
	/* New sources start disabled, as on macOS. */
	KT_EXPECT_FALSE(IOEventSource_isEnabled(&ies->ies_es));
	(void)ml_simulate_interrupt(TEST_IRQ);
	IOEventSource_enable(&ies->ies_es);
	(void)ml_simulate_interrupt(TEST_IRQ);
	(void)ml_simulate_interrupt(TEST_IRQ);
	KT_EXPECT_TRUE(ktest_wait_until(c.total == 2, 2000));
	IOEventSource_disable(&ies->ies_es);
	(void)ml_simulate_interrupt(TEST_IRQ);
	IOSleep(5);
	KT_EXPECT_EQ(c.total, 2);
	finish(c.wl, t, &ies->ies_es);
}

KTEST(iokit_interrupt, a_filter_decides_at_interrupt_level)
{
	int32_t before = OSMetaClass_getInstanceCount(OSTypeID(IOFilterInterruptEventSource));
	struct counter c = { .wl = IOWorkLoop_workLoop() };
	IOFilterInterruptEventSource *fies;
	thread_t t;

	KT_ASSERT_TRUE(c.wl != NULL);
	t = hold_thread(c.wl);
	fies = IOFilterInterruptEventSource_filterInterruptEventSource((OSObject *)&c,
	    counter_action, odd_filter, TEST_IRQ);
	KT_ASSERT_TRUE(fies != NULL);
	KT_EXPECT_TRUE(IOFilterInterruptEventSource_getFilterAction(fies) == odd_filter);
	KT_EXPECT_TRUE(OSDynamicCast(IOInterruptEventSource, fies) != NULL);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(c.wl, &fies->fies_ies.ies_es), kIOReturnSuccess);
	IOEventSource_enable(&fies->fies_ies.ies_es);
	for (int i = 0; i < INTERRUPTS; i++)
		(void)ml_simulate_interrupt(TEST_IRQ);
	KT_EXPECT_TRUE(ktest_wait_until(c.total == INTERRUPTS / 2, 2000));
	IOSleep(5);
	KT_EXPECT_EQ(c.filter_calls, INTERRUPTS);
	KT_EXPECT_EQ(c.filter_with_interrupts_on, 0);
	KT_EXPECT_EQ(c.total, INTERRUPTS / 2);
	KT_EXPECT_EQ(fies->fies_filtered, INTERRUPTS / 2);
	KT_EXPECT_EQ(c.off_thread, 0);
	finish(c.wl, t, &fies->fies_ies.ies_es);
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(IOFilterInterruptEventSource)),
	    before);
}

KTEST(iokit_interrupt, two_sources_share_a_line)
{
	struct counter c1 = { .wl = IOWorkLoop_workLoop() }, c2 = { .wl = c1.wl };
	IOInterruptEventSource *a, *b;
	thread_t t;

	KT_ASSERT_TRUE(c1.wl != NULL);
	t = hold_thread(c1.wl);
	a = IOInterruptEventSource_interruptEventSource((OSObject *)&c1, counter_action,
	    TEST_IRQ);
	b = IOInterruptEventSource_interruptEventSource((OSObject *)&c2, counter_action,
	    TEST_IRQ);
	KT_ASSERT_TRUE(a != NULL && b != NULL);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(c1.wl, &a->ies_es), kIOReturnSuccess);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(c1.wl, &b->ies_es), kIOReturnSuccess);
	IOWorkLoop_enableAllEventSources(c1.wl);
	for (int i = 0; i < 10; i++)
		(void)ml_simulate_interrupt(TEST_IRQ);
	KT_EXPECT_TRUE(ktest_wait_until(c1.total == 10 && c2.total == 10, 2000));
	(void)IOWorkLoop_removeEventSource(c1.wl, &a->ies_es);
	OSSafeReleaseNULL(a);
	(void)ml_simulate_interrupt(TEST_IRQ);
	KT_EXPECT_TRUE(ktest_wait_until(c2.total == 11, 2000));
	KT_EXPECT_EQ(c1.total, 10);
	finish(c1.wl, t, &b->ies_es);
}

KTEST(iokit_interrupt, bad_arguments_are_refused_and_logged)
{
	uint64_t cur = ktest_log_cursor();

	KT_EXPECT_TRUE(IOInterruptEventSource_interruptEventSource(NULL, NULL, TEST_IRQ) == NULL);
	KT_EXPECT_TRUE(ktest_log_has(cur, "IOInterruptEventSource: no action"));
	cur = ktest_log_cursor();
	KT_EXPECT_TRUE(IOInterruptEventSource_interruptEventSource(NULL, counter_action,
	    ml_interrupt_line_count()) == NULL);
	KT_EXPECT_TRUE(ktest_log_has(cur, "is not an interrupt line"));
	KT_EXPECT_TRUE(IOFilterInterruptEventSource_filterInterruptEventSource(NULL,
	    counter_action, NULL, TEST_IRQ) == NULL);
}

/* A nub names its lines in IOInterruptSpecifiers; a driver asks by index. */
KTEST(iokit_interrupt, a_provider_names_its_interrupt_by_index)
{
	struct counter c = { .wl = IOWorkLoop_workLoop() };
	IOService *nub = OSTypeAlloc(IOService);
	const unsigned lines[] = { TEST_IRQ };
	IOInterruptEventSource *ies;
	OSData *bad;
	OSArray *specs;
	unsigned line = 0;
	thread_t t;

	KT_ASSERT_TRUE(c.wl != NULL && nub != NULL && IOService_init(nub, NULL));
	t = hold_thread(c.wl);
	/* No specifiers yet: refused, no source. */
	KT_EXPECT_EQ(IOService_getInterruptLine(nub, 0, &line), kIOReturnNoInterrupt);
	KT_EXPECT_TRUE(IOInterruptEventSource_interruptEventSourceWithProvider((OSObject *)&c,
	    counter_action, nub, 0) == NULL);
	KT_ASSERT_TRUE(IOService_setInterruptLines(nub, lines, 1));
	KT_EXPECT_EQ(IOService_getInterruptLine(nub, 0, &line), kIOReturnSuccess);
	KT_EXPECT_EQ(line, TEST_IRQ);
	KT_EXPECT_EQ(IOService_getInterruptLine(nub, 1, &line), kIOReturnNoInterrupt);
	KT_EXPECT_EQ(IOService_getInterruptLine(nub, -1, &line), kIOReturnNoInterrupt);

	ies = IOInterruptEventSource_interruptEventSourceWithProvider((OSObject *)&c,
	    counter_action, nub, 0);
	KT_ASSERT_TRUE(ies != NULL);
	KT_EXPECT_EQ(IOInterruptEventSource_getIntIndex(ies), 0u);
	KT_EXPECT_TRUE(IOInterruptEventSource_getProvider(ies) == nub);
	KT_EXPECT_EQ(IOWorkLoop_addEventSource(c.wl, &ies->ies_es), kIOReturnSuccess);
	IOEventSource_enable(&ies->ies_es);
	KT_EXPECT_EQ(ml_simulate_interrupt(TEST_IRQ), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_wait_until(c.total == 1, 2000));

	/* A specifier of the wrong size is refused, not read past. */
	bad = OSData_withBytes("x", 1);
	specs = OSArray_withCapacity(1);
	KT_ASSERT_TRUE(bad != NULL && specs != NULL && OSArray_setObject(specs, OSOBJ(bad)));
	KT_EXPECT_TRUE(IORegistryEntry_setProperty(&nub->sv_entry, kIOInterruptSpecifiersKey,
	    OSOBJ(specs)));
	KT_EXPECT_EQ(IOService_getInterruptLine(nub, 0, &line), kIOReturnBadArgument);
	OSObject_release(OSOBJ(bad));
	OSObject_release(OSOBJ(specs));

	finish(c.wl, t, &ies->ies_es);
	OSObject_release(OSOBJ(nub));	/* the source's reference went with it */
}

/* The action of a source on a level-triggered line: was the line disabled meanwhile? */
struct level_counter {
	IOInterruptEventSource	*ies;
	volatile int		calls;
	volatile int		disabled_in_action;
};

static void
level_action(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct level_counter *c = (struct level_counter *)owner;

	(void)count;
	if (sender->ies_lineDisabled)
		c->disabled_in_action++;
	c->calls++;
}

/*
 * A plain source's primary handler disables a level-triggered line (a PCI
 * INTx line the firmware set up; QEMU's machines have some) until the
 * action has run, then the line is enabled again; an edge line is left
 * alone.
 */
KTEST(iokit_interrupt, a_level_line_is_disabled_until_the_action_has_run)
{
	unsigned level = 0;

	for (unsigned irq = 3; irq < ml_interrupt_line_count() && level == 0; irq++) {
		if (ml_interrupt_line_is_level(irq))
			level = irq;
	}
	KT_EXPECT_FALSE(ml_interrupt_line_is_level(0));
	KT_EXPECT_FALSE(ml_interrupt_line_is_level(TEST_IRQ));
	KT_EXPECT_EQ(ml_disable_interrupt_line(ml_interrupt_line_count()), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(ml_enable_interrupt_line(ml_interrupt_line_count()), KERN_INVALID_ARGUMENT);
	KT_ASSERT_NE(level, 0u);	/* the firmware made PCI's lines level-triggered */
	for (unsigned round = 0; round < 2; round++) {
		unsigned irq = round == 0 ? level : TEST_IRQ;
		struct level_counter c = { 0 };
		IOWorkLoop *wl = IOWorkLoop_workLoop();
		thread_t t;

		KT_ASSERT_TRUE(wl != NULL);
		t = hold_thread(wl);
		c.ies = IOInterruptEventSource_interruptEventSource((OSObject *)&c, level_action, irq);
		KT_ASSERT_TRUE(c.ies != NULL);
		KT_EXPECT_EQ(IOWorkLoop_addEventSource(wl, &c.ies->ies_es), kIOReturnSuccess);
		IOEventSource_enable(&c.ies->ies_es);
		KT_EXPECT_EQ(ml_simulate_interrupt(irq), KERN_SUCCESS);
		KT_EXPECT_TRUE(ktest_wait_until(c.calls == 1, 2000));
		KT_EXPECT_EQ(c.disabled_in_action, round == 0 ? 1 : 0);
		KT_EXPECT_EQ(c.ies->ies_lineDisabled, 0u);	/* enabled again after the action */
		finish(wl, t, &c.ies->ies_es);
	}
}
