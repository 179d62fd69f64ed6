/*
 * vfs_vnops.c - vnodes as open files: opening and closing them, the
 * DTYPE_VNODE fileops (read, write, ioctl, select, stat, close), kernel
 * reads and writes (vn_rdwr), stat, and a file's pages for mmap
 * (vn_mmap_object). bsd/sys/vnode_internal.h.
 *
 * The file offset: reads and writes of files and directories hold the
 * fileglob's lock for their length, so concurrent users of one open
 * file see each transfer happen whole at its offset; devices are not
 * positioned and their (possibly endless) reads hold nothing.
 */

#include "bsd/sys/vnode_internal.h"

#include "bsd/miscfs/specfs/specdev.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/fcntl.h"
#include "bsd/sys/mount.h"
#include "bsd/sys/stat.h"
#include "libkern/string.h"
#include "mach/vm/vm_object.h"

#define FIONREAD	0x541B

/* --- open and close ---------------------------------------------------------------- */

int
vn_open_vnode(vnode_t vp, int fflags, vfs_context_t ctx)
{
	struct vnode_attr va;
	int action = 0, error;

	if (fflags & O_PATH)
		return vnode_ref(vp);		/* a handle only: no access, no open */
	if (vp->v_type == VLNK)
		return ELOOP;
	if (vp->v_type == VSOCK)
		return ENXIO;
	if (vp->v_type == VDIR && (fflags & FWRITE))
		return EISDIR;
	if (fflags & FREAD)
		action |= VREAD;
	if (fflags & (FWRITE | O_TRUNC))
		action |= VWRITE;
	if (action != 0 && (error = vnode_authorize(vp, action, ctx)) != 0)
		return error;
	if ((fflags & O_TRUNC) && (fflags & FWRITE) && vp->v_type == VREG) {
		VATTR_INIT(&va);
		VATTR_SET(&va, va_data_size, 0);
		if ((error = vnode_setattr(vp, &va, ctx)) != 0)
			return error;
	}
	if ((error = VNOP_OPEN(vp, fflags, ctx)) != 0)
		return error;
	return vnode_ref(vp);
}

int
vn_close(vnode_t vp, int fflags, vfs_context_t ctx)
{
	int error = 0;

	if (!(fflags & O_PATH))
		error = VNOP_CLOSE(vp, fflags, ctx);
	vnode_rele(vp);
	return error;
}

/* --- the fileops ------------------------------------------------------------------- */

static int
vn_ioflag(struct fileglob *fg)
{
	return ((fg->fg_flag & O_APPEND) ? IO_APPEND : 0) |
	    ((fg->fg_flag & O_NONBLOCK) ? IO_NDELAY : 0);
}

static int
vn_rw(struct fileproc *fp, struct uio *uio, int flags, vfs_context_t ctx)
{
	struct fileglob *fg = fp->fp_glob;
	vnode_t vp = fg->fg_data;
	int ioflag = vn_ioflag(fg), error;
	bool positioned = vp->v_type == VREG || vp->v_type == VDIR || spec_isdisk(vp);

	if (fg->fg_flag & O_PATH)
		return EBADF;
	if (vp->v_type == VDIR)
		return EISDIR;
	if ((flags & FOF_OFFSET) || !positioned) {
		if (!(flags & FOF_OFFSET))
			uio_setoffset(uio, 0);
		return uio_rw(uio) == UIO_READ ? VNOP_READ(vp, uio, ioflag, ctx) :
		    VNOP_WRITE(vp, uio, ioflag, ctx);
	}
	lck_mtx_lock(&fg->fg_lock);
	uio_setoffset(uio, fg->fg_offset);
	error = uio_rw(uio) == UIO_READ ? VNOP_READ(vp, uio, ioflag, ctx) :
	    VNOP_WRITE(vp, uio, ioflag, ctx);
	fg->fg_offset = uio_offset(uio);
	lck_mtx_unlock(&fg->fg_lock);
	return error;
}

static int
vn_ioctl(struct fileproc *fp, unsigned long com, void *data, vfs_context_t ctx)
{
	struct fileglob *fg = fp->fp_glob;
	vnode_t vp = fg->fg_data;
	struct vnode_attr va;
	int error;

	if (fg->fg_flag & O_PATH)
		return EBADF;
	switch (vp->v_type) {
	case VCHR:
	case VFIFO:
		return VNOP_IOCTL(vp, com, data, (int)fg->fg_flag, ctx);
	case VREG:
		if (com != FIONREAD)
			return ENOTTY;
		if ((error = vnode_getattr(vp, &va, ctx)) != 0)
			return error;
		lck_mtx_lock(&fg->fg_lock);
		*(int *)data = va.va_data_size > fg->fg_offset ?
		    (int)(va.va_data_size - fg->fg_offset) : 0;
		lck_mtx_unlock(&fg->fg_lock);
		return 0;
	default:
		return ENOTTY;
	}
}

static int
vn_select(struct fileproc *fp, int which, void *wql, vfs_context_t ctx)
{
	vnode_t vp = fp->fp_glob->fg_data;

	if (vp->v_type != VCHR && vp->v_type != VFIFO)
		return 1;		/* files are always ready */
	return VNOP_SELECT(vp, which, (int)fp->fp_glob->fg_flag, wql, ctx);
}

static int
vn_fo_stat(struct fileproc *fp, struct stat *sb, vfs_context_t ctx)
{
	return vn_stat(fp->fp_glob->fg_data, sb, ctx);
}

static int
vn_closefile(struct fileglob *fg, vfs_context_t ctx)
{
	vn_flock_release(fg->fg_data, fg);
	return vn_close(fg->fg_data, (int)fg->fg_flag, ctx);
}

const struct fileops vnops = {
	.fo_type = DTYPE_VNODE,
	.fo_read = vn_rw,
	.fo_write = vn_rw,
	.fo_ioctl = vn_ioctl,
	.fo_select = vn_select,
	.fo_stat = vn_fo_stat,
	.fo_close = vn_closefile,
};

/* --- helpers ------------------------------------------------------------------------- */

int
vn_stat(vnode_t vp, struct stat *sb, vfs_context_t ctx)
{
	struct vnode_attr va;
	int error;

	if ((error = vnode_getattr(vp, &va, ctx)) != 0)
		return error;
	memset(sb, 0, sizeof(*sb));
	sb->st_dev = dev_encode_linux(va.va_fsid);
	sb->st_ino = va.va_fileid;
	sb->st_nlink = va.va_nlink;
	sb->st_mode = va.va_mode;
	sb->st_uid = va.va_uid;
	sb->st_gid = va.va_gid;
	sb->st_rdev = vp->v_type == VCHR ? dev_encode_linux(va.va_rdev) : 0;
	sb->st_size = va.va_data_size;
	sb->st_blksize = va.va_iosize != 0 ? va.va_iosize : 4096;
	sb->st_blocks = (int64_t)((va.va_data_alloc + 511) / 512);
	sb->st_atim = va.va_access_time;
	sb->st_mtim = va.va_modify_time;
	sb->st_ctim = va.va_change_time;
	return 0;
}

int
vn_rdwr(enum uio_rw rw, vnode_t vp, void *base, int64_t len, off_t offset, int ioflag,
    vfs_context_t ctx, int64_t *resid)
{
	struct uio uio;
	int error;

	if (len < 0)
		return EINVAL;
	uio_init(&uio, (uint64_t)(uintptr_t)base, (uint64_t)len, offset, UIO_SYSSPACE, rw);
	error = rw == UIO_READ ? VNOP_READ(vp, &uio, ioflag, ctx) :
	    VNOP_WRITE(vp, &uio, ioflag, ctx);
	if (resid != NULL)
		*resid = uio_resid(&uio);
	else if (error == 0 && uio_resid(&uio) != 0)
		error = EIO;
	return error;
}

int
vn_mmap_object(struct fileglob *fg, vm_object_offset_t offset, vm_object_size_t size,
    vm_object_t *objp)
{
	vnode_t vp;
	vm_object_t obj;

	if (fg == NULL || fg->fg_ops != &vnops)
		return ENODEV;
	vp = fg->fg_data;
	obj = vp->v_object;
	if (vp->v_type != VREG || obj == VM_OBJECT_NULL)
		return ENODEV;
	if (!(fg->fg_flag & FREAD) || (fg->fg_flag & O_PATH))
		return EACCES;
	if (offset + size < offset || offset + size > obj->vo_size)
		return EINVAL;
	vm_object_reference(obj);
	*objp = obj;
	return 0;
}
