/*
 * timer_call.h - callouts at a deadline: the kernel's timers.
 *
 * A timer call is a function and two parameters to run once mach absolute
 * time reaches a deadline. Each CPU keeps its own queue, sorted by deadline;
 * the earliest deadline (or the end of the running thread's quantum, if
 * sooner) is what the CPU's local APIC timer is programmed for. Callouts run
 * in interrupt context, with interrupts off, on the CPU whose queue held
 * them: they must be short and must not block.
 *
 *	timer_call_setup(&t, my_callout, my_object);
 *	timer_call_enter(&t, deadline, 0);
 *	...
 *	timer_call_cancel(&t);		(safe if it already ran)
 *
 * Locks: each queue has a hw_lock taken with interrupts off, a leaf except
 * that callouts run with no queue lock held. A timer call's fields are
 * covered by the lock of the queue it is on ([Q]).
 */

#ifndef MACH_KERN_TIMER_CALL_H
#define MACH_KERN_TIMER_CALL_H

#include <stdint.h>

#include "libkern/queue.h"
#include "mach/boolean.h"

struct timer_call;
struct timer_queue;
typedef void (*timer_call_func_t)(void *param0, void *param1);

typedef struct timer_call {
	TAILQ_ENTRY(timer_call)	tc_link;	/* [Q] */
	struct timer_queue	*tc_queue;	/* [Q] the queue it is on, or NULL */
	uint64_t		tc_deadline;	/* [Q] */
	timer_call_func_t	tc_func;
	void			*tc_param0;
	void			*tc_param1;	/* [Q] */
} timer_call_data_t, *timer_call_t;

TAILQ_HEAD(timer_call_list, timer_call);

struct timer_queue {
	uint32_t		tq_lock;	/* a hw_lock word */
	struct timer_call_list	tq_calls;	/* sorted by deadline */
	uint64_t		tq_fired;	/* callouts run */
	uint64_t		tq_late_ns_max;	/* worst lateness seen */
	uint64_t		tq_late_ns_total;
};

void		timer_call_setup(timer_call_t call, timer_call_func_t func, void *param0);

/*
 * timer_call_enter: run call at deadline (mach absolute time), on this CPU.
 * A call already pending is moved. Returns TRUE if it was pending.
 */
boolean_t	timer_call_enter(timer_call_t call, uint64_t deadline, uint32_t flags);
boolean_t	timer_call_enter1(timer_call_t call, void *param1, uint64_t deadline,
		    uint32_t flags);

/* timer_call_cancel: take call off its queue. TRUE if it was pending. */
boolean_t	timer_call_cancel(timer_call_t call);

/* timer_queue_init: set up a CPU's queue (by the processor code). */
void		timer_queue_init(struct timer_queue *q);

/*
 * timer_queue_expire: run every call in q whose deadline is at or before
 * now; returns the next deadline (UINT64_MAX if none). Called from the
 * timer interrupt with interrupts off.
 */
uint64_t	timer_queue_expire(struct timer_queue *q, uint64_t now);

/* timer_queue_earliest: the earliest deadline in q, UINT64_MAX if empty. */
uint64_t	timer_queue_earliest(struct timer_queue *q);

#endif /* MACH_KERN_TIMER_CALL_H */
