/*
 * vnode_if.h - the vnode operations: what every filesystem provides for
 * its vnodes (struct vnodeops, one per kind of vnode), and the VNOP_*
 * calls through which the VFS reaches them (XNU's names; the arguments
 * are passed directly instead of through vnop_*_args structures).
 *
 * Conventions:
 *   - every vnode argument is held by the caller (an iocount); a vnode a
 *     call returns through vpp comes with an iocount for the caller;
 *   - errors are errno values; an operation a filesystem leaves NULL
 *     answers ENOTSUP (EINVAL for VNOP_READLINK, ENOTTY for VNOP_IOCTL,
 *     "ready" for VNOP_SELECT, 0 for OPEN, CLOSE, FSYNC, INACTIVE, RECLAIM);
 *   - a componentname names the last component of a path: cn_nameptr is
 *     not NUL-terminated, cn_namelen says how long it is.
 *
 * Locks: none are held by the VFS across a VNOP; a filesystem locks its
 * own structures (see its header).
 */

#ifndef BSD_SYS_VNODE_IF_H
#define BSD_SYS_VNODE_IF_H

#include "bsd/sys/uio.h"
#include "bsd/sys/vnode.h"

/* cn_nameiop */
#define LOOKUP		0
#define CREATE		1
#define DELETE		2
#define RENAME		3

struct componentname {
	int		cn_nameiop;	/* LOOKUP, CREATE, DELETE, RENAME */
	int		cn_flags;	/* ISDOTDOT, ISLASTCN, ... (bsd/sys/namei.h) */
	vfs_context_t	cn_context;
	const char	*cn_nameptr;	/* the component (not NUL-terminated) */
	int		cn_namelen;
};

/* VNOP_REMOVE flags */
#define VNODE_REMOVE_NODELETEBUSY	0x0001

struct vnodeops {
	int	(*vnop_lookup)(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
		    vfs_context_t ctx);
	int	(*vnop_create)(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
		    struct vnode_attr *vap, vfs_context_t ctx);
	int	(*vnop_mknod)(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
		    struct vnode_attr *vap, vfs_context_t ctx);
	int	(*vnop_open)(vnode_t vp, int fflag, vfs_context_t ctx);
	int	(*vnop_close)(vnode_t vp, int fflag, vfs_context_t ctx);
	int	(*vnop_access)(vnode_t vp, int action, vfs_context_t ctx);
	int	(*vnop_getattr)(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx);
	int	(*vnop_setattr)(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx);
	int	(*vnop_read)(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx);
	int	(*vnop_write)(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx);
	int	(*vnop_ioctl)(vnode_t vp, unsigned long cmd, void *data, int fflag,
		    vfs_context_t ctx);
	int	(*vnop_select)(vnode_t vp, int which, int fflag, void *wql, vfs_context_t ctx);
	int	(*vnop_fsync)(vnode_t vp, int waitfor, vfs_context_t ctx);
	int	(*vnop_remove)(vnode_t dvp, vnode_t vp, struct componentname *cnp, int flags,
		    vfs_context_t ctx);
	int	(*vnop_link)(vnode_t vp, vnode_t tdvp, struct componentname *cnp,
		    vfs_context_t ctx);
	int	(*vnop_rename)(vnode_t fdvp, vnode_t fvp, struct componentname *fcnp,
		    vnode_t tdvp, vnode_t tvp, struct componentname *tcnp, vfs_context_t ctx);
	int	(*vnop_mkdir)(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
		    struct vnode_attr *vap, vfs_context_t ctx);
	int	(*vnop_rmdir)(vnode_t dvp, vnode_t vp, struct componentname *cnp,
		    vfs_context_t ctx);
	int	(*vnop_symlink)(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
		    struct vnode_attr *vap, const char *target, vfs_context_t ctx);
	/*
	 * Directory entries as Linux's struct linux_dirent64 records
	 * (vfs_dirent_emit), from the uio's offset, a cookie the filesystem
	 * chose; *eofflag when the last was given, *numdirent how many.
	 */
	int	(*vnop_readdir)(vnode_t vp, struct uio *uio, int flags, int *eofflag,
		    int *numdirent, vfs_context_t ctx);
	int	(*vnop_readlink)(vnode_t vp, struct uio *uio, vfs_context_t ctx);
	int	(*vnop_inactive)(vnode_t vp, vfs_context_t ctx);
	int	(*vnop_reclaim)(vnode_t vp, vfs_context_t ctx);
};

/* ioflag */
#define IO_APPEND	0x0002		/* write at the end of the file */
#define IO_NDELAY	0x0004		/* non-blocking (O_NONBLOCK) */
#define IO_SYNC		0x0008

int	VNOP_LOOKUP(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, vfs_context_t ctx);
int	VNOP_CREATE(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
	    struct vnode_attr *vap, vfs_context_t ctx);
int	VNOP_MKNOD(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
	    struct vnode_attr *vap, vfs_context_t ctx);
int	VNOP_OPEN(vnode_t vp, int fflag, vfs_context_t ctx);
int	VNOP_CLOSE(vnode_t vp, int fflag, vfs_context_t ctx);
int	VNOP_ACCESS(vnode_t vp, int action, vfs_context_t ctx);
int	VNOP_GETATTR(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx);
int	VNOP_SETATTR(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx);
int	VNOP_READ(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx);
int	VNOP_WRITE(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx);
int	VNOP_IOCTL(vnode_t vp, unsigned long cmd, void *data, int fflag, vfs_context_t ctx);
int	VNOP_SELECT(vnode_t vp, int which, int fflag, void *wql, vfs_context_t ctx);
int	VNOP_FSYNC(vnode_t vp, int waitfor, vfs_context_t ctx);
int	VNOP_REMOVE(vnode_t dvp, vnode_t vp, struct componentname *cnp, int flags,
	    vfs_context_t ctx);
int	VNOP_LINK(vnode_t vp, vnode_t tdvp, struct componentname *cnp, vfs_context_t ctx);
int	VNOP_RENAME(vnode_t fdvp, vnode_t fvp, struct componentname *fcnp, vnode_t tdvp,
	    vnode_t tvp, struct componentname *tcnp, vfs_context_t ctx);
int	VNOP_MKDIR(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
	    struct vnode_attr *vap, vfs_context_t ctx);
int	VNOP_RMDIR(vnode_t dvp, vnode_t vp, struct componentname *cnp, vfs_context_t ctx);
int	VNOP_SYMLINK(vnode_t dvp, vnode_t *vpp, struct componentname *cnp,
	    struct vnode_attr *vap, const char *target, vfs_context_t ctx);
int	VNOP_READDIR(vnode_t vp, struct uio *uio, int flags, int *eofflag, int *numdirent,
	    vfs_context_t ctx);
int	VNOP_READLINK(vnode_t vp, struct uio *uio, vfs_context_t ctx);
int	VNOP_INACTIVE(vnode_t vp, vfs_context_t ctx);
int	VNOP_RECLAIM(vnode_t vp, vfs_context_t ctx);

/* Linux's struct linux_dirent64, as getdents64 copies it out. */
struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;		/* the cookie of the next entry */
	uint16_t	d_reclen;
	uint8_t		d_type;		/* DT_* */
	char		d_name[];
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

/* vtype_to_dtype: a DT_* for a vnode type. */
int	vtype_to_dtype(enum vtype type);

/*
 * vfs_dirent_emit: one linux_dirent64 record into uio (next: the cookie
 * of the entry after it). 0; -1 if the uio has no room for it (nothing
 * moved); EFAULT.
 */
int	vfs_dirent_emit(struct uio *uio, uint64_t ino, int64_t next, int dtype,
	    const char *name, int namelen);

#endif /* BSD_SYS_VNODE_IF_H */
