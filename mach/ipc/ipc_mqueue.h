/*
 * ipc_mqueue.h - sending to a port's queue and receiving from a port or
 * a port set.
 *
 * A send appends to the destination's queue and wakes a receiver waiting
 * on the port, or on the set it belongs to. A queue that holds ip_qlimit
 * messages holds back senders through send rights: they wait (as long as
 * their timeout allows) for a receiver to take one; messages through
 * send-once rights and the kernel's own go past the limit.
 *
 * A receive takes the oldest message of the port, or of the first member
 * of the set with one, waiting for one as long as the timeout allows. The
 * wait is interruptible: a signal ends it with MACH_RCV_INTERRUPTED (the
 * user library restarts it unless MACH_RCV_INTERRUPT was given). The name
 * is looked up again after every wait, so a port that died or left under
 * the receiver meanwhile gives MACH_RCV_PORT_DIED or MACH_RCV_PORT_CHANGED.
 *
 * The IPC lock is held throughout (and dropped while waiting).
 */

#ifndef MACH_IPC_IPC_MQUEUE_H
#define MACH_IPC_IPC_MQUEUE_H

#include "mach/ipc/ipc_types.h"
#include "mach/message.h"

/*
 * ipc_mqueue_send: queue kmsg (its rights copied in) on its destination.
 * deadline: 0 to wait as long as needed for room, else mach absolute time
 * (with MACH_SEND_TIMEOUT and a timeout of 0, do not wait at all).
 * MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED, MACH_SEND_INVALID_DEST (the
 * port died): the kmsg stays the caller's. A message to a kernel port is
 * not queued: MACH_MSG_SUCCESS with *kobjectp set, for the caller to
 * serve once it has dropped the lock.
 */
mach_msg_return_t ipc_mqueue_send(ipc_kmsg_t kmsg, mach_msg_option_t option,
		    mach_msg_timeout_t timeout, ipc_kmsg_t *kobjectp);

/* ipc_mqueue_deliver: queue a message that never waits (kernel-made, send-once). */
void		ipc_mqueue_deliver(ipc_port_t port, ipc_kmsg_t kmsg);

/*
 * ipc_mqueue_receive: take a message for name (a receive right or a port
 * set) in space, if it fits in max_size bytes (user layout, with the
 * trailer option asks for). MACH_RCV_INVALID_NAME, MACH_RCV_IN_SET,
 * MACH_RCV_TIMED_OUT, MACH_RCV_INTERRUPTED, MACH_RCV_PORT_DIED,
 * MACH_RCV_PORT_CHANGED, MACH_RCV_TOO_LARGE (with MACH_RCV_LARGE the
 * message stays queued and *sizep says how large it is; without, it is
 * destroyed).
 */
mach_msg_return_t ipc_mqueue_receive(ipc_space_t space, mach_port_name_t name,
		    mach_msg_option_t option, mach_msg_timeout_t timeout, mach_msg_size_t max_size,
		    ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep);

#endif /* MACH_IPC_IPC_MQUEUE_H */
