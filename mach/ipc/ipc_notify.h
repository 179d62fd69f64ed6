/*
 * ipc_notify.h - the kernel's notification messages (mach/notify.h).
 *
 * Each function sends one notification through a send-once right the
 * kernel holds (consumed): built in the kernel layout, queued like any
 * message (send-once messages are never held back by a queue limit). A
 * right to a dead port is simply released. The IPC lock is held.
 */

#ifndef MACH_IPC_IPC_NOTIFY_H
#define MACH_IPC_IPC_NOTIFY_H

#include "mach/ipc/ipc_types.h"
#include "mach/port.h"

void	ipc_notify_dead_name(ipc_port_t soright, mach_port_name_t name);
void	ipc_notify_port_deleted(ipc_port_t soright, mach_port_name_t name);
void	ipc_notify_send_possible(ipc_port_t soright, mach_port_name_t name);
void	ipc_notify_no_senders(ipc_port_t soright, mach_port_mscount_t mscount);
/* ipc_notify_port_destroyed: the receive right of port (in the caller's hands) travels in it. */
void	ipc_notify_port_destroyed(ipc_port_t soright, ipc_port_t port);
/* ipc_notify_send_once: a send-once right to port went unused: its message says so. */
void	ipc_notify_send_once(ipc_port_t port);

#endif /* MACH_IPC_IPC_NOTIFY_H */
