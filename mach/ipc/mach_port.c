/*
 * mach_port.c - the mach_port_* calls and their traps (mach_port.h).
 */

#include "mach/ipc/mach_port.h"

#include "kernel/copyio.h"
#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_notify.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_pset.h"
#include "mach/ipc/ipc_right.h"
#include "mach/ipc/ipc_space.h"
#include "mach/ipc/ipc_tt.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/task.h"
#include "mach/mach_traps.h"
#include "mach/vm/vm_map_copy.h"
#include "mach/notify.h"

/* A new right of kind right under name (MACH_PORT_NULL: a new name, in *namep). */
static kern_return_t
port_allocate(ipc_space_t space, mach_port_right_t right, mach_port_name_t name,
    mach_port_name_t *namep)
{
	struct ipc_entry *e;
	kern_return_t kr;
	ipc_port_t port;
	ipc_pset_t pset;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	ipc_lock();
	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		kr = ipc_port_alloc(space, name, namep, &port);
		break;
	case MACH_PORT_RIGHT_PORT_SET:
		kr = ipc_pset_alloc(space, name, namep, &pset);
		break;
	case MACH_PORT_RIGHT_DEAD_NAME:
		kr = is_active(space) ? ipc_entry_claim(&space->is_table, name, namep, &e) :
		    KERN_INVALID_TASK;
		if (kr == KERN_SUCCESS)
			e->ie_bits = MACH_PORT_TYPE_DEAD_NAME | 1;
		break;
	default:
		kr = KERN_INVALID_VALUE;
		break;
	}
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_allocate(ipc_space_t space, mach_port_right_t right, mach_port_name_t *namep)
{
	return port_allocate(space, right, MACH_PORT_NULL, namep);
}

kern_return_t
mach_port_allocate_name(ipc_space_t space, mach_port_right_t right, mach_port_name_t name)
{
	mach_port_name_t got;

	if (!MACH_PORT_VALID(name))
		return space == IS_NULL ? KERN_INVALID_TASK : KERN_INVALID_VALUE;
	return port_allocate(space, right, name, &got);
}

kern_return_t
mach_port_destroy(ipc_space_t space, mach_port_name_t name)
{
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_SUCCESS;
	ipc_lock();
	kr = ipc_right_destroy(space, name);
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_deallocate(ipc_space_t space, mach_port_name_t name)
{
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_SUCCESS;
	ipc_lock();
	kr = ipc_right_dealloc(space, name);
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_mod_refs(ipc_space_t space, mach_port_name_t name, mach_port_right_t right,
    mach_port_delta_t delta)
{
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(name))
		return right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_SEND_ONCE ?
		    KERN_SUCCESS : KERN_INVALID_NAME;
	ipc_lock();
	kr = ipc_right_delta(space, name, right, delta);
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_get_refs(ipc_space_t space, mach_port_name_t name, mach_port_right_t right,
    mach_port_urefs_t *refsp)
{
	mach_port_type_t type;
	mach_port_urefs_t urefs;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(name)) {
		if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_SEND_ONCE) {
			*refsp = 0;
			return KERN_SUCCESS;
		}
		return KERN_INVALID_NAME;
	}
	ipc_lock();
	kr = ipc_right_info(space, name, &type, &urefs);
	ipc_unlock();
	if (kr != KERN_SUCCESS)
		return kr;
	if ((type & MACH_PORT_TYPE(right)) == 0)
		*refsp = 0;
	else if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME)
		*refsp = urefs;
	else
		*refsp = 1;
	return KERN_SUCCESS;
}

kern_return_t
mach_port_type(ipc_space_t space, mach_port_name_t name, mach_port_type_t *typep)
{
	mach_port_urefs_t urefs;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (name == MACH_PORT_NULL)
		return KERN_INVALID_NAME;
	if (name == MACH_PORT_DEAD) {
		*typep = MACH_PORT_TYPE_DEAD_NAME;
		return KERN_SUCCESS;
	}
	ipc_lock();
	kr = ipc_right_info(space, name, typep, &urefs);
	ipc_unlock();
	return kr;
}

/* The receive right name and the set pset_name (MACH_PORT_NULL: none), looked up. */
static kern_return_t
member_lookup(ipc_space_t space, mach_port_name_t name, mach_port_name_t pset_name,
    ipc_port_t *portp, ipc_pset_t *psetp)
{
	struct ipc_entry *e;
	kern_return_t kr;

	if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return kr;
	if ((e->ie_bits & MACH_PORT_TYPE_RECEIVE) == 0)
		return KERN_INVALID_RIGHT;
	*portp = e->ie_object;
	*psetp = IPS_NULL;
	if (pset_name == MACH_PORT_NULL)
		return KERN_SUCCESS;
	if ((kr = ipc_right_lookup(space, pset_name, &e)) != KERN_SUCCESS)
		return kr;
	if ((e->ie_bits & MACH_PORT_TYPE_PORT_SET) == 0)
		return KERN_INVALID_RIGHT;
	*psetp = e->ie_object;
	return KERN_SUCCESS;
}

kern_return_t
mach_port_move_member(ipc_space_t space, mach_port_name_t member, mach_port_name_t after)
{
	ipc_port_t port;
	ipc_pset_t pset;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	ipc_lock();
	kr = member_lookup(space, member, after, &port, &pset);
	if (kr == KERN_SUCCESS) {
		if (after == MACH_PORT_NULL && port->ip_pset == IPS_NULL)
			kr = KERN_NOT_IN_SET;
		else if (port->ip_pset != pset) {
			ipc_pset_remove(port);
			if (pset != IPS_NULL)
				ipc_pset_add(pset, port);
		}
	}
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_insert_member(ipc_space_t space, mach_port_name_t name, mach_port_name_t pset_name)
{
	ipc_port_t port;
	ipc_pset_t pset;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(pset_name))
		return KERN_INVALID_RIGHT;
	ipc_lock();
	kr = member_lookup(space, name, pset_name, &port, &pset);
	if (kr == KERN_SUCCESS) {
		if (port->ip_pset != IPS_NULL)
			kr = KERN_ALREADY_IN_SET;
		else
			ipc_pset_add(pset, port);
	}
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_extract_member(ipc_space_t space, mach_port_name_t name, mach_port_name_t pset_name)
{
	ipc_port_t port;
	ipc_pset_t pset;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(pset_name))
		return KERN_INVALID_RIGHT;
	ipc_lock();
	kr = member_lookup(space, name, pset_name, &port, &pset);
	if (kr == KERN_SUCCESS) {
		if (port->ip_pset != pset)
			kr = KERN_NOT_IN_SET;
		else
			ipc_pset_remove(port);
	}
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_insert_right(ipc_space_t space, mach_port_name_t name, ipc_port_t port,
    mach_msg_type_name_t msgt_name)
{
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	ipc_lock();
	kr = ipc_object_copyout_name(space, (ipc_object_t)port, msgt_name, name);
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_extract_right(ipc_space_t space, mach_port_name_t name,
    mach_msg_type_name_t msgt_name, ipc_port_t *portp, mach_msg_type_name_t *typep)
{
	ipc_object_t object;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_MSG_TYPE_PORT_ANY(msgt_name))
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	ipc_lock();
	kr = ipc_right_copyin(space, name, msgt_name, &object);
	ipc_unlock();
	if (kr == KERN_INVALID_CAPABILITY)
		kr = KERN_INVALID_VALUE;
	if (kr != KERN_SUCCESS)
		return kr;
	*portp = (ipc_port_t)object;
	*typep = ipc_object_copyin_type(msgt_name);
	return KERN_SUCCESS;
}

/* The receive right name denotes (lock held). */
static kern_return_t
receive_lookup(ipc_space_t space, mach_port_name_t name, ipc_port_t *portp)
{
	struct ipc_entry *e;
	kern_return_t kr;

	if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return kr;
	if ((e->ie_bits & MACH_PORT_TYPE_RECEIVE) == 0)
		return KERN_INVALID_RIGHT;
	*portp = e->ie_object;
	return KERN_SUCCESS;
}

kern_return_t
mach_port_get_attributes(ipc_space_t space, mach_port_name_t name, int flavor,
    integer_t *info, mach_msg_type_number_t *countp)
{
	ipc_port_t port;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	ipc_lock();
	if ((kr = receive_lookup(space, name, &port)) != KERN_SUCCESS) {
		ipc_unlock();
		return kr;
	}
	switch (flavor) {
	case MACH_PORT_LIMITS_INFO: {
		mach_port_limits_t lim = { .mpl_qlimit = port->ip_qlimit };

		if (*countp < MACH_PORT_LIMITS_INFO_COUNT) {
			kr = KERN_FAILURE;
			break;
		}
		memcpy(info, &lim, sizeof(lim));
		*countp = MACH_PORT_LIMITS_INFO_COUNT;
		break;
	}
	case MACH_PORT_RECEIVE_STATUS: {
		mach_port_status_t st;

		if (*countp < MACH_PORT_RECEIVE_STATUS_COUNT) {
			kr = KERN_FAILURE;
			break;
		}
		memset(&st, 0, sizeof(st));
		st.mps_pset = port->ip_pset != IPS_NULL ? port->ip_pset->ips_name : MACH_PORT_NULL;
		st.mps_seqno = port->ip_seqno;
		st.mps_mscount = port->ip_mscount;
		st.mps_qlimit = port->ip_qlimit;
		st.mps_msgcount = port->ip_msgcount;
		st.mps_sorights = port->ip_sorights;
		st.mps_srights = port->ip_srights > 0;
		st.mps_pdrequest = port->ip_pdrequest != IP_NULL;
		st.mps_nsrequest = port->ip_nsrequest != IP_NULL;
		memcpy(info, &st, sizeof(st));
		*countp = MACH_PORT_RECEIVE_STATUS_COUNT;
		break;
	}
	case MACH_PORT_DNREQUESTS_SIZE: {
		integer_t n = 0;

		if (*countp < MACH_PORT_DNREQUESTS_SIZE_COUNT) {
			kr = KERN_FAILURE;
			break;
		}
		for (struct ipc_port_request *r = port->ip_requests; r != NULL; r = r->ipr_next)
			n++;
		info[0] = n;
		*countp = MACH_PORT_DNREQUESTS_SIZE_COUNT;
		break;
	}
	default:
		kr = KERN_INVALID_ARGUMENT;
		break;
	}
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_set_attributes(ipc_space_t space, mach_port_name_t name, int flavor,
    integer_t *info, mach_msg_type_number_t count)
{
	ipc_port_t port;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	ipc_lock();
	if ((kr = receive_lookup(space, name, &port)) != KERN_SUCCESS) {
		ipc_unlock();
		return kr;
	}
	switch (flavor) {
	case MACH_PORT_LIMITS_INFO: {
		mach_port_limits_t lim;

		if (count < MACH_PORT_LIMITS_INFO_COUNT) {
			kr = KERN_FAILURE;
			break;
		}
		memcpy(&lim, info, sizeof(lim));
		if (lim.mpl_qlimit > MACH_PORT_QLIMIT_MAX) {
			kr = KERN_INVALID_VALUE;
			break;
		}
		port->ip_qlimit = lim.mpl_qlimit;
		if (port->ip_send_waiters != 0 && port->ip_msgcount < port->ip_qlimit)
			ipc_wakeup(&port->ip_msgcount);
		break;
	}
	case MACH_PORT_DNREQUESTS_SIZE:
		break;		/* requests are a list: any number fits */
	default:
		kr = KERN_INVALID_ARGUMENT;
		break;
	}
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_request_notification(ipc_space_t space, mach_port_name_t name, mach_msg_id_t id,
    mach_port_mscount_t sync, ipc_port_t notify, ipc_port_t *previousp)
{
	struct ipc_entry *e;
	ipc_port_t port;
	kern_return_t kr;

	*previousp = IP_NULL;
	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	ipc_lock();
	switch (id) {
	case MACH_NOTIFY_PORT_DESTROYED:
	case MACH_NOTIFY_NO_SENDERS:
		if ((kr = receive_lookup(space, name, &port)) != KERN_SUCCESS)
			break;
		if (id == MACH_NOTIFY_PORT_DESTROYED) {
			if (sync != 0) {
				kr = KERN_INVALID_VALUE;
				break;
			}
			*previousp = port->ip_pdrequest;
			port->ip_pdrequest = notify;
			break;
		}
		*previousp = port->ip_nsrequest;
		port->ip_nsrequest = IP_NULL;
		if (IP_VALID(notify) && port->ip_srights == 0 && sync <= port->ip_mscount)
			ipc_notify_no_senders(notify, port->ip_mscount);	/* already so */
		else
			port->ip_nsrequest = notify;
		break;
	case MACH_NOTIFY_DEAD_NAME:
	case MACH_NOTIFY_SEND_POSSIBLE:
		if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
			break;
		kr = ipc_right_request(space, name, id, notify, previousp);
		break;
	default:
		kr = KERN_INVALID_VALUE;
		break;
	}
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_set_mscount(ipc_space_t space, mach_port_name_t name, mach_port_mscount_t mscount)
{
	ipc_port_t port;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	ipc_lock();
	if ((kr = receive_lookup(space, name, &port)) == KERN_SUCCESS)
		port->ip_mscount = mscount;
	ipc_unlock();
	return kr;
}

kern_return_t
mach_port_set_seqno(ipc_space_t space, mach_port_name_t name, mach_port_seqno_t seqno)
{
	ipc_port_t port;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	ipc_lock();
	if ((kr = receive_lookup(space, name, &port)) == KERN_SUCCESS)
		port->ip_seqno = seqno;
	ipc_unlock();
	return kr;
}

/* An array of n words as a copy for a reply to carry out of line (0: none). */
static kern_return_t
words_to_copy(const uint32_t *words, mach_msg_type_number_t n, vm_map_copy_t *copyp)
{
	*copyp = VM_MAP_COPY_NULL;
	if (n == 0)
		return KERN_SUCCESS;
	return vm_map_copy_kernel(copyp, words, (vm_map_size_t)n * sizeof(uint32_t));
}

/*
 * Snapshot what fill() writes (at most room words into each array, the
 * count it needed returned), growing the arrays until it fits. Lock not held.
 */
typedef mach_msg_type_number_t (*snapshot_fn)(ipc_space_t space, void *arg, uint32_t *a,
    uint32_t *b, mach_msg_type_number_t room, kern_return_t *krp);

static kern_return_t
snapshot(ipc_space_t space, void *arg, snapshot_fn fill, boolean_t two, vm_map_copy_t *ap,
    vm_map_copy_t *bp, mach_msg_type_number_t *countp)
{
	mach_msg_type_number_t room = 0, need;
	uint32_t *a = NULL, *b = NULL;
	kern_return_t kr;

	for (;;) {
		ipc_lock();
		need = fill(space, arg, a, b, room, &kr);
		ipc_unlock();
		if (kr != KERN_SUCCESS || need <= room)
			break;
		if (a != NULL)
			kfree(a, room * sizeof(uint32_t));
		if (b != NULL)
			kfree(b, room * sizeof(uint32_t));
		room = need + 16;	/* a few more, should it grow meanwhile */
		a = kalloc(room * sizeof(uint32_t));
		b = two ? kalloc(room * sizeof(uint32_t)) : NULL;
		if (a == NULL || (two && b == NULL)) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
	}
	if (kr == KERN_SUCCESS) {
		kr = words_to_copy(a, need, ap);
		if (kr == KERN_SUCCESS && two) {
			kr = words_to_copy(b, need, bp);
			if (kr != KERN_SUCCESS && *ap != VM_MAP_COPY_NULL)
				vm_map_copy_discard(*ap);
		}
		*countp = need;
	}
	if (a != NULL)
		kfree(a, room * sizeof(uint32_t));
	if (b != NULL)
		kfree(b, room * sizeof(uint32_t));
	return kr;
}

static mach_msg_type_number_t
fill_names(ipc_space_t space, void *arg, uint32_t *names, uint32_t *types,
    mach_msg_type_number_t room, kern_return_t *krp)
{
	mach_msg_type_number_t n = 0;
	struct ipc_entry *e;
	mach_port_name_t name;
	uint32_t cursor = 0;

	(void)arg;
	if (!is_active(space)) {
		*krp = KERN_INVALID_TASK;
		return 0;
	}
	*krp = KERN_SUCCESS;
	while ((name = ipc_entry_next(&space->is_table, &cursor, &e)) != MACH_PORT_NULL) {
		mach_port_type_t type;
		mach_port_urefs_t urefs;

		if (n < room) {
			(void)ipc_right_info(space, name, &type, &urefs);
			names[n] = name;
			types[n] = type;
		}
		n++;
	}
	return n;
}

kern_return_t
mach_port_names(ipc_space_t space, mach_port_name_array_t *namesp,
    mach_msg_type_number_t *namesCnt, mach_port_type_array_t *typesp,
    mach_msg_type_number_t *typesCnt)
{
	vm_map_copy_t names = VM_MAP_COPY_NULL, types = VM_MAP_COPY_NULL;
	mach_msg_type_number_t n = 0;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	kr = snapshot(space, NULL, fill_names, TRUE, &names, &types, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	*namesp = (mach_port_name_array_t)(void *)names;
	*typesp = (mach_port_type_array_t)(void *)types;
	*namesCnt = n;
	*typesCnt = n;
	return KERN_SUCCESS;
}

static mach_msg_type_number_t
fill_members(ipc_space_t space, void *arg, uint32_t *members, uint32_t *unused,
    mach_msg_type_number_t room, kern_return_t *krp)
{
	mach_port_name_t name = *(mach_port_name_t *)arg;
	mach_msg_type_number_t n = 0;
	struct ipc_entry *e;
	ipc_port_t port;

	(void)unused;
	if ((*krp = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
		return 0;
	if ((e->ie_bits & MACH_PORT_TYPE_PORT_SET) == 0) {
		*krp = KERN_INVALID_RIGHT;
		return 0;
	}
	TAILQ_FOREACH(port, &((ipc_pset_t)e->ie_object)->ips_members, ip_pset_link) {
		if (n < room)
			members[n] = port->ip_receiver_name;
		n++;
	}
	return n;
}

kern_return_t
mach_port_get_set_status(ipc_space_t space, mach_port_name_t name,
    mach_port_name_array_t *membersp, mach_msg_type_number_t *membersCnt)
{
	vm_map_copy_t members = VM_MAP_COPY_NULL;
	mach_msg_type_number_t n = 0;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	kr = snapshot(space, &name, fill_members, FALSE, &members, NULL, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	*membersp = (mach_port_name_array_t)(void *)members;
	*membersCnt = n;
	return KERN_SUCCESS;
}

/*
 * The traps. Each names its target task by a send right in the caller's
 * space, the power over the task whose space it works on.
 */
static ipc_space_t
port_name_to_space(mach_port_name_t name)
{
	task_t task = port_name_to_task(name);
	ipc_space_t space = IS_NULL;

	if (task == TASK_NULL)
		return IS_NULL;
	ipc_lock();
	if (task->itk_space != IS_NULL && is_active(task->itk_space)) {
		space = task->itk_space;
		is_reference(space);
	}
	ipc_unlock();
	task_deallocate(task);
	return space;
}

static int
copyout_name(mach_port_name_t name, user_addr_t addr)
{
	return copyout(&name, addr, sizeof(name));
}

kern_return_t
_kernelrpc_mach_port_allocate_trap(struct _kernelrpc_mach_port_allocate_args *args)
{
	ipc_space_t space = port_name_to_space((mach_port_name_t)args->target);
	mach_port_name_t name;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	kr = mach_port_allocate(space, (mach_port_right_t)args->right, &name);
	if (kr == KERN_SUCCESS && copyout_name(name, args->name) != 0) {
		/* Nowhere to say it: take it back. */
		(void)mach_port_destroy(space, name);
		kr = KERN_INVALID_ADDRESS;
	}
	ipc_space_release(space);
	return kr;
}

/*
 * SPACE_TRAP(trap, args, fn, more...): a trap that finds the target task's
 * space, calls fn(space, more...) and lets the space go.
 */
#define SPACE_TRAP(trap, argtype, fn, ...)					\
kern_return_t									\
trap(struct argtype *args)							\
{										\
	ipc_space_t space = port_name_to_space((mach_port_name_t)args->target);	\
	kern_return_t kr;							\
										\
	if (space == IS_NULL)							\
		return KERN_INVALID_TASK;					\
	kr = fn(space, __VA_ARGS__);						\
	ipc_space_release(space);						\
	return kr;								\
}

SPACE_TRAP(_kernelrpc_mach_port_destroy_trap, _kernelrpc_mach_port_name_args,
    mach_port_destroy, (mach_port_name_t)args->name)

SPACE_TRAP(_kernelrpc_mach_port_deallocate_trap, _kernelrpc_mach_port_name_args,
    mach_port_deallocate, (mach_port_name_t)args->name)

SPACE_TRAP(_kernelrpc_mach_port_mod_refs_trap, _kernelrpc_mach_port_mod_refs_args,
    mach_port_mod_refs, (mach_port_name_t)args->name, (mach_port_right_t)args->right,
    (mach_port_delta_t)args->delta)

SPACE_TRAP(_kernelrpc_mach_port_move_member_trap, _kernelrpc_mach_port_member_args,
    mach_port_move_member, (mach_port_name_t)args->name, (mach_port_name_t)args->pset)

SPACE_TRAP(_kernelrpc_mach_port_insert_member_trap, _kernelrpc_mach_port_member_args,
    mach_port_insert_member, (mach_port_name_t)args->name, (mach_port_name_t)args->pset)

SPACE_TRAP(_kernelrpc_mach_port_extract_member_trap, _kernelrpc_mach_port_member_args,
    mach_port_extract_member, (mach_port_name_t)args->name, (mach_port_name_t)args->pset)

kern_return_t
_kernelrpc_mach_port_insert_right_trap(struct _kernelrpc_mach_port_insert_right_args *args)
{
	ipc_space_t space = port_name_to_space((mach_port_name_t)args->target);
	ipc_space_t self = current_task()->itk_space;
	mach_msg_type_name_t disp = (mach_msg_type_name_t)args->polyPoly;
	mach_port_name_t poly = (mach_port_name_t)args->poly;
	mach_port_name_t name = (mach_port_name_t)args->name;
	ipc_object_t object;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_MSG_TYPE_PORT_ANY(disp) || !MACH_PORT_VALID(name)) {
		ipc_space_release(space);
		return KERN_INVALID_VALUE;
	}
	if (!MACH_PORT_VALID(poly)) {
		ipc_space_release(space);
		return KERN_INVALID_CAPABILITY;
	}
	ipc_lock();
	/*
	 * Check where it goes before the right moves, so a failure loses
	 * nothing. A right the caller does not hold is XNU's answer for it:
	 * KERN_INVALID_NAME for no such name, KERN_INVALID_RIGHT for a name
	 * without the right the disposition needs.
	 */
	if (!ipc_right_copyin_check(self, poly, disp)) {
		struct ipc_entry *e;

		kr = ipc_right_lookup(self, poly, &e);
		if (kr == KERN_SUCCESS)
			kr = KERN_INVALID_RIGHT;
	} else if ((kr = ipc_right_copyin(self, poly, disp, &object)) == KERN_SUCCESS) {
		mach_msg_type_name_t type = ipc_object_copyin_type(disp);

		kr = ipc_object_copyout_name(space, object, type, name);
		if (kr != KERN_SUCCESS)
			ipc_right_copyin_undo(self, poly, object, disp);
	}
	ipc_unlock();
	ipc_space_release(space);
	return kr;
}

kern_return_t
_kernelrpc_mach_port_get_attributes_trap(struct _kernelrpc_mach_port_get_attributes_args *args)
{
	ipc_space_t space = port_name_to_space((mach_port_name_t)args->target);
	integer_t info[MACH_PORT_RECEIVE_STATUS_COUNT];
	mach_msg_type_number_t count, max;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (copyin(args->count, &count, sizeof(count)) != 0) {
		ipc_space_release(space);
		return KERN_INVALID_ADDRESS;
	}
	max = count < MACH_PORT_RECEIVE_STATUS_COUNT ? count : MACH_PORT_RECEIVE_STATUS_COUNT;
	kr = mach_port_get_attributes(space, (mach_port_name_t)args->name, (int)args->flavor,
	    info, &max);
	ipc_space_release(space);
	if (kr != KERN_SUCCESS)
		return kr;
	if (copyout(info, args->info, max * sizeof(integer_t)) != 0 ||
	    copyout(&max, args->count, sizeof(max)) != 0)
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

kern_return_t
_kernelrpc_mach_port_type_trap(struct _kernelrpc_mach_port_type_args *args)
{
	ipc_space_t space = port_name_to_space((mach_port_name_t)args->target);
	mach_port_type_t type;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	kr = mach_port_type(space, (mach_port_name_t)args->name, &type);
	ipc_space_release(space);
	if (kr == KERN_SUCCESS && copyout(&type, args->ptype, sizeof(type)) != 0)
		kr = KERN_INVALID_ADDRESS;
	return kr;
}

kern_return_t
_kernelrpc_mach_port_request_notification_trap(
    struct _kernelrpc_mach_port_request_notification_args *args)
{
	ipc_space_t space = port_name_to_space((mach_port_name_t)args->target);
	ipc_space_t self = current_task()->itk_space;
	mach_msg_type_name_t disp = (mach_msg_type_name_t)args->notifyPoly;
	mach_port_name_t notify_name = (mach_port_name_t)args->notify;
	mach_port_name_t prev_name = MACH_PORT_NULL;
	ipc_object_t notify = IO_NULL;
	ipc_port_t previous = IP_NULL;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	ipc_lock();
	if (MACH_PORT_VALID(notify_name)) {
		/* The notification goes through a send-once right only. */
		if (disp != MACH_MSG_TYPE_MAKE_SEND_ONCE && disp != MACH_MSG_TYPE_MOVE_SEND_ONCE) {
			kr = KERN_INVALID_VALUE;
			goto out;
		}
		if (!ipc_right_copyin_check(self, notify_name, disp)) {
			kr = KERN_INVALID_CAPABILITY;
			goto out;
		}
	} else if (notify_name == MACH_PORT_DEAD) {
		kr = KERN_INVALID_CAPABILITY;
		goto out;
	}
	/* The name must hold the right the request is about before anything moves. */
	{
		struct ipc_entry *e;
		mach_port_name_t name = (mach_port_name_t)args->name;
		mach_msg_id_t id = (mach_msg_id_t)args->msgid;
		uint32_t need;

		if (!MACH_PORT_VALID(name)) {
			kr = KERN_INVALID_RIGHT;
			goto out;
		}
		if ((kr = ipc_right_lookup(space, name, &e)) != KERN_SUCCESS)
			goto out;
		need = (id == MACH_NOTIFY_PORT_DESTROYED || id == MACH_NOTIFY_NO_SENDERS) ?
		    MACH_PORT_TYPE_RECEIVE : (id == MACH_NOTIFY_DEAD_NAME ||
		    id == MACH_NOTIFY_SEND_POSSIBLE) ? (MACH_PORT_TYPE_SEND_RIGHTS |
		    MACH_PORT_TYPE_DEAD_NAME) : 0;
		if (need == 0) {
			kr = KERN_INVALID_VALUE;
			goto out;
		}
		if ((e->ie_bits & need) == 0) {
			kr = KERN_INVALID_RIGHT;
			goto out;
		}
	}
	if (MACH_PORT_VALID(notify_name) &&
	    ipc_right_copyin(self, notify_name, disp, &notify) != KERN_SUCCESS) {
		kr = KERN_INVALID_CAPABILITY;
		goto out;
	}
	ipc_unlock();
	kr = mach_port_request_notification(space, (mach_port_name_t)args->name,
	    (mach_msg_id_t)args->msgid, (mach_port_mscount_t)args->sync,
	    (ipc_port_t)notify, &previous);
	ipc_lock();
	if (kr != KERN_SUCCESS) {
		ipc_right_copyin_undo(self, notify_name, notify, disp);
	} else if (IP_VALID(previous) &&
	    ipc_object_copyout(self, &previous->ip_object, MACH_MSG_TYPE_PORT_SEND_ONCE,
	    &prev_name) != KERN_SUCCESS) {
		ipc_port_release_sonce(previous);
		prev_name = MACH_PORT_NULL;
	}
out:
	ipc_unlock();
	ipc_space_release(space);
	if (kr == KERN_SUCCESS && copyout_name(prev_name, args->previous) != 0)
		kr = KERN_INVALID_ADDRESS;
	return kr;
}
