/*
 * mem.c - /dev/null, /dev/zero, /dev/random, /dev/urandom (bsd/dev/mem.h),
 * and kern.random.entropy_bytes: the bytes hardware sources have mixed
 * into the entropy pool (write_random, kernel/random.h).
 */

#include "bsd/dev/mem.h"

#include "bsd/miscfs/devfs/devfs.h"
#include "bsd/sys/conf.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/sysctl.h"
#include "kernel/random.h"
#include "libkern/cdefs.h"
#include "kernel/console.h"
#include "libkern/printf.h"
#include "libkern/string.h"

#define MEM_NULL	0
#define MEM_ZERO	1
#define MEM_RANDOM	2
#define MEM_URANDOM	3
#define MEM_CHUNK	256		/* random bytes made at a time */
#define MEM_ZERO_CHUNK	4096		/* zeros copied at a time */

static int
mem_open(dev_t dev, int flags, int devtype, proc_t p)
{
	(void)flags, (void)devtype, (void)p;
	return minor(dev) <= MEM_URANDOM ? 0 : ENXIO;
}

/*
 * What /dev/zero reads: uiomove only copies out of it for a read, and
 * being const it sits in read-only data, so nothing can write it.
 */
static const char mem_zeros[MEM_ZERO_CHUNK];

static int
mem_read(dev_t dev, struct uio *uio, int ioflag)
{
	char buf[MEM_CHUNK];
	int error = 0;

	(void)ioflag;
	if (minor(dev) == MEM_NULL)
		return 0;
	while (error == 0 && uio_resid(uio) > 0) {
		int64_t n;

		if (minor(dev) == MEM_ZERO) {
			n = MIN(uio_resid(uio), (int64_t)sizeof(mem_zeros));
			error = uiomove((void *)(uintptr_t)mem_zeros, n, uio);
			continue;
		}
		n = MIN(uio_resid(uio), (int64_t)sizeof(buf));
		read_random(buf, (size_t)n);
		error = uiomove(buf, n, uio);
	}
	return error;
}

static int
mem_write(dev_t dev, struct uio *uio, int ioflag)
{
	(void)dev;
	(void)ioflag;
	/* Discarded, without touching the caller's memory (Linux does the same for null). */
	uio->uio_offset += uio_resid(uio);
	uio->uio_resid = 0;
	return 0;
}

static int
mem_select(dev_t dev, int which, void *wql, proc_t p)
{
	(void)dev, (void)which, (void)wql, (void)p;
	return 1;
}

static int
sysctl_entropy_bytes SYSCTL_HANDLER_ARGS
{
	uint64_t v = random_entropy_bytes();

	(void)oidp, (void)arg1, (void)arg2;
	return SYSCTL_OUT(req, &v, sizeof(v));
}

SYSCTL_NODE(_kern, OID_AUTO, random, CTLFLAG_RD | CTLFLAG_LOCKED, NULL,
    "the kernel's random numbers");
SYSCTL_PROC(_kern_random, OID_AUTO, entropy_bytes, CTLTYPE_QUAD | CTLFLAG_RD | CTLFLAG_LOCKED,
    NULL, 0, sysctl_entropy_bytes, "QU", "bytes hardware sources mixed into the pool");

static const struct cdevsw mem_cdevsw = {
	.d_open = mem_open,
	.d_close = nulldev_close,
	.d_read = mem_read,
	.d_write = mem_write,
	.d_ioctl = enodev_ioctl,
	.d_select = mem_select,
	.d_type = D_CHAR,
};

void
mem_init(void)
{
	static const char *const names[] = { "null", "zero", "random", "urandom" };

	if (cdevsw_add(MEM_MAJOR, &mem_cdevsw) != MEM_MAJOR) {
		printf("mem: major %d is taken; no /dev/null\n", MEM_MAJOR);
		return;
	}
	for (int i = 0; i < (int)nitems(names); i++)
		(void)devfs_make_node(makedev(MEM_MAJOR, i), DEVFS_CHAR, UID_ROOT, GID_WHEEL, 0666,
		    "%s", names[i]);
}
