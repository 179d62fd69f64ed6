/*
 * mach_port.c - the mach_port_* calls (mach/mach_port.h): a trap where
 * XNU has one, else a message to the task port through the generated
 * stubs (_kernelrpc_mach_port_*, mach_port_internal.h).
 */

#include <mach/mach_port.h>

#include <mach/mach_traps.h>
#include <sys/bsdsyscall.h>

#include "mach_port_internal.h"

kern_return_t
mach_port_allocate(ipc_space_t task, mach_port_right_t right, mach_port_name_t *name)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_allocate, (long)task,
	    (long)right, (long)name);
}

kern_return_t
mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_destroy, (long)task,
	    (long)name);
}

kern_return_t
mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_deallocate, (long)task,
	    (long)name);
}

kern_return_t
mach_port_mod_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
    mach_port_delta_t delta)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_mod_refs, (long)task,
	    (long)name, (long)right, (long)delta);
}

kern_return_t
mach_port_move_member(ipc_space_t task, mach_port_name_t member, mach_port_name_t after)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_move_member, (long)task,
	    (long)member, (long)after);
}

kern_return_t
mach_port_insert_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_insert_member,
	    (long)task, (long)name, (long)pset);
}

kern_return_t
mach_port_extract_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_extract_member,
	    (long)task, (long)name, (long)pset);
}

kern_return_t
mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
    mach_msg_type_name_t polyPoly)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_insert_right, (long)task,
	    (long)name, (long)poly, (long)polyPoly);
}

kern_return_t
mach_port_get_attributes(ipc_space_t task, mach_port_name_t name, mach_port_flavor_t flavor,
    mach_port_info_t port_info_out, mach_msg_type_number_t *port_info_outCnt)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_get_attributes,
	    (long)task, (long)name, (long)flavor, (long)port_info_out, (long)port_info_outCnt);
}

kern_return_t
mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
	return (kern_return_t)__mach_trap(MACH_TRAP_kernelrpc_mach_port_type, (long)task,
	    (long)name, (long)ptype);
}

kern_return_t
mach_port_request_notification(ipc_space_t task, mach_port_name_t name, mach_msg_id_t msgid,
    mach_port_mscount_t sync, mach_port_t notify, mach_msg_type_name_t notifyPoly,
    mach_port_t *previous)
{
	return _kernelrpc_mach_port_request_notification_trap(task, name, msgid, sync, notify,
	    notifyPoly, previous);
}

kern_return_t
mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
    mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
    mach_msg_type_number_t *typesCnt)
{
	return _kernelrpc_mach_port_names(task, names, namesCnt, types, typesCnt);
}

kern_return_t
mach_port_get_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
    mach_port_urefs_t *refs)
{
	return _kernelrpc_mach_port_get_refs(task, name, right, refs);
}

kern_return_t
mach_port_set_mscount(ipc_space_t task, mach_port_name_t name, mach_port_mscount_t mscount)
{
	return _kernelrpc_mach_port_set_mscount(task, name, mscount);
}

kern_return_t
mach_port_get_set_status(ipc_space_t task, mach_port_name_t name,
    mach_port_name_array_t *members, mach_msg_type_number_t *membersCnt)
{
	return _kernelrpc_mach_port_get_set_status(task, name, members, membersCnt);
}

kern_return_t
mach_port_extract_right(ipc_space_t task, mach_port_name_t name, mach_msg_type_name_t msgt_name,
    mach_port_t *poly, mach_msg_type_name_t *polyPoly)
{
	return _kernelrpc_mach_port_extract_right(task, name, msgt_name, poly, polyPoly);
}

kern_return_t
mach_port_set_seqno(ipc_space_t task, mach_port_name_t name, mach_port_seqno_t seqno)
{
	return _kernelrpc_mach_port_set_seqno(task, name, seqno);
}

kern_return_t
mach_port_set_attributes(ipc_space_t task, mach_port_name_t name, mach_port_flavor_t flavor,
    mach_port_info_t port_info, mach_msg_type_number_t port_infoCnt)
{
	return _kernelrpc_mach_port_set_attributes(task, name, flavor, port_info, port_infoCnt);
}
