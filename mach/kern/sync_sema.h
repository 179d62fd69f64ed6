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
 * User space names a semaphore by a send right to its port (IKOT_SEMAPHORE,
 * made on first use): semaphore_create and semaphore_destroy come through
 * the task port (mach/task.defs), signal and wait through their own traps.
 * A semaphore belongs to the task that made it and is destroyed with it.
 *
 * References: semaphore_create's caller gets one and the owner's list holds
 * one; a port conversion takes one while a call uses it. semaphore_destroy
 * consumes the caller's (even when it fails, as XNU's), takes it off the
 * list and kills its port; the memory goes with the last reference.
 *
 * Locks: a semaphore's count and waiters are covered by the scheduler lock;
 * its owner's list by the task lock; its port by the IPC lock.
 */

#ifndef MACH_KERN_SYNC_SEMA_H
#define MACH_KERN_SYNC_SEMA_H

#include "libkern/queue.h"
#include "mach/kern/clock.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/wait_queue.h"
#include "mach/kern_return.h"

struct semaphore {
	struct wait_queue	wait_queue;	/* [S] */
	int			count;		/* [S] units available */
	boolean_t		active;		/* [S] not yet destroyed */
	task_t			owner;		/* [I] */
	TAILQ_ENTRY(semaphore)	task_link;	/* [T] on owner->semaphore_list */
	boolean_t		listed;		/* [T] */
	uint32_t		ref_count;	/* [a] */
	struct ipc_port		*port;		/* [P] its port, or NULL */
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

void		semaphore_reference(semaphore_t semaphore);
void		semaphore_dereference(semaphore_t semaphore);
/* semaphore_destroy_all: every semaphore task owns (task termination). */
void		semaphore_destroy_all(task_t task);
/* semaphore_count: semaphores not yet freed (leak checks). */
uint32_t	semaphore_count(void);

/* Ports (mach_types.defs' conversions). */
semaphore_t	convert_port_to_semaphore(struct ipc_port *port);
struct ipc_port	*convert_semaphore_to_port(semaphore_t semaphore);

/* The traps (mach_traps.h). */
struct semaphore_signal_trap_args;
struct semaphore_signal_thread_trap_args;
struct semaphore_wait_signal_trap_args;
struct semaphore_timedwait_trap_args;
struct semaphore_timedwait_signal_trap_args;
kern_return_t	semaphore_signal_trap(struct semaphore_signal_trap_args *args);
kern_return_t	semaphore_signal_all_trap(struct semaphore_signal_trap_args *args);
kern_return_t	semaphore_signal_thread_trap(struct semaphore_signal_thread_trap_args *args);
kern_return_t	semaphore_wait_trap(struct semaphore_signal_trap_args *args);
kern_return_t	semaphore_wait_signal_trap(struct semaphore_wait_signal_trap_args *args);
kern_return_t	semaphore_timedwait_trap(struct semaphore_timedwait_trap_args *args);
kern_return_t	semaphore_timedwait_signal_trap(struct semaphore_timedwait_signal_trap_args *args);

#endif /* MACH_KERN_SYNC_SEMA_H */
