/*
 * syscall_fuzz.c - the system-call fuzzer and the Mach message fuzzer
 * (docs/fuzzing.md).
 *
 *	syscall_fuzz [-m] [-u] [-c WHICH:ARGS] [-s SEED] [-n CALLS] [-f FIRST] [-v]
 *	    [-p PERIOD]
 *
 * Without -m: CALLS calls drawn from every call the kernel answers (BSD
 * classes 0 and 2, Mach traps, random numbers in every class), each with
 * arguments of the kinds the generated table (syscall_fuzz_table.h, from
 * tools/makesyscalls.py --fuzz-table) gives it: mostly values that look
 * valid (descriptors it opened, ports it holds, a mapped buffer of the
 * right size, paths under a scratch directory), the rest boundary values
 * (NULL, kernel addresses, an unmapped page, the last user page, non
 * canonical addresses, huge and negative lengths, -1, INT_MAX, random
 * bits). With -m: CALLS mach_msg sends and send+receives, with random
 * headers, dispositions, sizes, descriptors (ports, out-of-line memory and
 * port arrays), trailer requests, always with timeouts, to the task's own
 * ports, a server thread's port, the host, task, thread and semaphore
 * ports and made-up names. With no arguments at all: a short run of each
 * (the user tier of make test).
 *
 * Call N's arguments depend only on SEED and N, so a run repeats; -f FIRST
 * starts at call FIRST. The calls are made by a child process (respawned
 * every BATCH calls, or when it dies of a signal: a user process dying is
 * fine); before each call it notes "#N class name(args)" in a ring of the
 * last RING calls shared with the parent, and writes it to the console
 * with one write(2) if -v, or if N is a multiple of PERIOD. The parent
 * prints the ring's last call when a child dies, and kills a child whose
 * call has not returned within HANG_TICKS polls (a call may block: that is
 * not a kernel bug, a call that SIGKILL cannot end is).
 *
 * Before the run (after a warm-up) and after it (children gone, scratch
 * removed), the parent reads every zone's elements in use (vm.zones), the
 * free pages (vm.page_free_count), the kernel's IPC counts (debug.ipc.*)
 * and its own port names (mach_port_names), and checks that they are back,
 * within ZONE_SLACK elements a zone, PAGE_SLACK pages, IPC_SLACK objects
 * (caches: the name cache, the buffer cache), naming every zone that grew.
 *
 * On the coverage kernel (/dev/ksancov there, make KCOV=1) the calls are
 * guided: made in programs of up to PROG_MAX calls, each call's kernel
 * PCs recorded, and the programs that reached new PCs or edges kept in a
 * corpus that later programs are mutated from (guided_calls); -u only
 * measures the coverage of the blind calls. A guided call is logged with
 * the seeds that make it again: -c WHICH:ARGS (with -m for a message).
 *
 * Calls that would end or disturb the whole run are not made (exit,
 * reboot, settimeofday, mount, kext loading...), or only with values that
 * keep them to the child (kill of itself, clone without sharing memory).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <mach/mach.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ksancov.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mach_test.h"
#include "syscall_fuzz_table.h"
#include "tap.h"
#include "zone_counts.h"

#define RING		64
#define BATCH		2000
#define HANG_TICKS	60		/* polls of 50 ms */
#define ZONE_SLACK	8
#define PAGE_SLACK	512
#define IPC_SLACK	4
#define LOG_FD		250		/* the console, kept out of every fd argument */
#define KCOV_FD		251		/* /dev/ksancov, the parent's, shared */
#define KCOV_PCS	(1u << 18)	/* entries of the trace buffer */
#define PROG_MAX	8		/* calls a program */
#define CORPUS_MAX	256		/* programs the corpus keeps */
#define COVER_SLOTS	(1u << 15)	/* the set of PCs seen (2x the kernel's blocks) */
#define EDGE_SLOTS	(1u << 17)	/* the set of edges (PC pairs) seen */
#define CURVE		16		/* coverage after each 16th of the calls */
#define BUF_SIZE	(64 * 1024)
#define SCRATCH		"/tmp/sfz"
#define PAGE		4096UL

/* What parent and child share (MAP_SHARED): progress and the ring. */
struct ring_ent {
	uint64_t	n;
	uint32_t	cls, number;
	const char	*name;
	uint64_t	arg[FUZZ_ARGS_MAX];
	uint8_t		nargs;
	uint8_t		seeded;		/* guided: drawn from which and args */
	uint64_t	which, args;
};
struct shared {
	volatile uint64_t	progress;	/* the call being made, +1 */
	volatile uint64_t	done;		/* calls made */
	struct ring_ent		ring[RING];
	uint64_t		results[64];	/* -m: mach_msg's answers, by code */
};

static struct shared *sh;

/*
 * Coverage guidance (the coverage kernel, docs/fuzzing.md), shared by the
 * parent and its children like struct shared: the PCs every program
 * reached, and the corpus of programs that reached new ones. A program is
 * up to PROG_MAX calls, each named by its two seeds (reseed_args).
 */
struct prog_call {
	uint64_t	which, args;
};
struct prog {
	uint32_t		len;
	uint32_t		score;		/* what it reached first: 4 a PC, 1 an edge */
	struct prog_call	call[PROG_MAX];
};
struct guide {
	uint64_t	cover[COVER_SLOTS];	/* open addressing; 0: empty */
	uint64_t	edge[EDGE_SLOTS];	/* the same, of (from, to) hashed */
	uint64_t	npcs;			/* distinct PCs */
	uint64_t	nedges;			/* distinct edges */
	uint64_t	programs;		/* programs run */
	uint64_t	mutated;		/* ... made from the corpus */
	uint64_t	kept;			/* ... added to it */
	uint64_t	dropped;		/* trace entries lost to a full buffer */
	uint64_t	first_npcs;		/* after the first program */
	uint64_t	curve[CURVE];		/* npcs at each 16th of the run */
	uint64_t	calls;			/* of the run, for the curve */
	uint32_t	ncorpus;
	struct prog	corpus[CORPUS_MAX];
};

static struct guide *guide;		/* NULL: no coverage device */
static struct ksancov_trace *ktrace;	/* the mapped buffer */
static int unguided;			/* -u: measure coverage, keep no corpus */
static int replay;			/* -c: one call of given seeds */
static uint64_t replay_which, replay_args;
static uint64_t seed = 1, first;
static int verbose, mach_mode;
static uint64_t period = 1000;
static uint64_t run_first;		/* the run's first call, for the curve */
static pid_t parent_pid, child_pid;

/* --- randomness: call N's stream depends on the seed and N only --------- */

static uint64_t rs;

static uint64_t
rnd(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/*
 * Guided (the coverage kernel): a call's two seeds, one choosing what is
 * called, the other its arguments, taken from a program of the corpus
 * instead of from SEED and N.
 */
static int guided_call;
static uint64_t cur_which, cur_args;

static void
reseed_value(uint64_t v)
{
	rs = v;
	(void)rnd();
}

static uint64_t
seed_of(uint64_t n)
{
	return seed * 0x2545f4914f6cdd1dULL ^ n * 0x9e3779b97f4a7c15ULL;
}

static void
reseed(uint64_t n)
{
	reseed_value(guided_call ? cur_which : seed_of(n));
}

/* Guided: the arguments from their own seed, once the call is chosen. */
static void
reseed_args(void)
{
	if (guided_call && cur_args != cur_which)
		reseed_value(cur_args);
}

/* --- what the child holds ------------------------------------------------ */

static unsigned char *buf;		/* BUF_SIZE, read-write, then an unmapped page */
static unsigned char *rdonly;		/* one read-only page */
static unsigned char *victim;		/* 16 pages the calls may unmap and remap */
static uintptr_t unmapped;		/* a page nobody maps */
static int fds[24], nfds;
static mach_port_t ports[16];
static int nports;
static mach_port_t p_recv, p_server, p_reply, p_set, p_sema;
static const char *const paths[] = {
	SCRATCH "/f0", SCRATCH "/f1", SCRATCH "/d", SCRATCH "/d/f2", SCRATCH "/d/e",
	SCRATCH "/l", SCRATCH "/new", SCRATCH "/d/new", SCRATCH "/nonexistent/x",
	SCRATCH "/f0/", SCRATCH "/d/../f1", "", SCRATCH "/d/e/../../f0",
};
static const char *const sysctl_names[] = {
	"kern.ostype", "kern.hostname", "vm.zones", "hw.ncpu", "kern.proc.all",
	"debug.ipc.ports", "vm.page_free_count", "kern.bootargs", "kern", "",
};

static void
add_fd(int fd)
{
	if (fd >= 0 && fd != LOG_FD && nfds < (int)(sizeof(fds) / sizeof(fds[0])))
		fds[nfds++] = fd;
}

static void
child_setup(void)
{
	int p[2];

	setsid();
	for (int fd = 0; fd < 3; fd++)
		close(fd);
	buf = mmap(NULL, BUF_SIZE + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (buf == MAP_FAILED)
		_exit(3);
	munmap(buf + BUF_SIZE, PAGE);
	unmapped = (uintptr_t)buf + BUF_SIZE;
	rdonly = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	victim = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	nfds = 0;
	add_fd(open(SCRATCH "/f0", O_RDWR | O_CREAT, 0644));
	add_fd(open(SCRATCH "/f1", O_RDONLY | O_CREAT, 0644));
	add_fd(open(SCRATCH "/d", O_RDONLY | O_DIRECTORY));
	add_fd(open(SCRATCH, O_RDONLY | O_DIRECTORY));
	add_fd(open("/dev/null", O_RDWR));
	add_fd(open("/dev/zero", O_RDONLY));
	if (pipe2(p, O_NONBLOCK) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}

	mach_port_t self = mach_task_self();

	nports = 0;
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p_recv);
	mach_port_insert_right(self, p_recv, p_recv, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p_server);
	mach_port_insert_right(self, p_server, p_server, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &p_set);
	p_reply = mach_reply_port();
	p_sema = MACH_PORT_NULL;
	semaphore_create(self, &p_sema, 0, 0);
	/* The first six take messages (mach_one). */
	ports[nports++] = self;
	ports[nports++] = mach_thread_self();
	ports[nports++] = mach_host_self();
	ports[nports++] = p_recv;
	ports[nports++] = p_server;
	ports[nports++] = p_sema;
	ports[nports++] = p_reply;
	ports[nports++] = p_set;
	ports[nports++] = MACH_PORT_NULL;
	ports[nports++] = MACH_PORT_DEAD;
}

/* --- argument values by kind --------------------------------------------- */

static uint64_t
bad_pointer(void)
{
	switch (below(10)) {
	case 0: return 0;
	case 1: return 0xffff800000000000ULL + below(1ULL << 30) * 8;
	case 2: return 0xffffffff80000000ULL + below(1 << 24);
	case 3: return unmapped + below(PAGE);
	case 4: return 0x00007ffffffff000ULL + below(PAGE);
	case 5: return 0x0000800000000000ULL + below(1 << 20);
	case 6: return (uintptr_t)buf + BUF_SIZE - 1 - below(16);	/* runs off the end */
	case 7: return (uintptr_t)rdonly + below(PAGE);			/* not writable */
	case 8: return 0x8000000000000000ULL;
	default: return rnd();
	}
}

static uint64_t
bad_length(void)
{
	switch (below(8)) {
	case 0: return 0;
	case 1: return (uint64_t)-1;
	case 2: return INT_MAX;
	case 3: return (uint64_t)INT_MAX + 1;
	case 4: return 1ULL << (32 + below(31));
	case 5: return (uint64_t)-(int64_t)below(4096);
	case 6: return BUF_SIZE + below(PAGE * 2);
	default: return rnd();
	}
}

/* Fill len bytes at p: zeros, small numbers or random bits. */
static void
fill(unsigned char *p, size_t len)
{
	uint64_t how = below(4);

	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = how == 0 ? 0 : how == 1 ? below(64) : how == 2 ? below(1 << 16) : rnd();
		memcpy(p + i, &v, len - i < 8 ? len - i : 8);
	}
}

static uint64_t
valid_pointer(uint64_t size)
{
	uint64_t off;

	if (size > BUF_SIZE)
		size = BUF_SIZE;
	off = below(BUF_SIZE - size + 1) & ~7ULL;
	fill(buf + off, size < 512 ? (size ? size : 64) : 512);
	return (uintptr_t)buf + off;
}

static int
fuzz_fd(void)
{
	int fd;

	if (below(4) != 0 && nfds > 0)
		return fds[below(nfds)];
	switch (below(5)) {
	case 0: return -1;
	case 1: return INT_MAX;
	case 2: return -100;		/* AT_FDCWD */
	case 3: return 1024 + (int)below(1 << 16);
	default:
		fd = (int)below(64);
		return fd == LOG_FD ? -1 : fd;
	}
}

static uint64_t
fuzz_flags(void)
{
	switch (below(6)) {
	case 0: return 0;
	case 1: return 1ULL << below(32);
	case 2: return below(16);
	case 3: return below(1 << 16);
	case 4: return (uint32_t)rnd();
	default: return rnd();
	}
}

static uint64_t
fuzz_pid(void)
{
	/* Never init, the fuzzer's parent or a group that holds it. */
	switch (below(5)) {
	case 0: return 0;
	case 1: return (uint64_t)getpid();
	case 2: return (uint64_t)-(int64_t)getpid();
	case 3: return 100000 + below(1 << 20);
	default: return (uint64_t)INT_MIN + below(2);
	}
}

static uint64_t
fuzz_sig(void)
{
	uint64_t s = below(8) == 0 ? rnd() : below(66);

	/* A stopped child makes no progress: no stop signals. */
	if (s == SIGSTOP || s == SIGTSTP || s == SIGTTIN || s == SIGTTOU)
		s = 0;
	return s;
}

static uint64_t
fuzz_port(void)
{
	if (below(5) != 0)
		return ports[below(nports)];
	switch (below(3)) {
	case 0: return below(0x1000);
	case 1: return (uint32_t)rnd();
	default: return rnd();
	}
}

static uint64_t
fuzz_path(void)
{
	if (below(6) == 0)
		return bad_pointer();
	if (below(20) == 0) {		/* longer than any path */
		memset(buf, 'a', 8192);
		buf[8192] = 0;
		return (uintptr_t)buf;
	}
	return (uintptr_t)paths[below(sizeof(paths) / sizeof(paths[0]))];
}

static uint64_t
fuzz_addr(void)
{
	switch (below(6)) {
	case 0: return 0;
	case 1:
	case 2: return (uintptr_t)victim + below(16) * PAGE;
	case 3: return 0x100000000000ULL + below(1 << 20) * PAGE;
	case 4: return (uintptr_t)victim + below(16 * PAGE);	/* unaligned */
	default: return bad_pointer();
	}
}

static uint64_t
fuzz_len(void)
{
	return below(3) ? below(below(2) ? 64 : 4 * PAGE) : bad_length();
}

static uint64_t
fuzz_time(void)
{
	return below(8) ? below(5) : bad_length();
}

/* --- making a call ---------------------------------------------------------- */

/*
 * Any call of any class with up to eight arguments: the seventh and eighth
 * on the stack above where a return address would be, as the kernel reads
 * a Mach trap's (bsd/userland/libsystem/mach_traps.c).
 */
long fuzz_trap(long nr, long a0, long a1, long a2, long a3, long a4, long a5, long a6, long a7);
__asm__(".text\n"
    ".globl fuzz_trap\n"
    ".type fuzz_trap, @function\n"
    "fuzz_trap:\n"
    "	movq %rdi, %rax\n"
    "	movq %rsi, %rdi\n"
    "	movq %rdx, %rsi\n"
    "	movq %rcx, %rdx\n"
    "	movq %r8, %r10\n"
    "	movq %r9, %r8\n"
    "	movq 8(%rsp), %r9\n"
    "	subq $24, %rsp\n"
    "	movq 40(%rsp), %r11\n"
    "	movq %r11, 8(%rsp)\n"
    "	movq 48(%rsp), %r11\n"
    "	movq %r11, 16(%rsp)\n"
    "	syscall\n"
    "	addq $24, %rsp\n"
    "	ret\n"
    ".size fuzz_trap, . - fuzz_trap\n");

static void
log_call(const struct ring_ent *e, const char *tag)
{
	char line[256];
	int n;

	/* A number no table lists is written as unknown_NUMBER. */
	n = snprintf(line, sizeof(line), "%s#%llu %u %s", tag, (unsigned long long)e->n, e->cls,
	    e->name);
	if (strcmp(e->name, "unknown") == 0)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "_%u", e->number);
	n += snprintf(line + n, sizeof(line) - (size_t)n, "(");
	for (int i = 0; i < e->nargs && n < (int)sizeof(line) - 24; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s0x%llx", i ? ", " : "",
		    (unsigned long long)e->arg[i]);
	if (n < (int)sizeof(line) - 3)
		n += snprintf(line + n, sizeof(line) - (size_t)n, ")");
	/* Guided: the seeds that make the same call again (-c WHICH:ARGS). */
	if (e->seeded && n < (int)sizeof(line) - 48)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " -c 0x%llx:0x%llx",
		    (unsigned long long)e->which, (unsigned long long)e->args);
	if (n < (int)sizeof(line) - 2)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "\n");
	(void)!write(LOG_FD, line, (size_t)n);
}

static int
is(const struct fuzz_call *c, const char *name)
{
	return strcmp(c->name, name) == 0;
}

/* Calls that would end the run or change the whole system: never made. */
static int
skipped(const struct fuzz_call *c)
{
	static const char *const skip[] = {
		"exit", "exit_group", "reboot", "pause", "rt_sigsuspend", "vfork",
		"settimeofday", "clock_settime", "sethostname", "setdomainname", "mount",
		"umount2", "kext_load", "kext_unload", "mach_wait_until_trap",
		"semaphore_wait_trap", "semaphore_wait_signal_trap", "chroot",
	};

	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (is(c, skip[i]))
			return 1;
	return 0;
}

/*
 * A timeout argument: a short one, or a bad pointer, never NULL (which
 * waits for good) nor a long one (a child that makes no progress costs
 * HANG_TICKS).
 */
static void
short_timeout(uint64_t *slot)
{
	uint64_t *ts = (uint64_t *)(buf + BUF_SIZE - 64);

	if (below(8) == 0 && (*slot = bad_pointer()) != 0)
		return;
	ts[0] = 0;
	ts[1] = below(4) ? below(2000) : below(1000000);
	*slot = (uintptr_t)ts;
}

/* Values that keep a call to the child, where the kinds alone could not. */
static void
tame(const struct fuzz_call *c, uint64_t *a)
{
	static const struct {
		const char	*name;
		int		arg;
	} timeouts[] = {
		{ "nanosleep", 0 }, { "clock_nanosleep", 2 }, { "select", 4 }, { "pselect6", 4 },
		{ "ppoll", 2 }, { "futex", 3 }, { "rt_sigtimedwait", 2 },
	};

	for (size_t i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++)
		if (is(c, timeouts[i].name))
			short_timeout(&a[timeouts[i].arg]);
	if (is(c, "poll"))
		a[2] = below(3);
	if (is(c, "kill") || is(c, "tkill")) {
		a[0] = below(2) ? (uint64_t)getpid() : below(2) ? 0 : 100000 + below(1000);
	} else if (is(c, "tgkill")) {
		a[0] = a[1] = (uint64_t)getpid();
	} else if (is(c, "clone")) {
		/* No shared memory, signal handlers or parent: a plain fork. */
		a[0] &= ~(uint64_t)(0x100 | 0x800 | 0x10000 | 0x8000 | 0x4000 | 0x1000000 |
		    0x200000 | 0x80000);
		a[1] = 0;
	} else if (is(c, "mknod") || is(c, "mknodat")) {
		int m = is(c, "mknod") ? 1 : 2;	/* only files, no devices */
		a[m] = (a[m] & 07777) | (below(2) ? S_IFREG : 0);
	} else if (is(c, "sysctl") || is(c, "sysctlbyname")) {
		a[4] = below(2) ? 0 : bad_pointer();	/* read, never write */
		if (is(c, "sysctlbyname") && below(2)) {
			const char *n = sysctl_names[below(sizeof(sysctl_names) /
			    sizeof(sysctl_names[0]))];

			a[0] = (uintptr_t)n;
			a[1] = strlen(n) + (below(4) == 0 ? below(3) : 0);
		}
	} else if (is(c, "prlimit64") || is(c, "setpgid") || is(c, "task_for_pid")) {
		a[c->kind[0] == FK_PID ? 0 : 1] = below(2) ? 0 : (uint64_t)getpid();
	} else if (is(c, "mach_msg_trap") || is(c, "mach_msg_overwrite_trap")) {
		a[1] |= 0x10 | 0x100;		/* MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT */
		a[5] = below(5);
	} else if (is(c, "semaphore_timedwait_trap") ||
	    is(c, "semaphore_timedwait_signal_trap")) {
		int t = is(c, "semaphore_timedwait_trap") ? 1 : 2;
		a[t] = 0;
		a[t + 1] = below(1000000);
	} else if (is(c, "thread_switch")) {
		a[2] = below(5);
	} else if (is(c, "execve")) {
		a[0] = below(2) ? (uintptr_t)(SCRATCH "/f0") : bad_pointer();
	} else if (is(c, "munmap") || is(c, "mprotect") || is(c, "madvise") || is(c, "msync")) {
		if (a[0] != (uintptr_t)victim && below(2))
			a[0] = (uintptr_t)victim + below(16) * PAGE;
		if (below(2))
			a[1] = below(17) * PAGE;
	}
}

/* One random call of call n (without -m). */
static void
syscall_one(uint64_t n)
{
	const struct fuzz_call *c;
	struct fuzz_call other;
	uint64_t a[FUZZ_ARGS_MAX] = { 0 };
	struct ring_ent *e = &sh->ring[n % RING];
	long nr, r;

	reseed(n);
	if (below(32) == 0) {		/* a number no table lists, any class */
		static const char unknown[] = "unknown";

		other.cls = (uint8_t)below(5);
		other.number = (uint32_t)(below(4) ? below(600) : rnd() & 0xffffff);
		other.nargs = 6;
		other.name = unknown;
		for (int i = 0; i < FUZZ_ARGS_MAX; i++) {
			other.kind[i] = FK_INT;
			other.size_arg[i] = -1;
		}
		for (size_t i = 0; i < FUZZ_CALL_COUNT; i++)
			if (fuzz_calls[i].cls == other.cls && fuzz_calls[i].number == other.number)
				other.cls = 4;	/* a class nothing answers */
		c = &other;
	} else {
		c = &fuzz_calls[below(FUZZ_CALL_COUNT)];
	}
	reseed_args();
	if (skipped(c) || (is(c, "rt_sigreturn") && below(16) != 0)) {
		sh->done = n + 1;
		return;
	}
	for (int i = 0; i < c->nargs; i++) {
		switch (c->kind[i]) {
		case FK_FD: a[i] = (uint64_t)(int64_t)fuzz_fd(); break;
		case FK_PATH: a[i] = fuzz_path(); break;
		case FK_PTR:
		case FK_MSG: a[i] = 0; break;	/* below, once the length is known */
		case FK_ADDR: a[i] = fuzz_addr(); break;
		case FK_LEN: a[i] = fuzz_len(); break;
		case FK_FLAGS: a[i] = fuzz_flags(); break;
		case FK_PID: a[i] = fuzz_pid(); break;
		case FK_SIG: a[i] = fuzz_sig(); break;
		case FK_ID: a[i] = below(2) ? 0 : below(2) ? 65534 : rnd(); break;
		case FK_OFF: a[i] = below(2) ? below(8192) : bad_length(); break;
		case FK_PORT: a[i] = fuzz_port(); break;
		case FK_TIME: a[i] = fuzz_time(); break;
		default: a[i] = below(2) ? below(64) : rnd(); break;
		}
	}
	for (int i = 0; i < c->nargs; i++) {
		if (c->kind[i] != FK_PTR && c->kind[i] != FK_MSG)
			continue;
		if (below(5) == 0) {
			a[i] = bad_pointer();
			continue;
		}
		uint64_t size = c->size_arg[i] >= 0 ? a[c->size_arg[i]] : 256;
		a[i] = valid_pointer(size);
		if (c->kind[i] == FK_MSG && size >= sizeof(mach_msg_header_t)) {
			mach_msg_header_t *h = (mach_msg_header_t *)(uintptr_t)a[i];

			h->msgh_size = (mach_msg_size_t)size;
			h->msgh_remote_port = (mach_port_t)fuzz_port();
			h->msgh_bits &= 0x80001f1f;
		}
	}
	tame(c, a);
	e->n = n;
	e->cls = c->cls;
	e->number = c->number;
	e->name = c->name;
	e->nargs = c->nargs;
	e->seeded = (uint8_t)guided_call;
	e->which = cur_which;
	e->args = cur_args;
	memcpy(e->arg, a, sizeof(e->arg));
	sh->progress = n + 1;
	if (verbose || n % period == 0)
		log_call(e, "");
	nr = ((long)c->cls << 24) | (long)c->number;
	r = fuzz_trap(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5],
	    (long)a[6], (long)a[7]);
	/* A fork or clone that made a process: it ends at once. */
	if (r == 0 && (is(c, "fork") || is(c, "clone")))
		if (getpid() != child_pid)
			syscall(SYS_exit_group, 0);
	/* Descriptors it opened are used by later calls (the pool is small). */
	if (r >= 0 && r < 1024 && (is(c, "open") || is(c, "openat") || is(c, "dup")) &&
	    below(2))
		add_fd((int)r);
	sh->done = n + 1;
}

/* --- the Mach message fuzzer (-m) ---------------------------------------- */

#include "mach_fuzz.h"		/* the typed requests, from the generated table */

static volatile int server_stop;

/* A user server: receives on p_server, answers what asks for an answer. */
static void *
server(void *arg)
{
	union {
		mach_msg_header_t	h;
		unsigned char		b[8192];
	} m;

	(void)arg;
	while (!server_stop) {
		mach_msg_return_t mr = mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
		    MACH_RCV_LARGE, 0, sizeof(m), p_server, 20, MACH_PORT_NULL);

		if (mr == MACH_RCV_TOO_LARGE) {
			/* Too big for us: take it off the queue and drop it. */
			(void)mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m),
			    p_server, 0, MACH_PORT_NULL);
			continue;
		}
		if (mr != MACH_MSG_SUCCESS)
			continue;
		mach_port_t reply = m.h.msgh_remote_port;
		mach_msg_type_name_t rtype = MACH_MSGH_BITS_REMOTE(m.h.msgh_bits);
		mach_msg_id_t id = m.h.msgh_id;

		m.h.msgh_remote_port = MACH_PORT_NULL;
		mach_msg_destroy(&m.h);
		if (MACH_PORT_VALID(reply)) {
			mig_reply_error_t r;

			/* As a MIG server would: the reply id, and whether it knows the id. */
			memset(&r, 0, sizeof(r));
			r.Head.msgh_bits = MACH_MSGH_BITS(rtype == MACH_MSG_TYPE_PORT_SEND_ONCE ?
			    MACH_MSG_TYPE_MOVE_SEND_ONCE : MACH_MSG_TYPE_MOVE_SEND, 0);
			r.Head.msgh_size = sizeof(r);
			r.Head.msgh_remote_port = reply;
			r.Head.msgh_id = (mach_msg_id_t)((uint32_t)id + 100);
			r.RetCode = mfz_known(id) ? KERN_SUCCESS : MIG_BAD_ID;
			if (mach_msg(&r.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(r), 0,
			    MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
				(void)mach_port_deallocate(mach_task_self(), reply);
		}
	}
	return NULL;
}

/*
 * A disposition: one that makes sense most of the time (a send right of
 * any kind, or, where a receive right may move, that too), else any.
 */
static mach_msg_type_name_t
disposition(int receive_too)
{
	static const mach_msg_type_name_t good[] = {
		MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
		MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_MOVE_RECEIVE,
	};
	static const mach_msg_type_name_t odd[] = {
		MACH_MSG_TYPE_COPY_RECEIVE, MACH_MSG_TYPE_PORT_NAME, MACH_MSG_TYPE_DISPOSE_SEND, 0,
	};

	if (below(8) != 0)
		return good[below(receive_too ? 6 : 5)];
	return below(2) ? odd[below(4)] : (mach_msg_type_name_t)below(256);
}

/* A message id the kernel's servers answer, most of the time. */
static mach_msg_id_t
msg_id(void)
{
	static const int base[] = { 200, 2800, 3200, 3400, 3600, 4800 };

	if (below(4) == 0)
		return (mach_msg_id_t)rnd();
	return base[below(sizeof(base) / sizeof(base[0]))] + (int)below(48);
}

static void
mach_one(uint64_t n)
{
	struct ring_ent *e = &sh->ring[n % RING];
	mach_msg_header_t *h;
	unsigned char *p;
	uint32_t ndesc, size, option, rcv_size, rcv_name, mr;
	mach_port_t *arr;

	reseed(n);
	/*
	 * Rights moved away by earlier messages come back now and then, so
	 * that most messages reach a port (the names are the same ones).
	 */
	if (n % 32 == 0) {
		mach_port_t self = mach_task_self();

		(void)task_self_trap();
		(void)mach_thread_self();
		(void)mach_host_self();
		(void)mach_port_insert_right(self, p_recv, p_recv, MACH_MSG_TYPE_MAKE_SEND);
		(void)mach_port_insert_right(self, p_server, p_server, MACH_MSG_TYPE_MAKE_SEND);
		mfz_refresh();
	}
	memset(buf, 0, 4096);
	/* Three in four: a well-formed request of a routine (mach_fuzz.h). */
	if (below(4)) {
		e->seeded = (uint8_t)guided_call;
		e->which = cur_which;
		e->args = cur_args;
		mfz_one(n, e);
		goto drain;
	}
	h = (mach_msg_header_t *)buf;
	/* The destination: one of the ports that take messages, mostly. */
	h->msgh_remote_port = below(8) ? ports[below(6)] : (mach_port_t)fuzz_port();
	h->msgh_local_port = below(2) ? p_reply : below(2) ? MACH_PORT_NULL : (mach_port_t)fuzz_port();
	h->msgh_bits = MACH_MSGH_BITS(below(2) ? MACH_MSG_TYPE_COPY_SEND : disposition(0),
	    below(2) ? MACH_MSG_TYPE_MAKE_SEND_ONCE : disposition(1));
	if (below(16) == 0)
		h->msgh_bits |= (mach_msg_bits_t)(below(2) ? rnd() : MACH_MSGH_BITS(0, 0) |
		    (disposition(0) << 16));
	if (below(16) == 0)
		h->msgh_voucher_port = (mach_port_t)fuzz_port();
	h->msgh_id = msg_id();
	p = buf + sizeof(*h);
	ndesc = 0;
	if (below(2)) {
		h->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		ndesc = (uint32_t)below(5);
		((mach_msg_body_t *)p)->msgh_descriptor_count = below(16) ? ndesc :
		    (uint32_t)rnd();
		p += sizeof(mach_msg_body_t);
		arr = (mach_port_t *)(buf + 2048);
		for (int i = 0; i < 32; i++)
			arr[i] = (mach_port_t)fuzz_port();
		for (uint32_t i = 0; i < ndesc; i++) {
			mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;
			uint32_t t = below(8) ? (uint32_t)below(3) : (uint32_t)below(256);

			switch (t) {
			case MACH_MSG_PORT_DESCRIPTOR:
				d->port.name = (mach_port_t)fuzz_port();
				d->port.disposition = disposition(1);
				d->port.type = MACH_MSG_PORT_DESCRIPTOR;
				p += sizeof(d->port);
				break;
			case MACH_MSG_OOL_DESCRIPTOR:
				d->out_of_line.address = (void *)(uintptr_t)(below(2) ?
				    (uintptr_t)victim : bad_pointer());
				d->out_of_line.size = below(2) ? (uint32_t)below(16 * PAGE) :
				    (uint32_t)bad_length();
				/* Only the victim pages may be given away. */
				d->out_of_line.deallocate = d->out_of_line.address ==
				    (void *)victim && below(4) == 0;
				d->out_of_line.copy = (mach_msg_copy_options_t)below(4);
				d->out_of_line.type = MACH_MSG_OOL_DESCRIPTOR;
				p += sizeof(d->out_of_line);
				break;
			case MACH_MSG_OOL_PORTS_DESCRIPTOR:
				d->ool_ports.address = (void *)(uintptr_t)(below(3) ?
				    (uintptr_t)arr : bad_pointer());
				d->ool_ports.count = below(3) ? (uint32_t)below(33) :
				    (uint32_t)bad_length();
				d->ool_ports.disposition = disposition(1);
				d->ool_ports.copy = (mach_msg_copy_options_t)below(4);
				d->ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
				p += sizeof(d->ool_ports);
				break;
			default:
				d->type.type = t;
				p += sizeof(d->type);
				break;
			}
		}
	}
	fill(p, (size_t)below(64));
	size = (uint32_t)(p - buf) + (uint32_t)below(64);
	switch (below(16)) {
	case 0: size = (uint32_t)below(sizeof(*h)); break;		/* too small */
	case 1: size += 1 + (uint32_t)below(3); break;		/* unaligned */
	case 2: size = (uint32_t)bad_length(); break;		/* too large */
	default: size = (size + 3) & ~3u; break;
	}
	h->msgh_size = below(16) ? size : (uint32_t)rnd();
	option = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	rcv_size = 0;
	rcv_name = MACH_PORT_NULL;
	if (below(2)) {
		option |= MACH_RCV_MSG | MACH_RCV_TIMEOUT;
		rcv_name = below(4) ? p_reply : (uint32_t)fuzz_port();
		rcv_size = below(4) ? 4096 : (uint32_t)below(64);
		if (below(2))
			option |= MACH_RCV_TRAILER_ELEMENTS(below(16)) |
			    MACH_RCV_TRAILER_TYPE(below(4) ? 0 : below(16));
		if (below(4) == 0)
			option |= MACH_RCV_LARGE;
	}
	if (below(16) == 0)
		option |= (uint32_t)rnd() & ~(uint32_t)(MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT);
	option |= MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT;	/* never block for good */
	e->n = n;
	e->cls = 1;
	e->number = 32;
	e->name = "mach_msg_overwrite_trap";
	e->nargs = 8;
	e->seeded = (uint8_t)guided_call;
	e->which = cur_which;
	e->args = cur_args;
	e->arg[0] = (uintptr_t)buf;
	e->arg[1] = option;
	e->arg[2] = size;
	e->arg[3] = rcv_size;
	e->arg[4] = rcv_name;
	e->arg[5] = below(4);
	e->arg[6] = 0;
	e->arg[7] = 0;
	sh->progress = n + 1;
	if (verbose || n % period == 0)
		log_call(e, "");
	if (verbose) {			/* and the message, in 32-bit words */
		char line[512];
		int len = snprintf(line, sizeof(line), "  msg");

		for (uint32_t i = 0; i < 96 && i + 4 <= size; i += 4)
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %08x",
			    *(uint32_t *)(buf + i));
		line[len++] = '\n';
		(void)!write(LOG_FD, line, (size_t)len);
	}
	mr = (uint32_t)fuzz_trap(0x1000000 + 32, (long)buf, option, size, rcv_size, rcv_name,
	    (long)e->arg[5], 0, 0);
	/* By code: 0 success, 1-31 MACH_SEND_*, 32-63 MACH_RCV_* (low bits). */
	sh->results[mr == 0 ? 0 : (mr & 0x4000) ? 32 + (mr & 31) : 1 + (mr & 15) + 16 * !!(mr & 0xf0)]++;
drain:
	/* Keep the task's own queue short: take what came and let it go. */
	if (n % 8 == 0) {
		union {
			mach_msg_header_t	h;
			unsigned char		b[8192];
		} m;

		while (mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), p_recv, 0,
		    MACH_PORT_NULL) == MACH_MSG_SUCCESS)
			mach_msg_destroy(&m.h);
		while (mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), p_reply, 0,
		    MACH_PORT_NULL) == MACH_MSG_SUCCESS)
			mach_msg_destroy(&m.h);
	}
	sh->done = n + 1;
}

/* --- coverage guidance ---------------------------------------------------- */

/*
 * The parent: open the coverage device, if the kernel has one, give it a
 * buffer and map it (the children share the mapping, and each records on
 * its own thread). Without it the run is blind, as before.
 */
static void
guide_setup(void)
{
	struct ksancov_buf_desc mc = { 0, 0 };
	uint64_t maxpcs = KCOV_PCS;
	int fd = open("/dev/ksancov", O_RDWR);

	if (fd < 0)
		return;
	if (dup2(fd, KCOV_FD) != KCOV_FD || ioctl(KCOV_FD, KSANCOV_IOC_TRACE, &maxpcs) != 0 ||
	    ioctl(KCOV_FD, KSANCOV_IOC_MAP, &mc) != 0) {
		tap_diag("ksancov: %s; the run is not guided\n", strerror(errno));
		close(fd);
		close(KCOV_FD);
		return;
	}
	close(fd);
	ktrace = (struct ksancov_trace *)(uintptr_t)mc.ptr;
	guide = mmap(NULL, sizeof(*guide), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (guide == MAP_FAILED)
		guide = NULL;
}

/* Add key (nonzero) to a set of slots (a power of two); 1 if it is new. */
static int
set_add(uint64_t *set, uint64_t slots, uint64_t *count, uint64_t key)
{
	uint64_t h = (key * 0x9e3779b97f4a7c15ULL) >> 32;

	if (key == 0 || *count >= slots - slots / 4)
		return 0;
	for (h &= slots - 1;; h = (h + 1) & (slots - 1)) {
		if (set[h] == key)
			return 0;
		if (set[h] == 0) {
			set[h] = key;
			(*count)++;
			return 1;
		}
	}
}

/*
 * The PCs the last call left in the buffer, and the edges between them
 * (the trace is in order): how many of either were new. The PCs are the
 * coverage reported; new edges, which also tell a new path through known
 * blocks, are what keeps a program.
 */
static uint32_t
cover_merge(void)
{
	uint64_t n = __atomic_load_n(&ktrace->kt_head, __ATOMIC_ACQUIRE), prev = 0;
	uint32_t fresh = 0;

	if (n > KCOV_PCS) {
		guide->dropped += n - KCOV_PCS;
		n = KCOV_PCS;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pc = ktrace->kt_entries[i];

		if (pc == prev)
			continue;
		fresh += 4 * (uint32_t)set_add(guide->cover, COVER_SLOTS, &guide->npcs, pc);
		fresh += (uint32_t)set_add(guide->edge, EDGE_SLOTS, &guide->nedges,
		    (prev * 0x2545f4914f6cdd1dULL) ^ pc);
		prev = pc;
	}
	return fresh;
}

/* The mutations' randomness, apart from the calls': program p of the seed. */
static uint64_t ms;

static uint64_t
mrnd(void)
{
	uint64_t z = (ms += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
mbelow(uint64_t n)
{
	return n ? mrnd() % n : 0;
}

static struct prog_call
fresh_call(void)
{
	struct prog_call c;

	c.which = mrnd();
	c.args = mach_mode ? c.which : mrnd();	/* a message is one stream */
	return c;
}

/*
 * Program p: most often a corpus program changed in one to three ways
 * (new arguments for a call, a new call in its place, a call inserted or
 * removed, another program's calls spliced on), otherwise a new one.
 */
static void
prog_make(uint64_t p, struct prog *pr)
{
	ms = seed * 0x94d049bb133111ebULL ^ p * 0x2545f4914f6cdd1dULL;
	(void)mrnd();
	if (unguided || guide->ncorpus == 0 || mbelow(10) < 5) {
		pr->len = 1 + (uint32_t)mbelow(PROG_MAX);
		for (uint32_t i = 0; i < pr->len; i++)
			pr->call[i] = fresh_call();
		return;
	}
	*pr = guide->corpus[mbelow(guide->ncorpus)];
	guide->mutated++;
	for (int k = 1 + (int)mbelow(3); k > 0; k--) {
		uint32_t at = (uint32_t)mbelow(pr->len);
		const struct prog *o;

		switch (mbelow(5)) {
		case 0:
			pr->call[at].args = mrnd();
			if (mach_mode)
				pr->call[at].which = pr->call[at].args;
			break;
		case 1:
			pr->call[at] = fresh_call();
			break;
		case 2:
			if (pr->len == PROG_MAX)
				break;
			memmove(&pr->call[at + 1], &pr->call[at], (pr->len - at) * sizeof(pr->call[0]));
			pr->call[at] = fresh_call();
			pr->len++;
			break;
		case 3:
			if (pr->len == 1)
				break;
			memmove(&pr->call[at], &pr->call[at + 1],
			    (pr->len - at - 1) * sizeof(pr->call[0]));
			pr->len--;
			break;
		default:
			o = &guide->corpus[mbelow(guide->ncorpus)];
			for (uint32_t i = 0; i < o->len && pr->len < PROG_MAX; i++)
				pr->call[pr->len++] = o->call[i];
			break;
		}
	}
}

/*
 * Keep pr, which reached something new (score: cover_merge's): in a free
 * slot, or over the program of the lowest score of eight drawn, if pr's is
 * higher.
 */
static void
corpus_add(const struct prog *pr, uint32_t score)
{
	uint32_t at = guide->ncorpus;

	if (at == CORPUS_MAX) {
		at = (uint32_t)mbelow(CORPUS_MAX);
		for (int i = 0; i < 7; i++) {
			uint32_t o = (uint32_t)mbelow(CORPUS_MAX);

			if (guide->corpus[o].score < guide->corpus[at].score)
				at = o;
		}
		if (guide->corpus[at].score >= score)
			return;
	} else {
		guide->ncorpus++;
	}
	guide->corpus[at] = *pr;
	guide->corpus[at].score = score;
	guide->kept++;
}

/* Record the coverage curve: npcs as the run passes each 16th of its calls. */
static void
curve_note(uint64_t n)
{
	uint64_t part = guide->calls ? (n - run_first) * CURVE / guide->calls : 0;

	if (part < CURVE)
		guide->curve[part] = guide->npcs;
}

/*
 * A guided child: programs until end, each recorded, merged into the
 * cover set, and kept if it reached something new. Unguided (-u) the
 * programs are fresh every time, and only measured.
 */
static void
guided_calls(uint64_t start, uint64_t end)
{
	struct prog pr;

	for (uint64_t n = start; n < end;) {
		uint64_t p = guide->programs++;
		uint32_t fresh;

		prog_make(p, &pr);
		fresh = 0;
		/* Merged call by call: a call that fills the buffer hides no other's PCs. */
		for (uint32_t i = 0; i < pr.len && n < end; i++, n++) {
			cur_which = pr.call[i].which;
			cur_args = pr.call[i].args;
			__atomic_store_n(&ktrace->kt_head, 0, __ATOMIC_RELAXED);
			__atomic_store_n(&ktrace->kt_hdr.kh_enabled, 1, __ATOMIC_RELEASE);
			if (mach_mode)
				mach_one(n);
			else
				syscall_one(n);
			__atomic_store_n(&ktrace->kt_hdr.kh_enabled, 0, __ATOMIC_RELEASE);
			fresh += cover_merge();
		}
		if (p == 0)
			guide->first_npcs = guide->npcs;
		if (fresh != 0 && !unguided)
			corpus_add(&pr, fresh);
		curve_note(n);
	}
}

/* A child: calls from start up to end (or BATCH of them). */
static void __attribute__((noreturn))
child(uint64_t start, uint64_t end)
{
	pthread_t th;
	int threaded = 0;

	child_setup();
	/*
	 * Relative paths (a random string taken as one) land in the scratch
	 * tree, which is removed before the leak check: a file made where the
	 * program was started would stay, and its vnode count as a leak.
	 */
	(void)!chdir(SCRATCH "/d");
	/* Where a fork or clone's new process can tell it is not this one. */
	child_pid = getpid();
	if (mach_mode) {
		mfz_child_setup();
		server_stop = 0;
		threaded = pthread_create(&th, NULL, server, NULL) == 0;
	}
	if (replay) {			/* -c: that one call, logged */
		guided_call = 1;
		cur_which = replay_which;
		cur_args = replay_args;
		verbose = 1;
		if (mach_mode)
			mach_one(start);
		else
			syscall_one(start);
		_exit(0);
	}
	/* Recording on this thread: the parent's buffer, shared. */
	if (guide != NULL && ioctl(KCOV_FD, KSANCOV_IOC_START, &(uint64_t){ 0 }) == 0) {
		guided_call = !unguided;
		guided_calls(start, end);
	} else {
		for (uint64_t n = start; n < end; n++) {
			if (mach_mode)
				mach_one(n);
			else
				syscall_one(n);
		}
	}
	if (threaded) {
		server_stop = 1;
		pthread_join(th, NULL);
	}
	_exit(0);
}

/* --- the parent: children, the watchdog, the baseline -------------------- */

/*
 * Zones that are caches with a bound of their own: they may grow up to
 * it (the name cache keeps NCHSIZE entries, bsd/vfs/vfs_cache.c, negative
 * ones too: the calls look up many names that do not exist).
 */
static const struct {
	const char	*zone;
	int64_t		slack;
} caches[] = {
	{ "namecache", 2048 },
};

static int64_t
zone_slack(const char *zone)
{
	for (size_t i = 0; i < sizeof(caches) / sizeof(caches[0]); i++)
		if (strcmp(caches[i].zone, zone) == 0)
			return caches[i].slack;
	return ZONE_SLACK;
}

struct baseline {
	struct zone_count	zone[ZONE_MAX];
	int			nzones;
	uint64_t		free_pages;
	int			ipc_ports, ipc_kmsgs, names;
	uint64_t		pv_self, pv_kernel;	/* debug.pmap.pv_* */
};

static void
measure(struct baseline *b)
{
	size_t len;
	mach_port_name_array_t names;
	mach_msg_type_number_t count = 0;
	mach_port_type_array_t types;
	mach_msg_type_number_t tcount = 0;

	b->nzones = zone_counts(b->zone);
	len = sizeof(b->free_pages);
	b->free_pages = 0;
	(void)zone_sysctl_byname("vm.page_free_count", &b->free_pages, &len);
	len = sizeof(b->pv_self);
	b->pv_self = 0;
	(void)zone_sysctl_byname("debug.pmap.pv_self", &b->pv_self, &len);
	len = sizeof(b->pv_kernel);
	b->pv_kernel = 0;
	(void)zone_sysctl_byname("debug.pmap.pv_kernel", &b->pv_kernel, &len);
	b->ipc_ports = ipc_count("ports");
	b->ipc_kmsgs = ipc_count("kmsgs");
	b->names = -1;
	if (mach_port_names(mach_task_self(), &names, &count, &types, &tcount) ==
	    KERN_SUCCESS) {
		b->names = (int)count;
		vm_deallocate(mach_task_self(), (vm_address_t)names, count * sizeof(*names));
		vm_deallocate(mach_task_self(), (vm_address_t)types, tcount * sizeof(*types));
	}
}

static void
scratch_make(void)
{
	mkdir("/tmp", 0777);
	mkdir(SCRATCH, 0777);
	mkdir(SCRATCH "/d", 0777);
	close(open(SCRATCH "/f0", O_RDWR | O_CREAT, 0644));
	close(open(SCRATCH "/d/f2", O_RDWR | O_CREAT, 0644));
	(void)!symlink(SCRATCH "/f0", SCRATCH "/l");
}

/* Remove the scratch tree, whatever the calls left in it (no nftw: small). */
static void
scratch_remove(const char *dir, int depth)
{
	char path[512];
	unsigned char dbuf[4096];
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	long n;

	if (fd < 0) {
		unlink(dir);
		return;
	}
	chmod(dir, 0777);
	while ((n = syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf))) > 0) {
		for (long off = 0; off < n;) {
			unsigned short reclen;
			unsigned char type = dbuf[off + 18];
			const char *name = (const char *)dbuf + off + 19;

			memcpy(&reclen, dbuf + off + 16, sizeof(reclen));
			if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
				snprintf(path, sizeof(path), "%s/%s", dir, name);
				if (type == DT_DIR && depth < 16)
					scratch_remove(path, depth + 1);
				else if (unlink(path) != 0 && depth < 16)
					scratch_remove(path, depth + 1);
			}
			off += reclen;
		}
	}
	close(fd);
	rmdir(dir);
}

/*
 * Calls first..first+count in children; the number of children that died
 * of a signal in *deaths, hung calls killed in *hangs; 0, or -1 if a child
 * could not be ended at all.
 */
static int
run(uint64_t start, uint64_t count, int *deaths, int *hangs)
{
	uint64_t n = start, end = start + count;

	while (n < end) {
		uint64_t stop = end - n > BATCH ? n + BATCH : end;
		int status, ticks = 0, killed = 0;
		uint64_t last = 0;
		pid_t pid;

		sh->progress = 0;
		sh->done = n;
		pid = fork();
		if (pid < 0) {
			tap_diag("fork: %s\n", strerror(errno));
			return -1;
		}
		if (pid == 0)
			child(n, stop);
		for (;;) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			struct timespec ts = { 0, 50 * 1000 * 1000 };

			if (w == pid)
				break;
			if (w < 0 && errno != EINTR) {
				tap_diag("waitpid: %s\n", strerror(errno));
				return -1;
			}
			if (sh->progress != last) {
				last = sh->progress;
				ticks = 0;
			} else if (++ticks == HANG_TICKS) {
				log_call(&sh->ring[(last - 1) % RING], "hung: ");
				kill(pid, SIGKILL);
				killed = 1;
				(*hangs)++;
			} else if (ticks == 10 * HANG_TICKS) {
				tap_diag("the child of call %llu does not end after SIGKILL\n",
				    (unsigned long long)(last - 1));
				log_call(&sh->ring[(last - 1) % RING], "unkillable: ");
				return -1;
			}
			nanosleep(&ts, NULL);
		}
		/* Where it got to; a call that ended it is not made again. */
		if (WIFSIGNALED(status) || killed || (WIFEXITED(status) && WEXITSTATUS(status))) {
			if (WIFSIGNALED(status) && !killed) {
				(*deaths)++;
				if (sh->progress)
					log_call(&sh->ring[(sh->progress - 1) % RING], "died: ");
			}
			n = sh->progress ? sh->progress : sh->done + 1;
			if (n < sh->done)
				n = sh->done;
		} else {
			n = stop;
		}
	}
	return 0;
}

/* Coverage: what it reached, how it grew, what the corpus kept; checked. */
static void
guide_report(const char *what)
{
	char name[128], line[512];
	int len = 0;

	for (int i = 1; i < CURVE; i++)	/* a 16th no program ended in */
		if (guide->curve[i] < guide->curve[i - 1])
			guide->curve[i] = guide->curve[i - 1];
	for (int i = 0; i < CURVE; i++)
		len += snprintf(line + len, sizeof(line) - (size_t)len, " %llu",
		    (unsigned long long)guide->curve[i]);
	tap_diag("%s: coverage %llu distinct kernel PCs, %llu edges (%s), %llu programs, %llu "
	    "from the corpus, %llu kept, corpus %u, %llu trace entries dropped\n", what,
	    (unsigned long long)guide->npcs, (unsigned long long)guide->nedges,
	    unguided ? "unguided" : "guided",
	    (unsigned long long)guide->programs, (unsigned long long)guide->mutated,
	    (unsigned long long)guide->kept, guide->ncorpus, (unsigned long long)guide->dropped);
	tap_diag("%s: coverage at each 16th of the calls:%s\n", what, line);
	snprintf(name, sizeof(name), "%s: coverage was recorded", what);
	tap_ok(guide->first_npcs > 0, name, "the first program left no PCs");
	snprintf(name, sizeof(name), "%s: coverage grew", what);
	tap_ok(guide->npcs > guide->first_npcs, name, "%llu PCs after the first program, %llu "
	    "at the end", (unsigned long long)guide->first_npcs, (unsigned long long)guide->npcs);
	if (unguided)
		return;
	snprintf(name, sizeof(name), "%s: the corpus kept programs and mutated them", what);
	tap_ok(guide->ncorpus > 0 && guide->mutated > 0, name, "corpus %u, %llu mutated",
	    guide->ncorpus, (unsigned long long)guide->mutated);
}

/* The run, then the baseline check; TAP checks named after what. */
static void
fuzz(const char *what, uint64_t start, uint64_t count)
{
	static struct baseline before, after;
	int deaths = 0, hangs = 0, ok = 1, warm_d = 0, warm_h = 0;
	uint64_t saved = seed;
	char name[128];
	int64_t d;

	scratch_make();
	/* A warm-up of another seed: caches that fill once fill now. */
	seed = saved ^ 0x5555;
	(void)run(0, 300, &warm_d, &warm_h);
	memset(sh->results, 0, sizeof(sh->results));
	mfz_reset();
	seed = saved;
	if (guide != NULL) {		/* coverage from this run's calls only */
		memset(guide, 0, sizeof(*guide));
		guide->calls = count;
	}
	run_first = start;
	scratch_remove(SCRATCH, 0);
	sleep(1);
	measure(&before);
	scratch_make();
	snprintf(name, sizeof(name), "%s: %llu calls of seed %llu from %llu", what,
	    (unsigned long long)count, (unsigned long long)seed, (unsigned long long)start);
	tap_ok(run(start, count, &deaths, &hangs) == 0, name, "a child could not be ended");
	tap_diag("%s: %d children died of a signal, %d hung calls ended\n", what, deaths, hangs);
	if (mach_mode) {
		char line[512];
		int len = 0;

		for (int i = 0; i < 64; i++)
			if (sh->results[i])
				len += snprintf(line + len, sizeof(line) - (size_t)len, " %s%d:%llu",
				    i == 0 ? "ok" : i < 32 ? "send" : "rcv", i < 32 ? i : i - 32,
				    (unsigned long long)sh->results[i]);
		tap_diag("mach_msg answers:%s\n", line);
		mfz_report(what, verbose);
	}
	if (guide != NULL)
		guide_report(what);
	scratch_remove(SCRATCH, 0);
	if (access(SCRATCH, F_OK) == 0)		/* its vnodes are then not leaks */
		tap_diag("%s: %s could not be removed\n", what, SCRATCH);
	sleep(1);		/* init reaps the orphans of fork and clone */
	measure(&after);
	for (int i = 0; i < after.nzones; i++) {
		int64_t was = 0, own = 0;

		for (int j = 0; j < before.nzones; j++)
			if (strcmp(before.zone[j].name, after.zone[i].name) == 0)
				was = (int64_t)before.zone[j].inuse;
		/* Pages this process mapped for the first time since: not a leak. */
		if (strcmp(after.zone[i].name, "pmap pv entries") == 0)
			own = (int64_t)after.pv_self - (int64_t)before.pv_self;
		if ((int64_t)after.zone[i].inuse - was - own > zone_slack(after.zone[i].name)) {
			tap_diag("zone %s: %lld elements in use before, %lld after\n",
			    after.zone[i].name, (long long)was, (long long)after.zone[i].inuse);
			ok = 0;
		}
	}
	for (int i = 0; i < after.nzones && verbose; i++)
		for (int j = 0; j < before.nzones; j++)
			if (strcmp(before.zone[j].name, after.zone[i].name) == 0 &&
			    before.zone[j].inuse != after.zone[i].inuse)
				tap_diag("zone %s: %lld -> %lld\n", after.zone[i].name,
				    (long long)before.zone[j].inuse, (long long)after.zone[i].inuse);
	tap_diag("%s: pv entries: this process's %llu -> %llu, the kernel's %llu -> %llu\n", what,
	    (unsigned long long)before.pv_self, (unsigned long long)after.pv_self,
	    (unsigned long long)before.pv_kernel, (unsigned long long)after.pv_kernel);
	snprintf(name, sizeof(name), "%s: every zone back at its baseline", what);
	tap_ok(ok && before.nzones > 0 && after.nzones > 0, name, "see the zones above");
	d = (int64_t)before.free_pages - (int64_t)after.free_pages;
	snprintf(name, sizeof(name), "%s: free pages back at the baseline", what);
	tap_ok(d <= PAGE_SLACK, name, "%llu free before, %llu after (slack %d)",
	    (unsigned long long)before.free_pages, (unsigned long long)after.free_pages,
	    PAGE_SLACK);
	tap_diag("%s: IPC ports %d -> %d, messages %d -> %d, port names %d -> %d, free pages "
	    "%llu -> %llu\n", what, before.ipc_ports, after.ipc_ports, before.ipc_kmsgs,
	    after.ipc_kmsgs, before.names, after.names, (unsigned long long)before.free_pages,
	    (unsigned long long)after.free_pages);
	snprintf(name, sizeof(name), "%s: IPC objects and port names back at the baseline", what);
	tap_ok(after.ipc_ports - before.ipc_ports <= IPC_SLACK &&
	    after.ipc_kmsgs - before.ipc_kmsgs <= IPC_SLACK && after.names == before.names, name,
	    "ports %d -> %d, kmsgs %d -> %d, names %d -> %d", before.ipc_ports, after.ipc_ports,
	    before.ipc_kmsgs, after.ipc_kmsgs, before.names, after.names);
}

int
main(int argc, char **argv)
{
	uint64_t count = 0;
	int opt, both = argc == 1;

	while ((opt = getopt(argc, argv, "ms:n:f:vp:uc:")) != -1) {
		switch (opt) {
		case 'm': mach_mode = 1; break;
		case 'u': unguided = 1; break;
		case 'c':
			replay = sscanf(optarg, "%llx:%llx", (unsigned long long *)&replay_which,
			    (unsigned long long *)&replay_args) == 2;
			if (!replay) {
				fprintf(stderr, "syscall_fuzz: -c WHICH:ARGS, two numbers\n");
				return 2;
			}
			break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': count = strtoull(optarg, NULL, 0); break;
		case 'f': first = strtoull(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		case 'p': period = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: syscall_fuzz [-m] [-u] [-c WHICH:ARGS] [-s SEED] "
			    "[-n CALLS] [-f FIRST] [-v] [-p PERIOD]\n");
			return 2;
		}
	}
	if (period == 0)
		period = 1;
	parent_pid = getpid();
	if (dup2(1, LOG_FD) != LOG_FD)
		return 1;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || mfz_init() != 0)
		return 1;
	if (replay) {
		/* One call of a guided run again, in a fresh child, logged. */
		int deaths = 0, hangs = 0;

		scratch_make();
		tap_ok(run(first, 1, &deaths, &hangs) == 0, "the call of the seeds given",
		    "its child could not be ended");
		tap_diag("%d died of a signal, %d hung\n", deaths, hangs);
		scratch_remove(SCRATCH, 0);
		return tap_done();
	}
	guide_setup();
	if (both) {
		/* The short runs of make test: fixed seeds, a few thousand calls. */
		mach_mode = 0;
		fuzz("syscalls", 0, 3000);
		mach_mode = 1;
		fuzz("mach_msg", 0, 2000);
	} else {
		fuzz(mach_mode ? "mach_msg" : "syscalls", first, count ? count : 3000);
	}
	return tap_done();
}
