/*
 * mach_stress.c - Mach IPC under load: two tasks exchange a million
 * messages (every one arrives, in order, none twice), a hundred thousand
 * ports are allocated and destroyed, and afterwards the kernel holds as
 * many ports, port sets, spaces and messages as before (debug.ipc.*).
 * And a chain of five thousand receive rights, each in a message queued
 * on the one before, goes in one destruction without running the kernel
 * out of stack.
 */

#include <mach/mach.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/sysctl.h>
#include <sys/wait.h>

#include "mach_test.h"
#include "tap.h"

#define MESSAGES	1000000
#define PORTS		100000

struct msg {
	mach_msg_header_t	header;
	uint32_t		seq;
	mach_msg_max_trailer_t	trailer;
};

/* The receiver: count the messages and check their order; exit 0 if all came. */
static int
receiver(mach_port_t port)
{
	struct msg m;

	for (uint32_t i = 0; i < MESSAGES; i++) {
		if (mach_msg(&m.header, MACH_RCV_MSG, 0, sizeof(m), port, 0, 0) != MACH_MSG_SUCCESS)
			return 1;
		if (m.seq != i)
			return 2;
	}
	return 0;
}

int
main(void)
{
	mach_port_t self = mach_task_self(), port, task, send;
	int ports0, psets0, spaces0, kmsgs0, status, ok = 1;
	mach_port_limits_t lim = { .mpl_qlimit = MACH_PORT_QLIMIT_LARGE };
	mach_msg_type_name_t type;
	struct msg m;
	pid_t pid;
	int p[2];

	/* Warm up what stays for the process's life (the reply port, this thread's port). */
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &port);
	(void)mach_port_destroy(self, port);
	ports0 = ipc_count("ports");
	psets0 = ipc_count("port_sets");
	spaces0 = ipc_count("spaces");
	kmsgs0 = ipc_count("kmsgs");

	/* A million messages to a child. */
	(void)pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != 0 ||
		    mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
		    (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT) != 0 ||
		    write(p[1], &port, sizeof(port)) != sizeof(port))
			_exit(3);
		close(p[1]);
		_exit(receiver(port));
	}
	close(p[1]);
	TAP_EQ(read(p[0], &port, sizeof(port)), sizeof(port), "a receiver task");
	close(p[0]);
	TAP_EQ(task_for_pid(self, pid, &task), KERN_SUCCESS, "its task port");
	TAP_EQ(mach_port_extract_right(task, port, MACH_MSG_TYPE_MAKE_SEND, &send, &type),
	    KERN_SUCCESS, "a send right to its port");
	mach_port_deallocate(self, task);
	for (uint32_t i = 0; i < MESSAGES && ok; i++) {
		memset(&m.header, 0, sizeof(m.header));
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		m.header.msgh_remote_port = send;
		m.header.msgh_id = 7;
		m.seq = i;
		ok = mach_msg(&m.header, MACH_SEND_MSG, sizeof(m.header) + sizeof(m.seq), 0, 0, 0,
		    0) == MACH_MSG_SUCCESS;
	}
	TAP_OK(ok, "a million messages sent");
	TAP_EQ(waitpid(pid, &status, 0), pid, "the receiver ends");
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "having got every one, in order");
	mach_port_deallocate(self, send);

	/* A hundred thousand ports. */
	ok = 1;
	for (int i = 0; i < PORTS && ok; i++) {
		ok = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port) == KERN_SUCCESS &&
		    mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND) ==
		    KERN_SUCCESS && mach_port_destroy(self, port) == KERN_SUCCESS;
	}
	TAP_OK(ok, "a hundred thousand ports made and destroyed");

	/* A chain: port i's receive right waits in a message on port i - 1. */
	{
		static mach_port_t chain[5000];
		struct {
			mach_msg_header_t		header;
			mach_msg_body_t			body;
			mach_msg_port_descriptor_t	port;
		} cm;
		int n = 5000;

		ok = 1;
		for (int i = 0; i < n && ok; i++)
			ok = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &chain[i]) == 0 &&
			    mach_port_insert_right(self, chain[i], chain[i],
			    MACH_MSG_TYPE_MAKE_SEND) == 0;
		for (int i = n - 1; i >= 1 && ok; i--) {
			memset(&cm, 0, sizeof(cm));
			cm.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
			    MACH_MSGH_BITS_COMPLEX;
			cm.header.msgh_remote_port = chain[i - 1];
			cm.body.msgh_descriptor_count = 1;
			cm.port.name = chain[i];
			cm.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
			cm.port.type = MACH_MSG_PORT_DESCRIPTOR;
			ok = mach_msg(&cm.header, MACH_SEND_MSG, sizeof(cm), 0, 0, 0, 0) ==
			    MACH_MSG_SUCCESS;
		}
		TAP_OK(ok, "five thousand receive rights, each queued inside the one before");
		TAP_EQ(mach_port_mod_refs(self, chain[0], MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
		    "destroy the first: they all go");
		ok = 1;
		for (int i = 0; i < n && ok; i++) {
			mach_port_type_t t = 0;

			ok = mach_port_type(self, chain[i], &t) == KERN_SUCCESS &&
			    (t & MACH_PORT_TYPE_DEAD_NAME) != 0 &&
			    mach_port_deallocate(self, chain[i]) == KERN_SUCCESS;
		}
		TAP_OK(ok, "every send right to them is a dead name");
	}

	TAP_EQ(ipc_count("ports"), ports0, "as many ports as before");
	TAP_EQ(ipc_count("port_sets"), psets0, "as many port sets");
	TAP_EQ(ipc_count("spaces"), spaces0, "as many spaces (the child's went)");
	TAP_EQ(ipc_count("kmsgs"), kmsgs0, "as many messages held");
	return tap_done();
}
