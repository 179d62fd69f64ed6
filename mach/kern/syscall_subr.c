/*
 * syscall_subr.c - swtch, swtch_pri, thread_switch, and priority
 * depression (syscall_subr.h).
 */

#include "mach/kern/syscall_subr.h"

#include "mach/kern/clock.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"
#include "mach/kern/timer_call.h"

/*
 * Is anything else runnable? A hint, read without the lock as XNU does:
 * a spinning waiter asks it to decide whether to go on spinning.
 */
static boolean_t
others_runnable(void)
{
	for (unsigned i = 0; i < processor_count; i++) {
		if (__atomic_load_n(&processor_array[i].runq.rq_count, __ATOMIC_RELAXED) > 0)
			return TRUE;
	}
	return FALSE;
}

/* The depression's timer: end it, unless it ended already. */
static void
thread_depress_expire(void *param0, void *param1)
{
	thread_t thread = param0;
	boolean_t s = sched_lock();

	if ((thread->sched_flags & TH_SFLAG_DEPRESS) &&
	    thread->depress_generation == (uint64_t)(uintptr_t)param1) {
		thread->sched_flags &= ~TH_SFLAG_DEPRESS;
		sched_update_priority_locked(thread);
	}
	sched_unlock(s);
}

void
thread_depress_abstime(uint64_t interval)
{
	thread_t self = current_thread();
	boolean_t s = sched_lock();

	if (!(self->sched_flags & TH_SFLAG_DEPRESS)) {
		self->sched_flags |= TH_SFLAG_DEPRESS;
		self->depress_generation++;
		sched_update_priority_locked(self);
		if (interval != 0) {
			timer_call_setup(&self->depress_timer, thread_depress_expire, self);
			(void)timer_call_enter1(&self->depress_timer,
			    (void *)(uintptr_t)self->depress_generation,
			    mach_absolute_time() + interval, 0);
		}
	}
	sched_unlock(s);
}

void
thread_depress_ms(uint32_t interval_ms)
{
	uint64_t abstime;

	nanoseconds_to_absolutetime((uint64_t)interval_ms * NSEC_PER_MSEC, &abstime);
	thread_depress_abstime(abstime);
}

kern_return_t
thread_depress_abort(thread_t thread)
{
	boolean_t s = sched_lock();
	kern_return_t kr = KERN_NOT_DEPRESSED;

	if (thread->sched_flags & TH_SFLAG_DEPRESS) {
		thread->sched_flags &= ~TH_SFLAG_DEPRESS;
		(void)timer_call_cancel(&thread->depress_timer);
		sched_update_priority_locked(thread);
		kr = KERN_SUCCESS;
	}
	sched_unlock(s);
	return kr;
}

boolean_t
swtch(struct swtch_args *args)
{
	(void)args;
	if (!others_runnable())
		return FALSE;
	thread_yield();
	return others_runnable();
}

boolean_t
swtch_pri(struct swtch_pri_args *args)
{
	(void)args;
	if (!others_runnable())
		return FALSE;
	thread_depress_abstime(SCHED_QUANTUM_NS);
	thread_yield();
	(void)thread_depress_abort(current_thread());
	return others_runnable();
}

kern_return_t
thread_switch(struct thread_switch_args *args)
{
	int option = (int)args->option;
	uint32_t option_time = (uint32_t)args->option_time;

	switch (option) {
	case SWITCH_OPTION_NONE:
		thread_yield();
		break;
	case SWITCH_OPTION_DEPRESS:
		thread_depress_ms(option_time);
		thread_yield();
		(void)thread_depress_abort(current_thread());
		break;
	case SWITCH_OPTION_WAIT:
		/* Nobody wakes this event: only the time, or an abort, ends it. */
		(void)assert_wait_timeout((event_t)thread_switch, THREAD_ABORTSAFE, option_time,
		    NSEC_PER_MSEC);
		(void)thread_block(THREAD_CONTINUE_NULL);
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	return KERN_SUCCESS;
}
