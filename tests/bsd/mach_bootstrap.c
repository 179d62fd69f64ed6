/*
 * mach_bootstrap.c - services by name, and Mach IPC between tasks: init's
 * bootstrap server (check-in, look-up, register, a name freed when its
 * service dies), a child that finds its parent's service and talks to it
 * (the trailer names the real sender), a receive right moved between
 * tasks, and the notifications across tasks: a dead-name notification
 * when the receiver dies, a no-senders notification when the last send
 * right goes with its task.
 */

#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "mach_test.h"
#include "tap.h"

struct msg {
	mach_msg_header_t	header;
	int32_t			value;
};

struct rcv {
	mach_msg_header_t	header;
	char			body[512];
};

static mach_port_t self;

static kern_return_t
send_value(mach_port_t dest, mach_msg_type_name_t type, mach_port_t reply,
    mach_msg_type_name_t rtype, int32_t value)
{
	struct msg m;

	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(type, rtype);
	m.header.msgh_remote_port = dest;
	m.header.msgh_local_port = reply;
	m.header.msgh_id = 1000;
	m.value = value;
	return mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0);
}

static kern_return_t
receive(mach_port_t port, struct rcv *r, mach_msg_option_t opt, mach_msg_timeout_t ms)
{
	memset(r, 0, sizeof(*r));
	return mach_msg(&r->header, MACH_RCV_MSG | MACH_RCV_TIMEOUT | opt, 0, sizeof(*r), port,
	    ms, 0);
}

static char service[64];

/* The child: look the service up, send a request with a reply port, check the answer. */
static int
client(void)
{
	mach_port_t server, reply;
	struct rcv r;

	if (bootstrap_look_up(bootstrap_port, service, &server) != KERN_SUCCESS)
		return 1;
	reply = mig_get_reply_port();
	if (send_value(server, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    20) != KERN_SUCCESS)
		return 2;
	if (receive(reply, &r, 0, 5000) != KERN_SUCCESS)
		return 3;
	if (((struct msg *)&r)->value != 21)
		return 4;
	return 0;
}

int
main(void)
{
	mach_port_t svc, other, got;
	struct rcv r;
	pid_t pid;
	int status;

	self = mach_task_self();
	if (!MACH_PORT_VALID(bootstrap_port)) {
		/* Run from the kernel console (init=none): no init, no bootstrap server. */
		printf("ok 1 - bootstrap # SKIP no bootstrap server: init is not running\n1..1\n");
		return 0;
	}
	snprintf(service, sizeof(service), "org.machina.test.echo.%d", (int)getpid());

	TAP_OK(MACH_PORT_VALID(bootstrap_port), "a bootstrap port, inherited");
	TAP_EQ(type_of(bootstrap_port), MACH_PORT_TYPE_SEND, "a send right");
	TAP_EQ(bootstrap_look_up(bootstrap_port, service, &got), BOOTSTRAP_UNKNOWN_SERVICE,
	    "look-up of a name nobody serves");
	TAP_EQ(bootstrap_check_in(bootstrap_port, service, &svc), KERN_SUCCESS, "check in");
	TAP_EQ(type_of(svc), MACH_PORT_TYPE_RECEIVE, "the service's receive right");
	TAP_EQ(bootstrap_check_in(bootstrap_port, service, &other), BOOTSTRAP_SERVICE_ACTIVE,
	    "a second check-in of the name is refused");
	TAP_EQ(bootstrap_check_in(bootstrap_port, "", &other), BOOTSTRAP_UNKNOWN_SERVICE,
	    "an empty name is refused");
	TAP_EQ(bootstrap_look_up(bootstrap_port, service, &got), KERN_SUCCESS, "look it up");
	TAP_EQ(got, svc, "a send right to it, under the receive right's name");
	TAP_EQ(type_of(got), MACH_PORT_TYPE_SEND_RECEIVE, "now both");
	mach_port_deallocate(self, got);

	/* A client in another task. */
	pid = fork();
	if (pid == 0)
		_exit(client());
	TAP_EQ(receive(svc, &r, MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
	    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 5000), KERN_SUCCESS,
	    "the child's request arrives");
	{
		struct msg *m = (struct msg *)&r;
		mach_msg_audit_trailer_t *t = (void *)((char *)&r + r.header.msgh_size);

		TAP_EQ(t->msgh_audit.val[5], (unsigned)pid, "the trailer names the child");
		TAP_EQ(MACH_MSGH_BITS_REMOTE(r.header.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE,
		    "with a send-once reply right");
		TAP_EQ(send_value(r.header.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
		    MACH_PORT_NULL, 0, m->value + 1), KERN_SUCCESS, "answer it");
	}
	TAP_EQ(waitpid(pid, &status, 0), pid, "the child ends");
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "having got its answer");

	/* No senders once the child, holding the only send right, is gone. */
	{
		mach_port_t notify, previous, given;
		struct {
			mach_msg_header_t		header;
			mach_msg_body_t			body;
			mach_msg_port_descriptor_t	port;
		} m;
		int p[2];
		char c;

		TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &notify), KERN_SUCCESS,
		    "a port for notifications");
		TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &given), KERN_SUCCESS,
		    "a port to give a child a send right to");
		(void)pipe(p);
		pid = fork();
		if (pid == 0) {
			mach_port_t s, reply = mig_get_reply_port();
			struct rcv rr;

			close(p[0]);
			if (bootstrap_look_up(bootstrap_port, service, &s) != KERN_SUCCESS ||
			    send_value(s, MACH_MSG_TYPE_COPY_SEND, reply,
			    MACH_MSG_TYPE_MAKE_SEND_ONCE, 1) != KERN_SUCCESS ||
			    receive(reply, &rr, 0, 5000) != KERN_SUCCESS)
				_exit(1);
			(void)write(p[1], "x", 1);
			pause();
			_exit(0);
		}
		close(p[1]);
		TAP_EQ(receive(svc, &r, 0, 5000), KERN_SUCCESS, "a child asks");
		memset(&m, 0, sizeof(m));
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) |
		    MACH_MSGH_BITS_COMPLEX;
		m.header.msgh_remote_port = r.header.msgh_remote_port;
		m.header.msgh_id = 1100;
		m.body.msgh_descriptor_count = 1;
		m.port.name = given;
		m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.port.type = MACH_MSG_PORT_DESCRIPTOR;
		TAP_EQ(mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0), KERN_SUCCESS,
		    "answer with a send right");
		TAP_EQ(read(p[0], &c, 1), 1, "the child holds it");
		close(p[0]);
		TAP_EQ(mach_port_request_notification(self, given, MACH_NOTIFY_NO_SENDERS, 1, notify,
		    MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous), KERN_SUCCESS, "ask for no-senders");
		TAP_EQ(receive(notify, &r, 0, 0), MACH_RCV_TIMED_OUT, "nothing yet: it has a sender");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		TAP_EQ(receive(notify, &r, 0, 5000), KERN_SUCCESS,
		    "a notification once the child is gone");
		TAP_EQ(r.header.msgh_id, MACH_NOTIFY_NO_SENDERS, "no senders");
		TAP_EQ(((mach_no_senders_notification_t *)&r)->not_count, 1, "with the make-send count");
		TAP_EQ(mach_port_mod_refs(self, given, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
		    "that port goes");
		TAP_EQ(mach_port_mod_refs(self, notify, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
		    "and the notification port");
	}

	/* Dead name: the service's receive right dies in another task. */
	{
		mach_port_t moved, notify, previous;
		struct {
			mach_msg_header_t		header;
			mach_msg_body_t			body;
			mach_msg_port_descriptor_t	port;
		} m;
		int p[2];
		char c;

		TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &notify), KERN_SUCCESS,
		    "a port for notifications");
		(void)pipe(p);
		pid = fork();
		if (pid == 0) {
			/* Check in a service of its own, then wait to be killed. */
			char name[80];
			mach_port_t mine;

			close(p[0]);
			snprintf(name, sizeof(name), "%s.child", service);
			if (bootstrap_check_in(bootstrap_port, name, &mine) != KERN_SUCCESS)
				_exit(1);
			(void)write(p[1], "x", 1);
			pause();
			_exit(0);
		}
		close(p[1]);
		TAP_EQ(read(p[0], &c, 1), 1, "a child checks in a service");
		close(p[0]);
		{
			char name[80];

			snprintf(name, sizeof(name), "%s.child", service);
			TAP_EQ(bootstrap_look_up(bootstrap_port, name, &moved), KERN_SUCCESS,
			    "look it up");
			TAP_EQ(mach_port_request_notification(self, moved, MACH_NOTIFY_DEAD_NAME, 0,
			    notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous), KERN_SUCCESS,
			    "ask for a dead-name notification");
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			TAP_EQ(receive(notify, &r, 0, 5000), KERN_SUCCESS,
			    "the notification arrives when the child dies");
			TAP_EQ(r.header.msgh_id, MACH_NOTIFY_DEAD_NAME, "a dead-name notification");
			TAP_EQ(((mach_dead_name_notification_t *)&r)->not_port, moved, "naming the right");
			TAP_EQ(type_of(moved), MACH_PORT_TYPE_DEAD_NAME, "which is a dead name");
			TAP_EQ(mach_port_mod_refs(self, moved, MACH_PORT_RIGHT_DEAD_NAME, -2),
			    KERN_SUCCESS, "with two references: its own and the notification's");
			/* The bootstrap server forgets it (after its own notification). */
			for (int i = 0; i < 100; i++) {
				if (bootstrap_look_up(bootstrap_port, name, &got) ==
				    BOOTSTRAP_UNKNOWN_SERVICE)
					break;
				mach_port_deallocate(self, got);
				usleep(10000);
			}
			TAP_EQ(bootstrap_look_up(bootstrap_port, name, &got), BOOTSTRAP_UNKNOWN_SERVICE,
			    "the bootstrap server forgets a dead service");
			TAP_EQ(bootstrap_check_in(bootstrap_port, name, &got), KERN_SUCCESS,
			    "and the name can be checked in again");
			mach_port_mod_refs(self, got, MACH_PORT_RIGHT_RECEIVE, -1);
		}

		/* A receive right moved to another task leaves this one. */
		pid = fork();
		if (pid == 0) {
			struct rcv rr;
			mach_port_t s;

			if (bootstrap_look_up(bootstrap_port, service, &s) != KERN_SUCCESS)
				_exit(1);
			memset(&rr, 0, sizeof(rr));
			if (mach_msg(&rr.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(rr), s,
			    100, 0) != MACH_RCV_INVALID_NAME)
				_exit(2);	/* a send right is not a receive right */
			_exit(0);
		}
		TAP_EQ(waitpid(pid, &status, 0), pid, "a child with only a send right");
		TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "cannot receive with it");

		TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &moved), KERN_SUCCESS,
		    "a port to give away");
		memset(&m, 0, sizeof(m));
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
		    MACH_MSGH_BITS_COMPLEX;
		m.header.msgh_remote_port = svc;
		m.header.msgh_id = 2000;
		m.body.msgh_descriptor_count = 1;
		m.port.name = moved;
		m.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		m.port.type = MACH_MSG_PORT_DESCRIPTOR;
		TAP_EQ(mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0), KERN_SUCCESS,
		    "queue it, moving its receive right");
		TAP_EQ(type_of(moved), 0, "it has left the sender");
		pid = fork();
		if (pid == 0) {
			/* The child cannot take it: the queue is the parent's. */
			_exit(type_of(svc) == MACH_PORT_TYPE_RECEIVE ? 1 : 0);
		}
		waitpid(pid, &status, 0);
		TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "a child does not inherit the parent's names");
		TAP_EQ(receive(svc, &r, 0, 1000), KERN_SUCCESS, "receive it back");
		TAP_EQ(type_of(((mach_msg_port_descriptor_t *)((char *)&r +
		    sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t)))->name),
		    MACH_PORT_TYPE_RECEIVE, "a receive right again");
		mach_msg_destroy(&r.header);
		mach_port_mod_refs(self, notify, MACH_PORT_RIGHT_RECEIVE, -1);
	}

	TAP_EQ(mach_port_mod_refs(self, svc, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	    "the service ends");
	for (int i = 0; i < 100; i++) {
		if (bootstrap_look_up(bootstrap_port, service, &got) == BOOTSTRAP_UNKNOWN_SERVICE)
			break;
		mach_port_deallocate(self, got);
		usleep(10000);
	}
	TAP_EQ(bootstrap_look_up(bootstrap_port, service, &got), BOOTSTRAP_UNKNOWN_SERVICE,
	    "and its name is free");
	return tap_done();
}
