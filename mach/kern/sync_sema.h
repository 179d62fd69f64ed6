/*
 * sync_sema.h - Mach counting semaphores.
 *
 * A semaphore counts available units. semaphore_wait takes one, sleeping
 * while there are none; semaphore_signal gives one back, handing it
 * straight to a waiter if there is one (the waiter then runs without the
 * count ever rising), else adding it to the count. The policy given at
 * creation orders the waiters: SYNC_POLICY_FIFO in arrival order,
 * SYNC_POLICY_FIXED_PRIORITY highest priority first. Semantics are Mesa's:
 * a woken waiter runs when the scheduler gets to it.
 *
 *	semaphore_t sem;
 *	semaphore_create(current_task(), &sem, SYNC_POLICY_FIFO, 0);
 *	semaphore_wait(sem);			(another thread: semaphore_signal(sem))
 *	semaphore_destroy(current_task(), sem);	(waiters get KERN_TERMINATED)
 *
 * Locks: a semaphore's count and waiters are covered by the scheduler lock.
 */

#ifndef MACH_KERN_SYNC_SEMA_H
#define MACH_KERN_SYNC_SEMA_H

#include "mach/kern/clock.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/wait_queue.h"
#include "mach/kern_return.h"

struct semaphore {
	struct wait_queue	wait_queue;	/* [S] */
	int			count;		/* [S] units available */
	boolean_t		active;		/* [S] not yet destroyed */
	task_t			owner;		/* [I] */
};

kern_return_t	semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value);
kern_return_t	semaphore_destroy(task_t task, semaphore_t semaphore);
kern_return_t	semaphore_signal(semaphore_t semaphore);
kern_return_t	semaphore_signal_all(semaphore_t semaphore);
/* semaphore_signal_thread: wake that thread if it waits here (THREAD_NULL: any one). */
kern_return_t	semaphore_signal_thread(semaphore_t semaphore, thread_t thread);
kern_return_t	semaphore_wait(semaphore_t semaphore);
/* semaphore_timedwait: KERN_OPERATION_TIMED_OUT if wait_time passes first. */
kern_return_t	semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time);
kern_return_t	semaphore_wait_deadline(semaphore_t semaphore, uint64_t deadline);

#endif /* MACH_KERN_SYNC_SEMA_H */
