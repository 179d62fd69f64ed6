/*
 * processor.h - processors (one per CPU) and their run queues.
 *
 * Each processor has its own run queue (run_queue.h). The idle thread is
 * never queued: a processor with an empty run queue runs it.
 *
 * Asynchronous system traps (ASTs) are requests a processor acts on when it
 * next leaves an interrupt or re-enables preemption: AST_PREEMPT asks it to
 * reschedule, because a thread of higher priority became runnable or the
 * running thread's quantum expired. A thread has ASTs of its own
 * (thread->th_ast), acted on only when it next returns to user mode
 * (ast_taken_user): AST_APC ends it there (thread_terminate).
 *
 * Locks: [S] the scheduler lock; [I] set by processor_init; [a] atomic;
 * [C] only the processor's own CPU, with interrupts off.
 */

#ifndef MACH_KERN_PROCESSOR_H
#define MACH_KERN_PROCESSOR_H

#include <stdint.h>

#include "mach/kern/kern_types.h"
#include "mach/kern/run_queue.h"
#include "mach/kern/sched.h"
#include "mach/kern/thread.h"
#include "mach/kern/timer_call.h"

#define MAX_PROCESSORS	64

#define AST_NONE	0x00
#define AST_PREEMPT	0x01	/* reschedule: a better thread is runnable */
#define AST_QUANTUM	0x02	/* the running thread's quantum expired */
#define AST_APC		0x04	/* thread->th_ast: end at the next return to user mode */
#define AST_BSD		0x08	/* thread->th_ast: the BSD layer has work (a signal) */
#define AST_HOLD	0x10	/* thread->th_ast: stop at the next return to user
				   mode while suspended (thread_suspend) */

#define PROCESSOR_OFF_LINE	0
#define PROCESSOR_RUNNING	1
#define PROCESSOR_IDLE		2

struct processor {
	int			cpu_id;			/* [I] */
	int			state;			/* [S] PROCESSOR_* */
	thread_t		active_thread;		/* [S] */
	thread_t		idle_thread;		/* [I] */
	int			current_pri;		/* [S] the active thread's priority */
	uint64_t		quantum_end;		/* [S] deadline of its quantum */
	struct run_queue	runq;			/* [S] */
	struct timer_queue	timer_queue;		/* its own lock */
	volatile uint32_t	pending_ast;		/* [a] AST_* */
	uint32_t		switch_ast;		/* [S] why the last thread left */
	uint64_t		idle_time;		/* [C] ns spent idle */
	uint64_t		context_switches;	/* [S] */
	uint64_t		preemptions;		/* [S] */
	boolean_t		sync_wakeup;		/* [S] in thread_wakeup_sync */
	struct ipc_kmsg		*ikm_cache;		/* [a] a free small kmsg kept for
							   the next message sent here
							   (ipc_kmsg.c), or NULL */
};

extern struct processor processor_array[MAX_PROCESSORS];
extern unsigned processor_count;	/* processors brought up */

/* current_processor: this CPU's processor. */
processor_t	current_processor(void);
#define current_processor()	machine_current_processor()	/* inline; the function stays */

/* processor_init: set up processor cpu's queues; by each CPU's bring-up. */
void		processor_init(processor_t processor, int cpu);

#endif /* MACH_KERN_PROCESSOR_H */
