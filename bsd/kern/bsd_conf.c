/*
 * bsd_conf.c - the character device switch (bsd/sys/conf.h).
 */

#include "bsd/sys/conf.h"

#include "bsd/sys/errno.h"
#include "mach/kern/simple_lock.h"

#define DYNAMIC_MAJOR_FIRST	16

static const struct cdevsw *cdevsw[NCDEVSW];	/* [L] */
static hw_lock_data_t cdevsw_lock = HW_LOCK_INITIALIZER;

int nulldev_open(dev_t dev, int flags, int devtype, proc_t p)
{
	(void)dev, (void)flags, (void)devtype, (void)p;
	return 0;
}

int nulldev_close(dev_t dev, int flags, int devtype, proc_t p)
{
	(void)dev, (void)flags, (void)devtype, (void)p;
	return 0;
}

int enodev_rw(dev_t dev, struct uio *uio, int ioflag)
{
	(void)dev, (void)uio, (void)ioflag;
	return ENODEV;
}

int enodev_ioctl(dev_t dev, unsigned long cmd, void *data, int fflag, proc_t p)
{
	(void)dev, (void)cmd, (void)data, (void)fflag, (void)p;
	return ENOTTY;
}

int
cdevsw_add(int index, const struct cdevsw *csw)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	int major = -1;

	hw_lock_lock(&cdevsw_lock);
	if (index < 0) {
		for (int i = DYNAMIC_MAJOR_FIRST; i < NCDEVSW; i++) {
			if (cdevsw[i] == NULL) {
				index = i;
				break;
			}
		}
	}
	if (index >= 0 && index < NCDEVSW && cdevsw[index] == NULL) {
		cdevsw[index] = csw;
		major = index;
	}
	hw_lock_unlock(&cdevsw_lock);
	ml_set_interrupts_enabled(s);
	return major;
}

int
cdevsw_remove(int index, const struct cdevsw *csw)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	int major = -1;

	hw_lock_lock(&cdevsw_lock);
	if (index >= 0 && index < NCDEVSW && cdevsw[index] == csw) {
		cdevsw[index] = NULL;
		major = index;
	}
	hw_lock_unlock(&cdevsw_lock);
	ml_set_interrupts_enabled(s);
	return major;
}

const struct cdevsw *
cdevsw_lookup(int major)
{
	if (major < 0 || major >= NCDEVSW)
		return NULL;
	return __atomic_load_n(&cdevsw[major], __ATOMIC_ACQUIRE);
}
