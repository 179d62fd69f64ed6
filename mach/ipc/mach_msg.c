/*
 * mach_msg.c - the mach_msg traps: send, receive, or both in one call.
 *
 * The send half copies the message in (ipc_kmsg_get, without the IPC
 * lock: it touches user memory), takes the lock, turns names into rights
 * (ipc_kmsg_copyin) and queues the message (ipc_mqueue_send); a message
 * to a kernel object's port is served right away, once the lock is
 * dropped (ipc_kobject_server). The receive half takes a message under
 * the lock (ipc_mqueue_receive), turns its rights into names in the
 * receiver's space (ipc_kmsg_copyout), drops the lock and writes it out
 * (ipc_kmsg_put).
 *
 * A send that fails after its rights were taken gives them back to the
 * sender's space (the pseudo-receive of Mach), so a timed-out or
 * interrupted send loses nothing.
 */

#include "kernel/copyio.h"
#include "libkern/assert.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_mqueue.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_right.h"
#include "mach/ipc/ipc_space.h"
#include "mach/kern/task.h"
#include "mach/mach_traps.h"

/*
 * A copied-in kmsg could not be sent: its rights go back to space, and the
 * message, with the names they have there now, back to the sender's
 * buffer (ipc_kmsg_put, after the lock is dropped), as Mach's
 * pseudo-receive does. The header reads as it was sent: destination in
 * msgh_remote_port, reply in msgh_local_port.
 */
static void
send_undo(ipc_kmsg_t kmsg, ipc_space_t space)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	ipc_object_t dest = (ipc_object_t)h->msgh_remote_port;
	mach_msg_type_name_t dest_type = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t reply_type;
	mach_port_name_t dest_name = MACH_PORT_NULL, reply_name;

	/* The destination right first: copyout takes a message's as spent. */
	h->msgh_remote_port = IP_NULL;
	h->msgh_bits &= ~MACH_MSGH_BITS_REMOTE_MASK;
	if (IO_VALID(dest) && ipc_object_copyout(space, dest, dest_type, &dest_name) !=
	    KERN_SUCCESS) {
		ipc_object_destroy(dest, dest_type);
		dest_name = MACH_PORT_NULL;
	}
	(void)ipc_kmsg_copyout(kmsg, space, NULL, 0);
	reply_type = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	reply_name = (mach_port_name_t)(uintptr_t)h->msgh_remote_port;
	h->msgh_remote_port = (void *)(uintptr_t)dest_name;
	h->msgh_local_port = (void *)(uintptr_t)reply_name;
	h->msgh_bits = MACH_MSGH_BITS_SET(dest_type, reply_type, 0,
	    MACH_MSGH_BITS_OTHER(h->msgh_bits));
}

static mach_msg_return_t
mach_msg_send(user_addr_t msg, mach_msg_option_t option, mach_msg_size_t send_size,
    mach_msg_timeout_t timeout)
{
	task_t task = current_task();
	ipc_space_t space = task->itk_space;
	ipc_kmsg_t kmsg, kobject;
	mach_msg_return_t mr;

	if (space == IS_NULL)
		return MACH_SEND_INVALID_DEST;
	mr = ipc_kmsg_get(msg, send_size, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	ipc_kmsg_set_sender(kmsg, task);
	ipc_lock();
	mr = ipc_kmsg_copyin(kmsg, space, task->map, option);
	if (mr != MACH_MSG_SUCCESS) {
		ipc_unlock();
		ipc_kmsg_free_names(kmsg);
		return mr;
	}
	mr = ipc_mqueue_send(kmsg, option & ~MACH_SEND_ALWAYS, timeout, &kobject);
	if (mr != MACH_MSG_SUCCESS) {
		mach_msg_size_t size;

		send_undo(kmsg, space);
		ipc_unlock();
		(void)ipc_kmsg_put(kmsg, msg, MACH_MSG_OPTION_NONE, FALSE, &size);
		return mr;
	}
	ipc_unlock();
	if (kobject != IKM_NULL)
		ipc_kobject_server(kobject);
	return mr;
}

static mach_msg_return_t
mach_msg_receive(user_addr_t msg, mach_msg_option_t option, mach_msg_size_t rcv_size,
    mach_port_name_t rcv_name, mach_msg_timeout_t timeout)
{
	task_t task = current_task();
	ipc_space_t space = task->itk_space;
	mach_msg_size_t size = 0;
	mach_msg_return_t mr, mr2;
	ipc_kmsg_t kmsg;

	if (space == IS_NULL)
		return MACH_RCV_INVALID_NAME;
	ipc_lock();
	mr = ipc_mqueue_receive(space, rcv_name, option, timeout, rcv_size, &kmsg, &size);
	if (mr != MACH_MSG_SUCCESS) {
		ipc_unlock();
		if (mr == MACH_RCV_TOO_LARGE && (option & MACH_RCV_LARGE) &&
		    rcv_size >= sizeof(mach_msg_user_header_t)) {
			/* Say how large it is, where the size goes. */
			(void)copyout(&size, msg + __builtin_offsetof(mach_msg_user_header_t,
			    msgh_size), sizeof(size));
		}
		return mr;
	}
	mr = ipc_kmsg_copyout(kmsg, space, task->map, option);
	ipc_unlock();
	mr2 = ipc_kmsg_put(kmsg, msg, option, TRUE, &size);
	return mr2 != MACH_MSG_SUCCESS ? mr2 : mr;
}

mach_msg_return_t
mach_msg_overwrite_trap(struct mach_msg_overwrite_trap_args *args)
{
	mach_msg_option_t option = (mach_msg_option_t)args->option;
	mach_msg_timeout_t timeout = (mach_msg_timeout_t)args->timeout;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	if (option & MACH_SEND_MSG) {
		mr = mach_msg_send(args->msg, option, (mach_msg_size_t)args->send_size, timeout);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (option & MACH_RCV_MSG) {
		user_addr_t rcv = args->rcv_msg != 0 ? args->rcv_msg : args->msg;

		mr = mach_msg_receive(rcv, option, (mach_msg_size_t)args->rcv_size,
		    (mach_port_name_t)args->rcv_name, timeout);
	}
	return mr;
}

mach_msg_return_t
mach_msg_trap(struct mach_msg_overwrite_trap_args *args)
{
	args->rcv_msg = 0;
	return mach_msg_overwrite_trap(args);
}
