/*
 * sync_sema.c - semaphores on wait queues.
 */

#include "mach/kern/sync_sema.h"

#include "kernel/kheap.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"

kern_return_t
semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value)
{
	semaphore_t sem;

	if (task == TASK_NULL || semaphore == NULL || value < 0 ||
	    (policy & ~SYNC_POLICY_ORDER_MASK) != 0 ||
	    (policy != SYNC_POLICY_FIFO && policy != SYNC_POLICY_FIXED_PRIORITY))
		return KERN_INVALID_ARGUMENT;
	sem = kheap_alloc(&kernel_heap, sizeof(*sem));
	if (sem == NULL)
		return KERN_RESOURCE_SHORTAGE;
	wait_queue_init(&sem->wait_queue, policy);
	sem->count = value;
	sem->active = TRUE;
	sem->owner = task;
	*semaphore = sem;
	return KERN_SUCCESS;
}

kern_return_t
semaphore_destroy(task_t task, semaphore_t sem)
{
	boolean_t s;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	if (task != sem->owner)
		return KERN_INVALID_RIGHT;
	s = sched_lock();
	if (!sem->active) {
		sched_unlock(s);
		return KERN_TERMINATED;
	}
	sem->active = FALSE;
	(void)wait_queue_wakeup_all_locked(&sem->wait_queue, sem, THREAD_RESTART);
	sched_unlock(s);
	/* Woken waiters touch only their own state now: the memory can go. */
	kheap_free(&kernel_heap, sem);
	return KERN_SUCCESS;
}

static kern_return_t
semaphore_signal_internal(semaphore_t sem, thread_t thread, boolean_t all)
{
	kern_return_t kr = KERN_SUCCESS;
	boolean_t s;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	s = sched_lock();
	if (!sem->active) {
		kr = KERN_TERMINATED;
	} else if (all) {
		(void)wait_queue_wakeup_all_locked(&sem->wait_queue, sem, THREAD_AWAKENED);
	} else if (thread != THREAD_NULL) {
		if (thread->wait_queue == &sem->wait_queue)
			(void)clear_wait_locked(thread, THREAD_AWAKENED);
		else
			kr = KERN_NOT_WAITING;
	} else if (wait_queue_wakeup_one_locked(&sem->wait_queue, sem,
	    THREAD_AWAKENED) == THREAD_NULL) {
		sem->count++;		/* nobody waits: keep the unit */
	}
	sched_unlock(s);
	return kr;
}

kern_return_t
semaphore_signal(semaphore_t sem)
{
	return semaphore_signal_internal(sem, THREAD_NULL, FALSE);
}

kern_return_t
semaphore_signal_all(semaphore_t sem)
{
	return semaphore_signal_internal(sem, THREAD_NULL, TRUE);
}

kern_return_t
semaphore_signal_thread(semaphore_t sem, thread_t thread)
{
	return semaphore_signal_internal(sem, thread, FALSE);
}

kern_return_t
semaphore_wait_deadline(semaphore_t sem, uint64_t deadline)
{
	boolean_t s;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	s = sched_lock();
	if (!sem->active) {
		sched_unlock(s);
		return KERN_TERMINATED;
	}
	if (sem->count > 0) {
		sem->count--;
		sched_unlock(s);
		return KERN_SUCCESS;
	}
	if (deadline != TIMEOUT_WAIT_FOREVER && deadline <= mach_absolute_time()) {
		sched_unlock(s);
		return KERN_OPERATION_TIMED_OUT;	/* a poll that found none */
	}
	(void)wait_queue_assert_wait_locked(&sem->wait_queue, sem, THREAD_ABORTSAFE,
	    deadline);
	current_thread()->wait_message = "semaphore";
	sched_unlock(s);
	switch (thread_block(THREAD_CONTINUE_NULL)) {
	case THREAD_AWAKENED:
		return KERN_SUCCESS;
	case THREAD_TIMED_OUT:
		return KERN_OPERATION_TIMED_OUT;
	case THREAD_INTERRUPTED:
		return KERN_ABORTED;
	default:
		return KERN_TERMINATED;
	}
}

kern_return_t
semaphore_wait(semaphore_t sem)
{
	return semaphore_wait_deadline(sem, TIMEOUT_WAIT_FOREVER);
}

kern_return_t
semaphore_timedwait(semaphore_t sem, mach_timespec_t wait_time)
{
	uint64_t ns;

	if (wait_time.tv_nsec < 0 || wait_time.tv_nsec >= (clock_res_t)NSEC_PER_SEC)
		return KERN_INVALID_VALUE;
	ns = (uint64_t)wait_time.tv_sec * NSEC_PER_SEC + (uint64_t)wait_time.tv_nsec;
	/* A zero wait is a poll; the +1 keeps it from meaning "forever". */
	return semaphore_wait_deadline(sem, mach_absolute_time() + ns + (ns == 0));
}
