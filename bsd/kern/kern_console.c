/*
 * kern_console.c - a character device as an open file without the VFS
 * (consolefileops): what descriptors 0, 1 and 2 of the programs the
 * kernel starts refer to (bsd/dev/cons.h: cons_fileglob_open). fg_data
 * is the device number; each operation goes to its driver's cdevsw, so
 * the console behaves exactly as /dev/console opened through devfs:
 * the console tty, with its line discipline.
 */

#include "bsd/sys/file_internal.h"

#include "bsd/sys/conf.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/tty.h"
#include "libkern/string.h"

static dev_t
cdev_file_dev(struct fileglob *fg)
{
	return (dev_t)(uintptr_t)fg->fg_data;
}

static const struct cdevsw *
cdev_file_csw(struct fileglob *fg)
{
	return cdevsw_lookup(major(cdev_file_dev(fg)));
}

static int
cdev_file_ioflag(struct fileglob *fg)
{
	return (__atomic_load_n(&fg->fg_flag, __ATOMIC_RELAXED) & O_NONBLOCK) ? IO_NDELAY : 0;
}

static int
cons_file_read(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	const struct cdevsw *csw = cdev_file_csw(fp->fp_glob);

	(void)flags;
	(void)ctx;
	if (csw == NULL || csw->d_read == NULL)
		return ENXIO;
	return csw->d_read(cdev_file_dev(fp->fp_glob), uio, cdev_file_ioflag(fp->fp_glob));
}

static int
cons_file_write(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	const struct cdevsw *csw = cdev_file_csw(fp->fp_glob);

	(void)flags;
	(void)ctx;
	if (csw == NULL || csw->d_write == NULL)
		return ENXIO;
	return csw->d_write(cdev_file_dev(fp->fp_glob), uio, cdev_file_ioflag(fp->fp_glob));
}

static int
cons_file_ioctl(struct fileproc *fp, unsigned long com, void *data, vfs_context_t ctx)
{
	const struct cdevsw *csw = cdev_file_csw(fp->fp_glob);

	if (csw == NULL || csw->d_ioctl == NULL)
		return ENOTTY;
	return csw->d_ioctl(cdev_file_dev(fp->fp_glob), com, data, (int)fp->fp_glob->fg_flag,
	    vfs_context_proc(ctx));
}

static int
cons_file_select(struct fileproc *fp, int which, void *wql, vfs_context_t ctx)
{
	const struct cdevsw *csw = cdev_file_csw(fp->fp_glob);

	if (csw == NULL || csw->d_select == NULL)
		return 1;
	return csw->d_select(cdev_file_dev(fp->fp_glob), which, wql, vfs_context_proc(ctx));
}

static int
cons_file_stat(struct fileproc *fp, struct stat *sb, vfs_context_t ctx)
{
	(void)ctx;
	memset(sb, 0, sizeof(*sb));
	sb->st_mode = S_IFCHR | 0620;
	sb->st_nlink = 1;
	sb->st_rdev = dev_encode_linux(cdev_file_dev(fp->fp_glob));
	sb->st_blksize = 1024;
	return 0;
}

static int
cons_file_close(struct fileglob *fg, vfs_context_t ctx)
{
	const struct cdevsw *csw = cdev_file_csw(fg);

	if (csw == NULL || csw->d_close == NULL)
		return 0;
	return csw->d_close(cdev_file_dev(fg), (int)fg->fg_flag, 0, vfs_context_proc(ctx));
}

const struct fileops consolefileops = {
	.fo_type = DTYPE_CONSOLE,
	.fo_read = cons_file_read,
	.fo_write = cons_file_write,
	.fo_ioctl = cons_file_ioctl,
	.fo_select = cons_file_select,
	.fo_stat = cons_file_stat,
	.fo_close = cons_file_close,
};
