/*
 * vnode_internal.h - the vnode structure, for the VFS and filesystems,
 * and the VFS's own services to the rest of the BSD layer (opening,
 * reading and mapping files).
 *
 * A vnode is made by its filesystem (vnode_create) and lives while it
 * has an iocount or a usecount, or while its filesystem keeps it (a
 * ramfs file keeps its vnode for as long as it has a name). It is freed
 * after VNOP_RECLAIM, once unused and marked with vnode_recycle. Every
 * vnode is on its mount's list, so unmount can tell whether any is busy.
 *
 * Invariants:
 *   - v_type, v_op, v_mount and v_data never change while the vnode is
 *     alive (v_mount is cleared only when a mount goes away, with every
 *     vnode of it unused);
 *   - a vnode with VL_TERMINATE set gets no new iocount (vnode_get fails)
 *     and has no name-cache entries left once its reclaim begins.
 *
 * Locks for struct vnode fields:
 *   [V] the vnode list lock (vfs_subr.c): counts, v_lflag, v_mntvnodes
 *   [M] the mount table lock (vfs_mount.c): v_mountedhere
 *   [I] set by vnode_create
 *   [a] atomic
 * Lock order: the mount table lock (held across VFS_ROOT), then a
 * filesystem's own lock, then the name cache's lock, then the vnode list
 * lock, then Mach VM object locks. A filesystem may make vnodes and purge
 * the cache while holding its lock, and may copy in and out (and so
 * fault) while holding it, but never drops a vnode count under it.
 */

#ifndef BSD_SYS_VNODE_INTERNAL_H
#define BSD_SYS_VNODE_INTERNAL_H

#include <stdint.h>

#include "bsd/sys/file_internal.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/vnode.h"
#include "bsd/sys/vnode_if.h"
#include "libkern/queue.h"
#include "mach/vm/vm_object.h"

struct vnode {
	uint32_t		v_iocount;	/* [V] short-term holds */
	uint32_t		v_usecount;	/* [V] long-term references */
	uint32_t		v_lflag;	/* [V] VL_* */
	uint32_t		v_flag;		/* [I] VROOT */
	enum vtype		v_type;		/* [I] */
	const struct vnodeops	*v_op;		/* [I] */
	struct mount		*v_mount;	/* [I] */
	void			*v_data;	/* [I] the filesystem's node */
	dev_t			v_rdev;		/* [I] VCHR: the device */
	vm_object_t		v_object;	/* [I] VREG of ramfs: the file's pages */
	struct mount		*v_mountedhere;	/* [M] a mount covering this directory */
	struct fifoinfo		*v_fifoinfo;	/* VFIFO while open (bsd/miscfs/fifofs) */
	struct vflock		*v_flocks;	/* flock(2)'s locks (vfs_flock.c) */
	TAILQ_ENTRY(vnode)	v_mntvnodes;	/* [V] on v_mount's list */
};

/* v_lflag */
#define VL_MARKTERM	0x0001		/* reclaim once unused (vnode_recycle) */
#define VL_TERMINATE	0x0002		/* being reclaimed */
#define VL_INACTIVE	0x0004		/* VNOP_INACTIVE in progress */
#define VL_NEEDINACTIVE	0x0008		/* VNOP_INACTIVE when next unused */

/* v_flag */
#define VROOT		0x0001		/* the root of its mount */

/* vnode_create's parameters (XNU's vnode_fsparam, shortened). */
struct vnode_fsparam {
	struct mount		*vnfs_mp;
	enum vtype		vnfs_vtype;
	const struct vnodeops	*vnfs_vops;
	void			*vnfs_fsnode;
	dev_t			vnfs_rdev;
	vm_object_t		vnfs_object;	/* VREG: the pages (the vnode keeps no reference) */
	int			vnfs_markroot;
};

/*
 * vnode_create: a new vnode for a filesystem's node, with no counts (the
 * filesystem keeps it, or gives it to a caller with vnode_get). ENOMEM.
 */
int	vnode_create(const struct vnode_fsparam *param, vnode_t *vpp);

/*
 * vflush: reclaim every vnode of mp, which must all be unused and
 * unreachable (a filesystem's VFS_UNMOUNT calls it). Locks: none held.
 */
void	vflush(struct mount *mp);

/* vnode_count: vnodes alive, for tests and leak checks. */
uint64_t vnode_count(void);

/*
 * vnode_mount_busy: some vnode of mp other than its root is in use, or
 * its root has more than `rootrefs` long-term references. Locks: none.
 */
int	vnode_mount_busy(struct mount *mp, uint32_t rootrefs);

/*
 * vn_mmap_object: the VM object holding an open file's pages, with a
 * reference for the caller (the memory-mapping calls). offset and size
 * must lie within the object (EINVAL); ENODEV for anything but a regular
 * file with pages (a device, a directory, a pipe); EACCES if the file
 * was not opened for reading. Takes no VFS lock beyond the object's.
 */
int	vn_mmap_object(struct fileglob *fg, vm_object_offset_t offset, vm_object_size_t size,
	    vm_object_t *objp);

/* The vnode fileops (DTYPE_VNODE), and what an open of a vnode does. */
extern const struct fileops vnops;

/*
 * vn_open_vnode: open vp (held) for fflags (FREAD, FWRITE, O_* bits):
 * checks permissions, O_TRUNC, calls VNOP_OPEN and takes a usecount.
 * vn_close undoes it (VNOP_CLOSE, vnode_rele).
 */
int	vn_open_vnode(vnode_t vp, int fflags, vfs_context_t ctx);
int	vn_close(vnode_t vp, int fflags, vfs_context_t ctx);

/* vn_stat: fill a Linux struct stat for vp. */
int	vn_stat(vnode_t vp, struct stat *sb, vfs_context_t ctx);

/*
 * vn_rdwr: read or write len bytes at offset between vp and a kernel
 * buffer; *resid gets what did not move (NULL: a short transfer is EIO).
 */
int	vn_rdwr(enum uio_rw rw, vnode_t vp, void *base, int64_t len, off_t offset,
	    int ioflag, vfs_context_t ctx, int64_t *resid);

/*
 * vn_flock: flock(2)'s LOCK_SH, LOCK_EX, LOCK_UN (with LOCK_NB) on vp
 * for the open file fg. EWOULDBLOCK, ERESTART/EINTR, ENOLCK.
 * vn_flock_release: fg's last close lets its lock go.
 */
int	vn_flock(vnode_t vp, struct fileglob *fg, int op);
void	vn_flock_release(vnode_t vp, struct fileglob *fg);
void	vn_flock_init(void);

/* vfsinit: the VFS's zones and locks, the filesystems, the root and /dev. */
void	vfsinit(void);

#endif /* BSD_SYS_VNODE_INTERNAL_H */
