/*
 * kern_fork_test.c - processes made by fork, exec, exit and wait leave
 * nothing behind: musl programs from tests/bsd that fork, exec, wait and
 * make threads are run to their end, and afterwards the process count, the thread
 * count and (the runner's own check) memory are where they were.
 */

#include "bsd/kern/kern_exec.h"

#include "bsd/sys/proc_internal.h"
#include "iokit/Kernel/IOLib.h"
#include "kernel/console.h"
#include "kernel/initrd.h"
#include "libkern/elf.h"
#include "mach/kern/clock.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "tests/ktest.h"

#define RUN_TIMEOUT_NS	(120ULL * NSEC_PER_SEC)	/* generous: TCG on a busy host */

/* Run path to its end and reap it; its status, or -1. */
static int
run_to_end(const char *path)
{
	const char *const argv[] = { path, "quiet", NULL };	/* no TAP of its own */
	char err[ELF_ERRLEN];
	task_t task;
	thread_t thread;
	int status;

	if (!KT_EXPECT_EQ(exec_initrd_program(path, argv, NULL, &task, &thread, err,
	    sizeof(err)), KERN_SUCCESS)) {
		printf("#   %s\n", err);
		return -1;
	}
	if (!KT_EXPECT_EQ(task_wait_threads_gone(task, RUN_TIMEOUT_NS), KERN_SUCCESS)) {
		(void)task_terminate_internal(task);
		(void)task_wait_threads_gone(task, 0);
	}
	status = task->bsd_exit_status;
	exec_initrd_reap(task);
	thread_deallocate(thread);
	task_deallocate(task);
	return status;
}

/*
 * Until the terminate daemon has freed every thread that ended, and the
 * last references on their tasks are gone (an orphan reaped by the
 * kernel lets its task go a little after its thread), or 10 s.
 */
static void
settle(unsigned threads, unsigned tasks)
{
	for (int i = 0; i < 1000 && (thread_count() > threads || task_count() > tasks); i++)
		IOSleep(10);
}

static void
run_and_check(const char *path)
{
	unsigned procs = proc_count(), threads = thread_count(), tasks = task_count();
	struct cpio_entry ce;

	if (initrd_lookup(path, &ce) != 0) {
		printf("#   %s is not in the initrd\n", path);
		return;
	}
	KT_EXPECT_EQ(run_to_end(path), 0);
	settle(threads, tasks);
	KT_EXPECT_EQ(proc_count(), procs);
	KT_EXPECT_EQ(thread_count(), threads);
	KT_EXPECT_EQ(task_count(), tasks);
}

KTEST(proc, fork_exit_and_wait_leave_nothing_behind)
{
	run_and_check("/usr/tests/bsd/proc_fork");
}

KTEST(proc, exec_and_vfork_leave_nothing_behind)
{
	run_and_check("/usr/tests/bsd/proc_exec");
}

KTEST(proc, orphans_leave_nothing_behind)
{
	run_and_check("/usr/tests/bsd/proc_orphan");
}

KTEST(proc, threads_leave_nothing_behind)
{
	run_and_check("/usr/tests/bsd/proc_threads");
}
