/*
 * ipc_right.h - the rights a space's names hold, and moving them in and
 * out of messages.
 *
 * A right leaves a space (copyin) as a right the kernel holds: an object
 * pointer carrying one reference, counted in the port's ip_srights or
 * ip_sorights as a send or send-once right, or, for a receive right, with
 * the port marked in transit. It enters a space (copyout) from one. The
 * dispositions of mach/message.h say what copyin does:
 *
 *	MOVE_RECEIVE	the receive right leaves (its name keeps any send right)
 *	MOVE_SEND	one user reference of the send right leaves
 *	COPY_SEND	a new send right; the name keeps its own
 *	MAKE_SEND	a new send right, made from the receive right
 *	MOVE_SEND_ONCE	the send-once right leaves
 *	MAKE_SEND_ONCE	a new send-once right, from the receive right
 *
 * and the right arriving in a space is MACH_MSG_TYPE_PORT_RECEIVE, _SEND or
 * _SEND_ONCE. Send and receive rights to one port share one name in a
 * space; each send-once right has a name of its own. A send right to a port
 * that died is copied out as MACH_PORT_DEAD, and a name whose port died
 * reads as a dead name from then on.
 *
 * All of these are called with the IPC lock held.
 */

#ifndef MACH_IPC_IPC_RIGHT_H
#define MACH_IPC_IPC_RIGHT_H

#include "mach/ipc/ipc_entry.h"
#include "mach/ipc/ipc_types.h"
#include "mach/kern_return.h"
#include "mach/message.h"

/*
 * ipc_right_lookup: name's entry in space, turning a send or send-once
 * right to a dead port into a dead name first. KERN_INVALID_TASK for an
 * inactive space, KERN_INVALID_NAME if the name denotes nothing.
 */
kern_return_t	ipc_right_lookup(ipc_space_t space, mach_port_name_t name,
		    struct ipc_entry **entryp);

/* ipc_right_dealloc: mach_port_deallocate: one user reference of a send, send-once or dead-name right. */
kern_return_t	ipc_right_dealloc(ipc_space_t space, mach_port_name_t name);

/* ipc_right_destroy: mach_port_destroy: every right the name holds. */
kern_return_t	ipc_right_destroy(ipc_space_t space, mach_port_name_t name);

/* ipc_right_delta: mach_port_mod_refs. */
kern_return_t	ipc_right_delta(ipc_space_t space, mach_port_name_t name,
		    mach_port_right_t right, mach_port_delta_t delta);

/* ipc_right_info: mach_port_type and the user references of a right (mach_port_get_refs). */
kern_return_t	ipc_right_info(ipc_space_t space, mach_port_name_t name,
		    mach_port_type_t *typep, mach_port_urefs_t *urefsp);

/*
 * ipc_right_copyin_check: could name be copied in with msgt_name?
 * (Nothing changes.)
 */
boolean_t	ipc_right_copyin_check(ipc_space_t space, mach_port_name_t name,
		    mach_msg_type_name_t msgt_name);

/*
 * ipc_right_copyin: take a right out of space by disposition msgt_name,
 * giving the object (IO_DEAD for a dead name where the disposition allows
 * one: a send right copied or moved from a dead name). KERN_INVALID_NAME,
 * KERN_INVALID_RIGHT (the name does not hold what the disposition needs),
 * KERN_INVALID_CAPABILITY (a bad disposition).
 */
kern_return_t	ipc_right_copyin(ipc_space_t space, mach_port_name_t name,
		    mach_msg_type_name_t msgt_name, ipc_object_t *objectp);

/*
 * ipc_object_copyout: put a right the kernel holds (msgt_name is the
 * resulting MACH_MSG_TYPE_PORT_*) into space, giving its name there; it
 * is consumed. A send or send-once right to a dead port comes out as
 * MACH_PORT_DEAD. KERN_NO_SPACE or KERN_RESOURCE_SHORTAGE if no entry
 * could be had (the right stays the caller's), KERN_INVALID_TASK for an
 * inactive space.
 */
kern_return_t	ipc_object_copyout(ipc_space_t space, ipc_object_t object,
		    mach_msg_type_name_t msgt_name, mach_port_name_t *namep);

/*
 * ipc_object_copyout_name: the same, under exactly name (mach_port_insert_right):
 * KERN_NAME_EXISTS if name holds something else, KERN_RIGHT_EXISTS if the
 * port already has another name in space, KERN_INVALID_CAPABILITY for a
 * dead port.
 */
kern_return_t	ipc_object_copyout_name(ipc_space_t space, ipc_object_t object,
		    mach_msg_type_name_t msgt_name, mach_port_name_t name);

/* ipc_object_destroy: a right the kernel holds goes (its notifications follow). */
void		ipc_object_destroy(ipc_object_t object, mach_msg_type_name_t msgt_name);

/*
 * ipc_right_copyin_undo: take back a copyin by disposition msgt_name that
 * the caller cannot complete: a right made or copied for it (MAKE_*,
 * COPY_SEND) is unmade without a trace (no notification, the make-send
 * count restored); a right moved out (MOVE_*) goes back into space under
 * name, which it came from (nothing else can have taken it meanwhile: the
 * IPC lock was held throughout).
 */
void		ipc_right_copyin_undo(ipc_space_t space, mach_port_name_t name,
		    ipc_object_t object, mach_msg_type_name_t msgt_name);

/* ipc_object_copyin_type: the right a disposition yields (MACH_MSG_TYPE_PORT_*), 0 if none. */
mach_msg_type_name_t ipc_object_copyin_type(mach_msg_type_name_t msgt_name);

/*
 * ipc_right_dnrequest: arm a dead-name (or send-possible) request on name,
 * which must hold a send, send-once or dead-name right; notify is a
 * send-once right (consumed). *previousp gets the request it replaces
 * (IP_NULL if none). A dead name's request fires at once.
 */
kern_return_t	ipc_right_request(ipc_space_t space, mach_port_name_t name,
		    mach_msg_id_t kind, ipc_port_t notify, ipc_port_t *previousp);

/*
 * ipc_right_dead_name_fire: port died with req armed: the name in req's
 * space becomes a dead name with one more user reference, which the
 * notification (sent to req's send-once right) carries.
 */
struct ipc_port_request;
void		ipc_right_dead_name_fire(ipc_port_t port, struct ipc_port_request *req);

#endif /* MACH_IPC_IPC_RIGHT_H */
