/*
 * ipc_mqueue.c - sending and receiving (ipc_mqueue.h).
 */

#include "mach/ipc/ipc_mqueue.h"

#include "libkern/assert.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_notify.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_pset.h"
#include "mach/ipc/ipc_right.h"
#include "mach/ipc/ipc_space.h"
#include "mach/kern/clock.h"
#include "mach/notify.h"

static uint64_t
timeout_deadline(mach_msg_timeout_t ms)
{
	uint64_t abs;

	nanoseconds_to_absolutetime((uint64_t)ms * 1000000ull, &abs);
	return mach_absolute_time() + abs;
}

void
ipc_mqueue_deliver(ipc_port_t port, ipc_kmsg_t kmsg)
{
	if (!ip_active(port) || port->ip_receiver == ipc_space_kernel) {
		/*
		 * A dead port takes nothing; kernel ports take no
		 * notifications (none of Machina's kernel objects asks for
		 * one yet). The right that brought the message here is
		 * dropped as it is: destroying a send-once right to this very
		 * port would only send it another message.
		 */
		mach_msg_header_t *h = kmsg->ikm_header;

		if (h->msgh_remote_port == port) {
			if (MACH_MSGH_BITS_REMOTE(h->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE) {
				port->ip_sorights--;
				ip_release(port);
			} else {
				ipc_port_release_send(port);
			}
			h->msgh_remote_port = IP_NULL;
			h->msgh_bits &= ~MACH_MSGH_BITS_REMOTE_MASK;
		}
		ipc_kmsg_destroy(kmsg);
		return;
	}
	TAILQ_INSERT_TAIL(&port->ip_messages, kmsg, ikm_link);
	port->ip_msgcount++;
	ipc_wakeup(&port->ip_messages);
	if (port->ip_pset != IPS_NULL)
		ipc_wakeup(&port->ip_pset->ips_members);
}

mach_msg_return_t
ipc_mqueue_send(ipc_kmsg_t kmsg, mach_msg_option_t option, mach_msg_timeout_t timeout,
    ipc_kmsg_t *kobjectp)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	ipc_port_t port = h->msgh_remote_port;
	uint64_t deadline = 0;

	*kobjectp = IKM_NULL;
	if ((option & MACH_SEND_TIMEOUT) && timeout != 0)
		deadline = timeout_deadline(timeout);
	for (;;) {
		wait_result_t wr;

		if (!ip_active(port))
			return MACH_SEND_INVALID_DEST;
		if (port->ip_receiver == ipc_space_kernel) {
			*kobjectp = kmsg;
			return MACH_MSG_SUCCESS;
		}
		if (MACH_MSGH_BITS_REMOTE(h->msgh_bits) != MACH_MSG_TYPE_PORT_SEND ||
		    port->ip_msgcount < port->ip_qlimit || (option & MACH_SEND_ALWAYS))
			break;
		if ((option & MACH_SEND_TIMEOUT) && timeout == 0)
			return MACH_SEND_TIMED_OUT;
		port->ip_send_waiters++;
		ip_reference(port);
		wr = ipc_sleep(&port->ip_msgcount, deadline);
		port->ip_send_waiters--;
		ip_release(port);	/* the kmsg still holds one */
		if (wr == THREAD_TIMED_OUT)
			return MACH_SEND_TIMED_OUT;
		if (wr == THREAD_INTERRUPTED)
			return MACH_SEND_INTERRUPTED;
	}
	ipc_mqueue_deliver(port, kmsg);
	return MACH_MSG_SUCCESS;
}

/* A message left port's queue: room for a waiting sender, and send-possible. */
static void
dequeued(ipc_port_t port)
{
	struct ipc_port_request **link, *req;

	if (port->ip_msgcount >= port->ip_qlimit)
		return;
	if (port->ip_send_waiters != 0)
		ipc_wakeup(&port->ip_msgcount);
	link = &port->ip_requests;
	while ((req = *link) != NULL) {
		if (req->ipr_kind == MACH_NOTIFY_SEND_POSSIBLE) {
			*link = req->ipr_next;
			ipc_notify_send_possible(req->ipr_soright, req->ipr_name);
			ipc_port_request_free(req);
			continue;
		}
		link = &req->ipr_next;
	}
}

mach_msg_return_t
ipc_mqueue_receive(ipc_space_t space, mach_port_name_t name, mach_msg_option_t option,
    mach_msg_timeout_t timeout, mach_msg_size_t max_size, ipc_kmsg_t *kmsgp,
    mach_msg_size_t *sizep)
{
	ipc_object_t waited = IO_NULL;
	uint64_t deadline = 0;

	if ((option & MACH_RCV_TIMEOUT) && timeout != 0)
		deadline = timeout_deadline(timeout);
	for (;;) {
		struct ipc_entry *e;
		ipc_object_t object;
		ipc_port_t port;
		ipc_kmsg_t kmsg;
		wait_result_t wr;
		mach_msg_size_t need;
		event_t event;

		if (ipc_right_lookup(space, name, &e) != KERN_SUCCESS ||
		    (e->ie_bits & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET)) == 0) {
			if (waited == IO_NULL)
				return MACH_RCV_INVALID_NAME;
			goto changed;
		}
		object = e->ie_object;
		if (waited != IO_NULL && object != waited)
			goto changed;
		if (waited != IO_NULL) {
			io_release(waited);
			waited = IO_NULL;
		}
		if (e->ie_bits & MACH_PORT_TYPE_RECEIVE) {
			port = (ipc_port_t)object;
			if (port->ip_pset != IPS_NULL)
				return MACH_RCV_IN_SET;
			event = &port->ip_messages;
		} else {
			port = ipc_pset_first_message((ipc_pset_t)object);
			event = &((ipc_pset_t)object)->ips_members;
		}

		if (port != IP_NULL && (kmsg = TAILQ_FIRST(&port->ip_messages)) != IKM_NULL) {
			need = kmsg->ikm_user_size + ipc_kmsg_trailer_size(option);
			if (need > max_size) {
				*sizep = need;
				if (option & MACH_RCV_LARGE)
					return MACH_RCV_TOO_LARGE;
			}
			TAILQ_REMOVE(&port->ip_messages, kmsg, ikm_link);
			port->ip_msgcount--;
			kmsg->ikm_trailer.msgh_seqno = port->ip_seqno++;
			dequeued(port);
			if (need > max_size) {
				ipc_kmsg_destroy(kmsg);
				return MACH_RCV_TOO_LARGE;
			}
			*kmsgp = kmsg;
			return MACH_MSG_SUCCESS;
		}

		if ((option & MACH_RCV_TIMEOUT) && timeout == 0)
			return MACH_RCV_TIMED_OUT;
		waited = object;
		io_reference(waited);
		wr = ipc_sleep(event, deadline);
		if (wr == THREAD_TIMED_OUT || wr == THREAD_INTERRUPTED) {
			io_release(waited);
			return wr == THREAD_TIMED_OUT ? MACH_RCV_TIMED_OUT : MACH_RCV_INTERRUPTED;
		}
		if (!io_active(waited)) {
			io_release(waited);
			return MACH_RCV_PORT_DIED;
		}
		/* Look again: the name may have changed meanwhile. */
		continue;
changed:
		{
			boolean_t died = !io_active(waited);

			io_release(waited);
			return died ? MACH_RCV_PORT_DIED : MACH_RCV_PORT_CHANGED;
		}
	}
}
