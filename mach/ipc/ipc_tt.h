/*
 * ipc_tt.h - the ports of tasks, threads and the host (XNU's ipc_tt and
 * ipc_host).
 *
 * Every task has an IPC space (itk_space), a self port (itk_self: the
 * kernel port whose send rights are the power over the task) and a
 * bootstrap port (itk_bootstrap: a send right the kernel holds for it,
 * inherited from the parent at creation; TASK_BOOTSTRAP_PORT). A thread's
 * self port is made the first time someone asks for it. The host has one
 * port, made at IPC bootstrap.
 *
 * Conversions (XNU's): convert_port_to_task and friends give the object
 * with a reference, or NULL if the port is not a live port of that kind;
 * convert_task_to_port gives a send right and consumes the task
 * reference; port_name_to_task reads a name in the current task's space.
 */

#ifndef MACH_IPC_IPC_TT_H
#define MACH_IPC_IPC_TT_H

#include "mach/ipc/ipc_types.h"
#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"

/* Special ports of a task (task_get_special_port), XNU's numbers. */
#define TASK_KERNEL_PORT	1
#define TASK_HOST_PORT		2
#define TASK_NAME_PORT		3
#define TASK_BOOTSTRAP_PORT	4

/* ipc_task_init: task's space, self port and inherited bootstrap port. Lock not held. */
kern_return_t	ipc_task_init(task_t task, task_t parent);
/* ipc_task_terminate: the space's rights go and the self port dies (task_terminate). */
void		ipc_task_terminate(task_t task);
/* ipc_task_free: the last of it, when the task structure goes. */
void		ipc_task_free(task_t task);

/* ipc_thread_free: a thread's self port dies with it. */
void		ipc_thread_free(thread_t thread);

/* ipc_host_init: the host port. */
void		ipc_host_init(void);

/* Lock held for these: */
task_t		convert_port_to_task_locked(ipc_port_t port);
ipc_space_t	convert_port_to_space_locked(ipc_port_t port);

/* Lock not held: */
task_t		convert_port_to_task(ipc_port_t port);
thread_t	convert_port_to_thread(ipc_port_t port);
ipc_space_t	convert_port_to_space(ipc_port_t port);
vm_map_t	convert_port_to_map(ipc_port_t port);
ipc_port_t	convert_task_to_port(task_t task);
ipc_port_t	convert_thread_to_port(thread_t thread);
/*
 * The host needs no reference: convert_port_to_host gives it for a host
 * or privileged host port, convert_port_to_host_priv for the latter only.
 */
struct host	*convert_port_to_host(ipc_port_t port);
struct host	*convert_port_to_host_priv(ipc_port_t port);
ipc_port_t	convert_host_to_port(struct host *host);
void		space_deallocate(ipc_space_t space);

/*
 * port_name_to_task: the task a send right named name in the current
 * task's space is the port of, referenced; TASK_NULL if none.
 */
task_t		port_name_to_task(mach_port_name_t name);
/* port_name_to_thread: the same for a thread's port. */
thread_t	port_name_to_thread(mach_port_name_t name);

/* task_get_special_port / task_set_special_port (the bootstrap port). */
kern_return_t	task_get_special_port(task_t task, int which, ipc_port_t *portp);
kern_return_t	task_set_special_port(task_t task, int which, ipc_port_t port);

/* The traps (mach_traps.h). */
mach_port_name_t task_self_trap(void *args);
mach_port_name_t thread_self_trap(void *args);
mach_port_name_t host_self_trap(void *args);
mach_port_name_t mach_reply_port(void *args);

#endif /* MACH_IPC_IPC_TT_H */
