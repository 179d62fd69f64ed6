/*
 * ml_interrupt.c - interrupt lines shared by several handlers, over the
 * I/O APICs (ioapic.c) or, without one, the 8259s (pic.c), for the
 * ml_*_interrupt_handler contract in kernel/machine_routines.h.
 *
 * Each line has a short table of (handler, refcon) pairs under its own
 * spin lock, taken with interrupts off. The lock is held while the
 * handlers run, on the real interrupt path and the simulated one alike:
 * so a removal waits for a handler running on another CPU to finish, and
 * its caller may free what the refcon points at as soon as it returns.
 * The controller sees one handler per line, ml_interrupt_dispatch,
 * installed while the line has at least one pair (which unmasks it) and
 * removed with the last (which masks it).
 *
 * Storms: a line that interrupts more than ML_STORM_LIMIT times in one
 * ML_STORM_WINDOW_NS (a level line nobody acknowledges, a device gone
 * mad) would keep its CPU from doing anything else. It is disabled for
 * ML_STORM_PAUSE_NS, with one log line, then enabled again by a timer
 * call; the handlers see nothing of it but the pause.
 *
 * Lock order: a line's lock is taken before any lock a handler takes
 * (com1's, a work loop's), the controller's and the timer queue's, and
 * nothing takes a line's lock while holding another; handlers must not
 * install or remove handlers.
 */

#include "kernel/x86_64/ml_interrupt.h"

#include <stddef.h>

#include "kernel/console.h"
#include "kernel/machine_routines.h"
#include "kernel/pexpert.h"
#include "kernel/x86_64/ioapic.h"
#include "kernel/x86_64/lapic.h"
#include "kernel/x86_64/pic.h"
#include "mach/kern/clock.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/timer_call.h"

#define ML_LINES_MAX		IOAPIC_MAX_LINES

struct ml_interrupt_slot {
	ml_interrupt_handler_t	handler;
	void			*refcon;
};

static struct ml_interrupt_line {
	hw_lock_data_t		lock;
	unsigned		count;		/* [l] slots in use, packed from 0 */
	struct ml_interrupt_slot slots[ML_INTERRUPT_HANDLERS_PER_LINE];	/* [l] */
	uint64_t		dispatched;	/* [l] times its handlers were called */
	uint64_t		window_start;	/* [l] storm detection: this window's start */
	uint32_t		window_count;	/* [l] ... and interrupts in it */
	bool			storm_paused;	/* [l] disabled by the storm check */
	uint32_t		storms;		/* [l] times it was */
	timer_call_data_t	storm_timer;	/* enables it again */
} ml_lines[ML_LINES_MAX];

static bool ml_ioapic;		/* [I] lines go through the I/O APICs */

BOOT_ARG(ioapic, "ioapic", BOOT_ARG_NUMBER, 4,
    "0: interrupts through the 8259s, not the I/O APICs");

/* The controller's side of a line. */
static void
ml_controller_set_handler(unsigned irq, interrupt_handler_t handler)
{
	if (ml_ioapic)
		ioapic_set_handler(irq, handler);
	else
		pic_set_handler(irq, handler);
}

static void
ml_controller_disable(unsigned irq)
{
	if (ml_ioapic)
		ioapic_disable_line(irq);
	else
		pic_disable_line(irq);
}

static void
ml_controller_enable(unsigned irq)
{
	if (ml_ioapic)
		ioapic_enable_line(irq);
	else
		pic_enable_line(irq);
}

static bool
ml_line_usable(unsigned irq)
{
	return ml_ioapic ? ioapic_line_usable(irq) : irq < PIC_IRQS;
}

/* The storm pause is over: the line may interrupt again. Interrupt context. */
static void
ml_storm_end(void *param0, void *param1)
{
	struct ml_interrupt_line *line = param0;
	bool was;

	(void)param1;
	hw_lock_lock(&line->lock);
	was = line->storm_paused;
	line->storm_paused = false;
	line->window_count = 0;
	line->window_start = mach_absolute_time();
	hw_lock_unlock(&line->lock);
	if (was)
		ml_controller_enable((unsigned)(line - ml_lines));
}

/*
 * Count an interrupt on line; disable it for a while if it storms. TRUE
 * if it has just been disabled (the caller logs it, once unlocked).
 * Locks: [l].
 */
static bool
ml_storm_check_locked(struct ml_interrupt_line *line, unsigned irq)
{
	uint64_t now = mach_absolute_time();

	if (now - line->window_start >= ML_STORM_WINDOW_NS) {
		line->window_start = now;
		line->window_count = 0;
	}
	if (++line->window_count <= ML_STORM_LIMIT || line->storm_paused)
		return false;
	line->storm_paused = true;
	line->storms++;
	ml_controller_disable(irq);
	timer_call_enter(&line->storm_timer, now + ML_STORM_PAUSE_NS, 0);
	return true;
}

/* Call line irq's handlers; count it for the storm check if it came from the controller. */
static void
ml_interrupt_call(unsigned irq, bool from_controller)
{
	struct ml_interrupt_line *line = &ml_lines[irq];

	bool storm = false;

	hw_lock_lock(&line->lock);
	line->dispatched++;
	for (unsigned i = 0; i < line->count; i++)
		line->slots[i].handler(line->slots[i].refcon, irq);
	if (from_controller)
		storm = ml_storm_check_locked(line, irq);
	hw_lock_unlock(&line->lock);
	if (storm)
		printf("interrupt: storm on line %u (more than %u interrupts in %llu ms); "
		    "disabled for %llu ms\n", irq, ML_STORM_LIMIT,
		    (unsigned long long)(ML_STORM_WINDOW_NS / 1000000ULL),
		    (unsigned long long)(ML_STORM_PAUSE_NS / 1000000ULL));
}

/* pic.c's handler for every line that has handlers. */
static void
ml_interrupt_dispatch(unsigned irq, struct x86_saved_state *ss)
{
	(void)ss;
	ml_interrupt_call(irq, true);
}

unsigned
ml_interrupt_line_count(void)
{
	return ml_ioapic ? ioapic_line_count() : PIC_IRQS;
}

void
ml_interrupt_vector(unsigned irq, struct x86_saved_state *ss)
{
	if (ml_ioapic)
		ioapic_dispatch(irq, ss);
	else if (irq < PIC_IRQS)
		pic_dispatch(irq, ss);
}

void
ml_interrupt_controller_init(void)
{
	unsigned use_ioapic = 1;
	boolean_t s;

	for (unsigned i = 0; i < ML_LINES_MAX; i++)
		timer_call_setup(&ml_lines[i].storm_timer, ml_storm_end, &ml_lines[i]);
	(void)PE_parse_boot_argn("ioapic", &use_ioapic, sizeof(use_ioapic));
	if (use_ioapic == 0) {
		printf("interrupt: the 8259s (ioapic=0)\n");
		return;
	}
	if (!ioapic_init()) {
		printf("interrupt: no usable I/O APIC; the 8259s\n");
		return;
	}
	/* The 8259s' output no longer reaches the CPU; lines with handlers move over. */
	s = ml_set_interrupts_enabled(FALSE);
	lapic_mask_extint();
	for (unsigned i = 0; i < PIC_IRQS; i++) {
		struct ml_interrupt_line *line = &ml_lines[i];

		hw_lock_lock(&line->lock);
		if (line->count > 0) {
			pic_set_handler(i, NULL);
			ioapic_set_handler(i, ml_interrupt_dispatch);
		}
		hw_lock_unlock(&line->lock);
	}
	ml_ioapic = true;
	(void)ml_set_interrupts_enabled(s);
}

const char *
ml_interrupt_controller_name(void)
{
	return ml_ioapic ? "ioapic" : "8259";
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

	if (!ml_line_usable(irq) || handler == NULL)
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
			ml_controller_set_handler(irq, ml_interrupt_dispatch);
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

	if (!ml_line_usable(irq) || handler == NULL)
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
			ml_controller_set_handler(irq, NULL);
	}
	hw_lock_unlock(&line->lock);
	(void)ml_set_interrupts_enabled(s);
	return kr;
}

kern_return_t
ml_simulate_interrupt(unsigned irq)
{
	boolean_t s;

	if (!ml_line_usable(irq))
		return KERN_INVALID_ARGUMENT;
	s = ml_set_interrupts_enabled(FALSE);
	ml_interrupt_call(irq, false);
	(void)ml_set_interrupts_enabled(s);
	/* As on the way out of an interrupt: a thread a handler woke may preempt us. */
	if (s)
		ast_taken_kernel();
	return KERN_SUCCESS;
}

boolean_t
ml_interrupt_line_is_level(unsigned irq)
{
	if (ml_ioapic)
		return ioapic_is_level(irq) ? TRUE : FALSE;
	return pic_is_level(irq) ? TRUE : FALSE;
}

kern_return_t
ml_disable_interrupt_line(unsigned irq)
{
	if (!ml_line_usable(irq))
		return KERN_INVALID_ARGUMENT;
	ml_controller_disable(irq);
	return KERN_SUCCESS;
}

kern_return_t
ml_enable_interrupt_line(unsigned irq)
{
	if (!ml_line_usable(irq))
		return KERN_INVALID_ARGUMENT;
	ml_controller_enable(irq);
	return KERN_SUCCESS;
}

void
ml_interrupt_deliver(unsigned irq)
{
	if (ml_line_usable(irq))
		ml_interrupt_call(irq, true);
}

bool
ml_interrupt_storm_paused(unsigned irq)
{
	return irq < ML_LINES_MAX && __atomic_load_n(&ml_lines[irq].storm_paused, __ATOMIC_RELAXED);
}

uint32_t
ml_interrupt_storms(unsigned irq)
{
	return irq < ML_LINES_MAX ? __atomic_load_n(&ml_lines[irq].storms, __ATOMIC_RELAXED) : 0;
}
