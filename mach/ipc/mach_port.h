/*
 * mach_port.h - the mach_port_* calls: what a task may do with the names
 * of a space it holds the task port of (XNU's ipc/mach_port.c).
 *
 * Each takes the space (from the task port named in the call), checks its
 * arguments, and works under the IPC lock. The traps (_kernelrpc_*) are
 * the fast way in for the calls XNU gives traps; the rest come through
 * the task port's interface (mach/mach_port.defs).
 */

#ifndef MACH_IPC_MACH_PORT_H
#define MACH_IPC_MACH_PORT_H

#include "mach/ipc/ipc_types.h"
#include "mach/kern_return.h"
#include "mach/message.h"

kern_return_t	mach_port_allocate(ipc_space_t space, mach_port_right_t right,
		    mach_port_name_t *namep);
kern_return_t	mach_port_allocate_name(ipc_space_t space, mach_port_right_t right,
		    mach_port_name_t name);
kern_return_t	mach_port_destroy(ipc_space_t space, mach_port_name_t name);
kern_return_t	mach_port_deallocate(ipc_space_t space, mach_port_name_t name);
kern_return_t	mach_port_mod_refs(ipc_space_t space, mach_port_name_t name,
		    mach_port_right_t right, mach_port_delta_t delta);
kern_return_t	mach_port_get_refs(ipc_space_t space, mach_port_name_t name,
		    mach_port_right_t right, mach_port_urefs_t *refsp);
kern_return_t	mach_port_type(ipc_space_t space, mach_port_name_t name,
		    mach_port_type_t *typep);
kern_return_t	mach_port_move_member(ipc_space_t space, mach_port_name_t member,
		    mach_port_name_t after);
kern_return_t	mach_port_insert_member(ipc_space_t space, mach_port_name_t name,
		    mach_port_name_t pset);
kern_return_t	mach_port_extract_member(ipc_space_t space, mach_port_name_t name,
		    mach_port_name_t pset);
/*
 * mach_port_insert_right: put port (a right the kernel holds, of type
 * msgt_name, consumed on success) into space under name.
 */
kern_return_t	mach_port_insert_right(ipc_space_t space, mach_port_name_t name,
		    ipc_port_t port, mach_msg_type_name_t msgt_name);
/* mach_port_extract_right: take a right out of space, as copyin would. */
kern_return_t	mach_port_extract_right(ipc_space_t space, mach_port_name_t name,
		    mach_msg_type_name_t msgt_name, ipc_port_t *portp,
		    mach_msg_type_name_t *typep);
kern_return_t	mach_port_get_attributes(ipc_space_t space, mach_port_name_t name,
		    int flavor, integer_t *info, mach_msg_type_number_t *countp);
kern_return_t	mach_port_set_attributes(ipc_space_t space, mach_port_name_t name,
		    int flavor, integer_t *info, mach_msg_type_number_t count);
/* mach_port_set_mscount, mach_port_set_seqno: a receive right's counters. */
kern_return_t	mach_port_set_mscount(ipc_space_t space, mach_port_name_t name,
		    mach_port_mscount_t mscount);
kern_return_t	mach_port_set_seqno(ipc_space_t space, mach_port_name_t name,
		    mach_port_seqno_t seqno);
/*
 * mach_port_request_notification: arm (notify a send-once right the caller
 * gives, consumed) or disarm (IP_NULL) a notification on name; *previousp
 * gets the send-once right of the request it replaces.
 */
kern_return_t	mach_port_request_notification(ipc_space_t space, mach_port_name_t name,
		    mach_msg_id_t id, mach_port_mscount_t sync, ipc_port_t notify,
		    ipc_port_t *previousp);
/*
 * mach_port_names: every name in space and its type, as two arrays of
 * *namesCnt (== *typesCnt) 32-bit words, each a vm_map_copy (in the
 * pointer's place) for the reply to carry out of line, as XNU's.
 */
kern_return_t	mach_port_names(ipc_space_t space, mach_port_name_array_t *namesp,
		    mach_msg_type_number_t *namesCnt, mach_port_type_array_t *typesp,
		    mach_msg_type_number_t *typesCnt);
/* mach_port_get_set_status: the members of port set name, the same way. */
kern_return_t	mach_port_get_set_status(ipc_space_t space, mach_port_name_t name,
		    mach_port_name_array_t *membersp, mach_msg_type_number_t *membersCnt);

#endif /* MACH_IPC_MACH_PORT_H */
