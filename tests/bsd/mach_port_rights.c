/*
 * mach_port_rights.c - port names and rights in one task: mach_port_allocate
 * and its kinds, mach_port_type, user references (mach_port_mod_refs,
 * mach_port_deallocate), mach_port_destroy, dead names, port sets and
 * their members, mach_port_insert_right, the attributes, and the error of
 * every call for bad names, bad rights, bad values and bad task ports. A
 * name the task holds nothing under, or a guessed one, gets nothing.
 */

#include <mach/mach.h>
#include <mach/mig.h>
#include <stdint.h>
#include <sys/mman.h>

#include "mach_test.h"
#include "tap.h"

int
main(void)
{
	mach_port_t self = mach_task_self();
	mach_port_name_t rcv, rcv2, pset, dead, name, again;
	mach_port_status_t status;
	mach_port_limits_t limits;
	mach_msg_type_number_t count;

	TAP_OK(MACH_PORT_VALID(self), "mach_task_self is a name");
	TAP_EQ(type_of(self), MACH_PORT_TYPE_SEND, "it is a send right");
	TAP_EQ(task_self_trap(), self, "task_self_trap gives the same name again");
	TAP_EQ(mach_port_deallocate(self, self), KERN_SUCCESS, "... with a reference to give back");

	/* Receive rights, and send rights made from them. */
	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &rcv), KERN_SUCCESS,
	    "allocate a receive right");
	TAP_OK(MACH_PORT_VALID(rcv) && rcv != self, "under a new name");
	TAP_EQ(type_of(rcv), MACH_PORT_TYPE_RECEIVE, "its type is receive");
	TAP_EQ(mach_port_insert_right(self, rcv, rcv, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS,
	    "make a send right under the same name");
	TAP_EQ(type_of(rcv), MACH_PORT_TYPE_SEND_RECEIVE, "the name holds both");
	TAP_EQ(mach_port_mod_refs(self, rcv, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS,
	    "two more user references");
	TAP_EQ(mach_port_mod_refs(self, rcv, MACH_PORT_RIGHT_SEND, -4), KERN_INVALID_VALUE,
	    "taking away more than there are is refused");
	TAP_EQ(mach_port_mod_refs(self, rcv, MACH_PORT_RIGHT_SEND, 0x10000), KERN_UREFS_OVERFLOW,
	    "more than the most a name may have is refused");
	TAP_EQ(mach_port_mod_refs(self, rcv, MACH_PORT_RIGHT_SEND, -3), KERN_SUCCESS,
	    "drop all three");
	TAP_EQ(type_of(rcv), MACH_PORT_TYPE_RECEIVE, "the receive right stays");
	TAP_EQ(mach_port_deallocate(self, rcv), KERN_INVALID_RIGHT,
	    "deallocate of a receive right alone is refused");
	TAP_EQ(mach_port_mod_refs(self, rcv, MACH_PORT_RIGHT_RECEIVE, 1), KERN_INVALID_VALUE,
	    "a receive right has one reference at most");
	TAP_EQ(mach_port_mod_refs(self, rcv, MACH_PORT_RIGHT_SEND_ONCE, -1), KERN_INVALID_RIGHT,
	    "the name has no send-once right");
	TAP_EQ(mach_port_mod_refs(self, rcv, 99, -1), KERN_INVALID_VALUE, "no right 99");

	/* A send right elsewhere becomes a dead name when the port dies. */
	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &rcv2), KERN_SUCCESS,
	    "a second port");
	TAP_EQ(mach_port_insert_right(self, rcv, rcv2, MACH_MSG_TYPE_MAKE_SEND),
	    KERN_RIGHT_EXISTS, "a send right to it cannot take the first port's name");
	TAP_EQ(mach_port_insert_right(self, 0x1234503, rcv2, MACH_MSG_TYPE_MAKE_SEND),
	    KERN_RIGHT_EXISTS, "nor a second name in the same space");
	TAP_EQ(mach_port_insert_right(self, rcv2, rcv2, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	    KERN_NAME_EXISTS, "a send-once right needs a name of its own");
	TAP_EQ(mach_port_insert_right(self, 0x1234503, rcv2, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	    KERN_SUCCESS, "... such as one the caller picks");
	TAP_EQ(type_of(0x1234503), MACH_PORT_TYPE_SEND_ONCE, "a send-once right there");
	TAP_EQ(mach_port_insert_right(self, rcv2, rcv2, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS,
	    "a send right beside the receive right");
	TAP_EQ(mach_port_mod_refs(self, rcv2, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	    "destroy the receive right alone");
	TAP_EQ(type_of(rcv2), MACH_PORT_TYPE_DEAD_NAME, "the send right is now a dead name");
	TAP_EQ(type_of(0x1234503), MACH_PORT_TYPE_DEAD_NAME, "and so is the send-once right");
	TAP_EQ(mach_port_deallocate(self, rcv2), KERN_SUCCESS, "a dead name is deallocated");
	TAP_EQ(mach_port_type(self, rcv2, &(mach_port_type_t){ 0 }), KERN_INVALID_NAME,
	    "and then it is gone");
	TAP_EQ(mach_port_deallocate(self, 0x1234503), KERN_SUCCESS, "the other one too");

	/* Dead names of one's own. */
	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS,
	    "allocate a dead name");
	TAP_EQ(type_of(dead), MACH_PORT_TYPE_DEAD_NAME, "its type");
	TAP_EQ(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, 1), KERN_SUCCESS,
	    "a second reference");
	TAP_EQ(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_SEND, -1), KERN_INVALID_RIGHT,
	    "it holds no send right");
	TAP_EQ(mach_port_destroy(self, dead), KERN_SUCCESS, "destroy takes every reference");
	TAP_EQ(type_of(dead), 0, "gone");

	/* Port sets. */
	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS,
	    "allocate a port set");
	TAP_EQ(type_of(pset), MACH_PORT_TYPE_PORT_SET, "its type");
	TAP_EQ(mach_port_move_member(self, rcv, pset), KERN_SUCCESS, "move a port into it");
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	TAP_EQ(mach_port_get_attributes(self, rcv, MACH_PORT_RECEIVE_STATUS,
	    (mach_port_info_t)&status, &count), KERN_SUCCESS, "receive status");
	TAP_EQ(status.mps_pset, pset, "it names the set");
	TAP_EQ(status.mps_qlimit, MACH_PORT_QLIMIT_DEFAULT, "the default queue limit");
	TAP_EQ(status.mps_msgcount, 0, "no messages");
	TAP_EQ(mach_port_insert_member(self, rcv, pset), KERN_ALREADY_IN_SET,
	    "a member is not inserted twice");
	TAP_EQ(mach_port_move_member(self, pset, pset), KERN_INVALID_RIGHT,
	    "a set is not a member");
	TAP_EQ(mach_port_move_member(self, rcv, rcv), KERN_INVALID_RIGHT,
	    "a port is not a set");
	TAP_EQ(mach_port_extract_member(self, rcv, pset), KERN_SUCCESS, "take it out");
	TAP_EQ(mach_port_extract_member(self, rcv, pset), KERN_NOT_IN_SET, "... once");
	TAP_EQ(mach_port_insert_member(self, rcv, pset), KERN_SUCCESS, "insert it again");
	TAP_EQ(mach_port_destroy(self, pset), KERN_SUCCESS, "destroy the set");
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	TAP_EQ(mach_port_get_attributes(self, rcv, MACH_PORT_RECEIVE_STATUS,
	    (mach_port_info_t)&status, &count), KERN_SUCCESS, "its member lives on");
	TAP_EQ(status.mps_pset, MACH_PORT_NULL, "in no set");
	count = MACH_PORT_LIMITS_INFO_COUNT;
	TAP_EQ(mach_port_get_attributes(self, rcv, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&limits, &count), KERN_SUCCESS, "limits");
	TAP_EQ(limits.mpl_qlimit, MACH_PORT_QLIMIT_DEFAULT, "the queue limit");
	count = 0;
	TAP_EQ(mach_port_get_attributes(self, rcv, MACH_PORT_RECEIVE_STATUS,
	    (mach_port_info_t)&status, &count), KERN_FAILURE, "too small a count");
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	TAP_EQ(mach_port_get_attributes(self, rcv, 77, (mach_port_info_t)&status, &count),
	    KERN_INVALID_ARGUMENT, "an unknown flavor");
	TAP_EQ(mach_port_get_attributes(self, rcv, MACH_PORT_RECEIVE_STATUS,
	    (mach_port_info_t)8, &count), KERN_INVALID_ADDRESS, "to an unmapped buffer");

	/* The calls that are messages to the task port. */
	{
		mach_port_name_array_t names = NULL;
		mach_port_type_array_t types = NULL;
		mach_msg_type_number_t n = 0, tn = 0, k;
		mach_port_urefs_t refs = 0;
		int found = 0;

		TAP_EQ(mach_port_names(self, &names, &n, &types, &tn), KERN_SUCCESS,
		    "mach_port_names");
		TAP_OK(n >= 2 && n == tn, "names and types, as many of each");
		for (k = 0; k < n; k++) {
			if (names[k] == rcv)
				found = types[k] == MACH_PORT_TYPE_RECEIVE;
		}
		TAP_OK(found, "the receive right is among them");
		munmap(names, n * sizeof(*names));
		munmap(types, tn * sizeof(*types));
		TAP_EQ(mach_port_get_refs(self, self, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS,
		    "mach_port_get_refs");
		TAP_OK(refs >= 1, "the task port has a user reference");
		TAP_EQ(mach_port_get_refs(self, rcv, MACH_PORT_RIGHT_RECEIVE, &refs), KERN_SUCCESS,
		    "of a receive right");
		TAP_EQ(refs, 1, "one");
		limits.mpl_qlimit = 17;
		TAP_EQ(mach_port_set_attributes(self, rcv, MACH_PORT_LIMITS_INFO,
		    (mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT), KERN_SUCCESS,
		    "set a queue limit");
		count = MACH_PORT_LIMITS_INFO_COUNT;
		limits.mpl_qlimit = 0;
		TAP_EQ(mach_port_get_attributes(self, rcv, MACH_PORT_LIMITS_INFO,
		    (mach_port_info_t)&limits, &count), KERN_SUCCESS, "read it back");
		TAP_EQ(limits.mpl_qlimit, 17, "the new limit");
		limits.mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1;
		TAP_EQ(mach_port_set_attributes(self, rcv, MACH_PORT_LIMITS_INFO,
		    (mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT), KERN_INVALID_VALUE,
		    "a limit past the most is refused");
		TAP_EQ(mach_port_set_mscount(self, rcv, 5), KERN_SUCCESS, "mach_port_set_mscount");
		TAP_EQ(mach_port_set_seqno(self, rcv, 9), KERN_SUCCESS, "mach_port_set_seqno");
		count = MACH_PORT_RECEIVE_STATUS_COUNT;
		TAP_EQ(mach_port_get_attributes(self, rcv, MACH_PORT_RECEIVE_STATUS,
		    (mach_port_info_t)&status, &count), KERN_SUCCESS, "status");
		TAP_OK(status.mps_mscount == 5 && status.mps_seqno == 9, "shows both");
		TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS,
		    "a set again");
		TAP_EQ(mach_port_insert_member(self, rcv, pset), KERN_SUCCESS, "with the port");
		TAP_EQ(mach_port_get_set_status(self, pset, &names, &n), KERN_SUCCESS,
		    "mach_port_get_set_status");
		TAP_OK(n == 1 && names[0] == rcv, "names the member");
		munmap(names, n * sizeof(*names));
		TAP_EQ(mach_port_get_set_status(self, rcv, &names, &n), KERN_INVALID_RIGHT,
		    "of a port that is no set");
		TAP_EQ(mach_port_destroy(self, pset), KERN_SUCCESS, "the set goes");
		{
			mach_port_t got = MACH_PORT_NULL;
			mach_msg_type_name_t type = 0;

			TAP_EQ(mach_port_extract_right(self, rcv, MACH_MSG_TYPE_MAKE_SEND, &got, &type),
			    KERN_SUCCESS, "mach_port_extract_right, a send right made");
			TAP_EQ(got, rcv, "arrives under the port's name");
			TAP_EQ(type, MACH_MSG_TYPE_PORT_SEND, "as a send right");
			TAP_EQ(type_of(rcv), MACH_PORT_TYPE_SEND_RECEIVE, "beside the receive right");
			TAP_EQ(mach_port_deallocate(self, rcv), KERN_SUCCESS, "given back");
			TAP_EQ(mach_port_extract_right(self, rcv, MACH_MSG_TYPE_COPY_SEND, &got, &type),
			    KERN_INVALID_RIGHT, "a copy of a send right the name lacks");
		}
		TAP_EQ(mach_port_names(rcv, &names, &n, &types, &tn), MACH_SEND_INVALID_DEST,
		    "a receive right is not a task port to send to");
		{
			mach_port_t host = mach_host_self();

			TAP_EQ(mach_port_names(host, &names, &n, &types, &tn), KERN_INVALID_TASK,
			    "the host port is not a task");
			mach_port_deallocate(self, host);
		}
	}

	/* Bad names, bad rights, bad task ports. */
	TAP_EQ(mach_port_type(self, 0x7fffff03, &(mach_port_type_t){ 0 }), KERN_INVALID_NAME,
	    "a name never allocated");
	TAP_EQ(mach_port_type(self, rcv ^ 0x1, &(mach_port_type_t){ 0 }), KERN_INVALID_NAME,
	    "the right index with another generation");
	TAP_EQ(mach_port_deallocate(self, 0x7fffff03), KERN_INVALID_NAME,
	    "deallocate of a name never allocated");
	TAP_EQ(mach_port_deallocate(self, MACH_PORT_NULL), KERN_SUCCESS,
	    "deallocate of MACH_PORT_NULL does nothing");
	TAP_EQ(mach_port_destroy(self, 0x7fffff03), KERN_INVALID_NAME, "destroy of one");
	TAP_EQ(mach_port_allocate(self, 42, &name), KERN_INVALID_VALUE, "allocate right 42");
	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_SEND, &name), KERN_INVALID_VALUE,
	    "a send right is not allocated alone");
	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, (mach_port_name_t *)8),
	    KERN_INVALID_ADDRESS, "allocate into an unmapped word");
	TAP_EQ(mach_port_allocate(rcv, MACH_PORT_RIGHT_RECEIVE, &name), KERN_INVALID_TASK,
	    "a port that is not a task port is no task");
	TAP_EQ(mach_port_allocate(0x7fffff03, MACH_PORT_RIGHT_RECEIVE, &name), KERN_INVALID_TASK,
	    "nor is a name never allocated");
	TAP_EQ(mach_port_insert_right(self, 0x2000003, 0x7fffff03, MACH_MSG_TYPE_COPY_SEND),
	    KERN_INVALID_NAME, "insert a right the caller does not hold");
	TAP_EQ(mach_port_insert_right(self, 0x2000003, rcv, MACH_MSG_TYPE_COPY_SEND),
	    KERN_INVALID_RIGHT, "copy a send right that is not there");
	TAP_EQ(mach_port_insert_right(self, 0x2000003, rcv, 3), KERN_INVALID_VALUE,
	    "a disposition that is none");
	TAP_EQ(type_of(0x2000003), 0, "none of those made a name");

	/* mach_reply_port, the thread and host ports. */
	name = mach_reply_port();
	TAP_EQ(type_of(name), MACH_PORT_TYPE_RECEIVE, "mach_reply_port gives a receive right");
	TAP_EQ(mach_port_destroy(self, name), KERN_SUCCESS, "... destroyed");
	name = mach_thread_self();
	TAP_EQ(type_of(name), MACH_PORT_TYPE_SEND, "mach_thread_self gives a send right");
	again = mach_thread_self();
	TAP_EQ(again, name, "under one name each time");
	TAP_EQ(mach_port_mod_refs(self, name, MACH_PORT_RIGHT_SEND, -2), KERN_SUCCESS,
	    "with a reference each time");
	name = mach_host_self();
	TAP_EQ(type_of(name), MACH_PORT_TYPE_SEND, "mach_host_self gives a send right");

	/* A hundred thousand ports, one after another. */
	{
		int ok = 1;

		for (int i = 0; i < 100000 && ok; i++) {
			ok = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &name) == KERN_SUCCESS &&
			    mach_port_destroy(self, name) == KERN_SUCCESS;
		}
		TAP_OK(ok, "100000 ports allocated and destroyed");
	}
	/* And many at once, then all freed. */
	{
		static mach_port_name_t names[20000];
		int ok = 1, distinct = 1;

		for (int i = 0; i < 20000 && ok; i++)
			ok = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &names[i]) ==
			    KERN_SUCCESS;
		for (int i = 1; i < 20000 && ok; i++)
			distinct &= names[i] != names[i - 1];
		TAP_OK(ok, "20000 ports held at once");
		TAP_OK(distinct, "each under its own name");
		for (int i = 0; i < 20000 && ok; i++)
			ok = mach_port_destroy(self, names[i]) == KERN_SUCCESS;
		TAP_OK(ok, "and destroyed");
	}
	TAP_EQ(mach_port_destroy(self, rcv), KERN_SUCCESS, "the first port goes");
	return tap_done();
}
