/*
 * sched_prim.h - the scheduler's primitives: waiting, waking, blocking,
 * and the lock that covers them.
 *
 * One lock, the scheduler lock, covers every run queue, every wait queue
 * and every thread's scheduling state, on every CPU. It is taken with
 * interrupts off (sched_lock returns their previous state, as splsched did).
 * A single lock keeps the state machine of wait, wakeup, preemption and
 * migration simple to reason about; with the few CPUs Machina runs on, it
 * is not the bottleneck (docs/scheduler.md has the argument and the plan
 * should it become one).
 *
 * The life of a wait:
 *	assert_wait(event, THREAD_UNINT);	state |= TH_WAIT, on a queue
 *	... release the object's lock ...
 *	result = thread_block(THREAD_CONTINUE_NULL);
 *					another thread: thread_wakeup(event)
 *	THREAD_AWAKENED, THREAD_TIMED_OUT, THREAD_INTERRUPTED or THREAD_RESTART
 *
 * A wakeup between assert_wait and thread_block is not lost: the thread is
 * already on the queue and thread_block then returns at once.
 *
 * Lock order: every object lock (lck_mtx, lck_spin, a task's), then the
 * scheduler lock, then timer-queue locks. Nothing is taken inside it but
 * timer queues and the page allocator's locks.
 */

#ifndef MACH_KERN_SCHED_PRIM_H
#define MACH_KERN_SCHED_PRIM_H

#include <stdint.h>

#include "kernel/machine/thread.h"
#include "mach/boolean.h"
#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"

/* The scheduler lock. */
boolean_t	sched_lock(void);
void		sched_unlock(boolean_t s);
boolean_t	sched_lock_held(void);

/* sched_init: run queues, wait queues, the scheduler tick. */
void		sched_init(void);

/* sched_startup: this CPU's idle thread and timer; scheduling begins. */
void		sched_startup(void);

/*
 * processor_start: a CPU that has just come up (its idle thread made for
 * it, its timer running) joins the scheduler. Never returns.
 */
void		processor_start(void) __attribute__((__noreturn__));

wait_result_t	assert_wait(event_t event, wait_interrupt_t interruptible);
wait_result_t	assert_wait_deadline(event_t event, wait_interrupt_t interruptible,
		    uint64_t deadline);
/* assert_wait_timeout: the deadline is now + interval * scale_factor ns. */
wait_result_t	assert_wait_timeout(event_t event, wait_interrupt_t interruptible,
		    uint32_t interval, uint32_t scale_factor);

/*
 * thread_block: give up the CPU. If the thread asserted a wait, it sleeps
 * until the wait ends; otherwise it only lets others of its priority or
 * higher run first. With a continuation, the thread resumes by calling
 * continuation(parameter, result) instead of returning, and the thread
 * ends if that returns.
 */
wait_result_t	thread_block(thread_continue_t continuation);
wait_result_t	thread_block_parameter(thread_continue_t continuation, void *parameter);

kern_return_t	thread_wakeup_prim(event_t event, boolean_t one_thread, wait_result_t result);
#define thread_wakeup(x)			thread_wakeup_prim((x), FALSE, THREAD_AWAKENED)
#define thread_wakeup_with_result(x, z)	thread_wakeup_prim((x), FALSE, (z))
#define thread_wakeup_one(x)			thread_wakeup_prim((x), TRUE, THREAD_AWAKENED)
/*
 * thread_wakeup_sync: thread_wakeup, from a thread that will block soon
 * (a pipe's writer, about to wait for the answer). A woken timeshare
 * thread, when the caller is timeshare too and nothing else is queued
 * here, is queued on this CPU without preempting the caller, and runs
 * when the caller blocks: a ping-pong between two threads then stays on
 * one CPU, with no interprocessor interrupt and no halted CPU to wake
 * (Linux's synchronous wake-ups). If the caller runs on instead, the
 * woken thread waits at most the rest of the caller's quantum; a thread
 * preempted or at the end of its quantum goes to an idle CPU.
 */
kern_return_t	thread_wakeup_sync(event_t event);

/*
 * clear_wait: end thread's wait now with result (THREAD_INTERRUPTED ends
 * only interruptible waits). KERN_NOT_WAITING if it was not waiting,
 * KERN_FAILURE if the wait may not be interrupted.
 */
kern_return_t	clear_wait(thread_t thread, wait_result_t result);
kern_return_t	clear_wait_locked(thread_t thread, wait_result_t result);

/*
 * thread_bind: bind the current thread to processor (PROCESSOR_NULL:
 * unbind), returning the previous binding. As in XNU, it takes effect at
 * the next context switch: a caller that must run there at once follows
 * it with thread_block(THREAD_CONTINUE_NULL).
 */
processor_t	thread_bind(processor_t processor);

/* thread_yield: let threads of equal or higher priority run. */
void		thread_yield(void);

/*
 * thread_yield_if_preempted: if the current thread no longer runs at the
 * priority it should, or a better thread is waiting, give way now.
 */
void		thread_yield_if_preempted(void);

/* Make a new or woken thread runnable. Locks: the scheduler lock held. */
void		thread_setrun_locked(thread_t thread);

/*
 * Preemption: a thread in the kernel may be preempted at any point where
 * interrupts are on and the preemption level is 0. Spin locks raise it.
 */
void		disable_preemption(void);
void		enable_preemption(void);
int		get_preemption_level(void);
#define get_preemption_level()	machine_preemption_level()	/* inline; the function stays */

/* ast_taken_kernel: act on pending ASTs; from interrupt return and enable_preemption. */
void		ast_taken_kernel(void);

/*
 * ast_taken_user: act on the current thread's and processor's ASTs on its
 * way back to user mode: thread_terminate takes effect here (the thread
 * ends), and preemption (AST_PREEMPT, AST_QUANTUM) switches. Called with
 * interrupts off and preemption enabled (a kernel bug otherwise: panics);
 * may block; returns with interrupts off and nothing pending.
 */
void		ast_taken_user(void);

/*
 * Called by the machine's timer interrupt: run expired timer calls and the
 * quantum check, then program the next deadline.
 */
void		sched_timer_interrupt(void);

/* sched_timer_rearm: program this CPU's timer for its earliest deadline. */
void		sched_timer_rearm(void);

/* Set a thread's scheduling parameters (thread_policy.c). Locks: scheduler lock. */
void		sched_set_mode_locked(thread_t thread, int mode, int base_pri);
void		sched_update_priority_locked(thread_t thread);

/* The quantum for timeshare and fixed threads, in ns. */
#define SCHED_QUANTUM_NS		(10ULL * 1000 * 1000)
/* The scheduler tick: timeshare CPU usage decays by 5/8 each tick. */
#define SCHED_TICK_NS			(125ULL * 1000 * 1000)

#endif /* MACH_KERN_SCHED_PRIM_H */
