/*
 * kern_sig_test.c - signals sent from outside a running program
 * (tests/bsd/signal_kill.c as the subject): default actions end it with
 * the signal, SA_RESTART restarts an interrupted sleep and its absence
 * makes it fail with EINTR, SIGSTOP parks it until SIGCONT, SIGKILL ends
 * it even then; and a fault with its signal blocked ends it.
 */

#include "bsd/sys/signalvar.h"

#include "bsd/kern/kern_exec.h"
#include "bsd/sys/proc_internal.h"
#include "iokit/Kernel/IOLib.h"
#include "kernel/console.h"
#include "libkern/elf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

#define SUBJECT		"/usr/tests/bsd/signal_kill"
#define RUN_TIMEOUT_NS	(60ULL * NSEC_PER_SEC)	/* generous: TCG on a busy host */
#define POLL_MS		10
#define POLL_TRIES	3000

struct subject {
	task_t		task;
	thread_t	thread;
	proc_t		proc;
};

static bool
subject_start(const char *const *argv, struct subject *s)
{
	char err[ELF_ERRLEN];
	kern_return_t kr = exec_initrd_program(SUBJECT, argv, NULL, &s->task, &s->thread, err,
	    sizeof(err));

	if (!KT_EXPECT_EQ(kr, KERN_SUCCESS)) {
		printf("#   %s\n", err);
		return false;
	}
	s->proc = proc_from_task(s->task);
	return true;
}

/* Wait for it to end; its exit status (or -1), and the signal in *sig. */
static int
subject_end(struct subject *s, int *sig)
{
	int status;

	if (!KT_EXPECT_EQ(task_wait_threads_gone(s->task, RUN_TIMEOUT_NS), KERN_SUCCESS)) {
		(void)task_terminate_internal(s->task);
		(void)task_wait_threads_gone(s->task, 0);
	}
	status = s->task->bsd_exit_status;
	*sig = s->task->bsd_exit_signal;
	exec_initrd_reap(s->task);
	thread_deallocate(s->thread);
	task_deallocate(s->task);
	return status;
}

/* Is the thread asleep in a futex wait (after generation, if not 0)? */
static bool
subject_in_futex(struct subject *s, uint64_t after, uint64_t *generation)
{
	for (int i = 0; i < POLL_TRIES; i++) {
		boolean_t x = sched_lock();
		bool waiting = (s->thread->state & TH_WAIT) && s->thread->wait_message != NULL &&
		    strcmp(s->thread->wait_message, "futex") == 0 &&
		    s->thread->wait_generation != after;

		if (generation != NULL)
			*generation = s->thread->wait_generation;
		sched_unlock(x);
		if (waiting)
			return true;
		IOSleep(POLL_MS);
	}
	return false;
}

KTEST(signal, default_actions_end_the_program_with_the_signal)
{
	static const char *const term[] = { "signal_kill", "term", NULL };
	static const char *const ignore[] = { "signal_kill", "ignore", NULL };
	static const char *const segv[] = { "signal_kill", "blocked-segv", NULL };
	struct subject s;
	int sig;

	KT_ASSERT_TRUE(subject_start(term, &s));
	KT_EXPECT_EQ(subject_end(&s, &sig), -1);
	KT_EXPECT_EQ(sig, SIGTERM);

	KT_ASSERT_TRUE(subject_start(ignore, &s));
	KT_EXPECT_EQ(subject_end(&s, &sig), 7);
	KT_EXPECT_EQ(sig, 0);

	KT_ASSERT_TRUE(subject_start(segv, &s));
	KT_EXPECT_EQ(subject_end(&s, &sig), -1);
	KT_EXPECT_EQ(sig, SIGSEGV | 0x80);		/* core */
}

KTEST(signal, a_frame_that_overflows_the_alternate_stack_kills)
{
	static const char *const overflow[] = { "signal_kill", "altstack-overflow", NULL };
	struct subject s;
	int sig;

	KT_ASSERT_TRUE(subject_start(overflow, &s));
	KT_EXPECT_EQ(subject_end(&s, &sig), -1);
	KT_EXPECT_EQ(sig, SIGSEGV | 0x80);
}

KTEST(signal, sa_restart_restarts_and_its_absence_interrupts)
{
	static const char *const wait1[] = { "signal_kill", "wait", "1", NULL };
	struct subject s;
	uint64_t gen;
	int sig;

	KT_ASSERT_TRUE(subject_start(wait1, &s));
	if (KT_EXPECT_TRUE(subject_in_futex(&s, 0, &gen))) {
		psignal(s.proc, SIGUSR1);		/* SA_RESTART: waits again */
		KT_EXPECT_TRUE(subject_in_futex(&s, gen, &gen));
		psignal(s.proc, SIGUSR2);		/* no SA_RESTART: EINTR */
	}
	KT_EXPECT_EQ(subject_end(&s, &sig), 0);
	KT_EXPECT_EQ(sig, 0);
}

KTEST(signal, sigstop_parks_until_sigcont)
{
	static const char *const wait0[] = { "signal_kill", "wait", "0", NULL };
	struct subject s;
	uint64_t gen;
	int sig, stopped = 0;

	KT_ASSERT_TRUE(subject_start(wait0, &s));
	if (KT_EXPECT_TRUE(subject_in_futex(&s, 0, &gen))) {
		psignal(s.proc, SIGSTOP);
		for (int i = 0; i < POLL_TRIES && !stopped; i++) {
			stopped = __atomic_load_n(&s.proc->p_stat, __ATOMIC_ACQUIRE) == SSTOP &&
			    (s.thread->state & TH_WAIT) && s.thread->wait_event ==
			    (event64_t)(uintptr_t)&s.proc->p_stat;
			IOSleep(POLL_MS);
		}
		KT_EXPECT_TRUE(stopped);
		psignal(s.proc, SIGUSR2);		/* pending: it stays stopped */
		IOSleep(50);
		KT_EXPECT_EQ(__atomic_load_n(&s.proc->p_stat, __ATOMIC_ACQUIRE), SSTOP);
		psignal(s.proc, SIGCONT);
		KT_EXPECT_EQ(__atomic_load_n(&s.proc->p_stat, __ATOMIC_ACQUIRE), SRUN);
	}
	/* Continued, it takes SIGUSR2 (no SA_RESTART): the wait fails with EINTR. */
	KT_EXPECT_EQ(subject_end(&s, &sig), 0);
	KT_EXPECT_EQ(sig, 0);
}

KTEST(signal, sigkill_ends_a_stopped_program)
{
	static const char *const wait0[] = { "signal_kill", "wait", "0", NULL };
	struct subject s;
	int sig;

	KT_ASSERT_TRUE(subject_start(wait0, &s));
	if (KT_EXPECT_TRUE(subject_in_futex(&s, 0, NULL))) {
		psignal(s.proc, SIGSTOP);
		IOSleep(50);
		psignal(s.proc, SIGKILL);
	}
	KT_EXPECT_EQ(subject_end(&s, &sig), -1);
	KT_EXPECT_EQ(sig, SIGKILL);
}
