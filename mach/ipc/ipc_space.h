/*
 * ipc_space.h - IPC spaces: a task's port names.
 *
 * Each task has one space (task->itk_space), made with the task and
 * terminated with it: ipc_space_terminate destroys every right it holds
 * (receive rights die, send rights go, with their notifications), and the
 * structure goes with its last reference. ipc_space_kernel stands for the
 * kernel as a receiver: a port whose receive right it holds is a kernel
 * object's port; it has no names.
 *
 * The names themselves are an ipc_entry_table (ipc_entry.h); the rights an
 * entry holds are managed by ipc_right.c.
 *
 * Locks: the IPC lock (ipc_object.h) covers the space and its entries.
 */

#ifndef MACH_IPC_IPC_SPACE_H
#define MACH_IPC_IPC_SPACE_H

#include "mach/boolean.h"
#include "mach/ipc/ipc_entry.h"
#include "mach/ipc/ipc_types.h"
#include "mach/kern/kern_types.h"

struct ipc_space {
	struct ipc_entry_table	is_table;
	task_t			is_task;	/* the owner; NULL once terminated */
	boolean_t		is_active;
	uint32_t		is_references;
};

#define is_active(space)	((space)->is_active)

/* ipc_space_init: the space zone and ipc_space_kernel. */
void		ipc_space_init(void);
uint32_t	ipc_space_count(void);

/* ipc_space_create: a new, empty space for task, with one reference. Lock not held. */
kern_return_t	ipc_space_create(task_t task, ipc_space_t *spacep);

/* ipc_space_terminate: destroy every right in space; it stays, inactive. Lock not held. */
void		ipc_space_terminate(ipc_space_t space);

/* References (lock held). */
void		is_reference(ipc_space_t space);
void		is_release(ipc_space_t space);

/* ipc_space_release: drop a reference, taking the lock (lock not held). */
void		ipc_space_release(ipc_space_t space);

#endif /* MACH_IPC_IPC_SPACE_H */
