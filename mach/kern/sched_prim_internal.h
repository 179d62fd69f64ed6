/*
 * sched_prim_internal.h - what the scheduler's own files share: the thread
 * state transitions that wait queues, threads and processors drive. Only
 * files in mach/kern/ include it.
 *
 * Every call here expects the scheduler lock held.
 */

#ifndef MACH_KERN_SCHED_PRIM_INTERNAL_H
#define MACH_KERN_SCHED_PRIM_INTERNAL_H

#include "mach/kern/kern_types.h"
#include "mach/kern/thread.h"

/* thread_wait_locked: mark thread waiting for event, arming its deadline. */
void	thread_wait_locked(thread_t thread, event64_t event, wait_interrupt_t interruptible,
	    uint64_t deadline);

/* thread_unwait_locked: end thread's wait with result and make it runnable. */
void	thread_unwait_locked(thread_t thread, wait_result_t result);

/* wait_queue_remove_locked: take a waiting thread off its wait queue. */
void	wait_queue_remove_locked(thread_t thread);

/* thread_terminate_enqueue_locked: hand a finished thread to the reaper. */
void	thread_terminate_enqueue_locked(thread_t thread);

/* sched_thread_init_locked: scheduling defaults for a new thread. */
void	sched_thread_init(thread_t thread, int pri);

/* A processor's idle loop: idle threads begin here. */
void	idle_thread_main(void *parameter, wait_result_t result);

/* Every thread, for debuggers: sched_prim.c keeps the list. */
void	sched_thread_list_add_locked(thread_t thread);
void	sched_thread_list_remove_locked(thread_t thread);

#endif /* MACH_KERN_SCHED_PRIM_INTERNAL_H */
