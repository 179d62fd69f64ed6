/*
 * syscall_subr.h - the scheduling traps (swtch, swtch_pri, thread_switch)
 * and the priority depression they use.
 *
 * A depressed thread runs at DEPRESSPRI, below every other thread, until
 * its depression is aborted (thread_depress_abort: the traps do so as soon
 * as the thread runs again) or its interval ends (a timer call). Meanwhile
 * its own priority is kept as usual; sched_update_priority_locked only
 * puts DEPRESSPRI in its place while TH_SFLAG_DEPRESS is set.
 *
 * Locks: the depression state (TH_SFLAG_DEPRESS, depress_timer,
 * depress_generation) is under the scheduler lock.
 */

#ifndef MACH_KERN_SYSCALL_SUBR_H
#define MACH_KERN_SYSCALL_SUBR_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"
#include "mach/mach_traps.h"

/* thread_switch options (XNU's) */
#define SWITCH_OPTION_NONE	0	/* yield */
#define SWITCH_OPTION_DEPRESS	1	/* yield, depressed for option_time ms */
#define SWITCH_OPTION_WAIT	2	/* sleep option_time ms (interruptible) */

/*
 * thread_depress_abstime: depress the current thread for interval ns of
 * absolute time (0: until aborted). Nothing if it is depressed already.
 */
void		thread_depress_abstime(uint64_t interval);
void		thread_depress_ms(uint32_t interval_ms);

/* thread_depress_abort: end thread's depression. KERN_NOT_DEPRESSED if none. */
kern_return_t	thread_depress_abort(thread_t thread);

/*
 * The traps (mach_traps.h has their argument structures):
 *   swtch: yield to any runnable thread; returns whether others are still
 *     runnable (a spinning waiter's hint);
 *   swtch_pri: the same, depressed for the yield (its pri is ignored, as
 *     XNU does);
 *   thread_switch: yield with an option (SWITCH_OPTION_*); the thread
 *     hint is ignored until threads have port names. KERN_INVALID_ARGUMENT
 *     for an unknown option; KERN_SUCCESS otherwise.
 */
boolean_t	swtch(struct swtch_args *args);
boolean_t	swtch_pri(struct swtch_pri_args *args);
kern_return_t	thread_switch(struct thread_switch_args *args);

#endif /* MACH_KERN_SYSCALL_SUBR_H */
