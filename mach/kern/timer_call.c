/*
 * timer_call.c - per-CPU queues of callouts, sorted by deadline.
 *
 * A sorted list: insertion walks it, expiry pops from its head. The queues
 * hold a handful of calls (a timed wait per sleeping thread, the scheduler
 * tick), so the list is cheaper than a heap at this size. The deadline the
 * CPU's timer is armed for is the scheduler's business (sched_prim.c):
 * entering a call earlier than everything queued asks it to re-arm.
 */

#include "mach/kern/timer_call.h"

#include "kernel/machine_routines.h"
#include "libkern/assert.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/simple_lock.h"

static boolean_t
queue_lock(struct timer_queue *q)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock((hw_lock_t)(void *)&q->tq_lock);
	return s;
}

static void
queue_unlock(struct timer_queue *q, boolean_t s)
{
	hw_lock_unlock((hw_lock_t)(void *)&q->tq_lock);
	ml_set_interrupts_enabled(s);
}

void
timer_queue_init(struct timer_queue *q)
{
	q->tq_lock = 0;
	TAILQ_INIT(&q->tq_calls);
	q->tq_fired = 0;
	q->tq_late_ns_max = 0;
	q->tq_late_ns_total = 0;
}

void
timer_call_setup(timer_call_t call, timer_call_func_t func, void *param0)
{
	call->tc_queue = NULL;
	call->tc_deadline = 0;
	call->tc_func = func;
	call->tc_param0 = param0;
	call->tc_param1 = NULL;
}

/* Take call off its queue. Locks: that queue locked. */
static void
dequeue_locked(timer_call_t call)
{
	TAILQ_REMOVE(&call->tc_queue->tq_calls, call, tc_link);
	call->tc_queue = NULL;
}

/* Lock the queue call is on, rechecking it did not move meanwhile. */
static struct timer_queue *
lock_call_queue(timer_call_t call, boolean_t *s)
{
	for (;;) {
		struct timer_queue *q = __atomic_load_n(&call->tc_queue, __ATOMIC_ACQUIRE);

		if (q == NULL)
			return NULL;
		*s = queue_lock(q);
		if (call->tc_queue == q)
			return q;
		queue_unlock(q, *s);
	}
}

boolean_t
timer_call_cancel(timer_call_t call)
{
	struct timer_queue *q;
	boolean_t s;

	q = lock_call_queue(call, &s);
	if (q == NULL)
		return FALSE;
	dequeue_locked(call);
	queue_unlock(q, s);
	return TRUE;
}

boolean_t
timer_call_enter1(timer_call_t call, void *param1, uint64_t deadline, uint32_t flags)
{
	struct timer_queue *q = &current_processor()->timer_queue;
	boolean_t was_pending = timer_call_cancel(call);
	timer_call_t next;
	boolean_t s, earliest;

	(void)flags;
	s = queue_lock(q);
	call->tc_deadline = deadline;
	call->tc_param1 = param1;
	TAILQ_FOREACH(next, &q->tq_calls, tc_link) {
		if (next->tc_deadline > deadline)
			break;
	}
	if (next != NULL)
		TAILQ_INSERT_BEFORE(next, call, tc_link);
	else
		TAILQ_INSERT_TAIL(&q->tq_calls, call, tc_link);
	__atomic_store_n(&call->tc_queue, q, __ATOMIC_RELEASE);
	earliest = TAILQ_FIRST(&q->tq_calls) == call;
	queue_unlock(q, s);
	if (earliest)
		sched_timer_rearm();
	return was_pending;
}

boolean_t
timer_call_enter(timer_call_t call, uint64_t deadline, uint32_t flags)
{
	return timer_call_enter1(call, call->tc_param1, deadline, flags);
}

uint64_t
timer_queue_earliest(struct timer_queue *q)
{
	uint64_t deadline;
	boolean_t s = queue_lock(q);
	timer_call_t first = TAILQ_FIRST(&q->tq_calls);

	deadline = first != NULL ? first->tc_deadline : UINT64_MAX;
	queue_unlock(q, s);
	return deadline;
}

uint64_t
timer_queue_expire(struct timer_queue *q, uint64_t now)
{
	boolean_t s = queue_lock(q);
	timer_call_t call;

	while ((call = TAILQ_FIRST(&q->tq_calls)) != NULL && call->tc_deadline <= now) {
		timer_call_func_t func = call->tc_func;
		void *p0 = call->tc_param0, *p1 = call->tc_param1;
		uint64_t late = now - call->tc_deadline;

		dequeue_locked(call);
		q->tq_fired++;
		q->tq_late_ns_total += late;
		if (late > q->tq_late_ns_max)
			q->tq_late_ns_max = late;
		/* The callout may re-enter itself or cancel others: unlocked. */
		queue_unlock(q, s);
		func(p0, p1);
		s = queue_lock(q);
	}
	call = TAILQ_FIRST(&q->tq_calls);
	now = call != NULL ? call->tc_deadline : UINT64_MAX;
	queue_unlock(q, s);
	return now;
}
