/*
 * ipc_kobject.h - ports that stand for kernel objects.
 *
 * A kernel object (a task, a thread, the host, a semaphore, a memory
 * entry) is named in user space by a port whose receive right the kernel
 * holds (ip_receiver == ipc_space_kernel), with the object's address in
 * ip_kobject and its kind in the port's kotype bits (IKOT_*, XNU's values).
 * Holding a send right to such a port is the power to operate on the
 * object: that is the whole of Mach's security model.
 *
 * A message sent to a kernel object's port is not queued: mach_msg hands
 * it to ipc_kobject_server, which finds the routine by message id among
 * the registered interface subsystems (generated from .defs files by the
 * interface generator, docs/mig.md), runs it, and sends the reply to the
 * request's reply right. A request nobody serves gets a MIG_BAD_ID reply.
 *
 * Locks: the IPC lock covers ip_kobject and the kotype; the server runs
 * without it.
 */

#ifndef MACH_IPC_IPC_KOBJECT_H
#define MACH_IPC_IPC_KOBJECT_H

#include <stdint.h>

#include "mach/ipc/ipc_types.h"
#include "mach/message.h"

typedef natural_t	ipc_kobject_type_t;

#define IKOT_NONE		0
#define IKOT_THREAD		1
#define IKOT_TASK		2
#define IKOT_HOST		3
#define IKOT_HOST_PRIV		4
#define IKOT_PROCESSOR		5
#define IKOT_PSET		6
#define IKOT_PSET_NAME		7
#define IKOT_TIMER		8
#define IKOT_MASTER_DEVICE	19
#define IKOT_TASK_NAME		20
#define IKOT_SEMAPHORE		23
#define IKOT_CLOCK		25
#define IKOT_NAMED_ENTRY	28
#define IKOT_IOKIT_CONNECT	29
#define IKOT_IOKIT_OBJECT	30
#define IKOT_UNKNOWN		41
#define IKOT_MAX_TYPE		(IKOT_UNKNOWN + 1)

/*
 * ipc_kobject_alloc_port: a kernel port for object of type, with one
 * reference (the kernel's receive right's). IP_NULL if memory ran out.
 * Takes the IPC lock.
 */
ipc_port_t	ipc_kobject_alloc_port(uintptr_t object, ipc_kobject_type_t type);

/* ipc_kobject_set: point port at object (IKOT_NONE: at nothing). Lock held. */
void		ipc_kobject_set(ipc_port_t port, uintptr_t object, ipc_kobject_type_t type);

/*
 * ipc_kobject_destroy_port: the object is going: its port dies (holders'
 * send rights become dead names). Takes the IPC lock.
 */
void		ipc_kobject_destroy_port(ipc_port_t port);

/* ipc_kobject_get: port's object if it is a live port of that type, else 0. Lock held. */
uintptr_t	ipc_kobject_get(ipc_port_t port, ipc_kobject_type_t type);

/*
 * ipc_kobject_no_senders: the last send right to kernel port went. Kinds
 * whose object lives only as long as someone can name it (IKOT_NAMED_ENTRY,
 * IKOT_IOKIT_OBJECT, IKOT_IOKIT_CONNECT)
 * end here; the rest stay. Lock held.
 */
void		ipc_kobject_no_senders(ipc_port_t port);

/*
 * ipc_kobject_server: serve request (a kmsg sent to a kernel port; its
 * rights copied in), consuming it, and send the reply. Lock not held.
 */
void		ipc_kobject_server(ipc_kmsg_t request);

#endif /* MACH_IPC_IPC_KOBJECT_H */
