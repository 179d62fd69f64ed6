/*
 * ml_interrupt_test.c - interrupt lines with several handlers: each is
 * called with its own refcon, with interrupts off, in the order installed;
 * a line fills up; removal is exact; bad arguments are refused.
 *
 * A line that storms is disabled for a while, then comes back.
 *
 * Line 3 (COM2's) has no device in the machines the tests run on.
 */

#include "kernel/machine_routines.h"

#include "kernel/x86_64/ml_interrupt.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "tests/ktest.h"

#define TEST_IRQ	3

struct hits {
	int		count;
	int		order;		/* when, among all handlers, it last ran */
	int		with_interrupts_on;
	unsigned	irq;
};

static int calls;

static void
hit(void *refcon, unsigned irq)
{
	struct hits *h = refcon;

	h->count++;
	h->order = calls++;
	h->irq = irq;
	if (ml_get_interrupts_enabled())
		h->with_interrupts_on++;
}

static void
other_hit(void *refcon, unsigned irq)
{
	hit(refcon, irq);
}

KTEST(ml_interrupt, shared_line_calls_every_handler_with_its_refcon)
{
	struct hits a = { 0 }, b = { 0 };

	calls = 0;
	KT_ASSERT_EQ(ml_install_interrupt_handler(TEST_IRQ, hit, &a), KERN_SUCCESS);
	KT_ASSERT_EQ(ml_install_interrupt_handler(TEST_IRQ, hit, &b), KERN_SUCCESS);
	KT_EXPECT_EQ(ml_install_interrupt_handler(TEST_IRQ, hit, &a), KERN_NAME_EXISTS);
	KT_EXPECT_EQ(ml_simulate_interrupt(TEST_IRQ), KERN_SUCCESS);
	KT_EXPECT_EQ(a.count, 1);
	KT_EXPECT_EQ(b.count, 1);
	KT_EXPECT_LT(a.order, b.order);
	KT_EXPECT_EQ(a.irq, TEST_IRQ);
	KT_EXPECT_EQ(a.with_interrupts_on + b.with_interrupts_on, 0);
	KT_EXPECT_EQ(ml_remove_interrupt_handler(TEST_IRQ, hit, &a), KERN_SUCCESS);
	KT_EXPECT_EQ(ml_remove_interrupt_handler(TEST_IRQ, hit, &a), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(ml_simulate_interrupt(TEST_IRQ), KERN_SUCCESS);
	KT_EXPECT_EQ(a.count, 1);
	KT_EXPECT_EQ(b.count, 2);
	KT_EXPECT_EQ(ml_remove_interrupt_handler(TEST_IRQ, hit, &b), KERN_SUCCESS);
	/* No handler: nothing runs, and that is no error. */
	KT_EXPECT_EQ(ml_simulate_interrupt(TEST_IRQ), KERN_SUCCESS);
	KT_EXPECT_EQ(b.count, 2);
}

KTEST(ml_interrupt, a_line_fills_up_and_bad_lines_are_refused)
{
	struct hits h[ML_INTERRUPT_HANDLERS_PER_LINE + 1] = { { 0 } };
	unsigned lines = ml_interrupt_line_count();

	for (int i = 0; i < ML_INTERRUPT_HANDLERS_PER_LINE; i++)
		KT_EXPECT_EQ(ml_install_interrupt_handler(TEST_IRQ, hit, &h[i]), KERN_SUCCESS);
	KT_EXPECT_EQ(ml_install_interrupt_handler(TEST_IRQ, other_hit,
	    &h[ML_INTERRUPT_HANDLERS_PER_LINE]), KERN_RESOURCE_SHORTAGE);
	(void)ml_simulate_interrupt(TEST_IRQ);
	for (int i = 0; i < ML_INTERRUPT_HANDLERS_PER_LINE; i++) {
		KT_EXPECT_EQ(h[i].count, 1);
		KT_EXPECT_EQ(ml_remove_interrupt_handler(TEST_IRQ, hit, &h[i]), KERN_SUCCESS);
	}
	/* QEMU's PCs have one I/O APIC with 24 pins; ISA IRQ 0 is on GSI 2, so line 2 has none. */
	if (strcmp(ml_interrupt_controller_name(), "ioapic") == 0) {
		KT_EXPECT_EQ(lines, 24);
		KT_EXPECT_EQ(ml_install_interrupt_handler(2, hit, &h[0]), KERN_INVALID_ARGUMENT);
		KT_EXPECT_EQ(ml_simulate_interrupt(2), KERN_INVALID_ARGUMENT);
	} else {
		KT_EXPECT_EQ(lines, 16);
	}
	KT_EXPECT_EQ(ml_install_interrupt_handler(lines, hit, &h[0]), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(ml_install_interrupt_handler(TEST_IRQ, NULL, &h[0]), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(ml_remove_interrupt_handler(lines, hit, &h[0]), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(ml_simulate_interrupt(lines), KERN_INVALID_ARGUMENT);
}

/*
 * More than ML_STORM_LIMIT interrupts from the controller in one window:
 * the line is disabled (its handlers still saw every one delivered), and
 * a timer call enables it again after the pause. Simulated interrupts do
 * not count.
 */
KTEST(ml_interrupt, a_storming_line_is_paused_then_enabled_again)
{
	struct hits h = { 0 };
	uint32_t storms = ml_interrupt_storms(TEST_IRQ);
	uint64_t deadline;
	unsigned delivered = 0;
	boolean_t s;

	KT_ASSERT_EQ(ml_install_interrupt_handler(TEST_IRQ, hit, &h), KERN_SUCCESS);
	for (unsigned i = 0; i <= ML_STORM_LIMIT; i++)
		(void)ml_simulate_interrupt(TEST_IRQ);
	KT_EXPECT_FALSE(ml_interrupt_storm_paused(TEST_IRQ));
	/* A window may end halfway through: keep going until the check fires (bounded). */
	s = ml_set_interrupts_enabled(FALSE);
	while (!ml_interrupt_storm_paused(TEST_IRQ) && delivered < 20 * ML_STORM_LIMIT) {
		ml_interrupt_deliver(TEST_IRQ);
		delivered++;
	}
	(void)ml_set_interrupts_enabled(s);
	KT_EXPECT_TRUE(ml_interrupt_storm_paused(TEST_IRQ));
	KT_EXPECT_GT(delivered, ML_STORM_LIMIT);
	KT_EXPECT_EQ(ml_interrupt_storms(TEST_IRQ), storms + 1);
	KT_EXPECT_EQ(h.count, (int)(ML_STORM_LIMIT + 1 + delivered));
	/* The pause ends by itself (a generous bound: the machine may be busy). */
	deadline = mach_absolute_time() + 10 * ML_STORM_PAUSE_NS;
	while (ml_interrupt_storm_paused(TEST_IRQ) && mach_absolute_time() < deadline)
		delay(10000);
	KT_EXPECT_FALSE(ml_interrupt_storm_paused(TEST_IRQ));
	KT_EXPECT_EQ(ml_remove_interrupt_handler(TEST_IRQ, hit, &h), KERN_SUCCESS);
}
