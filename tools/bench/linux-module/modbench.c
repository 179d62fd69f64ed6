/*
 * modbench.c - Linux's module load and unload, as "name value unit" lines,
 * beside Machina's kext.load_unload (docs/performance.md):
 *
 *	modbench [-q] MODULE.ko
 *
 *	linux.module.load_unload	init_module of the module's bytes, already
 *					read, then delete_module; the median over
 *					7 rounds (1 with -q) of 20 pairs each
 *
 * A pair is checked: the load must succeed, and so must the unload, which
 * only succeeds for a module that is loaded; a failure prints
 * "# FAIL name: why" and exits 1. Linux only; tools/bench/linux.py puts it
 * in the initramfs, and ubench, as /init, runs it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NAME	"linux.module.load_unload"

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
pair(void *image, size_t len)
{
	if (syscall(SYS_init_module, image, len, "") != 0) {
		printf("# FAIL " NAME ": init_module: %s\n", strerror(errno));
		return -1;
	}
	if (syscall(SYS_delete_module, "benchmod", O_NONBLOCK) != 0) {
		printf("# FAIL " NAME ": delete_module: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int rounds = 7, per = 20, first = 1;
	uint64_t t[7];
	struct stat st;
	void *image;
	int fd;

	if (argc > 1 && strcmp(argv[1], "-q") == 0) {
		rounds = 1;
		first = 2;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: modbench [-q] MODULE.ko\n");
		return 2;
	}
	if ((fd = open(argv[first], O_RDONLY)) < 0 || fstat(fd, &st) != 0 ||
	    (image = malloc((size_t)st.st_size)) == NULL ||
	    read(fd, image, (size_t)st.st_size) != st.st_size) {
		printf("# FAIL " NAME ": %s: %s\n", argv[first], strerror(errno));
		return 1;
	}
	close(fd);
	if (pair(image, (size_t)st.st_size) != 0)	/* warm up, and see that it works */
		return 1;
	for (int r = 0; r < rounds; r++) {
		uint64_t start = now_ns();

		for (int i = 0; i < per; i++) {
			if (pair(image, (size_t)st.st_size) != 0)
				return 1;
		}
		t[r] = (now_ns() - start) / (uint64_t)per;
	}
	qsort(t, (size_t)rounds, sizeof(t[0]), cmp_u64);
	printf(NAME " %llu ns\n", (unsigned long long)t[rounds / 2]);
	return 0;
}
