/*
 * ipc_port.h - Mach ports: a message queue with rights to it.
 *
 * A port has exactly one receive right, held by a space (ip_receiver, under
 * the name ip_receiver_name), by the kernel (ipc_space_kernel: the port
 * stands for a kernel object and messages to it are served at once by
 * ipc_kobject_server), or by a message in transit (ip_receiver NULL and
 * ip_destination the port whose queue holds that message). Any number of
 * send rights (ip_srights counts them, wherever they are) and send-once
 * rights (ip_sorights) may exist; ip_mscount counts the send rights ever
 * made from the receive right.
 *
 * When the receive right is destroyed the port becomes inactive ("dead"):
 * its queued messages are destroyed, its waiters woken, dead-name
 * notifications sent to whoever asked, and every right to it left in a
 * space becomes a dead name (lazily, the next time the name is looked up:
 * ipc_right_lookup). The structure lives on while references do.
 *
 * Requests: ip_nsrequest and ip_pdrequest are send-once rights for the
 * no-senders and port-destroyed notifications; ip_requests lists the
 * dead-name and send-possible requests that holders of send rights made
 * (each with its space, its name there and a send-once right to notify).
 *
 * Invariants (IPC lock held):
 *   - active iff the receive right exists (in a space, the kernel or a
 *     message);
 *   - ip_msgcount is the length of ip_messages; ip_msgcount may exceed
 *     ip_qlimit only by messages sent through send-once rights or by the
 *     kernel (which never block);
 *   - a port is in at most one port set, and only while its receive right
 *     is in the set's space;
 *   - ip_destination is set (with a reference) only while in transit.
 *
 * Locks: everything is under the IPC lock (ipc_object.h).
 */

#ifndef MACH_IPC_IPC_PORT_H
#define MACH_IPC_IPC_PORT_H

#include <stdint.h>

#include "libkern/queue.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_object.h"
#include "mach/kern_return.h"
#include "mach/message.h"



/* A dead-name or send-possible request (mach_port_request_notification). */
struct ipc_port_request {
	struct ipc_port_request	*ipr_next;
	ipc_space_t		ipr_space;	/* who asked (holds a reference) */
	mach_port_name_t	ipr_name;	/* the name of its right there */
	ipc_port_t		ipr_soright;	/* where the notification goes */
	mach_msg_id_t		ipr_kind;	/* MACH_NOTIFY_DEAD_NAME or _SEND_POSSIBLE */
};

struct ipc_port {
	struct ipc_object	ip_object;
	ipc_space_t		ip_receiver;
	mach_port_name_t	ip_receiver_name;
	ipc_port_t		ip_destination;
	ipc_pset_t		ip_pset;
	TAILQ_ENTRY(ipc_port)	ip_pset_link;
	struct ipc_kmsg_queue	ip_messages;
	mach_port_msgcount_t	ip_msgcount;
	mach_port_msgcount_t	ip_qlimit;
	mach_port_seqno_t	ip_seqno;
	mach_port_mscount_t	ip_mscount;
	mach_port_rights_t	ip_srights;
	mach_port_rights_t	ip_sorights;
	ipc_port_t		ip_nsrequest;
	ipc_port_t		ip_pdrequest;
	struct ipc_port_request	*ip_requests;
	uint32_t		ip_send_waiters;	/* senders blocked on a full queue */
	uint32_t		ip_rcv_waiters;		/* receivers blocked on it */
	uintptr_t		ip_kobject;		/* the kernel object, if a kobject port */
	TAILQ_ENTRY(ipc_port)	ip_all_link;		/* every port, for debuggers */
};

#define ip_active(port)		io_active(&(port)->ip_object)
#define ip_kotype(port)		io_kotype(&(port)->ip_object)
#define ip_references(port)	((port)->ip_object.io_references)

extern ipc_space_t ipc_space_kernel;

/* ipc_port_init: the port zone. */
void		ipc_port_init(void);

/* ipc_port_count: ports allocated and not yet freed (for leak checks). */
uint32_t	ipc_port_count(void);

/*
 * ipc_port_alloc: a new port whose receive right space holds, under name
 * (MACH_PORT_NULL: a new one, given in *namep). KERN_NO_SPACE,
 * KERN_RESOURCE_SHORTAGE, KERN_NAME_EXISTS. The IPC lock is held.
 */
kern_return_t	ipc_port_alloc(ipc_space_t space, mach_port_name_t name, mach_port_name_t *namep,
		    ipc_port_t *portp);

/*
 * ipc_port_alloc_kernel: a port whose receive right the kernel holds, with
 * one reference for the caller. IP_NULL if memory ran out. Lock held.
 */
ipc_port_t	ipc_port_alloc_kernel(void);

/*
 * ipc_port_destroy: the receive right (held by the caller: taken out of
 * its space, message or the kernel) goes. If a port-destroyed request is
 * armed the right is sent there instead; otherwise the port dies (see
 * above). Consumes the reference that came with the receive right.
 */
void		ipc_port_destroy(ipc_port_t port);

/* Rights the kernel holds as port pointers (the lock is held). */
ipc_port_t	ipc_port_make_send(ipc_port_t port);	/* from the receive right */
ipc_port_t	ipc_port_copy_send(ipc_port_t port);	/* from a send right */
ipc_port_t	ipc_port_make_sonce(ipc_port_t port);
void		ipc_port_release_send(ipc_port_t port);
/* ipc_port_release_sonce: a send-once right goes unused (sends MACH_NOTIFY_SEND_ONCE). */
void		ipc_port_release_sonce(ipc_port_t port);
void		ipc_port_release_receive(ipc_port_t port);	/* ipc_port_destroy */
/* ipc_port_release_send_unlocked: the same as ipc_port_release_send, taking the lock. */
void		ipc_port_release_send_unlocked(ipc_port_t port);

/*
 * Requests: a request holds a reference on its space; its send-once right
 * is the caller's to consume or put in the request.
 */
struct ipc_port_request *ipc_port_request_alloc(ipc_space_t space, mach_port_name_t name,
		    mach_msg_id_t kind, ipc_port_t soright);
void		ipc_port_request_free(struct ipc_port_request *req);

/* ip_reference, ip_release: plain references. */
void		ip_reference(ipc_port_t port);
void		ip_release(ipc_port_t port);

/* ipc_port_free: called by io_release on the last reference. */
void		ipc_port_free(ipc_port_t port);

/*
 * ipc_port_check_circularity: would sending port's receive right to dest
 * put port inside its own queue (dest is port, or is in transit, directly or
 * through others, inside port)? Lock held.
 */
boolean_t	ipc_port_check_circularity(ipc_port_t port, ipc_port_t dest);


#endif /* MACH_IPC_IPC_PORT_H */
