/*
 * mach/mach_port.h - the mach_port_* calls (XNU's names and arguments).
 *
 * Each names the task whose space it works on (usually mach_task_self();
 * another task's port gives power over that task's names) and returns a
 * kern_return_t: KERN_INVALID_TASK for a task argument that is not a task
 * port, KERN_INVALID_NAME for a name that denotes nothing, KERN_INVALID_RIGHT
 * for a name that does not hold the right the call needs, KERN_INVALID_VALUE
 * for a bad right, delta or disposition. Those with a trap of their own go
 * straight to it; the rest are messages to the task port.
 */

#ifndef _MACH_MACH_PORT_H_
#define _MACH_MACH_PORT_H_

#include <mach/mach_types.h>
#include <mach/message.h>

kern_return_t	mach_port_allocate(ipc_space_t task, mach_port_right_t right,
		    mach_port_name_t *name);
kern_return_t	mach_port_destroy(ipc_space_t task, mach_port_name_t name);
kern_return_t	mach_port_deallocate(ipc_space_t task, mach_port_name_t name);
kern_return_t	mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
		    mach_port_right_t right, mach_port_delta_t delta);
kern_return_t	mach_port_move_member(ipc_space_t task, mach_port_name_t member,
		    mach_port_name_t after);
kern_return_t	mach_port_insert_member(ipc_space_t task, mach_port_name_t name,
		    mach_port_name_t pset);
kern_return_t	mach_port_extract_member(ipc_space_t task, mach_port_name_t name,
		    mach_port_name_t pset);
kern_return_t	mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
		    mach_port_t poly, mach_msg_type_name_t polyPoly);
kern_return_t	mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
		    mach_port_flavor_t flavor, mach_port_info_t port_info_out,
		    mach_msg_type_number_t *port_info_outCnt);
kern_return_t	mach_port_type(ipc_space_t task, mach_port_name_t name,
		    mach_port_type_t *ptype);
kern_return_t	mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
		    mach_msg_id_t msgid, mach_port_mscount_t sync, mach_port_t notify,
		    mach_msg_type_name_t notifyPoly, mach_port_t *previous);

/* Through the task port's interface (mach/mach_port.defs): */
kern_return_t	mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
		    mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
		    mach_msg_type_number_t *typesCnt);
kern_return_t	mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
		    mach_port_right_t right, mach_port_urefs_t *refs);
kern_return_t	mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
		    mach_port_mscount_t mscount);
kern_return_t	mach_port_get_set_status(ipc_space_t task, mach_port_name_t name,
		    mach_port_name_array_t *members, mach_msg_type_number_t *membersCnt);
kern_return_t	mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
		    mach_msg_type_name_t msgt_name, mach_port_t *poly,
		    mach_msg_type_name_t *polyPoly);
kern_return_t	mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
		    mach_port_seqno_t seqno);
kern_return_t	mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
		    mach_port_flavor_t flavor, mach_port_info_t port_info,
		    mach_msg_type_number_t port_infoCnt);

/* The traps themselves. */
kern_return_t	_kernelrpc_mach_port_request_notification_trap(mach_port_name_t target,
		    mach_port_name_t name, mach_msg_id_t msgid, mach_port_mscount_t sync,
		    mach_port_name_t notify, mach_msg_type_name_t notifyPoly,
		    mach_port_name_t *previous);

#endif /* _MACH_MACH_PORT_H_ */
