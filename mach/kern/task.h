/*
 * task.h - Mach tasks: the unit of resource ownership.
 *
 * A task owns an address space and a set of threads (and, with IPC, a port
 * name space). The kernel itself is a task, kernel_task, whose threads are
 * the kernel threads; user tasks come with the VM system's user address
 * spaces.
 *
 * task_terminate_internal ends a task: it stops taking new threads
 * (active goes FALSE) and every thread is terminated (thread_terminate),
 * each ending at its next return to user mode. The structure, and with it
 * the address space, go when the last reference does; each thread holds
 * one until it is reaped.
 *
 * Locks for struct task fields:
 *   [L] the task lock (a hw_lock, interrupts off; a sleeping lock once user
 *       tasks need one)
 *   [I] set at creation
 *   [a] atomic
 *   [P] the IPC lock (mach/ipc/ipc_object.h)
 *   [Q] written under the task lock, token_seq odd while a write is under
 *       way; read without a lock by task_get_tokens, which retries across
 *       a write
 * Lock order: the IPC lock, then the task lock, then the scheduler lock.
 */

#ifndef MACH_KERN_TASK_H
#define MACH_KERN_TASK_H

#include <stdint.h>

#include "libkern/queue.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/thread.h"
#include "mach/kern_return.h"
#include "mach/mach_types.h"
#include "mach/message.h"

#define TASK_NAME_MAX	32

struct task {
	hw_lock_data_t		lock;
	char			name[TASK_NAME_MAX];	/* [I] */
	vm_map_t		map;			/* [L] its address space; replaced
							   only by task_swap_map (exec) */
	struct thread_queue	threads;		/* [L] */
	unsigned		thread_count;		/* [L] */
	unsigned		active_thread_count;	/* [L] threads not yet through
							   thread_terminate_self */
	uint32_t		ref_count;		/* [a] */
	uint64_t		total_run_time;		/* [L] ns of threads that ended */
	boolean_t		active;			/* [L] FALSE once terminated */
	void			*bsd_info;		/* [I] its BSD process, or NULL */
	int			bsd_exit_status;	/* [L] what exit/exit_group gave
							   (the BSD layer's, until it has
							   a proc); -1 if neither ran */
	int			bsd_exit_signal;	/* [L] the signal that ended it
							   (| 0x80: it would have dumped
							   core); 0 if none did */

	/* Mach IPC (mach/ipc/ipc_tt.h); [P] the IPC lock */
	struct ipc_space	*itk_space;		/* [I] its port names; NULL for
							   kernel_task */
	struct ipc_port		*itk_self;		/* [P] its task port */
	struct ipc_port		*itk_bootstrap;		/* [P] a send right, or NULL */
	TAILQ_HEAD(, semaphore)	semaphore_list;		/* [L] semaphores it owns */
	int			role;			/* [L] TASK_CATEGORY_POLICY's */
	int			user_stop_count;	/* [L] task_suspend's outstanding */
	boolean_t		role_set;		/* [L] task_policy_set was called */

	/*
	 * Who the task is, for the trailers of the messages it sends and
	 * TASK_AUDIT_TOKEN (XNU's sec_token and audit_token): its parent's at
	 * creation, then what the BSD layer sets when the task's process gets
	 * its pid or changes credentials. Kept here so that a send does not
	 * look the process and its credential up.
	 */
	uint32_t		token_seq;		/* [Q] */
	security_token_t	sec_token;		/* [Q] */
	audit_token_t		audit_token;		/* [Q] */
};

extern task_t kernel_task;

/*
 * current_task: the task of the current thread (kernel_task before there
 * is one). In the kernel image it is current_task_fast, inline (as
 * XNU's); kexts and gdb call the function.
 */
task_t		current_task(void);
#if defined(XNU_KERNEL_PRIVATE)
static inline task_t
current_task_fast(void)
{
	thread_t self = current_thread();

	return self != THREAD_NULL ? self->task : kernel_task;
}
#define current_task()	current_task_fast()
#endif

/*
 * task_set_tokens, task_get_tokens: the security and audit tokens task's
 * messages carry (the fields above). Any context; task_get_tokens takes no
 * lock. A task starts with its parent's; kernel_task's are the kernel's
 * (KERNEL_SECURITY_TOKEN_VALUE, KERNEL_AUDIT_TOKEN_VALUE).
 */
void		task_set_tokens(task_t task, const security_token_t *sec,
		    const audit_token_t *audit);
void		task_get_tokens(task_t task, security_token_t *sec, audit_token_t *audit);

/* task_bootstrap: kernel_task. */
void		task_bootstrap(void);

/*
 * task_create_internal: a new task with no threads and one reference
 * (the caller's). Its address space is a copy of parent_task's built by
 * inheritance (vm_map_fork) if inherit_memory, else empty; a child of
 * kernel_task always starts empty. Returns KERN_SUCCESS;
 * KERN_INVALID_ARGUMENT for a null parent or out pointer;
 * KERN_RESOURCE_SHORTAGE if memory ran out (nothing was created).
 */
kern_return_t	task_create_internal(task_t parent_task, boolean_t inherit_memory,
		    task_t *child_task);

/* task_create: the Mach call (ledgers are not kept), the same. */
kern_return_t	task_create(task_t parent_task, boolean_t inherit_memory,
		    task_t *child_task);

/*
 * task_wait_threads_gone: block until task has no threads left (each
 * ended and was reaped), or timeout_ns passed (0: no limit). Returns
 * KERN_SUCCESS or KERN_OPERATION_TIMED_OUT. Not with a lock held.
 */
kern_return_t	task_wait_threads_gone(task_t task, uint64_t timeout_ns);

/* task_set_name: a name for debuggers and logs (truncated to fit). */
void		task_set_name(task_t task, const char *name);

void		task_reference(task_t task);
void		task_deallocate(task_t task);

/* task_count: user tasks made and not yet freed (for tests and leak checks). */
unsigned	task_count(void);

/*
 * task_terminate_internal: end task and all its threads (see above).
 * The current thread may be one of them: it ends on its way out of the
 * kernel. Returns KERN_SUCCESS; KERN_FAILURE for kernel_task or a task
 * already terminated.
 */
kern_return_t	task_terminate_internal(task_t task);

/*
 * Add and remove threads (thread.c). task_add_thread fails with
 * KERN_FAILURE once the task is terminating.
 */
kern_return_t	task_add_thread(task_t task, thread_t thread);
/*
 * task_remove_thread: TRUE if that was the last thread; the caller (the
 * terminate daemon) then wakes task_wait_threads_gone's waiters once the
 * thread's resources are all given back (event &task->threads).
 */
boolean_t	task_remove_thread(task_t task, thread_t thread);

/*
 * task_thread_ending: a thread of task is on its way out
 * (thread_terminate_self); TRUE if it was the last active one.
 */
boolean_t	task_thread_ending(task_t task);

/*
 * task_swap_map: make new_map (the caller's reference moves in) task's
 * address space, and the current thread's if it is one of task's;
 * returns the old map with its reference, for the caller to release
 * (vm_map_deallocate) once nothing runs in it. For exec (a fresh image)
 * and vfork (a child sharing its parent's map): task's other threads must
 * be gone or not yet running.
 */
vm_map_t	task_swap_map(task_t task, vm_map_t new_map);

/*
 * The task interface (mach/task.defs), served on task ports
 * (mach/ipc/ipc_kobject.c); a task argument of TASK_NULL (a port that is
 * no task's) is KERN_INVALID_ARGUMENT.
 *
 * task_threads: send rights to every thread's port, in a kalloc'd array
 * of *countp (the reply carries it out of line).
 */
kern_return_t	task_terminate(task_t task);
kern_return_t	task_threads(task_t task, thread_act_array_t *threadsp,
		    mach_msg_type_number_t *countp);
kern_return_t	task_info(task_t task, task_flavor_t flavor, task_info_t info,
		    mach_msg_type_number_t *countp);
kern_return_t	task_suspend(task_t task);
kern_return_t	task_resume(task_t task);
kern_return_t	task_policy_set(task_t task, task_policy_flavor_t flavor, task_policy_t info,
		    mach_msg_type_number_t count);
kern_return_t	task_policy_get(task_t task, task_policy_flavor_t flavor, task_policy_t info,
		    mach_msg_type_number_t *countp, boolean_t *get_default);

boolean_t	task_lock(task_t task);
void		task_unlock(task_t task, boolean_t s);

#endif /* MACH_KERN_TASK_H */
