/*
 * sched_prim_test.c - threads, waits, preemption and the policies, on the
 * running scheduler.
 *
 * The tests run on the kernel_bootstrap thread (fixed, BASEPRI_KERNEL): it
 * outranks the timeshare workers it starts, so it keeps control by
 * sleeping (IOSleep) while they run, and joins them before it returns.
 */

#include "mach/kern/sched_prim.h"

#include "iokit/Kernel/IOLib.h"
#include "mach/kern/clock.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/kern/thread_policy.h"
#include "tests/ktest.h"

/* --- life ------------------------------------------------------------------ */

static void
set_flag(void *arg, int result)
{
	(void)result;
	__atomic_store_n((volatile int *)arg, 1, __ATOMIC_RELEASE);
}

KTEST(sched, threads_run_end_and_are_reaped)
{
	unsigned before = thread_count();
	volatile int ran[4] = { 0 };
	thread_t t[4];

	for (int i = 0; i < 4; i++)
		t[i] = ktest_thread_start(set_flag, (void *)&ran[i], BASEPRI_DEFAULT);
	KT_EXPECT_TRUE(ktest_wait_until(ran[0] && ran[1] && ran[2] && ran[3], 2000));
	for (int i = 0; i < 4; i++)
		ktest_thread_join(t[i]);
	KT_EXPECT_EQ(thread_count(), before);
}

KTEST(sched, a_thread_knows_itself)
{
	thread_t self = current_thread();

	KT_EXPECT_TRUE(self != THREAD_NULL);
	KT_EXPECT_TRUE(self->th_running);
	KT_EXPECT_TRUE(self->task == kernel_task);
	KT_EXPECT_TRUE(current_task() == kernel_task);
	KT_EXPECT_TRUE(current_processor()->active_thread == self);
}

/* --- waiting --------------------------------------------------------------- */

KTEST(sched, a_timed_wait_times_out_no_earlier_than_its_deadline)
{
	int event;
	uint64_t start = mach_absolute_time(), deadline = start + 20 * NSEC_PER_MSEC;
	wait_result_t r;

	(void)assert_wait_deadline(&event, THREAD_UNINT, deadline);
	r = thread_block(THREAD_CONTINUE_NULL);
	KT_EXPECT_EQ(r, THREAD_TIMED_OUT);
	KT_EXPECT_GE(mach_absolute_time(), deadline);
}

struct waker {
	int		event;
	volatile int	go;
};

static void
waker_main(void *arg, int result)
{
	struct waker *w = arg;

	(void)result;
	while (!__atomic_load_n(&w->go, __ATOMIC_ACQUIRE))
		IOSleep(1);
	thread_wakeup(&w->event);
}

KTEST(sched, a_wakeup_ends_a_timed_wait_early)
{
	struct waker w = { .go = 0 };
	thread_t t = ktest_thread_start(waker_main, &w, BASEPRI_DEFAULT);
	uint64_t deadline = mach_absolute_time() + 2 * NSEC_PER_SEC;
	wait_result_t r;

	(void)assert_wait_deadline(&w.event, THREAD_UNINT, deadline);
	__atomic_store_n(&w.go, 1, __ATOMIC_RELEASE);
	r = thread_block(THREAD_CONTINUE_NULL);
	KT_EXPECT_EQ(r, THREAD_AWAKENED);
	KT_EXPECT_LT(mach_absolute_time(), deadline);
	ktest_thread_join(t);
	/* The cancelled timer must not end a later wait of the same thread. */
	(void)assert_wait_deadline(&w.event, THREAD_UNINT, mach_absolute_time() +
	    30 * NSEC_PER_MSEC);
	KT_EXPECT_EQ(thread_block(THREAD_CONTINUE_NULL), THREAD_TIMED_OUT);
}

KTEST(sched, a_wakeup_before_the_block_is_not_lost)
{
	int event;

	(void)assert_wait(&event, THREAD_UNINT);
	KT_EXPECT_EQ(thread_wakeup(&event), KERN_SUCCESS);
	KT_EXPECT_EQ(thread_block(THREAD_CONTINUE_NULL), THREAD_AWAKENED);
	KT_EXPECT_EQ(thread_wakeup(&event), KERN_NOT_WAITING);
}

struct sleeper {
	int		event;
	wait_interrupt_t how;
	volatile int	waiting;
	volatile int	result;
};

static void
sleeper_main(void *arg, int unused)
{
	struct sleeper *s = arg;

	(void)unused;
	(void)assert_wait(&s->event, s->how);
	__atomic_store_n(&s->waiting, 1, __ATOMIC_RELEASE);
	s->result = thread_block(THREAD_CONTINUE_NULL);
}

KTEST(sched, clear_wait_interrupts_only_interruptible_waits)
{
	struct sleeper a = { .how = THREAD_INTERRUPTIBLE, .result = -99 };
	struct sleeper b = { .how = THREAD_UNINT, .result = -99 };
	thread_t ta = ktest_thread_start(sleeper_main, &a, BASEPRI_DEFAULT);
	thread_t tb = ktest_thread_start(sleeper_main, &b, BASEPRI_DEFAULT);

	KT_ASSERT_TRUE(ktest_wait_until(a.waiting && b.waiting, 1000));
	KT_EXPECT_EQ(clear_wait(ta, THREAD_INTERRUPTED), KERN_SUCCESS);
	KT_EXPECT_EQ(clear_wait(tb, THREAD_INTERRUPTED), KERN_FAILURE);
	KT_EXPECT_TRUE(ktest_wait_until(a.result == THREAD_INTERRUPTED, 1000));
	KT_EXPECT_EQ(b.result, -99);
	thread_wakeup(&b.event);
	KT_EXPECT_TRUE(ktest_wait_until(b.result == THREAD_AWAKENED, 1000));
	ktest_thread_join(ta);
	ktest_thread_join(tb);
}

/* --- timeshare fairness ---------------------------------------------------- */

struct spinner {
	volatile int	*stop;
	volatile uint64_t loops;
	processor_t	bind;		/* run only there, if set */
	volatile int	running;	/* it is there */
};

/* Bind the current thread to p and go there. */
static void
run_on(processor_t p)
{
	(void)thread_bind(p);
	while (current_processor() != p)
		(void)thread_block(THREAD_CONTINUE_NULL);
}

static void
spinner_main(void *arg, int result)
{
	struct spinner *sp = arg;

	(void)result;
	if (sp->bind != PROCESSOR_NULL)
		run_on(sp->bind);
	__atomic_store_n(&sp->running, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(sp->stop, __ATOMIC_ACQUIRE))
		sp->loops++;
}

/*
 * Three compute-bound timeshare threads of one priority, for 600 ms: each
 * gets within 30% of an equal share of the CPU. (Measured here: within a
 * few percent; the bound leaves room for a busy host.)
 */
KTEST(sched, timeshare_threads_share_the_cpu_fairly)
{
	volatile int stop = 0;
	struct spinner sp[3];
	thread_t t[3];
	uint64_t total = 0, share;

	for (int i = 0; i < 3; i++) {
		sp[i] = (struct spinner){ .stop = &stop };
		t[i] = ktest_thread_start(spinner_main, &sp[i], BASEPRI_DEFAULT);
	}
	IOSleep(600);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 3; i++)
		total += t[i]->run_time;
	share = total / 3;
	for (int i = 0; i < 3; i++) {
		KT_EXPECT_GT(t[i]->run_time, share * 7 / 10);
		KT_EXPECT_LT(t[i]->run_time, share * 13 / 10);
	}
	for (int i = 0; i < 3; i++)
		ktest_thread_join(t[i]);
}

KTEST(sched, compute_bound_threads_sink_and_waiting_threads_do_not)
{
	volatile int stop = 0;
	struct spinner sp = { .stop = &stop };
	thread_t hog = ktest_thread_start(spinner_main, &sp, BASEPRI_DEFAULT);
	int pri;

	IOSleep(400);
	pri = hog->sched_pri;
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	KT_EXPECT_LT(pri, BASEPRI_DEFAULT - 4);		/* it sank */
	KT_EXPECT_GE(pri, MINPRI_USER);			/* within its band */
	ktest_thread_join(hog);
	KT_EXPECT_EQ(current_thread()->sched_pri, BASEPRI_KERNEL);	/* fixed: never */
}

/*
 * A compute-bound thread that sank, then preempted and kept queued by a
 * better thread on its CPU, ages while it waits: its priority rises
 * again (the scheduler tick decays the usage of queued threads too), so
 * threads woken at better priorities cannot keep it off every CPU for
 * good. (Before, a queued thread's priority was only recomputed when it
 * ran: the soak saw one wait 51 s of a 60 s run, holding a vm_object
 * lock.) Both are bound to one CPU; the test spins there, above it.
 */
KTEST(sched, a_queued_timeshare_thread_rises_while_it_waits)
{
	volatile int stop = 0;
	processor_t p = current_processor();
	struct spinner sp = { .stop = &stop, .bind = p };
	thread_t hog = ktest_thread_start(spinner_main, &sp, BASEPRI_DEFAULT);
	uint64_t give_up;
	int sunk;

	IOSleep(400);
	run_on(p);				/* the hog is now queued behind us */
	sunk = hog->sched_pri;
	KT_EXPECT_LT(sunk, BASEPRI_DEFAULT - 4);
	give_up = mach_absolute_time() + 5000 * NSEC_PER_MSEC;
	while (hog->sched_pri <= sunk && mach_absolute_time() < give_up)
		continue;			/* no block: it must not run */
	KT_EXPECT_GT(hog->sched_pri, sunk);
	KT_EXPECT_FALSE(hog->th_running);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	(void)thread_bind(PROCESSOR_NULL);
	ktest_thread_join(hog);
}

/* --- real time ------------------------------------------------------------- */

struct rt {
	volatile int	*stop;
	uint64_t	period;
	volatile int	wakeups;
	volatile int	demoted, restored;
	volatile int	mode_while_spinning;
	processor_t	bind;		/* run only there, if set */
};

static kern_return_t
make_realtime(uint64_t period, uint64_t computation, uint64_t constraint)
{
	struct thread_time_constraint_policy p = {
		.period = (uint32_t)period,
		.computation = (uint32_t)computation,
		.constraint = (uint32_t)constraint,
		.preemptible = TRUE,
	};

	return thread_policy_set(current_thread(), THREAD_TIME_CONSTRAINT_POLICY,
	    (thread_policy_t)&p, THREAD_TIME_CONSTRAINT_POLICY_COUNT);
}

static void
rt_periodic_main(void *arg, int result)
{
	struct rt *rt = arg;
	uint64_t next;

	(void)result;
	if (rt->bind != PROCESSOR_NULL)
		run_on(rt->bind);
	if (make_realtime(rt->period, NSEC_PER_MSEC, 2 * NSEC_PER_MSEC) != KERN_SUCCESS)
		return;
	next = mach_absolute_time();
	while (!__atomic_load_n(rt->stop, __ATOMIC_ACQUIRE)) {
		int event;

		/*
		 * After a stall of the host (the virtual CPU not run for a
		 * while) the next deadline may be past already: start again
		 * from now, so that every wakeup counted is one that blocked
		 * and so had to take the CPU from the spinner.
		 */
		next += rt->period;
		if (next <= mach_absolute_time())
			next = mach_absolute_time() + rt->period;
		(void)assert_wait_deadline(&event, THREAD_UNINT, next);
		(void)thread_block(THREAD_CONTINUE_NULL);
		rt->wakeups++;
	}
}

/*
 * A real-time thread wakes every 5 ms on a CPU a timeshare thread keeps
 * busy (both are bound there, so no idle CPU can take the wakeup instead,
 * however the host schedules the virtual CPUs). Each wakeup must take the
 * CPU from the timeshare thread at once (counted in its preemptions), not
 * wait for its quantum to end. Counting preemptions rather than timing
 * wakeups keeps the test immune to a host that stalls the machine now and
 * then.
 */
KTEST(sched, a_realtime_thread_preempts_timeshare_work)
{
	volatile int stop = 0;
	processor_t p = &processor_array[processor_count - 1];
	struct spinner sp = { .stop = &stop, .bind = p };
	struct rt rt = { .stop = &stop, .period = 5 * NSEC_PER_MSEC, .bind = p };
	thread_t hog, t;
	uint64_t preempted;

	hog = ktest_thread_start(spinner_main, &sp, BASEPRI_DEFAULT);
	KT_ASSERT_TRUE(ktest_wait_until(sp.running, 5000));
	t = ktest_thread_start(rt_periodic_main, &rt, BASEPRI_DEFAULT);
	IOSleep(300);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	ktest_thread_join(t);
	preempted = hog->preemptions;
	ktest_thread_join(hog);
	KT_EXPECT_GT(rt.wakeups, 10);			/* about 60 periods in 300 ms */
	KT_EXPECT_GE(preempted, (uint64_t)rt.wakeups / 2);
}

static void
rt_overrun_main(void *arg, int result)
{
	struct rt *rt = arg;
	uint64_t until;

	(void)result;
	if (make_realtime(10 * NSEC_PER_MSEC, NSEC_PER_MSEC, 2 * NSEC_PER_MSEC) != KERN_SUCCESS)
		return;
	/* Claim 1 ms, then compute for 30 ms without blocking. */
	until = mach_absolute_time() + 30 * NSEC_PER_MSEC;
	while (mach_absolute_time() < until)
		continue;
	rt->mode_while_spinning = current_thread()->sched_mode;
	rt->demoted = (current_thread()->sched_flags & TH_SFLAG_FAILSAFE) != 0;
	/* Block past the penalty: the policy comes back. */
	IOSleep(300);
	rt->restored = current_thread()->sched_mode == TH_MODE_REALTIME &&
	    current_thread()->sched_pri == BASEPRI_RTQUEUES;
}

KTEST(sched, a_realtime_thread_that_overruns_is_demoted_then_restored)
{
	volatile int stop = 0;
	struct rt rt = { .stop = &stop };
	thread_t t = ktest_thread_start(rt_overrun_main, &rt, BASEPRI_DEFAULT);

	ktest_thread_join(t);
	KT_EXPECT_TRUE(rt.demoted);
	KT_EXPECT_EQ(rt.mode_while_spinning, TH_MODE_TIMESHARE);
	KT_EXPECT_TRUE(rt.restored);
}

KTEST(sched, bad_policies_are_refused)
{
	struct thread_time_constraint_policy p = { 10, 20, 30, TRUE };	/* computation > period */
	struct thread_precedence_policy prec = { -1 };
	mach_msg_type_number_t count = 1;
	struct thread_standard_policy std;
	boolean_t dflt;

	KT_EXPECT_EQ(thread_policy_set(current_thread(), THREAD_TIME_CONSTRAINT_POLICY,
	    (thread_policy_t)&p, THREAD_TIME_CONSTRAINT_POLICY_COUNT), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(thread_policy_set(current_thread(), THREAD_TIME_CONSTRAINT_POLICY,
	    (thread_policy_t)&p, 1), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(thread_policy_set(current_thread(), THREAD_PRECEDENCE_POLICY,
	    (thread_policy_t)&prec, THREAD_PRECEDENCE_POLICY_COUNT), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(thread_policy_set(current_thread(), 999, (thread_policy_t)&prec, 1),
	    KERN_INVALID_POLICY);
	KT_EXPECT_EQ(thread_policy_set(THREAD_NULL, THREAD_STANDARD_POLICY,
	    (thread_policy_t)&std, 0), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(thread_policy_get(current_thread(), THREAD_STANDARD_POLICY,
	    (thread_policy_t)&std, &count, &dflt), KERN_SUCCESS);
	KT_EXPECT_EQ(current_thread()->sched_pri, BASEPRI_KERNEL);	/* untouched */
}
