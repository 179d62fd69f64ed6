/*
 * time_random.c - getrandom fills what it is asked to, with bytes that
 * differ between calls, and refuses bad flags and pointers.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#define BAD		((void *)8)
#define GRND_NONBLOCK	1
#define GRND_RANDOM	2
#define GRND_INSECURE	4

int
main(void)
{
	static uint8_t big[70000];
	uint8_t a[64], b[64], zero[64];
	int nonzero = 0;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	TAP_EQ(syscall(SYS_getrandom, a, sizeof(a), 0), 64, "getrandom gives 64 bytes");
	TAP_EQ(syscall(SYS_getrandom, b, sizeof(b), GRND_NONBLOCK), 64, "... with GRND_NONBLOCK too");
	TAP_OK(memcmp(a, zero, sizeof(a)) != 0, "the bytes are not all zero");
	TAP_OK(memcmp(a, b, sizeof(a)) != 0, "two calls give different bytes");
	TAP_EQ(syscall(SYS_getrandom, b, 16, GRND_RANDOM), 16, "GRND_RANDOM");
	TAP_EQ(syscall(SYS_getrandom, b, 0, 0), 0, "nothing asked, nothing given");
	TAP_EQ(syscall(SYS_getrandom, big, sizeof(big), 0), (long)sizeof(big), "70000 bytes at once");
	for (size_t i = sizeof(big) - 64; i < sizeof(big); i++)
		nonzero |= big[i];
	TAP_OK(nonzero, "the end of the big buffer was filled");
	TAP_ERRNO(syscall(SYS_getrandom, a, sizeof(a), 0x100), EINVAL, "an unknown flag is EINVAL");
	TAP_ERRNO(syscall(SYS_getrandom, a, sizeof(a), GRND_RANDOM | GRND_INSECURE), EINVAL,
	    "GRND_RANDOM with GRND_INSECURE is EINVAL");
	TAP_ERRNO(syscall(SYS_getrandom, BAD, 16, 0), EFAULT, "a bad buffer is EFAULT");
	return tap_done();
}
