/*
 * mach_msg_badargs.c - bad messages: sizes that are too small, too large
 * or disagree with the descriptors, unmapped and kernel buffers, bogus
 * names, wrong dispositions, descriptors of no known type, out-of-line
 * regions and port arrays that cannot be read, rights the sender does
 * not hold, vouchers, and a bad receive buffer. Each gets its
 * MACH_SEND_* or MACH_RCV_* error, the sender keeps every right it had,
 * the receiver gets nothing, and a fuzz of random messages leaves the
 * kernel holding what it held before (debug.ipc.*).
 */

#include <mach/mach.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/sysctl.h>

#include "mach_test.h"
#include "tap.h"

static mach_port_t self, port;

static mach_port_urefs_t
send_refs(mach_port_t name)
{
	mach_port_urefs_t r = 0;

	(void)mach_port_get_refs(self, name, MACH_PORT_RIGHT_SEND, &r);
	return r;
}

static mach_msg_return_t
send_raw(void *msg, mach_msg_size_t size)
{
	return mach_msg_trap(msg, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, 0, 0, 0);
}

static int
queue_empty(void)
{
	struct {
		mach_msg_header_t	h;
		char			body[256];
	} r;

	return mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), port, 0, 0) ==
	    MACH_RCV_TIMED_OUT;
}

struct complex1 {
	mach_msg_header_t	header;
	mach_msg_body_t		body;
	union {
		mach_msg_port_descriptor_t	port;
		mach_msg_ool_descriptor_t	ool;
		mach_msg_ool_ports_descriptor_t	ports;
		mach_msg_type_descriptor_t	type;
	} d;
};

static void
complex_init(struct complex1 *m)
{
	memset(m, 0, sizeof(*m));
	m->header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m->header.msgh_remote_port = port;
	m->body.msgh_descriptor_count = 1;
}

int
main(void)
{
	mach_msg_header_t h;
	struct complex1 m;
	int ports0, kmsgs0;
	mach_port_t other;

	self = mach_task_self();
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &other);
	(void)queue_empty();
	ports0 = ipc_count("ports");
	kmsgs0 = ipc_count("kmsgs");

	/* Sizes. */
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_remote_port = port;
	TAP_EQ(send_raw(&h, 20), MACH_SEND_MSG_TOO_SMALL, "a send size under a header");
	TAP_EQ(send_raw(&h, 0), MACH_SEND_MSG_TOO_SMALL, "a send size of 0");
	TAP_EQ(send_raw(&h, 26), MACH_SEND_MSG_TOO_SMALL, "a send size not a multiple of 4");
	TAP_EQ(send_raw(&h, 0x7ffffffc), MACH_SEND_TOO_LARGE, "a send size of 2 GiB");
	TAP_EQ(send_raw(NULL, sizeof(h)), MACH_SEND_INVALID_DATA, "a null message");
	TAP_EQ(send_raw((void *)8, sizeof(h)), MACH_SEND_INVALID_DATA, "an unmapped message");
	TAP_EQ(send_raw((void *)0xffff800000001000ULL, sizeof(h)), MACH_SEND_INVALID_DATA,
	    "a message in kernel memory");
	TAP_EQ(mach_msg_trap(&h, MACH_SEND_MSG, sizeof(h), 0, 0, 0, 0), MACH_MSG_SUCCESS,
	    "the same header, sent right");
	TAP_OK(!queue_empty(), "arrives");

	/* The header. */
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_RECEIVE, 0);
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_HEADER, "a receive right as destination");
	h.msgh_bits = MACH_MSGH_BITS(0, 0);
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_HEADER, "no disposition at all");
	h.msgh_bits = MACH_MSGH_BITS(31, 0);
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_HEADER, "disposition 31");
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_remote_port = 0x7fff03;
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_DEST, "a name never allocated");
	h.msgh_remote_port = MACH_PORT_NULL;
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_DEST, "MACH_PORT_NULL");
	h.msgh_remote_port = other;
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_DEST,
	    "a copy of a send right the name does not hold");
	h.msgh_remote_port = port;
	h.msgh_local_port = 0x7fff03;
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_REPLY, "a bogus reply port");
	h.msgh_local_port = other;
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 7);
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_HEADER, "reply disposition 7");
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_SEND);
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_REPLY,
	    "a reply right the name does not hold");
	h.msgh_local_port = MACH_PORT_NULL;
	h.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_voucher_port = port;
	TAP_EQ(send_raw(&h, sizeof(h)), MACH_SEND_INVALID_VOUCHER, "a voucher (Machina has none)");
	h.msgh_voucher_port = MACH_PORT_NULL;
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	TAP_EQ(send_refs(port), 1, "the sender still has its one send reference");
	TAP_OK(queue_empty(), "none of those arrived");

	/* Descriptors. */
	complex_init(&m);
	TAP_EQ(send_raw(&m, sizeof(mach_msg_header_t)), MACH_SEND_MSG_TOO_SMALL,
	    "a complex message without its body");
	TAP_EQ(send_raw(&m, sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t)),
	    MACH_SEND_MSG_TOO_SMALL, "a descriptor count past the message's end");
	m.body.msgh_descriptor_count = 100000;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_TOO_LARGE, "a hundred thousand descriptors");
	m.body.msgh_descriptor_count = 1;
	m.d.type.type = 9;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_TYPE, "descriptor type 9");
	complex_init(&m);
	m.d.port.type = MACH_MSG_PORT_DESCRIPTOR;
	m.d.port.name = port;
	m.d.port.disposition = 3;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_TYPE, "a port disposition 3");
	m.d.port.disposition = MACH_MSG_TYPE_COPY_RECEIVE;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_TYPE, "copy-receive");
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.d.port.name = 0x7fff03;
	m.d.port.disposition = MACH_MSG_TYPE_MOVE_SEND;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_RIGHT, "a right the sender lacks");
	TAP_EQ(send_refs(port), 1, "the destination's moved reference came back");
	m.d.port.name = other;
	m.d.port.disposition = MACH_MSG_TYPE_MOVE_SEND_ONCE;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_RIGHT,
	    "a send-once right the name lacks");
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	complex_init(&m);
	m.d.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	m.d.ool.address = (void *)8;
	m.d.ool.size = 4096;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_MEMORY, "out-of-line from nowhere");
	m.d.ool.address = (void *)0xffff800000001000ULL;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_MEMORY, "out-of-line from the kernel");
	m.d.ool.address = &m;
	m.d.ool.size = 0x7fffffff;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_TOO_LARGE, "2 GiB out of line");
	complex_init(&m);
	m.d.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	m.d.ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.d.ports.address = (void *)8;
	m.d.ports.count = 4;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_MEMORY, "a port array from nowhere");
	m.d.ports.count = 1u << 30;
	TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_TOO_LARGE, "a billion ports");
	{
		mach_port_t names[3] = { port, 0x7fff03, port };

		m.d.ports.address = names;
		m.d.ports.count = 3;
		TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_RIGHT,
		    "a port array with a name not held");
		m.d.ports.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		TAP_EQ(send_raw(&m, sizeof(m)), MACH_SEND_INVALID_TYPE,
		    "receive rights in a port array");
	}
	TAP_EQ(send_refs(port), 1, "still one send reference");
	TAP_OK(queue_empty(), "and nothing arrived");

	/* Receiving. */
	{
		mach_msg_header_t r;

		TAP_EQ(mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), 0x7fff03, 0, 0),
		    MACH_RCV_INVALID_NAME, "receive on a name never allocated");
		TAP_EQ(mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), self, 0, 0),
		    MACH_RCV_INVALID_NAME, "receive on a send right");
		memset(&h, 0, sizeof(h));
		h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		h.msgh_remote_port = port;
		TAP_EQ(mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, 0, 0, 0), MACH_MSG_SUCCESS, "send one");
		TAP_EQ(mach_msg_trap((void *)8, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 64, port, 0, 0),
		    MACH_RCV_INVALID_DATA, "receive into an unmapped buffer");
		TAP_OK(queue_empty(), "the message is gone, not stuck");
	}

	/* Random messages: some are refused, some get through; none hurts the port. */
	{
		static uint32_t buf[64];
		int refused = 0, accepted = 0, intact = 1;

		srand(42);
		for (int i = 0; i < 20000 && intact; i++) {
			mach_msg_header_t *mh = (void *)buf;
			mach_msg_size_t size = (mach_msg_size_t)((rand() % 64) * 4);
			mach_port_type_t t = 0;

			for (int k = 0; k < 64; k++)
				buf[k] = (uint32_t)rand() * (uint32_t)rand();
			if (rand() % 2)
				mh->msgh_bits = (mh->msgh_bits & ~0x1fu) | MACH_MSG_TYPE_COPY_SEND;
			if (rand() % 2)
				mh->msgh_bits &= MACH_MSGH_BITS_COMPLEX | 0x1f;
			mh->msgh_remote_port = port;
			if (rand() % 2)
				mh->msgh_local_port = MACH_PORT_NULL;
			if (rand() % 4 == 0) {
				mh->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
				buf[sizeof(*mh) / 4] = (uint32_t)(rand() % 4);
			}
			if (mach_msg_trap(mh, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, 0, 0, 0) ==
			    MACH_MSG_SUCCESS)
				accepted++;
			else
				refused++;
			while (!queue_empty())
				;
			intact = mach_port_type(self, port, &t) == KERN_SUCCESS &&
			    (t & MACH_PORT_TYPE_RECEIVE) != 0;
		}
		TAP_OK(intact, "twenty thousand random messages leave the port's receive right");
		TAP_OK(refused > 0 && accepted > 0, "some were refused, some went through");
		tap_printf("# %d refused, %d went through\n", refused, accepted);
	}
	{
		mach_port_type_t t = 0;

		/* (A random message may have moved the send right away: that is allowed.) */
		TAP_EQ(mach_port_type(self, port, &t), KERN_SUCCESS, "the port's name lives");
		TAP_OK((t & MACH_PORT_TYPE_RECEIVE) != 0, "with its receive right");
	}
	TAP_EQ(ipc_count("ports"), ports0, "as many ports as before");
	TAP_EQ(ipc_count("kmsgs"), kmsgs0, "as many messages held");
	{
		/*
		 * A request to a kernel object whose reply port is a receive
		 * right (MOVE_RECEIVE): the right is destroyed with the reply,
		 * not left holding a reply nobody can receive (syscall_fuzz -m,
		 * seed 3, call 21).
		 */
		int p0 = ipc_count("ports"), k0 = ipc_count("kmsgs");
		mach_msg_header_t q;
		mach_port_t r = MACH_PORT_NULL;

		mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &r);
		memset(&q, 0, sizeof(q));
		q.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_RECEIVE);
		q.msgh_size = sizeof(q);
		q.msgh_remote_port = mach_host_self();
		q.msgh_local_port = r;
		q.msgh_id = 3210;
		TAP_EQ(send_raw(&q, sizeof(q)), MACH_MSG_SUCCESS,
		    "a request to the host with a receive right as its reply port is sent");
		TAP_EQ(type_of(r), 0, "the receive right has left the sender");
		TAP_EQ(ipc_count("ports"), p0, "the reply port is gone with the reply");
		TAP_EQ(ipc_count("kmsgs"), k0, "no reply is left queued");
	}
	return tap_done();
}
