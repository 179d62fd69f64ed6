/*
 * futex_basic.c - futex in one thread: FUTEX_WAIT returns EAGAIN when
 * the word has changed, ETIMEDOUT when its timeout passes; FUTEX_WAKE
 * with nobody waiting wakes nobody; private and shared forms; the errors.
 * (A wait ended by a signal: bsd/kern/kern_sig_test.c; by another thread:
 * when threads come.)
 */

#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128

static long
futex(void *addr, int op, uint32_t val, const struct timespec *ts, uint32_t val3)
{
	return syscall(SYS_futex, addr, op, val, ts, NULL, val3);
}

int
main(void)
{
	static uint32_t word[4] __attribute__((aligned(8)));
	struct timespec ts = { 0, 20 * 1000 * 1000 }, bad = { 0, 1000000000 };
	struct timespec before, after;

	word[0] = 5;
	TAP_ERRNO(futex(&word[0], FUTEX_WAIT, 4, NULL, 0), EAGAIN, "FUTEX_WAIT on a changed word is EAGAIN");
	TAP_ERRNO(futex(&word[0], FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 4, NULL, 0), EAGAIN,
	    "the private form too");
	clock_gettime(CLOCK_MONOTONIC, &before);
	TAP_ERRNO(futex(&word[0], FUTEX_WAIT, 5, &ts, 0), ETIMEDOUT, "FUTEX_WAIT times out");
	clock_gettime(CLOCK_MONOTONIC, &after);
	TAP_OK(after.tv_sec > before.tv_sec || after.tv_nsec >= before.tv_nsec,
	    "time went on while it waited");
	TAP_ERRNO(futex(&word[0], FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 5, &ts, 0), ETIMEDOUT,
	    "the private form times out too");
	TAP_EQ(futex(&word[0], FUTEX_WAKE, 1, NULL, 0), 0, "FUTEX_WAKE with no waiters wakes 0");
	TAP_EQ(futex(&word[0], FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 100, NULL, 0), 0,
	    "private FUTEX_WAKE with no waiters wakes 0");
	TAP_EQ(futex(&word[0], FUTEX_WAKE_BITSET, 1, NULL, 1), 0, "FUTEX_WAKE_BITSET");
	TAP_ERRNO(futex(&word[0], FUTEX_WAIT_BITSET, 4, NULL, 1), EAGAIN, "FUTEX_WAIT_BITSET, changed word");
	TAP_ERRNO(futex(&word[0], FUTEX_WAIT_BITSET, 5, NULL, 0), EINVAL, "FUTEX_WAIT_BITSET with no bits");

	TAP_ERRNO(futex((char *)&word[0] + 1, FUTEX_WAIT, 5, NULL, 0), EINVAL, "an unaligned futex is EINVAL");
	TAP_ERRNO(futex((void *)8, FUTEX_WAIT, 5, NULL, 0), EFAULT, "a futex at a bad address is EFAULT");
	TAP_ERRNO(futex(&word[0], FUTEX_WAIT, 5, &bad, 0), EINVAL, "a bad timeout is EINVAL");
	TAP_ERRNO(futex(&word[0], FUTEX_WAIT, 5, (void *)8, 0), EFAULT, "an unreadable timeout is EFAULT");
	TAP_ERRNO(futex(&word[0], 99, 0, NULL, 0), ENOSYS, "an unknown operation is ENOSYS");
	return tap_done();
}
