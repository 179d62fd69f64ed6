/*
 * ml_interrupt.c - interrupt lines shared by several handlers, over the
 * 8259s (pic.c), for the ml_*_interrupt_handler contract in
 * kernel/machine_routines.h.
 *
 * Each line has a short table of (handler, refcon) pairs under its own
 * spin lock, taken with interrupts off. The lock is held while the
 * handlers run, on the real interrupt path and the simulated one alike:
 * so a removal waits for a handler running on another CPU to finish, and
 * its caller may free what the refcon points at as soon as it returns.
 * pic.c sees one handler per line, ml_interrupt_dispatch, installed while
 * the line has at least one pair (which unmasks it) and removed with the
 * last (which masks it).
 *
 * Lock order: a line's lock is taken before any lock a handler takes
 * (com1's, a work loop's), and nothing takes a line's lock while holding
 * another; handlers must not install or remove handlers.
 */

#include "kernel/machine_routines.h"

#include <stddef.h>

#include "kernel/x86_64/pic.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/simple_lock.h"

struct ml_interrupt_slot {
	ml_interrupt_handler_t	handler;
	void			*refcon;
};

static struct ml_interrupt_line {
	hw_lock_data_t		lock;
	unsigned		count;		/* [l] slots in use, packed from 0 */
	struct ml_interrupt_slot slots[ML_INTERRUPT_HANDLERS_PER_LINE];	/* [l] */
	uint64_t		dispatched;	/* [l] times its handlers were called */
} ml_lines[PIC_IRQS];

/* Call line irq's handlers. Interrupts are off. */
static void
ml_interrupt_call(unsigned irq)
{
	struct ml_interrupt_line *line = &ml_lines[irq];

	hw_lock_lock(&line->lock);
	line->dispatched++;
	for (unsigned i = 0; i < line->count; i++)
		line->slots[i].handler(line->slots[i].refcon, irq);
	hw_lock_unlock(&line->lock);
}

/* pic.c's handler for every line that has handlers. */
static void
ml_interrupt_dispatch(unsigned irq, struct x86_saved_state *ss)
{
	(void)ss;
	ml_interrupt_call(irq);
}

unsigned
ml_interrupt_line_count(void)
{
	return PIC_IRQS;
}

/* The slot of (handler, refcon) on line, or -1. Locks: [l]. */
static int
ml_interrupt_find_locked(struct ml_interrupt_line *line, ml_interrupt_handler_t handler,
    void *refcon)
{
	for (unsigned i = 0; i < line->count; i++) {
		if (line->slots[i].handler == handler && line->slots[i].refcon == refcon)
			return (int)i;
	}
	return -1;
}

kern_return_t
ml_install_interrupt_handler(unsigned irq, ml_interrupt_handler_t handler, void *refcon)
{
	struct ml_interrupt_line *line;
	kern_return_t kr = KERN_SUCCESS;
	boolean_t s;

	if (irq >= PIC_IRQS || handler == NULL)
		return KERN_INVALID_ARGUMENT;
	line = &ml_lines[irq];
	s = ml_set_interrupts_enabled(FALSE);
	hw_lock_lock(&line->lock);
	if (ml_interrupt_find_locked(line, handler, refcon) >= 0) {
		kr = KERN_NAME_EXISTS;
	} else if (line->count == ML_INTERRUPT_HANDLERS_PER_LINE) {
		kr = KERN_RESOURCE_SHORTAGE;
	} else {
		line->slots[line->count].handler = handler;
		line->slots[line->count].refcon = refcon;
		if (line->count++ == 0)
			pic_set_handler(irq, ml_interrupt_dispatch);
	}
	hw_lock_unlock(&line->lock);
	(void)ml_set_interrupts_enabled(s);
	return kr;
}

kern_return_t
ml_remove_interrupt_handler(unsigned irq, ml_interrupt_handler_t handler, void *refcon)
{
	struct ml_interrupt_line *line;
	kern_return_t kr = KERN_SUCCESS;
	boolean_t s;
	int i;

	if (irq >= PIC_IRQS || handler == NULL)
		return KERN_INVALID_ARGUMENT;
	line = &ml_lines[irq];
	s = ml_set_interrupts_enabled(FALSE);
	hw_lock_lock(&line->lock);
	i = ml_interrupt_find_locked(line, handler, refcon);
	if (i < 0) {
		kr = KERN_INVALID_ARGUMENT;
	} else {
		/* Keep the table packed, and the others in the order they came. */
		for (unsigned j = (unsigned)i + 1; j < line->count; j++)
			line->slots[j - 1] = line->slots[j];
		if (--line->count == 0)
			pic_set_handler(irq, NULL);
	}
	hw_lock_unlock(&line->lock);
	(void)ml_set_interrupts_enabled(s);
	return kr;
}

kern_return_t
ml_simulate_interrupt(unsigned irq)
{
	boolean_t s;

	if (irq >= PIC_IRQS)
		return KERN_INVALID_ARGUMENT;
	s = ml_set_interrupts_enabled(FALSE);
	ml_interrupt_call(irq);
	(void)ml_set_interrupts_enabled(s);
	/* As on the way out of an interrupt: a thread a handler woke may preempt us. */
	if (s)
		ast_taken_kernel();
	return KERN_SUCCESS;
}

boolean_t
ml_interrupt_line_is_level(unsigned irq)
{
	return pic_is_level(irq) ? TRUE : FALSE;
}

kern_return_t
ml_disable_interrupt_line(unsigned irq)
{
	if (irq >= PIC_IRQS)
		return KERN_INVALID_ARGUMENT;
	pic_disable_line(irq);
	return KERN_SUCCESS;
}

kern_return_t
ml_enable_interrupt_line(unsigned irq)
{
	if (irq >= PIC_IRQS)
		return KERN_INVALID_ARGUMENT;
	pic_enable_line(irq);
	return KERN_SUCCESS;
}
