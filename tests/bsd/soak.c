/*
 * soak.c - load for a set time, then proof that nothing was left over
 * (docs/testing.md, "make soak"). tools/soak.py boots Machina with a
 * virtio-blk disk and runs
 *
 *	soak -t SECONDS [-d /dev/rdiskN] [-k KEXT_BUNDLE] [-n WORKERS]
 *
 * Workers (processes), each looping until the time is up:
 *   exec	fork, exec of this program (soak --exit N), wait: the status is N
 *   mach	a request/reply ping-pong with a child task over Mach ports
 *		(the reply carries the request's number plus one)
 *   pipe	a child writes a pattern down a pipe, the worker checks every byte
 *   mmap	anonymous memory mapped, touched, checked, protected, unmapped
 *   kext	the bundle loaded and unloaded (one worker: loads are global)
 *   disk	patterns written to the raw disk, read back and compared; each
 *		disk worker has its own stripe of blocks
 * WORKERS of each of the first four kinds (2 by default).
 *
 * Before and after (once the system has settled): every zone's elements
 * in use (vm.zones), free pages, user tasks (debug.tasks), Mach ports,
 * port sets, spaces and messages (debug.ipc.*), vnodes (debug.vnodes).
 * Tasks and IPC objects must come back exactly, a zone and the vnodes
 * within a little slack, free pages within PAGE_SLACK. Then the
 * lock-order checker (debug.lockorder.*), when it ran: no inversion, no
 * spin lock held over its threshold; each group's longest hold is printed.
 *
 * With no arguments (the user tier runs every program here) it soaks for
 * two seconds without disk or kext.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mach/mach.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <sys/mman.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mach_test.h"
#include "zone_counts.h"
#include "tap.h"

#define MAX_ZONES	512
#define ZONE_SLACK	8
#define VNODE_SLACK	8
#define PAGE_SLACK	512
#define BS		512
#define DISK_STRIPE	256		/* blocks each disk worker owns */
#define DISK_CHUNK	(16 * BS)
#define PIPE_BYTES	(256 * 1024)
#define MAP_BYTES	(1024 * 1024)
#define MSG_QUIT	99
#define MSG_REQ		1

static const char *self_path, *disk_path, *kext_path;
static time_t deadline;

static int
time_up(void)
{
	return time(NULL) >= deadline;
}

static void
fail(const char *kind, const char *what, long a, long b)
{
	printf("# soak: %s worker: %s (%ld, %ld)\n", kind, what, a, b);
	fflush(stdout);
}

static unsigned char
pat(unsigned seed, size_t i)
{
	return (unsigned char)((i * 131 + seed * 7) ^ (i >> 8) ^ seed);
}

/* --- the workers: each returns the number of its iterations, or -1 ------- */

static long
work_exec(void)
{
	long n = 0;

	while (!time_up()) {
		int code = (int)(n % 100), status;
		char arg[16];
		pid_t pid;

		snprintf(arg, sizeof(arg), "%d", code);
		pid = fork();
		if (pid == 0) {
			execl(self_path, self_path, "--exit", arg, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != code) {
			fail("exec", "child status", pid, status);
			return -1;
		}
		n++;
	}
	return n;
}

struct pingmsg {
	mach_msg_header_t	header;
	uint32_t		seq;
	mach_msg_max_trailer_t	trailer;
};

static int
mach_server(mach_port_t port)
{
	struct pingmsg m;

	for (;;) {
		if (mach_msg(&m.header, MACH_RCV_MSG, 0, sizeof(m), port, 0, 0) != MACH_MSG_SUCCESS)
			return 1;
		if (m.header.msgh_id == MSG_QUIT)
			return 0;
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(m.header.msgh_bits), 0);
		m.header.msgh_local_port = MACH_PORT_NULL;
		m.header.msgh_id = MSG_REQ + 100;
		m.seq++;
		if (mach_msg(&m.header, MACH_SEND_MSG, sizeof(m.header) + sizeof(m.seq), 0, 0, 0,
		    0) != MACH_MSG_SUCCESS)
			return 2;
	}
}

static long
work_mach(void)
{
	mach_port_t self = mach_task_self(), port, task, send, reply;
	mach_msg_type_name_t type;
	struct pingmsg m;
	long n = 0;
	int p[2], status;
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != 0 ||
		    write(p[1], &port, sizeof(port)) != sizeof(port))
			_exit(3);
		close(p[1]);
		_exit(mach_server(port));
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &port, sizeof(port)) != sizeof(port) ||
	    task_for_pid(self, pid, &task) != KERN_SUCCESS ||
	    mach_port_extract_right(task, port, MACH_MSG_TYPE_MAKE_SEND, &send, &type) !=
	    KERN_SUCCESS || mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &reply) != 0) {
		fail("mach", "setup", pid, 0);
		return -1;
	}
	close(p[0]);
	mach_port_deallocate(self, task);
	while (!time_up()) {
		memset(&m.header, 0, sizeof(m.header));
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
		    MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.header.msgh_remote_port = send;
		m.header.msgh_local_port = reply;
		m.header.msgh_id = MSG_REQ;
		m.seq = (uint32_t)n;
		if (mach_msg(&m.header, MACH_SEND_MSG | MACH_RCV_MSG,
		    sizeof(m.header) + sizeof(m.seq), sizeof(m), reply, 0, 0) != MACH_MSG_SUCCESS ||
		    m.seq != (uint32_t)n + 1) {
			fail("mach", "reply", n, m.seq);
			n = -1;
			break;
		}
		n++;
	}
	memset(&m.header, 0, sizeof(m.header));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.header.msgh_remote_port = send;
	m.header.msgh_id = MSG_QUIT;
	(void)mach_msg(&m.header, MACH_SEND_MSG, sizeof(m.header) + sizeof(m.seq), 0, 0, 0, 0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fail("mach", "server status", pid, status);
		n = -1;
	}
	mach_port_deallocate(self, send);
	mach_port_mod_refs(self, reply, MACH_PORT_RIGHT_RECEIVE, -1);
	return n;
}

static long
work_pipe(void)
{
	static unsigned char buf[8192];
	long n = 0;

	while (!time_up()) {
		unsigned seed = (unsigned)n;
		size_t got = 0;
		int p[2], status;
		pid_t pid;

		if (pipe(p) != 0)
			return -1;
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			for (size_t off = 0; off < PIPE_BYTES; off += sizeof(buf)) {
				for (size_t i = 0; i < sizeof(buf); i++)
					buf[i] = pat(seed, off + i);
				if (write(p[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
					_exit(1);
			}
			_exit(0);
		}
		close(p[1]);
		for (;;) {
			ssize_t r = read(p[0], buf, sizeof(buf));

			if (r <= 0)
				break;
			for (ssize_t i = 0; i < r; i++) {
				if (buf[i] != pat(seed, got + (size_t)i)) {
					fail("pipe", "data differ at", (long)(got + (size_t)i), buf[i]);
					close(p[0]);
					kill(pid, SIGKILL);
					waitpid(pid, NULL, 0);
					return -1;
				}
			}
			got += (size_t)r;
		}
		close(p[0]);
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0 || got != PIPE_BYTES) {
			fail("pipe", "short or failed", (long)got, status);
			return -1;
		}
		n++;
	}
	return n;
}

static long
work_mmap(void)
{
	long n = 0;

	while (!time_up()) {
		unsigned char *p = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned seed = (unsigned)n;

		if (p == MAP_FAILED) {
			fail("mmap", "mmap", errno, 0);
			return -1;
		}
		for (size_t i = 0; i < MAP_BYTES; i += 512)
			p[i] = pat(seed, i);
		if (mprotect(p, MAP_BYTES / 2, PROT_READ) != 0) {
			fail("mmap", "mprotect", errno, 0);
			return -1;
		}
		for (size_t i = 0; i < MAP_BYTES; i += 512) {
			if (p[i] != pat(seed, i)) {
				fail("mmap", "data differ at", (long)i, p[i]);
				return -1;
			}
		}
		if (munmap(p, MAP_BYTES) != 0) {
			fail("mmap", "munmap", errno, 0);
			return -1;
		}
		n++;
	}
	return n;
}

static long
work_kext(void)
{
	static char msg[KEXT_MSG_MAX];
	long n = 0;

	while (!time_up()) {
		struct kext_files f;
		int r;

		if (kext_files_read(kext_path, &f, msg, sizeof msg) != 0) {
			printf("# soak: kext worker: %s\n", msg);
			return -1;
		}
		r = kext_load_files(&f, 0, NULL, msg, sizeof msg);
		kext_files_free(&f);
		if (r != 0) {
			printf("# soak: kext worker: load: %s\n", msg);
			return -1;
		}
		if (kext_unload_name(kext_path, KEXT_UNLOAD_BY_PATH, msg, sizeof msg) != 0) {
			printf("# soak: kext worker: unload: %s\n", msg);
			return -1;
		}
		n++;
	}
	return n;
}

static long
work_disk(int index)
{
	static unsigned char w[DISK_CHUNK], r[DISK_CHUNK];
	off_t base = (off_t)index * DISK_STRIPE * BS;
	long n = 0;
	int fd = open(disk_path, O_RDWR);

	if (fd < 0) {
		fail("disk", "open", errno, 0);
		return -1;
	}
	while (!time_up()) {
		unsigned seed = (unsigned)(n * 16 + (unsigned)index);
		off_t off = base + (off_t)((n % (DISK_STRIPE * BS / DISK_CHUNK)) * DISK_CHUNK);

		for (size_t i = 0; i < DISK_CHUNK; i++)
			w[i] = pat(seed, i);
		if (pwrite(fd, w, DISK_CHUNK, off) != DISK_CHUNK) {
			fail("disk", "pwrite", errno, (long)off);
			n = -1;
			break;
		}
		memset(r, 0, sizeof(r));
		if (pread(fd, r, DISK_CHUNK, off) != DISK_CHUNK || memcmp(w, r, DISK_CHUNK) != 0) {
			fail("disk", "read back differs at", (long)off, errno);
			n = -1;
			break;
		}
		n++;
	}
	close(fd);
	return n;
}

/* --- the counts ------------------------------------------------------------ */

struct counts {
	struct sysctl_zone_info	zones[MAX_ZONES];
	int			nzones;
	int64_t			free_pages, tasks, vnodes;
	int			ports, psets, spaces, kmsgs;
};

static int64_t
quad(const char *name)
{
	int64_t v = -1;
	size_t len = sizeof(v);

	if (sysctlbyname(name, &v, &len, NULL, 0) != 0)
		return -1;
	return v;
}

static void
take(struct counts *c)
{
	size_t len = sizeof(c->zones);

	c->nzones = sysctlbyname("vm.zones", c->zones, &len, NULL, 0) == 0 ?
	    (int)(len / sizeof(c->zones[0])) : -1;
	for (int i = 0; i < c->nzones; i++)
		zone_cache_adjust(c->zones[i].zi_name, &c->zones[i].zi_elems_inuse);
	c->free_pages = quad("vm.page_free_count");
	c->tasks = quad("debug.tasks");
	c->vnodes = quad("debug.vnodes");
	c->ports = ipc_count("ports");
	c->psets = ipc_count("port_sets");
	c->spaces = ipc_count("spaces");
	c->kmsgs = ipc_count("kmsgs");
}

/* As proc_leaks.c's: the reaper has run, and a last fork evened things out. */
static void
settle(void)
{
	pid_t pid;

	usleep(300000);
	if ((pid = fork()) == 0)
		_exit(0);
	if (pid > 0)
		(void)waitpid(pid, NULL, 0);
	usleep(100000);
}

/* --- the run --------------------------------------------------------------- */

enum { K_EXEC, K_MACH, K_PIPE, K_MMAP, K_KEXT, K_DISK, K_COUNT };
static const char *const kind_name[K_COUNT] = { "exec", "mach", "pipe", "mmap", "kext", "disk" };

/* Run every worker for seconds; the number that failed. */
static int
soak(int seconds, int per_kind, long totals[K_COUNT])
{
	pid_t pids[64];
	int kinds[64], nw = 0, failed = 0, disk_index = 0;
	int p[2];

	if (pipe(p) != 0)
		return 1;
	deadline = time(NULL) + seconds;
	for (int k = 0; k < K_COUNT; k++) {
		int n = k == K_KEXT ? (kext_path != NULL) : k == K_DISK ?
		    (disk_path != NULL ? per_kind : 0) : per_kind;

		for (int i = 0; i < n && nw < 64; i++) {
			int idx = k == K_DISK ? disk_index++ : 0;
			pid_t pid = fork();

			if (pid == 0) {
				long r;

				close(p[0]);
				switch (k) {
				case K_EXEC: r = work_exec(); break;
				case K_MACH: r = work_mach(); break;
				case K_PIPE: r = work_pipe(); break;
				case K_MMAP: r = work_mmap(); break;
				case K_KEXT: r = work_kext(); break;
				default: r = work_disk(idx); break;
				}
				(void)write(p[1], (long[2]){ k, r }, 2 * sizeof(long));
				_exit(r < 0 ? 1 : 0);
			}
			if (pid < 0) {
				failed++;
				continue;
			}
			pids[nw] = pid;
			kinds[nw++] = k;
		}
	}
	close(p[1]);
	for (long rec[2]; read(p[0], rec, sizeof(rec)) == sizeof(rec);) {
		if (rec[0] >= 0 && rec[0] < K_COUNT && rec[1] > 0)
			totals[rec[0]] += rec[1];
	}
	close(p[0]);
	for (int i = 0; i < nw; i++) {
		int status;

		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			printf("# soak: a %s worker failed (status 0x%x)\n", kind_name[kinds[i]],
			    status);
			failed++;
		}
	}
	return failed;
}

static void
compare(const struct counts *b, const struct counts *a)
{
	char grown[512] = "";
	size_t used = 0;

	TAP_OK(b->nzones > 0 && a->nzones > 0 && b->tasks >= 0 && b->vnodes >= 0 &&
	    b->free_pages >= 0 && b->ports >= 0, "the counts were read");
	for (int i = 0; i < a->nzones; i++) {
		for (int j = 0; j < b->nzones; j++) {
			int64_t d;

			if (strncmp(a->zones[i].zi_name, b->zones[j].zi_name,
			    sizeof(a->zones[i].zi_name)) != 0)
				continue;
			d = (int64_t)a->zones[i].zi_elems_inuse - (int64_t)b->zones[j].zi_elems_inuse;
			if ((d > ZONE_SLACK || d < -ZONE_SLACK) && used < sizeof(grown) - 64)
				used += (size_t)snprintf(grown + used, sizeof(grown) - used,
				    " %.32s:%+lld", a->zones[i].zi_name, (long long)d);
		}
	}
	tap_ok(used == 0, "every zone came back", "moved:%s", grown);
	tap_ok(a->tasks == b->tasks, "no task is left over", "%lld before, %lld after",
	    (long long)b->tasks, (long long)a->tasks);
	tap_ok(a->ports == b->ports && a->psets == b->psets && a->spaces == b->spaces &&
	    a->kmsgs == b->kmsgs, "no port, port set, space or message is left over",
	    "ports %d/%d sets %d/%d spaces %d/%d kmsgs %d/%d", b->ports, a->ports, b->psets,
	    a->psets, b->spaces, a->spaces, b->kmsgs, a->kmsgs);
	tap_ok(a->vnodes <= b->vnodes + VNODE_SLACK, "no vnode is left over",
	    "%lld before, %lld after", (long long)b->vnodes, (long long)a->vnodes);
	tap_ok(a->free_pages + PAGE_SLACK >= b->free_pages, "the free pages came back",
	    "%lld before, %lld after", (long long)b->free_pages, (long long)a->free_pages);
}

static void
lock_report(void)
{
	static char holds[32 * 1024];
	size_t len = sizeof(holds);

	if (quad("debug.lockorder.enabled") != 1) {
		tap_diag("the lock-order checker is off (boot with lockorder=1)\n");
		return;
	}
	tap_ok(quad("debug.lockorder.inversions") == 0, "no lock-order inversion",
	    "%lld (the kernel log has both backtraces)",
	    (long long)quad("debug.lockorder.inversions"));
	tap_ok(quad("debug.lockorder.long_spin_holds") == 0, "no spin lock was held too long",
	    "%lld holds over %lld us", (long long)quad("debug.lockorder.long_spin_holds"),
	    (long long)quad("debug.lockorder.hold_threshold_us"));
	tap_diag("lockorder: %lld orders learnt, %lld groups, %lld mutex/rw holds over %lld us, "
	    "tables full %lld/%lld, stack overflows %lld\n",
	    (long long)quad("debug.lockorder.pairs"), (long long)quad("debug.lockorder.groups"),
	    (long long)quad("debug.lockorder.long_sleep_holds"),
	    (long long)quad("debug.lockorder.hold_threshold_us"),
	    (long long)quad("debug.lockorder.pairs_full"),
	    (long long)quad("debug.lockorder.groups_full"),
	    (long long)quad("debug.lockorder.stack_overflow"));
	tap_diag("lockorder: the longest a holder waited for a CPU (not counted as held): %lld us\n",
	    (long long)quad("debug.lockorder.max_queued_us"));
	if (sysctlbyname("debug.lockorder.holds", holds, &len, NULL, 0) == 0) {
		for (char *line = strtok(holds, "\n"); line != NULL; line = strtok(NULL, "\n"))
			tap_diag("longest hold: %s\n", line);
	}
}

int
main(int argc, char **argv)
{
	static struct counts before, after;
	long totals[K_COUNT] = { 0 };
	int seconds = 2, per_kind = 2, c;

	if (argc == 3 && strcmp(argv[1], "--exit") == 0)
		return atoi(argv[2]);
	self_path = argv[0][0] == '/' ? argv[0] : "/usr/tests/bsd/soak";
	while ((c = getopt(argc, argv, "t:d:k:n:")) != -1) {
		switch (c) {
		case 't': seconds = atoi(optarg); break;
		case 'd': disk_path = optarg; break;
		case 'k': kext_path = optarg; break;
		case 'n': per_kind = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: soak [-t seconds] [-d rdisk] [-k kext] [-n workers]\n");
			return 2;
		}
	}
	if (seconds < 1)
		seconds = 1;
	if (per_kind < 1 || per_kind > 8)
		per_kind = 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* A warm-up second: what stays for good (caches) is made before the counts. */
	TAP_EQ(soak(1, 1, totals), 0, "a warm-up round of every worker");
	settle();
	take(&before);
	memset(totals, 0, sizeof(totals));
	tap_diag("soaking for %d s: %d workers of each kind%s%s\n", seconds, per_kind,
	    disk_path != NULL ? ", disk " : "", disk_path != NULL ? disk_path : "");
	TAP_EQ(soak(seconds, per_kind, totals), 0, "every worker ran to the end without a fault");
	for (int k = 0; k < K_COUNT; k++)
		tap_diag("%s: %ld iterations\n", kind_name[k], totals[k]);
	TAP_OK(totals[K_EXEC] > 0 && totals[K_MACH] > 0 && totals[K_PIPE] > 0 &&
	    totals[K_MMAP] > 0 && (kext_path == NULL || totals[K_KEXT] > 0) &&
	    (disk_path == NULL || totals[K_DISK] > 0), "every kind of worker did some work");
	settle();
	take(&after);
	compare(&before, &after);
	lock_report();
	return tap_done();
}
