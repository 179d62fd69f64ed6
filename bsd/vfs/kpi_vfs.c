/*
 * kpi_vfs.c - the calls into filesystems (VNOP_*, VFS_*: bsd/sys/vnode_if.h,
 * bsd/sys/mount.h), attributes (vnode_getattr, vnode_setattr), the
 * permission check (vnode_authorize) and directory records.
 *
 * The VNOP_* functions only dispatch, giving each missing operation its
 * documented answer.
 */

#include "bsd/sys/vnode_if.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/mount.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/vnode_internal.h"
#include "libkern/string.h"

#define VOP(vp, op)	((vp)->v_op != NULL ? (vp)->v_op->op : NULL)

int
VNOP_LOOKUP(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, vfs_context_t ctx)
{
	return VOP(dvp, vnop_lookup) != NULL ? dvp->v_op->vnop_lookup(dvp, vpp, cnp, ctx) :
	    ENOTDIR;
}

int
VNOP_CREATE(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, struct vnode_attr *vap,
    vfs_context_t ctx)
{
	return VOP(dvp, vnop_create) != NULL ?
	    dvp->v_op->vnop_create(dvp, vpp, cnp, vap, ctx) : ENOTSUP;
}

int
VNOP_MKNOD(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, struct vnode_attr *vap,
    vfs_context_t ctx)
{
	return VOP(dvp, vnop_mknod) != NULL ?
	    dvp->v_op->vnop_mknod(dvp, vpp, cnp, vap, ctx) : EPERM;
}

int
VNOP_OPEN(vnode_t vp, int fflag, vfs_context_t ctx)
{
	return VOP(vp, vnop_open) != NULL ? vp->v_op->vnop_open(vp, fflag, ctx) : 0;
}

int
VNOP_CLOSE(vnode_t vp, int fflag, vfs_context_t ctx)
{
	return VOP(vp, vnop_close) != NULL ? vp->v_op->vnop_close(vp, fflag, ctx) : 0;
}

int
VNOP_ACCESS(vnode_t vp, int action, vfs_context_t ctx)
{
	return VOP(vp, vnop_access) != NULL ? vp->v_op->vnop_access(vp, action, ctx) : 0;
}

int
VNOP_GETATTR(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx)
{
	return VOP(vp, vnop_getattr) != NULL ? vp->v_op->vnop_getattr(vp, vap, ctx) : ENOTSUP;
}

int
VNOP_SETATTR(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx)
{
	return VOP(vp, vnop_setattr) != NULL ? vp->v_op->vnop_setattr(vp, vap, ctx) : ENOTSUP;
}

int
VNOP_READ(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx)
{
	return VOP(vp, vnop_read) != NULL ? vp->v_op->vnop_read(vp, uio, ioflag, ctx) :
	    (vp->v_type == VDIR ? EISDIR : ENOTSUP);
}

int
VNOP_WRITE(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx)
{
	return VOP(vp, vnop_write) != NULL ? vp->v_op->vnop_write(vp, uio, ioflag, ctx) :
	    (vp->v_type == VDIR ? EISDIR : ENOTSUP);
}

int
VNOP_IOCTL(vnode_t vp, unsigned long cmd, void *data, int fflag, vfs_context_t ctx)
{
	return VOP(vp, vnop_ioctl) != NULL ? vp->v_op->vnop_ioctl(vp, cmd, data, fflag, ctx) :
	    ENOTTY;
}

int
VNOP_SELECT(vnode_t vp, int which, int fflag, void *wql, vfs_context_t ctx)
{
	return VOP(vp, vnop_select) != NULL ?
	    vp->v_op->vnop_select(vp, which, fflag, wql, ctx) : 1;
}

int
VNOP_FSYNC(vnode_t vp, int waitfor, vfs_context_t ctx)
{
	return VOP(vp, vnop_fsync) != NULL ? vp->v_op->vnop_fsync(vp, waitfor, ctx) : 0;
}

int
VNOP_REMOVE(vnode_t dvp, vnode_t vp, struct componentname *cnp, int flags, vfs_context_t ctx)
{
	return VOP(dvp, vnop_remove) != NULL ?
	    dvp->v_op->vnop_remove(dvp, vp, cnp, flags, ctx) : EPERM;
}

int
VNOP_LINK(vnode_t vp, vnode_t tdvp, struct componentname *cnp, vfs_context_t ctx)
{
	return VOP(tdvp, vnop_link) != NULL ? tdvp->v_op->vnop_link(vp, tdvp, cnp, ctx) : EPERM;
}

int
VNOP_RENAME(vnode_t fdvp, vnode_t fvp, struct componentname *fcnp, vnode_t tdvp,
    vnode_t tvp, struct componentname *tcnp, vfs_context_t ctx)
{
	return VOP(fdvp, vnop_rename) != NULL ?
	    fdvp->v_op->vnop_rename(fdvp, fvp, fcnp, tdvp, tvp, tcnp, ctx) : EPERM;
}

int
VNOP_MKDIR(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, struct vnode_attr *vap,
    vfs_context_t ctx)
{
	return VOP(dvp, vnop_mkdir) != NULL ? dvp->v_op->vnop_mkdir(dvp, vpp, cnp, vap, ctx) :
	    EPERM;
}

int
VNOP_RMDIR(vnode_t dvp, vnode_t vp, struct componentname *cnp, vfs_context_t ctx)
{
	return VOP(dvp, vnop_rmdir) != NULL ? dvp->v_op->vnop_rmdir(dvp, vp, cnp, ctx) : EPERM;
}

int
VNOP_SYMLINK(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, struct vnode_attr *vap,
    const char *target, vfs_context_t ctx)
{
	return VOP(dvp, vnop_symlink) != NULL ?
	    dvp->v_op->vnop_symlink(dvp, vpp, cnp, vap, target, ctx) : EPERM;
}

int
VNOP_READDIR(vnode_t vp, struct uio *uio, int flags, int *eofflag, int *numdirent,
    vfs_context_t ctx)
{
	return VOP(vp, vnop_readdir) != NULL ?
	    vp->v_op->vnop_readdir(vp, uio, flags, eofflag, numdirent, ctx) : ENOTDIR;
}

int
VNOP_READLINK(vnode_t vp, struct uio *uio, vfs_context_t ctx)
{
	return VOP(vp, vnop_readlink) != NULL ? vp->v_op->vnop_readlink(vp, uio, ctx) : EINVAL;
}

int
VNOP_INACTIVE(vnode_t vp, vfs_context_t ctx)
{
	return VOP(vp, vnop_inactive) != NULL ? vp->v_op->vnop_inactive(vp, ctx) : 0;
}

int
VNOP_RECLAIM(vnode_t vp, vfs_context_t ctx)
{
	return VOP(vp, vnop_reclaim) != NULL ? vp->v_op->vnop_reclaim(vp, ctx) : 0;
}

/* --- VFS_* --------------------------------------------------------------------- */

int
VFS_MOUNT(mount_t mp, vnode_t devvp, user_addr_t data, vfs_context_t ctx)
{
	return mp->mnt_op->vfs_mount != NULL ? mp->mnt_op->vfs_mount(mp, devvp, data, ctx) : 0;
}

int
VFS_UNMOUNT(mount_t mp, int mntflags, vfs_context_t ctx)
{
	return mp->mnt_op->vfs_unmount != NULL ? mp->mnt_op->vfs_unmount(mp, mntflags, ctx) :
	    ENOTSUP;
}

int
VFS_ROOT(mount_t mp, vnode_t *vpp, vfs_context_t ctx)
{
	return mp->mnt_op->vfs_root(mp, vpp, ctx);
}

int
VFS_STATFS(mount_t mp, struct statfs *sbp, vfs_context_t ctx)
{
	return mp->mnt_op->vfs_statfs != NULL ? mp->mnt_op->vfs_statfs(mp, sbp, ctx) : 0;
}

int
VFS_SYNC(mount_t mp, int waitfor, vfs_context_t ctx)
{
	return mp->mnt_op->vfs_sync != NULL ? mp->mnt_op->vfs_sync(mp, waitfor, ctx) : 0;
}

/* --- attributes and permissions --------------------------------------------------- */

int
vnode_getattr(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx)
{
	memset(vap, 0, sizeof(*vap));
	vap->va_type = vp->v_type;
	vap->va_rdev = vp->v_rdev;
	vap->va_fsid = vp->v_mount != NULL ? vp->v_mount->mnt_fsid : 0;
	vap->va_iosize = 4096;
	return VNOP_GETATTR(vp, vap, ctx);
}

int
vnode_setattr(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx)
{
	if (vp->v_mount != NULL && vfs_isrdonly(vp->v_mount))
		return EROFS;
	return VNOP_SETATTR(vp, vap, ctx);
}

int
vnode_authorize(vnode_t vp, int action, vfs_context_t ctx)
{
	kauth_cred_t cred = vfs_context_ucred(ctx);
	struct vnode_attr va;
	mode_t bits;
	int error;

	if ((action & VWRITE) && vp->v_mount != NULL && vfs_isrdonly(vp->v_mount) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		return EROFS;
	if (kauth_cred_issuser(cred)) {
		/*
		 * Root executes only what someone may execute; searches any
		 * directory. Only the first needs the mode: namei asks this
		 * for every directory it passes.
		 */
		if ((action & VEXEC) && vp->v_type != VDIR) {
			if ((error = vnode_getattr(vp, &va, ctx)) != 0)
				return error;
			if (!(va.va_mode & 0111))
				return EACCES;
		}
		return VNOP_ACCESS(vp, action, ctx);
	}
	if ((error = vnode_getattr(vp, &va, ctx)) != 0)
		return error;
	if (kauth_cred_getuid(cred) == va.va_uid)
		bits = (va.va_mode >> 6) & 7;
	else if (kauth_cred_ismember_gid(cred, va.va_gid))
		bits = (va.va_mode >> 3) & 7;
	else
		bits = va.va_mode & 7;
	if ((action & bits & (VREAD | VWRITE | VEXEC)) != (action & (VREAD | VWRITE | VEXEC)))
		return EACCES;
	return VNOP_ACCESS(vp, action, ctx);
}

/* --- directory records ------------------------------------------------------------- */

int
vtype_to_dtype(enum vtype type)
{
	switch (type) {
	case VREG:	return DT_REG;
	case VDIR:	return DT_DIR;
	case VLNK:	return DT_LNK;
	case VCHR:	return DT_CHR;
	case VBLK:	return DT_BLK;
	case VFIFO:	return DT_FIFO;
	case VSOCK:	return DT_SOCK;
	default:	return DT_UNKNOWN;
	}
}

int
vfs_dirent_emit(struct uio *uio, uint64_t ino, int64_t next, int dtype, const char *name,
    int namelen)
{
	uint64_t rec[(offsetof(struct linux_dirent64, d_name) + MAXNAMLEN + 1 + 7) / 8];
	char *raw = (char *)rec;
	size_t reclen;
	uint16_t len16;
	uint8_t type8 = (uint8_t)dtype;

	if (namelen < 0 || namelen > MAXNAMLEN)
		return EINVAL;
	reclen = (offsetof(struct linux_dirent64, d_name) + (size_t)namelen + 1 + 7) & ~(size_t)7;
	if ((int64_t)reclen > uio_resid(uio))
		return -1;
	len16 = (uint16_t)reclen;
	memset(raw, 0, reclen);
	memcpy(raw + offsetof(struct linux_dirent64, d_ino), &ino, sizeof(ino));
	memcpy(raw + offsetof(struct linux_dirent64, d_off), &next, sizeof(next));
	memcpy(raw + offsetof(struct linux_dirent64, d_reclen), &len16, sizeof(len16));
	memcpy(raw + offsetof(struct linux_dirent64, d_type), &type8, sizeof(type8));
	memcpy(raw + offsetof(struct linux_dirent64, d_name), name, (size_t)namelen);
	return uiomove(raw, (int64_t)reclen, uio);
}
