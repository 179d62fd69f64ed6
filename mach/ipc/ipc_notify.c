/*
 * ipc_notify.c - the kernel's notification messages (ipc_notify.h).
 */

#include "mach/ipc/ipc_notify.h"

#include "libkern/string.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_mqueue.h"
#include "mach/ipc/ipc_port.h"
#include "mach/kern/task.h"
#include "mach/notify.h"

/* A send-once right that will carry nothing. */
static void
sonce_drop(ipc_port_t port)
{
	port->ip_sorights--;
	ip_release(port);
}

/*
 * A notification of body_size bytes after the header (user layout sizes),
 * to soright; NULL (and the right dropped) if the port is dead or memory
 * ran out.
 */
static ipc_kmsg_t
notify_kmsg(ipc_port_t soright, mach_msg_id_t id, mach_msg_size_t body_size)
{
	ipc_kmsg_t kmsg;
	mach_msg_header_t *h;

	if (!IP_VALID(soright))
		return IKM_NULL;
	if (!ip_active(soright) ||
	    (kmsg = ipc_kmsg_alloc((mach_msg_size_t)sizeof(mach_msg_user_header_t) + body_size)) ==
	    IKM_NULL) {
		sonce_drop(soright);
		return IKM_NULL;
	}
	h = kmsg->ikm_header;
	memset(h, 0, kmsg->ikm_alloc);
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
	h->msgh_size = (mach_msg_size_t)sizeof(*h) + body_size;
	h->msgh_remote_port = soright;
	h->msgh_local_port = IP_NULL;
	h->msgh_id = id;
	ipc_kmsg_set_sender(kmsg, kernel_task);
	return kmsg;
}

/* The common shape: NDR record and one 32-bit value. */
static void
notify_simple(ipc_port_t soright, mach_msg_id_t id, uint32_t value)
{
	static const NDR_record_t ndr = NDR_RECORD_NATIVE;
	struct {
		NDR_record_t	ndr;
		uint32_t	value;
	} body = { ndr, value };
	ipc_kmsg_t kmsg = notify_kmsg(soright, id, sizeof(body));

	if (kmsg == IKM_NULL)
		return;
	memcpy(kmsg->ikm_header + 1, &body, sizeof(body));
	ipc_mqueue_deliver(soright, kmsg);
}

void
ipc_notify_dead_name(ipc_port_t soright, mach_port_name_t name)
{
	notify_simple(soright, MACH_NOTIFY_DEAD_NAME, name);
}

void
ipc_notify_port_deleted(ipc_port_t soright, mach_port_name_t name)
{
	notify_simple(soright, MACH_NOTIFY_PORT_DELETED, name);
}

void
ipc_notify_send_possible(ipc_port_t soright, mach_port_name_t name)
{
	notify_simple(soright, MACH_NOTIFY_SEND_POSSIBLE, name);
}

void
ipc_notify_no_senders(ipc_port_t soright, mach_port_mscount_t mscount)
{
	notify_simple(soright, MACH_NOTIFY_NO_SENDERS, mscount);
}

void
ipc_notify_send_once(ipc_port_t port)
{
	ipc_kmsg_t kmsg = notify_kmsg(port, MACH_NOTIFY_SEND_ONCE, 0);

	if (kmsg != IKM_NULL)
		ipc_mqueue_deliver(port, kmsg);
}

void
ipc_notify_port_destroyed(ipc_port_t soright, ipc_port_t port)
{
	struct {
		mach_msg_body_t			body;
		mach_msg_port_descriptor_t	port;
	} body;
	ipc_kmsg_t kmsg;

	/* Sent into its own queue, or one inside it, the right would be lost for good. */
	if (!IP_VALID(soright) || !ip_active(soright) ||
	    ipc_port_check_circularity(port, soright)) {
		ipc_port_destroy(port);		/* no request armed now: it dies */
		if (IP_VALID(soright))
			ipc_port_release_sonce(soright);
		return;
	}
	kmsg = notify_kmsg(soright, MACH_NOTIFY_PORT_DESTROYED, sizeof(body));
	if (kmsg == IKM_NULL) {
		ipc_port_destroy(port);
		return;
	}
	memset(&body, 0, sizeof(body));
	body.body.msgh_descriptor_count = 1;
	body.port.name = port;
	body.port.disposition = MACH_MSG_TYPE_PORT_RECEIVE;
	body.port.type = MACH_MSG_PORT_DESCRIPTOR;
	kmsg->ikm_header->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	memcpy(kmsg->ikm_header + 1, &body, sizeof(body));
	port->ip_destination = soright;
	ip_reference(soright);
	ipc_mqueue_deliver(soright, kmsg);
}
