/*
 * task.c - tasks: kernel_task, creating user tasks, and the thread lists.
 */

#include "mach/kern/task.h"

#include "kernel/kheap.h"
#include "kernel/machine/vm_param.h"
#include "kernel/machine_routines.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_tt.h"
#include "mach/kern/clock.h"
#include "mach/kern/sched_prim.h"
#include "mach/vm/vm_map.h"

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
	kernel_task->active = TRUE;
	kernel_task->bsd_exit_status = -1;
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

/* User tasks not yet freed (task_count). [a] */
static uint32_t tasks_alive;

unsigned
task_count(void)
{
	return __atomic_load_n(&tasks_alive, __ATOMIC_RELAXED);
}

kern_return_t
task_create_internal(task_t parent_task, boolean_t inherit_memory, task_t *child_task)
{
	task_t task;

	if (parent_task == TASK_NULL || child_task == NULL)
		return KERN_INVALID_ARGUMENT;
	task = kheap_alloc(&kernel_heap, sizeof(*task));
	if (task == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(task, 0, sizeof(*task));
	if (inherit_memory && parent_task != kernel_task) {
		task->map = vm_map_fork(parent_task->map);
	} else {
		pmap_t pmap = pmap_create();

		if (pmap != PMAP_NULL) {
			task->map = vm_map_create(pmap, MACH_VM_MIN_ADDRESS,
			    MACH_VM_MAX_ADDRESS, TRUE);
			if (task->map == VM_MAP_NULL)
				pmap_destroy(pmap);
		}
	}
	if (task->map == VM_MAP_NULL) {
		kheap_free(&kernel_heap, task);
		return KERN_RESOURCE_SHORTAGE;
	}
	hw_lock_init(&task->lock);
	strlcpy(task->name, parent_task == kernel_task ? "task" : parent_task->name,
	    sizeof(task->name));
	TAILQ_INIT(&task->threads);
	task->ref_count = 1;
	task->active = TRUE;
	task->bsd_exit_status = -1;
	if (ipc_task_init(task, parent_task) != KERN_SUCCESS) {
		vm_map_deallocate(task->map);
		kheap_free(&kernel_heap, task);
		return KERN_RESOURCE_SHORTAGE;
	}
	__atomic_add_fetch(&tasks_alive, 1, __ATOMIC_RELAXED);
	*child_task = task;
	return KERN_SUCCESS;
}

kern_return_t
task_create(task_t parent_task, boolean_t inherit_memory, task_t *child_task)
{
	return task_create_internal(parent_task, inherit_memory, child_task);
}

void
task_set_name(task_t task, const char *name)
{
	boolean_t s = task_lock(task);

	strlcpy(task->name, name, sizeof(task->name));
	task_unlock(task, s);
}

void
task_deallocate(task_t task)
{
	if (task == TASK_NULL ||
	    __atomic_sub_fetch(&task->ref_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (task == kernel_task)
		panic("task_deallocate: kernel_task lost its last reference");
	if (task->thread_count != 0)
		panic("task_deallocate: task %p (%s) freed with %u threads", task,
		    task->name, task->thread_count);
	ipc_task_free(task);
	vm_map_deallocate(task->map);
	kheap_free(&kernel_heap, task);
	__atomic_sub_fetch(&tasks_alive, 1, __ATOMIC_RELAXED);
}

kern_return_t
task_add_thread(task_t task, thread_t thread)
{
	boolean_t s = task_lock(task);

	if (!task->active) {
		task_unlock(task, s);
		return KERN_FAILURE;
	}
	TAILQ_INSERT_TAIL(&task->threads, thread, task_threads);
	task->thread_count++;
	task->active_thread_count++;
	task_unlock(task, s);
	return KERN_SUCCESS;
}

boolean_t
task_remove_thread(task_t task, thread_t thread)
{
	boolean_t s = task_lock(task);

	boolean_t empty;

	TAILQ_REMOVE(&task->threads, thread, task_threads);
	task->thread_count--;
	task->total_run_time += thread->run_time;
	empty = task->thread_count == 0;
	task_unlock(task, s);
	return empty;
}

boolean_t
task_thread_ending(task_t task)
{
	boolean_t s = task_lock(task), last;

	last = --task->active_thread_count == 0;
	task_unlock(task, s);
	return last;
}

vm_map_t
task_swap_map(task_t task, vm_map_t new_map)
{
	thread_t self = current_thread();
	boolean_t s = task_lock(task);
	vm_map_t old = task->map;

	task->map = new_map;
	task_unlock(task, s);
	if (self->task == task) {
		s = ml_set_interrupts_enabled(FALSE);
		self->map = new_map;
		pmap_switch(vm_map_pmap(new_map));
		(void)ml_set_interrupts_enabled(s);
	}
	return old;
}

kern_return_t
task_wait_threads_gone(task_t task, uint64_t timeout_ns)
{
	uint64_t deadline = timeout_ns == 0 ? 0 : mach_absolute_time() + timeout_ns;

	for (;;) {
		boolean_t s = task_lock(task);
		wait_result_t wr;

		if (task->thread_count == 0) {
			task_unlock(task, s);
			return KERN_SUCCESS;
		}
		/* Asserted under the task lock: the last thread's wakeup cannot be missed. */
		(void)assert_wait_deadline(&task->threads, THREAD_UNINT, deadline);
		task_unlock(task, s);
		wr = thread_block(THREAD_CONTINUE_NULL);
		if (wr == THREAD_TIMED_OUT && task->thread_count != 0)
			return KERN_OPERATION_TIMED_OUT;
	}
}

kern_return_t
task_terminate_internal(task_t task)
{
	boolean_t s;
	thread_t thread;

	if (task == TASK_NULL || task == kernel_task)
		return KERN_FAILURE;
	s = task_lock(task);
	if (!task->active) {
		task_unlock(task, s);
		return KERN_FAILURE;
	}
	task->active = FALSE;		/* no new threads from here on */
	/* Lock order: the task lock, then the scheduler lock (inside). */
	TAILQ_FOREACH(thread, &task->threads, task_threads)
		(void)thread_terminate_internal(thread);
	task_unlock(task, s);
	/* Its rights go now: receive rights die, and whoever asked hears of it. */
	ipc_task_terminate(task);
	return KERN_SUCCESS;
}
