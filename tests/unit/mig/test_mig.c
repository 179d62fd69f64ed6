/*
 * test_mig.c - tools/mig/mig.py: the stubs it generates from migtest.defs,
 * user side and server side, talking through a loopback mach_msg.
 *
 * The loopback does what the kernel will: it turns the request's header
 * round (the destination becomes msgh_local_port, the reply port
 * msgh_remote_port), turns each disposition into the right received,
 * appends an audit trailer and hands the request to migtest_server(); the
 * reply goes the same way back with a plain trailer. Out-of-line memory and
 * ports travel as host pointers and integers. Requests are copied into
 * buffers of exactly their size plus the trailer, so ASan sees any read
 * past what a request holds.
 *
 * Malformed requests (short, wrong descriptors, counts out of bounds, bad
 * ids) are built from a well-formed one captured on its way out and must
 * get the right MIG error without the server's routine being called.
 * Malformed replies must get the right error in the caller. Bad .defs
 * input must get a FILE:LINE message and exit status 1.
 */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "migtest.h"
#include "migtestServer.h"

#define SERVER_NAME	0x1103u
#define REPLY_NAME	0x503u
#define AUDIT_PID	4242u

/* --- the loopback -------------------------------------------------------- */

static struct {
	mach_msg_return_t	send_error;	/* fail the send with this */
	mach_msg_return_t	rcv_error;	/* or the receive */
	int			capture;	/* keep the request, send nothing */
	unsigned char		*captured;
	mach_msg_size_t		captured_size;
	void			(*mangle_reply)(mach_msg_header_t *reply);
	mach_msg_trailer_size_t	trailer_size;	/* the request's trailer, if not 0 */
	int			served;		/* requests handed to the server */
	int			replies;	/* replies handed back */
	int			put_reply, dealloc_reply, destroyed;
	mach_msg_ool_descriptor_t reply_ool;	/* the last reply's first OOL descriptor */
	mach_msg_option_t	option;		/* the last call's options */
	mach_msg_timeout_t	timeout;	/* and timeout */
} fake;

mach_port_t
mig_get_reply_port(void)
{
	return REPLY_NAME;
}

void
mig_put_reply_port(mach_port_t port)
{
	cr_assert_eq(port, REPLY_NAME);
	fake.put_reply++;
}

void
mig_dealloc_reply_port(mach_port_t port)
{
	cr_assert_eq(port, REPLY_NAME);
	fake.dealloc_reply++;
}

void
mach_msg_destroy(mach_msg_header_t *msg)
{
	(void)msg;
	fake.destroyed++;
}

static mach_msg_type_name_t
received(mach_msg_type_name_t disposition)
{
	switch (disposition) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	}
	return 0;
}

/* Descriptors differ in size: a port descriptor is the smallest. */
static mach_msg_descriptor_t *
next_descriptor(mach_msg_descriptor_t *d)
{
	size_t size = d->type.type == MACH_MSG_PORT_DESCRIPTOR ? sizeof(mach_msg_port_descriptor_t) :
	    sizeof(mach_msg_ool_descriptor_t);

	return (mach_msg_descriptor_t *)((char *)d + size);
}

/* What the kernel does to a message between send and receive. */
static void
deliver(mach_msg_header_t *m)
{
	mach_port_t remote = m->msgh_remote_port;
	mach_msg_bits_t bits = m->msgh_bits;
	mach_msg_descriptor_t *d;
	mach_msg_size_t i, n;

	m->msgh_remote_port = m->msgh_local_port;
	m->msgh_local_port = remote;
	m->msgh_bits = MACH_MSGH_BITS_OTHER(bits) |
	    MACH_MSGH_BITS(received(MACH_MSGH_BITS_LOCAL(bits)), received(MACH_MSGH_BITS_REMOTE(bits)));
	if (!MACH_MSGH_BITS_IS_COMPLEX(bits))
		return;
	n = ((mach_msg_base_t *)m)->body.msgh_descriptor_count;
	d = (mach_msg_descriptor_t *)((mach_msg_base_t *)m + 1);
	for (i = 0; i < n; i++, d = next_descriptor(d)) {
		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR)
			d->port.disposition = received(d->port.disposition);
		else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
			d->ool_ports.disposition = received(d->ool_ports.disposition);
	}
}

/* Serve a request of exactly size bytes (plus a trailer); the reply's RetCode. */
static kern_return_t
serve(const void *request, mach_msg_size_t size, boolean_t *handled, mach_msg_header_t **reply_out)
{
	mach_msg_size_t room = size < sizeof(mach_msg_header_t) ? sizeof(mach_msg_header_t) : size;
	mach_msg_audit_trailer_t trailer = {
		.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0,
		.msgh_trailer_size = fake.trailer_size ? fake.trailer_size : sizeof(trailer),
		.msgh_sender = { { 501, 20 } },
		.msgh_audit = { { 0, 501, 20, 501, 20, AUDIT_PID, 1, 7 } },
	};
	unsigned char *req = malloc(MIG_ROUND4(room) + sizeof(trailer));
	mach_msg_header_t *reply = malloc(migtest_subsystem.maxsize);
	kern_return_t kr;

	memset(req, 0, MIG_ROUND4(room));
	memcpy(req, request, room);
	memcpy(req + MIG_ROUND4(size), &trailer, sizeof(trailer));
	memset(reply, 0xa5, migtest_subsystem.maxsize);
	*handled = migtest_server((mach_msg_header_t *)req, reply);
	kr = ((mig_reply_error_t *)reply)->RetCode;
	free(req);
	if (reply_out != NULL)
		*reply_out = reply;
	else
		free(reply);
	return kr;
}

mach_msg_return_t
mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
    mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
    mach_port_name_t notify)
{
	mach_msg_header_t *reply;
	mach_msg_trailer_t trailer = { MACH_MSG_TRAILER_FORMAT_0, sizeof(trailer) };
	boolean_t handled;
	unsigned char *req;

	(void)notify;
	fake.option = option;
	fake.timeout = timeout;
	cr_assert(option & MACH_SEND_MSG);
	cr_assert_eq(send_size, msg->msgh_size);
	cr_assert_eq(send_size % 4, 0, "message sizes are multiples of 4");
	cr_assert_eq(msg->msgh_remote_port, SERVER_NAME);
	if (fake.send_error != MACH_MSG_SUCCESS)
		return fake.send_error;
	req = malloc(send_size);
	memcpy(req, msg, send_size);
	deliver((mach_msg_header_t *)req);
	if (fake.capture) {
		free(fake.captured);
		fake.captured = req;
		fake.captured_size = send_size;
		return MACH_SEND_INVALID_DEST;
	}
	fake.served++;
	serve(req, send_size, &handled, &reply);
	free(req);
	if (!(option & MACH_RCV_MSG)) {
		cr_assert_eq(msg->msgh_local_port, MACH_PORT_NULL);
		free(reply);
		return MACH_MSG_SUCCESS;
	}
	cr_assert_eq(rcv_name, REPLY_NAME);
	cr_assert_eq(reply->msgh_remote_port, REPLY_NAME);
	cr_assert_eq(MACH_MSGH_BITS_REMOTE(reply->msgh_bits), MACH_MSG_TYPE_MOVE_SEND_ONCE);
	deliver(reply);
	if (MACH_MSGH_BITS_IS_COMPLEX(reply->msgh_bits)) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)((mach_msg_base_t *)reply + 1);
		mach_msg_size_t i;

		for (i = 0; i < ((mach_msg_base_t *)reply)->body.msgh_descriptor_count; i++) {
			if (d->type.type == MACH_MSG_OOL_DESCRIPTOR) {
				fake.reply_ool = d->out_of_line;
				break;
			}
			d = next_descriptor(d);
		}
	}
	if (fake.mangle_reply != NULL)
		fake.mangle_reply(reply);
	if (fake.rcv_error != MACH_MSG_SUCCESS) {
		free(reply);
		return fake.rcv_error;
	}
	cr_assert_leq(reply->msgh_size + sizeof(trailer), rcv_size);
	memcpy(msg, reply, reply->msgh_size);
	memcpy((char *)msg + reply->msgh_size, &trailer, sizeof(trailer));
	free(reply);
	fake.replies++;
	return MACH_MSG_SUCCESS;
}

static void
reset(void)
{
	free(fake.captured);
	memset(&fake, 0, sizeof(fake));
}

/* --- the server's routines ---------------------------------------------- */

static struct {
	int		fuzzing;	/* take nothing from the arguments */
	int		calls;
	int		simple_v;
	mach_port_t	port, poly, ports[4], reply;
	mach_msg_type_name_t poly_type, port_disposition_seen;
	mach_msg_type_number_t nports, ovar_room;
	char		name[32], vname[24];
	int		after;
	char		data[16];
	mach_msg_type_number_t data_len, words_len;
	int		words[64];
	mach_port_t	out_ports[3];
	int		ool_out[5];
} srv;

kern_return_t
s_migtest_scalars(mach_port_t server, int a, int64_t b, char c, boolean_t d, int64_t *sum, int *acc)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	cr_assert_eq(server, SERVER_NAME);
	*sum = a + b + c + d;
	*acc += a;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_arrays(mach_port_t server, int_fixed_t fixed, int_var_t var, mach_msg_type_number_t varCnt,
    bytes_var_t bytes, mach_msg_type_number_t bytesCnt, int tail, int_fixed_t ofixed,
    bytes_var_t obytes, mach_msg_type_number_t *obytesCnt, int_var_t ovar,
    mach_msg_type_number_t *ovarCnt, int *otail, int_var_t io, mach_msg_type_number_t *ioCnt)
{
	mach_msg_type_number_t i;

	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	cr_assert_eq(varCnt, 3);
	cr_assert_eq(bytesCnt, 5);
	cr_assert_eq(memcmp(bytes, "hello", 5), 0);
	cr_assert_eq(*obytesCnt, 10, "an out count starts at the bound");
	cr_assert_eq(*ovarCnt, 8);
	cr_assert_eq(*ioCnt, 2, "an inout count starts at what came in");
	for (i = 0; i < 4; i++)
		ofixed[i] = fixed[3 - i];
	memcpy(obytes, "abc", 3);
	*obytesCnt = 3;
	for (i = 0; i < 5; i++)
		ovar[i] = 100 + (int)i + var[i % varCnt];
	*ovarCnt = 5;
	*otail = tail + 1;
	io[0] *= 2;
	io[1] = -1;
	*ioCnt = 1;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_countinout(mach_port_t server, int_var_t ovar, mach_msg_type_number_t *ovarCnt)
{
	mach_msg_type_number_t i;

	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	srv.ovar_room = *ovarCnt;
	for (i = 0; i < *ovarCnt; i++)
		ovar[i] = (int)i * 3;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_structs(mach_port_t server, point_t p, short_pair_t sp, point_t *q)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	q->x = p.x * sp.lo;
	q->y = p.y * sp.hi;
	q->z = p.z + sp.lo + sp.hi;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_ool(mach_port_t server, vm_offset_t data, mach_msg_type_number_t dataCnt,
    int_ool_t words, mach_msg_type_number_t wordsCnt, vm_offset_t *odata,
    mach_msg_type_number_t *odataCnt)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	cr_assert_leq(dataCnt, sizeof(srv.data));
	memcpy(srv.data, (void *)data, dataCnt);
	srv.data_len = dataCnt;
	memcpy(srv.words, words, wordsCnt * sizeof(int));
	srv.words_len = wordsCnt;
	*odata = (vm_offset_t)srv.ool_out;
	*odataCnt = sizeof(srv.ool_out);
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_ports(mach_port_t server, mach_port_t p, mach_port_t poly, mach_msg_type_name_t polyPoly,
    mach_port_array_t ports, mach_msg_type_number_t portsCnt, mach_port_t *op,
    mach_port_t *opoly, mach_msg_type_name_t *opolyPoly, mach_port_array_t *oports,
    mach_msg_type_number_t *oportsCnt)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	srv.port = p;
	srv.poly = poly;
	srv.poly_type = polyPoly;
	cr_assert_leq(portsCnt, 4);
	memcpy(srv.ports, ports, portsCnt * sizeof(mach_port_t));
	srv.nports = portsCnt;
	*op = 0x2203;
	*opoly = 0x2303;
	*opolyPoly = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	*oports = srv.out_ports;
	*oportsCnt = 3;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_simple(mach_port_t server, int v)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	srv.simple_v = v;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_audit(mach_port_t server, audit_token_t token, int *pid)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	*pid = (int)token.val[5];
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_strings(mach_port_t server, char *name, char *vname, int after, name_t oname,
    vname_t ovname, int *oafter)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	snprintf(srv.name, sizeof(srv.name), "%s", name);
	snprintf(srv.vname, sizeof(srv.vname), "%s", vname);
	srv.after = after;
	strcpy(oname, "reply-name");
	strcpy(ovname, "x.y");
	*oafter = after * 2;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_fail(mach_port_t server, kern_return_t code, int *never)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	*never = 99;
	return code;
}

kern_return_t
s_migtest_options(mach_port_t server, mach_port_array_t ports, mach_msg_type_number_t portsCnt)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	cr_assert_leq(portsCnt, 4);
	memcpy(srv.ports, ports, portsCnt * sizeof(mach_port_t));
	srv.nports = portsCnt;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_sectoken(mach_port_t server, security_token_t token, int *uid, point_array_t pts,
    mach_msg_type_number_t *ptsCnt)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	*uid = (int)token.val[0];
	cr_assert_eq(*ptsCnt, 2);
	pts[1].z += 100;
	pts[2] = (point_t){ 7, 8, 9 };
	*ptsCnt = 3;
	return KERN_SUCCESS;
}

kern_return_t
s_migtest_reply(mach_port_t server, mach_port_t reply)
{
	srv.calls++;
	if (srv.fuzzing)
		return KERN_SUCCESS;
	(void)server;
	srv.reply = reply;
	return KERN_SUCCESS;
}

static void
setup(void)
{
	reset();
	memset(&srv, 0, sizeof(srv));
	srv.out_ports[0] = 0x3103;
	srv.out_ports[1] = 0x3203;
	srv.out_ports[2] = 0x3303;
	for (int i = 0; i < 5; i++)
		srv.ool_out[i] = 1000 + i;
}

static void
teardown(void)
{
	reset();
}

TestSuite(mig, .init = setup, .fini = teardown);

/* --- every argument round-trips ------------------------------------------ */

Test(mig, scalars_round_trip)
{
	int64_t sum = 0;
	int acc = 10;

	cr_assert_eq(u_migtest_scalars(SERVER_NAME, 5, (int64_t)1 << 40, 'x', TRUE, &sum, &acc), KERN_SUCCESS);
	cr_assert_eq(sum, 5 + ((int64_t)1 << 40) + 'x' + 1);
	cr_assert_eq(acc, 15);
	cr_assert_eq(fake.replies, 1);
}

Test(mig, inline_arrays_fixed_and_variable)
{
	int fixed[4] = { 1, 2, 3, 4 }, var[3] = { 7, 8, 9 };
	int ofixed[4], ovar[8], io[8] = { 5, 6 };
	char obytes[10];
	mach_msg_type_number_t obytesCnt = 10, ovarCnt = 8, ioCnt = 2;
	int otail = 0;

	kern_return_t kr = u_migtest_arrays(SERVER_NAME, fixed, var, 3, "hello", 5, 77, ofixed, obytes,
	    &obytesCnt, ovar, &ovarCnt, &otail, io, &ioCnt);
	cr_assert_eq(kr, KERN_SUCCESS, "kr %d", kr);
	cr_assert_eq(ofixed[0], 4);
	cr_assert_eq(ofixed[3], 1);
	cr_assert_eq(obytesCnt, 3);
	cr_assert_eq(memcmp(obytes, "abc", 3), 0);
	cr_assert_eq(ovarCnt, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(ovar[i], 100 + i + var[i % 3]);
	cr_assert_eq(otail, 78, "a field after variable arrays lands where it should");
	cr_assert_eq(ioCnt, 1, "an inout array comes back with its new count");
	cr_assert_eq(io[0], 10);
	cr_assert_eq(io[1], 6, "and no more");
}

Test(mig, caller_limits_are_kept)
{
	int fixed[4] = { 0 }, var[9] = { 0 };
	int ofixed[4], ovar[8] = { 0 }, io[8] = { 1, 2 };
	char obytes[10];
	mach_msg_type_number_t obytesCnt = 10, ovarCnt = 2, ioCnt = 2;
	int otail;

	cr_assert_eq(u_migtest_arrays(SERVER_NAME, fixed, var, 9, "x", 1, 0, ofixed, obytes,
	    &obytesCnt, ovar, &ovarCnt, &otail, io, &ioCnt), MIG_ARRAY_TOO_LARGE);
	cr_assert_eq(fake.served, 0, "an over-long array is refused before sending");

	/* The server returns 5 elements; there is room for 2. */
	cr_assert_eq(u_migtest_arrays(SERVER_NAME, fixed, var, 3, "hello", 5, 0, ofixed, obytes,
	    &obytesCnt, ovar, &ovarCnt, &otail, io, &ioCnt), MIG_ARRAY_TOO_LARGE);
	cr_assert_eq(ovarCnt, 5, "the count says how many there were");
	cr_assert_eq(ovar[1], 101 + var[1]);
	cr_assert_eq(ovar[2], 0, "nothing past the room given");
}

Test(mig, count_in_out_tells_the_server_the_room)
{
	int ovar[8] = { 0 };
	mach_msg_type_number_t cnt = 3;

	cr_assert_eq(u_migtest_countinout(SERVER_NAME, ovar, &cnt), KERN_SUCCESS);
	cr_assert_eq(srv.ovar_room, 3);
	cr_assert_eq(cnt, 3);
	cr_assert_eq(ovar[2], 6);
	cr_assert_eq(ovar[3], 0);

	cnt = 100;
	cr_assert_eq(u_migtest_countinout(SERVER_NAME, ovar, &cnt), KERN_SUCCESS);
	cr_assert_eq(srv.ovar_room, 8, "the room is capped at the array's bound");
	cr_assert_eq(cnt, 8);
}

Test(mig, structs_by_value)
{
	point_t p = { 1, 2, 3 }, q = { 0 };
	short_pair_t sp = { -1, 7 };

	cr_assert_eq(u_migtest_structs(SERVER_NAME, p, sp, &q), KERN_SUCCESS);
	cr_assert_eq(q.x, -1);
	cr_assert_eq(q.y, 14);
	cr_assert_eq(q.z, 9);
}

Test(mig, out_of_line_memory)
{
	char payload[] = "payload";
	int words[5] = { 9, 8, 7, 6, 5 };
	vm_offset_t odata = 0;
	mach_msg_type_number_t odataCnt = 0;

	cr_assert_eq(u_migtest_ool(SERVER_NAME, (vm_offset_t)payload, 7, words, 5, &odata, &odataCnt),
	    KERN_SUCCESS);
	cr_assert_eq(srv.data_len, 7);
	cr_assert_eq(memcmp(srv.data, "payload", 7), 0);
	cr_assert_eq(srv.words_len, 5);
	cr_assert_eq(srv.words[4], 5);
	cr_assert_eq(odata, (vm_offset_t)srv.ool_out);
	cr_assert_eq(odataCnt, sizeof(srv.ool_out));
	cr_assert_eq(fake.reply_ool.deallocate, TRUE, "dealloc reaches the descriptor");
	cr_assert_eq(fake.reply_ool.size, sizeof(srv.ool_out));

	int many[65] = { 0 };
	cr_assert_eq(u_migtest_ool(SERVER_NAME, (vm_offset_t)payload, 7, many, 65, &odata, &odataCnt),
	    MIG_ARRAY_TOO_LARGE);
}

Test(mig, ports_and_port_arrays)
{
	mach_port_t ports[3] = { 0x4103, 0x4203, 0x4303 };
	mach_port_t op = 0, opoly = 0;
	mach_msg_type_name_t opolyPoly = 0;
	mach_port_array_t oports = NULL;
	mach_msg_type_number_t oportsCnt = 0;

	cr_assert_eq(u_migtest_ports(SERVER_NAME, 0x1203, 0x1303, MACH_MSG_TYPE_MOVE_RECEIVE, ports, 3,
	    &op, &opoly, &opolyPoly, &oports, &oportsCnt), KERN_SUCCESS);
	cr_assert_eq(srv.port, 0x1203);
	cr_assert_eq(srv.poly, 0x1303);
	cr_assert_eq(srv.poly_type, MACH_MSG_TYPE_PORT_RECEIVE, "a polymorphic port brings its right");
	cr_assert_eq(srv.nports, 3);
	cr_assert_eq(srv.ports[2], 0x4303);
	cr_assert_eq(op, 0x2203);
	cr_assert_eq(opoly, 0x2303);
	cr_assert_eq(opolyPoly, MACH_MSG_TYPE_PORT_SEND_ONCE);
	cr_assert_eq(oports, srv.out_ports);
	cr_assert_eq(oportsCnt, 3);
}

Test(mig, simpleroutine_sends_only)
{
	cr_assert_eq(u_migtest_simple(SERVER_NAME, 31), KERN_SUCCESS);
	cr_assert_eq(srv.simple_v, 31);
	cr_assert_eq(fake.served, 1);
	cr_assert_eq(fake.replies, 0);
}

Test(mig, server_audit_token_comes_from_the_trailer)
{
	int pid = 0;

	cr_assert_eq(u_migtest_audit(SERVER_NAME, &pid), KERN_SUCCESS);
	cr_assert_eq(pid, AUDIT_PID);

	fake.trailer_size = sizeof(mach_msg_security_trailer_t);
	cr_assert_eq(u_migtest_audit(SERVER_NAME, &pid), MIG_TRAILER_ERROR);
	cr_assert_eq(srv.calls, 1, "no audit trailer, no call");
}

Test(mig, security_token_and_struct_arrays)
{
	point_t pts[4] = { { 1, 2, 3 }, { 4, 5, 6 } };
	mach_msg_type_number_t cnt = 2;
	int uid = 0;

	cr_assert_eq(u_migtest_sectoken(SERVER_NAME, &uid, pts, &cnt), MIG_ARRAY_TOO_LARGE,
	    "the caller said it had room for 2");
	cr_assert_eq(cnt, 3);
	cr_assert_eq(pts[1].z, 106, "what fits is copied");
	cr_assert_eq(pts[2].x, 0);
	cr_assert_eq(uid, 501, "the token from the trailer");
	uid = 0;
	cnt = 2;

	fake.trailer_size = sizeof(mach_msg_seqno_trailer_t);
	cr_assert_eq(u_migtest_sectoken(SERVER_NAME, &uid, pts, &cnt), MIG_TRAILER_ERROR);
	cr_assert_eq(uid, 0);
}

Test(mig, strings)
{
	name_t oname;
	vname_t ovname;
	int oafter = 0;

	cr_assert_eq(u_migtest_strings(SERVER_NAME, "com.machina.launchd", "short", 21, oname, ovname,
	    &oafter), KERN_SUCCESS);
	cr_assert_str_eq(srv.name, "com.machina.launchd");
	cr_assert_str_eq(srv.vname, "short");
	cr_assert_eq(srv.after, 21);
	cr_assert_str_eq(oname, "reply-name");
	cr_assert_str_eq(ovname, "x.y");
	cr_assert_eq(oafter, 42);

	/* Longer than the bound: cut, and still terminated. */
	cr_assert_eq(u_migtest_strings(SERVER_NAME, "0123456789012345678901234567890123456789",
	    "abcdefghijklmnopqrstuvwxyz", 0, oname, ovname, &oafter), KERN_SUCCESS);
	cr_assert_eq(strlen(srv.name), 31);
	cr_assert_eq(strlen(srv.vname), 23);
}

Test(mig, server_errors_reach_the_caller)
{
	int never = 0;

	cr_assert_eq(u_migtest_fail(SERVER_NAME, KERN_INVALID_ARGUMENT, &never), KERN_INVALID_ARGUMENT);
	cr_assert_eq(never, 0, "no out argument is taken from an error reply");
	cr_assert_eq(u_migtest_fail(SERVER_NAME, KERN_SUCCESS, &never), KERN_SUCCESS);
	cr_assert_eq(never, 99);
}

Test(mig, waittime_and_msgoption)
{
	mach_port_t ports[2] = { 0x5103, 0x5203 };

	cr_assert_eq(u_migtest_options(SERVER_NAME, 250, MACH_RCV_INTERRUPT, ports, 2), KERN_SUCCESS);
	cr_assert_eq(fake.timeout, 250);
	cr_assert_eq(fake.option & (MACH_RCV_TIMEOUT | MACH_RCV_INTERRUPT), MACH_RCV_TIMEOUT | MACH_RCV_INTERRUPT);
	cr_assert_eq(srv.nports, 2);
	cr_assert_eq(srv.ports[1], 0x5203);

	cr_assert_eq(u_migtest_reply(SERVER_NAME), KERN_SUCCESS);
	cr_assert_eq(fake.timeout, MACH_MSG_TIMEOUT_NONE);
	cr_assert_eq(fake.option & MACH_RCV_TIMEOUT, 0);
}

Test(mig, server_reply_port)
{
	cr_assert_eq(u_migtest_reply(SERVER_NAME), KERN_SUCCESS);
	cr_assert_eq(srv.reply, REPLY_NAME);
}

/* --- what the caller does with bad replies and failed exchanges ---------- */

static void
mangle_id(mach_msg_header_t *reply)
{
	reply->msgh_id = 12345;
}

static void
mangle_send_once(mach_msg_header_t *reply)
{
	reply->msgh_id = MACH_NOTIFY_SEND_ONCE;
	reply->msgh_size = sizeof(mach_msg_header_t);
}

static void
mangle_short(mach_msg_header_t *reply)
{
	reply->msgh_size -= 4;
}

static void
mangle_complex(mach_msg_header_t *reply)
{
	reply->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
}

static void
mangle_desc_type(mach_msg_header_t *reply)
{
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)((mach_msg_base_t *)reply + 1);

	d[0].type.type = MACH_MSG_OOL_DESCRIPTOR;
}

Test(mig, bad_replies)
{
	int64_t sum;
	int acc = 0;
	mach_port_t op, opoly, ports[1] = { 1 };
	mach_msg_type_name_t opolyPoly;
	mach_port_array_t oports;
	mach_msg_type_number_t oportsCnt;

	fake.mangle_reply = mangle_id;
	cr_assert_eq(u_migtest_scalars(SERVER_NAME, 1, 2, 3, 4, &sum, &acc), MIG_REPLY_MISMATCH);
	cr_assert_eq(fake.destroyed, 1);
	fake.mangle_reply = mangle_send_once;
	cr_assert_eq(u_migtest_scalars(SERVER_NAME, 1, 2, 3, 4, &sum, &acc), MIG_SERVER_DIED);
	fake.mangle_reply = mangle_short;
	cr_assert_eq(u_migtest_scalars(SERVER_NAME, 1, 2, 3, 4, &sum, &acc), MIG_TYPE_ERROR);
	fake.mangle_reply = mangle_complex;
	cr_assert_eq(u_migtest_scalars(SERVER_NAME, 1, 2, 3, 4, &sum, &acc), MIG_TYPE_ERROR);
	fake.mangle_reply = mangle_desc_type;
	cr_assert_eq(u_migtest_ports(SERVER_NAME, 1, 2, MACH_MSG_TYPE_COPY_SEND, ports, 1, &op, &opoly,
	    &opolyPoly, &oports, &oportsCnt), MIG_TYPE_ERROR);
	cr_assert_eq(acc, 0, "nothing is unpacked from a bad reply");
}

Test(mig, failed_exchanges_and_the_reply_port)
{
	int64_t sum;
	int acc = 0;

	fake.send_error = MACH_SEND_INVALID_DEST;
	cr_assert_eq(u_migtest_scalars(SERVER_NAME, 1, 2, 3, 4, &sum, &acc), MACH_SEND_INVALID_DEST);
	cr_assert_eq(fake.put_reply, 1, "nothing sent: the reply port is still good");
	cr_assert_eq(fake.dealloc_reply, 0);
	fake.send_error = MACH_MSG_SUCCESS;
	fake.rcv_error = MACH_RCV_INTERRUPTED;
	cr_assert_eq(u_migtest_scalars(SERVER_NAME, 1, 2, 3, 4, &sum, &acc), MACH_RCV_INTERRUPTED);
	cr_assert_eq(fake.dealloc_reply, 1, "a reply may still come: the port goes");
}

/* --- malformed requests --------------------------------------------------- */

/* Capture the request u_migtest_arrays would send. */
static void
capture_arrays(void)
{
	int fixed[4] = { 1, 2, 3, 4 }, var[3] = { 7, 8, 9 };
	int ofixed[4], ovar[8], io[8] = { 5, 6 };
	char obytes[10];
	mach_msg_type_number_t obytesCnt = 10, ovarCnt = 8, ioCnt = 2;
	int otail;

	fake.capture = 1;
	u_migtest_arrays(SERVER_NAME, fixed, var, 3, "hello", 5, 77, ofixed, obytes, &obytesCnt, ovar,
	    &ovarCnt, &otail, io, &ioCnt);
	fake.capture = 0;
	cr_assert_not_null(fake.captured);
}

static void
capture_ports(void)
{
	static mach_port_t ports[3] = { 1, 2, 3 };	/* read when the request is served */
	mach_port_t op, opoly;
	mach_msg_type_name_t opolyPoly;
	mach_port_array_t oports;
	mach_msg_type_number_t oportsCnt;

	fake.capture = 1;
	u_migtest_ports(SERVER_NAME, 5, 6, MACH_MSG_TYPE_COPY_SEND, ports, 3, &op, &opoly, &opolyPoly,
	    &oports, &oportsCnt);
	fake.capture = 0;
	cr_assert_not_null(fake.captured);
}

static kern_return_t
serve_captured(mach_msg_size_t size)
{
	boolean_t handled;
	kern_return_t kr = serve(fake.captured, size, &handled, NULL);

	cr_assert(handled, "size %u id %d", size, ((mach_msg_header_t *)fake.captured)->msgh_id);
	return kr;
}

Test(mig, well_formed_captured_requests_are_served)
{
	capture_arrays();
	cr_assert_eq(serve_captured(fake.captured_size), KERN_SUCCESS);
	capture_ports();
	cr_assert_eq(serve_captured(fake.captured_size), KERN_SUCCESS);
	cr_assert_eq(srv.calls, 2);
}

Test(mig, short_requests)
{
	__Request__migtest_arrays_t *req;
	mach_msg_size_t size;

	capture_arrays();
	req = (__Request__migtest_arrays_t *)fake.captured;
	size = fake.captured_size;
	/* The kernel refuses anything shorter than a header. */
	for (mach_msg_size_t cut = 4; size - cut >= sizeof(mach_msg_header_t); cut += 4) {
		req->Head.msgh_size = size - cut;
		cr_assert_eq(serve_captured(size - cut), MIG_BAD_ARGUMENTS, "cut %u bytes", cut);
	}
	fake.captured = realloc(fake.captured, size + 4);
	memset(fake.captured + size, 0, 4);
	req = (__Request__migtest_arrays_t *)fake.captured;
	req->Head.msgh_size = size + 4;
	cr_assert_eq(serve_captured(size + 4), MIG_BAD_ARGUMENTS, "too long");
	cr_assert_eq(srv.calls, 0);
}

Test(mig, counts_out_of_bounds)
{
	__Request__migtest_arrays_t *req;
	mach_msg_type_number_t bad;

	capture_arrays();
	req = (__Request__migtest_arrays_t *)fake.captured;
	bad = 1000;
	memcpy(&req->varCnt, &bad, sizeof(bad));
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS);
	bad = 0x40000001;	/* times 4 wraps to 4 */
	memcpy(&req->varCnt, &bad, sizeof(bad));
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS);
	bad = 1;		/* within bounds, but not what the size says */
	memcpy(&req->varCnt, &bad, sizeof(bad));
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS);
	cr_assert_eq(srv.calls, 0);
}

Test(mig, bad_descriptors)
{
	__Request__migtest_ports_t *req;
	mach_msg_type_number_t cnt;

	capture_ports();
	req = (__Request__migtest_ports_t *)fake.captured;

	req->p.type = MACH_MSG_OOL_DESCRIPTOR;
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS, "wrong descriptor type");
	req->p.type = MACH_MSG_PORT_DESCRIPTOR;
	req->p.disposition = MACH_MSG_TYPE_PORT_RECEIVE;
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS, "wrong right");
	req->p.disposition = MACH_MSG_TYPE_PORT_SEND;
	req->msgh_body.msgh_descriptor_count = 2;
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS, "descriptor count");
	req->msgh_body.msgh_descriptor_count = 3;
	req->Head.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS, "not complex");
	req->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	cnt = 4;
	memcpy(&req->portsCnt, &cnt, sizeof(cnt));
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS, "port count");
	cr_assert_eq(srv.calls, 0);
	cnt = 3;
	memcpy(&req->portsCnt, &cnt, sizeof(cnt));
	cr_assert_eq(serve_captured(fake.captured_size), KERN_SUCCESS);
}

Test(mig, ool_size_must_match_count)
{
	char payload[8] = "payload";
	int words[2] = { 1, 2 };
	vm_offset_t odata;
	mach_msg_type_number_t odataCnt, cnt;
	__Request__migtest_ool_t *req;

	fake.capture = 1;
	u_migtest_ool(SERVER_NAME, (vm_offset_t)payload, 7, words, 2, &odata, &odataCnt);
	fake.capture = 0;
	req = (__Request__migtest_ool_t *)fake.captured;
	req->words.size = 12;
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS);
	req->words.size = 8;
	cnt = 70;		/* over the bound of 64 */
	memcpy(&req->wordsCnt, &cnt, sizeof(cnt));
	req->words.size = 280;
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS);
	cr_assert_eq(srv.calls, 0);
}

Test(mig, unterminated_strings)
{
	name_t oname;
	vname_t ovname;
	int oafter;
	__Request__migtest_strings_t *req;

	fake.capture = 1;
	u_migtest_strings(SERVER_NAME, "abc", "de", 1, oname, ovname, &oafter);
	fake.capture = 0;
	req = (__Request__migtest_strings_t *)fake.captured;
	memset(req->name, 'A', sizeof(req->name));
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS);
	strcpy(req->name, "ok");
	req->vname[2] = 'X';	/* the NUL inside the count */
	cr_assert_eq(serve_captured(fake.captured_size), MIG_BAD_ARGUMENTS);
	cr_assert_eq(srv.calls, 0);
}

Test(mig, bad_ids)
{
	mach_msg_header_t head = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
		.msgh_size = sizeof(mach_msg_header_t),
		.msgh_remote_port = REPLY_NAME,
		.msgh_local_port = SERVER_NAME,
	};
	mach_msg_id_t ids[] = { 6999, 7005, 7014, -1, 0x7fffffff, (mach_msg_id_t)0x80000000 };
	mach_msg_header_t *reply;
	boolean_t handled;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		head.msgh_id = ids[i];
		cr_assert_eq(serve(&head, sizeof(head), &handled, &reply), MIG_BAD_ID, "id %d", ids[i]);
		cr_assert_not(handled);
		cr_assert_eq(reply->msgh_id, (mach_msg_id_t)((uint32_t)ids[i] + 100));
		cr_assert_eq(reply->msgh_remote_port, REPLY_NAME);
		cr_assert_eq(reply->msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0));
		cr_assert_eq(reply->msgh_size, sizeof(mig_reply_error_t));
		free(reply);
	}
	/* A known id with nothing but a header. */
	head.msgh_id = 7000;
	cr_assert_eq(serve(&head, sizeof(head), &handled, NULL), MIG_BAD_ARGUMENTS);
	cr_assert(handled);
	cr_assert_eq(srv.calls, 0);
}

Test(mig, subsystem_table)
{
	cr_assert_eq(migtest_subsystem.start, 7000);
	cr_assert_eq(migtest_subsystem.end, 7014);
	cr_assert_null(migtest_subsystem.routine[5].stub_routine, "a skipped id has no stub");
	cr_assert_not_null(migtest_subsystem.routine[6].stub_routine);
	cr_assert_geq(migtest_subsystem.maxsize, sizeof(__Reply__migtest_arrays_t));
	cr_assert_eq(migtest_subsystem.server, migtest_server_routine);
	cr_assert_eq(offsetof(struct migtest_subsystem, routine), offsetof(struct mig_subsystem, routine));
}

/* --- bad .defs input ------------------------------------------------------ */

/* Run the generator on text; its exit status, stderr in err. */
static int
run_mig(const char *text, char *err, size_t errlen)
{
	char dir[] = "/tmp/migtest.XXXXXX", cmd[512], path[256];
	FILE *f;
	size_t n;
	int status;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bad.defs", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 tools/mig/mig.py -I. -user %s/u.c -header %s/u.h "
	    "-server %s/s.c -sheader %s/s.h %s 2>&1", dir, dir, dir, dir, path);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	n = fread(err, 1, errlen - 1, f);
	err[n] = '\0';
	status = pclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
expect_error(const char *text, const char *where, const char *what)
{
	char err[4096];

	cr_assert_eq(run_mig(text, err, sizeof(err)), 1, "exit status 1 for:\n%s\ngot: %s", text, err);
	cr_assert_null(strstr(err, "Traceback"), "%s", err);
	cr_assert_not_null(strstr(err, where), "expected %s in: %s", where, err);
	cr_assert_not_null(strstr(err, what), "expected %s in: %s", what, err);
}

Test(mig_defs_errors, clear_messages)
{
	char err[4096];

	expect_error("subsystem s 100;\n#include <mach/std_types.defs>\nroutine r(p: mach_port_t;\n"
	    "  x: no_such_t);\n", "bad.defs:4:", "unknown type 'no_such_t'");
	expect_error("subsystem s 100;\n#include <mach/std_types.defs>\nroutine r(p: mach_port_t);\n"
	    "routine r(p: mach_port_t);\n", "bad.defs:4:", "routine 'r' defined twice");
	expect_error("#include <mach/std_types.defs>\nroutine r(p: mach_port_t);\n",
	    "bad.defs", "missing subsystem");
	expect_error("subsystem s 100;\n#include <mach/std_types.defs>\nroutine r(p: mach_port_t\n"
	    "  x: int);\n", "bad.defs:4:", "syntax error");
	expect_error("subsystem s 100;\n#include <mach/std_types.defs>\n\nroutine r(p: mach_port_t;\n"
	    "  x: int, CountInOut);\n", "bad.defs:5:", "CountInOut");
	expect_error("subsystem s 100;\n#include <mach/std_types.defs>\ntype t = array[4] of mach_port_t;\n",
	    "bad.defs:3:", "out of line");
	expect_error("subsystem s 100;\n#include <mach/std_types.defs>\nsimpleroutine r(p: mach_port_t;\n"
	    "  out x: int);\n", "bad.defs:4:", "simpleroutine");
	expect_error("subsystem s 100;\n#include <no/such.defs>\n", "bad.defs", "no/such.defs");
	expect_error("subsystem s 100;\n$\n", "bad.defs:2:", "syntax error");
	cr_assert_eq(run_mig("subsystem s 100;\n", err, sizeof(err)), 0, "%s", err);
}

Test(mig_defs_errors, usage)
{
	FILE *f = popen("python3 tools/mig/mig.py --help", "r");
	char out[4096];
	size_t n;

	cr_assert_not_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	cr_assert_eq(pclose(f), 0);
	cr_assert_not_null(strstr(out, "-sheader"));
	f = popen("python3 tools/mig/mig.py -bogus x.defs 2>&1", "r");
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	cr_assert_neq(pclose(f), 0);
	cr_assert_not_null(strstr(out, "unknown option"));
}

/* --- random damage ---------------------------------------------------------- */

static uint32_t fuzz_state = 0x2545f491u;

static uint32_t
fuzz_next(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 17;
	fuzz_state ^= fuzz_state << 5;
	return fuzz_state;
}

/* Damage a copy of a well-formed request many ways; the server must never
 * read past it (ASan) nor fail other than with a MIG error or success. */
static void
fuzz_captured(void)
{
	mach_msg_size_t size = fake.captured_size, n;
	unsigned char *buf = calloc(1, size + 64);
	mach_msg_header_t *head = (mach_msg_header_t *)buf;
	boolean_t handled;
	kern_return_t kr;

	srv.fuzzing = 1;
	for (int round = 0; round < 3000; round++) {
		memset(buf, 0, size + 64);
		memcpy(buf, fake.captured, size);
		n = size;
		for (int k = 1 + fuzz_next() % 3; k > 0; k--) {
			uint32_t what = fuzz_next();

			switch (what % 4) {
			case 0:		/* a byte anywhere */
				buf[fuzz_next() % size] = (unsigned char)fuzz_next();
				break;
			case 1:		/* a word anywhere: counts, sizes, types */
				*(uint32_t *)(void *)(buf + 4 * (fuzz_next() % (size / 4))) =
				    (what >> 8) % 2 ? fuzz_next() : fuzz_next() % 80;
				break;
			case 2:		/* another size, a multiple of 4 from a header up */
				n = sizeof(mach_msg_header_t) + 4 * (fuzz_next() % ((size + 64 -
				    sizeof(mach_msg_header_t)) / 4 + 1));
				break;
			default:	/* the complex bit */
				head->msgh_bits ^= MACH_MSGH_BITS_COMPLEX;
				break;
			}
		}
		if (n > size + 64)
			n = size + 64;
		head->msgh_size = n;
		kr = serve(buf, n, &handled, NULL);
		cr_assert(kr == KERN_SUCCESS || (kr <= MIG_TYPE_ERROR && kr >= MIG_TRAILER_ERROR),
		    "round %d: %d", round, kr);
	}
	srv.fuzzing = 0;
	free(buf);
}

Test(mig, damaged_requests_never_read_past_their_end)
{
	int64_t sum;
	int acc = 0, pid, never;
	point_t p = { 1, 2, 3 }, q;
	short_pair_t sp = { 1, 2 };
	char payload[8] = "payload";
	int words[3] = { 1, 2, 3 };
	vm_offset_t odata;
	mach_msg_type_number_t odataCnt;
	name_t oname;
	vname_t ovname;
	int oafter;

	capture_arrays();
	fuzz_captured();
	capture_ports();
	fuzz_captured();
	fake.capture = 1;
	u_migtest_scalars(SERVER_NAME, 1, 2, 3, 4, &sum, &acc);
	fuzz_captured();
	fake.capture = 1;
	u_migtest_structs(SERVER_NAME, p, sp, &q);
	fuzz_captured();
	fake.capture = 1;
	u_migtest_ool(SERVER_NAME, (vm_offset_t)payload, 7, words, 3, &odata, &odataCnt);
	fuzz_captured();
	fake.capture = 1;
	u_migtest_strings(SERVER_NAME, "name", "vname", 5, oname, ovname, &oafter);
	fuzz_captured();
	fake.capture = 1;
	u_migtest_audit(SERVER_NAME, &pid);
	fuzz_captured();
	fake.capture = 1;
	u_migtest_fail(SERVER_NAME, 0, &never);
	fuzz_captured();
}
