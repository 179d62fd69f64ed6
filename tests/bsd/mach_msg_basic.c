/*
 * mach_msg_basic.c - messages within one task: inline data, the header's
 * rights (send, send-once, make-send, reply ports), send-once rights
 * consumed, queue limits that block or time out senders, receive
 * timeouts, port sets, MACH_RCV_LARGE, receive rights moving in messages
 * (and refused when they would enter their own queue), port descriptors,
 * out-of-line memory (copies, deallocate-on-send) and port arrays,
 * trailers with sequence numbers and the sender's identity, dead ports,
 * and a receiver interrupted by a signal. Nothing is left behind:
 * debug.ipc's counts come back to where they started.
 */

#include <mach/mach.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sysctl.h>

#include "mach_test.h"
#include "tap.h"

struct simple_msg {
	mach_msg_header_t	header;
	uint32_t		value;
	char			text[20];
};

struct rcv_buf {
	mach_msg_header_t	header;
	char			body[4096];
};

static mach_port_t self;

static kern_return_t
send_simple(mach_port_name_t dest, mach_msg_type_name_t dtype, mach_port_name_t reply,
    mach_msg_type_name_t rtype, mach_msg_id_t id, uint32_t value, mach_msg_option_t opt,
    mach_msg_timeout_t timeout)
{
	struct simple_msg m;

	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(dtype, rtype);
	m.header.msgh_size = 0;		/* the send size is what counts */
	m.header.msgh_remote_port = dest;
	m.header.msgh_local_port = reply;
	m.header.msgh_id = id;
	m.value = value;
	strcpy(m.text, "hello, port");
	return mach_msg(&m.header, MACH_SEND_MSG | opt, sizeof(m), 0, MACH_PORT_NULL, timeout,
	    MACH_PORT_NULL);
}

static kern_return_t
receive(mach_port_name_t name, struct rcv_buf *buf, mach_msg_size_t size, mach_msg_option_t opt,
    mach_msg_timeout_t timeout)
{
	memset(buf, 0, sizeof(*buf));
	return mach_msg(&buf->header, MACH_RCV_MSG | opt, 0, size, name, timeout, MACH_PORT_NULL);
}

static mach_port_name_t
new_port(void)
{
	mach_port_name_t p = MACH_PORT_NULL;

	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p);
	return p;
}

/* A thread that sends one message to a full queue and says when it got through. */
struct blocked_sender {
	mach_port_name_t	port;
	volatile int		done;
	kern_return_t		kr;
};

static void *
blocked_sender_main(void *arg)
{
	struct blocked_sender *b = arg;

	b->kr = send_simple(b->port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 7, 7, 0, 0);
	b->done = 1;
	return NULL;
}

struct waiter {
	mach_port_name_t	port;
	kern_return_t		kr;
};

static void *
receiver_main(void *arg)
{
	struct waiter *w = arg;
	struct rcv_buf buf;

	w->kr = receive(w->port, &buf, sizeof(buf), 0, 0);
	return NULL;
}

static void
on_alarm(int sig)
{
	(void)sig;
}

int
main(void)
{
	int ports0 = ipc_count("ports"), kmsgs0 = ipc_count("kmsgs");
	mach_port_name_t port, port2, reply, pset, moved;
	struct rcv_buf buf;
	struct simple_msg *got = (struct simple_msg *)&buf;
	kern_return_t kr;
	int i;

	self = mach_task_self();
	TAP_OK(ports0 > 0 && kmsgs0 >= 0, "debug.ipc counts read");

	/* Inline data through a send right. */
	port = new_port();
	TAP_EQ(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS,
	    "a port with a send right");
	TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 100, 42, 0, 0),
	    MACH_MSG_SUCCESS, "send a simple message");
	TAP_EQ(receive(port, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS, "receive it");
	TAP_EQ(got->header.msgh_id, 100, "its id");
	TAP_EQ(got->header.msgh_size, sizeof(struct simple_msg), "its size");
	TAP_EQ(got->value, 42, "its data");
	TAP_OK(strcmp(got->text, "hello, port") == 0, "its text");
	TAP_EQ(got->header.msgh_local_port, port, "the receiver's name for the port");
	TAP_EQ(got->header.msgh_remote_port, MACH_PORT_NULL, "no reply port");
	TAP_EQ(MACH_MSGH_BITS_LOCAL(got->header.msgh_bits), MACH_MSG_TYPE_PORT_SEND,
	    "it came through a send right");
	{
		mach_msg_trailer_t *t = (mach_msg_trailer_t *)((char *)got +
		    got->header.msgh_size);

		TAP_EQ(t->msgh_trailer_size, sizeof(mach_msg_trailer_t), "the basic trailer");
	}

	/* A reply port: make-send-once, used once, gone. */
	reply = new_port();
	TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    101, 1, 0, 0), MACH_MSG_SUCCESS, "send with a reply port");
	TAP_EQ(receive(port, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS, "receive the request");
	TAP_EQ(MACH_MSGH_BITS_REMOTE(got->header.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE,
	    "the reply right is send-once");
	{
		mach_port_name_t so = got->header.msgh_remote_port;

		TAP_EQ(type_of(so), MACH_PORT_TYPE_SEND_ONCE, "under a name of its own");
		TAP_EQ(send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 201, 2, 0,
		    0), MACH_MSG_SUCCESS, "reply through it");
		TAP_EQ(type_of(so), 0, "the send-once right is consumed");
		TAP_EQ(send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 201, 2, 0,
		    0), MACH_SEND_INVALID_DEST, "and cannot be used again");
	}
	TAP_EQ(receive(reply, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS, "the reply arrives");
	TAP_EQ(got->header.msgh_id, 201, "with its id");
	TAP_EQ(MACH_MSGH_BITS_LOCAL(got->header.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE,
	    "through the send-once right");

	/* A send-once right destroyed unused says so. */
	TAP_EQ(mach_port_insert_right(self, 0x4403, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	    KERN_SUCCESS, "make a send-once right");
	TAP_EQ(mach_port_deallocate(self, 0x4403), KERN_SUCCESS, "and throw it away");
	TAP_EQ(receive(reply, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	    "a message arrives in its place");
	TAP_EQ(got->header.msgh_id, MACH_NOTIFY_SEND_ONCE, "MACH_NOTIFY_SEND_ONCE");

	/* Receive timeouts. */
	TAP_EQ(receive(port, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT,
	    "an empty queue with no wait");
	TAP_EQ(receive(port, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 20), MACH_RCV_TIMED_OUT,
	    "an empty queue for 20 ms");

	/* The queue limit. */
	for (i = 0, kr = 0; i < MACH_PORT_QLIMIT_DEFAULT && kr == 0; i++)
		kr = send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 300 + i, i,
		    MACH_SEND_TIMEOUT, 0);
	TAP_EQ(kr, MACH_MSG_SUCCESS, "fill the queue to its limit");
	TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 399, 0,
	    MACH_SEND_TIMEOUT, 0), MACH_SEND_TIMED_OUT, "one more does not fit");
	TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 399, 0,
	    MACH_SEND_TIMEOUT, 20), MACH_SEND_TIMED_OUT, "not in 20 ms either");
	TAP_EQ(type_of(port), MACH_PORT_TYPE_SEND_RECEIVE, "the sender keeps its send right");
	{
		mach_port_name_t so = 0x4503;

		TAP_EQ(mach_port_insert_right(self, so, port, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    KERN_SUCCESS, "a send-once right to the full port");
		TAP_EQ(send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 398, 0,
		    MACH_SEND_TIMEOUT, 0), MACH_MSG_SUCCESS, "goes past the limit");
	}
	{
		struct blocked_sender b = { .port = port };
		pthread_t t;

		pthread_create(&t, NULL, blocked_sender_main, &b);
		usleep(50000);
		TAP_OK(!b.done, "a sender without a timeout waits");
		TAP_EQ(receive(port, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS,
		    "take one message");
		TAP_EQ(got->header.msgh_id, 300, "the oldest");
		usleep(20000);
		TAP_OK(!b.done, "the send-once message still fills the queue");
		TAP_EQ(receive(port, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS,
		    "take another");
		pthread_join(t, NULL);
		TAP_EQ(b.kr, MACH_MSG_SUCCESS, "the waiting sender got through");
	}
	{
		mach_port_name_t notify = new_port(), previous = MACH_PORT_NULL;

		TAP_EQ(mach_port_request_notification(self, port, MACH_NOTIFY_SEND_POSSIBLE, 0, notify,
		    MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous), KERN_SUCCESS,
		    "ask to hear when the full queue has room");
		TAP_EQ(receive(notify, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT,
		    "not yet");
		TAP_EQ(receive(port, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
		    "take a message");
		TAP_EQ(receive(notify, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
		    "the notification arrives");
		TAP_EQ(got->header.msgh_id, MACH_NOTIFY_SEND_POSSIBLE, "send possible");
		TAP_EQ(((mach_send_possible_notification_t *)got)->not_port, port,
		    "naming the send right");
		TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 310, 0,
		    MACH_SEND_TIMEOUT, 0), MACH_MSG_SUCCESS, "and there is room");
		TAP_EQ(mach_port_destroy(self, notify), KERN_SUCCESS, "the notification port goes");
	}
	{
		int ids_ok = 1, seq_ok = 1;
		mach_port_seqno_t last = 0;

		for (i = 0; i < MACH_PORT_QLIMIT_DEFAULT; i++) {
			mach_msg_security_trailer_t *t;

			if (receive(port, &buf, sizeof(buf), MACH_RCV_TIMEOUT |
			    MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER), 0) != 0) {
				ids_ok = 0;
				break;
			}
			t = (mach_msg_security_trailer_t *)((char *)got + got->header.msgh_size);
			if (i > 0 && t->msgh_seqno != last + 1u)
				seq_ok = 0;
			last = t->msgh_seqno;
		}
		TAP_OK(ids_ok, "the rest of the queue drains");
		TAP_OK(seq_ok, "with consecutive sequence numbers");
	}

	/* Trailers: who sent it. */
	TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 500, 0, 0, 0),
	    MACH_MSG_SUCCESS, "send one more");
	TAP_EQ(receive(port, &buf, sizeof(buf), MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
	    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0), MACH_MSG_SUCCESS,
	    "receive it with the audit trailer");
	{
		mach_msg_audit_trailer_t *t = (mach_msg_audit_trailer_t *)((char *)got +
		    got->header.msgh_size);

		TAP_EQ(t->msgh_trailer_size, sizeof(mach_msg_audit_trailer_t), "the trailer's size");
		TAP_EQ(t->msgh_audit.val[5], (unsigned)getpid(), "the sender's pid");
		TAP_EQ(t->msgh_audit.val[1], (unsigned)geteuid(), "its effective uid");
		TAP_EQ(t->msgh_sender.val[0], (unsigned)geteuid(), "the security token's uid");
		TAP_EQ(t->msgh_sender.val[1], (unsigned)getegid(), "and gid");
	}
	TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 501, 0, 0, 0),
	    MACH_MSG_SUCCESS, "send another");
	TAP_EQ(receive(port, &buf, sizeof(mach_msg_header_t) + 8, MACH_RCV_LARGE, 0),
	    MACH_RCV_TOO_LARGE, "too small a buffer, with MACH_RCV_LARGE");
	TAP_EQ(buf.header.msgh_size, sizeof(struct simple_msg) + sizeof(mach_msg_trailer_t),
	    "says how much room it needs");
	TAP_EQ(receive(port, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	    "the message is still there");
	TAP_EQ(got->header.msgh_id, 501, "the same one");
	TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 502, 0, 0, 0),
	    MACH_MSG_SUCCESS, "and another");
	TAP_EQ(receive(port, &buf, sizeof(mach_msg_header_t) + 8, 0, 0), MACH_RCV_TOO_LARGE,
	    "too small a buffer without MACH_RCV_LARGE");
	TAP_EQ(receive(port, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT,
	    "and the message is gone");

	/* Port sets. */
	port2 = new_port();
	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS, "a set");
	TAP_EQ(mach_port_move_member(self, port, pset), KERN_SUCCESS, "with the first port");
	TAP_EQ(mach_port_move_member(self, port2, pset), KERN_SUCCESS, "and a second");
	TAP_EQ(send_simple(port2, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 600, 0, 0, 0),
	    MACH_MSG_SUCCESS, "send to the second (make-send)");
	TAP_EQ(receive(pset, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS, "receive from the set");
	TAP_EQ(got->header.msgh_local_port, port2, "it came to the second port");
	TAP_EQ(receive(port2, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_IN_SET,
	    "a member is not received from alone");
	{
		struct waiter w = { .port = pset };
		pthread_t t;

		pthread_create(&t, NULL, receiver_main, &w);
		usleep(50000);
		TAP_EQ(send_simple(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 601, 0, 0, 0),
		    MACH_MSG_SUCCESS, "a message for a receiver waiting on the set");
		pthread_join(t, NULL);
		TAP_EQ(w.kr, MACH_MSG_SUCCESS, "wakes it");
	}
	TAP_EQ(mach_port_destroy(self, pset), KERN_SUCCESS, "the set goes");

	/* Receive rights in messages. */
	moved = new_port();
	{
		struct {
			mach_msg_header_t		header;
			mach_msg_body_t			body;
			mach_msg_port_descriptor_t	port;
		} m;

		memset(&m, 0, sizeof(m));
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
		    MACH_MSGH_BITS_COMPLEX;
		m.header.msgh_remote_port = port;
		m.header.msgh_id = 700;
		m.body.msgh_descriptor_count = 1;
		m.port.name = moved;
		m.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		m.port.type = MACH_MSG_PORT_DESCRIPTOR;
		TAP_EQ(mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0), MACH_MSG_SUCCESS,
		    "send a receive right");
		TAP_EQ(type_of(moved), 0, "it left the sender");
		TAP_EQ(receive(port, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS, "receive it");
		TAP_OK(MACH_MSGH_BITS_IS_COMPLEX(got->header.msgh_bits), "a complex message");
		{
			mach_msg_port_descriptor_t *d = (void *)((char *)got +
			    sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t));

			TAP_EQ(d->disposition, MACH_MSG_TYPE_PORT_RECEIVE, "a receive right arrives");
			TAP_EQ(type_of(d->name), MACH_PORT_TYPE_RECEIVE, "under a name");
			moved = d->name;
		}
		/* Into its own queue: refused, and nothing lost. */
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
		    MACH_MSGH_BITS_COMPLEX;
		m.header.msgh_remote_port = moved;
		m.port.name = moved;
		TAP_EQ(mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0),
		    MACH_SEND_INVALID_RIGHT, "a receive right sent to its own port is refused");
		TAP_EQ(type_of(moved), MACH_PORT_TYPE_RECEIVE, "and stays");
		/* A send right in a descriptor. */
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
		    MACH_MSGH_BITS_COMPLEX;
		m.header.msgh_remote_port = port;
		m.port.name = moved;
		m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
		TAP_EQ(mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0), MACH_MSG_SUCCESS,
		    "send a send right made from it");
		TAP_EQ(receive(port, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS, "receive it");
		{
			mach_msg_port_descriptor_t *d = (void *)((char *)got +
			    sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t));

			TAP_EQ(d->name, moved, "the send right joins the receive right's name");
			TAP_EQ(type_of(moved), MACH_PORT_TYPE_SEND_RECEIVE, "which holds both");
		}
		TAP_EQ(mach_port_destroy(self, moved), KERN_SUCCESS, "gone");
	}

	/* Out-of-line memory and port arrays. */
	{
		struct {
			mach_msg_header_t		header;
			mach_msg_body_t			body;
			mach_msg_ool_descriptor_t	data;
			mach_msg_ool_descriptor_t	gone;
			mach_msg_ool_ports_descriptor_t	ports;
		} m;
		size_t len = 3 * 4096 + 100;
		char *src = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
		char *victim = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS, -1, 0);
		mach_port_name_t names[3] = { port, port2, MACH_PORT_NULL };
		int pfd[2];

		(void)pipe(pfd);
		for (size_t k = 0; k < len; k++)
			src[k] = (char)(k * 7);
		strcpy(victim, "to be taken");
		memset(&m, 0, sizeof(m));
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
		    MACH_MSGH_BITS_COMPLEX;
		m.header.msgh_remote_port = port;
		m.header.msgh_id = 800;
		m.body.msgh_descriptor_count = 3;
		m.data.address = src;
		m.data.size = (mach_msg_size_t)len;
		m.data.copy = MACH_MSG_VIRTUAL_COPY;
		m.data.type = MACH_MSG_OOL_DESCRIPTOR;
		m.gone.address = victim;
		m.gone.size = 12;
		m.gone.deallocate = 1;
		m.gone.type = MACH_MSG_OOL_DESCRIPTOR;
		m.ports.address = names;
		m.ports.count = 3;
		m.ports.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		TAP_EQ(mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0), MACH_MSG_SUCCESS,
		    "send out-of-line memory and ports");
		src[0] = 'X';
		/* A pipe reads what it is given: an unmapped buffer is EFAULT. */
		TAP_EQ(write(pfd[1], victim, 1), -1, "deallocate-on-send took the sender's copy");
		TAP_EQ(receive(port, &buf, sizeof(buf), 0, 0), MACH_MSG_SUCCESS, "receive them");
		{
			typeof(m) *r = (void *)got;
			const char *dst = r->data.address;
			int same = r->data.size == len;

			for (size_t k = 1; same && k < len; k++)
				same = dst[k] == (char)(k * 7);
			TAP_OK(dst != src, "the data is at an address of its own");
			TAP_OK(same, "every byte arrived");
			TAP_EQ(dst[0], 0, "the sender's later write does not show");
			TAP_OK(strcmp(r->gone.address, "to be taken") == 0,
			    "the deallocated region arrived");
			TAP_EQ(r->ports.count, 3, "three names arrive");
			{
				mach_port_name_t *n = r->ports.address;

				TAP_EQ(n[0], port, "the first joins its receive right");
				TAP_EQ(n[1], port2, "so does the second");
				TAP_EQ(n[2], MACH_PORT_NULL, "a null name stays null");
			}
			mach_msg_destroy(&r->header);
		}
		close(pfd[0]);
		close(pfd[1]);
		munmap(src, len);
	}

	/* Dead ports. */
	TAP_EQ(mach_port_insert_right(self, port2, port2, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS,
	    "a send right to the second port");
	TAP_EQ(mach_port_mod_refs(self, port2, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS, "twice");
	TAP_EQ(mach_port_mod_refs(self, port2, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	    "its receive right dies");
	TAP_EQ(send_simple(port2, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 900, 0, 0, 0),
	    MACH_SEND_INVALID_DEST, "a send to a dead name");
	TAP_EQ(receive(port2, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_INVALID_NAME,
	    "a receive from a dead name");
	TAP_EQ(mach_port_destroy(self, port2), KERN_SUCCESS, "the dead name goes");
	{
		struct waiter w = { .port = new_port() };
		pthread_t t;

		pthread_create(&t, NULL, receiver_main, &w);
		usleep(50000);
		TAP_EQ(mach_port_destroy(self, w.port), KERN_SUCCESS,
		    "destroy a port a receiver waits on");
		pthread_join(t, NULL);
		TAP_OK(w.kr == MACH_RCV_PORT_DIED || w.kr == MACH_RCV_PORT_CHANGED ||
		    w.kr == MACH_RCV_INVALID_NAME, "the receiver hears of it");
	}

	/* Port destroyed: the receive right comes back instead of dying. */
	{
		mach_port_name_t doomed = new_port(), notify = new_port(), previous = MACH_PORT_NULL;

		TAP_EQ(mach_port_request_notification(self, doomed, MACH_NOTIFY_PORT_DESTROYED, 0,
		    notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous), KERN_SUCCESS,
		    "ask for the port-destroyed notification");
		TAP_EQ(mach_port_request_notification(self, doomed, MACH_NOTIFY_PORT_DESTROYED, 1,
		    notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous), KERN_INVALID_VALUE,
		    "(a sync count means nothing for it)");
		TAP_EQ(mach_port_insert_right(self, doomed, doomed, MACH_MSG_TYPE_MAKE_SEND),
		    KERN_SUCCESS, "a send right to it too");
		TAP_EQ(send_simple(doomed, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 950, 0, 0, 0),
		    MACH_MSG_SUCCESS, "a message waits in it");
		TAP_EQ(mach_port_destroy(self, doomed), KERN_SUCCESS, "destroy the name");
		TAP_EQ(receive(notify, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
		    "the notification arrives");
		TAP_EQ(got->header.msgh_id, MACH_NOTIFY_PORT_DESTROYED, "port destroyed");
		{
			mach_port_destroyed_notification_t *n = (void *)got;
			mach_port_name_t back = n->not_port.name;

			TAP_EQ(n->not_port.disposition, MACH_MSG_TYPE_PORT_RECEIVE,
			    "carrying the receive right");
			TAP_EQ(type_of(back), MACH_PORT_TYPE_RECEIVE, "alive under a new name");
			TAP_EQ(receive(back, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
			    "with its queue intact");
			TAP_EQ(got->header.msgh_id, 950, "the message that waited");
			TAP_EQ(mach_port_mod_refs(self, back, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
			    "this time it dies");
		}
		TAP_EQ(mach_port_destroy(self, notify), KERN_SUCCESS, "the notification port goes");
	}

	/* Interrupted receives. */
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		ualarm(30000, 0);
		TAP_EQ(receive(port, &buf, sizeof(buf), MACH_RCV_INTERRUPT, 0), MACH_RCV_INTERRUPTED,
		    "a signal ends a receive with MACH_RCV_INTERRUPT");
		ualarm(30000, 0);
		TAP_EQ(receive(port, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 200), MACH_RCV_TIMED_OUT,
		    "without it mach_msg waits on until its timeout");
	}

	TAP_EQ(mach_port_destroy(self, port), KERN_SUCCESS, "the first port goes");
	TAP_EQ(mach_port_destroy(self, reply), KERN_SUCCESS, "the reply port goes");
	TAP_EQ(ipc_count("ports"), ports0, "as many ports as at the start");
	TAP_EQ(ipc_count("kmsgs"), kmsgs0, "as many messages held as at the start");
	return tap_done();
}
