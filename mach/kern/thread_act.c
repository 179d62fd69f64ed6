/*
 * thread_act.c - the thread_act interface (thread_act.h).
 */

#include "mach/kern/thread_act.h"

#include "kernel/machine/thread.h"
#include "kernel/machine_routines.h"
#include "libkern/string.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/thread_info.h"

/* A user thread, or THREAD_NULL and kernel threads, which none of these take. */
static boolean_t
user_thread(thread_t thread)
{
	return thread != THREAD_NULL && thread->task != kernel_task;
}

static boolean_t
ending_locked(thread_t thread)
{
	return (thread->state & TH_TERMINATE) ||
	    (__atomic_load_n(&thread->th_ast, __ATOMIC_ACQUIRE) & AST_APC);
}

kern_return_t
thread_suspend(thread_t thread)
{
	boolean_t s;

	if (!user_thread(thread))
		return KERN_INVALID_ARGUMENT;
	s = sched_lock();
	if (ending_locked(thread)) {
		sched_unlock(s);
		return KERN_TERMINATED;
	}
	if (thread->user_stop_count++ == 0) {
		__atomic_or_fetch(&thread->th_ast, AST_HOLD, __ATOMIC_ACQ_REL);
		/* In user mode on another CPU, perhaps: make it look. */
		if (thread->th_running && thread != current_thread())
			machine_signal_processor(thread->last_processor->cpu_id);
	}
	sched_unlock(s);
	return KERN_SUCCESS;
}

void
thread_hold_user(void)
{
	thread_t self = current_thread();
	event_t event = &self->user_stop_count;
	boolean_t s, stop;

	/* Wait first, then look: a resume in between wakes the wait. */
	(void)assert_wait(event, THREAD_ABORTSAFE);
	s = sched_lock();
	stop = self->user_stop_count > 0;
	if (stop)
		self->user_stopped = TRUE;
	else
		__atomic_and_fetch(&self->th_ast, ~AST_HOLD, __ATOMIC_ACQ_REL);
	sched_unlock(s);
	if (!stop) {
		(void)clear_wait(self, THREAD_AWAKENED);
		return;
	}
	(void)thread_block(THREAD_CONTINUE_NULL);
	s = sched_lock();
	self->user_stopped = FALSE;
	sched_unlock(s);
}

static kern_return_t
abort_wait(thread_t thread, boolean_t safely)
{
	boolean_t s;

	if (!user_thread(thread))
		return KERN_INVALID_ARGUMENT;
	s = sched_lock();
	if ((thread->state & TH_WAIT) &&
	    (!safely || thread->wait_interruptible == THREAD_ABORTSAFE))
		(void)clear_wait_locked(thread, THREAD_INTERRUPTED);	/* if it may */
	sched_unlock(s);
	return KERN_SUCCESS;
}

kern_return_t
thread_abort(thread_t thread)
{
	return abort_wait(thread, FALSE);
}

kern_return_t
thread_abort_safely(thread_t thread)
{
	return abort_wait(thread, TRUE);
}

/* thread_info's view of the scheduler's state. [S] held. */
static integer_t
run_state_locked(thread_t thread)
{
	if (ending_locked(thread))
		return TH_STATE_HALTED;
	if (thread->user_stopped || thread->state == TH_SUSP)
		return TH_STATE_STOPPED;
	if (thread->state & TH_WAIT)
		return (thread->state & TH_UNINT) ? TH_STATE_UNINTERRUPTIBLE : TH_STATE_WAITING;
	return TH_STATE_RUNNING;
}

static void
time_value_from_ns(time_value_t *tv, uint64_t ns)
{
	tv->seconds = (integer_t)(ns / 1000000000ULL);
	tv->microseconds = (integer_t)(ns % 1000000000ULL / 1000);
}

static kern_return_t
info_out(thread_info_t info, mach_msg_type_number_t *count, const void *data,
    mach_msg_type_number_t words)
{
	if (*count < words)
		return KERN_INVALID_ARGUMENT;
	memcpy(info, data, words * sizeof(natural_t));
	*count = words;
	return KERN_SUCCESS;
}

kern_return_t
thread_info(thread_t thread, thread_flavor_t flavor, thread_info_t info,
    mach_msg_type_number_t *count)
{
	struct thread_basic_info bi;
	struct thread_identifier_info ii;
	struct thread_extended_info ei;
	boolean_t s;

	if (!user_thread(thread) || info == NULL || count == NULL)
		return KERN_INVALID_ARGUMENT;
	memset(&bi, 0, sizeof(bi));
	memset(&ei, 0, sizeof(ei));
	s = sched_lock();
	time_value_from_ns(&bi.user_time, thread->run_time);
	bi.policy = thread->sched_mode == TH_MODE_TIMESHARE ? POLICY_TIMESHARE : POLICY_RR;
	bi.run_state = run_state_locked(thread);
	bi.flags = (thread->state & TH_IDLE) ? TH_FLAGS_IDLE : 0;
	bi.suspend_count = thread->user_stop_count;
	ei.pth_user_time = thread->run_time;
	ei.pth_policy = bi.policy;
	ei.pth_run_state = bi.run_state;
	ei.pth_flags = bi.flags;
	ei.pth_curpri = thread->sched_pri;
	ei.pth_priority = thread->base_pri;
	ei.pth_maxpriority = thread->max_priority;
	strlcpy(ei.pth_name, thread->th_name, sizeof(ei.pth_name));
	sched_unlock(s);

	switch (flavor) {
	case THREAD_BASIC_INFO:
		return info_out(info, count, &bi, THREAD_BASIC_INFO_COUNT);
	case THREAD_IDENTIFIER_INFO:
		ii.thread_id = thread->thread_id;
		ii.thread_handle = machine_thread_get_tsd_base(thread);
		ii.dispatch_qaddr = 0;
		return info_out(info, count, &ii, THREAD_IDENTIFIER_INFO_COUNT);
	case THREAD_EXTENDED_INFO:
		return info_out(info, count, &ei, THREAD_EXTENDED_INFO_COUNT);
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* The caller, or held still (suspended, or never run): its saved state is its state. */
static boolean_t
state_reachable(thread_t thread)
{
	boolean_t s, ok;

	if (thread == current_thread())
		return TRUE;
	s = sched_lock();
	ok = thread->user_stop_count > 0 || thread->state == TH_SUSP;
	sched_unlock(s);
	return ok;
}

kern_return_t
thread_get_state(thread_t thread, thread_state_flavor_t flavor, thread_state_t state,
    mach_msg_type_number_t *count)
{
	if (!user_thread(thread) || state == NULL || count == NULL)
		return KERN_INVALID_ARGUMENT;
	if (!state_reachable(thread))
		return KERN_FAILURE;
	return machine_thread_get_state(thread, flavor, state, count);
}

kern_return_t
thread_set_state(thread_t thread, thread_state_flavor_t flavor, thread_state_t state,
    mach_msg_type_number_t count)
{
	if (!user_thread(thread) || state == NULL)
		return KERN_INVALID_ARGUMENT;
	if (!state_reachable(thread))
		return KERN_FAILURE;
	return machine_thread_set_state(thread, flavor, state, count);
}
