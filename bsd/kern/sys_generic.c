/*
 * sys_generic.c - the generic I/O system calls: read, write, readv,
 * writev, pread, pwrite, ioctl, and select and poll with their
 * variants, through each file's fileops.
 */

#include "bsd/sys/sysproto.h"

#include "bsd/miscfs/specfs/specdev.h"
#include "bsd/sys/conf.h"
#include "bsd/sys/disk.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/ioctl.h"
#include "bsd/sys/pipe.h"
#include "bsd/sys/poll.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/select.h"
#include "bsd/sys/termios.h"
#include "bsd/sys/time.h"
#include "bsd/sys/user.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/copyio.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/thread.h"

#define IO_MAX	0x7ffff000LL	/* the most one call moves (Linux's limit) */

/*
 * Whether fp has positions that pread and pwrite can name: not a pipe, a
 * FIFO or a terminal (lseek answers ESPIPE for the same ones). Without
 * this check the offset was ignored and a pread of an empty pipe blocked
 * (found by tests/bsd/syscall_fuzz; pipe_basic checks it).
 */
static int
positioned(struct fileproc *fp)
{
	vnode_t vp;

	if (fp->fp_glob->fg_ops != &vnops)
		return 0;
	vp = fp->fp_glob->fg_data;
	if (vp->v_type == VFIFO)
		return 0;
	if (vp->v_type == VCHR && !spec_isdisk(vp)) {
		const struct cdevsw *csw = cdevsw_lookup(major(vp->v_rdev));

		return csw != NULL && csw->d_type != D_TTY && major(vp->v_rdev) != CONSOLE_MAJOR &&
		    major(vp->v_rdev) != CTTY_MAJOR;
	}
	return 1;
}

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
	if ((flags & FOF_OFFSET) && !positioned(fp)) {
		(void)fp_drop(p, fd, fp, 0);
		return ESPIPE;
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

/* --- ioctl ------------------------------------------------------------------------ */

/* How a command's argument moves: Linux's terminal commands do not say. */
enum ioc_dir { IOC_VALUE, IOC_NONE, IOC_IN, IOC_OUT, IOC_INOUT };

static const struct ioctl_desc {
	unsigned long	cmd;
	uint8_t		dir;
	uint8_t		size;
} ioctl_table[] = {
	{ TCGETS, IOC_OUT, sizeof(struct termios) },
	{ TCSETS, IOC_IN, sizeof(struct termios) },
	{ TCSETSW, IOC_IN, sizeof(struct termios) },
	{ TCSETSF, IOC_IN, sizeof(struct termios) },
	{ TCSBRK, IOC_VALUE, 0 },
	{ TCXONC, IOC_VALUE, 0 },
	{ TCFLSH, IOC_VALUE, 0 },
	{ TIOCSCTTY, IOC_VALUE, 0 },
	{ TIOCGPGRP, IOC_OUT, sizeof(int32_t) },
	{ TIOCSPGRP, IOC_IN, sizeof(int32_t) },
	{ TIOCOUTQ, IOC_OUT, sizeof(int32_t) },
	{ TIOCSTI, IOC_IN, 1 },
	{ TIOCGWINSZ, IOC_OUT, sizeof(struct winsize) },
	{ TIOCSWINSZ, IOC_IN, sizeof(struct winsize) },
	{ FIONREAD, IOC_OUT, sizeof(int32_t) },
	{ FIONBIO, IOC_IN, sizeof(int32_t) },
	{ TIOCNOTTY, IOC_NONE, 0 },
	{ TIOCGSID, IOC_OUT, sizeof(int32_t) },
	{ FIOASYNC, IOC_IN, sizeof(int32_t) },
	/* The disks' (XNU's numbers, whose direction bits are not Linux's). */
	{ DKIOCSYNCHRONIZECACHE, IOC_NONE, 0 },
	{ DKIOCGETBLOCKSIZE, IOC_OUT, sizeof(uint32_t) },
	{ DKIOCGETBLOCKCOUNT, IOC_OUT, sizeof(uint64_t) },
	{ DKIOCISWRITABLE, IOC_OUT, sizeof(uint32_t) },
};

/*
 * The argument's direction and size: from the table, or from Linux's
 * _IOC encoding (direction in bits 30-31, size in 16-29) for the rest.
 */
static void
ioctl_describe(unsigned long com, int *dir, size_t *size)
{
	unsigned iocdir = (unsigned)(com >> 30) & 3;
	size_t iocsize = (com >> 16) & 0x3fff;

	for (size_t i = 0; i < nitems(ioctl_table); i++) {
		if (ioctl_table[i].cmd == com) {
			*dir = ioctl_table[i].dir;
			*size = ioctl_table[i].size;
			return;
		}
	}
	*dir = IOC_VALUE;
	*size = 0;
	if (iocdir != 0 && iocsize > 0 && iocsize <= IOCTL_ARG_MAX) {
		*dir = iocdir == 1 ? IOC_IN : iocdir == 2 ? IOC_OUT : IOC_INOUT;
		*size = iocsize;
	}
}

/* FIOCLEX, FIONCLEX: the descriptor's close-on-exec flag. */
static int
ioctl_cloexec(proc_t p, int fd, bool set)
{
	struct filedesc *fdp = p->p_fd;
	int error = 0;

	proc_fdlock(p);
	if (fd < 0 || fd >= fdp->fd_nfiles || fdp->fd_ofiles[fd] == NULL ||
	    (fdp->fd_ofileflags[fd] & UF_RESERVED))
		error = EBADF;
	else if (set)
		fdp->fd_ofileflags[fd] |= UF_EXCLOSE;
	else
		fdp->fd_ofileflags[fd] &= (uint8_t)~UF_EXCLOSE;
	proc_fdunlock(p);
	return error;
}

/* FIONBIO, FIOASYNC: a status flag of the open file, then the file is told. */
static void
ioctl_setflag(struct fileglob *fg, uint32_t flag, int on)
{
	lck_mtx_lock(&fg->fg_lock);
	if (on)
		fg->fg_flag |= flag;
	else
		fg->fg_flag &= ~flag;
	lck_mtx_unlock(&fg->fg_lock);
}

int
ioctl(struct proc *p, struct ioctl_args *uap, int64_t *retval)
{
	union {
		uint8_t	b[IOCTL_ARG_MAX];
		int64_t	v;
		int32_t	i;
	} data;
	unsigned long com = (uint32_t)uap->com;	/* Linux: the command is 32 bits */
	struct fileproc *fp;
	int fd = (int)uap->fd, dir, error;
	size_t size;

	*retval = 0;
	if (com == FIOCLEX || com == FIONCLEX)
		return ioctl_cloexec(p, fd, com == FIOCLEX);
	if ((error = fp_lookup(p, fd, &fp, 0)) != 0)
		return error;
	memset(&data, 0, sizeof(data));
	ioctl_describe(com, &dir, &size);
	if (dir == IOC_VALUE)
		data.v = (int64_t)uap->data;
	else if ((dir == IOC_IN || dir == IOC_INOUT) &&
	    (error = copyin(uap->data, data.b, size)) != 0)
		goto out;
	if (com == FIONBIO || com == FIOASYNC)
		ioctl_setflag(fp->fp_glob, com == FIONBIO ? O_NONBLOCK : O_ASYNC, data.i != 0);
	error = fp->fp_glob->fg_ops->fo_ioctl != NULL ?
	    fo_ioctl(fp, com, data.b, vfs_context_current()) : ENOTTY;
	if ((com == FIONBIO || com == FIOASYNC) && error == ENOTTY)
		error = 0;
	if (error == 0 && (dir == IOC_OUT || dir == IOC_INOUT))
		error = copyout(data.b, uap->data, size);
out:
	(void)fp_drop(p, fd, fp, 0);
	return error;
}

/* --- select and poll -------------------------------------------------------------- */

#define USEC_PER_SEC	1000000LL
#define POLL_READ	(POLLIN | POLLRDNORM)
#define POLL_WRITE	(POLLOUT | POLLWRNORM)

static int
fd_limit_of(proc_t p)
{
	rlim_t lim = p->p_rlimit[RLIMIT_NOFILE].rlim_cur;

	return lim > FD_MAX_HARD ? FD_MAX_HARD : (int)lim;
}

/* A relative timeout in nanoseconds (-1: none) as a deadline (0: none). */
static uint64_t
sel_deadline(int64_t timeout_ns)
{
	uint64_t d;

	if (timeout_ns < 0)
		return 0;
	d = mach_absolute_time() + (uint64_t)timeout_ns;
	return d == 0 ? 1 : d;
}

static int
timespec_ns(uint64_t uts, int64_t *ns)
{
	struct timespec ts;
	int error;

	*ns = -1;
	if (uts == 0)
		return 0;
	if ((error = copyin(uts, &ts, sizeof(ts))) != 0)
		return error;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return EINVAL;
	*ns = ts.tv_sec > INT64_MAX / (int64_t)NSEC_PER_SEC - 1 ? INT64_MAX :
	    ts.tv_sec * (int64_t)NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

/*
 * ppoll and pselect's mask: the thread's signal mask while it waits.
 * *swapped says to put *old back with sel_restoremask.
 */
static int
sel_setmask(uint64_t umask, uint64_t size, sigset_t *old, bool *swapped)
{
	struct uthread *ut = get_bsdthread_info(current_thread());
	sigset_t set;
	int error;

	*swapped = false;
	if (umask == 0 || ut == NULL)
		return 0;
	if (size != sizeof(sigset_t))
		return EINVAL;
	if ((error = copyin(umask, &set, sizeof(set))) != 0)
		return error;
	proc_signal_lock(ut->uu_proc);
	*old = ut->uu_sigmask;
	ut->uu_sigmask = set & ~sigcantmask;
	proc_signal_unlock(ut->uu_proc);
	*swapped = true;
	return 0;
}

/*
 * The mask goes back when the call returns, except after EINTR: then, as
 * for sigsuspend, the signal's handler runs with the call's mask and the
 * old one comes back after it (UT_SAS_OLDMASK; the signal code's work on
 * the way back to user mode).
 */
static void
sel_restoremask(sigset_t old, bool swapped, int error)
{
	struct uthread *ut = get_bsdthread_info(current_thread());

	if (!swapped || ut == NULL)
		return;
	proc_signal_lock(ut->uu_proc);
	if (error == EINTR) {
		ut->uu_oldmask = old;
		ut->uu_flag |= UT_SAS_OLDMASK;
	} else {
		ut->uu_sigmask = old;
	}
	proc_signal_unlock(ut->uu_proc);
}

/* One pass over the poll set; the number of entries with events. */
static int
pollscan(proc_t p, struct pollfd *fds, unsigned nfds, void *wql)
{
	vfs_context_t ctx = vfs_context_current();
	int n = 0;

	for (unsigned i = 0; i < nfds; i++) {
		struct fileproc *fp;
		int16_t ev = fds[i].events, rev = 0;

		if (fds[i].fd < 0) {
			fds[i].revents = 0;
			continue;
		}
		if (fp_lookup(p, fds[i].fd, &fp, 0) != 0) {
			fds[i].revents = POLLNVAL;
			n++;
			continue;
		}
		if ((ev & POLL_READ) && fo_select(fp, FREAD, wql, ctx))
			rev |= ev & POLL_READ;
		if ((ev & POLL_WRITE) && fo_select(fp, FWRITE, wql, ctx))
			rev |= ev & POLL_WRITE;
		if ((ev & POLLPRI) && fo_select(fp, 0, wql, ctx))
			rev |= POLLPRI;
		if (fp->fp_glob->fg_ops->fo_type == DTYPE_PIPE && pipe_hangup(fp))
			rev |= (fp->fp_glob->fg_flag & FREAD) ? POLLHUP : POLLERR;
		(void)fp_drop(p, fds[i].fd, fp, 0);
		fds[i].revents = rev;
		if (rev != 0)
			n++;
	}
	return n;
}

/*
 * Scan with scan() until something is ready, the timeout (ns; -1 none)
 * passes, or a signal interrupts (EINTR). *nready: what the last scan found.
 */
static int
sel_loop(int (*scan)(proc_t, void *, void *), proc_t p, void *arg, int64_t timeout_ns,
    int *nready)
{
	uint64_t deadline = sel_deadline(timeout_ns);

	for (;;) {
		void *wql = selscan_begin();
		int n = scan(p, arg, wql), r;

		if (n != 0 || timeout_ns == 0 || (deadline != 0 &&
		    mach_absolute_time() >= deadline)) {
			*nready = n < 0 ? 0 : n;
			return n < 0 ? -n : 0;
		}
		r = selwait(wql, deadline);
		if (r == THREAD_INTERRUPTED)
			return EINTR;
	}
}

struct pollargs {
	struct pollfd	*fds;
	unsigned	nfds;
};

static int
pollscan_cb(proc_t p, void *arg, void *wql)
{
	struct pollargs *pa = arg;

	return pollscan(p, pa->fds, pa->nfds, wql);
}

static int
dopoll(proc_t p, uint64_t ufds, uint64_t nfds, int64_t timeout_ns, int64_t *retval)
{
	struct pollargs pa = { NULL, (unsigned)nfds };
	size_t size = nfds * sizeof(struct pollfd);
	int error, n = 0;

	if (nfds > (uint64_t)fd_limit_of(p))
		return EINVAL;
	if (nfds > 0) {
		if ((pa.fds = kalloc(size)) == NULL)
			return ENOMEM;
		if ((error = copyin(ufds, pa.fds, size)) != 0)
			goto out;
	}
	error = sel_loop(pollscan_cb, p, &pa, timeout_ns, &n);
	if (error == 0 && nfds > 0)
		error = copyout(pa.fds, ufds, size);
	*retval = n;
out:
	if (pa.fds != NULL)
		kfree(pa.fds, size);
	return error;
}

int
poll(struct proc *p, struct poll_args *uap, int64_t *retval)
{
	int timeout = (int)uap->timeout;

	return dopoll(p, uap->fds, (uint32_t)uap->nfds,
	    timeout < 0 ? -1 : (int64_t)timeout * (int64_t)NSEC_PER_MSEC, retval);
}

int
ppoll(struct proc *p, struct ppoll_args *uap, int64_t *retval)
{
	sigset_t old = 0;
	bool swapped;
	int64_t ns;
	int error;

	if ((error = timespec_ns(uap->ts, &ns)) != 0)
		return error;
	if ((error = sel_setmask(uap->sigmask, uap->sigsetsize, &old, &swapped)) != 0)
		return error;
	error = dopoll(p, uap->fds, (uint32_t)uap->nfds, ns, retval);
	sel_restoremask(old, swapped, error);
	return error;
}

/* select's sets: in, out, except as given and as answered, nwords each. */
struct selargs {
	uint64_t	*ibits[3];
	uint64_t	*obits[3];
	int		nd;
	size_t		nwords;
};

static const int selwhich[3] = { FREAD, FWRITE, 0 };

/* One pass over select's sets; the count of bits answered, or -EBADF. */
static int
selscan(proc_t p, void *arg, void *wql)
{
	struct selargs *sa = arg;
	vfs_context_t ctx = vfs_context_current();
	int n = 0;

	for (int s = 0; s < 3; s++) {
		if (sa->obits[s] != NULL)
			memset(sa->obits[s], 0, sa->nwords * sizeof(uint64_t));
	}
	for (int fd = 0; fd < sa->nd; fd++) {
		uint64_t bit = 1ULL << (fd % NFDBITS);
		struct fileproc *fp;
		size_t w = (size_t)fd / NFDBITS;
		bool any = false;

		for (int s = 0; s < 3; s++)
			any |= sa->ibits[s] != NULL && (sa->ibits[s][w] & bit);
		if (!any)
			continue;
		if (fp_lookup(p, fd, &fp, 0) != 0)
			return -EBADF;
		for (int s = 0; s < 3; s++) {
			if (sa->ibits[s] != NULL && (sa->ibits[s][w] & bit) &&
			    fo_select(fp, selwhich[s], wql, ctx)) {
				sa->obits[s][w] |= bit;
				n++;
			}
		}
		(void)fp_drop(p, fd, fp, 0);
	}
	return n;
}

static int
doselect(proc_t p, int nd, const uint64_t usets[3], int64_t timeout_ns, int64_t *retval)
{
	struct selargs sa;
	size_t bytes;
	int error = 0, n = 0;

	if (nd < 0)
		return EINVAL;
	if (nd > fd_limit_of(p))
		nd = fd_limit_of(p);
	memset(&sa, 0, sizeof(sa));
	sa.nd = nd;
	sa.nwords = ((size_t)nd + NFDBITS - 1) / NFDBITS;
	bytes = sa.nwords * sizeof(uint64_t);
	for (int s = 0; s < 3 && bytes > 0; s++) {
		if (usets[s] == 0)
			continue;
		sa.ibits[s] = kalloc(bytes);
		sa.obits[s] = kalloc(bytes);
		if (sa.ibits[s] == NULL || sa.obits[s] == NULL) {
			error = ENOMEM;
			goto out;
		}
		if ((error = copyin(usets[s], sa.ibits[s], bytes)) != 0)
			goto out;
		/* Bits past nd in the last word are not looked at. */
	}
	error = sel_loop(selscan, p, &sa, timeout_ns, &n);
	for (int s = 0; s < 3 && error == 0; s++) {
		if (sa.obits[s] != NULL)
			error = copyout(sa.obits[s], usets[s], bytes);
	}
	*retval = n;
out:
	for (int s = 0; s < 3; s++) {
		if (sa.ibits[s] != NULL)
			kfree(sa.ibits[s], bytes);
		if (sa.obits[s] != NULL)
			kfree(sa.obits[s], bytes);
	}
	return error;
}

int
select(struct proc *p, struct select_args *uap, int64_t *retval)
{
	const uint64_t sets[3] = { uap->in, uap->ou, uap->ex };
	struct timeval tv;
	int64_t ns = -1;
	uint64_t start = mach_absolute_time();
	int error;

	if (uap->tv != 0) {
		if ((error = copyin(uap->tv, &tv, sizeof(tv))) != 0)
			return error;
		/* Linux carries whole seconds out of tv_usec. */
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return EINVAL;
		tv.tv_sec += tv.tv_usec / USEC_PER_SEC;
		tv.tv_usec %= USEC_PER_SEC;
		ns = tv.tv_sec > INT64_MAX / (int64_t)NSEC_PER_SEC - 1 ? INT64_MAX :
		    tv.tv_sec * (int64_t)NSEC_PER_SEC + tv.tv_usec * (int64_t)NSEC_PER_USEC;
	}
	error = doselect(p, (int)uap->nd, sets, ns, retval);
	if (uap->tv != 0 && (error == 0 || error == EINTR)) {
		/* Linux's select says how much of the timeout is left. */
		int64_t left = ns - (int64_t)(mach_absolute_time() - start);

		if (left < 0)
			left = 0;
		tv.tv_sec = left / (int64_t)NSEC_PER_SEC;
		tv.tv_usec = (left % (int64_t)NSEC_PER_SEC) / (int64_t)NSEC_PER_USEC;
		(void)copyout(&tv, uap->tv, sizeof(tv));
	}
	return error;
}

int
pselect6(struct proc *p, struct pselect6_args *uap, int64_t *retval)
{
	const uint64_t sets[3] = { uap->in, uap->ou, uap->ex };
	struct { uint64_t ss; uint64_t ss_len; } sig = { 0, 0 };
	sigset_t old = 0;
	bool swapped;
	int64_t ns;
	int error;

	if ((error = timespec_ns(uap->ts, &ns)) != 0)
		return error;
	if (uap->sig != 0 && (error = copyin(uap->sig, &sig, sizeof(sig))) != 0)
		return error;
	if ((error = sel_setmask(sig.ss, sig.ss_len, &old, &swapped)) != 0)
		return error;
	error = doselect(p, (int)uap->nd, sets, ns, retval);
	sel_restoremask(old, swapped, error);
	return error;
}
