/*
 * iokit_userclient.c - connections to a driver's user client from user
 * space: IOServiceOpen, IOConnectCallMethod and IOServiceClose on the
 * UserClient test kext (tests/kexts/UserClient, started at every boot);
 * every method with the right arguments, every kind of wrong one refused
 * with its code, the wrong kinds of port, a closed connection, a dead
 * name; 1000 opens and closes that leave no port and no user client
 * behind; a child that exits with a connection open, whose user
 * client the kernel closes (clientDied) and frees; and the
 * SampleUserClient sample's program against its kext.
 *
 *	iokit_userclient		the tests
 *	iokit_userclient child		open a connection, call it, exit without closing
 */

#include <IOKit/IOKitLib.h>
#include <IOKit/iokitmig.h>
#include <mach/mach.h>
#include <mach/mig.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <time.h>

#include "../kexts/UserClient/UserClientShared.h"
#include "mach_test.h"
#include "run_program.h"
#include "tap.h"

#define LOOPS		1000
#define BIG		(8 * 1024)

/* debug.uctest.<what> from the test kext, -1 if unreadable. */
static int
uctest(const char *what)
{
	char name[64];
	int n = -1;
	size_t len = sizeof(n);

	snprintf(name, sizeof(name), "debug.uctest.%s", what);
	if (sysctlbyname(name, &n, &len, NULL, 0) != 0)
		return -1;
	return n;
}

/*
 * Wait until debug.uctest.clients is want: a user client is freed when
 * its connection port's reference goes, which the kernel's reaper drops
 * soon after the last right does (after clientDied, for a connection its
 * task abandoned). Gives up after about ten seconds (a bound, not a
 * measurement).
 */
static int
wait_clients(int want)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int n = uctest("clients");

	for (int i = 0; i < 1000 && n != want; i++) {
		nanosleep(&ts, NULL);
		n = uctest("clients");
	}
	return n;
}

static io_service_t
find_driver(void)
{
	char *match = IOServiceMatching(kUCDriverClass);
	io_service_t s = IOServiceGetMatchingService(kIOMasterPortDefault, match);

	free(match);
	return s;
}

static kern_return_t
add(io_connect_t c, uint64_t a, uint64_t b, uint64_t *sum)
{
	uint64_t in[2] = { a, b };
	uint32_t n = 1;

	return IOConnectCallScalarMethod(c, kUCMethodAdd, in, 2, sum, &n);
}

static void
test_open(io_service_t drv)
{
	io_registry_entry_t root = IORegistryGetRootEntry(kIOMasterPortDefault);
	io_service_t res = IORegistryEntryFromPath(kIOMasterPortDefault, "IOService:/IOResources");
	io_service_t back = IO_OBJECT_NULL;
	io_connect_t c = IO_OBJECT_NULL;
	uint64_t id1 = 0, id2 = 0;

	TAP_EQ(IOServiceOpen(drv, mach_task_self(), 7, &c), kIOReturnBadArgument,
	    "IOServiceOpen with a type the user client refuses");
	TAP_EQ(c, IO_OBJECT_NULL, "gives no connection");
	TAP_EQ(IOServiceOpen(res, mach_task_self(), kUCConnectType, &c), kIOReturnUnsupported,
	    "IOServiceOpen on a service with no IOUserClientClass");
	TAP_EQ(IOServiceOpen(root, mach_task_self(), kUCConnectType, &c), kIOReturnBadArgument,
	    "IOServiceOpen on a registry entry that is not a service");
	TAP_EQ(IOServiceOpen(drv, MACH_PORT_NULL, kUCConnectType, &c), kIOReturnBadArgument,
	    "IOServiceOpen without an owning task");
	TAP_EQ(uctest("clients"), 0, "no user client was made by the refusals");

	TAP_EQ(IOServiceOpen(drv, mach_task_self(), kUCConnectType, &c), KERN_SUCCESS,
	    "IOServiceOpen");
	TAP_OK(c != IO_OBJECT_NULL, "gives a connection");
	TAP_EQ(uctest("clients"), 1, "one user client lives");
	TAP_EQ(IOConnectGetService(c, &back), KERN_SUCCESS, "IOConnectGetService");
	IORegistryEntryGetRegistryEntryID(drv, &id1);
	IORegistryEntryGetRegistryEntryID(back, &id2);
	TAP_OK(id1 != 0 && id1 == id2, "is the driver the connection was opened on");
	IOObjectRelease(back);
	TAP_EQ(IOServiceClose(c), KERN_SUCCESS, "IOServiceClose");
	TAP_EQ(wait_clients(0), 0, "the user client is gone after the close");
	IOObjectRelease(root);
	IOObjectRelease(res);
}

static void
test_methods(io_connect_t c)
{
	uint8_t in[kUCEchoFixedSize], out[kUCEchoFixedSize];
	static uint8_t big_in[BIG], big_out[BIG];
	uint8_t small[300];
	uint64_t sum = 0, n64;
	uint32_t nout;
	size_t size;
	int ok;

	TAP_EQ(add(c, 40, 2, &sum), KERN_SUCCESS, "add: two scalars in, one out");
	TAP_EQ(sum, 42, "add: 40 + 2 = 42");
	TAP_EQ(add(c, ~0ull, 2, &sum), KERN_SUCCESS, "add: full 64-bit scalars");
	TAP_EQ(sum, 1, "add: wraps as uint64_t");

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(0xa0 + i);
	memset(out, 0, sizeof(out));
	size = sizeof(out);
	TAP_EQ(IOConnectCallStructMethod(c, kUCMethodEchoFixed, in, sizeof(in), out, &size),
	    KERN_SUCCESS, "echo: a 16-byte structure in and out");
	TAP_OK(size == sizeof(out) && memcmp(in, out, sizeof(in)) == 0, "echo: the same bytes");

	n64 = 200;
	size = sizeof(small);
	TAP_EQ(IOConnectCallMethod(c, kUCMethodFill, &n64, 1, NULL, 0, NULL, NULL, small, &size),
	    KERN_SUCCESS, "fill: variable-size output, inline");
	ok = size == 200;
	for (size_t i = 0; ok && i < 200; i++)
		ok = small[i] == (uint8_t)i;
	TAP_OK(ok, "fill: 200 bytes of the pattern, and the size says so");
	n64 = 300;
	size = 100;
	TAP_EQ(IOConnectCallMethod(c, kUCMethodFill, &n64, 1, NULL, 0, NULL, NULL, small, &size),
	    kIOReturnNoSpace, "fill: more than the room is the method's own refusal");
	n64 = BIG;
	size = BIG;
	TAP_EQ(IOConnectCallMethod(c, kUCMethodFill, &n64, 1, NULL, 0, NULL, NULL, big_out,
	    &size), KERN_SUCCESS, "fill: 8 KiB written into the caller's memory");
	ok = size == BIG;
	for (size_t i = 0; ok && i < BIG; i++)
		ok = big_out[i] == (uint8_t)i;
	TAP_OK(ok, "fill: the 8 KiB are the pattern");

	for (size_t i = 0; i < BIG; i++)
		big_in[i] = (uint8_t)(i * 7 + 3);
	memset(big_out, 0, BIG);
	size = BIG;
	TAP_EQ(IOConnectCallStructMethod(c, kUCMethodEcho, big_in, BIG, big_out, &size),
	    KERN_SUCCESS, "echo: 8 KiB in and out by memory descriptor");
	TAP_OK(size == BIG && memcmp(big_in, big_out, BIG) == 0, "echo: the 8 KiB came back");
	memset(big_out, 0, BIG);
	size = BIG;
	TAP_EQ(IOConnectCallStructMethod(c, kUCMethodEcho, big_in, 3000, big_out, &size),
	    KERN_SUCCESS, "echo: 3000 bytes inline into 8 KiB of room");
	TAP_OK(size == 3000 && memcmp(big_in, big_out, 3000) == 0,
	    "echo: 3000 bytes came back and the size says so");

	TAP_EQ(IOConnectCallScalarMethod(c, kUCMethodFail, NULL, 0, NULL, NULL),
	    kIOReturnDeviceError, "a method that fails: its code comes back");
	nout = 0;
	TAP_EQ(IOConnectCallScalarMethod(c, kUCMethodFail, NULL, 0, NULL, &nout),
	    kIOReturnDeviceError, "the same with an output count of 0");
}

static void
test_refusals(io_connect_t c)
{
	static io_struct_inband_t ibuf, obuf;
	uint64_t in[17] = { 1, 2, 3 }, out[16];
	uint8_t buf[64];
	uint32_t n;
	size_t size;

	n = 1;
	TAP_EQ(IOConnectCallScalarMethod(c, 99, in, 2, out, &n), kIOReturnUnsupported,
	    "an unknown selector: kIOReturnUnsupported");
	TAP_EQ(IOConnectCallScalarMethod(c, kUCMethodCount, in, 2, out, &n), kIOReturnUnsupported,
	    "the selector just past the table");
	TAP_EQ(IOConnectCallScalarMethod(c, kUCMethodEmpty, NULL, 0, NULL, NULL),
	    kIOReturnUnsupported, "a table entry without a function");
	n = 1;
	TAP_EQ(IOConnectCallScalarMethod(c, kUCMethodAdd, in, 1, out, &n), kIOReturnBadArgument,
	    "add with one scalar in: kIOReturnBadArgument");
	n = 1;
	TAP_EQ(IOConnectCallScalarMethod(c, kUCMethodAdd, in, 3, out, &n), kIOReturnBadArgument,
	    "add with three scalars in");
	n = 2;
	TAP_EQ(IOConnectCallScalarMethod(c, kUCMethodAdd, in, 2, out, &n), kIOReturnBadArgument,
	    "add with room for two scalars out");
	n = 1;
	size = 16;
	TAP_EQ(IOConnectCallMethod(c, kUCMethodAdd, in, 2, buf, 16, out, &n, NULL, NULL),
	    kIOReturnBadArgument, "add with a structure it does not take");
	size = 16;
	TAP_EQ(IOConnectCallStructMethod(c, kUCMethodEchoFixed, buf, 15, buf, &size),
	    kIOReturnBadArgument, "echo of 16 bytes given 15");
	size = 32;
	TAP_EQ(IOConnectCallStructMethod(c, kUCMethodEchoFixed, buf, 16, buf, &size),
	    kIOReturnBadArgument, "echo of 16 bytes given room for 32");
	size = 16;
	TAP_EQ(IOConnectCallStructMethod(c, kUCMethodEchoFixed, buf, BIG, buf, &size),
	    kIOReturnBadArgument, "echo of 16 bytes given 8 KiB (by descriptor)");
	n = 16;
	TAP_EQ(IOConnectCallScalarMethod(c, kUCMethodAdd, in, 17, out, &n), kIOReturnBadArgument,
	    "17 scalars in: kIOReturnBadArgument from the library");
	n = 16;
	TAP_EQ(io_connect_method(c, kUCMethodAdd, in, 17, ibuf, 0, 0, 0, obuf,
	    &(mach_msg_type_number_t){ 0 }, out, &n, 0, &(uint64_t){ 0 }), MIG_ARRAY_TOO_LARGE,
	    "17 scalars in: refused by the interface before sending");
	n = 0;
	TAP_EQ(io_connect_method(c, kUCMethodEcho, out, 0, ibuf, sizeof(ibuf) + 1, 0, 0, obuf,
	    &(mach_msg_type_number_t){ 8 }, out, &n, 0, &(uint64_t){ 0 }), MIG_ARRAY_TOO_LARGE,
	    "4097 structure bytes inline: refused by the interface before sending");
	size = sizeof(buf);
	TAP_EQ(IOConnectCallStructMethod(c, kUCMethodEcho, buf, (size_t)128 << 20, buf, &size),
	    kIOReturnBadArgument, "a 128 MiB structure: over the kernel's limit");
	n = 0;
	TAP_EQ(io_connect_method(c, kUCMethodEcho, out, 0, ibuf, 8,
	    (uint64_t)(uintptr_t)buf, 8, obuf, &(mach_msg_type_number_t){ 8 }, out, &n, 0,
	    &(uint64_t){ 0 }), kIOReturnBadArgument,
	    "a structure both inline and by address: refused");
	n = 0;
	TAP_EQ(io_connect_method(c, kUCMethodEcho, out, 0, ibuf, 0,
	    0xfffffffffffff000ull, 8192, obuf, &(mach_msg_type_number_t){ 8 }, out, &n,
	    0, &(uint64_t){ 0 }), kIOReturnBadArgument,
	    "a structure at an address range that wraps: refused");
}

/* A request with 17 scalars, made by hand: the kernel's stub refuses it. */
struct bad_request {
	mach_msg_header_t	head;
	NDR_record_t		ndr;
	uint32_t		selector;
	uint32_t		scalar_count;
	uint64_t		scalars[17];
	uint32_t		inband_count;
	uint64_t		ool_input;
	uint64_t		ool_input_size;
	uint32_t		inband_out_count;
	uint32_t		scalar_out_count;
	uint64_t		ool_output;
	uint64_t		ool_output_size;
} __attribute__((packed, aligned(4)));

static void
test_handmade_request(io_connect_t c)
{
	union {
		struct bad_request	req;
		mig_reply_error_t	reply;
		char			room[512];
	} m;
	mach_port_t reply = mach_reply_port();
	kern_return_t kr;

	memset(&m, 0, sizeof(m));
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_size = sizeof(m.req);
	m.req.head.msgh_remote_port = c;
	m.req.head.msgh_local_port = reply;
	m.req.head.msgh_id = 2865;
	m.req.scalar_count = 17;
	kr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.req), sizeof(m), reply,
	    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	TAP_EQ(kr, KERN_SUCCESS, "a hand-made request with 17 scalars is answered");
	TAP_EQ(m.reply.Head.msgh_id, 2965, "by the io_connect_method reply");
	TAP_EQ(m.reply.RetCode, MIG_BAD_ARGUMENTS, "which says MIG_BAD_ARGUMENTS");
	mach_port_destroy(mach_task_self(), reply);
}

static void
test_wrong_ports(io_service_t drv, io_connect_t c)
{
	io_name_t name;
	io_connect_t c2 = IO_OBJECT_NULL;
	uint64_t sum;
	mach_port_t dead, rcv;

	TAP_EQ(add(drv, 1, 2, &sum), kIOReturnBadArgument,
	    "a registry entry given as a connection: kIOReturnBadArgument");
	TAP_EQ(io_service_close(drv), kIOReturnBadArgument, "io_service_close on a registry entry");
	TAP_EQ(IORegistryEntryGetName(c, name), kIOReturnBadArgument,
	    "a connection given as a registry entry: kIOReturnBadArgument");
	TAP_EQ(IOServiceOpen(c, mach_task_self(), kUCConnectType, &c2), kIOReturnBadArgument,
	    "IOServiceOpen on a connection");
	TAP_EQ(add(mach_task_self(), 1, 2, &sum), kIOReturnBadArgument,
	    "the task's own port as a connection: kIOReturnBadArgument");
	TAP_EQ(add(MACH_PORT_NULL, 1, 2, &sum), MACH_SEND_INVALID_DEST, "MACH_PORT_NULL");

	/* A dead name: a send right whose receive right has gone. */
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &rcv);
	mach_port_insert_right(mach_task_self(), rcv, rcv, MACH_MSG_TYPE_MAKE_SEND);
	dead = rcv;
	mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, -1);
	TAP_EQ(add(dead, 1, 2, &sum), MACH_SEND_INVALID_DEST, "a dead name");
	TAP_EQ(IOServiceClose(dead), MACH_SEND_INVALID_DEST, "IOServiceClose of a dead name");
}

static void
test_closed(io_service_t drv)
{
	io_connect_t c = IO_OBJECT_NULL;
	io_service_t s = IO_OBJECT_NULL;
	uint64_t sum;

	TAP_EQ(wait_clients(0), 0, "the connection closed before is gone");
	TAP_EQ(IOServiceOpen(drv, mach_task_self(), kUCConnectType, &c), KERN_SUCCESS,
	    "open a connection to close");
	TAP_EQ(IOObjectRetain(c), KERN_SUCCESS, "and keep a second right to it");
	TAP_EQ(IOServiceClose(c), KERN_SUCCESS, "IOServiceClose (one right goes)");
	TAP_EQ(add(c, 1, 2, &sum), kIOReturnNotOpen, "a call on a closed connection: kIOReturnNotOpen");
	TAP_EQ(io_service_close(c), kIOReturnNotOpen, "closing it again: kIOReturnNotOpen");
	TAP_EQ(IOConnectGetService(c, &s), kIOReturnNotOpen, "IOConnectGetService: kIOReturnNotOpen");
	TAP_EQ(uctest("clients"), 1, "the closed user client lives while a right names it");
	TAP_EQ(IOObjectRelease(c), KERN_SUCCESS, "release the last right");
	TAP_EQ(wait_clients(0), 0, "and the user client is freed");
	TAP_EQ(add(c, 1, 2, &sum), MACH_SEND_INVALID_DEST, "the name is gone: MACH_SEND_INVALID_DEST");
}

static void
test_no_leaks(io_service_t drv)
{
	int ports = ipc_count("ports"), fails = 0;
	io_connect_t c;
	uint64_t sum;

	for (int i = 0; i < LOOPS; i++) {
		c = IO_OBJECT_NULL;
		if (IOServiceOpen(drv, mach_task_self(), kUCConnectType, &c) != KERN_SUCCESS ||
		    add(c, (uint64_t)i, 1, &sum) != KERN_SUCCESS || sum != (uint64_t)i + 1 ||
		    IOServiceClose(c) != KERN_SUCCESS)
			fails++;
	}
	TAP_EQ(fails, 0, "1000 opens, calls and closes");
	TAP_EQ(ipc_count("ports"), ports, "leave debug.ipc.ports where it was");
	TAP_EQ(wait_clients(0), 0, "and no user client behind");
}

static int
child_main(void)
{
	io_service_t drv = find_driver();
	io_connect_t c = IO_OBJECT_NULL;
	uint64_t sum = 0;

	if (drv == IO_OBJECT_NULL || IOServiceOpen(drv, mach_task_self(), kUCConnectType, &c) !=
	    KERN_SUCCESS || add(c, 2, 3, &sum) != KERN_SUCCESS || sum != 5)
		return 1;
	return 0;				/* exit with the connection open */
}

static void
test_child_dies(const char *self)
{
	int deaths = uctest("deaths"), closes = uctest("closes"), status = -1;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		execl(self, self, "child", (char *)NULL);
		_exit(127);
	}
	TAP_OK(pid > 0, "fork a child that opens a connection and exits");
	waitpid(pid, &status, 0);
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child opened and called it");
	TAP_EQ(wait_clients(0), 0, "its user client is freed after it exits");
	TAP_EQ(uctest("deaths"), deaths + 1, "by clientDied");
	TAP_EQ(uctest("closes"), closes, "not clientClose");
}

static void
test_sample(void)
{
	static char out[4096];
	int status;

	status = run_program((char *[]){ "/usr/samples/sampleuc", "hello", NULL }, out,
	    sizeof(out));
	TAP_EQ(status, 0, "the SampleUserClient sample's program runs");
	TAP_OK(strstr(out, "after adding 5\n") != NULL && strstr(out, "after adding 7\n") != NULL,
	    "it adds through the user client");
	TAP_OK(strstr(out, "name \"hello\"") != NULL && strstr(out, "1 client(s) open") != NULL,
	    "and reads back the name it set and its one open connection");
	if (status != 0 || strstr(out, "name \"hello\"") == NULL)
		tap_diag("%s", out);
}

int
main(int argc, char **argv)
{
	io_service_t drv;
	io_connect_t c = IO_OBJECT_NULL;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_main();
	drv = find_driver();
	TAP_OK(drv != IO_OBJECT_NULL, "the UserClient test driver is registered");
	TAP_EQ(uctest("clients"), 0, "debug.uctest.clients starts at 0");
	if (drv == IO_OBJECT_NULL)
		return tap_done();
	test_open(drv);
	TAP_EQ(IOServiceOpen(drv, mach_task_self(), kUCConnectType, &c), KERN_SUCCESS,
	    "open a connection for the calls");
	test_methods(c);
	test_refusals(c);
	test_handmade_request(c);
	test_wrong_ports(drv, c);
	TAP_EQ(IOServiceClose(c), KERN_SUCCESS, "close it");
	test_closed(drv);
	test_no_leaks(drv);
	test_child_dies(argv[0]);
	test_sample();
	IOObjectRelease(drv);
	return tap_done();
}
