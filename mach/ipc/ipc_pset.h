/*
 * ipc_pset.h - port sets: many receive rights, one place to receive from.
 *
 * A port set is named in one space and holds ports whose receive rights
 * are in that same space. A receive from the set takes the first message
 * of any member (members are scanned in the order they joined); receivers
 * waiting on the set are woken by a message arriving at any member. A
 * port leaves its set when its receive right leaves the space, when it
 * dies, or when it is moved to another set or to none
 * (mach_port_move_member). Destroying the set frees its members, not
 * destroys them.
 *
 * Locks: the IPC lock (ipc_object.h).
 */

#ifndef MACH_IPC_IPC_PSET_H
#define MACH_IPC_IPC_PSET_H

#include "libkern/queue.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"

struct ipc_pset {
	struct ipc_object	ips_object;
	ipc_space_t		ips_space;	/* the space that names it */
	mach_port_name_t	ips_name;
	TAILQ_HEAD(, ipc_port)	ips_members;
	uint32_t		ips_rcv_waiters;
};

#define ips_active(pset)	io_active(&(pset)->ips_object)

void		ipc_pset_init(void);
uint32_t	ipc_pset_count(void);

/*
 * ipc_pset_alloc: a new, empty set named in space under name (MACH_PORT_NULL:
 * a new one, given in *namep). KERN_NO_SPACE, KERN_RESOURCE_SHORTAGE,
 * KERN_NAME_EXISTS.
 */
kern_return_t	ipc_pset_alloc(ipc_space_t space, mach_port_name_t name, mach_port_name_t *namep,
		    ipc_pset_t *psetp);

/* ipc_pset_add / ipc_pset_remove: port joins or leaves (it must be in pset's space). */
void		ipc_pset_add(ipc_pset_t pset, ipc_port_t port);
void		ipc_pset_remove(ipc_port_t port);

/* ipc_pset_destroy: the set's name is gone: members leave, waiters wake. */
void		ipc_pset_destroy(ipc_pset_t pset);

/* ipc_pset_first_message: the first member (in joining order) with a message queued, or IP_NULL. */
ipc_port_t	ipc_pset_first_message(ipc_pset_t pset);

void		ipc_pset_free(ipc_pset_t pset);

#endif /* MACH_IPC_IPC_PSET_H */
