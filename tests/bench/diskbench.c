/*
 * diskbench.c - a disk's speed as a user program sees it through
 * /dev/diskN (the storage family's BSD nodes; docs/iokit-storage.md), as
 * "name value unit" lines like every figure `make bench` collects.
 *
 *	diskbench [-q] [-w] [-n ROUNDS] DEVICE
 *
 *	disk.read_4k_random_iops	4 KiB reads at random 4 KiB-aligned
 *					offsets (pread), per second
 *	disk.read_seq			the first part of the disk read in 64 KiB
 *					reads, in KB (10^3 bytes) per second
 *	disk.write_seq			(-w) the same written back, with the
 *					cache synchronised at the end
 *
 * Each figure is the median over ROUNDS (default 5; -q: 1 and fewer
 * operations). What it measured is checked, not trusted: the disk is
 * expected to hold, in the first eight bytes of every 4 KiB block, that
 * block's number (little-endian; the harness writes the image so), and
 * every block read is checked; -w writes the same contents back, so the
 * check still holds afterwards. A check that fails prints "# FAIL name:
 * why" and the program exits with status 1.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/disk.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define BLOCK		4096u
#define SEQ_CHUNK	65536u

static int rounds = 5;
static int quick;
static int failed;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void __attribute__((format(printf, 2, 3)))
fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("# FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed = 1;
}

/* Whether buf (n bytes from 4 KiB block first) holds each block's number. */
static int
blocks_ok(const char *name, const unsigned char *buf, size_t n, uint64_t first)
{
	for (size_t off = 0; off < n; off += BLOCK) {
		uint64_t got;

		memcpy(&got, buf + off, sizeof(got));
		if (got != first + off / BLOCK) {
			fail(name, "block %llu holds %llu", (unsigned long long)(first + off / BLOCK),
			    (unsigned long long)got);
			return 0;
		}
	}
	return 1;
}

/* A small generator, so runs repeat (xorshift64*). */
static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void
read_random_iops(int fd, uint64_t blocks)
{
	const char *name = "disk.read_4k_random_iops";
	static unsigned char buf[BLOCK];
	double v[16];
	int ops = quick ? 64 : 1024;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	for (int r = 0; r < rounds; r++) {
		uint64_t t0 = now_ns(), t;

		for (int i = 0; i < ops; i++) {
			uint64_t b = next_random(&seed) % blocks;
			ssize_t got = pread(fd, buf, BLOCK, (off_t)(b * BLOCK));

			if (got != (ssize_t)BLOCK) {
				fail(name, "pread of block %llu gave %lld", (unsigned long long)b,
				    (long long)got);
				return;
			}
			if (!blocks_ok(name, buf, BLOCK, b))
				return;
		}
		t = now_ns() - t0;
		v[r] = t != 0 ? ops * 1e9 / (double)t : 0;
	}
	printf("%s %.0f ops/s\n", name, median(v, rounds));
}

static void
sequential(int fd, uint64_t blocks, int write_back)
{
	const char *name = write_back ? "disk.write_seq" : "disk.read_seq";
	static unsigned char buf[SEQ_CHUNK];
	uint64_t bytes = (quick ? 1u : 16u) << 20;
	double v[16];

	if (bytes > blocks * BLOCK)
		bytes = blocks * BLOCK / SEQ_CHUNK * SEQ_CHUNK;
	if (bytes == 0) {
		printf("# skip %s: the disk is smaller than %u bytes\n", name, SEQ_CHUNK);
		return;
	}
	for (int r = 0; r < rounds; r++) {
		uint64_t t0 = now_ns(), t;

		for (uint64_t off = 0; off < bytes; off += SEQ_CHUNK) {
			ssize_t got;

			if (write_back) {
				for (size_t o = 0; o < SEQ_CHUNK; o += BLOCK) {
					uint64_t n = (off + o) / BLOCK;

					memset(buf + o, 0, BLOCK);
					memcpy(buf + o, &n, sizeof(n));
				}
				got = pwrite(fd, buf, SEQ_CHUNK, (off_t)off);
			} else {
				got = pread(fd, buf, SEQ_CHUNK, (off_t)off);
			}
			if (got != (ssize_t)SEQ_CHUNK) {
				fail(name, "at byte %llu: %lld", (unsigned long long)off, (long long)got);
				return;
			}
			if (!write_back && !blocks_ok(name, buf, SEQ_CHUNK, off / BLOCK))
				return;
		}
		if (write_back && ioctl(fd, DKIOCSYNCHRONIZECACHE) != 0) {
			fail(name, "DKIOCSYNCHRONIZECACHE: %s", strerror(errno));
			return;
		}
		t = now_ns() - t0;
		v[r] = t != 0 ? (double)bytes * 1e6 / (double)t : 0;	/* bytes/ns * 1e6 = KB/s */
	}
	printf("%s %.0f KB/s\n", name, median(v, rounds));
}

int
main(int argc, char **argv)
{
	uint32_t bs = 0;
	uint64_t count = 0, blocks;
	int writes = 0, opt, fd;

	while ((opt = getopt(argc, argv, "qwn:")) != -1) {
		switch (opt) {
		case 'q':
			quick = 1;
			rounds = 1;
			break;
		case 'w':
			writes = 1;
			break;
		case 'n':
			rounds = atoi(optarg);
			if (rounds < 1 || rounds > 16) {
				fprintf(stderr, "diskbench: -n takes 1 to 16\n");
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: diskbench [-q] [-w] [-n ROUNDS] DEVICE\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: diskbench [-q] [-w] [-n ROUNDS] DEVICE\n");
		return 2;
	}
	fd = open(argv[optind], writes ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "diskbench: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if (ioctl(fd, DKIOCGETBLOCKSIZE, &bs) != 0 || ioctl(fd, DKIOCGETBLOCKCOUNT, &count) != 0 ||
	    bs == 0 || BLOCK % bs != 0) {
		fprintf(stderr, "diskbench: %s: not a disk with blocks dividing 4 KiB (%u)\n",
		    argv[optind], bs);
		return 1;
	}
	blocks = count * bs / BLOCK;
	if (blocks == 0) {
		fprintf(stderr, "diskbench: %s: smaller than one 4 KiB block\n", argv[optind]);
		return 1;
	}
	read_random_iops(fd, blocks);
	sequential(fd, blocks, 0);
	if (writes)
		sequential(fd, blocks, 1);
	close(fd);
	return failed;
}
