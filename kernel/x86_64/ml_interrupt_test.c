/*
 * ml_interrupt_test.c - interrupt lines with several handlers: each is
 * called with its own refcon, with interrupts off, in the order installed;
 * a line fills up; removal is exact; bad arguments are refused.
 *
 * Line 3 (COM2's) has no device in the machines the tests run on.
 */

#include "kernel/machine_routines.h"

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
	KT_EXPECT_EQ(lines, 16);
	KT_EXPECT_EQ(ml_install_interrupt_handler(lines, hit, &h[0]), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(ml_install_interrupt_handler(TEST_IRQ, NULL, &h[0]), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(ml_remove_interrupt_handler(lines, hit, &h[0]), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(ml_simulate_interrupt(lines), KERN_INVALID_ARGUMENT);
}
