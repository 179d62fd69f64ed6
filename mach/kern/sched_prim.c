/*
 * sched_prim.c - the scheduler: choosing, switching, waiting, waking.
 *
 * The structure, for a reader starting here:
 *
 *   thread_block_reason()	the only place a thread gives up its CPU. It
 *				charges the CPU time used, picks the next
 *				thread (thread_select) and switches to it
 *				(thread_invoke). The scheduler lock is held
 *				from before the choice until the thread switched
 *				to has looked after the one it replaced
 *				(thread_dispatch), so no other CPU can see a
 *				thread half switched.
 *   thread_setrun_locked()	puts a runnable thread on a processor's run
 *				queue and asks for preemption if it should run
 *				before what runs there now.
 *   thread_wait_locked(),	a thread's wait begins and ends; wait queues
 *   thread_unwait_locked()	(wait_queue.c) decide which thread, these the
 *				state change.
 *   sched_timer_interrupt()	the local timer: timer calls, and the end of
 *				the running thread's quantum.
 *
 * Priorities. A timeshare thread runs at base_pri minus a penalty for its
 * recent CPU use: cpu_usage accumulates the ns it runs and decays by 5/8
 * every scheduler tick (125 ms), applied lazily from the tick count; each
 * 16 ms of usage costs one priority level, never below its band. A
 * compute-bound thread at the default priority settles around 11 levels
 * down; one that mostly waits stays at its base. Fixed threads run at
 * base_pri. Real-time threads run at BASEPRI_RTQUEUES with a quantum of
 * their computation; one that runs twice its computation without blocking
 * is demoted to timeshare at the default priority for RT_FAILSAFE_NS, as
 * the Kernel Programming Guide describes.
 */

#include "mach/kern/sched_prim.h"

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/machine/thread.h"
#include "kernel/machine_routines.h"
#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/lock_order.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim_internal.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/kern/thread_act.h"
#include "mach/kern/wait_queue.h"

#define SCHED_USAGE_PER_PRI	(16ULL * 1000 * 1000)	/* ns of usage per level */
#define SCHED_DECAY_TICKS_MAX	32			/* (5/8)^32: nothing left */
#define RT_QUANTUM_MIN_NS	(50ULL * 1000)		/* 50 us */
#define RT_OVERRUN_FACTOR	2
#define RT_FAILSAFE_NS		(100ULL * 1000 * 1000)	/* 100 ms */

/* The scheduler's global state: [S] the scheduler lock. */
static struct {
	hw_lock_data_t		lock;
	volatile int		owner;		/* CPU holding the lock, -1 if none */
	uint64_t		tick;		/* [S] scheduler ticks since start */
	timer_call_data_t	tick_call;	/* [S] */
	struct thread_queue	all_threads;	/* [S] every thread, for debuggers */
	unsigned		nthreads;	/* [S] */
	boolean_t		started;	/* [S] sched_startup has run */
} sched __hot_lock = { .lock = HW_LOCK_INITIALIZER, .owner = -1 };

boolean_t
sched_lock(void)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&sched.lock);
	sched.owner = (int)cpu_number();
	return s;
}

void
sched_unlock(boolean_t s)
{
	sched.owner = -1;
	hw_lock_unlock(&sched.lock);
	ml_set_interrupts_enabled(s);
	/*
	 * Back in a preemptible context: if what was done under the lock made
	 * a better thread runnable here (a wakeup), switch to it now rather
	 * than at the next interrupt.
	 */
	if (s && sched.started && current_processor()->pending_ast != AST_NONE &&
	    get_preemption_level() == 0)
		ast_taken_kernel();
}

boolean_t
sched_lock_held(void)
{
	return hw_lock_held(&sched.lock) && sched.owner == (int)cpu_number();
}

/* --- priorities ------------------------------------------------------------ */

/* The lowest priority of pri's band: aging never leaves the band. */
static int
band_floor(int pri)
{
	if (pri >= BASEPRI_REALTIME)
		return BASEPRI_REALTIME;
	if (pri >= MINPRI_KERNEL)
		return MINPRI_KERNEL;
	if (pri >= MINPRI_RESERVED)
		return MINPRI_RESERVED;
	return MINPRI_USER;
}

/* Decay thread's CPU usage to the current tick. Locks: [S]. */
static void
usage_decay_locked(thread_t thread)
{
	uint64_t ticks = sched.tick - thread->sched_stamp;

	if (ticks >= SCHED_DECAY_TICKS_MAX) {
		thread->cpu_usage = 0;
	} else {
		while (ticks-- > 0)
			thread->cpu_usage = thread->cpu_usage * 5 / 8;
	}
	thread->sched_stamp = sched.tick;
}

void
sched_update_priority_locked(thread_t thread)
{
	int pri;

	switch (thread->sched_mode) {
	case TH_MODE_REALTIME:
		pri = BASEPRI_RTQUEUES;
		break;
	case TH_MODE_TIMESHARE:
		usage_decay_locked(thread);
		pri = thread->base_pri - (int)(thread->cpu_usage / SCHED_USAGE_PER_PRI);
		if (pri < band_floor(thread->base_pri))
			pri = band_floor(thread->base_pri);
		break;
	default:
		pri = thread->base_pri;
		break;
	}
	if (thread->sched_flags & TH_SFLAG_DEPRESS)
		pri = DEPRESSPRI;	/* thread_switch, swtch_pri: below everything */
	if (pri == thread->sched_pri)
		return;
	/* A queued thread moves queues with its priority. */
	if (thread->runq != PROCESSOR_NULL) {
		run_queue_remove(&thread->runq->runq, thread);
		thread->sched_pri = pri;
		run_queue_enqueue(&thread->runq->runq, thread, FALSE);
	} else {
		thread->sched_pri = pri;
		if (thread->th_running && thread->last_processor != PROCESSOR_NULL)
			thread->last_processor->current_pri = pri;
	}
}

static uint64_t
thread_quantum(thread_t thread)
{
	if (thread->sched_mode == TH_MODE_REALTIME)
		return MAX(thread->realtime.computation, RT_QUANTUM_MIN_NS);
	return SCHED_QUANTUM_NS;
}

void
sched_set_mode_locked(thread_t thread, int mode, int base_pri)
{
	thread->sched_mode = mode;
	thread->base_pri = base_pri;
	thread->sched_flags &= ~TH_SFLAG_FAILSAFE;
	thread->quantum_remaining = 0;		/* a fresh one at the next dispatch */
	sched_update_priority_locked(thread);
}

void
sched_thread_init(thread_t thread, int pri)
{
	thread->sched_mode = pri >= MINPRI_KERNEL ? TH_MODE_FIXED : TH_MODE_TIMESHARE;
	thread->base_pri = pri;
	thread->sched_pri = pri;
	thread->max_priority = pri >= MINPRI_KERNEL ? MAXPRI_KERNEL : MAXPRI_USER;
	thread->sched_stamp = sched.tick;
}

/* --- the real-time failsafe ------------------------------------------------ */

/* Demote a real-time thread that overran. Locks: [S]. */
static void
rt_demote_locked(thread_t thread, uint64_t now)
{
	thread->saved_mode = TH_MODE_REALTIME;
	thread->sched_mode = TH_MODE_TIMESHARE;
	thread->base_pri = BASEPRI_DEFAULT;
	thread->sched_flags |= TH_SFLAG_FAILSAFE;
	thread->safe_release = now + RT_FAILSAFE_NS;
	thread->quantum_remaining = 0;
	sched_update_priority_locked(thread);
}

/* Restore a demoted thread whose penalty is served. Locks: [S]. */
static void
rt_release_locked(thread_t thread, uint64_t now)
{
	if (!(thread->sched_flags & TH_SFLAG_FAILSAFE) || now < thread->safe_release)
		return;
	thread->sched_flags &= ~TH_SFLAG_FAILSAFE;
	thread->sched_mode = thread->saved_mode;
	thread->base_pri = BASEPRI_RTQUEUES;
	thread->quantum_remaining = 0;
	sched_update_priority_locked(thread);
}

/* --- run queues and preemption --------------------------------------------- */

/* Ask processor to reschedule. Locks: [S]. */
static void
cause_ast_locked(processor_t processor, uint32_t ast)
{
	__atomic_or_fetch(&processor->pending_ast, ast, __ATOMIC_RELAXED);
	if (processor != current_processor())
		machine_signal_processor(processor->cpu_id);
}

/*
 * Which processor should run thread: an idle one (the one it last ran on,
 * if that is idle), else the one running the least important thread, if
 * thread is more important (it will be preempted), else the one with the
 * fewest queued threads. Locks: [S].
 */
static processor_t
choose_processor_locked(thread_t thread)
{
	processor_t lowest = PROCESSOR_NULL, emptiest = PROCESSOR_NULL;

	if (thread->bound_processor != PROCESSOR_NULL)
		return thread->bound_processor;
	if (thread->last_processor != PROCESSOR_NULL &&
	    thread->last_processor->state == PROCESSOR_IDLE &&
	    thread->last_processor->runq.rq_count == 0)
		return thread->last_processor;
	for (unsigned i = 0; i < processor_count; i++) {
		processor_t p = &processor_array[i];

		if (p->state == PROCESSOR_OFF_LINE)
			continue;
		if (p->state == PROCESSOR_IDLE && p->runq.rq_count == 0)
			return p;
		if (lowest == PROCESSOR_NULL || p->current_pri < lowest->current_pri)
			lowest = p;
		if (emptiest == PROCESSOR_NULL || p->runq.rq_count < emptiest->runq.rq_count ||
		    (p->runq.rq_count == emptiest->runq.rq_count && p == thread->last_processor))
			emptiest = p;
	}
	if (lowest != PROCESSOR_NULL && lowest->current_pri < thread->sched_pri)
		return lowest;
	return emptiest != PROCESSOR_NULL ? emptiest : current_processor();
}

/*
 * In thread_wakeup_sync, a timeshare thread woken by a timeshare thread
 * that will block soon, with nothing else queued here: queue it here,
 * without asking this CPU to reschedule. TRUE if so. Locks: [S].
 */
static boolean_t
setrun_sync_locked(thread_t thread)
{
	processor_t here = current_processor();
	thread_t self = here->active_thread;

	if (!here->sync_wakeup || here->runq.rq_count != 0 || self == here->idle_thread ||
	    self->sched_mode != TH_MODE_TIMESHARE || thread->sched_mode != TH_MODE_TIMESHARE ||
	    (thread->bound_processor != PROCESSOR_NULL && thread->bound_processor != here))
		return FALSE;
	run_queue_enqueue(&here->runq, thread, FALSE);
	thread->runq = here;
	return TRUE;
}

/* Queue thread on processor, head first if it was preempted. Locks: [S]. */
static void
runq_insert_locked(processor_t processor, thread_t thread, boolean_t head)
{
	run_queue_enqueue(&processor->runq, thread, head);
	thread->runq = processor;
	if (processor->state == PROCESSOR_IDLE || thread->sched_pri > processor->current_pri)
		cause_ast_locked(processor, AST_PREEMPT);
}

/*
 * When thread went on a run queue, for runq_time: only the lock-order
 * checker reads it, so the clock is read only while the checker runs,
 * not at every wake-up and preemption. Locks: [S].
 */
static inline void
runq_stamp_locked(thread_t thread)
{
	thread->runq_since = lockorder_enabled ? mach_absolute_time() : 0;
}

void
thread_setrun_locked(thread_t thread)
{
	assert(sched_lock_held());
	assert(thread->state == TH_RUN && thread->runq == PROCESSOR_NULL);
	assert(!thread->th_running);
	runq_stamp_locked(thread);
	if (setrun_sync_locked(thread))
		return;
	runq_insert_locked(choose_processor_locked(thread), thread, FALSE);
}

processor_t
thread_bind(processor_t processor)
{
	thread_t self = current_thread();
	boolean_t s = sched_lock();
	processor_t prev = self->bound_processor;

	self->bound_processor = processor;
	sched_unlock(s);
	return prev;
}

/* --- choosing and switching ------------------------------------------------ */

/* Charge self for the CPU since its last dispatch. Locks: [S]. */
static void
charge_locked(thread_t self, uint64_t now)
{
	uint64_t ran = now > self->computation_epoch ? now - self->computation_epoch : 0;

	self->computation_epoch = now;
	self->run_time += ran;
	self->computation_metered += ran;
	self->quantum_remaining = self->quantum_remaining > ran ? self->quantum_remaining - ran : 0;
	if (self->sched_mode == TH_MODE_TIMESHARE) {
		usage_decay_locked(self);
		self->cpu_usage += ran;
	}
}

/*
 * The best thread queued on another processor that may run on this one,
 * and its priority, or -1. Locks: [S].
 */
static int
remote_best_locked(processor_t processor, thread_t *out)
{
	int best_pri = -1;

	*out = THREAD_NULL;
	for (unsigned i = 0; i < processor_count; i++) {
		processor_t victim = &processor_array[i];

		if (victim == processor || victim->runq.rq_count == 0)
			continue;
		for (int pri = run_queue_highest(&victim->runq); pri > best_pri; pri--) {
			thread_t t;

			TAILQ_FOREACH(t, &victim->runq.rq_queues[pri], th_link) {
				if (t->bound_processor == PROCESSOR_NULL ||
				    t->bound_processor == processor) {
					*out = t;
					best_pri = pri;
					break;
				}
			}
			if (best_pri == pri)
				break;
		}
	}
	return best_pri;
}

/*
 * The thread processor should run next. Every processor looks at every run
 * queue, so each runs among the best runnable threads anywhere: a thread
 * queued elsewhere at a better priority than anything here is taken
 * (stolen), which is what spreads work as priorities age. Self, still
 * runnable, keeps the CPU if nothing is better, or as good while its
 * quantum lasts; a tie between here and elsewhere goes to here. Nothing at
 * all: the idle thread. Locks: [S].
 */
static thread_t
thread_select_locked(processor_t processor, thread_t self, uint32_t ast)
{
	int local = run_queue_highest(&processor->runq);
	thread_t remote_thread;
	int remote = remote_best_locked(processor, &remote_thread);
	int other = MAX(local, remote);

	if (self->state == TH_RUN &&	/* runnable, and not the idle thread (TH_IDLE) */
	    (self->bound_processor == PROCESSOR_NULL || self->bound_processor == processor)) {
		boolean_t quantum_over = (ast & AST_QUANTUM) || self->quantum_remaining == 0;

		if (other < self->sched_pri || (other == self->sched_pri && !quantum_over))
			return self;
	}
	if (local >= 0 && local >= remote) {
		thread_t next = run_queue_dequeue(&processor->runq);

		next->runq = PROCESSOR_NULL;
		return next;
	}
	if (remote >= 0) {
		run_queue_remove(&remote_thread->runq->runq, remote_thread);
		remote_thread->runq = PROCESSOR_NULL;
		return remote_thread;
	}
	return processor->idle_thread;
}

/*
 * Look after the thread switched away from, now that its stack is free:
 * requeue it if it is still runnable, hand it to the reaper if it ended.
 * Locks: [S], on the new thread's stack.
 */
static void
thread_dispatch_locked(thread_t prev, uint32_t ast)
{
	prev->th_running = FALSE;
	if (prev->state & TH_IDLE)
		return;
	if (prev->state & TH_TERMINATE) {
		thread_terminate_enqueue_locked(prev);
		return;
	}
	if (prev->state == TH_RUN) {
		/* Preempted with quantum left: resume first. Expired: go to the back. */
		boolean_t head = !(ast & AST_QUANTUM) && prev->quantum_remaining > 0;

		runq_stamp_locked(prev);
		runq_insert_locked(choose_processor_locked(prev), prev, head);
	}
}

/* Make next the running thread of processor. Locks: [S]. */
static void
dispatch_next_locked(processor_t processor, thread_t next, uint64_t now)
{
	next->th_running = TRUE;
	next->last_processor = processor;
	next->computation_epoch = now;
	next->context_switches++;
	if (next->runq_since != 0) {
		if (now > next->runq_since)
			next->runq_time += now - next->runq_since;
		next->runq_since = 0;
	}
	processor->active_thread = next;
	processor->current_pri = next->sched_pri;
	processor->context_switches++;
	if (next->state & TH_IDLE) {
		processor->state = PROCESSOR_IDLE;
		processor->quantum_end = UINT64_MAX;
	} else {
		processor->state = PROCESSOR_RUNNING;
		if (next->quantum_remaining == 0)
			next->quantum_remaining = thread_quantum(next);
		processor->quantum_end = now + next->quantum_remaining;
	}
	machine_set_current_thread(next);
}

/*
 * Switch from self to next. Returns in self, later, with [S] held again
 * (taken by whoever switched back to it). Why self gave up the CPU (ast)
 * travels with the processor: the thread that runs next looks after self,
 * and needs to know.
 */
static void
thread_invoke_locked(processor_t processor, thread_t self, thread_t next, uint32_t ast)
{
	thread_t prev;

	processor->switch_ast = ast;
	prev = machine_switch_context(self, next);
	/* Running as self again, perhaps elsewhere; prev ran here before. */
	processor = current_processor();
	thread_dispatch_locked(prev, processor->switch_ast);
}

static wait_result_t
thread_block_reason(thread_continue_t continuation, void *parameter, uint32_t reason)
{
	processor_t processor;
	thread_t self, next;
	uint64_t now;
	uint32_t ast;
	boolean_t s;
	wait_result_t result;

	if (get_preemption_level() != 0)
		panic("thread_block: called with preemption disabled (level %d)",
		    get_preemption_level());
	s = sched_lock();
	self = current_thread();
	processor = current_processor();
	/* Being terminated: an interruptible wait ends before it begins. */
	if ((self->state & TH_WAIT) && !(self->state & TH_UNINT) &&
	    (__atomic_load_n(&self->th_ast, __ATOMIC_ACQUIRE) & (AST_APC | AST_BSD)))
		thread_unwait_locked(self, THREAD_INTERRUPTED);
	ast = __atomic_exchange_n(&processor->pending_ast, AST_NONE, __ATOMIC_RELAXED) | reason;
	now = mach_absolute_time();
	charge_locked(self, now);
	if (self->state & TH_WAIT)
		self->computation_metered = 0;	/* it blocks: the overrun clock restarts */
	if (ast & AST_QUANTUM)
		sched_update_priority_locked(self);

	next = thread_select_locked(processor, self, ast);
	if (next != self) {
		/* Made way for a better thread (whether or not its quantum was over). */
		if (self->state == TH_RUN && next->sched_pri > self->sched_pri)
			self->preemptions++;
		dispatch_next_locked(processor, next, now);
		thread_invoke_locked(processor, self, next, ast);
	} else {
		if (self->quantum_remaining == 0)
			self->quantum_remaining = thread_quantum(self);
		processor->quantum_end = now + self->quantum_remaining;
		processor->current_pri = self->sched_pri;
	}
	result = self->wait_result;
	if (reason == AST_NONE)
		self->wait_result = THREAD_AWAKENED;	/* consumed by this caller */
	sched_unlock(s);
	sched_timer_rearm();

	if (continuation != THREAD_CONTINUE_NULL) {
		continuation(parameter, result);
		thread_terminate_self();
	}
	return result;
}

wait_result_t
thread_block_parameter(thread_continue_t continuation, void *parameter)
{
	return thread_block_reason(continuation, parameter, AST_NONE);
}

wait_result_t
thread_block(thread_continue_t continuation)
{
	return thread_block_reason(continuation, NULL, AST_NONE);
}

void
thread_yield(void)
{
	(void)thread_block_reason(THREAD_CONTINUE_NULL, NULL, AST_QUANTUM);
}

void
thread_yield_if_preempted(void)
{
	thread_t self = current_thread();
	processor_t processor = current_processor();
	boolean_t s = sched_lock();
	boolean_t yield = run_queue_highest(&processor->runq) > self->sched_pri;

	processor->current_pri = self->sched_pri;
	if (yield)
		__atomic_or_fetch(&processor->pending_ast, AST_PREEMPT, __ATOMIC_RELAXED);
	sched_unlock(s);	/* acts on the AST if preemption is possible */
}

void
ast_taken_kernel(void)
{
	processor_t processor = current_processor();

	if (!sched.started || processor->pending_ast == AST_NONE ||
	    get_preemption_level() != 0)
		return;
	/*
	 * A thread between assert_wait and its thread_block (msleep releasing
	 * its mutex) is not preempted: switched out now it would sleep on its
	 * event still holding the mutex, and the thread that is to wake it may
	 * need that mutex first. Its own thread_block takes the AST. Only the
	 * thread itself sets TH_WAIT, so a stale read just delays a preemption.
	 */
	if (__atomic_load_n(&current_thread()->state, __ATOMIC_RELAXED) & TH_WAIT)
		return;
	(void)thread_block_reason(THREAD_CONTINUE_NULL, NULL, AST_PREEMPT);
}

/*
 * On the way to user mode, with interrupts off: end the thread if it is
 * being terminated, and give the CPU up if the processor asks (a better
 * thread, the end of the quantum). Blocking turns interrupts on and off
 * again; the loop looks again, since new ASTs may have come meanwhile.
 */
void
ast_taken_user(void)
{
	thread_t self = current_thread();

	if (get_preemption_level() != 0)
		panic("ast_taken_user: returning to user mode with preemption disabled "
		    "(level %d)", get_preemption_level());
	/* The common case, at every system call's end: nothing to do. */
	if (!(__atomic_load_n(&self->th_ast, __ATOMIC_ACQUIRE) & (AST_APC | AST_BSD | AST_HOLD)) &&
	    current_processor()->pending_ast == AST_NONE)
		return;
	if (ml_get_interrupts_enabled())
		panic("ast_taken_user: called with interrupts on");
	for (;;) {
		if (__atomic_load_n(&self->th_ast, __ATOMIC_ACQUIRE) & AST_APC) {
			(void)ml_set_interrupts_enabled(TRUE);
			thread_bsd_ast(self, TRUE);	/* its last words (clear_child_tid) */
			thread_terminate_self();
		}
		if (__atomic_fetch_and(&self->th_ast, ~AST_BSD, __ATOMIC_ACQ_REL) & AST_BSD) {
			(void)ml_set_interrupts_enabled(TRUE);
			thread_bsd_ast(self, FALSE);	/* signals; may set it again */
			(void)ml_set_interrupts_enabled(FALSE);
			continue;
		}
		/*
		 * Suspended (thread_suspend): stop here, after signals were
		 * taken (so SIGKILL still ends the process) but before any
		 * handler runs in user mode.
		 */
		if (__atomic_load_n(&self->th_ast, __ATOMIC_ACQUIRE) & AST_HOLD) {
			(void)ml_set_interrupts_enabled(TRUE);
			thread_hold_user();
			(void)ml_set_interrupts_enabled(FALSE);
			continue;
		}
		if (current_processor()->pending_ast == AST_NONE)
			return;
		(void)thread_block_reason(THREAD_CONTINUE_NULL, NULL, AST_PREEMPT);
		(void)ml_set_interrupts_enabled(FALSE);
	}
}

/* Where a new thread begins, with [S] held and interrupts off. */
void
thread_continue_new(thread_t prev)
{
	thread_t self = current_thread();

	thread_dispatch_locked(prev, current_processor()->switch_ast);
	sched_unlock(TRUE);		/* interrupts on: a new thread starts with them */
	sched_timer_rearm();
	self->continuation(self->parameter, THREAD_AWAKENED);
	thread_terminate_self();
}

/* --- waiting and waking ---------------------------------------------------- */

static void
wait_timer_expired(void *param0, void *param1)
{
	thread_t thread = param0;
	boolean_t s = sched_lock();

	/* Only the wait this timer was armed for: param1 is its generation. */
	if (thread->wait_timer_pending && (thread->state & TH_WAIT) &&
	    (uint64_t)(uintptr_t)param1 == thread->wait_generation) {
		thread->wait_timer_pending = FALSE;
		thread_unwait_locked(thread, THREAD_TIMED_OUT);
	}
	sched_unlock(s);
}

void
thread_wait_locked(thread_t thread, event64_t event, wait_interrupt_t interruptible,
    uint64_t deadline)
{
	assert(sched_lock_held());
	assert(thread->state == TH_RUN && thread->wait_queue == NULL);
	thread->state = TH_RUN | TH_WAIT | (interruptible == THREAD_UNINT ? TH_UNINT : 0);
	thread->wait_event = event;
	thread->wait_result = THREAD_WAITING;
	thread->wait_interruptible = interruptible;
	thread->wait_generation++;
	if (deadline != TIMEOUT_WAIT_FOREVER) {
		thread->wait_timer_pending = TRUE;
		timer_call_setup(&thread->wait_timer, wait_timer_expired, thread);
		(void)timer_call_enter1(&thread->wait_timer,
		    (void *)(uintptr_t)thread->wait_generation, deadline, 0);
	}
}

void
thread_unwait_locked(thread_t thread, wait_result_t result)
{
	assert(sched_lock_held());
	if (thread->wait_queue != NULL)
		wait_queue_remove_locked(thread);
	if (thread->wait_timer_pending) {
		thread->wait_timer_pending = FALSE;
		(void)timer_call_cancel(&thread->wait_timer);
	}
	thread->wait_result = result;
	thread->wait_event = 0;
	thread->state &= ~(TH_WAIT | TH_UNINT);
	thread->state |= TH_RUN;
	/* Still on its CPU (it never got to block): it just carries on. */
	if (thread->th_running)
		return;
	rt_release_locked(thread, mach_absolute_time());
	sched_update_priority_locked(thread);
	thread_setrun_locked(thread);
}

wait_result_t
assert_wait_deadline(event_t event, wait_interrupt_t interruptible, uint64_t deadline)
{
	return wait_queue_assert_wait(wait_queue_for_event(event), event, interruptible,
	    deadline);
}

wait_result_t
assert_wait(event_t event, wait_interrupt_t interruptible)
{
	return assert_wait_deadline(event, interruptible, TIMEOUT_WAIT_FOREVER);
}

wait_result_t
assert_wait_timeout(event_t event, wait_interrupt_t interruptible, uint32_t interval,
    uint32_t scale_factor)
{
	uint64_t deadline = mach_absolute_time() + (uint64_t)interval * scale_factor;

	return assert_wait_deadline(event, interruptible, deadline);
}

kern_return_t
thread_wakeup_prim(event_t event, boolean_t one_thread, wait_result_t result)
{
	wait_queue_t wq = wait_queue_for_event(event);

	if (one_thread)
		return wait_queue_wakeup_one(wq, event, result);
	return wait_queue_wakeup_all(wq, event, result);
}

kern_return_t
thread_wakeup_sync(event_t event)
{
	wait_queue_t wq = wait_queue_for_event(event);
	boolean_t s = sched_lock();
	kern_return_t kr;

	current_processor()->sync_wakeup = TRUE;
	kr = wait_queue_wakeup_all_locked(wq, event, THREAD_AWAKENED);
	current_processor()->sync_wakeup = FALSE;
	sched_unlock(s);
	return kr;
}

kern_return_t
clear_wait_locked(thread_t thread, wait_result_t result)
{
	assert(sched_lock_held());
	if (!(thread->state & TH_WAIT))
		return KERN_NOT_WAITING;
	if (result == THREAD_INTERRUPTED && (thread->state & TH_UNINT))
		return KERN_FAILURE;
	thread_unwait_locked(thread, result);
	return KERN_SUCCESS;
}

kern_return_t
clear_wait(thread_t thread, wait_result_t result)
{
	boolean_t s = sched_lock();
	kern_return_t kr = clear_wait_locked(thread, result);

	sched_unlock(s);
	return kr;
}

/* --- the timer ------------------------------------------------------------- */

void
sched_timer_rearm(void)
{
	processor_t processor = current_processor();
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	uint64_t deadline = timer_queue_earliest(&processor->timer_queue);

	if (processor->quantum_end < deadline)
		deadline = processor->quantum_end;
	ml_timer_set_deadline(deadline);
	ml_set_interrupts_enabled(s);
}

/* The running thread's quantum ended. Locks: [S]. */
static void
quantum_expire_locked(processor_t processor, uint64_t now)
{
	thread_t self = processor->active_thread;

	charge_locked(self, now);
	self->quantum_remaining = 0;
	processor->quantum_end = UINT64_MAX;	/* until it is redispatched */
	if (self->sched_mode == TH_MODE_REALTIME &&
	    self->computation_metered > RT_OVERRUN_FACTOR * MAX(self->realtime.computation,
	    RT_QUANTUM_MIN_NS))
		rt_demote_locked(self, now);
	cause_ast_locked(processor, AST_QUANTUM | AST_PREEMPT);
}

void
sched_timer_interrupt(void)
{
	processor_t processor = current_processor();
	uint64_t now = mach_absolute_time();
	boolean_t s;

	(void)timer_queue_expire(&processor->timer_queue, now);
	s = sched_lock();
	if (processor->active_thread != processor->idle_thread &&
	    now >= processor->quantum_end)
		quantum_expire_locked(processor, now);
	sched_unlock(s);
	sched_timer_rearm();
}

/* Every SCHED_TICK_NS: the clock timeshare decay counts in, and failsafe releases. */
static void
sched_tick(void *p0, void *p1)
{
	uint64_t now = mach_absolute_time();
	boolean_t s = sched_lock();
	thread_t t;

	(void)p0;
	(void)p1;
	sched.tick++;
	TAILQ_FOREACH(t, &sched.all_threads, th_global_link) {
		if (t->sched_flags & TH_SFLAG_FAILSAFE)
			rt_release_locked(t, now);
		/*
		 * A queued timeshare thread ages too: its usage decays while it
		 * waits, and its priority rises with it, so that threads woken at
		 * a better priority cannot keep it off every CPU for good.
		 */
		if (t->runq != PROCESSOR_NULL && t->sched_mode == TH_MODE_TIMESHARE) {
			processor_t p = t->runq;

			sched_update_priority_locked(t);
			if (t->sched_pri > p->current_pri)
				cause_ast_locked(p, AST_PREEMPT);
		}
	}
	sched_unlock(s);
	timer_call_enter(&sched.tick_call, now + SCHED_TICK_NS, 0);
}

/* --- bring-up -------------------------------------------------------------- */

void
sched_thread_list_add_locked(thread_t thread)
{
	TAILQ_INSERT_TAIL(&sched.all_threads, thread, th_global_link);
	sched.nthreads++;
}

void
sched_thread_list_remove_locked(thread_t thread)
{
	TAILQ_REMOVE(&sched.all_threads, thread, th_global_link);
	sched.nthreads--;
}

unsigned
thread_snapshot(struct thread_snapshot *out, unsigned max)
{
	boolean_t s = sched_lock();
	unsigned n = 0;
	thread_t t;

	TAILQ_FOREACH(t, &sched.all_threads, th_global_link) {
		if (n < max) {
			struct thread_snapshot *ts = &out[n];

			ts->ts_id = t->thread_id;
			strlcpy(ts->ts_name, t->th_name, sizeof(ts->ts_name));
			strlcpy(ts->ts_task, t->task != TASK_NULL ? t->task->name : "",
			    sizeof(ts->ts_task));
			ts->ts_state = t->state;
			ts->ts_sched_pri = t->sched_pri;
			ts->ts_base_pri = t->base_pri;
			ts->ts_mode = t->sched_mode;
			ts->ts_cpu = t->th_running && t->last_processor != PROCESSOR_NULL ?
			    t->last_processor->cpu_id : -1;
			ts->ts_run_time = t->run_time;
			ts->ts_wait_message = (t->state & TH_WAIT) ? t->wait_message : NULL;
		}
		n++;
	}
	sched_unlock(s);
	return n;
}

unsigned
thread_count(void)
{
	return __atomic_load_n(&sched.nthreads, __ATOMIC_RELAXED);
}

void
sched_init(void)
{
	TAILQ_INIT(&sched.all_threads);
	wait_queue_bootstrap();
	processor_init(&processor_array[0], 0);
}

void
idle_thread_main(void *parameter, wait_result_t result)
{
	processor_t processor = current_processor();

	(void)parameter;
	(void)result;
	for (;;) {
		boolean_t s = ml_set_interrupts_enabled(FALSE);

		if (processor->pending_ast == AST_NONE && processor->runq.rq_count == 0) {
			uint64_t start = mach_absolute_time();

			machine_idle();
			processor->idle_time += mach_absolute_time() - start;
		}
		ml_set_interrupts_enabled(s);
		/* Whatever woke us (an interrupt's AST), run what is queued. */
		thread_block(THREAD_CONTINUE_NULL);
	}
}

void
processor_start(void)
{
	processor_t processor = current_processor();
	thread_t idle = processor->idle_thread;
	boolean_t s = sched_lock();

	idle->th_running = TRUE;
	idle->last_processor = processor;
	idle->computation_epoch = mach_absolute_time();
	processor->active_thread = idle;
	processor->current_pri = IDLEPRI;
	processor->state = PROCESSOR_IDLE;
	processor->quantum_end = UINT64_MAX;
	machine_set_current_thread(idle);
	sched_unlock(s);
	sched_timer_rearm();
	(void)ml_set_interrupts_enabled(TRUE);
	idle_thread_main(NULL, THREAD_AWAKENED);
	panic("processor_start: the idle loop returned");
}

void
sched_startup(void)
{
	processor_t processor = current_processor();
	thread_t idle;
	boolean_t s;

	if (kernel_thread_create_idle(processor, &idle) != KERN_SUCCESS)
		panic("sched_startup: no memory for the idle thread");
	processor->idle_thread = idle;
	ml_timer_init();
	s = sched_lock();
	processor->state = PROCESSOR_RUNNING;
	processor->quantum_end = mach_absolute_time() + SCHED_QUANTUM_NS;
	sched.started = TRUE;
	sched_unlock(s);
	timer_call_setup(&sched.tick_call, sched_tick, NULL);
	timer_call_enter(&sched.tick_call, mach_absolute_time() + SCHED_TICK_NS, 0);
}
