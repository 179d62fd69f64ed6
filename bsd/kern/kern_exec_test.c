/*
 * kern_exec_test.c - the initrd's user programs, run as tasks of their
 * own: they print, exit with a status, die of their faults, and can be
 * stopped when they spin; the kernel goes on through all of it.
 */

#include "bsd/kern/kern_exec.h"

#include "iokit/Kernel/IOLib.h"
#include "kernel/console.h"
#include "libkern/elf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/exception_types.h"
#include "mach/kern/clock.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

#define RUN_TIMEOUT_NS	(20ULL * NSEC_PER_SEC)	/* generous: TCG on a busy host */

struct run {
	task_t		task;
	thread_t	thread;
	int		status;		/* bsd_exit_status; -1 if it never exited */
	struct thread_exc_info exc;	/* its thread's last exception */
};

/* Run path with argv to its end; FALSE if it could not start or did not end. */
static bool
run(const char *path, const char *const *argv, struct run *r)
{
	char err[ELF_ERRLEN];
	kern_return_t kr = exec_initrd_program(path, argv, NULL, &r->task, &r->thread, err,
	    sizeof(err));

	if (!KT_EXPECT_EQ(kr, KERN_SUCCESS)) {
		printf("#   %s\n", err);
		return false;
	}
	if (!KT_EXPECT_EQ(task_wait_threads_gone(r->task, RUN_TIMEOUT_NS), KERN_SUCCESS)) {
		(void)task_terminate_internal(r->task);
		(void)task_wait_threads_gone(r->task, 0);
	}
	r->status = r->task->bsd_exit_status;
	r->exc = r->thread->exc_info;
	exec_initrd_reap(r->task);
	thread_deallocate(r->thread);
	task_deallocate(r->task);
	return true;
}

KTEST(exec, hello_prints_and_exits_zero)
{
	uint64_t cursor = ktest_log_cursor();
	struct run r;

	KT_ASSERT_TRUE(run("/usr/tests/hello", NULL, &r));
	KT_EXPECT_EQ(r.status, 0);
	KT_EXPECT_EQ(r.exc.exc_type, 0);
	KT_EXPECT_TRUE(ktest_log_has(cursor, "hello from user mode\n"));
}

KTEST(exec, the_exit_status_comes_back)
{
	static const char *const seven[] = { "exit_status", "7", NULL };
	static const char *const big[] = { "exit_status", "1000", NULL };
	struct run r;

	KT_ASSERT_TRUE(run("/usr/tests/exit_status", seven, &r));
	KT_EXPECT_EQ(r.status, 7);
	KT_ASSERT_TRUE(run("/usr/tests/exit_status", NULL, &r));
	KT_EXPECT_EQ(r.status, 42);
	KT_ASSERT_TRUE(run("/usr/tests/exit_status", big, &r));
	KT_EXPECT_EQ(r.status, 1000 & 0xff);
}

/* Each way fault can die, and what it dies of. */
KTEST(exec, faults_are_exceptions_and_the_kernel_goes_on)
{
	static const struct {
		const char	*mode;
		int		exc;
		int64_t		code;		/* -1: not checked (machine-dependent) */
		uint64_t	subcode;	/* ~0: not checked */
	} cases[] = {
		{ "null", EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, 0x8 },
		{ "kernel", EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, 0xffffffff80000000ULL },
		{ "noncanonical", EXC_BAD_ACCESS, -1, ~0ULL },	/* a #GP */
		{ "write-text", EXC_BAD_ACCESS, KERN_PROTECTION_FAILURE, ~0ULL },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[] = { "fault", cases[i].mode, NULL };
		uint64_t cursor = ktest_log_cursor();
		struct run r;

		KT_ASSERT_TRUE(run("/usr/tests/fault", argv, &r));
		KT_EXPECT_EQ(r.status, -1);			/* it never got to exit */
		KT_EXPECT_EQ(r.exc.exc_type, cases[i].exc);
		if (cases[i].code != -1)
			KT_EXPECT_EQ(r.exc.exc_code, cases[i].code);
		if (cases[i].subcode != ~0ULL)
			KT_EXPECT_EQ(r.exc.exc_subcode, cases[i].subcode);
		KT_EXPECT_TRUE(ktest_log_has(cursor, "EXC_BAD_ACCESS"));
	}
}

KTEST(exec, a_program_that_spins_is_preempted_and_can_be_stopped)
{
	volatile uint64_t ticks = 0;
	uint64_t until;
	char err[ELF_ERRLEN];
	task_t task;
	thread_t thread;

	KT_ASSERT_EQ(exec_initrd_program("/usr/tests/spin", NULL, NULL, &task, &thread, err,
	    sizeof(err)), KERN_SUCCESS);
	/*
	 * This thread keeps getting the CPU while the program spins: it wakes
	 * from six sleeps. The deadline is only there so that a kernel that
	 * never gives the CPU back fails rather than hangs; a busy host may
	 * stall the machine for a while, so it is generous.
	 */
	until = mach_absolute_time() + 10 * NSEC_PER_SEC;
	while (ticks <= 5 && mach_absolute_time() < until) {
		IOSleep(10);
		ticks++;
	}
	KT_EXPECT_GT(ticks, 5);
	KT_EXPECT_EQ(task_wait_threads_gone(task, 10 * NSEC_PER_MSEC), KERN_OPERATION_TIMED_OUT);
	KT_EXPECT_GT(thread->run_time, 0);			/* it did run */
	KT_EXPECT_EQ(task_terminate_internal(task), KERN_SUCCESS);
	KT_EXPECT_EQ(task_wait_threads_gone(task, RUN_TIMEOUT_NS), KERN_SUCCESS);
	exec_initrd_reap(task);
	thread_deallocate(thread);
	task_deallocate(task);
}

KTEST(exec, what_cannot_run_is_refused_with_a_reason)
{
	char err[ELF_ERRLEN];
	task_t task;
	thread_t thread;

	KT_EXPECT_EQ(exec_initrd_program("/usr/tests/nonexistent", NULL, NULL, &task, &thread,
	    err, sizeof(err)), KERN_NOT_FOUND);
	KT_EXPECT_NE(strstr(err, "no such file"), NULL);
	KT_EXPECT_EQ(exec_initrd_program("/etc/motd", NULL, NULL, &task, &thread, err,
	    sizeof(err)), KERN_INVALID_ARGUMENT);
	KT_EXPECT_NE(err[0], '\0');
}
