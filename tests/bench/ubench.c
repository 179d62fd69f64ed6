/*
 * ubench.c - the BSD layer's costs as a user program sees them, as
 * "name value unit" lines (the format of every figure `make bench`
 * collects; docs/benchmarks.md).
 *
 *	ubench [-n ROUNDS] [NAME ...]	run the figures named (default: all)
 *	ubench -x			exit at once (what fork+exec runs)
 *
 * Each figure is the median over ROUNDS (default 7) rounds of the mean
 * time of one operation within a round. A figure whose calls are missing
 * or fail prints "# skip NAME: why" instead, so that the program is useful
 * while the system it measures is still growing. The source is plain
 * POSIX and Linux: it builds and runs unchanged on Linux, which is how the
 * same figures are taken there.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int rounds = 7;
static const char *self;

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

/*
 * measure: run op(arg) iters times per round; print the median per-op
 * time. op returns 0, or -1 with errno set, which skips the figure.
 */
static void
measure(const char *name, int (*op)(void *), void *arg, int iters)
{
	uint64_t t[64];
	int n = rounds < 64 ? rounds : 64;

	if (op(arg) != 0) {		/* warm up, and see that it works */
		printf("# skip %s: %s\n", name, strerror(errno));
		return;
	}
	for (int r = 0; r < n; r++) {
		uint64_t start = now_ns();

		for (int i = 0; i < iters; i++) {
			if (op(arg) != 0) {
				printf("# skip %s: %s\n", name, strerror(errno));
				return;
			}
		}
		t[r] = (now_ns() - start) / (uint64_t)iters;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_u64);
	printf("%s %llu ns\n", name, (unsigned long long)t[n / 2]);
	fflush(stdout);
}

static int
op_getpid(void *arg)
{
	(void)arg;
	return syscall(SYS_getpid) > 0 ? 0 : -1;
}

static int
op_read1(void *arg)
{
	char c;

	return read(*(int *)arg, &c, 1) == 1 ? 0 : -1;
}

struct pipes {
	int	to[2], from[2];
	pid_t	child;
};

static int
op_pipe_rt(void *arg)
{
	struct pipes *p = arg;
	char c = 'x';

	if (write(p->to[1], &c, 1) != 1 || read(p->from[0], &c, 1) != 1)
		return -1;
	return 0;
}

static int
op_fork_wait(void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = ECHILD;
		return -1;
	}
	return 0;
}

static int
op_fork_exec_wait(void *arg)
{
	char *argv[] = { (char *)self, "-x", NULL };
	int status;
	pid_t pid;

	(void)arg;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		execv(self, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = WIFEXITED(status) && WEXITSTATUS(status) == 127 ? ENOEXEC : ECHILD;
		return -1;
	}
	return 0;
}

static int
op_open_close(void *arg)
{
	int fd = open((const char *)arg, O_RDONLY);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int
op_mmap(void *arg)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		return -1;
	p[0] = 1;			/* one fault, as a real use would take */
	return munmap(p, 4096);
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

/* The deep path for open+close: /tmp/ubench.d/a/b/c/f, made if it can be. */
static const char *
deep_path(void)
{
	static const char *const dirs[] = { "/tmp", "/tmp/ubench.d", "/tmp/ubench.d/a",
	    "/tmp/ubench.d/a/b", "/tmp/ubench.d/a/b/c" };
	static const char path[] = "/tmp/ubench.d/a/b/c/f";
	int fd;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		(void)mkdir(dirs[i], 0755);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0)
		close(fd);
	return path;
}

int
main(int argc, char **argv)
{
	int first = 1;

	self = argv[0];
	if (argc > 1 && strcmp(argv[1], "-x") == 0)
		return 0;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		rounds = atoi(argv[2]);
		if (rounds < 1)
			rounds = 1;
		first = 3;
	}
	if (now_ns() == 0) {
		printf("# skip all: clock_gettime(CLOCK_MONOTONIC): %s\n", strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (wanted(argc, argv, first, "bsd.getpid"))
		measure("bsd.getpid", op_getpid, NULL, 2000);
	if (wanted(argc, argv, first, "bsd.read_1")) {
		int fd = open("/dev/zero", O_RDONLY);

		if (fd < 0)
			printf("# skip bsd.read_1: /dev/zero: %s\n", strerror(errno));
		else
			measure("bsd.read_1", op_read1, &fd, 1000), close(fd);
	}
	if (wanted(argc, argv, first, "bsd.pipe_roundtrip")) {
		struct pipes p;

		if (pipe(p.to) != 0 || pipe(p.from) != 0) {
			printf("# skip bsd.pipe_roundtrip: pipe: %s\n", strerror(errno));
		} else if ((p.child = fork()) < 0) {
			printf("# skip bsd.pipe_roundtrip: fork: %s\n", strerror(errno));
		} else if (p.child == 0) {
			char c;

			close(p.to[1]);
			close(p.from[0]);
			while (read(p.to[0], &c, 1) == 1 && write(p.from[1], &c, 1) == 1)
				;
			_exit(0);
		} else {
			close(p.to[0]);
			close(p.from[1]);
			measure("bsd.pipe_roundtrip", op_pipe_rt, &p, 200);
			close(p.to[1]);
			close(p.from[0]);
			waitpid(p.child, NULL, 0);
		}
	}
	if (wanted(argc, argv, first, "bsd.fork_exit_wait"))
		measure("bsd.fork_exit_wait", op_fork_wait, NULL, 20);
	if (wanted(argc, argv, first, "bsd.fork_exec_wait"))
		measure("bsd.fork_exec_wait", op_fork_exec_wait, NULL, 10);
	if (wanted(argc, argv, first, "bsd.open_close"))
		measure("bsd.open_close", op_open_close, (void *)deep_path(), 500);
	if (wanted(argc, argv, first, "bsd.mmap_munmap"))
		measure("bsd.mmap_munmap", op_mmap, NULL, 200);
	return 0;
}
