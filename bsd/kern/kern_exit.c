/*
 * kern_exit.c - leaving: exit (one thread, Linux's) and exit_group (the
 * whole process).
 *
 * Until the BSD layer has processes, a process is its Mach task: the
 * status is kept in the task (bsd_exit_status) for whoever waits, and the
 * threads end through task_terminate_internal, each at its next return to
 * user mode, the caller on its way out of this call.
 */

#include "bsd/sys/sysproto.h"

#include "mach/kern/processor.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"

/* Record the status the task ends with, unless it has one. */
static void
exit_set_status(task_t task, int status)
{
	boolean_t s = task_lock(task);

	if (task->bsd_exit_status == -1)
		task->bsd_exit_status = status & 0xff;
	task_unlock(task, s);
}

/*
 * exit_group: end every thread of the process, with status rval & 0xff.
 * Does not return to user mode.
 */
int
exit_group(struct proc *p, struct exit_group_args *uap, int64_t *retval)
{
	task_t task = current_task();

	(void)p;
	(void)retval;
	exit_set_status(task, (int)uap->rval);
	(void)task_terminate_internal(task);
	return 0;
}

/*
 * exit: end the calling thread; if it is the last of its process, the
 * process ends with status rval & 0xff (Linux's exit, which musl's
 * pthread_exit uses; a whole program leaves through exit_group). "Last"
 * counts the threads not already ending; deciding it under the task lock,
 * with the caller marked first, makes one of two threads exiting at once
 * the last.
 */
int
exit(struct proc *p, struct exit_args *uap, int64_t *retval)
{
	task_t task = current_task();
	boolean_t last = TRUE, s;
	thread_t t;

	s = task_lock(task);
	(void)thread_terminate_internal(current_thread());	/* task, then scheduler lock */
	TAILQ_FOREACH(t, &task->threads, task_threads) {
		if (!(__atomic_load_n(&t->th_ast, __ATOMIC_ACQUIRE) & AST_APC))
			last = FALSE;
	}
	task_unlock(task, s);
	if (last) {
		struct exit_group_args ga = { .rval = uap->rval };
		return exit_group(p, &ga, retval);
	}
	return 0;
}
