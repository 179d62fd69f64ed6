/*
 * ipc_kmsg.h - messages inside the kernel.
 *
 * A kmsg holds one message in the kernel layout of mach/message.h: the
 * header's ports are port pointers, each carrying the right its
 * disposition bits name (MACH_MSG_TYPE_PORT_*), and a complex message's
 * descriptors hold port pointers (and arrays of them) in place of names.
 * Everything after the header has the same size in both layouts, so the
 * kernel message is the user message plus the 8 bytes the header grows by.
 *
 * Copyin (sending) takes the user's bytes, then under the IPC lock turns
 * names into rights, moving them out of the sender's space; copyout
 * (receiving) turns them back into names in the receiver's space. A kmsg
 * owns every right in it: destroying it (a dead port's queue, a failed
 * receive) releases them, with their notifications.
 *
 * The trailer is filled in at send time (who sent it) and completed at
 * receive (the sequence number).
 */

#ifndef MACH_IPC_IPC_KMSG_H
#define MACH_IPC_IPC_KMSG_H

#include "libkern/queue.h"
#include "mach/ipc/ipc_types.h"
#include "mach/boolean.h"
#include "mach/kern/kern_types.h"
#include "mach/vm_types.h"
#include "mach/message.h"

/* How much larger a message is in the kernel than in user space. */
#define IKM_HEADER_GROWTH	(sizeof(mach_msg_header_t) - sizeof(mach_msg_user_header_t))

/*
 * Messages up to IKM_SAVED_MSG_SIZE bytes (kernel layout) live in kmsgs of
 * one size from their own zone, ipc.kmsgs (XNU's ipc_kmsg_zone): a send
 * and its receive then allocate and free without kalloc's size classes
 * or the checks kfree makes to find the zone. Larger ones come from kalloc.
 * Each CPU keeps the last such kmsg freed on it (processor->ikm_cache, as
 * XNU's ikm_cache did) for the next one allocated there, so that an RPC's
 * request and reply make no zone call at all.
 */
#define IKM_SAVED_MSG_SIZE	256

/* What the kmsg's port fields hold now. */
#define IKM_NAMES	0	/* the sender's names (after ipc_kmsg_get) */
#define IKM_RIGHTS	1	/* rights the kmsg owns (after copyin) */
#define IKM_COPIED_OUT	2	/* the receiver's names (after copyout) */

struct ipc_kmsg {
	TAILQ_ENTRY(ipc_kmsg)	ikm_link;	/* [L] on a port's queue */
	int			ikm_state;	/* IKM_* */
	mach_msg_size_t		ikm_alloc;	/* bytes allocated at ikm_header */
	mach_msg_size_t		ikm_user_size;	/* msgh_size in the user layout */
	mach_msg_max_trailer_t	ikm_trailer;
	mach_msg_header_t	*ikm_header;	/* the message, kernel layout */
};

/* ipc_kmsg_init: the zone of small kmsgs. */
void		ipc_kmsg_init(void);

/*
 * ipc_kmsg_count: kmsgs allocated and not yet freed (leak checks); the
 * free ones the CPUs keep are not counted. ipc_kmsg_cached: how many
 * those are, each an element of ipc.kmsgs in use (leak checks of the
 * zones subtract them).
 */
uint32_t	ipc_kmsg_count(void);
uint32_t	ipc_kmsg_cached(void);
/* ipc_kmsg_collect: give the kmsgs the CPUs keep back to the zone. */
void		ipc_kmsg_collect(void);

/*
 * ipc_kmsg_alloc: room for a message of user_size bytes in the user layout
 * (header included). IKM_NULL if memory ran out. Lock not needed.
 */
ipc_kmsg_t	ipc_kmsg_alloc(mach_msg_size_t user_size);
/* ipc_kmsg_free: the memory only; the rights in it must be gone. */
void		ipc_kmsg_free(ipc_kmsg_t kmsg);

/*
 * ipc_kmsg_get: copy in a user message of send_size bytes from msg_addr
 * into a new kmsg, in the kernel layout but with names still in place.
 * MACH_SEND_MSG_TOO_SMALL, MACH_SEND_TOO_LARGE, MACH_SEND_INVALID_DATA
 * (unreadable), MACH_SEND_NO_BUFFER. Lock not held.
 */
mach_msg_return_t ipc_kmsg_get(user_addr_t msg_addr, mach_msg_size_t send_size,
		    ipc_kmsg_t *kmsgp);

/*
 * ipc_kmsg_copyin: turn the names of a kmsg from ipc_kmsg_get into rights
 * taken from space (and out-of-line data from map). On failure nothing
 * the sender held was lost: rights already taken are given back. Lock held.
 */
mach_msg_return_t ipc_kmsg_copyin(ipc_kmsg_t kmsg, ipc_space_t space, vm_map_t map,
		    mach_msg_option_t option);

/*
 * ipc_kmsg_copyout: turn the rights of a received kmsg into names in
 * space. On a shortage of names, the rights that did not fit are
 * destroyed and their names read MACH_PORT_NULL; the return says so
 * (MACH_RCV_HEADER_ERROR or MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE).
 * Lock held.
 */
mach_msg_return_t ipc_kmsg_copyout(ipc_kmsg_t kmsg, ipc_space_t space, vm_map_t map,
		    mach_msg_option_t option);

/*
 * ipc_kmsg_put: write a copied-out kmsg to the user's buffer at msg_addr,
 * with the trailer option asks for if trailer, then free it.
 * MACH_RCV_INVALID_DATA if the buffer is not writable. Lock not held.
 */
mach_msg_return_t ipc_kmsg_put(ipc_kmsg_t kmsg, user_addr_t msg_addr,
		    mach_msg_option_t option, boolean_t trailer, mach_msg_size_t *sizep);

/* ipc_kmsg_free_names: free a kmsg that failed copyin (names, no rights). */
void		ipc_kmsg_free_names(ipc_kmsg_t kmsg);

/* ipc_kmsg_destroy: release every right in a kmsg, then free it. Lock held. */
void		ipc_kmsg_destroy(ipc_kmsg_t kmsg);

TAILQ_HEAD(ipc_kmsg_queue, ipc_kmsg);
void		ipc_kmsg_queue_destroy(struct ipc_kmsg_queue *queue);

/* The size of the trailer a receive with option asks for. */
mach_msg_size_t	ipc_kmsg_trailer_size(mach_msg_option_t option);

/* ipc_kmsg_set_sender: fill the trailer's security and audit tokens from task's (task.h). */
void		ipc_kmsg_set_sender(ipc_kmsg_t kmsg, task_t task);

#endif /* MACH_IPC_IPC_KMSG_H */
