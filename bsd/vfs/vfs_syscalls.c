/*
 * vfs_syscalls.c - the file and directory system calls (Linux numbers
 * and layouts; docs/vfs.md lists them and what each does).
 *
 * Every path comes in through copyinstr into a buffer of MAXPATHLEN
 * (EFAULT, ENAMETOOLONG); every *at() call resolves its directory
 * descriptor first (EBADF, ENOTDIR); then namei, the permission checks
 * of the caller's credential, and one VNOP. Nothing is held across a
 * return: the lookup's vnodes are put on every path out.
 */

#include "bsd/sys/sysproto.h"

#include "bsd/miscfs/specfs/specdev.h"
#include "bsd/sys/conf.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/fcntl.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/mount.h"
#include "bsd/sys/namei.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/copyio.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/kalloc.h"

#define AT_EACCESS		0x200
#define AT_NO_AUTOMOUNT		0x800
#define AT_STATX_SYNC_TYPE	0x6000
#define RENAME_NOREPLACE	0x0001
#define UTIME_NOW		((1L << 30) - 1)
#define UTIME_OMIT		((1L << 30) - 2)
#define SEEK_SET		0
#define SEEK_CUR		1
#define SEEK_END		2
#define SEEK_DATA		3
#define SEEK_HOLE		4

/* --- paths and descriptors ------------------------------------------------------------- */

/* A user path into a new MAXPATHLEN buffer (path_free). EFAULT, ENAMETOOLONG, ENOMEM. */
static int
path_copyin(user_addr_t upath, char **bufp)
{
	char *buf = namei_buf_alloc();
	vm_size_t done;
	int error;

	if (buf == NULL)
		return ENOMEM;
	error = copyinstr(upath, buf, MAXPATHLEN, &done);
	if (error != 0) {
		namei_buf_free(buf);
		return error;
	}
	*bufp = buf;
	return 0;
}

static void
path_free(char *buf)
{
	namei_buf_free(buf);
}

/* The vnode of descriptor fd, with an iocount (and its fileglob's flags). EBADF, EINVAL. */
static int
fd_vnode(proc_t p, int fd, vnode_t *vpp, uint32_t *fflagp)
{
	struct fileproc *fp;
	int error;

	if ((error = fp_lookup(p, fd, &fp, 0)) != 0)
		return error;
	if (fp->fp_glob->fg_ops != &vnops) {
		(void)fp_drop(p, fd, fp, 0);
		return EINVAL;
	}
	*vpp = fp->fp_glob->fg_data;
	if (fflagp != NULL)
		*fflagp = fp->fp_glob->fg_flag;
	error = vnode_get(*vpp);
	(void)fp_drop(p, fd, fp, 0);
	return error;
}

/*
 * A lookup relative to dirfd: nd is set up and namei'd. With emptyok
 * (AT_EMPTY_PATH), "" names dirfd itself (ni_vp, no parent). The caller
 * puts ni_vp and ni_dvp and calls nameidone. The path's buffer goes to
 * namei as it is (HASBUF), so it is copied once; on an error it is freed
 * here.
 */
static int
lookup_at(proc_t p, int dirfd, user_addr_t upath, int op, int flags, int emptyok,
    struct nameidata *nd, vfs_context_t ctx)
{
	vnode_t start = NULLVP;
	char *path;
	int error;

	if ((error = path_copyin(upath, &path)) != 0)
		return error;
	NDINIT(nd, op, flags | HASBUF, path, ctx);
	nd->ni_pathbuf = path;			/* nameidone frees it from here on */
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		error = fd_vnode(p, dirfd, &start, NULL);
		if (error == EINVAL)
			error = ENOTDIR;
		if (error == 0 && path[0] != '\0' && start->v_type != VDIR)
			error = ENOTDIR;
	}
	if (error == 0 && path[0] == '\0' && emptyok) {
		nameidone(nd);
		if (start == NULLVP) {
			/* AT_FDCWD: the current directory. */
			NDINIT(nd, op, flags, ".", ctx);
			error = namei(nd);
		} else {
			nd->ni_vp = start;
			nd->ni_dvp = NULLVP;
			start = NULLVP;
		}
	} else if (error == 0) {
		nd->ni_startdir = start;
		error = namei(nd);
	}
	if (start != NULLVP)
		vnode_put(start);
	if (error != 0)
		nameidone(nd);
	return error;
}

static void
lookup_done(struct nameidata *nd)
{
	nameidone(nd);
	if (nd->ni_vp != NULLVP)
		vnode_put(nd->ni_vp);
	if (nd->ni_dvp != NULLVP)
		vnode_put(nd->ni_dvp);
	nd->ni_vp = nd->ni_dvp = NULLVP;
}

static mode_t
proc_umask(proc_t p)
{
	mode_t m;

	proc_fdlock(p);
	m = p->p_fd->fd_cmask;
	proc_fdunlock(p);
	return m;
}

/* May ctx remove or rename vp out of the sticky directory dvp? */
static int
sticky_check(vnode_t dvp, vnode_t vp, vfs_context_t ctx)
{
	kauth_cred_t cred = vfs_context_ucred(ctx);
	struct vnode_attr dva, va;
	int error;

	if (kauth_cred_issuser(cred))
		return 0;
	if ((error = vnode_getattr(dvp, &dva, ctx)) != 0 ||
	    (error = vnode_getattr(vp, &va, ctx)) != 0)
		return error;
	if ((dva.va_mode & S_ISVTX) && va.va_uid != kauth_cred_getuid(cred) &&
	    dva.va_uid != kauth_cred_getuid(cred))
		return EPERM;
	return 0;
}

/* --- open --------------------------------------------------------------------------------- */

#define OPEN_KEEPFLAGS	(O_APPEND | O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE | \
			 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_PATH | 04000000 /* O_SYNC */)

/* Create the missing last component of nd as a regular file. */
static int
open_create(struct nameidata *nd, int mode, vnode_t *vpp, vfs_context_t ctx)
{
	proc_t p = vfs_context_proc(ctx);
	struct vnode_attr va;
	int error;

	if (nd->ni_cnd.cn_flags & TRAILINGSLASH)
		return EISDIR;
	if ((error = vnode_authorize(nd->ni_dvp, VWRITE | VEXEC, ctx)) != 0)
		return error;
	VATTR_INIT(&va);
	VATTR_SET(&va, va_mode, (mode_t)mode & ALLPERMS & ~proc_umask(p));
	return VNOP_CREATE(nd->ni_dvp, vpp, &nd->ni_cnd, &va, ctx);
}

static int
open1(proc_t p, int dirfd, user_addr_t upath, int flags, int mode, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	struct fileproc *fp;
	uint32_t fflags;
	vnode_t vp = NULLVP;
	int error, fd, created = 0, nflags;

	if ((flags & O_ACCMODE) == O_ACCMODE && !(flags & O_PATH))
		return EINVAL;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return EINVAL;		/* Linux's answer since 6.4: it cannot make a directory */
	if (flags & O_PATH)	/* FREAD for F_GETFL's sake; vnops refuse I/O on it */
		fflags = FREAD | O_PATH | (flags & (O_DIRECTORY | O_NOFOLLOW));
	else
		fflags = FFLAGS(flags & O_ACCMODE) | (flags & (OPEN_KEEPFLAGS | O_TRUNC));
	nflags = (flags & O_NOFOLLOW) || ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) ?
	    NOFOLLOW : FOLLOW;
	if ((flags & O_CREAT) && !(flags & O_PATH)) {
		if ((error = lookup_at(p, dirfd, upath, CREATE, nflags | WANTPARENT, 0, &nd, ctx)) != 0)
			return error;
		if (nd.ni_vp == NULLVP) {
			error = open_create(&nd, mode, &vp, ctx);
			created = error == 0;
		} else if (flags & O_EXCL) {
			error = EEXIST;
		} else if (nd.ni_vp->v_type == VDIR) {
			error = EISDIR;
		} else {
			vp = nd.ni_vp;
			nd.ni_vp = NULLVP;
		}
	} else {
		if ((error = lookup_at(p, dirfd, upath, LOOKUP, nflags, 0, &nd, ctx)) != 0)
			return error;
		vp = nd.ni_vp;
		nd.ni_vp = NULLVP;
	}
	lookup_done(&nd);
	if (error != 0)
		return error;
	if (vp->v_type == VLNK && !(flags & O_PATH))
		error = ELOOP;
	else if ((flags & O_DIRECTORY) && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (created)
		error = vn_open_vnode(vp, (int)(fflags & ~(uint32_t)(FREAD | FWRITE | O_TRUNC)), ctx);
	else
		error = vn_open_vnode(vp, (int)fflags, ctx);
	if (error != 0) {
		vnode_put(vp);
		return error;
	}
	fflags &= ~(uint32_t)O_TRUNC;
	if ((error = falloc(p, &vnops, vp, fflags, &fp, &fd, ctx)) != 0) {
		(void)vn_close(vp, (int)fflags, ctx);
		vnode_put(vp);
		return error;
	}
	if (flags & O_CLOEXEC) {
		proc_fdlock(p);
		p->p_fd->fd_ofileflags[fd] |= UF_EXCLOSE;
		proc_fdunlock(p);
	}
	(void)fp_drop(p, fd, fp, 0);
	vnode_put(vp);
	*retval = fd;
	return 0;
}

int
open(struct proc *p, struct open_args *uap, int64_t *retval)
{
	return open1(p, AT_FDCWD, uap->path, (int)uap->flags, (int)uap->mode, retval);
}

int
openat(struct proc *p, struct openat_args *uap, int64_t *retval)
{
	return open1(p, (int)uap->fd, uap->path, (int)uap->flags, (int)uap->mode, retval);
}

int
creat(struct proc *p, struct creat_args *uap, int64_t *retval)
{
	return open1(p, AT_FDCWD, uap->path, O_WRONLY | O_CREAT | O_TRUNC, (int)uap->mode, retval);
}

/* --- positions and status --------------------------------------------------------------- */

int
lseek(struct proc *p, struct lseek_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct fileproc *fp;
	struct fileglob *fg;
	struct vnode_attr va;
	off_t off = (off_t)uap->offset, base;
	vnode_t vp;
	int error;

	if ((error = fp_lookup(p, (int)uap->fd, &fp, 0)) != 0)
		return error;
	fg = fp->fp_glob;
	if (fg->fg_ops != &vnops) {
		(void)fp_drop(p, (int)uap->fd, fp, 0);
		return ESPIPE;
	}
	vp = fg->fg_data;
	if (vp->v_type == VFIFO) {
		(void)fp_drop(p, (int)uap->fd, fp, 0);
		return ESPIPE;
	}
	if (vp->v_type == VCHR && !spec_isdisk(vp)) {	/* a disk: positioned as a file */
		const struct cdevsw *csw = cdevsw_lookup(major(vp->v_rdev));

		(void)fp_drop(p, (int)uap->fd, fp, 0);
		if (csw == NULL || csw->d_type == D_TTY || major(vp->v_rdev) == CONSOLE_MAJOR ||
		    major(vp->v_rdev) == CTTY_MAJOR)
			return ESPIPE;
		*retval = 0;		/* the memory devices: no position to keep */
		return 0;
	}
	error = vnode_getattr(vp, &va, ctx);
	lck_mtx_lock(&fg->fg_lock);
	if (error == 0) {
		switch ((int)uap->whence) {
		case SEEK_SET:	base = 0; break;
		case SEEK_CUR:	base = fg->fg_offset; break;
		case SEEK_END:	base = va.va_data_size; break;
		case SEEK_DATA:
		case SEEK_HOLE:
			if (vp->v_type != VREG || off < 0 || off >= va.va_data_size) {
				error = ENXIO;
				break;
			}
			base = 0;
			if ((int)uap->whence == SEEK_HOLE)
				off = va.va_data_size;
			break;
		default:	error = EINVAL; break;
		}
	}
	if (error == 0) {
		if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
			error = EINVAL;
		else
			fg->fg_offset = base + off;
		*retval = fg->fg_offset;
	}
	lck_mtx_unlock(&fg->fg_lock);
	(void)fp_drop(p, (int)uap->fd, fp, 0);
	return error;
}

static int
stat_at(proc_t p, int dirfd, user_addr_t upath, int flag, user_addr_t ub)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	struct stat sb;
	int error;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return EINVAL;
	error = lookup_at(p, dirfd, upath, LOOKUP,
	    (flag & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW, (flag & AT_EMPTY_PATH) != 0, &nd,
	    ctx);
	if (error != 0)
		return error;
	error = vn_stat(nd.ni_vp, &sb, ctx);
	lookup_done(&nd);
	if (error == 0)
		error = copyout(&sb, ub, sizeof(sb));
	return error;
}

int
stat(struct proc *p, struct stat_args *uap, int64_t *retval)
{
	*retval = 0;
	return stat_at(p, AT_FDCWD, uap->path, 0, uap->ub);
}

int
lstat(struct proc *p, struct lstat_args *uap, int64_t *retval)
{
	*retval = 0;
	return stat_at(p, AT_FDCWD, uap->path, AT_SYMLINK_NOFOLLOW, uap->ub);
}

int
newfstatat(struct proc *p, struct newfstatat_args *uap, int64_t *retval)
{
	*retval = 0;
	return stat_at(p, (int)uap->fd, uap->path, (int)uap->flag, uap->ub);
}

int
fstat(struct proc *p, struct fstat_args *uap, int64_t *retval)
{
	struct fileproc *fp;
	struct stat sb;
	int error;

	*retval = 0;
	if ((error = fp_lookup(p, (int)uap->fd, &fp, 0)) != 0)
		return error;
	error = fo_stat(fp, &sb, vfs_context_current());
	(void)fp_drop(p, (int)uap->fd, fp, 0);
	if (error == 0)
		error = copyout(&sb, uap->ub, sizeof(sb));
	return error;
}

/* Linux's struct statx. */
struct statx_timestamp {
	int64_t		tv_sec;
	uint32_t	tv_nsec;
	int32_t		__reserved;
};

struct statx {
	uint32_t	stx_mask;
	uint32_t	stx_blksize;
	uint64_t	stx_attributes;
	uint32_t	stx_nlink;
	uint32_t	stx_uid;
	uint32_t	stx_gid;
	uint16_t	stx_mode;
	uint16_t	__spare0;
	uint64_t	stx_ino;
	uint64_t	stx_size;
	uint64_t	stx_blocks;
	uint64_t	stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t	stx_rdev_major, stx_rdev_minor;
	uint32_t	stx_dev_major, stx_dev_minor;
	uint64_t	__spare2[14];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx is Linux's");

#define STATX_BASIC_STATS	0x07ff

static void
statx_time(struct statx_timestamp *t, const struct timespec *ts)
{
	t->tv_sec = ts->tv_sec;
	t->tv_nsec = (uint32_t)ts->tv_nsec;
}

int
statx(struct proc *p, struct statx_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	struct vnode_attr va;
	struct statx sx;
	int flag = (int)uap->flag, error;

	*retval = 0;
	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return EINVAL;
	if (uap->mask & 0x80000000u)
		return EINVAL;
	error = lookup_at(p, (int)uap->fd, uap->path, LOOKUP,
	    (flag & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW, (flag & AT_EMPTY_PATH) != 0, &nd,
	    ctx);
	if (error != 0)
		return error;
	error = vnode_getattr(nd.ni_vp, &va, ctx);
	lookup_done(&nd);
	if (error != 0)
		return error;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = va.va_iosize != 0 ? va.va_iosize : 4096;
	sx.stx_nlink = (uint32_t)va.va_nlink;
	sx.stx_uid = va.va_uid;
	sx.stx_gid = va.va_gid;
	sx.stx_mode = (uint16_t)va.va_mode;
	sx.stx_ino = va.va_fileid;
	sx.stx_size = (uint64_t)va.va_data_size;
	sx.stx_blocks = (va.va_data_alloc + 511) / 512;
	statx_time(&sx.stx_atime, &va.va_access_time);
	statx_time(&sx.stx_mtime, &va.va_modify_time);
	statx_time(&sx.stx_ctime, &va.va_change_time);
	if (va.va_type == VCHR) {
		sx.stx_rdev_major = (uint32_t)major(va.va_rdev);
		sx.stx_rdev_minor = (uint32_t)minor(va.va_rdev);
	}
	sx.stx_dev_major = (uint32_t)major(va.va_fsid);
	sx.stx_dev_minor = (uint32_t)minor(va.va_fsid);
	return copyout(&sx, uap->buf, sizeof(sx));
}

int
getdents64(struct proc *p, struct getdents64_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct fileproc *fp;
	struct fileglob *fg;
	struct uio uio;
	uint64_t count = MIN(uap->count, (uint64_t)0x7ffff000);
	int error, eof = 0, n = 0;
	vnode_t vp;

	if ((error = fp_lookup(p, (int)uap->fd, &fp, 0)) != 0)
		return error;
	fg = fp->fp_glob;
	if (fg->fg_ops != &vnops || (fg->fg_flag & O_PATH)) {
		(void)fp_drop(p, (int)uap->fd, fp, 0);
		return fg->fg_ops != &vnops ? ENOTDIR : EBADF;
	}
	vp = fg->fg_data;
	lck_mtx_lock(&fg->fg_lock);
	uio_init(&uio, uap->buf, count, fg->fg_offset, UIO_USERSPACE64, UIO_READ);
	error = vp->v_type != VDIR ? ENOTDIR : VNOP_READDIR(vp, &uio, 0, &eof, &n, ctx);
	if (error == 0 && n == 0 && !eof)
		error = EINVAL;		/* not even one entry fits */
	if (n > 0)
		fg->fg_offset = uio_offset(&uio);
	lck_mtx_unlock(&fg->fg_lock);
	(void)fp_drop(p, (int)uap->fd, fp, 0);
	if (n > 0)
		error = 0;		/* what was copied counts */
	*retval = (int64_t)(count - (uint64_t)uio_resid(&uio));
	return error;
}

/* --- making and removing names ------------------------------------------------------------ */

static int
mkdir1(proc_t p, int dirfd, user_addr_t upath, int mode)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	struct vnode_attr va;
	vnode_t vp = NULLVP;
	int error;

	error = lookup_at(p, dirfd, upath, CREATE, NOFOLLOW | WANTPARENT, 0, &nd, ctx);
	if (error != 0)
		return error;
	if (nd.ni_vp != NULLVP) {
		error = EEXIST;
	} else if ((error = vnode_authorize(nd.ni_dvp, VWRITE | VEXEC, ctx)) == 0) {
		VATTR_INIT(&va);
		VATTR_SET(&va, va_mode, (mode_t)mode & 07777 & ~proc_umask(p));
		error = VNOP_MKDIR(nd.ni_dvp, &vp, &nd.ni_cnd, &va, ctx);
	}
	lookup_done(&nd);
	if (vp != NULLVP)
		vnode_put(vp);
	return error;
}

int
mkdir(struct proc *p, struct mkdir_args *uap, int64_t *retval)
{
	*retval = 0;
	return mkdir1(p, AT_FDCWD, uap->path, (int)uap->mode);
}

int
mkdirat(struct proc *p, struct mkdirat_args *uap, int64_t *retval)
{
	*retval = 0;
	return mkdir1(p, (int)uap->fd, uap->path, (int)uap->mode);
}

static int
mknod1(proc_t p, int dirfd, user_addr_t upath, int mode, uint64_t ldev)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	struct vnode_attr va;
	vnode_t vp = NULLVP;
	unsigned ma = (unsigned)(((ldev >> 8) & 0xfff) | ((ldev >> 32) & ~0xfffULL));
	unsigned mi = (unsigned)((ldev & 0xff) | ((ldev >> 12) & ~0xffULL));
	int error;

	VATTR_INIT(&va);
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		va.va_type = VREG;
		break;
	case S_IFCHR:
		if (!kauth_cred_issuser(vfs_context_ucred(ctx)))
			return EPERM;
		if (ma > 0xff || mi > 0xffffff)
			return EINVAL;
		va.va_type = VCHR;
		va.va_rdev = makedev(ma, mi);
		break;
	case S_IFIFO:
		va.va_type = VFIFO;
		break;
	case S_IFSOCK:
	case S_IFBLK:
		return EPERM;		/* no sockets in the filesystem, no block devices */
	default:
		return EINVAL;
	}
	error = lookup_at(p, dirfd, upath, CREATE, NOFOLLOW | WANTPARENT, 0, &nd, ctx);
	if (error != 0)
		return error;
	if (nd.ni_vp != NULLVP) {
		error = EEXIST;
	} else if (nd.ni_cnd.cn_flags & TRAILINGSLASH) {
		error = ENOENT;		/* only a directory may be named with a slash */
	} else if ((error = vnode_authorize(nd.ni_dvp, VWRITE | VEXEC, ctx)) == 0) {
		VATTR_SET(&va, va_mode, (mode_t)mode & ALLPERMS & ~proc_umask(p));
		error = va.va_type == VREG ? VNOP_CREATE(nd.ni_dvp, &vp, &nd.ni_cnd, &va, ctx) :
		    VNOP_MKNOD(nd.ni_dvp, &vp, &nd.ni_cnd, &va, ctx);
	}
	lookup_done(&nd);
	if (vp != NULLVP)
		vnode_put(vp);
	return error;
}

int
mknod(struct proc *p, struct mknod_args *uap, int64_t *retval)
{
	*retval = 0;
	return mknod1(p, AT_FDCWD, uap->path, (int)uap->mode, uap->dev);
}

int
mknodat(struct proc *p, struct mknodat_args *uap, int64_t *retval)
{
	*retval = 0;
	return mknod1(p, (int)uap->fd, uap->path, (int)uap->mode, uap->dev);
}

/* unlink (dir 0) and rmdir (dir 1) of a path. */
static int
remove1(proc_t p, int dirfd, user_addr_t upath, int dir)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	vnode_t vp;
	int error;

	error = lookup_at(p, dirfd, upath, DELETE, NOFOLLOW | WANTPARENT | NOCROSSMOUNT, 0, &nd,
	    ctx);
	if (error != 0)
		return error;
	vp = nd.ni_vp;
	if (nd.ni_dvp == NULLVP)
		error = dir ? EBUSY : EISDIR;		/* "/" */
	else if (dir && (nd.ni_cnd.cn_flags & ISDOT))
		error = EINVAL;
	else if (dir && (nd.ni_cnd.cn_flags & ISDOTDOT))
		error = ENOTEMPTY;
	else if (dir && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!dir && vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_mountedhere != NULL || (vp->v_flag & VROOT))
		error = EBUSY;
	else if ((error = vnode_authorize(nd.ni_dvp, VWRITE | VEXEC, ctx)) == 0 &&
	    (error = sticky_check(nd.ni_dvp, vp, ctx)) == 0)
		error = dir ? VNOP_RMDIR(nd.ni_dvp, vp, &nd.ni_cnd, ctx) :
		    VNOP_REMOVE(nd.ni_dvp, vp, &nd.ni_cnd, 0, ctx);
	lookup_done(&nd);
	return error;
}

int
unlink(struct proc *p, struct unlink_args *uap, int64_t *retval)
{
	*retval = 0;
	return remove1(p, AT_FDCWD, uap->path, 0);
}

int
rmdir(struct proc *p, struct rmdir_args *uap, int64_t *retval)
{
	*retval = 0;
	return remove1(p, AT_FDCWD, uap->path, 1);
}

int
unlinkat(struct proc *p, struct unlinkat_args *uap, int64_t *retval)
{
	*retval = 0;
	if (uap->flag & ~(uint64_t)AT_REMOVEDIR)
		return EINVAL;
	return remove1(p, (int)uap->fd, uap->path, (uap->flag & AT_REMOVEDIR) != 0);
}

static int
rename_checks(struct nameidata *fnd, struct nameidata *tnd, unsigned flags, vfs_context_t ctx)
{
	vnode_t fvp = fnd->ni_vp, tvp = tnd->ni_vp;
	int error;

	if (fnd->ni_dvp == NULLVP || tnd->ni_dvp == NULLVP ||
	    (fnd->ni_cnd.cn_flags & (ISDOT | ISDOTDOT)) ||
	    (tnd->ni_cnd.cn_flags & (ISDOT | ISDOTDOT)))
		return EBUSY;
	if (fnd->ni_dvp->v_mount != tnd->ni_dvp->v_mount)
		return EXDEV;
	if (fvp->v_mountedhere != NULL || (fvp->v_flag & VROOT) ||
	    (tvp != NULLVP && (tvp->v_mountedhere != NULL || (tvp->v_flag & VROOT))))
		return EBUSY;
	if (tvp == NULLVP && (tnd->ni_cnd.cn_flags & TRAILINGSLASH) && fvp->v_type != VDIR)
		return ENOTDIR;
	if (tvp != NULLVP && (flags & RENAME_NOREPLACE))
		return EEXIST;
	if ((error = vnode_authorize(fnd->ni_dvp, VWRITE | VEXEC, ctx)) != 0 ||
	    (error = vnode_authorize(tnd->ni_dvp, VWRITE | VEXEC, ctx)) != 0 ||
	    (error = sticky_check(fnd->ni_dvp, fvp, ctx)) != 0)
		return error;
	if (tvp != NULLVP && (error = sticky_check(tnd->ni_dvp, tvp, ctx)) != 0)
		return error;
	return 0;
}

static int
rename1(proc_t p, int fromfd, user_addr_t from, int tofd, user_addr_t to, unsigned flags)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata fnd, tnd;
	int error;

	if (flags & ~(unsigned)RENAME_NOREPLACE)
		return EINVAL;
	error = lookup_at(p, fromfd, from, DELETE, NOFOLLOW | WANTPARENT | NOCROSSMOUNT, 0, &fnd,
	    ctx);
	if (error != 0)
		return error;
	error = lookup_at(p, tofd, to, RENAME, NOFOLLOW | WANTPARENT | NOCROSSMOUNT, 0, &tnd, ctx);
	if (error != 0) {
		lookup_done(&fnd);
		return error;
	}
	error = rename_checks(&fnd, &tnd, flags, ctx);
	if (error == 0 && tnd.ni_vp != fnd.ni_vp)
		error = VNOP_RENAME(fnd.ni_dvp, fnd.ni_vp, &fnd.ni_cnd, tnd.ni_dvp, tnd.ni_vp,
		    &tnd.ni_cnd, ctx);
	lookup_done(&tnd);
	lookup_done(&fnd);
	return error;
}

int
rename(struct proc *p, struct rename_args *uap, int64_t *retval)
{
	*retval = 0;
	return rename1(p, AT_FDCWD, uap->from, AT_FDCWD, uap->to, 0);
}

int
renameat(struct proc *p, struct renameat_args *uap, int64_t *retval)
{
	*retval = 0;
	return rename1(p, (int)uap->fromfd, uap->from, (int)uap->tofd, uap->to, 0);
}

int
renameat2(struct proc *p, struct renameat2_args *uap, int64_t *retval)
{
	*retval = 0;
	return rename1(p, (int)uap->fromfd, uap->from, (int)uap->tofd, uap->to,
	    (unsigned)uap->flags);
}

static int
link1(proc_t p, int fd1, user_addr_t upath, int fd2, user_addr_t ulink, int flag)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd, tnd;
	int error;

	if (flag & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	error = lookup_at(p, fd1, upath, LOOKUP, (flag & AT_SYMLINK_FOLLOW) ? FOLLOW : NOFOLLOW,
	    (flag & AT_EMPTY_PATH) != 0, &nd, ctx);
	if (error != 0)
		return error;
	if (nd.ni_vp->v_type == VDIR) {
		lookup_done(&nd);
		return EPERM;
	}
	error = lookup_at(p, fd2, ulink, CREATE, NOFOLLOW | WANTPARENT, 0, &tnd, ctx);
	if (error == 0) {
		if (tnd.ni_vp != NULLVP)
			error = EEXIST;
		else if (tnd.ni_cnd.cn_flags & TRAILINGSLASH)
			error = ENOENT;
		else if (tnd.ni_dvp->v_mount != nd.ni_vp->v_mount)
			error = EXDEV;
		else if ((error = vnode_authorize(tnd.ni_dvp, VWRITE | VEXEC, ctx)) == 0)
			error = VNOP_LINK(nd.ni_vp, tnd.ni_dvp, &tnd.ni_cnd, ctx);
		lookup_done(&tnd);
	}
	lookup_done(&nd);
	return error;
}

int
link(struct proc *p, struct link_args *uap, int64_t *retval)
{
	*retval = 0;
	return link1(p, AT_FDCWD, uap->path, AT_FDCWD, uap->link, 0);
}

int
linkat(struct proc *p, struct linkat_args *uap, int64_t *retval)
{
	*retval = 0;
	return link1(p, (int)uap->fd1, uap->path, (int)uap->fd2, uap->link, (int)uap->flag);
}

static int
symlink1(proc_t p, user_addr_t utarget, int dirfd, user_addr_t ulink)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	struct vnode_attr va;
	vnode_t vp = NULLVP;
	char *target;
	int error;

	if ((error = path_copyin(utarget, &target)) != 0)
		return error;
	if (target[0] == '\0') {
		path_free(target);
		return ENOENT;
	}
	error = lookup_at(p, dirfd, ulink, CREATE, NOFOLLOW | WANTPARENT, 0, &nd, ctx);
	if (error == 0) {
		if (nd.ni_vp != NULLVP) {
			error = EEXIST;
		} else if (nd.ni_cnd.cn_flags & TRAILINGSLASH) {
			error = ENOENT;
		} else if ((error = vnode_authorize(nd.ni_dvp, VWRITE | VEXEC, ctx)) == 0) {
			VATTR_INIT(&va);
			VATTR_SET(&va, va_mode, 0777);
			error = VNOP_SYMLINK(nd.ni_dvp, &vp, &nd.ni_cnd, &va, target, ctx);
		}
		lookup_done(&nd);
	}
	if (vp != NULLVP)
		vnode_put(vp);
	path_free(target);
	return error;
}

int
symlink(struct proc *p, struct symlink_args *uap, int64_t *retval)
{
	*retval = 0;
	return symlink1(p, uap->path, AT_FDCWD, uap->link);
}

int
symlinkat(struct proc *p, struct symlinkat_args *uap, int64_t *retval)
{
	*retval = 0;
	return symlink1(p, uap->path, (int)uap->fd, uap->link);
}

static int
readlink1(proc_t p, int dirfd, user_addr_t upath, user_addr_t buf, uint64_t size,
    int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	struct uio uio;
	int error;

	if ((int64_t)size <= 0)
		return EINVAL;
	size = MIN(size, (uint64_t)0x7ffff000);
	error = lookup_at(p, dirfd, upath, LOOKUP, NOFOLLOW, 1, &nd, ctx);
	if (error != 0)
		return error;
	if (nd.ni_vp->v_type != VLNK) {
		error = nd.ni_pathbuf == NULL ? ENOENT : EINVAL;	/* "" names no link */
	} else {
		uio_init(&uio, buf, size, 0, UIO_USERSPACE64, UIO_READ);
		error = VNOP_READLINK(nd.ni_vp, &uio, ctx);
		*retval = (int64_t)(size - (uint64_t)uio_resid(&uio));
	}
	lookup_done(&nd);
	return error;
}

int
readlink(struct proc *p, struct readlink_args *uap, int64_t *retval)
{
	return readlink1(p, AT_FDCWD, uap->path, uap->buf, uap->count, retval);
}

int
readlinkat(struct proc *p, struct readlinkat_args *uap, int64_t *retval)
{
	return readlink1(p, (int)uap->fd, uap->path, uap->buf, uap->bufsize, retval);
}

/* --- directories of the process ---------------------------------------------------------- */

/* Make vp (held) p's current (root 0) or root (root 1) directory. */
static int
change_dir(proc_t p, vnode_t vp, int root, vfs_context_t ctx)
{
	vnode_t old;
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if ((error = vnode_authorize(vp, VEXEC, ctx)) != 0)
		return error;
	(void)vnode_ref(vp);
	proc_fdlock(p);
	if (root) {
		old = p->p_fd->fd_rdir;
		p->p_fd->fd_rdir = vp;
	} else {
		old = p->p_fd->fd_cdir;
		p->p_fd->fd_cdir = vp;
	}
	proc_fdunlock(p);
	vnode_rele(old);
	return 0;
}

int
chdir(struct proc *p, struct chdir_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	int error;

	*retval = 0;
	if ((error = lookup_at(p, AT_FDCWD, uap->path, LOOKUP, FOLLOW, 0, &nd, ctx)) != 0)
		return error;
	error = change_dir(p, nd.ni_vp, 0, ctx);
	lookup_done(&nd);
	return error;
}

int
fchdir(struct proc *p, struct fchdir_args *uap, int64_t *retval)
{
	vnode_t vp;
	int error;

	*retval = 0;
	if ((error = fd_vnode(p, (int)uap->fd, &vp, NULL)) != 0)
		return error == EINVAL ? ENOTDIR : error;
	error = change_dir(p, vp, 0, vfs_context_current());
	vnode_put(vp);
	return error;
}

int
chroot(struct proc *p, struct chroot_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	int error;

	*retval = 0;
	if (!kauth_cred_issuser(vfs_context_ucred(ctx)))
		return EPERM;
	if ((error = lookup_at(p, AT_FDCWD, uap->path, LOOKUP, FOLLOW, 0, &nd, ctx)) != 0)
		return error;
	error = change_dir(p, nd.ni_vp, 1, ctx);
	lookup_done(&nd);
	return error;
}

/*
 * The name of vp (a directory) in its parent dvp, found by reading dvp:
 * into name (MAXNAMLEN + 1). ENOENT if it is not there.
 */
static int
dir_name_of(vnode_t dvp, uint64_t ino, char *name, vfs_context_t ctx)
{
	char *buf = kalloc(PAGE_SIZE);
	struct uio uio;
	off_t off = 0;
	int error = 0, eof = 0, n;

	if (buf == NULL)
		return ENOMEM;
	while (error == 0 && !eof) {
		uio_init(&uio, (uint64_t)(uintptr_t)buf, PAGE_SIZE, off, UIO_SYSSPACE, UIO_READ);
		error = VNOP_READDIR(dvp, &uio, 0, &eof, &n, ctx);
		if (error != 0 || n == 0)
			break;
		off = uio_offset(&uio);
		for (size_t pos = 0; pos < PAGE_SIZE - (size_t)uio_resid(&uio);) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + pos);

			if (d->d_ino == ino && strcmp(d->d_name, ".") != 0 &&
			    strcmp(d->d_name, "..") != 0) {
				strlcpy(name, d->d_name, MAXNAMLEN + 1);
				kfree(buf, PAGE_SIZE);
				return 0;
			}
			pos += d->d_reclen;
		}
	}
	kfree(buf, PAGE_SIZE);
	return error != 0 ? error : ENOENT;
}

/* Build the path of vp (held; consumed) up to rdir, at the end of path (MAXPATHLEN). */
static int
build_path(vnode_t vp, vnode_t rdir, char *path, size_t *startp, vfs_context_t ctx)
{
	struct componentname cn = { .cn_nameiop = LOOKUP, .cn_flags = ISDOTDOT,
	    .cn_context = ctx, .cn_nameptr = "..", .cn_namelen = 2 };
	char name[MAXNAMLEN + 1];
	size_t start = MAXPATHLEN - 1;
	struct vnode_attr va;
	vnode_t dvp;
	int error = 0;

	path[start] = '\0';
	while (vp != rdir && vp != rootvnode) {
		if ((vp->v_flag & VROOT) && vp->v_mount->mnt_vnodecovered != NULLVP) {
			dvp = vp->v_mount->mnt_vnodecovered;
			if ((error = vnode_get(dvp)) != 0)
				break;
			vnode_put(vp);
			vp = dvp;
			continue;
		}
		if ((error = vnode_getattr(vp, &va, ctx)) != 0 ||
		    (error = VNOP_LOOKUP(vp, &dvp, &cn, ctx)) != 0)
			break;
		error = dir_name_of(dvp, va.va_fileid, name, ctx);
		vnode_put(vp);
		vp = dvp;
		if (error != 0)
			break;
		if (strlen(name) + 1 > start) {
			error = ENAMETOOLONG;
			break;
		}
		start -= strlen(name);
		memcpy(path + start, name, strlen(name));
		path[--start] = '/';
	}
	vnode_put(vp);
	if (error == 0 && path[start] == '\0')
		path[--start] = '/';
	*startp = start;
	return error;
}

int
getcwd(struct proc *p, struct getcwd_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	vnode_t cwd, rdir;
	size_t start, len;
	char *path;
	int error;

	if ((path = kalloc(MAXPATHLEN)) == NULL)
		return ENOMEM;
	proc_fdlock(p);
	cwd = p->p_fd->fd_cdir != NULLVP ? p->p_fd->fd_cdir : rootvnode;
	rdir = p->p_fd->fd_rdir != NULLVP ? p->p_fd->fd_rdir : rootvnode;
	error = vnode_get(cwd);
	proc_fdunlock(p);
	if (error == 0)
		error = build_path(cwd, rdir, path, &start, ctx);
	if (error == 0) {
		len = MAXPATHLEN - start;	/* with the NUL */
		if (len > uap->size)
			error = ERANGE;
		else
			error = copyout(path + start, uap->buf, len);
		*retval = (int64_t)len;
	}
	kfree(path, MAXPATHLEN);
	return error;
}

int
umask(struct proc *p, struct umask_args *uap, int64_t *retval)
{
	proc_fdlock(p);
	*retval = p->p_fd->fd_cmask;
	p->p_fd->fd_cmask = (mode_t)uap->newmask & 0777;
	proc_fdunlock(p);
	return 0;
}

/* --- attributes ----------------------------------------------------------------------------- */

/* Only the owner (or root) may change vp's mode, owner or times. */
static int
owner_check(vnode_t vp, struct vnode_attr *va, vfs_context_t ctx)
{
	kauth_cred_t cred = vfs_context_ucred(ctx);
	int error;

	if ((error = vnode_getattr(vp, va, ctx)) != 0)
		return error;
	if (vp->v_mount != NULL && vfs_isrdonly(vp->v_mount))
		return EROFS;
	if (!kauth_cred_issuser(cred) && kauth_cred_getuid(cred) != va->va_uid)
		return EPERM;
	return 0;
}

static int
chmod_vnode(vnode_t vp, int mode, vfs_context_t ctx)
{
	kauth_cred_t cred = vfs_context_ucred(ctx);
	struct vnode_attr va;
	mode_t m = (mode_t)mode & ALLPERMS;
	int error;

	if ((error = owner_check(vp, &va, ctx)) != 0)
		return error;
	if (!kauth_cred_issuser(cred) && (m & S_ISGID) && !kauth_cred_ismember_gid(cred, va.va_gid))
		m &= ~(mode_t)S_ISGID;
	VATTR_INIT(&va);
	VATTR_SET(&va, va_mode, m);
	return vnode_setattr(vp, &va, ctx);
}

static int
chown_vnode(vnode_t vp, uid_t uid, gid_t gid, vfs_context_t ctx)
{
	kauth_cred_t cred = vfs_context_ucred(ctx);
	struct vnode_attr va, nva;
	int error;

	if ((error = vnode_getattr(vp, &va, ctx)) != 0)
		return error;
	if (vp->v_mount != NULL && vfs_isrdonly(vp->v_mount))
		return EROFS;
	if (!kauth_cred_issuser(cred)) {
		if (kauth_cred_getuid(cred) != va.va_uid ||
		    (uid != (uid_t)-1 && uid != va.va_uid) ||
		    (gid != (gid_t)-1 && gid != va.va_gid && !kauth_cred_ismember_gid(cred, gid)))
			return EPERM;
	}
	VATTR_INIT(&nva);
	if (uid != (uid_t)-1)
		VATTR_SET(&nva, va_uid, uid);
	if (gid != (gid_t)-1)
		VATTR_SET(&nva, va_gid, gid);
	/* A changed owner loses set-id bits on a regular file, as on Linux. */
	if (vp->v_type == VREG && (uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    (va.va_mode & (S_ISUID | S_ISGID)))
		VATTR_SET(&nva, va_mode, va.va_mode & ALLPERMS & ~(mode_t)(S_ISUID |
		    ((va.va_mode & S_IXGRP) ? S_ISGID : 0)));
	return vnode_setattr(vp, &nva, ctx);
}

int
chmod(struct proc *p, struct chmod_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	int error;

	*retval = 0;
	if ((error = lookup_at(p, AT_FDCWD, uap->path, LOOKUP, FOLLOW, 0, &nd, ctx)) != 0)
		return error;
	error = chmod_vnode(nd.ni_vp, (int)uap->mode, ctx);
	lookup_done(&nd);
	return error;
}

int
fchmodat(struct proc *p, struct fchmodat_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	int error;

	*retval = 0;
	if ((error = lookup_at(p, (int)uap->fd, uap->path, LOOKUP, FOLLOW, 0, &nd, ctx)) != 0)
		return error;
	error = chmod_vnode(nd.ni_vp, (int)uap->mode, ctx);
	lookup_done(&nd);
	return error;
}

int
fchmod(struct proc *p, struct fchmod_args *uap, int64_t *retval)
{
	vnode_t vp;
	int error;

	*retval = 0;
	if ((error = fd_vnode(p, (int)uap->fd, &vp, NULL)) != 0)
		return error;
	error = chmod_vnode(vp, (int)uap->mode, vfs_context_current());
	vnode_put(vp);
	return error;
}

static int
chown_at(proc_t p, int dirfd, user_addr_t upath, uid_t uid, gid_t gid, int flag)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	int error;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	error = lookup_at(p, dirfd, upath, LOOKUP,
	    (flag & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW, (flag & AT_EMPTY_PATH) != 0, &nd,
	    ctx);
	if (error != 0)
		return error;
	error = chown_vnode(nd.ni_vp, uid, gid, ctx);
	lookup_done(&nd);
	return error;
}

int
chown(struct proc *p, struct chown_args *uap, int64_t *retval)
{
	*retval = 0;
	return chown_at(p, AT_FDCWD, uap->path, (uid_t)uap->uid, (gid_t)uap->gid, 0);
}

int
lchown(struct proc *p, struct lchown_args *uap, int64_t *retval)
{
	*retval = 0;
	return chown_at(p, AT_FDCWD, uap->path, (uid_t)uap->uid, (gid_t)uap->gid,
	    AT_SYMLINK_NOFOLLOW);
}

int
fchownat(struct proc *p, struct fchownat_args *uap, int64_t *retval)
{
	*retval = 0;
	return chown_at(p, (int)uap->fd, uap->path, (uid_t)uap->uid, (gid_t)uap->gid,
	    (int)uap->flag);
}

int
fchown(struct proc *p, struct fchown_args *uap, int64_t *retval)
{
	vnode_t vp;
	int error;

	*retval = 0;
	if ((error = fd_vnode(p, (int)uap->fd, &vp, NULL)) != 0)
		return error;
	error = chown_vnode(vp, (uid_t)uap->uid, (gid_t)uap->gid, vfs_context_current());
	vnode_put(vp);
	return error;
}

static int
access1(proc_t p, int dirfd, user_addr_t upath, int amode, int flag)
{
	vfs_context_t ctx = vfs_context_current();
	kauth_cred_t cred = vfs_context_ucred(ctx), rcred = NOCRED;
	struct vfs_context rctx;
	struct nameidata nd;
	int error, action = 0;

	if (amode & ~7)
		return EINVAL;
	if (flag & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if (!(flag & AT_EACCESS) && (kauth_cred_getuid(cred) != kauth_cred_getruid(cred) ||
	    kauth_cred_getgid(cred) != kauth_cred_getrgid(cred))) {
		/* access(2) answers for the real ids. */
		kauth_cred_t tmp = kauth_cred_setresuid(cred, (uid_t)-1,
		    kauth_cred_getruid(cred), (uid_t)-1);

		if (tmp == NOCRED)
			return ENOMEM;
		rcred = kauth_cred_setresgid(tmp, (gid_t)-1, kauth_cred_getrgid(cred), (gid_t)-1);
		kauth_cred_unref(&tmp);
		if (rcred == NOCRED)
			return ENOMEM;
		rctx.vc_thread = ctx->vc_thread;
		rctx.vc_ucred = rcred;
		ctx = &rctx;
	}
	error = lookup_at(p, dirfd, upath, LOOKUP,
	    (flag & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW, (flag & AT_EMPTY_PATH) != 0, &nd,
	    ctx);
	if (error == 0) {
		action = ((amode & 4) ? VREAD : 0) | ((amode & 2) ? VWRITE : 0) |
		    ((amode & 1) ? VEXEC : 0);
		if (action != 0)
			error = vnode_authorize(nd.ni_vp, action, ctx);
		lookup_done(&nd);
	}
	if (rcred != NOCRED)
		kauth_cred_unref(&rcred);
	return error;
}

int
access(struct proc *p, struct access_args *uap, int64_t *retval)
{
	*retval = 0;
	return access1(p, AT_FDCWD, uap->path, (int)uap->amode, 0);
}

int
faccessat(struct proc *p, struct faccessat_args *uap, int64_t *retval)
{
	*retval = 0;
	return access1(p, (int)uap->fd, uap->path, (int)uap->amode, 0);
}

int
faccessat2(struct proc *p, struct faccessat2_args *uap, int64_t *retval)
{
	*retval = 0;
	return access1(p, (int)uap->fd, uap->path, (int)uap->amode, (int)uap->flag);
}

static int
truncate_vnode(vnode_t vp, off_t length, vfs_context_t ctx)
{
	struct vnode_attr va;

	VATTR_INIT(&va);
	VATTR_SET(&va, va_data_size, length);
	return vnode_setattr(vp, &va, ctx);
}

int
truncate(struct proc *p, struct truncate_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	int error;

	*retval = 0;
	if ((int64_t)uap->length < 0)
		return EINVAL;
	if ((error = lookup_at(p, AT_FDCWD, uap->path, LOOKUP, FOLLOW, 0, &nd, ctx)) != 0)
		return error;
	if (nd.ni_vp->v_type == VDIR)
		error = EISDIR;
	else if (nd.ni_vp->v_type != VREG)
		error = EINVAL;
	else if ((error = vnode_authorize(nd.ni_vp, VWRITE, ctx)) == 0)
		error = truncate_vnode(nd.ni_vp, (off_t)uap->length, ctx);
	lookup_done(&nd);
	return error;
}

int
ftruncate(struct proc *p, struct ftruncate_args *uap, int64_t *retval)
{
	uint32_t fflag;
	vnode_t vp;
	int error;

	*retval = 0;
	if ((int64_t)uap->length < 0)
		return EINVAL;
	if ((error = fd_vnode(p, (int)uap->fd, &vp, &fflag)) != 0)
		return error;
	if (vp->v_type != VREG || !(fflag & FWRITE))
		error = EINVAL;
	else
		error = truncate_vnode(vp, (off_t)uap->length, vfs_context_current());
	vnode_put(vp);
	return error;
}

int
utimensat(struct proc *p, struct utimensat_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	kauth_cred_t cred = vfs_context_ucred(ctx);
	struct timespec ts[2], now;
	struct nameidata nd;
	struct vnode_attr va;
	uint32_t secs, nsecs;
	int error, flag = (int)uap->flag, allnow = 1;
	vnode_t vp;

	*retval = 0;
	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	clock_get_calendar_nanotime(&secs, &nsecs);
	now.tv_sec = secs;
	now.tv_nsec = nsecs;
	if (uap->times == 0) {
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
	} else if ((error = copyin(uap->times, ts, sizeof(ts))) != 0) {
		return error;
	}
	for (int i = 0; i < 2; i++) {
		if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
		    (ts[i].tv_nsec < 0 || ts[i].tv_nsec > 999999999))
			return EINVAL;
		if (ts[i].tv_nsec != UTIME_NOW)
			allnow = 0;
	}
	if (uap->path == 0) {
		/* futimens: the descriptor itself. */
		if ((error = fd_vnode(p, (int)uap->fd, &vp, NULL)) != 0)
			return error;
		nd.ni_vp = vp;
		nd.ni_dvp = NULLVP;
		nd.ni_pathbuf = NULL;
	} else if ((error = lookup_at(p, (int)uap->fd, uap->path, LOOKUP,
	    (flag & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW, (flag & AT_EMPTY_PATH) != 0, &nd,
	    ctx)) != 0) {
		return error;
	}
	vp = nd.ni_vp;
	error = owner_check(vp, &va, ctx);
	if (error == EPERM && allnow)
		error = vnode_authorize(vp, VWRITE, ctx);	/* "now" needs only write access */
	(void)cred;
	if (error == 0) {
		VATTR_INIT(&va);
		if (ts[0].tv_nsec != UTIME_OMIT)
			VATTR_SET(&va, va_access_time, ts[0].tv_nsec == UTIME_NOW ? now : ts[0]);
		if (ts[1].tv_nsec != UTIME_OMIT)
			VATTR_SET(&va, va_modify_time, ts[1].tv_nsec == UTIME_NOW ? now : ts[1]);
		if (va.va_active != 0)
			error = vnode_setattr(vp, &va, ctx);
	}
	lookup_done(&nd);
	return error;
}

/* --- files' data and filesystems ------------------------------------------------------------ */

static int
fsync1(proc_t p, int fd)
{
	vnode_t vp;
	int error;

	if ((error = fd_vnode(p, fd, &vp, NULL)) != 0)
		return error;
	error = VNOP_FSYNC(vp, 1, vfs_context_current());
	vnode_put(vp);
	return error;
}

int
fsync(struct proc *p, struct fsync_args *uap, int64_t *retval)
{
	*retval = 0;
	return fsync1(p, (int)uap->fd);
}

int
fdatasync(struct proc *p, struct fdatasync_args *uap, int64_t *retval)
{
	*retval = 0;
	return fsync1(p, (int)uap->fd);
}

int
sync(struct proc *p, struct sync_args *uap, int64_t *retval)
{
	(void)p;
	(void)uap;
	*retval = 0;
	vfs_sync_all(vfs_context_current());
	return 0;
}

static int
statfs_vnode(vnode_t vp, user_addr_t buf, vfs_context_t ctx)
{
	struct statfs sb;
	int error;

	if (vp->v_mount == NULL)
		return ENOSYS;
	if ((error = vfs_statfs_fill(vp->v_mount, &sb, ctx)) != 0)
		return error;
	return copyout(&sb, buf, sizeof(sb));
}

int
statfs(struct proc *p, struct statfs_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	int error;

	*retval = 0;
	if ((error = lookup_at(p, AT_FDCWD, uap->path, LOOKUP, FOLLOW, 0, &nd, ctx)) != 0)
		return error;
	error = statfs_vnode(nd.ni_vp, uap->buf, ctx);
	lookup_done(&nd);
	return error;
}

int
fstatfs(struct proc *p, struct fstatfs_args *uap, int64_t *retval)
{
	vnode_t vp;
	int error;

	*retval = 0;
	if ((error = fd_vnode(p, (int)uap->fd, &vp, NULL)) != 0)
		return error;
	error = statfs_vnode(vp, uap->buf, vfs_context_current());
	vnode_put(vp);
	return error;
}

int
mount(struct proc *p, struct mount_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	char fstype[MFSNAMELEN], *source = NULL;
	struct nameidata nd;
	vm_size_t done;
	int error;

	*retval = 0;
	if (!kauth_cred_issuser(vfs_context_ucred(ctx)))
		return EPERM;
	if ((uap->flags & 0xffff0000) == MS_MGC_VAL)
		uap->flags &= 0xffff;	/* the old magic in the top half */
	if (uap->flags & (MS_REMOUNT | MS_BIND))
		return EINVAL;		/* remounts and bind mounts: not supported */
	if (uap->type == 0)
		return EINVAL;
	error = copyinstr(uap->type, fstype, sizeof(fstype), &done);
	if (error == ENAMETOOLONG)
		return ENODEV;
	if (error != 0)
		return error;
	if (uap->source != 0 && (error = path_copyin(uap->source, &source)) != 0)
		return error;
	error = lookup_at(p, AT_FDCWD, uap->target, LOOKUP, FOLLOW, 0, &nd, ctx);
	if (error == 0) {
		error = vfs_mount_internal(fstype, source, nd.ni_vp, (int)uap->flags, uap->data, ctx);
		lookup_done(&nd);
	}
	if (source != NULL)
		path_free(source);
	return error;
}

int
umount2(struct proc *p, struct umount2_args *uap, int64_t *retval)
{
	vfs_context_t ctx = vfs_context_current();
	struct nameidata nd;
	mount_t mp;
	int error, flags = (int)uap->flags;

	*retval = 0;
	if (!kauth_cred_issuser(vfs_context_ucred(ctx)))
		return EPERM;
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return EINVAL;
	error = lookup_at(p, AT_FDCWD, uap->target, LOOKUP,
	    (flags & UMOUNT_NOFOLLOW) ? NOFOLLOW : FOLLOW, 0, &nd, ctx);
	if (error != 0)
		return error;
	mp = nd.ni_vp->v_mount;
	if (!(nd.ni_vp->v_flag & VROOT))
		error = EINVAL;		/* not a mount point */
	else if (mp == rootmount)
		error = EBUSY;
	lookup_done(&nd);
	if (error == 0)
		error = vfs_unmount_internal(mp, flags, ctx);
	return error;
}
