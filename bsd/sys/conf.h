/*
 * conf.h - character device switch: how a device number reaches its
 * driver (XNU's cdevsw and cdevsw_add).
 *
 * A character device driver fills a struct cdevsw and registers it for a
 * major number; devfs names device nodes (/dev/...) after device numbers,
 * and the VFS routes opens, reads, writes, ioctls and selects on those
 * nodes to the driver's entries with the device number.
 *
 *	static const struct cdevsw null_cdevsw = {
 *		.d_open = nulldev_open, .d_read = null_read, ...
 *	};
 *	int major = cdevsw_add(-1, &null_cdevsw);	(any free major)
 *	devfs_make_node(makedev(major, 0), DEVFS_CHAR, UID_ROOT, GID_WHEEL, 0666, "null");
 *
 * The majors below are the kernel's own, fixed so that device numbers do
 * not move between boots; cdevsw_add(-1, ...) hands out the others.
 *
 * Locks: the table changes only at registration (a spin lock); a
 * registered cdevsw must stay valid until cdevsw_remove.
 */

#ifndef BSD_SYS_CONF_H
#define BSD_SYS_CONF_H

#include "bsd/sys/proc.h"
#include "bsd/sys/types.h"
#include "bsd/sys/uio.h"

/* The kernel's fixed majors. */
#define CONSOLE_MAJOR	0	/* /dev/console */
#define MEM_MAJOR	1	/* /dev/null (0), zero (1), random (2), urandom (3) */
#define CTTY_MAJOR	2	/* /dev/tty: the process's controlling terminal */
#define NCDEVSW		64

/* d_type */
#define D_TTY		3	/* a terminal: d_ttys says which */
#define D_DISK		2
#define D_TAPE		1
#define D_CHAR		0

struct tty;

struct cdevsw {
	int	(*d_open)(dev_t dev, int flags, int devtype, proc_t p);
	int	(*d_close)(dev_t dev, int flags, int devtype, proc_t p);
	int	(*d_read)(dev_t dev, struct uio *uio, int ioflag);
	int	(*d_write)(dev_t dev, struct uio *uio, int ioflag);
	int	(*d_ioctl)(dev_t dev, unsigned long cmd, void *data, int fflag, proc_t p);
	/* Ready for which (FREAD, FWRITE, 0)? 1 if so, else selrecord(p, ..., wql) and 0. */
	int	(*d_select)(dev_t dev, int which, void *wql, proc_t p);
	struct tty *(*d_ttys)(dev_t dev);	/* D_TTY: the device's tty */
	int	d_type;
};

/* Entries that do nothing, or refuse, for drivers to point at. */
int	nulldev_open(dev_t dev, int flags, int devtype, proc_t p);
int	nulldev_close(dev_t dev, int flags, int devtype, proc_t p);
int	enodev_rw(dev_t dev, struct uio *uio, int ioflag);
int	enodev_ioctl(dev_t dev, unsigned long cmd, void *data, int fflag, proc_t p);

/*
 * cdevsw_add: register csw at major index (-1: the lowest free one from
 * 16 up). Returns the major, or -1 if it is taken or the table is full.
 * cdevsw_remove undoes it (the same csw), returning the major or -1.
 */
int	cdevsw_add(int index, const struct cdevsw *csw);
int	cdevsw_remove(int index, const struct cdevsw *csw);

/* cdevsw_lookup: the driver of major, or NULL. */
const struct cdevsw *cdevsw_lookup(int major);

#endif /* BSD_SYS_CONF_H */
