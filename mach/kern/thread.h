/*
 * thread.h - Mach threads: the unit the scheduler runs.
 *
 * A thread belongs to one task, has its own kernel stack (with an unmapped
 * guard page below it), a scheduling state, a priority and a policy, and,
 * when it is not running, its kernel context in machine (kernel/machine/
 * thread.h). Kernel threads start in a continuation function:
 *
 *	thread_t t;
 *	kr = kernel_thread_start(worker_main, arg, &t);
 *	...
 *	thread_deallocate(t);	(kernel_thread_start returned a reference)
 *
 * and end by returning from it or calling thread_terminate_self(). Their
 * stack and structure are freed by the terminate daemon once nobody holds
 * a reference.
 *
 * User threads run code in a user task's address space:
 *
 *	kr = thread_create(task, &t);		suspended, in task->map
 *	thread_setentrypoint(t, entry);		(kernel/machine/thread.h)
 *	thread_setuserstack(t, sp);
 *	thread_resume(t);			first run: to user mode at entry
 *	...
 *	thread_terminate(t);			ends at its next return to user mode
 *	thread_deallocate(t);
 *
 * A user thread is in the kernel only on its own behalf (a system call, a
 * trap, an interrupt); every way back to user mode passes ast_taken_user,
 * where a pending thread_terminate takes effect, and where a suspended
 * thread (thread_suspend, thread_act.h) stops until it is resumed.
 *
 * Invariants
 *   - a thread is on at most one queue at a time, through th_link: a run
 *     queue (state TH_RUN, not running), a wait queue (TH_WAIT), or the
 *     terminate queue;
 *   - exactly one thread per CPU has th_running set, and it is that CPU's
 *     active thread;
 *   - sched_pri is within the band of sched_mode's policy, except while a
 *     real-time thread is demoted (TH_SFLAG_FAILSAFE).
 *
 * Locks for struct thread fields:
 *   [S] the scheduler lock (sched_prim.h), taken with interrupts off
 *   [I] set at creation, immutable after
 *   [a] atomic
 *   [T] the owning task's lock
 *   [o] only the thread itself touches it
 *   [P] the IPC lock (mach/ipc/ipc_object.h)
 * Lock order: task lock, then the scheduler lock.
 */

#ifndef MACH_KERN_THREAD_H
#define MACH_KERN_THREAD_H

#include <stdint.h>

#include "kernel/machine/thread.h"
#include "libkern/queue.h"
#include "mach/boolean.h"
#include "mach/exception_types.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/lock_order.h"
#include "mach/kern/timer_call.h"
#include "mach/kern_return.h"
#include "mach/vm_types.h"

#define KERNEL_STACK_SIZE	(16 * 1024)
#define THREAD_NAME_MAX		32

/* thread->state bits (XNU's) */
#define TH_WAIT		0x01	/* waiting on a wait queue */
#define TH_SUSP		0x02	/* stopped (suspend count > 0) */
#define TH_RUN		0x04	/* runnable or running */
#define TH_UNINT	0x08	/* the wait may not be interrupted */
#define TH_TERMINATE	0x10	/* terminating */
#define TH_IDLE		0x80	/* a processor's idle thread */

/* thread->sched_flags */
#define TH_SFLAG_FAILSAFE	0x01	/* a real-time thread demoted for overrunning */
#define TH_SFLAG_DEPRESS	0x02	/* priority depressed (thread_switch, swtch_pri) */

/* The last exception a thread raised (exception_triage records it). */
struct thread_exc_info {
	exception_type_t		exc_type;	/* EXC_*; 0: none yet */
	mach_exception_data_type_t	exc_code;
	mach_exception_data_type_t	exc_subcode;
	uint64_t			exc_pc;		/* the user instruction pointer */
	uint32_t			exc_count;	/* exceptions raised, ever */
};

struct wait_queue;
struct ksancov_dev;

struct thread {
	TAILQ_ENTRY(thread)	th_link;	/* [S] run, wait or terminate queue */
	struct machine_thread	machine;	/* [S] saved while not running */

	/* Scheduling */
	int			state;		/* [S] TH_* */
	boolean_t		th_running;	/* [S] on a CPU now */
	int			sched_mode;	/* [S] TH_MODE_* */
	int			saved_mode;	/* [S] mode to restore after a demotion */
	int			sched_flags;	/* [S] TH_SFLAG_* */
	int			sched_pri;	/* [S] the priority it is queued and runs at */
	int			base_pri;	/* [S] what timeshare aging starts from */
	int			max_priority;	/* [S] the highest it may be given */
	processor_t		runq;		/* [S] the processor whose run queue holds it */
	processor_t		last_processor;	/* [S] */
	processor_t		bound_processor; /* [S] runs only there, if set */
	uint64_t		quantum_remaining; /* [S] ns left of its quantum */
	uint64_t		computation_epoch; /* [S] when it was last dispatched */
	uint64_t		computation_metered; /* [S] ns run since it last blocked */
	uint64_t		cpu_usage;	/* [S] decaying ns of recent CPU use */
	uint64_t		sched_stamp;	/* [S] scheduler tick of the last decay */
	uint64_t		safe_release;	/* [S] end of a real-time demotion */
	struct {
		uint64_t	period;		/* ns; 0 if aperiodic */
		uint64_t	computation;	/* ns wanted per period */
		uint64_t	constraint;	/* ns within which it must get it */
		boolean_t	preemptible;
	} realtime;				/* [S] time-constraint policy */
	int			importance;	/* [S] precedence policy */
	boolean_t		user_stopped;	/* [S] held at its return to user
						   mode until resumed (thread_act.c) */
	timer_call_data_t	depress_timer;	/* [S] ends a timed depression */
	uint64_t		depress_generation; /* [S] counts depressions, to match
						   timers to them */

	/* Waiting */
	struct wait_queue	*wait_queue;	/* [S] the wait queue it is on */
	event64_t		wait_event;	/* [S] */
	wait_result_t		wait_result;	/* [S] */
	int			wait_interruptible; /* [S] */
	uint64_t		wait_generation; /* [S] counts waits, to match timers to them */
	timer_call_data_t	wait_timer;	/* [S] deadline of a timed wait */
	boolean_t		wait_timer_pending; /* [S] */
	const char		*wait_message;	/* [S] a name for the wait, for debuggers */

	/* Identity and life */
	uint64_t		thread_id;	/* [I] */
	char			th_name[THREAD_NAME_MAX]; /* [S] */
	task_t			task;		/* [I] */
	boolean_t		th_ended;	/* [a] off its CPU for good, stack
						   given back (thread_wait_terminated) */
	void			*uthread;	/* [o] the BSD layer's state of the
						   thread (bsd/sys/user.h), or NULL */
	vm_map_t		map;		/* [S] address space it runs in:
						   its task's, or one it borrowed
						   (vm_map_switch) */
	TAILQ_ENTRY(thread)	task_threads;	/* [T] the task's thread list */
	TAILQ_ENTRY(thread)	th_global_link;	/* [S] every thread, for debuggers */
	thread_continue_t	continuation;	/* [o] where a new thread starts */
	void			*parameter;	/* [o] */
	vm_offset_t		kernel_stack;	/* [I] base (above the guard page) */
	vm_size_t		kernel_stack_size; /* [I] */
	boolean_t		stack_owned;	/* [I] allocated by thread_create */
	uint32_t		ref_count;	/* [a] */

	/* User mode */
	uint32_t		th_ast;		/* [a] AST_APC: act at the next
						   return to user mode */
	int			user_stop_count; /* [S] thread_suspend's outstanding
						   (thread_create leaves 1) */
	struct thread_exc_info	exc_info;	/* [o] its last exception */
	struct ipc_port		*ith_self;	/* [P] its thread port, made on
						   first use (mach/ipc/ipc_tt.h) */

	/* Accounting */
	uint64_t		run_time;	/* [S] ns on a CPU, ever */
	uint64_t		context_switches; /* [S] times switched to */
	uint64_t		preemptions;	/* [S] times a better thread took its CPU */
	uint64_t		runq_time;	/* [S] ns queued runnable, waiting for
						   a CPU (woken or preempted), counted
						   while the lock-order checker runs */
	uint64_t		runq_since;	/* [S] when it was queued; 0: not */

	/* Debugging */
	struct lockorder_thread	th_lockorder;	/* [o] locks it holds (lock_order.h) */
#if KSANCOV
	struct ksancov_dev	*th_kcov;	/* [o] the coverage device it records
						   into (san/ksancov.h, KCOV=1), or NULL */
#endif
};

TAILQ_HEAD(thread_queue, thread);

/*
 * current_thread: the thread running on this CPU. Inline through the
 * machine's machine_current_thread; the function stays for kexts and gdb.
 */
thread_t	current_thread(void);
#define current_thread()	machine_current_thread()

/*
 * kernel_thread_start_priority: a new kernel thread of the kernel task,
 * runnable at priority pri (timeshare, or fixed in the kernel band), that
 * calls continuation(parameter, THREAD_AWAKENED). *new_thread gets a
 * reference the caller must drop with thread_deallocate. KERN_RESOURCE_
 * SHORTAGE if memory ran out (nothing was created).
 */
kern_return_t	kernel_thread_start_priority(thread_continue_t continuation,
		    void *parameter, int pri, thread_t *new_thread);
kern_return_t	kernel_thread_start(thread_continue_t continuation, void *parameter,
		    thread_t *new_thread);

/*
 * kernel_thread_create: the same, but not yet runnable (to name it or set
 * its policy first); thread_start lets it run.
 */
kern_return_t	kernel_thread_create(thread_continue_t continuation, void *parameter,
		    int pri, thread_t *new_thread);
void		thread_start(thread_t thread);

/*
 * thread_create: a new user thread of task, running in task->map at
 * BASEPRI_DEFAULT (timeshare), suspended until thread_resume. Its first
 * run goes straight to user mode (thread_bootstrap_return), at the state
 * thread_setentrypoint and thread_setuserstack gave it. *new_thread gets
 * a reference the caller must drop with thread_deallocate; the thread
 * holds a reference on its task until it is reaped.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT for a null or kernel task
 * or a null out pointer; KERN_FAILURE if task is terminating;
 * KERN_RESOURCE_SHORTAGE if memory ran out (nothing was created).
 */
kern_return_t	thread_create(task_t task, thread_t *new_thread);

/*
 * thread_resume: undo one thread_suspend (thread_act.h), or the suspension
 * thread_create leaves a new thread in; at 0 the thread runs again (a new
 * one for the first time). KERN_FAILURE if it is not suspended;
 * KERN_TERMINATED if it is ending; KERN_INVALID_ARGUMENT for THREAD_NULL
 * or a kernel thread.
 */
kern_return_t	thread_resume(thread_t thread);

/*
 * thread_terminate: end thread. A user thread ends at its next return to
 * user mode: now if it runs there on another CPU (an IPI brings it in), as
 * soon as it wakes if it waits interruptibly (the wait ends with
 * THREAD_INTERRUPTED), when it first runs if it never has; a thread in the
 * kernel finishes what it is doing first. A kernel thread may only end
 * itself this way (then this is thread_terminate_self).
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT for THREAD_NULL;
 * KERN_FAILURE for another kernel thread; KERN_TERMINATED if it is already
 * terminating.
 */
kern_return_t	thread_terminate(thread_t thread);

/* thread_terminate_internal: the same for a user thread (task_terminate). */
kern_return_t	thread_terminate_internal(thread_t thread);

/*
 * thread_bootstrap_return: where a new user thread begins (its
 * continuation): thread_exception_return to its user state.
 */
void		thread_bootstrap_return(void *parameter, wait_result_t result)
		    __attribute__((__noreturn__));

/* kernel_thread_create_idle: processor's idle thread, bound to it. */
kern_return_t	kernel_thread_create_idle(processor_t processor, thread_t *new_thread);

void		thread_reference(thread_t thread);
void		thread_deallocate(thread_t thread);

/*
 * thread_wait_terminated: block until thread has ended for good: it will
 * never run again, and its kernel stack is given back. The caller holds a
 * reference on it. What a kext's stop routine calls for each thread it
 * started, so that none can still be running the kext's code when the
 * kernel frees it. Not for the current thread.
 */
void		thread_wait_terminated(thread_t thread);

/* thread_terminate_self: end the current thread. Never returns. */
void		thread_terminate_self(void) __attribute__((__noreturn__));

/*
 * thread_set_bsd_hooks: the BSD layer's callback when a thread with a
 * uthread is freed (it frees the uthread). Once, at BSD start-up.
 */
void		thread_set_bsd_hooks(void (*uthread_free)(thread_t thread));

/*
 * thread_set_bsd_ast: the BSD layer's work at a user thread's return to
 * user mode (signal delivery: XNU's bsd_ast), called by ast_taken_user
 * with interrupts on when AST_BSD is set, and once more, with exiting
 * TRUE, just before a thread with a uthread ends there. Once, at BSD
 * start-up. thread_bsd_ast calls it (for ast_taken_user).
 */
void		thread_set_bsd_ast(void (*bsd_ast)(thread_t thread, boolean_t exiting));
void		thread_bsd_ast(thread_t thread, boolean_t exiting);

/*
 * act_set_astbsd: post AST_BSD to thread: it calls the BSD hook at its
 * next return to user mode; an interruptible wait ends now
 * (THREAD_INTERRUPTED), and a thread running on another CPU is made to
 * look. Locks: none of the scheduler's held; callable under a spin lock.
 */
void		act_set_astbsd(thread_t thread);
/* act_clear_astbsd: withdraw it (the BSD layer found nothing to do). */
void		act_clear_astbsd(thread_t thread);

/*
 * thread_set_bsd_exit_hook: the BSD layer's callback when the last thread
 * of a user task with a process (task->bsd_info) ends: called in that
 * thread, interrupts on, no lock held, before it stops (proc_exit). Once,
 * at BSD start-up.
 */
void		thread_set_bsd_exit_hook(void (*task_exit)(task_t task));

/* thread_set_name: a name for debuggers and panics (truncated to fit). */
void		thread_set_name(thread_t thread, const char *name);

/*
 * thread_bootstrap: make a thread of the code that is running now, on the
 * boot stack, so that the boot CPU has a current thread once the scheduler
 * starts. Called once, from kernel_bootstrap.
 */
void		thread_bootstrap(void);

/* thread_init: the terminate daemon and other threads' own services. */
void		thread_init(void);

/* For the tests and debuggers: every live thread. */
unsigned	thread_count(void);

/* What thread_snapshot reports of one thread. */
struct thread_snapshot {
	uint64_t	ts_id;
	char		ts_name[THREAD_NAME_MAX];
	char		ts_task[32];
	int		ts_state;		/* TH_* */
	int		ts_sched_pri;
	int		ts_base_pri;
	int		ts_mode;		/* TH_MODE_* */
	int		ts_cpu;			/* running there now, or -1 */
	uint64_t	ts_run_time;		/* ns */
	const char	*ts_wait_message;	/* a static string, or NULL */
};

/*
 * thread_snapshot: copy what is known of up to max threads into out (the
 * console's `threads`); returns how many threads there are, which may be
 * more than max.
 */
unsigned	thread_snapshot(struct thread_snapshot *out, unsigned max);

/* Set by the machine layer: thread_continue_new is where new threads begin. */
void		thread_continue_new(thread_t previous) __attribute__((__noreturn__));

#endif /* MACH_KERN_THREAD_H */
