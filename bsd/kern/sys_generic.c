/*
 * sys_generic.c - the generic I/O system calls: read, write, readv,
 * writev, pread, pwrite, through each file's fileops.
 */

#include "bsd/sys/sysproto.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "kernel/copyio.h"
#include "libkern/cdefs.h"

#define IO_MAX	0x7ffff000LL	/* the most one call moves (Linux's limit) */

/*
 * Do the I/O described by uio on descriptor fd, in direction rw. *retval
 * is what moved: a transfer cut short by a fault or a signal after some
 * bytes reports those bytes, not the error (POSIX).
 */
static int
rdwr(proc_t p, int fd, uio_t uio, enum uio_rw rw, int flags, int64_t *retval)
{
	struct fileproc *fp;
	int64_t want = uio_resid(uio);
	vfs_context_t ctx = vfs_context_current();
	int error;

	if ((error = fp_lookup(p, fd, &fp, 0)) != 0)
		return error;
	if (!(fp->fp_glob->fg_flag & (rw == UIO_READ ? FREAD : FWRITE))) {
		(void)fp_drop(p, fd, fp, 0);
		return EBADF;
	}
	error = rw == UIO_READ ? fo_read(fp, uio, flags, ctx) : fo_write(fp, uio, flags, ctx);
	(void)fp_drop(p, fd, fp, 0);
	if (error != 0 && uio_resid(uio) != want &&
	    (error == EINTR || error == EFAULT || error == EAGAIN || error == ERESTART))
		error = 0;
	*retval = want - uio_resid(uio);
	return error;
}

static int
rdwr_one(proc_t p, int fd, uint64_t buf, uint64_t nbyte, off_t offset, enum uio_rw rw,
    int flags, int64_t *retval)
{
	struct uio uio;

	if ((int64_t)nbyte < 0)
		return EINVAL;
	uio_init(&uio, buf, MIN(nbyte, (uint64_t)IO_MAX), offset, UIO_USERSPACE64, rw);
	return rdwr(p, fd, &uio, rw, flags, retval);
}

int
read(struct proc *p, struct read_args *uap, int64_t *retval)
{
	return rdwr_one(p, (int)uap->fd, uap->cbuf, uap->nbyte, 0, UIO_READ, 0, retval);
}

int
write(struct proc *p, struct write_args *uap, int64_t *retval)
{
	return rdwr_one(p, (int)uap->fd, uap->cbuf, uap->nbyte, 0, UIO_WRITE, 0, retval);
}

int
pread(struct proc *p, struct pread_args *uap, int64_t *retval)
{
	if ((int64_t)uap->offset < 0)
		return EINVAL;
	return rdwr_one(p, (int)uap->fd, uap->buf, uap->nbyte, (off_t)uap->offset, UIO_READ,
	    FOF_OFFSET, retval);
}

int
pwrite(struct proc *p, struct pwrite_args *uap, int64_t *retval)
{
	if ((int64_t)uap->offset < 0)
		return EINVAL;
	return rdwr_one(p, (int)uap->fd, uap->buf, uap->nbyte, (off_t)uap->offset, UIO_WRITE,
	    FOF_OFFSET, retval);
}

/* readv and writev: the user's iovec array, checked, into a uio. */
static int
rdwrv(proc_t p, uint64_t fd, uint64_t iovp, uint64_t cnt, enum uio_rw rw, int64_t *retval)
{
	struct iovec iov[16];
	uint64_t total = 0;
	uio_t uio;
	int error;

	if (cnt > UIO_MAXIOV)
		return EINVAL;
	uio = uio_create((int)cnt, 0, UIO_USERSPACE64, rw);
	if (uio == NULL)
		return ENOMEM;
	for (uint64_t i = 0; i < cnt; i += nitems(iov)) {
		uint64_t n = MIN(cnt - i, nitems(iov));

		if ((error = copyin(iovp + i * sizeof(struct iovec), iov,
		    n * sizeof(struct iovec))) != 0)
			goto out;
		for (uint64_t j = 0; j < n; j++) {
			if ((int64_t)iov[j].iov_len < 0 ||
			    iov[j].iov_len > (uint64_t)IO_MAX - total) {
				error = EINVAL;
				goto out;
			}
			total += iov[j].iov_len;
			(void)uio_addiov(uio, iov[j].iov_base, iov[j].iov_len);
		}
	}
	error = rdwr(p, (int)fd, uio, rw, 0, retval);
out:
	uio_free(uio);
	return error;
}

int
readv(struct proc *p, struct readv_args *uap, int64_t *retval)
{
	return rdwrv(p, uap->fd, uap->iovp, uap->iovcnt, UIO_READ, retval);
}

int
writev(struct proc *p, struct writev_args *uap, int64_t *retval)
{
	return rdwrv(p, uap->fd, uap->iovp, uap->iovcnt, UIO_WRITE, retval);
}
