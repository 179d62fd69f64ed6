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
#include "mach/ndr.h"

#define MIG_BAD_ID_CODE		(-303)	/* mach/mig.h's MIG_BAD_ID */

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

void
ipc_kobject_server(ipc_kmsg_t request)
{
	mach_msg_header_t *h = request->ikm_header;
	ipc_port_t reply_port = h->msgh_local_port;
	mach_msg_type_name_t reply_type = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	struct {
		mach_msg_header_t	Head;
		NDR_record_t		NDR;
		kern_return_t		RetCode;
	} *err;
	static const NDR_record_t ndr = NDR_RECORD_NATIVE;
	ipc_kmsg_t reply;

	/* Nothing serves requests yet: every one gets MIG_BAD_ID. */
	if (!IP_VALID(reply_port)) {
		ipc_lock();
		ipc_kmsg_destroy(request);
		ipc_unlock();
		return;
	}
	reply = ipc_kmsg_alloc((mach_msg_size_t)(sizeof(*err) - IKM_HEADER_GROWTH));
	ipc_lock();
	/* The reply right moves from the request to the reply. */
	h->msgh_local_port = IP_NULL;
	h->msgh_bits &= ~MACH_MSGH_BITS_LOCAL_MASK;
	if (reply == IKM_NULL) {
		ipc_object_destroy((ipc_object_t)reply_port, reply_type);
		ipc_kmsg_destroy(request);
		ipc_unlock();
		return;
	}
	err = (void *)reply->ikm_header;
	memset(err, 0, sizeof(*err));
	err->Head.msgh_bits = MACH_MSGH_BITS(reply_type, 0);
	err->Head.msgh_size = sizeof(*err);
	err->Head.msgh_remote_port = reply_port;
	err->Head.msgh_id = h->msgh_id + 100;
	err->NDR = ndr;
	err->RetCode = MIG_BAD_ID_CODE;
	ipc_kmsg_destroy(request);
	ipc_unlock();
	kobject_reply(reply);
}
