/*
 * kern_descrip.c - descriptor tables and open files (bsd/sys/filedesc.h,
 * bsd/sys/file_internal.h), and the system calls on descriptors
 * themselves: close, dup, dup2, dup3, fcntl.
 *
 * Close and the calls in flight. fp_lookup holds a fileproc
 * (fp_iocount); close takes the descriptor out of the table at once, so
 * no new call can find it, marks the fileproc FP_CLOSING and waits until
 * the calls already in it let go before dropping the fileglob. A call
 * blocked forever in the file (a read of an empty pipe) is woken by the
 * file's own close path when it is the last reference; until then a
 * close of one of several descriptors of it does not wait on it.
 */

#include "bsd/sys/filedesc.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/fcntl.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/sysproto.h"
#include "kernel/kheap.h"
#include "libkern/cdefs.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/zalloc.h"

static lck_grp_t file_lck_grp;
static zone_t fileglob_zone, fileproc_zone;

static void
file_zones_init(void)
{
	static bool done;

	if (done)
		return;
	lck_grp_init(&file_lck_grp, "file", LCK_GRP_ATTR_NULL);
	fileglob_zone = zinit(sizeof(struct fileglob), 0, 0, "fileglob");
	fileproc_zone = zinit(sizeof(struct fileproc), 0, 0, "fileproc");
	if (fileglob_zone == ZONE_NULL || fileproc_zone == ZONE_NULL)
		panic("file_zones_init: no memory for the file zones");
	done = true;
}

/* --- open files ------------------------------------------------------------------ */

struct fileglob *
fileglob_alloc(const struct fileops *ops, void *data, uint32_t fflags, vfs_context_t ctx)
{
	struct fileglob *fg;

	file_zones_init();
	fg = zalloc(fileglob_zone);
	if (fg == NULL)
		return NULL;
	memset(fg, 0, sizeof(*fg));
	lck_mtx_init(&fg->fg_lock, &file_lck_grp, LCK_ATTR_NULL);
	fg->fg_count = 1;
	fg->fg_flag = fflags;
	fg->fg_ops = ops;
	fg->fg_data = data;
	fg->fg_cred = vfs_context_ucred(ctx);
	kauth_cred_ref(fg->fg_cred);
	return fg;
}

void
fg_ref(struct fileglob *fg)
{
	__atomic_add_fetch(&fg->fg_count, 1, __ATOMIC_RELAXED);
}

int
fg_drop(struct fileglob *fg, vfs_context_t ctx)
{
	int error = 0;

	if (__atomic_sub_fetch(&fg->fg_count, 1, __ATOMIC_ACQ_REL) != 0)
		return 0;
	if (fg->fg_ops->fo_close != NULL)
		error = fg->fg_ops->fo_close(fg, ctx);
	kauth_cred_unref(&fg->fg_cred);
	lck_mtx_destroy(&fg->fg_lock, &file_lck_grp);
	zfree(fileglob_zone, fg);
	return error;
}

static struct fileproc *
fileproc_alloc(struct fileglob *fg)
{
	struct fileproc *fp = zalloc(fileproc_zone);

	if (fp != NULL) {
		fp->fp_iocount = 1;
		fp->fp_glob = fg;
	}
	return fp;
}

int
fo_read(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	const struct fileops *ops = fp->fp_glob->fg_ops;

	return ops->fo_read != NULL ? ops->fo_read(fp, uio, flags, ctx) : EINVAL;
}

int
fo_write(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	const struct fileops *ops = fp->fp_glob->fg_ops;

	return ops->fo_write != NULL ? ops->fo_write(fp, uio, flags, ctx) : EINVAL;
}

int
fo_ioctl(struct fileproc *fp, unsigned long com, void *data, vfs_context_t ctx)
{
	const struct fileops *ops = fp->fp_glob->fg_ops;

	return ops->fo_ioctl != NULL ? ops->fo_ioctl(fp, com, data, ctx) : ENOTTY;
}

int
fo_select(struct fileproc *fp, int which, void *wql, vfs_context_t ctx)
{
	const struct fileops *ops = fp->fp_glob->fg_ops;

	return ops->fo_select != NULL ? ops->fo_select(fp, which, wql, ctx) : 1;
}

int
fo_stat(struct fileproc *fp, struct stat *sb, vfs_context_t ctx)
{
	const struct fileops *ops = fp->fp_glob->fg_ops;

	return ops->fo_stat != NULL ? ops->fo_stat(fp, sb, ctx) : EINVAL;
}

/* --- tables ------------------------------------------------------------------------ */

static int
fd_limit(proc_t p)
{
	rlim_t lim = p->p_rlimit[RLIMIT_NOFILE].rlim_cur;

	return lim > FD_MAX_HARD ? FD_MAX_HARD : (int)lim;
}

int
fdinit(proc_t p)
{
	struct filedesc *fdp = kheap_alloc(&kernel_heap, sizeof(*fdp));

	file_zones_init();
	if (fdp == NULL)
		return ENOMEM;
	memset(fdp, 0, sizeof(*fdp));
	fdp->fd_lastfile = -1;
	fdp->fd_cmask = 022;
	p->p_fd = fdp;
	return 0;
}

/* Make room for at least want + 1 slots. ENOMEM. Locks: [F] held. */
static int
fd_grow(struct filedesc *fdp, int want)
{
	int n = fdp->fd_nfiles < NDFILE ? NDFILE : fdp->fd_nfiles;
	struct fileproc **files;
	uint8_t *flags;

	while (n <= want)
		n *= 2;
	files = kheap_alloc(&kernel_heap, (size_t)n * sizeof(*files));
	flags = kheap_alloc(&kernel_heap, (size_t)n);
	if (files == NULL || flags == NULL) {
		kheap_free(&kernel_heap, files);
		kheap_free(&kernel_heap, flags);
		return ENOMEM;
	}
	memset(files, 0, (size_t)n * sizeof(*files));
	memset(flags, 0, (size_t)n);
	if (fdp->fd_nfiles > 0) {
		memcpy(files, fdp->fd_ofiles, (size_t)fdp->fd_nfiles * sizeof(*files));
		memcpy(flags, fdp->fd_ofileflags, (size_t)fdp->fd_nfiles);
		kheap_free(&kernel_heap, fdp->fd_ofiles);
		kheap_free(&kernel_heap, fdp->fd_ofileflags);
	}
	fdp->fd_ofiles = files;
	fdp->fd_ofileflags = flags;
	fdp->fd_nfiles = n;
	return 0;
}

int
fdalloc(proc_t p, int want, int *result)
{
	struct filedesc *fdp = p->p_fd;
	int lim = fd_limit(p), fd;

	if (want < 0 || want >= lim)
		return want < 0 ? EINVAL : EMFILE;
	for (fd = MAX(want, fdp->fd_freefile); fd < lim; fd++) {
		if (fd >= fdp->fd_nfiles && fd_grow(fdp, fd) != 0)
			return ENOMEM;
		if (fdp->fd_ofiles[fd] == NULL && !(fdp->fd_ofileflags[fd] & UF_RESERVED)) {
			fdp->fd_ofileflags[fd] = UF_RESERVED;
			if (fd > fdp->fd_lastfile)
				fdp->fd_lastfile = fd;
			if (want <= fdp->fd_freefile)
				fdp->fd_freefile = fd + 1;
			*result = fd;
			return 0;
		}
	}
	return EMFILE;
}

/* Recompute fd_lastfile after fd went. Locks: [F]. */
static void
fd_gone_locked(struct filedesc *fdp, int fd)
{
	if (fd < fdp->fd_freefile)
		fdp->fd_freefile = fd;
	while (fdp->fd_lastfile >= 0 && fdp->fd_ofiles[fdp->fd_lastfile] == NULL &&
	    !(fdp->fd_ofileflags[fdp->fd_lastfile] & UF_RESERVED))
		fdp->fd_lastfile--;
}

void
fdrelse(proc_t p, int fd)
{
	struct filedesc *fdp = p->p_fd;

	fdp->fd_ofiles[fd] = NULL;
	fdp->fd_ofileflags[fd] = 0;
	fd_gone_locked(fdp, fd);
}

int
fd_install_fileglob(proc_t p, struct fileglob *fg, int want, uint8_t flags, int *resultfd)
{
	struct fileproc *fp = fileproc_alloc(fg);
	int error, fd;

	if (fp == NULL)
		return ENOMEM;
	proc_fdlock(p);
	error = fdalloc(p, want, &fd);
	if (error != 0) {
		proc_fdunlock(p);
		zfree(fileproc_zone, fp);
		return error;
	}
	fg_ref(fg);
	p->p_fd->fd_ofiles[fd] = fp;
	p->p_fd->fd_ofileflags[fd] = flags;
	proc_fdunlock(p);
	*resultfd = fd;
	return 0;
}

int
falloc(proc_t p, const struct fileops *ops, void *data, uint32_t fflags,
    struct fileproc **resultfp, int *resultfd, vfs_context_t ctx)
{
	struct fileglob *fg = fileglob_alloc(ops, data, fflags, ctx);
	struct fileproc *fp;
	int error, fd;

	if (fg == NULL)
		return ENOMEM;
	fp = fileproc_alloc(fg);
	if (fp == NULL) {
		fg->fg_ops = NULL;	/* nothing to close yet: the caller keeps data */
		goto nomem;
	}
	proc_fdlock(p);
	error = fdalloc(p, 0, &fd);
	if (error != 0) {
		proc_fdunlock(p);
		zfree(fileproc_zone, fp);
		kauth_cred_unref(&fg->fg_cred);
		lck_mtx_destroy(&fg->fg_lock, &file_lck_grp);
		zfree(fileglob_zone, fg);
		return error;
	}
	fp->fp_iocount = 2;		/* the table's, and the caller's hold */
	p->p_fd->fd_ofiles[fd] = fp;
	p->p_fd->fd_ofileflags[fd] = 0;
	proc_fdunlock(p);
	*resultfp = fp;
	*resultfd = fd;
	return 0;
nomem:
	kauth_cred_unref(&fg->fg_cred);
	lck_mtx_destroy(&fg->fg_lock, &file_lck_grp);
	zfree(fileglob_zone, fg);
	return ENOMEM;
}

int
fp_lookup(proc_t p, int fd, struct fileproc **resultfp, int locked)
{
	struct filedesc *fdp = p->p_fd;
	struct fileproc *fp;

	if (!locked)
		proc_fdlock(p);
	if (fd < 0 || fd >= fdp->fd_nfiles || (fp = fdp->fd_ofiles[fd]) == NULL ||
	    (fdp->fd_ofileflags[fd] & UF_RESERVED)) {
		if (!locked)
			proc_fdunlock(p);
		return EBADF;
	}
	__atomic_add_fetch(&fp->fp_iocount, 1, __ATOMIC_ACQ_REL);
	if (!locked)
		proc_fdunlock(p);
	*resultfp = fp;
	return 0;
}

/*
 * No lock unless the call was the last in a file being closed: the
 * decrement itself says so (FP_IOCOUNT_CLOSING | 1 left). The close set
 * the flag and checks the count with the fd lock held, and sleeps on it
 * before letting go, so taking the lock to wake it cannot come too early.
 * Once the count is down the fileproc may be freed: only its address is
 * used after that, as the event.
 */
int
fp_drop(proc_t p, int fd, struct fileproc *fp, int locked)
{
	event_t closing = &fp->fp_iocount;

	(void)fd;
	if (__atomic_sub_fetch(&fp->fp_iocount, 1, __ATOMIC_ACQ_REL) !=
	    (FP_IOCOUNT_CLOSING | 1))
		return 0;
	if (!locked)
		proc_fdlock(p);
	thread_wakeup(closing);
	if (!locked)
		proc_fdunlock(p);
	return 0;
}

/*
 * Release a fileproc taken out of p's table: wait for the calls in it,
 * then drop its fileglob. Locks: none held.
 */
static int
fileproc_close(proc_t p, struct fileproc *fp, vfs_context_t ctx)
{
	struct fileglob *fg = fp->fp_glob;

	proc_fdlock(p);
	__atomic_or_fetch(&fp->fp_iocount, FP_IOCOUNT_CLOSING, __ATOMIC_ACQ_REL);
	while ((__atomic_load_n(&fp->fp_iocount, __ATOMIC_ACQUIRE) & ~FP_IOCOUNT_CLOSING) > 1)
		(void)lck_mtx_sleep(&p->p_fdmlock, LCK_SLEEP_DEFAULT, &fp->fp_iocount,
		    THREAD_UNINT);
	proc_fdunlock(p);
	zfree(fileproc_zone, fp);
	return fg_drop(fg, ctx);
}

int
fd_close(proc_t p, int fd)
{
	struct filedesc *fdp = p->p_fd;
	struct fileproc *fp;

	proc_fdlock(p);
	if (fd < 0 || fd >= fdp->fd_nfiles || (fp = fdp->fd_ofiles[fd]) == NULL ||
	    (fdp->fd_ofileflags[fd] & UF_RESERVED)) {
		proc_fdunlock(p);
		return EBADF;
	}
	fdp->fd_ofiles[fd] = NULL;
	fdp->fd_ofileflags[fd] = 0;
	fd_gone_locked(fdp, fd);
	proc_fdunlock(p);
	return fileproc_close(p, fp, vfs_context_current());
}

int
fdcopy(proc_t p, proc_t parent)
{
	struct filedesc *fdp = p->p_fd, *pfd = parent->p_fd;
	int error = 0;

	proc_fdlock(parent);
	if (pfd->fd_lastfile >= 0 && (error = fd_grow(fdp, pfd->fd_lastfile)) != 0) {
		proc_fdunlock(parent);
		return error;
	}
	for (int fd = 0; fd <= pfd->fd_lastfile; fd++) {
		struct fileproc *pfp = pfd->fd_ofiles[fd], *fp;

		if (pfp == NULL || (pfd->fd_ofileflags[fd] & UF_RESERVED))
			continue;
		fp = fileproc_alloc(pfp->fp_glob);
		if (fp == NULL) {
			error = ENOMEM;
			break;
		}
		fg_ref(pfp->fp_glob);
		fdp->fd_ofiles[fd] = fp;
		fdp->fd_ofileflags[fd] = pfd->fd_ofileflags[fd];
		fdp->fd_lastfile = fd;
	}
	fdp->fd_freefile = 0;
	fdp->fd_cmask = pfd->fd_cmask;
	fdp->fd_cdir = pfd->fd_cdir;
	fdp->fd_rdir = pfd->fd_rdir;
	(void)vnode_ref(fdp->fd_cdir);
	(void)vnode_ref(fdp->fd_rdir);
	proc_fdunlock(parent);
	return error;		/* on ENOMEM the caller frees p's table with fdfree */
}

void
fdexec(proc_t p)
{
	struct filedesc *fdp = p->p_fd;

	for (int fd = 0; fd <= fdp->fd_lastfile; fd++) {
		if (fdp->fd_ofiles[fd] != NULL && (fdp->fd_ofileflags[fd] & UF_EXCLOSE))
			(void)fd_close(p, fd);
	}
}

void
fdfree(proc_t p)
{
	struct filedesc *fdp = p->p_fd;

	if (fdp == NULL)
		return;
	for (int fd = 0; fd <= fdp->fd_lastfile; fd++) {
		if (fdp->fd_ofiles[fd] != NULL)
			(void)fd_close(p, fd);
	}
	vnode_rele(fdp->fd_cdir);
	vnode_rele(fdp->fd_rdir);
	kheap_free(&kernel_heap, fdp->fd_ofiles);
	kheap_free(&kernel_heap, fdp->fd_ofileflags);
	kheap_free(&kernel_heap, fdp);
	p->p_fd = NULL;
}

int
fd_count(proc_t p)
{
	struct filedesc *fdp = p->p_fd;
	int n = 0;

	proc_fdlock(p);
	for (int fd = 0; fd <= fdp->fd_lastfile; fd++)
		n += fdp->fd_ofiles[fd] != NULL;
	proc_fdunlock(p);
	return n;
}

/* --- system calls -------------------------------------------------------------------- */

int
close(struct proc *p, struct close_args *uap, int64_t *retval)
{
	*retval = 0;
	return fd_close(p, (int)uap->fd);
}

/*
 * Make new refer to old's file (dup2/dup3): whatever new held is closed
 * first, as one step (no other thread can get new in between). Locks:
 * none held; takes [F].
 */
static int
dup_to(proc_t p, int old, int new, uint8_t flags, int64_t *retval)
{
	struct filedesc *fdp = p->p_fd;
	struct fileproc *ofp, *nfp, *victim = NULL;

	if (new < 0 || new >= fd_limit(p))
		return EBADF;
	proc_fdlock(p);
	if (old < 0 || old >= fdp->fd_nfiles || (ofp = fdp->fd_ofiles[old]) == NULL ||
	    (fdp->fd_ofileflags[old] & UF_RESERVED)) {
		proc_fdunlock(p);
		return EBADF;
	}
	if (new >= fdp->fd_nfiles && fd_grow(fdp, new) != 0) {
		proc_fdunlock(p);
		return EMFILE;
	}
	if (fdp->fd_ofileflags[new] & UF_RESERVED) {
		proc_fdunlock(p);
		return EBUSY;		/* an open in progress owns it (Linux's answer) */
	}
	nfp = fileproc_alloc(ofp->fp_glob);
	if (nfp == NULL) {
		proc_fdunlock(p);
		return ENOMEM;
	}
	fg_ref(ofp->fp_glob);
	victim = fdp->fd_ofiles[new];
	fdp->fd_ofiles[new] = nfp;
	fdp->fd_ofileflags[new] = flags;
	if (new > fdp->fd_lastfile)
		fdp->fd_lastfile = new;
	proc_fdunlock(p);
	if (victim != NULL)
		(void)fileproc_close(p, victim, vfs_context_current());
	*retval = new;
	return 0;
}

/* A copy of old at the lowest free descriptor at or above want. */
static int
dup_lowest(proc_t p, int old, int want, uint8_t flags, int64_t *retval)
{
	struct fileproc *fp;
	int error, fd;

	if ((error = fp_lookup(p, old, &fp, 0)) != 0)
		return error;
	error = fd_install_fileglob(p, fp->fp_glob, want, flags, &fd);
	(void)fp_drop(p, old, fp, 0);
	if (error == 0)
		*retval = fd;
	return error;
}

int
dup(struct proc *p, struct dup_args *uap, int64_t *retval)
{
	return dup_lowest(p, (int)uap->fd, 0, 0, retval);
}

int
dup2(struct proc *p, struct dup2_args *uap, int64_t *retval)
{
	int old = (int)uap->from, new = (int)uap->to;

	if (old == new) {
		struct fileproc *fp;
		int error = fp_lookup(p, old, &fp, 0);

		if (error == 0) {
			(void)fp_drop(p, old, fp, 0);
			*retval = new;
		}
		return error;
	}
	return dup_to(p, old, new, 0, retval);
}

int
dup3(struct proc *p, struct dup3_args *uap, int64_t *retval)
{
	if ((uap->flags & ~(uint64_t)O_CLOEXEC) != 0 || uap->from == uap->to)
		return EINVAL;
	return dup_to(p, (int)uap->from, (int)uap->to,
	    (uap->flags & O_CLOEXEC) ? UF_EXCLOSE : 0, retval);
}

int
fcntl(struct proc *p, struct fcntl_args *uap, int64_t *retval)
{
	struct filedesc *fdp = p->p_fd;
	int fd = (int)uap->fd, error;
	struct fileproc *fp;
	struct fileglob *fg;

	switch (uap->cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((int64_t)uap->arg < 0 || uap->arg >= (uint64_t)fd_limit(p))
			return EINVAL;
		return dup_lowest(p, fd, (int)uap->arg,
		    uap->cmd == F_DUPFD_CLOEXEC ? UF_EXCLOSE : 0, retval);
	case F_GETFD:
	case F_SETFD:
		proc_fdlock(p);
		if (fd < 0 || fd >= fdp->fd_nfiles || fdp->fd_ofiles[fd] == NULL ||
		    (fdp->fd_ofileflags[fd] & UF_RESERVED)) {
			proc_fdunlock(p);
			return EBADF;
		}
		if (uap->cmd == F_GETFD) {
			*retval = (fdp->fd_ofileflags[fd] & UF_EXCLOSE) ? FD_CLOEXEC : 0;
		} else {
			fdp->fd_ofileflags[fd] = (uap->arg & FD_CLOEXEC) ? UF_EXCLOSE : 0;
			*retval = 0;
		}
		proc_fdunlock(p);
		return 0;
	case F_GETFL:
	case F_SETFL:
		if ((error = fp_lookup(p, fd, &fp, 0)) != 0)
			return error;
		fg = fp->fp_glob;
		lck_mtx_lock(&fg->fg_lock);
		if (uap->cmd == F_GETFL) {
			*retval = OFLAGS(fg->fg_flag & FMASK_ACCMODE) | (fg->fg_flag & ~FMASK_ACCMODE);
		} else {
			fg->fg_flag = (fg->fg_flag & ~FCNTLFLAGS) | ((uint32_t)uap->arg & FCNTLFLAGS);
			*retval = 0;
		}
		lck_mtx_unlock(&fg->fg_lock);
		(void)fp_drop(p, fd, fp, 0);
		return 0;
	default:
		/* Record locks and the rest come with the VFS's own calls. */
		if ((error = fp_lookup(p, fd, &fp, 0)) != 0)
			return error;
		(void)fp_drop(p, fd, fp, 0);
		return EINVAL;
	}
}
