/*
 * ubench.c - a kernel's costs as a user program sees them, as
 * "name value unit" lines (the format of every figure `make bench`
 * collects; docs/benchmarks.md, docs/performance.md).
 *
 *	ubench [-q] [-n ROUNDS] [NAME ...]	run the figures named (default: all)
 *	ubench -x				exit with status 7 (what fork+exec runs)
 *
 * Each figure is the median over ROUNDS (default 7) rounds of the mean
 * time of one operation within a round. -q is the short mode the tests
 * use: one round of a tenth of the iterations.
 *
 * Every operation checks that what it timed really happened: the byte
 * read is the one the kernel was to give, the echo came back changed as
 * the other side changes it, the child ran and exited with the status it
 * was told to, the faulted page holds what was written. A check that
 * fails, or a call that fails, prints "# FAIL NAME: why" instead of the
 * figure, and ubench exits with status 1 once the rest have run, so that
 * a broken fast path cannot look fast.
 *
 * The source is plain POSIX and Linux: the same file, built with musl,
 * measures Machina (/usr/bench/ubench) and Linux (tools/bench/linux.py).
 * As process 1 it prints "# ubench: init" before anything else, the line
 * the host times QEMU's launch to (Machina's init=/usr/bench/ubench,
 * Linux's /init). As /init in process 1 (Linux's, in the initramfs
 * tools/bench/linux.py makes) it then runs every figure as the kernel's
 * command line asks (ubench_quick=1 for the short mode, ubench_rounds=N),
 * then /modbench if the initramfs has it, and powers the machine off.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXEC_STATUS	7	/* what `ubench -x` exits with */
#define FORK_STATUS	42	/* what a forked child exits with */
#define PAGE		4096
#define FAULT_PAGES	64	/* pages faulted per round of a fault figure */

static int rounds = 7;
static int shrink = 1;		/* iterations are divided by this (-q: 10) */
static int failures;
static const char *self;
static char why[256];		/* the failed check, for "# FAIL" */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A failed check: say why (for "# FAIL") and return -1. */
static int
bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

/* A failed call: its name and errno, as a failed check. */
static int
failed_call(const char *call)
{
	return bad("%s: %s", call, strerror(errno));
}

static void
report_fail(const char *name)
{
	printf("# FAIL %s: %s\n", name, why[0] ? why : "failed");
	fflush(stdout);
	failures++;
	why[0] = 0;
}

static int
scaled(int iters)
{
	iters /= shrink;
	return iters < 1 ? 1 : iters;
}

/*
 * measure: run op(arg) iters times per round (fewer with -q); print the
 * median per-operation time. op returns 0, or -1 having said why.
 */
static void
measure(const char *name, int (*op)(void *), void *arg, int iters)
{
	uint64_t t[64];
	int n = rounds < 64 ? rounds : 64;

	iters = scaled(iters);
	if (op(arg) != 0) {		/* warm up, and see that it works */
		report_fail(name);
		return;
	}
	for (int r = 0; r < n; r++) {
		uint64_t start = now_ns();

		for (int i = 0; i < iters; i++) {
			if (op(arg) != 0) {
				report_fail(name);
				return;
			}
		}
		t[r] = (now_ns() - start) / (uint64_t)iters;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_u64);
	if (t[n / 2] == 0) {
		bad("took no measurable time (%d iterations)", iters);
		report_fail(name);
		return;
	}
	printf("%s %llu ns\n", name, (unsigned long long)t[n / 2]);
	fflush(stdout);
}

/* --- the operations -------------------------------------------------- */

static int
op_getpid(void *arg)
{
	long pid = syscall(SYS_getpid);

	if (pid != (long)*(pid_t *)arg)
		return bad("getpid gave %ld, not %ld", pid, (long)*(pid_t *)arg);
	return 0;
}

static int
op_read1(void *arg)
{
	char c = 0x5a;
	ssize_t n = read(*(int *)arg, &c, 1);

	if (n != 1)
		return n < 0 ? failed_call("read /dev/zero") : bad("read gave %zd bytes", n);
	if (c != 0)
		return bad("read of /dev/zero gave 0x%02x", (unsigned char)c);
	return 0;
}

/* Two pipes between two parties; the echoing side adds one to each byte. */
struct pipes {
	int		to[2], from[2];
	unsigned char	next;
};

static int
ping(struct pipes *p)
{
	unsigned char c = p->next;

	if (write(p->to[1], &c, 1) != 1)
		return failed_call("write");
	if (read(p->from[0], &c, 1) != 1)
		return failed_call("read");
	if (c != (unsigned char)(p->next + 1))
		return bad("sent 0x%02x, the echo was 0x%02x", p->next, c);
	p->next++;
	return 0;
}

static int
op_ping(void *arg)
{
	return ping(arg);
}

/* The echoing side: until its pipe closes. */
static void
echo(int in, int out)
{
	unsigned char c;

	while (read(in, &c, 1) == 1) {
		c++;
		if (write(out, &c, 1) != 1)
			break;
	}
}

static void *
echo_thread(void *arg)
{
	struct pipes *p = arg;

	echo(p->to[0], p->from[1]);
	return NULL;
}

static int
op_fork_wait(void *arg)
{
	int status;
	pid_t pid, got;

	(void)arg;
	if ((pid = fork()) < 0)
		return failed_call("fork");
	if (pid == 0)
		_exit(FORK_STATUS);
	if ((got = waitpid(pid, &status, 0)) != pid)
		return got < 0 ? failed_call("waitpid") : bad("waitpid gave %d", (int)got);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != FORK_STATUS)
		return bad("the child's status was 0x%x, not exit(%d)", status, FORK_STATUS);
	return 0;
}

static int
op_fork_exec_wait(void *arg)
{
	char *argv[] = { (char *)self, "-x", NULL };
	int status;
	pid_t pid, got;

	(void)arg;
	if ((pid = fork()) < 0)
		return failed_call("fork");
	if (pid == 0) {
		execv(self, argv);
		_exit(127);
	}
	if ((got = waitpid(pid, &status, 0)) != pid)
		return got < 0 ? failed_call("waitpid") : bad("waitpid gave %d", (int)got);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != EXEC_STATUS)
		return bad("the child's status was 0x%x, not exit(%d)%s", status, EXEC_STATUS,
		    WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (execv failed)" : "");
	return 0;
}

/* A file to open or look up, with the inode it was made with. */
struct target {
	const char	*path;
	ino_t		ino;
};

static int
op_open_close(void *arg)
{
	struct target *t = arg;
	int fd = open(t->path, O_RDONLY);

	if (fd < 0)
		return failed_call("open");
	return close(fd) == 0 ? 0 : failed_call("close");
}

static int
op_lookup(void *arg)
{
	struct target *t = arg;
	struct stat st;

	if (stat(t->path, &st) != 0)
		return failed_call("stat");
	if (st.st_ino != t->ino)
		return bad("stat found inode %llu, not %llu", (unsigned long long)st.st_ino,
		    (unsigned long long)t->ino);
	return 0;
}

static int
op_mmap(void *arg)
{
	volatile unsigned char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		return failed_call("mmap");
	if (p[100] != 0)
		return bad("a fresh page held 0x%02x", p[100]);
	p[100] = 0xa5;			/* one fault, as a real use would take */
	if (p[100] != 0xa5)
		return bad("the page did not keep what was written");
	return munmap((void *)p, PAGE) == 0 ? 0 : failed_call("munmap");
}

/* --- the figures that need more than an operation -------------------- */

/*
 * One round of anonymous page faults: map FAULT_PAGES fresh pages, write
 * a word to each (timed), check every word, unmap. The time per page, or
 * 0 having said why.
 */
static uint64_t
fault_round(void)
{
	size_t len = (size_t)FAULT_PAGES * PAGE;
	volatile uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t start, t;

	if (p == MAP_FAILED)
		return failed_call("mmap"), 0;
	start = now_ns();
	for (size_t i = 0; i < FAULT_PAGES; i++)
		p[i * (PAGE / sizeof(*p))] = 0x1000 + i;
	t = (now_ns() - start) / FAULT_PAGES;
	for (size_t i = 0; i < FAULT_PAGES; i++) {
		uint64_t v = p[i * (PAGE / sizeof(*p))];

		if (v != 0x1000 + i) {
			munmap((void *)p, len);
			return bad("page %zu held %#llx after the write", i,
			    (unsigned long long)v), 0;
		}
		if (p[i * (PAGE / sizeof(*p)) + 1] != 0) {
			munmap((void *)p, len);
			return bad("page %zu was not zero-filled", i), 0;
		}
	}
	if (munmap((void *)p, len) != 0)
		return failed_call("munmap"), 0;
	return t ? t : 1;
}

static void
measure_faults(const char *name, int per_round)
{
	uint64_t t[64];
	int n = rounds < 64 ? rounds : 64;

	per_round = scaled(per_round);
	if (fault_round() == 0) {
		report_fail(name);
		return;
	}
	for (int r = 0; r < n; r++) {
		uint64_t sum = 0;

		for (int i = 0; i < per_round; i++) {
			uint64_t one = fault_round();

			if (one == 0) {
				report_fail(name);
				return;
			}
			sum += one;
		}
		t[r] = sum / (uint64_t)per_round;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_u64);
	printf("%s %llu ns\n", name, (unsigned long long)t[n / 2]);
	fflush(stdout);
}

/*
 * The page fault with n other mapped regions in the address space: one
 * mapping of 2n pages made, then every other page unmapped, which leaves
 * n separate one-page mappings, each written once so that it is really
 * there (and checked afterwards to still hold what was written).
 */
static void
faults_with_regions(const char *name, size_t n)
{
	size_t len = 2 * n * PAGE;
	unsigned char *base = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (base == MAP_FAILED) {
		failed_call("mmap");
		report_fail(name);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		base[2 * i * PAGE] = 1;
		if (munmap(base + (2 * i + 1) * PAGE, PAGE) != 0) {
			failed_call("munmap of a gap");
			munmap(base, len);
			report_fail(name);
			return;
		}
	}
	measure_faults(name, 8);
	for (size_t i = 0; i < n; i++) {
		if (base[2 * i * PAGE] != 1) {
			bad("region %zu lost its byte", i);
			report_fail(name);
			break;
		}
	}
	munmap(base, len);
}

/* The thread switch: two threads of this process ping-ponging on pipes. */
static void
thread_switch(const char *name)
{
	struct pipes p = { .next = 0 };
	pthread_t th;
	int err;

	if (pipe(p.to) != 0 || pipe(p.from) != 0) {
		failed_call("pipe");
		report_fail(name);
		return;
	}
	if ((err = pthread_create(&th, NULL, echo_thread, &p)) != 0) {
		bad("pthread_create: %s", strerror(err));
		report_fail(name);
		close(p.to[1]);
	} else {
		measure(name, op_ping, &p, 500);
		close(p.to[1]);		/* the echoing thread sees the end */
		pthread_join(th, NULL);
	}
	close(p.to[0]);
	close(p.from[0]);
	close(p.from[1]);
}

static void
pipe_roundtrip(const char *name)
{
	struct pipes p = { .next = 0 };
	pid_t child;
	int status;

	if (pipe(p.to) != 0 || pipe(p.from) != 0) {
		failed_call("pipe");
		report_fail(name);
		return;
	}
	if ((child = fork()) < 0) {
		failed_call("fork");
		report_fail(name);
		return;
	}
	if (child == 0) {
		close(p.to[1]);
		close(p.from[0]);
		echo(p.to[0], p.from[1]);
		_exit(0);
	}
	close(p.to[0]);
	close(p.from[1]);
	measure(name, op_ping, &p, 200);
	close(p.to[1]);
	close(p.from[0]);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		bad("the echoing child did not exit(0)");
		report_fail(name);
	}
}

/* mkdir -p for the paths below; fine if they are there already. */
static void
make_dirs(const char *path)
{
	char buf[256];

	for (size_t i = 1; path[i] && i < sizeof(buf) - 1; i++) {
		if (path[i] == '/') {
			memcpy(buf, path, i);
			buf[i] = 0;
			(void)mkdir(buf, 0755);
		}
	}
}

/*
 * A file at depth components below $TMPDIR or /tmp (depth 1 is
 * /tmp/ubench.f, depth 2 /tmp/d1/ubench.f), made if it is not there;
 * 0, or -1 having said why.
 */
static int
make_target(struct target *t, char *buf, size_t size, int depth)
{
	const char *base = getenv("TMPDIR");
	struct stat st;
	size_t len;
	int fd;

	len = (size_t)snprintf(buf, size, "%s", base && base[0] == '/' ? base : "/tmp");
	for (int i = 1; i < depth && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "/d%d", i);
	if (len >= size)
		return bad("path too long");
	snprintf(buf + len, size - len, "/ubench.f");
	make_dirs(buf);
	if ((fd = open(buf, O_WRONLY | O_CREAT, 0644)) < 0)
		return failed_call(buf);
	if (fstat(fd, &st) != 0) {
		close(fd);
		return failed_call("fstat");
	}
	close(fd);
	t->path = buf;
	t->ino = st.st_ino;
	return 0;
}

static int
wanted(int argc, char **argv, int first, const char *name)
{
	if (first >= argc)
		return 1;
	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], name) == 0)
			return 1;
	}
	return 0;
}

static void
run(int argc, char **argv, int first)
{
	pid_t me = getpid();

	if (wanted(argc, argv, first, "bsd.getpid"))
		measure("bsd.getpid", op_getpid, &me, 2000);
	if (wanted(argc, argv, first, "bsd.read_1")) {
		int fd = open("/dev/zero", O_RDONLY);

		if (fd < 0) {
			failed_call("/dev/zero");
			report_fail("bsd.read_1");
		} else {
			measure("bsd.read_1", op_read1, &fd, 1000);
			close(fd);
		}
	}
	if (wanted(argc, argv, first, "bsd.pipe_roundtrip"))
		pipe_roundtrip("bsd.pipe_roundtrip");
	if (wanted(argc, argv, first, "bsd.thread_switch"))
		thread_switch("bsd.thread_switch");
	if (wanted(argc, argv, first, "bsd.page_fault"))
		measure_faults("bsd.page_fault", 8);
	if (wanted(argc, argv, first, "bsd.fork_exit_wait"))
		measure("bsd.fork_exit_wait", op_fork_wait, NULL, 20);
	if (wanted(argc, argv, first, "bsd.fork_exec_wait"))
		measure("bsd.fork_exec_wait", op_fork_exec_wait, NULL, 10);
	if (wanted(argc, argv, first, "bsd.mmap_munmap"))
		measure("bsd.mmap_munmap", op_mmap, NULL, 200);
	if (wanted(argc, argv, first, "bsd.open_close") ||
	    wanted(argc, argv, first, "bsd.lookup.depth_1") ||
	    wanted(argc, argv, first, "bsd.lookup.depth_16")) {
		static char p4[256], p1[256], p16[256];
		struct target t;

		if (wanted(argc, argv, first, "bsd.open_close")) {
			if (make_target(&t, p4, sizeof(p4), 4) == 0)
				measure("bsd.open_close", op_open_close, &t, 500);
			else
				report_fail("bsd.open_close");
		}
		if (wanted(argc, argv, first, "bsd.lookup.depth_1")) {
			if (make_target(&t, p1, sizeof(p1), 1) == 0)
				measure("bsd.lookup.depth_1", op_lookup, &t, 500);
			else
				report_fail("bsd.lookup.depth_1");
		}
		if (wanted(argc, argv, first, "bsd.lookup.depth_16")) {
			if (make_target(&t, p16, sizeof(p16), 16) == 0)
				measure("bsd.lookup.depth_16", op_lookup, &t, 200);
			else
				report_fail("bsd.lookup.depth_16");
		}
	}
	if (wanted(argc, argv, first, "bsd.page_fault.regions_1"))
		faults_with_regions("bsd.page_fault.regions_1", 1);
	if (wanted(argc, argv, first, "bsd.page_fault.regions_100"))
		faults_with_regions("bsd.page_fault.regions_100", 100);
	if (wanted(argc, argv, first, "bsd.page_fault.regions_10000"))
		faults_with_regions("bsd.page_fault.regions_10000", 10000);
}

/*
 * The kernel's own account of the CPU flaws it works around, which change
 * what a system call costs (page-table isolation above all): one remark
 * each, from sysfs, mounted for the purpose.
 */
static void
say_mitigations(void)
{
	static const char *const flaws[] = { "meltdown", "spectre_v1", "spectre_v2",
	    "spec_store_bypass", "mds", "retbleed" };
	char path[128], line[256];

	(void)mkdir("/sys", 0555);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) != 0)
		return;
	for (size_t i = 0; i < sizeof(flaws) / sizeof(flaws[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s", flaws[i]);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\n")] = 0;
			printf("# kernel: %s: %s\n", flaws[i], line);
		}
		fclose(f);
	}
	(void)umount("/sys");
}

/*
 * Another benchmark the initramfs holds (Linux's module load and unload,
 * tools/bench/linux-module): run it with arg, -q first if short; its
 * lines are its own, and a non-zero exit counts as a failure.
 */
static void
run_helper(const char *path, int short_mode, const char *arg)
{
	char *argv[] = { (char *)path, short_mode ? "-q" : (char *)arg,
	    short_mode ? (char *)arg : NULL, NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) < 0) {
		failed_call("fork");
		report_fail(path);
		return;
	}
	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		bad("exit status 0x%x", status);
		report_fail(path);
	}
}

/*
 * Process 1 (Linux's /init): the options come from the kernel's command
 * line, whose name=value words without a dot the kernel hands to init as
 * its environment. Runs everything, then powers off.
 */
static void
as_init(void)
{
	const char *quick = getenv("ubench_quick");
	const char *n = getenv("ubench_rounds");
	char *argv[] = { (char *)self, NULL };

	if (quick && strcmp(quick, "1") == 0) {
		rounds = 1;
		shrink = 10;
	}
	if (n && atoi(n) > 0)
		rounds = atoi(n);
	(void)mkdir("/tmp", 01777);
	say_mitigations();
	run(1, argv, 1);
	if (access("/modbench", X_OK) == 0)
		run_helper("/modbench", quick && strcmp(quick, "1") == 0, "/benchmod.ko");
	printf("# ubench: done, %d failed\n", failures);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	int first = 1, init;

	self = argv[0];
	/* Linux's /init; not merely process 1, which Machina's console gives too. */
	init = getpid() == 1 && strcmp(self, "/init") == 0;
	if (getpid() == 1) {
		/*
		 * The first line, at once: the host times QEMU's launch to it
		 * (Linux's /init, and Machina's init=/usr/bench/ubench).
		 */
		static const char hello[] = "# ubench: init\n";

		(void)write(1, hello, sizeof(hello) - 1);
	}
	if (argc > 1 && strcmp(argv[1], "-x") == 0)
		return EXEC_STATUS;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (now_ns() == 0) {
		printf("# FAIL all: clock_gettime(CLOCK_MONOTONIC): %s\n", strerror(errno));
		return 1;
	}
	if (init)
		as_init();
	while (first < argc && argv[first][0] == '-') {
		if (strcmp(argv[first], "-q") == 0) {
			rounds = 1;
			shrink = 10;
			first++;
		} else if (strcmp(argv[first], "-n") == 0 && first + 1 < argc) {
			rounds = atoi(argv[first + 1]);
			if (rounds < 1)
				rounds = 1;
			first += 2;
		} else {
			fprintf(stderr, "usage: ubench [-q] [-n ROUNDS] [NAME ...]\n");
			return 2;
		}
	}
	run(argc, argv, first);
	if (failures) {
		printf("# ubench: %d failed\n", failures);
		return 1;
	}
	return 0;
}
