/*
 * task.c - tasks: kernel_task and the thread lists.
 */

#include "mach/kern/task.h"

#include "kernel/machine_routines.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/vm/vm_kern.h"

static struct task kernel_task_store;
task_t kernel_task;

boolean_t
task_lock(task_t task)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&task->lock);
	return s;
}

void
task_unlock(task_t task, boolean_t s)
{
	hw_lock_unlock(&task->lock);
	ml_set_interrupts_enabled(s);
}

void
task_bootstrap(void)
{
	kernel_task = &kernel_task_store;
	hw_lock_init(&kernel_task->lock);
	strlcpy(kernel_task->name, "kernel_task", sizeof(kernel_task->name));
	TAILQ_INIT(&kernel_task->threads);
	kernel_task->ref_count = 1;
	kernel_task->map = kernel_map;
}

task_t
current_task(void)
{
	thread_t self = current_thread();

	return self != THREAD_NULL ? self->task : kernel_task;
}

void
task_reference(task_t task)
{
	__atomic_add_fetch(&task->ref_count, 1, __ATOMIC_RELAXED);
}

void
task_deallocate(task_t task)
{
	/* Only kernel_task exists so far, and it is never freed. */
	if (__atomic_sub_fetch(&task->ref_count, 1, __ATOMIC_ACQ_REL) == 0 &&
	    task == kernel_task)
		panic("task_deallocate: kernel_task lost its last reference");
}

void
task_add_thread(task_t task, thread_t thread)
{
	boolean_t s = task_lock(task);

	TAILQ_INSERT_TAIL(&task->threads, thread, task_threads);
	task->thread_count++;
	task_unlock(task, s);
}

void
task_remove_thread(task_t task, thread_t thread)
{
	boolean_t s = task_lock(task);

	TAILQ_REMOVE(&task->threads, thread, task_threads);
	task->thread_count--;
	task->total_run_time += thread->run_time;
	task_unlock(task, s);
}
