/*
 * ipc_kobject.c - ports that stand for kernel objects (ipc_kobject.h).
 */

#include "mach/ipc/ipc_kobject.h"

#include "libkern/string.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_mqueue.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_right.h"
#include "mach/kern/task.h"
#include "iokit/Kernel/iokit_rpc.h"
#include "mach/iokitServer.h"
#include "mach/mach_hostServer.h"
#include "mach/mach_portServer.h"
#include "mach/mach_vmServer.h"
#include "mach/taskServer.h"
#include "mach/thread_actServer.h"
#include "mach/mig.h"
#include "mach/vm/vm_memory_entry.h"
#include "mach/ndr.h"

ipc_port_t
ipc_kobject_alloc_port(uintptr_t object, ipc_kobject_type_t type)
{
	ipc_port_t port;

	ipc_lock();
	port = ipc_port_alloc_kernel();
	if (port != IP_NULL)
		ipc_kobject_set(port, object, type);
	ipc_unlock();
	return port;
}

void
ipc_kobject_set(ipc_port_t port, uintptr_t object, ipc_kobject_type_t type)
{
	port->ip_kobject = object;
	port->ip_object.io_bits = (port->ip_object.io_bits & ~IO_BITS_KOTYPE) |
	    (type & IO_BITS_KOTYPE);
}

void
ipc_kobject_destroy_port(ipc_port_t port)
{
	if (!IP_VALID(port))
		return;
	ipc_lock();
	ipc_kobject_set(port, 0, IKOT_NONE);
	if (ip_active(port))
		ipc_port_destroy(port);		/* the kernel's receive right */
	else
		ip_release(port);
	ipc_unlock();
}

uintptr_t
ipc_kobject_get(ipc_port_t port, ipc_kobject_type_t type)
{
	if (!IP_VALID(port) || !ip_active(port) || ip_kotype(port) != type)
		return 0;
	return port->ip_kobject;
}

void
ipc_kobject_no_senders(ipc_port_t port)
{
	switch (ip_kotype(port)) {
	case IKOT_NAMED_ENTRY:
		mach_memory_entry_no_senders(port);
		break;
	case IKOT_IOKIT_OBJECT:
	case IKOT_IOKIT_CONNECT:
		iokit_no_senders(port);
		break;
	default:
		break;
	}
}

/* Send a kernel-made reply (its rights the kernel's) to its destination. */
static void
kobject_reply(ipc_kmsg_t reply)
{
	ipc_kmsg_t kobject;

	ipc_kmsg_set_sender(reply, kernel_task);
	ipc_lock();
	if (ipc_mqueue_send(reply, MACH_SEND_ALWAYS, 0, &kobject) != MACH_MSG_SUCCESS)
		ipc_kmsg_destroy(reply);
	else if (kobject != IKM_NULL)
		ipc_kmsg_destroy(kobject);	/* the kernel does not message itself */
	ipc_unlock();
}

/* The interfaces the kernel serves, by message id (one line each). */
static const struct mig_subsystem *const kobject_subsystems[] = {
	(const struct mig_subsystem *)&mach_port_subsystem,
	(const struct mig_subsystem *)&task_subsystem,
	(const struct mig_subsystem *)&mach_host_subsystem,
	(const struct mig_subsystem *)&mach_vm_subsystem,
	(const struct mig_subsystem *)&thread_act_subsystem,
	(const struct mig_subsystem *)&iokit_subsystem,
};

static const struct mig_subsystem *
kobject_subsystem(mach_msg_id_t id)
{
	for (size_t i = 0; i < sizeof(kobject_subsystems) / sizeof(kobject_subsystems[0]); i++) {
		const struct mig_subsystem *sub = kobject_subsystems[i];

		if (id >= sub->start && id < sub->end)
			return sub;
	}
	return NULL;
}

void
ipc_kobject_server(ipc_kmsg_t request)
{
	mach_msg_header_t *h = request->ikm_header;
	const struct mig_subsystem *sub = kobject_subsystem(h->msgh_id);
	mach_msg_size_t maxsize = sub != NULL ? sub->maxsize : sizeof(mig_reply_error_t);
	ipc_kmsg_t reply = ipc_kmsg_alloc(maxsize);
	mach_msg_type_name_t dest_type = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t reply_type = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	ipc_port_t dest = h->msgh_remote_port, reply_port = h->msgh_local_port;
	mig_reply_error_t *out;
	mig_routine_t routine;
	boolean_t consumed;

	if (reply == IKM_NULL) {
		ipc_lock();
		ipc_kmsg_destroy(request);
		ipc_unlock();
		return;
	}
	/*
	 * The server reads the request as received: the object's port in
	 * msgh_local_port, the reply right in msgh_remote_port; and the
	 * sender's trailer after the message.
	 */
	h->msgh_local_port = dest;
	h->msgh_remote_port = reply_port;
	h->msgh_bits = MACH_MSGH_BITS_SET(reply_type, dest_type, 0, MACH_MSGH_BITS_OTHER(h->msgh_bits));
	memcpy((char *)h + h->msgh_size, &request->ikm_trailer, sizeof(request->ikm_trailer));

	/* The reply starts as an error reply; the stub makes it what it is. */
	out = (mig_reply_error_t *)reply->ikm_header;
	memset(out, 0, sizeof(*out));
	out->Head.msgh_bits = MACH_MSGH_BITS(reply_type, 0);
	out->Head.msgh_remote_port = reply_port;
	out->Head.msgh_size = sizeof(*out);
	out->Head.msgh_id = h->msgh_id + 100;
	out->NDR = (NDR_record_t)NDR_RECORD_NATIVE;
	routine = sub != NULL ? sub->server(h) : NULL;
	if (routine != NULL) {
		out->RetCode = KERN_SUCCESS;
		routine(h, &out->Head);
	} else {
		out->RetCode = MIG_BAD_ID;
	}

	/*
	 * A routine that succeeded took what the request carried (its port
	 * and memory arguments); one that failed, or a request nobody
	 * serves, leaves it all to be destroyed. Either way the reply right
	 * has moved to the reply, and the object's right is spent.
	 */
	consumed = !(!MACH_MSGH_BITS_IS_COMPLEX(out->Head.msgh_bits) &&
	    out->Head.msgh_size == sizeof(mig_reply_error_t) && out->RetCode != KERN_SUCCESS);
	ipc_lock();
	h->msgh_remote_port = IP_NULL;
	h->msgh_bits &= ~MACH_MSGH_BITS_REMOTE_MASK;
	if (consumed) {
		ipc_object_destroy((ipc_object_t)dest, dest_type);
		ipc_kmsg_free(request);
	} else {
		ipc_kmsg_destroy(request);
	}
	/*
	 * A receive right as the reply port (MOVE_RECEIVE in msgh_local_port)
	 * is in the kernel's hands now: a reply queued on it could never be
	 * received, and port and reply would live for good (found by
	 * tests/bsd/syscall_fuzz -m; mach_msg_badargs checks it). The right
	 * is destroyed with the reply, as if no one were to answer.
	 */
	if ((!MACH_MSGH_BITS_IS_COMPLEX(out->Head.msgh_bits) && out->RetCode == MIG_NO_REPLY) ||
	    !IP_VALID(reply_port) || reply_type == MACH_MSG_TYPE_PORT_RECEIVE) {
		/* No one to answer: the reply, and anything it carries, goes. */
		out->Head.msgh_remote_port = IP_NULL;
		out->Head.msgh_bits &= ~MACH_MSGH_BITS_REMOTE_MASK;
		reply->ikm_user_size = out->Head.msgh_size - (mach_msg_size_t)IKM_HEADER_GROWTH;
		ipc_kmsg_destroy(reply);
		if (IP_VALID(reply_port))
			ipc_object_destroy((ipc_object_t)reply_port, reply_type);
		ipc_unlock();
		return;
	}
	ipc_unlock();
	reply->ikm_user_size = out->Head.msgh_size - (mach_msg_size_t)IKM_HEADER_GROWTH;
	kobject_reply(reply);
}
