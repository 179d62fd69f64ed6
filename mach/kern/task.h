/*
 * task.h - Mach tasks: the unit of resource ownership.
 *
 * A task owns an address space and a set of threads (and, with IPC, a port
 * name space). The kernel itself is a task, kernel_task, whose threads are
 * the kernel threads; user tasks come with the VM system's user address
 * spaces.
 *
 * Locks for struct task fields:
 *   [L] the task lock (a hw_lock, interrupts off; a sleeping lock once user
 *       tasks need one)
 *   [I] set at creation
 *   [a] atomic
 * Lock order: task lock, then the scheduler lock.
 */

#ifndef MACH_KERN_TASK_H
#define MACH_KERN_TASK_H

#include <stdint.h>

#include "libkern/queue.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/thread.h"

#define TASK_NAME_MAX	32

struct task {
	hw_lock_data_t		lock;
	char			name[TASK_NAME_MAX];	/* [I] */
	vm_map_t		map;			/* [I] its address space */
	struct thread_queue	threads;		/* [L] */
	unsigned		thread_count;		/* [L] */
	uint32_t		ref_count;		/* [a] */
	uint64_t		total_run_time;		/* [L] ns of threads that ended */
};

extern task_t kernel_task;

/* current_task: the task of the current thread. */
task_t		current_task(void);

/* task_bootstrap: kernel_task. */
void		task_bootstrap(void);

void		task_reference(task_t task);
void		task_deallocate(task_t task);

/* Add and remove threads (thread.c). */
void		task_add_thread(task_t task, thread_t thread);
void		task_remove_thread(task_t task, thread_t thread);

boolean_t	task_lock(task_t task);
void		task_unlock(task_t task, boolean_t s);

#endif /* MACH_KERN_TASK_H */
