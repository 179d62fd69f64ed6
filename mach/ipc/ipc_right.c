/*
 * ipc_right.c - rights held under names, and their copyin and copyout
 * (ipc_right.h). Every function here runs with the IPC lock held.
 */

#include "mach/ipc/ipc_right.h"

#include "libkern/assert.h"
#include "libkern/panic.h"
#include "mach/ipc/ipc_notify.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_pset.h"
#include "mach/ipc/ipc_space.h"
#include "mach/notify.h"

#define TYPE_PORT_RIGHTS	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)

/* Cancel a dead-name request armed on (space, name) for port: port-deleted. */
static void
dnrequest_cancel(ipc_space_t space, mach_port_name_t name, ipc_port_t port)
{
	struct ipc_port_request **link = &port->ip_requests;
	struct ipc_port_request *req;

	while ((req = *link) != NULL) {
		if (req->ipr_space == space && req->ipr_name == name) {
			*link = req->ipr_next;
			if (req->ipr_kind == MACH_NOTIFY_DEAD_NAME)
				ipc_notify_port_deleted(req->ipr_soright, name);
			else
				ipc_port_release_sonce(req->ipr_soright);
			ipc_port_request_free(req);
			continue;
		}
		link = &req->ipr_next;
	}
}

/* Free name's entry: out of the hash, requests cancelled. Its reference is the caller's. */
static void
entry_free(ipc_space_t space, mach_port_name_t name, struct ipc_entry *e)
{
	ipc_port_t port = e->ie_object;

	if (e->ie_bits & TYPE_PORT_RIGHTS)
		ipc_hash_delete(&space->is_table, name);
	if ((e->ie_bits & (MACH_PORT_TYPE_SEND_RIGHTS)) && port != IP_NULL &&
	    port->ip_requests != NULL)
		dnrequest_cancel(space, name, port);
	ipc_entry_dealloc(&space->is_table, name);
}

/* A send or send-once right to a dead port reads as a dead name. */
static void
entry_check_dead(ipc_space_t space, mach_port_name_t name, struct ipc_entry *e)
{
	ipc_port_t port = e->ie_object;
	mach_port_urefs_t urefs;

	if ((e->ie_bits & MACH_PORT_TYPE_SEND_RIGHTS) == 0 || ip_active(port))
		return;
	assert((e->ie_bits & MACH_PORT_TYPE_RECEIVE) == 0);
	urefs = (e->ie_bits & MACH_PORT_TYPE_SEND_ONCE) ? 1 : IE_BITS_UREFS(e->ie_bits);
	if (e->ie_bits & MACH_PORT_TYPE_SEND) {
		ipc_hash_delete(&space->is_table, name);
		port->ip_srights--;
	} else {
		port->ip_sorights--;
	}
	e->ie_object = NULL;
	e->ie_bits = MACH_PORT_TYPE_DEAD_NAME | urefs;
	e->ie_dnrequest = 0;
	ip_release(port);
}

kern_return_t
ipc_right_lookup(ipc_space_t space, mach_port_name_t name, struct ipc_entry **entryp)
{
	struct ipc_entry *e;

	if (space == IS_NULL || !is_active(space) || space == ipc_space_kernel)
		return KERN_INVALID_TASK;
	e = ipc_entry_lookup(&space->is_table, name);
	if (e == NULL)
		return KERN_INVALID_NAME;
	entry_check_dead(space, name, e);
	*entryp = e;
	return KERN_SUCCESS;
}

/* The name gives up its send right (its last user reference). */
static void
send_right_gone(ipc_space_t space, mach_port_name_t name, struct ipc_entry *e)
{
	ipc_port_t port = e->ie_object;

	if (e->ie_bits & MACH_PORT_TYPE_RECEIVE) {
		e->ie_bits = MACH_PORT_TYPE_RECEIVE;
		if (port->ip_requests != NULL)
			dnrequest_cancel(space, name, port);
		ip_reference(port);		/* the entry keeps its own */
	} else {
		entry_free(space, name, e);
	}
	ipc_port_release_send(port);
}

static void
sonce_right_gone(ipc_space_t space, mach_port_name_t name, struct ipc_entry *e)
{
	ipc_port_t port = e->ie_object;

	entry_free(space, name, e);
	ipc_port_release_sonce(port);
}

/* The name gives up its receive right: the port is destroyed. */
static void
receive_right_gone(ipc_space_t space, mach_port_name_t name, struct ipc_entry *e)
{
	ipc_port_t port = e->ie_object;

	if (e->ie_bits & MACH_PORT_TYPE_SEND) {
		e->ie_bits &= ~MACH_PORT_TYPE_RECEIVE;
		ip_reference(port);
	} else {
		entry_free(space, name, e);
	}
	ipc_port_destroy(port);
}

kern_return_t
ipc_right_dealloc(ipc_space_t space, mach_port_name_t name)
{
	struct ipc_entry *e;
	kern_return_t kr;

	if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return kr;
	if (e->ie_bits & MACH_PORT_TYPE_DEAD_NAME) {
		if (IE_BITS_UREFS(e->ie_bits) <= 1)
			entry_free(space, name, e);
		else
			e->ie_bits--;
		return KERN_SUCCESS;
	}
	if (e->ie_bits & MACH_PORT_TYPE_SEND_ONCE) {
		sonce_right_gone(space, name, e);
		return KERN_SUCCESS;
	}
	if (e->ie_bits & MACH_PORT_TYPE_SEND) {
		if (IE_BITS_UREFS(e->ie_bits) > 1)
			e->ie_bits--;
		else
			send_right_gone(space, name, e);
		return KERN_SUCCESS;
	}
	return KERN_INVALID_RIGHT;
}

kern_return_t
ipc_right_destroy(ipc_space_t space, mach_port_name_t name)
{
	struct ipc_entry *e;
	kern_return_t kr;
	ipc_port_t port;
	uint32_t bits;

	if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return kr;
	bits = e->ie_bits;
	if (bits & MACH_PORT_TYPE_PORT_SET) {
		ipc_pset_t pset = e->ie_object;

		entry_free(space, name, e);
		ipc_pset_destroy(pset);
	} else if (bits & MACH_PORT_TYPE_DEAD_NAME) {
		entry_free(space, name, e);
	} else if (bits & MACH_PORT_TYPE_SEND_ONCE) {
		sonce_right_gone(space, name, e);
	} else {
		port = e->ie_object;
		entry_free(space, name, e);
		if ((bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)) == TYPE_PORT_RIGHTS)
			ip_reference(port);	/* one for each right below */
		if (bits & MACH_PORT_TYPE_RECEIVE)
			ipc_port_destroy(port);
		if (bits & MACH_PORT_TYPE_SEND)
			ipc_port_release_send(port);
	}
	return KERN_SUCCESS;
}

kern_return_t
ipc_right_delta(ipc_space_t space, mach_port_name_t name, mach_port_right_t right,
    mach_port_delta_t delta)
{
	struct ipc_entry *e;
	kern_return_t kr;
	uint32_t urefs;

	if (right >= MACH_PORT_RIGHT_NUMBER || right == MACH_PORT_RIGHT_LABELH)
		return KERN_INVALID_VALUE;
	if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return kr;
	urefs = IE_BITS_UREFS(e->ie_bits);

	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
	case MACH_PORT_RIGHT_PORT_SET:
	case MACH_PORT_RIGHT_SEND_ONCE:
		if ((e->ie_bits & MACH_PORT_TYPE(right)) == 0)
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		if (right == MACH_PORT_RIGHT_RECEIVE)
			receive_right_gone(space, name, e);
		else if (right == MACH_PORT_RIGHT_SEND_ONCE)
			sonce_right_gone(space, name, e);
		else
			(void)ipc_right_destroy(space, name);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_SEND:
	case MACH_PORT_RIGHT_DEAD_NAME:
		if ((e->ie_bits & MACH_PORT_TYPE(right)) == 0)
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta < 0 && (uint32_t)-delta > urefs)
			return KERN_INVALID_VALUE;
		if (delta > 0 && urefs + (uint32_t)delta > MACH_PORT_UREFS_MAX)
			return KERN_UREFS_OVERFLOW;
		if ((int64_t)urefs + delta == 0) {
			if (right == MACH_PORT_RIGHT_SEND)
				send_right_gone(space, name, e);
			else
				entry_free(space, name, e);
		} else {
			e->ie_bits = (e->ie_bits & ~IE_BITS_UREFS_MASK) |
			    (uint32_t)((int64_t)urefs + delta);
		}
		return KERN_SUCCESS;

	default:
		return KERN_INVALID_VALUE;
	}
}

kern_return_t
ipc_right_info(ipc_space_t space, mach_port_name_t name, mach_port_type_t *typep,
    mach_port_urefs_t *urefsp)
{
	struct ipc_entry *e;
	kern_return_t kr;

	if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return kr;
	*typep = IE_BITS_TYPE(e->ie_bits) | (e->ie_dnrequest ? MACH_PORT_TYPE_DNREQUEST : 0);
	*urefsp = IE_BITS_UREFS(e->ie_bits);
	return KERN_SUCCESS;
}

void
ipc_right_copyin_undo(ipc_space_t space, mach_port_name_t name, ipc_object_t object,
    mach_msg_type_name_t msgt_name)
{
	ipc_port_t port = (ipc_port_t)object;
	mach_msg_type_name_t type = ipc_object_copyin_type(msgt_name);
	mach_port_name_t got;

	if (!IO_VALID(object))
		return;
	switch (msgt_name) {
	case MACH_MSG_TYPE_MAKE_SEND:
		port->ip_mscount--;
		port->ip_srights--;
		ip_release(port);
		return;
	case MACH_MSG_TYPE_COPY_SEND:
		port->ip_srights--;
		ip_release(port);
		return;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		port->ip_sorights--;
		ip_release(port);
		return;
	default:
		if (port->ip_destination != IP_NULL && type == MACH_MSG_TYPE_PORT_RECEIVE) {
			ip_release(port->ip_destination);
			port->ip_destination = IP_NULL;
		}
		/* Its old name if that is free (the entry went with the right), else merged. */
		if (ipc_entry_lookup(&space->is_table, name) == NULL &&
		    ipc_object_copyout_name(space, object, type, name) == KERN_SUCCESS)
			return;
		if (ipc_object_copyout(space, object, type, &got) != KERN_SUCCESS)
			ipc_object_destroy(object, type);
		return;
	}
}

mach_msg_type_name_t
ipc_object_copyin_type(mach_msg_type_name_t msgt_name)
{
	switch (msgt_name) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	default:
		return 0;
	}
}

boolean_t
ipc_right_copyin_check(ipc_space_t space, mach_port_name_t name, mach_msg_type_name_t msgt_name)
{
	struct ipc_entry *e;
	uint32_t bits;

	if (ipc_right_lookup(space, name, &e) != KERN_SUCCESS)
		return FALSE;
	bits = e->ie_bits;
	switch (msgt_name) {
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return (bits & MACH_PORT_TYPE_RECEIVE) != 0;
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		return (bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DEAD_NAME)) != 0;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return (bits & (MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DEAD_NAME)) != 0;
	default:
		return FALSE;
	}
}

/* Take one user reference of a dead name for a right moved out of it. */
static void
dead_name_use(ipc_space_t space, mach_port_name_t name, struct ipc_entry *e, boolean_t move)
{
	if (!move)
		return;
	if (IE_BITS_UREFS(e->ie_bits) <= 1)
		entry_free(space, name, e);
	else
		e->ie_bits--;
}

kern_return_t
ipc_right_copyin(ipc_space_t space, mach_port_name_t name, mach_msg_type_name_t msgt_name,
    ipc_object_t *objectp)
{
	struct ipc_entry *e;
	kern_return_t kr;
	ipc_port_t port;
	uint32_t bits;

	if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return kr;
	bits = e->ie_bits;
	port = e->ie_object;

	switch (msgt_name) {
	case MACH_MSG_TYPE_MAKE_SEND:
		if ((bits & MACH_PORT_TYPE_RECEIVE) == 0)
			return KERN_INVALID_RIGHT;
		*objectp = &ipc_port_make_send(port)->ip_object;
		return KERN_SUCCESS;

	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		if ((bits & MACH_PORT_TYPE_RECEIVE) == 0)
			return KERN_INVALID_RIGHT;
		*objectp = &ipc_port_make_sonce(port)->ip_object;
		return KERN_SUCCESS;

	case MACH_MSG_TYPE_MOVE_RECEIVE:
		if ((bits & MACH_PORT_TYPE_RECEIVE) == 0)
			return KERN_INVALID_RIGHT;
		if (port->ip_pset != IPS_NULL)
			ipc_pset_remove(port);
		if (bits & MACH_PORT_TYPE_SEND) {
			e->ie_bits &= ~MACH_PORT_TYPE_RECEIVE;
			ip_reference(port);
		} else {
			entry_free(space, name, e);
		}
		port->ip_receiver = IS_NULL;
		port->ip_receiver_name = MACH_PORT_NULL;
		/* A receiver waiting under the old name finds it gone. */
		ipc_wakeup(&port->ip_messages);
		*objectp = &port->ip_object;
		return KERN_SUCCESS;

	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		if (bits & MACH_PORT_TYPE_DEAD_NAME) {
			dead_name_use(space, name, e, msgt_name == MACH_MSG_TYPE_MOVE_SEND);
			*objectp = IO_DEAD;
			return KERN_SUCCESS;
		}
		if ((bits & MACH_PORT_TYPE_SEND) == 0)
			return KERN_INVALID_RIGHT;
		if (msgt_name == MACH_MSG_TYPE_COPY_SEND || IE_BITS_UREFS(bits) > 1) {
			if (msgt_name == MACH_MSG_TYPE_MOVE_SEND)
				e->ie_bits--;
			*objectp = &ipc_port_copy_send(port)->ip_object;
			return KERN_SUCCESS;
		}
		/* The last user reference: the right itself leaves. */
		if (bits & MACH_PORT_TYPE_RECEIVE) {
			e->ie_bits = MACH_PORT_TYPE_RECEIVE;
			if (port->ip_requests != NULL)
				dnrequest_cancel(space, name, port);
			ip_reference(port);
		} else {
			entry_free(space, name, e);
		}
		*objectp = &port->ip_object;
		return KERN_SUCCESS;

	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (bits & MACH_PORT_TYPE_DEAD_NAME) {
			dead_name_use(space, name, e, TRUE);
			*objectp = IO_DEAD;
			return KERN_SUCCESS;
		}
		if ((bits & MACH_PORT_TYPE_SEND_ONCE) == 0)
			return KERN_INVALID_RIGHT;
		entry_free(space, name, e);
		*objectp = &port->ip_object;
		return KERN_SUCCESS;

	default:
		return KERN_INVALID_CAPABILITY;
	}
}

kern_return_t
ipc_object_copyout(ipc_space_t space, ipc_object_t object, mach_msg_type_name_t msgt_name,
    mach_port_name_t *namep)
{
	ipc_port_t port = (ipc_port_t)object;
	struct ipc_entry *e;
	mach_port_name_t name;
	kern_return_t kr;

	if (object == IO_NULL) {
		*namep = MACH_PORT_NULL;
		return KERN_SUCCESS;
	}
	if (object == IO_DEAD) {
		*namep = MACH_PORT_DEAD;
		return KERN_SUCCESS;
	}
	if (!is_active(space))
		return KERN_INVALID_TASK;

	switch (msgt_name) {
	case MACH_MSG_TYPE_PORT_SEND:
		if (!ip_active(port)) {
			ipc_port_release_send(port);
			*namep = MACH_PORT_DEAD;
			return KERN_SUCCESS;
		}
		name = port->ip_receiver == space ? port->ip_receiver_name :
		    ipc_hash_lookup(&space->is_table, port);
		if (name != MACH_PORT_NULL) {
			e = ipc_entry_lookup(&space->is_table, name);
			assert(e != NULL && e->ie_object == port);
			if (e->ie_bits & MACH_PORT_TYPE_SEND) {
				/* Merged into the name's send right. */
				if (IE_BITS_UREFS(e->ie_bits) < MACH_PORT_UREFS_MAX)
					e->ie_bits++;
				port->ip_srights--;
			} else {
				e->ie_bits |= MACH_PORT_TYPE_SEND | 1;
			}
			ip_release(port);	/* the entry holds one already */
			*namep = name;
			return KERN_SUCCESS;
		}
		kr = ipc_entry_alloc(&space->is_table, &name, &e);
		if (kr != KERN_SUCCESS)
			return kr;
		e->ie_object = port;
		e->ie_bits = MACH_PORT_TYPE_SEND | 1;
		ipc_hash_insert(&space->is_table, name);
		*namep = name;
		return KERN_SUCCESS;

	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		if (!ip_active(port)) {
			port->ip_sorights--;
			ip_release(port);
			*namep = MACH_PORT_DEAD;
			return KERN_SUCCESS;
		}
		kr = ipc_entry_alloc(&space->is_table, &name, &e);
		if (kr != KERN_SUCCESS)
			return kr;
		e->ie_object = port;
		e->ie_bits = MACH_PORT_TYPE_SEND_ONCE | 1;
		*namep = name;
		return KERN_SUCCESS;

	case MACH_MSG_TYPE_PORT_RECEIVE:
		assert(ip_active(port) && port->ip_receiver == IS_NULL);
		name = ipc_hash_lookup(&space->is_table, port);
		if (name != MACH_PORT_NULL) {
			e = ipc_entry_lookup(&space->is_table, name);
			assert(e != NULL);
			e->ie_bits |= MACH_PORT_TYPE_RECEIVE;
			ip_release(port);
		} else {
			kr = ipc_entry_alloc(&space->is_table, &name, &e);
			if (kr != KERN_SUCCESS)
				return kr;
			e->ie_object = port;
			e->ie_bits = MACH_PORT_TYPE_RECEIVE;
			ipc_hash_insert(&space->is_table, name);
		}
		port->ip_receiver = space;
		port->ip_receiver_name = name;
		if (port->ip_destination != IP_NULL) {
			ip_release(port->ip_destination);
			port->ip_destination = IP_NULL;
		}
		*namep = name;
		return KERN_SUCCESS;

	default:
		return KERN_INVALID_CAPABILITY;
	}
}

kern_return_t
ipc_object_copyout_name(ipc_space_t space, ipc_object_t object, mach_msg_type_name_t msgt_name,
    mach_port_name_t name)
{
	ipc_port_t port = (ipc_port_t)object;
	mach_port_name_t existing, got;
	struct ipc_entry *e;
	kern_return_t kr;

	if (!IO_VALID(object) || !ip_active(port))
		return KERN_INVALID_CAPABILITY;
	if (!is_active(space))
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	if (msgt_name == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		if (ipc_entry_lookup(&space->is_table, name) != NULL)
			return KERN_NAME_EXISTS;
		kr = ipc_entry_alloc_name(&space->is_table, name, &e);
		if (kr != KERN_SUCCESS)
			return kr;
		e->ie_object = port;
		e->ie_bits = MACH_PORT_TYPE_SEND_ONCE | 1;
		return KERN_SUCCESS;
	}
	if (msgt_name != MACH_MSG_TYPE_PORT_SEND && msgt_name != MACH_MSG_TYPE_PORT_RECEIVE)
		return KERN_INVALID_CAPABILITY;
	existing = port->ip_receiver == space ? port->ip_receiver_name :
	    ipc_hash_lookup(&space->is_table, port);
	if (existing != MACH_PORT_NULL && existing != name)
		return KERN_RIGHT_EXISTS;
	e = ipc_entry_lookup(&space->is_table, name);
	if (e != NULL && e->ie_object != port)
		return KERN_NAME_EXISTS;
	if (e == NULL) {
		/* A fresh entry under name, then the ordinary copyout finds it. */
		kr = ipc_entry_alloc_name(&space->is_table, name, &e);
		if (kr != KERN_SUCCESS)
			return kr;
		if (msgt_name == MACH_MSG_TYPE_PORT_SEND) {
			e->ie_object = port;
			e->ie_bits = MACH_PORT_TYPE_SEND | 1;
			ipc_hash_insert(&space->is_table, name);
			return KERN_SUCCESS;
		}
		e->ie_object = port;
		e->ie_bits = MACH_PORT_TYPE_RECEIVE;
		ipc_hash_insert(&space->is_table, name);
		port->ip_receiver = space;
		port->ip_receiver_name = name;
		if (port->ip_destination != IP_NULL) {
			ip_release(port->ip_destination);
			port->ip_destination = IP_NULL;
		}
		return KERN_SUCCESS;
	}
	if (msgt_name == MACH_MSG_TYPE_PORT_RECEIVE && (e->ie_bits & MACH_PORT_TYPE_RECEIVE))
		return KERN_RIGHT_EXISTS;
	kr = ipc_object_copyout(space, object, msgt_name, &got);
	assert(kr != KERN_SUCCESS || got == name);
	return kr;
}

void
ipc_object_destroy(ipc_object_t object, mach_msg_type_name_t msgt_name)
{
	ipc_port_t port = (ipc_port_t)object;

	if (!IO_VALID(object))
		return;
	switch (msgt_name) {
	case MACH_MSG_TYPE_PORT_SEND:
		ipc_port_release_send(port);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		ipc_port_release_sonce(port);
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		ipc_port_destroy(port);
		break;
	default:
		panic("ipc_object_destroy: disposition %u", msgt_name);
	}
}

kern_return_t
ipc_right_request(ipc_space_t space, mach_port_name_t name, mach_msg_id_t kind,
    ipc_port_t notify, ipc_port_t *previousp)
{
	struct ipc_port_request *req, **link;
	struct ipc_entry *e;
	kern_return_t kr;
	ipc_port_t port;

	*previousp = IP_NULL;
	if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return kr;
	if (e->ie_bits & MACH_PORT_TYPE_DEAD_NAME) {
		if (kind != MACH_NOTIFY_DEAD_NAME || notify == IP_NULL)
			return kind == MACH_NOTIFY_DEAD_NAME ? KERN_SUCCESS : KERN_INVALID_RIGHT;
		/* Already dead: the notification goes at once, with its reference. */
		if (IE_BITS_UREFS(e->ie_bits) >= MACH_PORT_UREFS_MAX)
			return KERN_UREFS_OVERFLOW;
		e->ie_bits++;
		ipc_notify_dead_name(notify, name);
		return KERN_SUCCESS;
	}
	if ((e->ie_bits & MACH_PORT_TYPE_SEND_RIGHTS) == 0)
		return KERN_INVALID_RIGHT;
	port = e->ie_object;

	for (link = &port->ip_requests; (req = *link) != NULL; link = &req->ipr_next) {
		if (req->ipr_space == space && req->ipr_name == name && req->ipr_kind == kind)
			break;
	}
	if (req != NULL) {
		*previousp = req->ipr_soright;
		if (notify == IP_NULL) {
			*link = req->ipr_next;
			ipc_port_request_free(req);
			if (kind == MACH_NOTIFY_DEAD_NAME)
				e->ie_dnrequest = 0;
		} else {
			req->ipr_soright = notify;
		}
		return KERN_SUCCESS;
	}
	if (notify == IP_NULL)
		return KERN_SUCCESS;
	req = ipc_port_request_alloc(space, name, kind, notify);
	if (req == NULL)
		return KERN_RESOURCE_SHORTAGE;
	req->ipr_next = port->ip_requests;
	port->ip_requests = req;
	if (kind == MACH_NOTIFY_DEAD_NAME)
		e->ie_dnrequest = 1;
	else if (port->ip_msgcount < port->ip_qlimit) {
		/* Send-possible with room already: it fires at once. */
		port->ip_requests = req->ipr_next;
		ipc_notify_send_possible(req->ipr_soright, name);
		ipc_port_request_free(req);
	}
	return KERN_SUCCESS;
}

void
ipc_right_dead_name_fire(ipc_port_t port, struct ipc_port_request *req)
{
	ipc_space_t space = req->ipr_space;
	struct ipc_entry *e;

	if (is_active(space)) {
		e = ipc_entry_lookup(&space->is_table, req->ipr_name);
		if (e != NULL && e->ie_object == port) {
			entry_check_dead(space, req->ipr_name, e);
			if (IE_BITS_UREFS(e->ie_bits) < MACH_PORT_UREFS_MAX)
				e->ie_bits++;
		}
	}
	ipc_notify_dead_name(req->ipr_soright, req->ipr_name);
}
