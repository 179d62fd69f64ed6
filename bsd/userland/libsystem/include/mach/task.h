/*
 * mach/task.h - calls on a task port (XNU's mach/task.defs, generated
 * into libsystem): holding a task's port is the power to make them.
 *
 *	task_info(task, flavor, info, &count)	  <mach/task_info.h>'s flavors
 *	task_threads(task, &threads, &count)	  send rights to its threads'
 *						  ports, out of line (free the
 *						  array with vm_deallocate or
 *						  munmap, each right with
 *						  mach_port_deallocate)
 *	task_get_special_port / task_set_special_port (TASK_BOOTSTRAP_PORT ...)
 *	semaphore_create(task, &sem, policy, value) / semaphore_destroy
 *	task_policy_set / task_policy_get	  TASK_CATEGORY_POLICY
 *	task_terminate(task)
 *	task_suspend / task_resume		  a count: the first suspends every
 *						  thread, the last resumes them
 */

#ifndef _MACH_TASK_H_
#define _MACH_TASK_H_

#include <mach/mach_types.h>
#include <mach/task_info.h>

#define TASK_KERNEL_PORT	1
#define TASK_HOST_PORT		2
#define TASK_NAME_PORT		3
#define TASK_BOOTSTRAP_PORT	4

kern_return_t	task_terminate(task_t target_task);
kern_return_t	task_threads(task_t target_task, thread_act_array_t *act_list,
		    mach_msg_type_number_t *act_listCnt);
kern_return_t	task_info(task_t target_task, task_flavor_t flavor, task_info_t task_info_out,
		    mach_msg_type_number_t *task_info_outCnt);
kern_return_t	task_suspend(task_t target_task);
kern_return_t	task_resume(task_t target_task);
kern_return_t	task_get_special_port(task_t task, int which_port, mach_port_t *special_port);
kern_return_t	task_set_special_port(task_t task, int which_port, mach_port_t special_port);
kern_return_t	semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value);
kern_return_t	semaphore_destroy(task_t task, semaphore_t semaphore);
kern_return_t	task_policy_set(task_t task, task_policy_flavor_t flavor, task_policy_t policy_info,
		    mach_msg_type_number_t policy_infoCnt);
kern_return_t	task_policy_get(task_t task, task_policy_flavor_t flavor, task_policy_t policy_info,
		    mach_msg_type_number_t *policy_infoCnt, boolean_t *get_default);

#define task_get_bootstrap_port(task, port) \
	(task_get_special_port((task), TASK_BOOTSTRAP_PORT, (port)))
#define task_set_bootstrap_port(task, port) \
	(task_set_special_port((task), TASK_BOOTSTRAP_PORT, (port)))

#endif /* _MACH_TASK_H_ */
