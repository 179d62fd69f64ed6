/*
 * sys_getrandom.c - getrandom(2): random bytes for user space, from the
 * kernel's generator (kernel/random.h: the CPU's RDRAND where it has it,
 * stirred TSC readings otherwise; not a vetted cryptographic generator).
 *
 * The generator never runs dry, so GRND_NONBLOCK and GRND_RANDOM change
 * nothing (as on Linux since 5.6 for the first), but they are accepted;
 * any other flag bit, or GRND_INSECURE with GRND_RANDOM, is EINVAL. One
 * call gives at most GETRANDOM_MAX bytes and returns how many it gave.
 */

#include "bsd/sys/errno.h"
#include "bsd/sys/sysproto.h"
#include "kernel/copyio.h"
#include "kernel/random.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

#define GETRANDOM_MAX	33554431	/* Linux's cap on one call */

int
getrandom(struct proc *p, struct getrandom_args *uap, int64_t *retval)
{
	unsigned flags = (unsigned)uap->flags;
	size_t len = MIN((size_t)uap->buflen, (size_t)GETRANDOM_MAX), done = 0;
	uint8_t chunk[256];

	(void)p;
	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return EINVAL;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk));

		read_random(chunk, n);
		if (copyout(chunk, uap->buf + done, n) != 0) {
			if (done == 0) {
				memset(chunk, 0, sizeof(chunk));
				return EFAULT;
			}
			break;
		}
		done += n;
	}
	memset(chunk, 0, sizeof(chunk));
	*retval = (int64_t)done;
	return 0;
}
