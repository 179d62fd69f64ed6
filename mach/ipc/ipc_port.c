/*
 * ipc_port.c - ports (ipc_port.h).
 */

#include "mach/ipc/ipc_port.h"

#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_notify.h"
#include "mach/ipc/ipc_pset.h"
#include "mach/ipc/ipc_right.h"
#include "mach/ipc/ipc_space.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/zalloc.h"
#include "mach/notify.h"

static zone_t ipc_port_zone;
static uint32_t ipc_ports;			/* [L] allocated, not freed */
static TAILQ_HEAD(, ipc_port) ipc_port_list = TAILQ_HEAD_INITIALIZER(ipc_port_list);

void
ipc_port_init(void)
{
	ipc_port_zone = zinit(sizeof(struct ipc_port), 0, 0, "ipc.ports");
}

uint32_t
ipc_port_count(void)
{
	return ipc_ports;
}

static ipc_port_t
port_create(void)
{
	ipc_port_t port = zalloc(ipc_port_zone);

	if (port == IP_NULL)
		return IP_NULL;
	memset(port, 0, sizeof(*port));
	port->ip_object.io_bits = IOT_PORT | IO_BITS_ACTIVE;
	port->ip_object.io_references = 1;
	TAILQ_INIT(&port->ip_messages);
	port->ip_qlimit = MACH_PORT_QLIMIT_DEFAULT;
	TAILQ_INSERT_TAIL(&ipc_port_list, port, ip_all_link);
	ipc_ports++;
	return port;
}

kern_return_t
ipc_port_alloc(ipc_space_t space, mach_port_name_t name, mach_port_name_t *namep,
    ipc_port_t *portp)
{
	struct ipc_entry *e;
	kern_return_t kr;
	ipc_port_t port;

	if (!is_active(space))
		return KERN_INVALID_TASK;
	port = port_create();
	if (port == IP_NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = ipc_entry_claim(&space->is_table, name, namep, &e);
	if (kr != KERN_SUCCESS) {
		port->ip_object.io_bits &= ~IO_BITS_ACTIVE;
		ip_release(port);
		return kr;
	}
	e->ie_object = port;
	e->ie_bits = MACH_PORT_TYPE_RECEIVE;
	ipc_hash_insert(&space->is_table, *namep);
	port->ip_receiver = space;
	port->ip_receiver_name = *namep;
	*portp = port;
	return KERN_SUCCESS;
}

ipc_port_t
ipc_port_alloc_kernel(void)
{
	ipc_port_t port = port_create();

	if (port != IP_NULL)
		port->ip_receiver = ipc_space_kernel;
	return port;
}

struct ipc_port_request *
ipc_port_request_alloc(ipc_space_t space, mach_port_name_t name, mach_msg_id_t kind,
    ipc_port_t soright)
{
	struct ipc_port_request *req = kalloc(sizeof(*req));

	if (req == NULL)
		return NULL;
	req->ipr_next = NULL;
	req->ipr_space = space;
	is_reference(space);
	req->ipr_name = name;
	req->ipr_kind = kind;
	req->ipr_soright = soright;
	return req;
}

void
ipc_port_request_free(struct ipc_port_request *req)
{
	is_release(req->ipr_space);
	kfree(req, sizeof(*req));
}

void
ip_reference(ipc_port_t port)
{
	io_reference(&port->ip_object);
}

void
ip_release(ipc_port_t port)
{
	io_release(&port->ip_object);
}

void
ipc_port_free(ipc_port_t port)
{
	assert(TAILQ_EMPTY(&port->ip_messages));
	assert(port->ip_requests == NULL);
	TAILQ_REMOVE(&ipc_port_list, port, ip_all_link);
	ipc_ports--;
	zfree(ipc_port_zone, port);
}

boolean_t
ipc_port_check_circularity(ipc_port_t port, ipc_port_t dest)
{
	/* Follow dest through the messages carrying it, if it is in transit. */
	for (ipc_port_t p = dest; p != IP_NULL; p = p->ip_destination) {
		if (p == port)
			return TRUE;
		if (!ip_active(p) || p->ip_receiver != IS_NULL)
			break;
	}
	return FALSE;
}

void
ipc_port_destroy(ipc_port_t port)
{
	struct ipc_kmsg_queue drained;
	struct ipc_port_request *req;
	ipc_port_t pdrequest;

	assert(ip_active(port));
	if (port->ip_pset != IPS_NULL)
		ipc_pset_remove(port);
	if (port->ip_destination != IP_NULL) {
		ip_release(port->ip_destination);
		port->ip_destination = IP_NULL;
	}
	port->ip_receiver = IS_NULL;
	port->ip_receiver_name = MACH_PORT_NULL;

	/* Someone wants the receive right rather than its death. */
	pdrequest = port->ip_pdrequest;
	if (pdrequest != IP_NULL) {
		port->ip_pdrequest = IP_NULL;
		ipc_notify_port_destroyed(pdrequest, port);
		return;
	}

	port->ip_object.io_bits &= ~IO_BITS_ACTIVE;
	port->ip_kobject = 0;
	port->ip_object.io_bits &= ~IO_BITS_KOTYPE;

	/* Nobody waits on a dead port. */
	ipc_wakeup(&port->ip_messages);
	ipc_wakeup(&port->ip_msgcount);

	/* The messages it held die with it. */
	TAILQ_INIT(&drained);
	while (!TAILQ_EMPTY(&port->ip_messages)) {
		ipc_kmsg_t kmsg = TAILQ_FIRST(&port->ip_messages);

		TAILQ_REMOVE(&port->ip_messages, kmsg, ikm_link);
		TAILQ_INSERT_TAIL(&drained, kmsg, ikm_link);
	}
	port->ip_msgcount = 0;

	if (port->ip_nsrequest != IP_NULL) {
		ipc_port_t ns = port->ip_nsrequest;

		port->ip_nsrequest = IP_NULL;
		ipc_port_release_sonce(ns);
	}

	/* Dead-name requests fire; send-possible requests go unanswered. */
	while ((req = port->ip_requests) != NULL) {
		port->ip_requests = req->ipr_next;
		if (req->ipr_kind == MACH_NOTIFY_DEAD_NAME)
			ipc_right_dead_name_fire(port, req);
		else
			ipc_port_release_sonce(req->ipr_soright);
		ipc_port_request_free(req);
	}

	ipc_kmsg_queue_destroy(&drained);
	ip_release(port);		/* the receive right's reference */
}

/* A new right to port counted in *rights (IP_DEAD for a dead port's). */
static ipc_port_t
port_new_right(ipc_port_t port, mach_port_rights_t *rights)
{
	if (!IP_VALID(port))
		return port;
	if (!ip_active(port))
		return IP_DEAD;
	(*rights)++;
	ip_reference(port);
	return port;
}

ipc_port_t
ipc_port_make_send(ipc_port_t port)
{
	if (IP_VALID(port) && ip_active(port))
		port->ip_mscount++;
	return IP_VALID(port) ? port_new_right(port, &port->ip_srights) : port;
}

ipc_port_t
ipc_port_copy_send(ipc_port_t port)
{
	return IP_VALID(port) ? port_new_right(port, &port->ip_srights) : port;
}

ipc_port_t
ipc_port_make_sonce(ipc_port_t port)
{
	return IP_VALID(port) ? port_new_right(port, &port->ip_sorights) : port;
}

void
ipc_port_release_send(ipc_port_t port)
{
	ipc_port_t ns;

	if (!IP_VALID(port))
		return;
	assert(port->ip_srights > 0);
	if (--port->ip_srights == 0 && ip_active(port) &&
	    (ns = port->ip_nsrequest) != IP_NULL) {
		port->ip_nsrequest = IP_NULL;
		ipc_notify_no_senders(ns, port->ip_mscount);
	}
	if (port->ip_srights == 0 && ip_active(port) && port->ip_receiver == ipc_space_kernel)
		ipc_kobject_no_senders(port);	/* the object may go with its last right */
	ip_release(port);
}

void
ipc_port_release_send_unlocked(ipc_port_t port)
{
	if (!IP_VALID(port))
		return;
	ipc_lock();
	ipc_port_release_send(port);
	ipc_unlock();
}

void
ipc_port_release_sonce(ipc_port_t port)
{
	if (!IP_VALID(port))
		return;
	/* The notification is itself the send-once right's message. */
	ipc_notify_send_once(port);
}

void
ipc_port_release_receive(ipc_port_t port)
{
	if (IP_VALID(port))
		ipc_port_destroy(port);
}
