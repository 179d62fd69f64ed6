/*
 * mach/semaphore.h - Mach semaphores from user space (XNU's names).
 *
 * A semaphore is named by a send right to its port. semaphore_create and
 * semaphore_destroy are calls on the task port (<mach/task.h>); these are
 * traps. Waits return KERN_OPERATION_TIMED_OUT when their time passes,
 * KERN_ABORTED when a signal interrupts them, KERN_TERMINATED when the
 * semaphore is destroyed; a name that is no semaphore's is
 * KERN_INVALID_ARGUMENT.
 */

#ifndef _MACH_SEMAPHORE_H_
#define _MACH_SEMAPHORE_H_

#include <mach/mach_types.h>
#include <mach/sync_policy.h>

typedef struct mach_timespec {
	unsigned int	tv_sec;
	int		tv_nsec;
} mach_timespec_t;

kern_return_t	semaphore_signal(semaphore_t semaphore);
kern_return_t	semaphore_signal_all(semaphore_t semaphore);
kern_return_t	semaphore_signal_thread(semaphore_t semaphore, thread_t thread);
kern_return_t	semaphore_wait(semaphore_t semaphore);
kern_return_t	semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time);
kern_return_t	semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore);
kern_return_t	semaphore_timedwait_signal(semaphore_t wait_semaphore,
		    semaphore_t signal_semaphore, mach_timespec_t wait_time);

#endif /* _MACH_SEMAPHORE_H_ */
