/*
 * mig_adder.c - a server and its client written with the interface
 * generator (tests/bsd/mig_adder.defs, docs/mig.md), as a user of Machina
 * would write them: the server checks in with the bootstrap server and
 * answers through the generated mig_adder_server(); the client, another
 * task, looks it up and calls the generated stubs. Scalars, inline arrays,
 * strings, out-of-line data, the caller's identity from the trailer, a
 * one-way message, and errors from the server reaching the client.
 */

#include <mach/mach.h>
#include <mach/mig.h>
#include <servers/bootstrap.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "mig_adder.h"
#include "mig_adderServer.h"
#include "tap.h"

static int pokes;

kern_return_t
srv_adder_add(mach_port_t server, int32_t a, int32_t b, int32_t *sum)
{
	(void)server;
	if ((b > 0 && a > INT32_MAX - b) || (b < 0 && a < INT32_MIN - b))
		return KERN_INVALID_ARGUMENT;	/* it would overflow */
	*sum = a + b;
	return KERN_SUCCESS;
}

kern_return_t
srv_adder_sum_list(mach_port_t server, int32_list_t list, mach_msg_type_number_t listCnt,
    int64_t *sum, int32_t *count)
{
	(void)server;
	*sum = 0;
	for (mach_msg_type_number_t i = 0; i < listCnt; i++)
		*sum += list[i];
	*count = (int32_t)listCnt;
	return KERN_SUCCESS;
}

kern_return_t
srv_adder_whoami(mach_port_t server, audit_token_t caller, int32_t *pid)
{
	(void)server;
	*pid = (int32_t)caller.val[5];
	return KERN_SUCCESS;
}

kern_return_t
srv_adder_checksum(mach_port_t server, blob_t data, mach_msg_type_number_t dataCnt, char *label,
    uint32_t *sum, label_t echo)
{
	(void)server;
	*sum = 0;
	for (mach_msg_type_number_t i = 0; i < dataCnt; i++)
		*sum += data[i];
	/* The out-of-line data is the server's now: it gives the pages back. */
	munmap(data, dataCnt);
	snprintf(echo, sizeof(label_t), "%s:%u", label, (unsigned)dataCnt);
	return KERN_SUCCESS;
}

kern_return_t
srv_adder_poke(mach_port_t server, int32_t n)
{
	(void)server;
	pokes += n;
	return KERN_SUCCESS;
}

kern_return_t
srv_adder_pokes(mach_port_t server, int32_t *total)
{
	(void)server;
	*total = pokes;
	return KERN_SUCCESS;
}

/* The server's loop: receive with the audit trailer, demultiplex, answer. */
static void
serve(mach_port_t port)
{
	union {
		mach_msg_header_t	header;
		char			buf[4096];
	} in, out;

	for (;;) {
		if (mach_msg(&in.header, MACH_RCV_MSG |
		    MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0,
		    sizeof(in) - MAX_TRAILER_SIZE, port, 0, 0) != MACH_MSG_SUCCESS)
			continue;
		memset(&out, 0, sizeof(out));
		if (!mig_adder_server(&in.header, &out.header) ||
		    ((mig_reply_error_t *)&out)->RetCode != KERN_SUCCESS) {
			mach_port_t reply = in.header.msgh_remote_port;

			in.header.msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(&in.header);
			in.header.msgh_remote_port = reply;
		}
		if (MACH_PORT_VALID(out.header.msgh_remote_port))
			(void)mach_msg(&out.header, MACH_SEND_MSG, out.header.msgh_size, 0, 0, 0, 0);
	}
}

int
main(void)
{
	char name[64];
	mach_port_t port, server;
	pid_t pid;
	int p[2];
	char c;

	snprintf(name, sizeof(name), "org.machina.test.adder.%d", (int)getpid());
	if (!MACH_PORT_VALID(bootstrap_port)) {
		/* Run from the kernel console (init=none): no init, no bootstrap server. */
		printf("ok 1 - bootstrap # SKIP no bootstrap server: init is not running\n1..1\n");
		return 0;
	}
	(void)pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (bootstrap_check_in(bootstrap_port, name, &port) != KERN_SUCCESS)
			_exit(1);
		(void)write(p[1], "x", 1);
		close(p[1]);
		serve(port);
	}
	close(p[1]);
	TAP_EQ(read(p[0], &c, 1), 1, "the server checks in");
	close(p[0]);
	TAP_EQ(bootstrap_look_up(bootstrap_port, name, &server), KERN_SUCCESS,
	    "the client looks it up");

	{
		int32_t sum = 0;

		TAP_EQ(adder_add(server, 2, 40, &sum), KERN_SUCCESS, "adder_add");
		TAP_EQ(sum, 42, "2 + 40");
		TAP_EQ(adder_add(server, INT32_MAX, 1, &sum), KERN_INVALID_ARGUMENT,
		    "the server's error reaches the client");
	}
	{
		int32_t list[64], count = 0;
		int64_t sum = 0;

		for (int i = 0; i < 64; i++)
			list[i] = i * 1000;
		TAP_EQ(adder_sum_list(server, list, 64, &sum, &count), KERN_SUCCESS,
		    "adder_sum_list, 64 numbers inline");
		TAP_EQ(sum, 2016000, "their sum");
		TAP_EQ(count, 64, "their count");
		TAP_EQ(adder_sum_list(server, list, 0, &sum, &count), KERN_SUCCESS, "an empty list");
		TAP_EQ(count, 0, "counts none");
		TAP_EQ(adder_sum_list(server, list, 65, &sum, &count), MIG_ARRAY_TOO_LARGE,
		    "65 numbers do not fit the interface");
	}
	{
		int32_t pid_seen = 0;

		TAP_EQ(adder_whoami(server, &pid_seen), KERN_SUCCESS, "adder_whoami");
		TAP_EQ(pid_seen, getpid(), "the server knows the client by the kernel's word");
	}
	{
		size_t len = 3 * 4096 + 123;
		uint8_t *data = malloc(len);
		uint32_t expect = 0, sum = 0;
		label_t echo;

		for (size_t i = 0; i < len; i++) {
			data[i] = (uint8_t)(i * 13);
			expect += data[i];
		}
		TAP_EQ(adder_checksum(server, data, (mach_msg_type_number_t)len, "blob", &sum, echo),
		    KERN_SUCCESS, "adder_checksum, 12 KiB out of line");
		TAP_EQ(sum, expect, "the server summed every byte");
		TAP_OK(strcmp(echo, "blob:12411") == 0, "and echoed the label");
		free(data);
	}
	{
		int32_t total = 0;

		for (int i = 1; i <= 10; i++)
			(void)adder_poke(server, i);
		TAP_EQ(adder_pokes(server, &total), KERN_SUCCESS, "ten one-way messages, then ask");
		TAP_EQ(total, 55, "the server had them all");
	}
	{
		union {
			mach_msg_header_t	h;
			mig_reply_error_t	err;
			char			buf[sizeof(mig_reply_error_t) + MAX_TRAILER_SIZE];
		} m;

		memset(&m, 0, sizeof(m));
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.h.msgh_remote_port = server;
		m.h.msgh_local_port = mig_get_reply_port();
		m.h.msgh_id = 9199;
		TAP_EQ(mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.h), sizeof(m),
		    m.h.msgh_local_port, 0, 0), KERN_SUCCESS, "a message id the interface lacks");
		TAP_EQ(m.err.RetCode, MIG_BAD_ID, "is answered MIG_BAD_ID");
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	{
		int32_t sum = 0;

		TAP_EQ(adder_add(server, 1, 1, &sum), MACH_SEND_INVALID_DEST,
		    "a dead server: the send fails");
	}
	return tap_done();
}
