/*
 * devfs_vnops.c - the device filesystem (bsd/miscfs/devfs/devfs.h): its
 * node list, the filesystem, and its vnodes' operations.
 *
 * A node's vnode is made when the node is first looked up while devfs
 * is mounted, and kept until devfs is unmounted or the node removed.
 */

#include "bsd/miscfs/devfs/devfs.h"

#include <stdarg.h>

#include "bsd/miscfs/specfs/specdev.h"
#include "bsd/sys/conf.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/mount.h"
#include "bsd/sys/namei.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/vnode_internal.h"
#include "libkern/cdefs.h"
#include "libkern/printf.h"
#include "libkern/queue.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/locks.h"

#define DEVFS_NAMELEN	64

struct devnode {
	TAILQ_ENTRY(devnode)	dn_link;	/* [D] in the root, by cookie */
	enum vtype		dn_type;	/* [I] VDIR (the root) or VCHR */
	dev_t			dn_dev;		/* [I] */
	mode_t			dn_mode;	/* [D] */
	uid_t			dn_uid;		/* [D] */
	gid_t			dn_gid;		/* [D] */
	uint64_t		dn_ino;		/* [I] */
	uint64_t		dn_cookie;	/* [I] */
	struct timespec		dn_time;	/* [D] all three times */
	vnode_t			dn_vnode;	/* [D] while mounted and looked up */
	int			dn_removed;	/* [D] */
	char			dn_name[DEVFS_NAMELEN];	/* [I] */
};

static struct {
	lck_grp_t		grp;
	lck_mtx_t		lock;
	struct devnode		root;
	TAILQ_HEAD(, devnode)	nodes;		/* [D] */
	uint64_t		next;		/* [D] inode numbers and cookies */
	mount_t			mp;		/* [D] the mount, or NULL */
} devfs;

static const struct vnodeops devfs_vnodeops, devfs_specops;

static void
devfs_now(struct timespec *ts)
{
	uint32_t secs, nsecs;

	clock_get_calendar_nanotime(&secs, &nsecs);
	ts->tv_sec = secs;
	ts->tv_nsec = nsecs;
}

/* --- nodes ----------------------------------------------------------------------- */

void *
devfs_make_node(dev_t dev, int chrblk, uid_t uid, gid_t gid, int perms, const char *fmt, ...)
{
	struct devnode *dn, *other;
	va_list ap;
	int n;

	if (chrblk != DEVFS_CHAR)
		return NULL;		/* block devices: none yet */
	dn = kalloc(sizeof(*dn));
	if (dn == NULL)
		return NULL;
	memset(dn, 0, sizeof(*dn));
	va_start(ap, fmt);
	n = vsnprintf(dn->dn_name, sizeof(dn->dn_name), fmt, ap);
	va_end(ap);
	if (n <= 0 || n >= (int)sizeof(dn->dn_name) || strchr(dn->dn_name, '/') != NULL ||
	    strcmp(dn->dn_name, ".") == 0 || strcmp(dn->dn_name, "..") == 0) {
		kfree(dn, sizeof(*dn));
		return NULL;
	}
	dn->dn_type = VCHR;
	dn->dn_dev = dev;
	dn->dn_mode = (mode_t)perms & ALLPERMS;
	dn->dn_uid = uid;
	dn->dn_gid = gid;
	devfs_now(&dn->dn_time);
	lck_mtx_lock(&devfs.lock);
	TAILQ_FOREACH(other, &devfs.nodes, dn_link) {
		if (strcmp(other->dn_name, dn->dn_name) == 0) {
			lck_mtx_unlock(&devfs.lock);
			kfree(dn, sizeof(*dn));
			return NULL;
		}
	}
	dn->dn_ino = dn->dn_cookie = devfs.next++;
	TAILQ_INSERT_TAIL(&devfs.nodes, dn, dn_link);
	devfs.root.dn_time = dn->dn_time;
	lck_mtx_unlock(&devfs.lock);
	/* A negative cache entry may say it does not exist. */
	if (devfs.root.dn_vnode != NULLVP)
		cache_purge_negatives(devfs.root.dn_vnode);
	return dn;
}

void
devfs_remove(void *handle)
{
	struct devnode *dn = handle;
	vnode_t vp;
	int free_now;

	if (dn == NULL)
		return;

	lck_mtx_lock(&devfs.lock);
	TAILQ_REMOVE(&devfs.nodes, dn, dn_link);
	dn->dn_removed = 1;
	vp = dn->dn_vnode;
	free_now = vp == NULLVP;		/* nobody can reach it any more */
	if (vp != NULLVP && vnode_get(vp) != 0)
		vp = NULLVP;			/* being reclaimed: the reclaim frees it */
	lck_mtx_unlock(&devfs.lock);
	if (free_now)
		kfree(dn, sizeof(*dn));
	if (vp == NULLVP)
		return;
	cache_purge(vp);
	vnode_recycle(vp);
	vnode_put(vp);		/* reclaimed now if unused, else at its last close */
}

/* dn's vnode, made if need be, with an iocount. Locks: [D]. */
static int
devfs_vnode_locked(struct devnode *dn, vnode_t *vpp)
{
	struct vnode_fsparam vfsp;
	int error;

	if (devfs.mp == NULL || dn->dn_removed)
		return ENOENT;
	if (dn->dn_vnode == NULLVP) {
		memset(&vfsp, 0, sizeof(vfsp));
		vfsp.vnfs_mp = devfs.mp;
		vfsp.vnfs_vtype = dn->dn_type;
		vfsp.vnfs_vops = dn->dn_type == VDIR ? &devfs_vnodeops : &devfs_specops;
		vfsp.vnfs_fsnode = dn;
		vfsp.vnfs_rdev = dn->dn_dev;
		vfsp.vnfs_markroot = dn == &devfs.root;
		if ((error = vnode_create(&vfsp, &dn->dn_vnode)) != 0)
			return error;
	}
	if ((error = vnode_get(dn->dn_vnode)) != 0)
		return error;
	*vpp = dn->dn_vnode;
	return 0;
}

/* --- vnode operations ---------------------------------------------------------------- */

static int
devfs_lookup(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, vfs_context_t ctx)
{
	struct devnode *dn;
	int error = ENOENT;

	(void)ctx;
	if (dvp->v_data != &devfs.root)
		return ENOTDIR;
	lck_mtx_lock(&devfs.lock);
	if (cnp->cn_flags & ISDOTDOT) {
		error = devfs_vnode_locked(&devfs.root, vpp);
	} else {
		TAILQ_FOREACH(dn, &devfs.nodes, dn_link) {
			if ((int)strlen(dn->dn_name) == cnp->cn_namelen &&
			    memcmp(dn->dn_name, cnp->cn_nameptr, (size_t)cnp->cn_namelen) == 0) {
				error = devfs_vnode_locked(dn, vpp);
				break;
			}
		}
	}
	lck_mtx_unlock(&devfs.lock);
	return error;
}

static int
devfs_readdir(vnode_t vp, struct uio *uio, int flags, int *eofflag, int *numdirent,
    vfs_context_t ctx)
{
	struct devnode *dn;
	off_t cookie = uio_offset(uio);
	int error = 0, n = 0;

	(void)vp;
	(void)flags;
	(void)ctx;
	*eofflag = 0;
	lck_mtx_lock(&devfs.lock);
	for (; cookie < 2; cookie++) {
		error = vfs_dirent_emit(uio, devfs.root.dn_ino, cookie + 1, DT_DIR, "..",
		    cookie == 0 ? 1 : 2);
		if (error != 0)
			goto out;
		uio_setoffset(uio, cookie + 1);
		n++;
	}
	TAILQ_FOREACH(dn, &devfs.nodes, dn_link) {
		if ((off_t)dn->dn_cookie < cookie)
			continue;
		error = vfs_dirent_emit(uio, dn->dn_ino, (int64_t)dn->dn_cookie + 1,
		    vtype_to_dtype(dn->dn_type), dn->dn_name, (int)strlen(dn->dn_name));
		if (error != 0)
			goto out;
		uio_setoffset(uio, (off_t)dn->dn_cookie + 1);
		n++;
	}
	*eofflag = 1;
out:
	lck_mtx_unlock(&devfs.lock);
	*numdirent = n;
	return error == -1 ? 0 : error;
}

static int
devfs_getattr(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx)
{
	struct devnode *dn = vp->v_data;

	(void)ctx;
	lck_mtx_lock(&devfs.lock);
	vap->va_mode = (dn->dn_type == VDIR ? S_IFDIR : S_IFCHR) | dn->dn_mode;
	vap->va_uid = dn->dn_uid;
	vap->va_gid = dn->dn_gid;
	vap->va_nlink = dn->dn_type == VDIR ? 2 : 1;
	vap->va_fileid = dn->dn_ino;
	vap->va_rdev = dn->dn_type == VDIR ? 0 : dn->dn_dev;
	vap->va_access_time = vap->va_modify_time = vap->va_change_time = dn->dn_time;
	lck_mtx_unlock(&devfs.lock);
	return 0;
}

static int
devfs_setattr(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx)
{
	struct devnode *dn = vp->v_data;

	(void)ctx;
	if (VATTR_IS_ACTIVE(vap, va_data_size))
		return dn->dn_type == VDIR ? EISDIR : 0;	/* O_TRUNC of a device */
	lck_mtx_lock(&devfs.lock);
	if (VATTR_IS_ACTIVE(vap, va_mode))
		dn->dn_mode = vap->va_mode & ALLPERMS;
	if (VATTR_IS_ACTIVE(vap, va_uid))
		dn->dn_uid = vap->va_uid;
	if (VATTR_IS_ACTIVE(vap, va_gid))
		dn->dn_gid = vap->va_gid;
	devfs_now(&dn->dn_time);
	lck_mtx_unlock(&devfs.lock);
	return 0;
}

static int
devfs_inactive(vnode_t vp, vfs_context_t ctx)
{
	struct devnode *dn = vp->v_data;

	(void)ctx;
	lck_mtx_lock(&devfs.lock);
	if (dn->dn_removed)
		vnode_recycle(vp);
	lck_mtx_unlock(&devfs.lock);
	return 0;
}

static int
devfs_reclaim(vnode_t vp, vfs_context_t ctx)
{
	struct devnode *dn = vp->v_data;
	int gone;

	(void)ctx;
	lck_mtx_lock(&devfs.lock);
	if (dn->dn_vnode == vp)
		dn->dn_vnode = NULLVP;
	gone = dn->dn_removed;
	lck_mtx_unlock(&devfs.lock);
	if (gone)
		kfree(dn, sizeof(*dn));
	return 0;
}

static const struct vnodeops devfs_vnodeops = {
	.vnop_lookup = devfs_lookup,
	.vnop_getattr = devfs_getattr,
	.vnop_setattr = devfs_setattr,
	.vnop_readdir = devfs_readdir,
	.vnop_inactive = devfs_inactive,
	.vnop_reclaim = devfs_reclaim,
};

static const struct vnodeops devfs_specops = {
	.vnop_open = spec_open,
	.vnop_close = spec_close,
	.vnop_read = spec_read,
	.vnop_write = spec_write,
	.vnop_ioctl = spec_ioctl,
	.vnop_select = spec_select,
	.vnop_getattr = devfs_getattr,
	.vnop_setattr = devfs_setattr,
	.vnop_inactive = devfs_inactive,
	.vnop_reclaim = devfs_reclaim,
};

/* --- the filesystem -------------------------------------------------------------------- */

static int
devfs_mount(mount_t mp, vnode_t devvp, user_addr_t data, vfs_context_t ctx)
{
	(void)devvp;
	(void)data;
	(void)ctx;
	lck_mtx_lock(&devfs.lock);
	if (devfs.mp != NULL) {
		lck_mtx_unlock(&devfs.lock);
		return EBUSY;
	}
	devfs.mp = mp;
	lck_mtx_unlock(&devfs.lock);
	return 0;
}

static int
devfs_unmount(mount_t mp, int mntflags, vfs_context_t ctx)
{
	(void)mntflags;
	(void)ctx;
	vflush(mp);
	lck_mtx_lock(&devfs.lock);
	devfs.mp = NULL;
	lck_mtx_unlock(&devfs.lock);
	return 0;
}

static int
devfs_root(mount_t mp, vnode_t *vpp, vfs_context_t ctx)
{
	int error;

	(void)mp;
	(void)ctx;
	lck_mtx_lock(&devfs.lock);
	error = devfs_vnode_locked(&devfs.root, vpp);
	lck_mtx_unlock(&devfs.lock);
	return error;
}

static int
devfs_statfs(mount_t mp, struct statfs *sbp, vfs_context_t ctx)
{
	struct devnode *dn;

	(void)mp;
	(void)ctx;
	lck_mtx_lock(&devfs.lock);
	TAILQ_FOREACH(dn, &devfs.nodes, dn_link)
		sbp->f_files++;
	lck_mtx_unlock(&devfs.lock);
	return 0;
}

static const struct vfsops devfs_vfsops = {
	.vfs_mount = devfs_mount,
	.vfs_unmount = devfs_unmount,
	.vfs_root = devfs_root,
	.vfs_statfs = devfs_statfs,
};

void
devfs_init(void)
{
	struct vfs_fsentry vfe = {
		.vfe_vfsops = &devfs_vfsops,
		.vfe_fsname = "devfs",
		.vfe_magic = DEVFS_MAGIC,
		.vfe_flags = VFS_TBLNOMOUNTROOT | VFS_TBLSINGLE,
	};

	lck_grp_init(&devfs.grp, "devfs", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&devfs.lock, &devfs.grp, LCK_ATTR_NULL);
	TAILQ_INIT(&devfs.nodes);
	devfs.root.dn_type = VDIR;
	devfs.root.dn_mode = 0755;
	devfs.root.dn_ino = 2;
	devfs.next = 3;
	devfs_now(&devfs.root.dn_time);
	(void)vfs_fsadd(&vfe, NULL);
	/* The console and /dev/tty: their drivers are the terminal's. */
	(void)devfs_make_node(makedev(CONSOLE_MAJOR, 0), DEVFS_CHAR, UID_ROOT, GID_TTY, 0600,
	    "console");
	(void)devfs_make_node(makedev(CTTY_MAJOR, 0), DEVFS_CHAR, UID_ROOT, GID_TTY, 0666, "tty");
}
