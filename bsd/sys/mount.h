/*
 * mount.h - mounted filesystems and filesystem types (XNU's
 * bsd/sys/mount.h, shortened).
 *
 * A filesystem type registers its vfsops with vfs_fsadd (ramfs and devfs
 * do so at boot). mount(2) finds the type by name, makes a struct mount,
 * and asks the type to mount itself (VFS_MOUNT) and for its root
 * (VFS_ROOT); the mount then covers a directory vnode (mnt_vnodecovered,
 * whose v_mountedhere points back), and namei steps from the covered
 * directory into the mount's root and, for "..", back out. The root
 * filesystem covers nothing.
 *
 * Invariants:
 *   - a mount holds a usecount on the vnode it covers and on its root;
 *   - a directory is covered by at most one mount.
 *
 * Locks: [M] the mount table lock (vfs_mount.c) covers the table, every
 * mount's mnt_list and v_mountedhere; the rest is [I], set at mount.
 * Lock order: the mount table lock before the name cache and vnode list
 * locks and before a filesystem's own; it is held across VFS_ROOT only.
 */

#ifndef BSD_SYS_MOUNT_H
#define BSD_SYS_MOUNT_H

#include <stdint.h>

#include "bsd/sys/vnode.h"
#include "libkern/queue.h"
#include "mach/vm_types.h"

#define MFSNAMELEN	16
#define MNAMELEN	256

/* Linux's struct statfs (x86-64), as statfs and fstatfs copy it out. */
struct statfs {
	int64_t		f_type;		/* the filesystem's magic number */
	int64_t		f_bsize;
	uint64_t	f_blocks;
	uint64_t	f_bfree;
	uint64_t	f_bavail;
	uint64_t	f_files;
	uint64_t	f_ffree;
	int32_t		f_fsid[2];
	int64_t		f_namelen;
	int64_t		f_frsize;
	int64_t		f_flags;	/* ST_* */
	int64_t		f_spare[4];
};

#define ST_RDONLY	0x0001
#define ST_NOSUID	0x0002

/* Magic numbers (Linux's, so that statfs users recognise them). */
#define RAMFS_MAGIC	0x858458f6
#define DEVFS_MAGIC	0x1373		/* Linux's devfs */

/* mount(2)'s flags (Linux's), as far as they are understood. */
#define MS_RDONLY	0x0001
#define MS_NOSUID	0x0002
#define MS_REMOUNT	0x0020
#define MS_BIND		0x1000
#define MS_SILENT	0x8000
#define MS_MGC_VAL	0xc0ed0000	/* old callers' magic in the top 16 bits */

/* umount2's flags */
#define MNT_FORCE	0x0001
#define MNT_DETACH	0x0002
#define MNT_EXPIRE	0x0004
#define UMOUNT_NOFOLLOW	0x0008

struct vfsops;

struct mount {
	TAILQ_ENTRY(mount)	mnt_list;		/* [M] the mount table */
	const struct vfsops	*mnt_op;		/* [I] */
	struct vfstable		*mnt_vtable;		/* [I] its type */
	vnode_t			mnt_vnodecovered;	/* [I] NULLVP for the root */
	vnode_t			mnt_rootvp;		/* [I] its root (a usecount) */
	void			*mnt_data;		/* [I] the filesystem's */
	int			mnt_flag;		/* [I] MS_RDONLY, ... */
	dev_t			mnt_fsid;		/* [I] st_dev of its files */
	TAILQ_HEAD(, vnode)	mnt_vnodelist;		/* the vnode list lock: its vnodes */
	char			mnt_fstypename[MFSNAMELEN];	/* [I] */
	char			mnt_from[MNAMELEN];	/* [I] mount(2)'s source */
};

struct vfsops {
	/* Set up mp (mnt_data); data is mount(2)'s user pointer (may be 0). */
	int	(*vfs_mount)(mount_t mp, vnode_t devvp, user_addr_t data, vfs_context_t ctx);
	/* Tear down; only called when no vnode of mp is in use. */
	int	(*vfs_unmount)(mount_t mp, int mntflags, vfs_context_t ctx);
	/*
	 * The root directory, with an iocount. Called with the mount table
	 * lock held (namei crossing into the mount): it must not block for
	 * long nor take that lock.
	 */
	int	(*vfs_root)(mount_t mp, vnode_t *vpp, vfs_context_t ctx);
	/* Fill sbp's sizes and counts (the VFS fills f_fsid, f_flags, f_namelen). */
	int	(*vfs_statfs)(mount_t mp, struct statfs *sbp, vfs_context_t ctx);
	int	(*vfs_sync)(mount_t mp, int waitfor, vfs_context_t ctx);
};

int	VFS_MOUNT(mount_t mp, vnode_t devvp, user_addr_t data, vfs_context_t ctx);
int	VFS_UNMOUNT(mount_t mp, int mntflags, vfs_context_t ctx);
int	VFS_ROOT(mount_t mp, vnode_t *vpp, vfs_context_t ctx);
int	VFS_STATFS(mount_t mp, struct statfs *sbp, vfs_context_t ctx);
int	VFS_SYNC(mount_t mp, int waitfor, vfs_context_t ctx);

/* A filesystem type (XNU's struct vfs_fsentry), for vfs_fsadd. */
struct vfs_fsentry {
	const struct vfsops	*vfe_vfsops;
	const char		*vfe_fsname;
	uint32_t		vfe_magic;	/* statfs's f_type */
	int			vfe_flags;	/* VFS_TBL* */
};

#define VFS_TBLNOMOUNTROOT	0x0001	/* never the root */
#define VFS_TBLSINGLE		0x0002	/* mounted once at most */

struct vfstable {
	TAILQ_ENTRY(vfstable)	vfc_list;
	const struct vfsops	*vfc_vfsops;
	char			vfc_name[MFSNAMELEN];
	uint32_t		vfc_magic;
	int			vfc_flags;
	int			vfc_refcount;	/* [M] mounts of it */
};

typedef struct vfstable *vfstable_t;

/* vfs_fsadd: register a filesystem type. EEXIST (same name), ENOMEM. */
int	vfs_fsadd(const struct vfs_fsentry *vfe, vfstable_t *handle);
/* vfs_fsremove: unregister one with no mounts. EBUSY. */
int	vfs_fsremove(vfstable_t handle);

/*
 * vfs_mount_internal: mount a filesystem of type fstype on the directory
 * covered (held; NULLVP for the root), as mount(2) does. EBUSY when
 * something is mounted there already (or a VFS_TBLSINGLE type is
 * mounted), ENODEV for an unknown type, ENOTDIR.
 */
int	vfs_mount_internal(const char *fstype, const char *from, vnode_t covered, int flags,
	    user_addr_t data, vfs_context_t ctx);
/* vfs_unmount_internal: unmount mp. EBUSY (a vnode of it is in use), EINVAL (the root). */
int	vfs_unmount_internal(mount_t mp, int flags, vfs_context_t ctx);

/* vfs_statfs_fill: statfs for the mount of vp. */
int	vfs_statfs_fill(mount_t mp, struct statfs *sbp, vfs_context_t ctx);
int	vfs_isrdonly(mount_t mp);

/* vfs_sync_all: VFS_SYNC every mount (sync(2)). */
void	vfs_sync_all(vfs_context_t ctx);

/* The root mount. */
extern mount_t	rootmount;

void	mount_list_lock(void);
void	mount_list_unlock(void);

#endif /* BSD_SYS_MOUNT_H */
