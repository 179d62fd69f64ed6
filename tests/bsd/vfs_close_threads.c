/*
 * vfs_close_threads.c - close of a descriptor another thread is reading:
 * the read in flight finishes, close returns 0 once it has, the reader's
 * next read fails with EBADF, and nothing hangs. Many rounds with the
 * close at different moments, so that some land while a read is in the
 * file: close then waits for it, and the read's end wakes it (fp_drop).
 * Where threads cannot be made the checks are left out.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define ROUNDS	200

static volatile int reader_fd;
static volatile int reader_started;

/* Reads a byte at a time until the descriptor is gone; 0 if EBADF ended it. */
static void *
reader(void *arg)
{
	long *reads = arg;
	char c;

	reader_started = 1;
	for (;;) {
		ssize_t n = read(reader_fd, &c, 1);

		if (n == 1 && c == 0) {
			(*reads)++;
			continue;
		}
		return (void *)(long)(n < 0 && errno == EBADF ? 0 : 1);
	}
}

static void
pause_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

int
main(void)
{
	int closed = 0, ended_badf = 0, read_some = 0;
	long reads_total = 0;

	for (int i = 0; i < ROUNDS; i++) {
		long reads = 0;
		void *ret;
		pthread_t t;
		int fd = open("/dev/zero", O_RDONLY), r;

		if (fd < 0) {
			tap_diag("open /dev/zero: %s\n", strerror(errno));
			break;
		}
		reader_fd = fd;
		reader_started = 0;
		r = pthread_create(&t, NULL, reader, &reads);
		if (r != 0) {
			tap_diag("pthread_create: %s: no threads, checks left out\n", strerror(r));
			close(fd);
			return tap_done();
		}
		while (!reader_started)
			sched_yield();
		pause_us((i % 8) * 40);		/* 0 to 280 us of reads first */
		closed += close(fd) == 0;
		pthread_join(t, &ret);
		ended_badf += ret == NULL;
		read_some += reads > 0;
		reads_total += reads;
	}
	TAP_EQ(closed, ROUNDS, "every close of a descriptor being read returned 0");
	TAP_EQ(ended_badf, ROUNDS, "every reader read zeros until its next read failed with EBADF");
	TAP_OK(read_some > 0, "the readers read before the close");
	tap_diag("%d of %d rounds read before the close, %ld bytes in all\n", read_some, ROUNDS,
	    reads_total);
	return tap_done();
}
