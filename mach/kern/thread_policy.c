/*
 * thread_policy.c - setting and reading a thread's scheduling policy.
 *
 * Every argument is checked before anything changes (decode, then act):
 * a refused call leaves the thread as it was.
 */

#include "mach/kern/thread_policy.h"

#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"

/* What the standard policy comes back to. Locks: scheduler lock. */
static int
standard_base(thread_t thread)
{
	if (thread->sched_mode == TH_MODE_REALTIME || (thread->sched_flags & TH_SFLAG_FAILSAFE))
		return thread->max_priority >= MINPRI_KERNEL ? BASEPRI_KERNEL : BASEPRI_DEFAULT;
	return thread->base_pri;
}

static kern_return_t
check_time_constraint(const struct thread_time_constraint_policy *p)
{
	if (p->computation == 0 || p->computation > THREAD_RT_COMPUTATION_MAX ||
	    p->computation > p->constraint ||
	    (p->period != 0 && p->computation > p->period))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

kern_return_t
thread_policy_set(thread_t thread, thread_policy_flavor_t flavor,
    thread_policy_t policy_info, mach_msg_type_number_t count)
{
	const struct thread_time_constraint_policy *tc = (const void *)policy_info;
	const struct thread_extended_policy *ext = (const void *)policy_info;
	const struct thread_precedence_policy *prec = (const void *)policy_info;
	boolean_t s;

	if (thread == THREAD_NULL || (policy_info == NULL && count != 0))
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case THREAD_STANDARD_POLICY:	/* == THREAD_EXTENDED_POLICY */
		break;
	case THREAD_TIME_CONSTRAINT_POLICY:
		if (count < THREAD_TIME_CONSTRAINT_POLICY_COUNT ||
		    check_time_constraint(tc) != KERN_SUCCESS)
			return KERN_INVALID_ARGUMENT;
		break;
	case THREAD_PRECEDENCE_POLICY:
		if (count < THREAD_PRECEDENCE_POLICY_COUNT || prec->importance < 0)
			return KERN_INVALID_ARGUMENT;
		break;
	default:
		return KERN_INVALID_POLICY;
	}

	s = sched_lock();
	switch (flavor) {
	case THREAD_STANDARD_POLICY:
		sched_set_mode_locked(thread,
		    count >= THREAD_EXTENDED_POLICY_COUNT && !ext->timeshare
			? TH_MODE_FIXED : TH_MODE_TIMESHARE, standard_base(thread));
		break;
	case THREAD_TIME_CONSTRAINT_POLICY:
		thread->realtime.period = tc->period;
		thread->realtime.computation = tc->computation;
		thread->realtime.constraint = tc->constraint;
		thread->realtime.preemptible = tc->preemptible;
		sched_set_mode_locked(thread, TH_MODE_REALTIME, BASEPRI_RTQUEUES);
		break;
	case THREAD_PRECEDENCE_POLICY:
		thread->importance = prec->importance;
		sched_set_mode_locked(thread, thread->sched_mode == TH_MODE_REALTIME
		    ? TH_MODE_TIMESHARE : thread->sched_mode,
		    prec->importance > thread->max_priority ? thread->max_priority
							     : prec->importance);
		break;
	}
	sched_unlock(s);
	/* A thread made to run at once (or to give way) does so now. */
	thread_yield_if_preempted();
	return KERN_SUCCESS;
}

kern_return_t
thread_policy_get(thread_t thread, thread_policy_flavor_t flavor,
    thread_policy_t policy_info, mach_msg_type_number_t *count, boolean_t *get_default)
{
	boolean_t s;

	if (thread == THREAD_NULL || count == NULL || get_default == NULL ||
	    (policy_info == NULL && *count != 0))
		return KERN_INVALID_ARGUMENT;
	s = sched_lock();
	switch (flavor) {
	case THREAD_STANDARD_POLICY:
		if (*count >= THREAD_EXTENDED_POLICY_COUNT) {
			((struct thread_extended_policy *)(void *)policy_info)->timeshare =
			    thread->sched_mode == TH_MODE_TIMESHARE;
			*count = THREAD_EXTENDED_POLICY_COUNT;
		} else {
			*count = THREAD_STANDARD_POLICY_COUNT;
		}
		*get_default = thread->sched_mode == TH_MODE_TIMESHARE;
		break;
	case THREAD_TIME_CONSTRAINT_POLICY:
		if (*count < THREAD_TIME_CONSTRAINT_POLICY_COUNT) {
			sched_unlock(s);
			return KERN_INVALID_ARGUMENT;
		}
		*(struct thread_time_constraint_policy *)(void *)policy_info =
		    (struct thread_time_constraint_policy){
			.period = (uint32_t)thread->realtime.period,
			.computation = (uint32_t)thread->realtime.computation,
			.constraint = (uint32_t)thread->realtime.constraint,
			.preemptible = thread->realtime.preemptible,
		    };
		*count = THREAD_TIME_CONSTRAINT_POLICY_COUNT;
		*get_default = thread->sched_mode != TH_MODE_REALTIME;
		break;
	case THREAD_PRECEDENCE_POLICY:
		if (*count < THREAD_PRECEDENCE_POLICY_COUNT) {
			sched_unlock(s);
			return KERN_INVALID_ARGUMENT;
		}
		((struct thread_precedence_policy *)(void *)policy_info)->importance =
		    thread->importance;
		*count = THREAD_PRECEDENCE_POLICY_COUNT;
		*get_default = thread->importance == 0;
		break;
	default:
		sched_unlock(s);
		return KERN_INVALID_POLICY;
	}
	sched_unlock(s);
	return KERN_SUCCESS;
}
