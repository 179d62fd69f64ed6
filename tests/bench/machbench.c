/*
 * machbench.c - Mach IPC's costs as a user program sees them, as
 * "name value unit" lines (docs/benchmarks.md), for `make bench`.
 *
 *	machbench [-n ROUNDS] [NAME ...]
 *
 *	mach.msg_roundtrip	a small inline message to another task and its
 *				answer: the client's send-and-receive in one
 *				trap, the server's answer-and-receive in one
 *	mach.ool_1mib		1 MiB of out-of-line memory to another task,
 *				received, unmapped, answered (ns per transfer)
 *	mach.ool_1mib.throughput the same as MiB/s
 *	mach.port_alloc_destroy	mach_port_allocate + mach_port_destroy
 *	mach.msg_self		a small message to a port of the caller's own and
 *				back, send and receive in one trap: the IPC
 *				path without a switch
 *	mach.port_lookup.names_10, mach.port_lookup.names_100000
 *				mach_port_type on names spread over a space of
 *				10 or of 100,000 receive rights: the name
 *				lookup, whose cost must not grow with the table
 *	mach.semaphore_pingpong	two threads of one task handing the turn back
 *				and forth through two Mach semaphores (one
 *				signal and one wait each way per round trip)
 *	sysctl.byname		sysctlbyname("kern.ostype") into a buffer
 *	iokit.connect_method	IOConnectCallScalarMethod with 2 scalars in and 1
 *				out, on the UserClient test kext's user client
 *				(tests/kexts/UserClient): a kernel RPC through the
 *				family's checks to a driver's method and back
 *
 * `make bench` runs it in a one-CPU boot and a two-CPU boot and names the
 * figures .one_cpu and .two_cpus (cross-CPU wake-ups dominate unpinned
 * ping-pong). Each figure is the median over ROUNDS rounds (default 7) of
 * a round's mean. The server is a child found through the bootstrap
 * server when there is one (init runs it), else given its port through
 * task_for_pid.
 */

#include <IOKit/IOKitLib.h>
#include <mach/mach.h>
#include <mach/semaphore.h>
#include <pthread.h>
#include <servers/bootstrap.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kexts/UserClient/UserClientShared.h"

#define OOL_SIZE	(1024 * 1024)
#define ID_PING		1
#define ID_OOL		2
#define ID_QUIT		3

static int rounds = 7;

struct ping {
	mach_msg_header_t	header;
	int32_t			value;
	mach_msg_max_trailer_t	trailer;
};

struct ool {
	mach_msg_header_t		header;
	mach_msg_body_t			body;
	mach_msg_ool_descriptor_t	data;
	mach_msg_max_trailer_t		trailer;
};

union msgbuf {
	mach_msg_header_t	header;
	struct ping		ping;
	struct ool		ool;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
measure(const char *name, int (*op)(void *), void *arg, int iters, uint64_t *median)
{
	uint64_t t[64];
	int n = rounds < 64 ? rounds : 64;

	if (op(arg) != 0) {
		printf("# skip %s: the first call failed\n", name);
		return -1;
	}
	for (int r = 0; r < n; r++) {
		uint64_t start = now_ns();

		for (int i = 0; i < iters; i++) {
			if (op(arg) != 0) {
				printf("# skip %s: a call failed\n", name);
				return -1;
			}
		}
		t[r] = (now_ns() - start) / (uint64_t)iters;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_u64);
	*median = t[n / 2];
	printf("%s %llu ns\n", name, (unsigned long long)*median);
	return 0;
}

/* The server: answer every message, in one trap with the next receive. */
static void
serve(mach_port_t port)
{
	union msgbuf in, out;
	mach_msg_option_t opt = MACH_RCV_MSG;
	mach_msg_size_t send_size = 0;

	for (;;) {
		mach_msg_return_t mr = mach_msg(&out.header, opt, send_size, sizeof(in), port,
		    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);

		if (mr != MACH_MSG_SUCCESS) {
			opt = MACH_RCV_MSG;
			send_size = 0;
			continue;
		}
		in = out;
		if (in.header.msgh_id == ID_QUIT)
			_exit(0);
		if (in.header.msgh_id == ID_OOL)
			munmap(in.ool.data.address, in.ool.data.size);
		memset(&out.ping, 0, sizeof(out.ping));
		out.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		out.header.msgh_remote_port = in.header.msgh_remote_port;
		out.header.msgh_id = in.header.msgh_id + 100;
		send_size = sizeof(mach_msg_header_t) + sizeof(int32_t);
		opt = MACH_SEND_MSG | MACH_RCV_MSG;
	}
}

struct client {
	mach_port_t	server, reply;
	char		*data;
};

static int
op_roundtrip(void *arg)
{
	struct client *c = arg;
	union msgbuf m;

	memset(&m.ping, 0, sizeof(m.ping));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.header.msgh_remote_port = c->server;
	m.header.msgh_local_port = c->reply;
	m.header.msgh_id = ID_PING;
	return mach_msg(&m.header, MACH_SEND_MSG | MACH_RCV_MSG,
	    sizeof(mach_msg_header_t) + sizeof(int32_t), sizeof(m), c->reply, 0, 0) ==
	    MACH_MSG_SUCCESS ? 0 : -1;
}

static int
op_ool(void *arg)
{
	struct client *c = arg;
	union msgbuf m;

	memset(&m.ool, 0, sizeof(m.ool));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
	    MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_remote_port = c->server;
	m.header.msgh_local_port = c->reply;
	m.header.msgh_id = ID_OOL;
	m.ool.body.msgh_descriptor_count = 1;
	m.ool.data.address = c->data;
	m.ool.data.size = OOL_SIZE;
	m.ool.data.copy = MACH_MSG_VIRTUAL_COPY;
	m.ool.data.type = MACH_MSG_OOL_DESCRIPTOR;
	return mach_msg(&m.header, MACH_SEND_MSG | MACH_RCV_MSG,
	    sizeof(m.ool) - sizeof(m.ool.trailer), sizeof(m), c->reply, 0, 0) ==
	    MACH_MSG_SUCCESS ? 0 : -1;
}

static int
op_port(void *arg)
{
	mach_port_t p;

	(void)arg;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS)
		return -1;
	return mach_port_destroy(mach_task_self(), p) == KERN_SUCCESS ? 0 : -1;
}

static int
op_self(void *arg)
{
	mach_port_t port = *(mach_port_t *)arg;
	union msgbuf m;

	memset(&m.ping, 0, sizeof(m.ping));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
	m.header.msgh_remote_port = port;
	m.header.msgh_id = ID_PING;
	return mach_msg(&m.header, MACH_SEND_MSG | MACH_RCV_MSG,
	    sizeof(mach_msg_header_t) + sizeof(int32_t), sizeof(m), port, 0, 0) ==
	    MACH_MSG_SUCCESS ? 0 : -1;
}

static int
op_connect_method(void *arg)
{
	io_connect_t c = *(io_connect_t *)arg;
	uint64_t in[2] = { 40, 2 }, out = 0;
	uint32_t n = 1;

	return IOConnectCallScalarMethod(c, kUCMethodAdd, in, 2, &out, &n) == KERN_SUCCESS &&
	    out == 42 ? 0 : -1;
}

/* --- name lookup, semaphores, sysctl ---------------------------------------------------- */

struct lookup {
	mach_port_t	*names;
	unsigned	count;
	unsigned	next;
};

/* mach_port_type on the next of the names, each checked to be a receive right. */
static int
op_lookup(void *arg)
{
	struct lookup *l = arg;
	mach_port_type_t type;
	mach_port_t name = l->names[l->next];

	l->next = (l->next + 7919) % l->count;	/* a prime stride: all over the table */
	if (mach_port_type(mach_task_self(), name, &type) != KERN_SUCCESS ||
	    !(type & MACH_PORT_TYPE_RECEIVE))
		return -1;
	return 0;
}

static void
measure_lookup(unsigned count, const char *name)
{
	struct lookup l = { calloc(count, sizeof(mach_port_t)), 0, 0 };
	uint64_t t;

	if (l.names == NULL) {
		printf("# skip %s: no memory\n", name);
		return;
	}
	for (; l.count < count; l.count++) {
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
		    &l.names[l.count]) != KERN_SUCCESS) {
			printf("# skip %s: only %u ports could be allocated\n", name, l.count);
			break;
		}
	}
	if (l.count == count)
		(void)measure(name, op_lookup, &l, 2000, &t);
	for (unsigned i = 0; i < l.count; i++)
		(void)mach_port_destroy(mach_task_self(), l.names[i]);
	free(l.names);
}

struct pingpong {
	semaphore_t	ping, pong;
	volatile int	stop;
	unsigned	answered;
};

static void *
pong_thread(void *arg)
{
	struct pingpong *pp = arg;

	for (;;) {
		if (semaphore_wait(pp->ping) != KERN_SUCCESS)
			return NULL;
		if (pp->stop)
			return NULL;
		pp->answered++;
		(void)semaphore_signal(pp->pong);
	}
}

static unsigned pingpong_sent;

static int
op_pingpong(void *arg)
{
	struct pingpong *pp = arg;

	pingpong_sent++;
	if (semaphore_signal(pp->ping) != KERN_SUCCESS || semaphore_wait(pp->pong) != KERN_SUCCESS)
		return -1;
	/* The other thread really ran once for every turn. */
	return pp->answered == pingpong_sent ? 0 : -1;
}

static void
measure_pingpong(void)
{
	struct pingpong pp = { 0 };
	pthread_t th;
	uint64_t t;

	if (semaphore_create(mach_task_self(), &pp.ping, SYNC_POLICY_FIFO, 0) != KERN_SUCCESS ||
	    semaphore_create(mach_task_self(), &pp.pong, SYNC_POLICY_FIFO, 0) != KERN_SUCCESS ||
	    pthread_create(&th, NULL, pong_thread, &pp) != 0) {
		printf("# skip mach.semaphore_pingpong: no semaphores or no thread\n");
		return;
	}
	(void)measure("mach.semaphore_pingpong", op_pingpong, &pp, 1000, &t);
	pp.stop = 1;
	(void)semaphore_signal(pp.ping);
	pthread_join(th, NULL);
	(void)semaphore_destroy(mach_task_self(), pp.ping);
	(void)semaphore_destroy(mach_task_self(), pp.pong);
}

static int
op_sysctl(void *arg)
{
	char buf[32];
	size_t len = sizeof(buf);

	(void)arg;
	if (sysctlbyname("kern.ostype", buf, &len, NULL, 0) != 0 || len < 7 ||
	    memcmp(buf, "Machina", 7) != 0)
		return -1;
	return 0;
}

/* The user-client round trip, on the test kext's driver (if it is there). */
static void
measure_connect_method(void)
{
	char *match = IOServiceMatching(kUCDriverClass);
	io_service_t drv = IOServiceGetMatchingService(kIOMasterPortDefault, match);
	io_connect_t c = IO_OBJECT_NULL;
	uint64_t t;

	free(match);
	if (drv == IO_OBJECT_NULL ||
	    IOServiceOpen(drv, mach_task_self(), kUCConnectType, &c) != KERN_SUCCESS) {
		printf("# skip iokit.connect_method: no UserClient test driver\n");
	} else {
		(void)measure("iokit.connect_method", op_connect_method, &c, 2000, &t);
		IOServiceClose(c);
	}
	if (drv != IO_OBJECT_NULL)
		IOObjectRelease(drv);
}

static int
wanted(int argc, char **argv, int first, const char *name)
{
	if (first >= argc)
		return 1;
	for (int i = first; i < argc; i++) {
		if (strncmp(argv[i], name, strlen(argv[i])) == 0)
			return 1;
	}
	return 0;
}

/* A server child and a send right to its port (through the bootstrap server or task_for_pid). */
static pid_t
start_server(mach_port_t *server)
{
	mach_port_t port;
	pid_t pid;
	int p[2];
	char c;

	if (pipe(p) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) !=
		    KERN_SUCCESS || mach_port_insert_right(mach_task_self(), port, port,
		    MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
			_exit(1);
		/* Tell the parent the name: it takes a send right through our task port. */
		if (write(p[1], &port, sizeof(port)) != sizeof(port))
			_exit(1);
		close(p[1]);
		serve(port);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &port, sizeof(port)) != sizeof(port)) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	{
		mach_port_t task, got;
		mach_msg_type_name_t type;

		if (task_for_pid(mach_task_self(), pid, &task) != KERN_SUCCESS)
			return -1;
		if (mach_port_extract_right(task, port, MACH_MSG_TYPE_COPY_SEND, &got, &type) !=
		    KERN_SUCCESS)
			return -1;
		mach_port_deallocate(mach_task_self(), task);
		*server = got;
	}
	(void)c;
	return pid;
}

int
main(int argc, char **argv)
{
	struct client c;
	uint64_t t;
	int first = 1;
	pid_t pid;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		rounds = atoi(argv[2]);
		if (rounds < 1)
			rounds = 1;
		first = 3;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (wanted(argc, argv, first, "mach.port_alloc_destroy"))
		(void)measure("mach.port_alloc_destroy", op_port, NULL, 2000, &t);
	if (wanted(argc, argv, first, "mach.msg_self")) {
		mach_port_t own = mach_reply_port();

		(void)measure("mach.msg_self", op_self, &own, 2000, &t);
		mach_port_destroy(mach_task_self(), own);
	}
	if (wanted(argc, argv, first, "mach.port_lookup.names_10"))
		measure_lookup(10, "mach.port_lookup.names_10");
	if (wanted(argc, argv, first, "mach.port_lookup.names_100000"))
		measure_lookup(100000, "mach.port_lookup.names_100000");
	if (wanted(argc, argv, first, "mach.semaphore_pingpong"))
		measure_pingpong();
	if (wanted(argc, argv, first, "sysctl.byname"))
		(void)measure("sysctl.byname", op_sysctl, NULL, 2000, &t);
	if (wanted(argc, argv, first, "iokit.connect_method"))
		measure_connect_method();
	if (!wanted(argc, argv, first, "mach.msg_roundtrip") &&
	    !wanted(argc, argv, first, "mach.ool_1mib"))
		return 0;
	pid = start_server(&c.server);
	if (pid < 0) {
		printf("# skip mach.msg_roundtrip, mach.ool_1mib: no server task\n");
		return 0;
	}
	c.reply = mach_reply_port();
	c.data = mmap(NULL, OOL_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(c.data, 0x5a, OOL_SIZE);
	if (wanted(argc, argv, first, "mach.msg_roundtrip"))
		(void)measure("mach.msg_roundtrip", op_roundtrip, &c, 500, &t);
	if (wanted(argc, argv, first, "mach.ool_1mib") &&
	    measure("mach.ool_1mib", op_ool, &c, 20, &t) == 0 && t != 0)
		printf("mach.ool_1mib.throughput %llu MiB/s\n",
		    (unsigned long long)(1000000000ULL / t));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}
