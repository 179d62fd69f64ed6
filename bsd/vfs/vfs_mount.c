/*
 * vfs_mount.c - filesystem types, the mount table, mounting and
 * unmounting (bsd/sys/mount.h), and the VFS's start at boot (vfsinit).
 *
 * Mounting: the type is found by name, a struct mount made, VFS_MOUNT
 * and VFS_ROOT asked, and then, under the mount table lock, the covered
 * directory is checked to be still free and linked to the new mount.
 * Unmounting unlinks first (so no lookup can enter any more), then checks
 * that no vnode of the mount is in use (putting it back if one is), and
 * only then lets the filesystem go (VFS_UNMOUNT, which vflushes).
 *
 * Locks: the mount table lock, a mutex, is [M] of bsd/sys/mount.h; it
 * is held across no VFS_* call but namei's VFS_ROOT.
 */

#include "bsd/sys/mount.h"

#include "bsd/dev/mem.h"
#include "bsd/miscfs/devfs/devfs.h"
#include "bsd/miscfs/fifofs/fifo.h"
#include "bsd/miscfs/ramfs/ramfs.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/namei.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/initrd.h"
#include "libkern/panic.h"
#include "kernel/console.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/locks.h"

static struct {
	lck_grp_t			grp;
	lck_mtx_t			lock;
	TAILQ_HEAD(, mount)		mounts;		/* [M] */
	TAILQ_HEAD(, vfstable)		types;		/* [M] */
	uint32_t			next_fsid;	/* [M] */
} mnt;

mount_t rootmount;

void mount_list_lock(void) { lck_mtx_lock(&mnt.lock); }
void mount_list_unlock(void) { lck_mtx_unlock(&mnt.lock); }

static void
mount_table_init(void)
{
	lck_grp_init(&mnt.grp, "mount", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&mnt.lock, &mnt.grp, LCK_ATTR_NULL);
	TAILQ_INIT(&mnt.mounts);
	TAILQ_INIT(&mnt.types);
	mnt.next_fsid = 1;
}

/* --- filesystem types ----------------------------------------------------------------- */

/* The type named name. Locks: [M]. */
static vfstable_t
vfs_type_find_locked(const char *name)
{
	vfstable_t vfc;

	TAILQ_FOREACH(vfc, &mnt.types, vfc_list) {
		if (strcmp(vfc->vfc_name, name) == 0)
			return vfc;
	}
	return NULL;
}

int
vfs_fsadd(const struct vfs_fsentry *vfe, vfstable_t *handle)
{
	vfstable_t vfc;

	if (vfe->vfe_fsname == NULL || strlen(vfe->vfe_fsname) >= MFSNAMELEN ||
	    vfe->vfe_vfsops == NULL || vfe->vfe_vfsops->vfs_root == NULL)
		return EINVAL;
	vfc = kalloc(sizeof(*vfc));
	if (vfc == NULL)
		return ENOMEM;
	memset(vfc, 0, sizeof(*vfc));
	strlcpy(vfc->vfc_name, vfe->vfe_fsname, sizeof(vfc->vfc_name));
	vfc->vfc_vfsops = vfe->vfe_vfsops;
	vfc->vfc_magic = vfe->vfe_magic;
	vfc->vfc_flags = vfe->vfe_flags;
	mount_list_lock();
	if (vfs_type_find_locked(vfc->vfc_name) != NULL) {
		mount_list_unlock();
		kfree(vfc, sizeof(*vfc));
		return EEXIST;
	}
	TAILQ_INSERT_TAIL(&mnt.types, vfc, vfc_list);
	mount_list_unlock();
	if (handle != NULL)
		*handle = vfc;
	return 0;
}

int
vfs_fsremove(vfstable_t handle)
{
	mount_list_lock();
	if (handle->vfc_refcount != 0) {
		mount_list_unlock();
		return EBUSY;
	}
	TAILQ_REMOVE(&mnt.types, handle, vfc_list);
	mount_list_unlock();
	kfree(handle, sizeof(*handle));
	return 0;
}

/* --- mounting --------------------------------------------------------------------------- */

int
vfs_isrdonly(mount_t mp)
{
	return (mp->mnt_flag & MS_RDONLY) != 0;
}

static void
mount_free(mount_t mp)
{
	mount_list_lock();
	mp->mnt_vtable->vfc_refcount--;
	mount_list_unlock();
	kfree(mp, sizeof(*mp));
}

int
vfs_mount_internal(const char *fstype, const char *from, vnode_t covered, int flags,
    user_addr_t data, vfs_context_t ctx)
{
	vfstable_t vfc;
	mount_t mp;
	vnode_t root;
	int error;

	if (covered != NULLVP && covered->v_type != VDIR)
		return ENOTDIR;
	mp = kalloc(sizeof(*mp));
	if (mp == NULL)
		return ENOMEM;
	memset(mp, 0, sizeof(*mp));
	TAILQ_INIT(&mp->mnt_vnodelist);
	mount_list_lock();
	vfc = vfs_type_find_locked(fstype);
	if (vfc == NULL || ((vfc->vfc_flags & VFS_TBLSINGLE) && vfc->vfc_refcount != 0)) {
		mount_list_unlock();
		kfree(mp, sizeof(*mp));
		return vfc == NULL ? ENODEV : EBUSY;
	}
	vfc->vfc_refcount++;
	mp->mnt_fsid = makedev(0, mnt.next_fsid++);
	mount_list_unlock();
	mp->mnt_vtable = vfc;
	mp->mnt_op = vfc->vfc_vfsops;
	mp->mnt_flag = flags & (MS_RDONLY | MS_NOSUID);
	mp->mnt_vnodecovered = covered;
	strlcpy(mp->mnt_fstypename, vfc->vfc_name, sizeof(mp->mnt_fstypename));
	strlcpy(mp->mnt_from, from != NULL ? from : vfc->vfc_name, sizeof(mp->mnt_from));
	if ((error = VFS_MOUNT(mp, NULLVP, data, ctx)) != 0) {
		mount_free(mp);
		return error;
	}
	if ((error = VFS_ROOT(mp, &root, ctx)) != 0) {
		(void)VFS_UNMOUNT(mp, MNT_FORCE, ctx);
		mount_free(mp);
		return error;
	}
	mount_list_lock();
	if (covered != NULLVP && covered->v_mountedhere != NULL) {
		mount_list_unlock();
		vnode_put(root);
		(void)VFS_UNMOUNT(mp, MNT_FORCE, ctx);
		mount_free(mp);
		return EBUSY;
	}
	mp->mnt_rootvp = root;
	(void)vnode_ref(root);
	if (covered != NULLVP) {
		(void)vnode_ref(covered);
		covered->v_mountedhere = mp;
	}
	TAILQ_INSERT_TAIL(&mnt.mounts, mp, mnt_list);
	mount_list_unlock();
	vnode_put(root);
	return 0;
}

int
vfs_unmount_internal(mount_t mp, int flags, vfs_context_t ctx)
{
	vnode_t covered, root;
	mount_t sub;
	int error;

	mount_list_lock();
	TAILQ_FOREACH(sub, &mnt.mounts, mnt_list) {
		if (sub == mp)
			break;
	}
	if (sub == NULL || mp->mnt_vnodecovered == NULLVP) {
		mount_list_unlock();
		return EINVAL;		/* gone already, or the root filesystem */
	}
	covered = mp->mnt_vnodecovered;
	root = mp->mnt_rootvp;
	TAILQ_FOREACH(sub, &mnt.mounts, mnt_list) {
		if (sub->mnt_vnodecovered != NULLVP && sub->mnt_vnodecovered->v_mount == mp) {
			mount_list_unlock();
			return EBUSY;		/* something is mounted inside it */
		}
	}
	covered->v_mountedhere = NULL;		/* no lookup enters it from now on */
	mount_list_unlock();
	if (vnode_mount_busy(mp, 1)) {
		mount_list_lock();
		covered->v_mountedhere = mp;
		mount_list_unlock();
		return EBUSY;
	}
	mount_list_lock();
	TAILQ_REMOVE(&mnt.mounts, mp, mnt_list);
	mount_list_unlock();
	vnode_rele(root);
	error = VFS_UNMOUNT(mp, flags, ctx);
	if (error != 0)
		printf("vfs: unmount of %s failed late (%d); its vnodes are gone\n",
		    mp->mnt_fstypename, error);
	vnode_rele(covered);
	mount_free(mp);
	return 0;
}

int
vfs_statfs_fill(mount_t mp, struct statfs *sbp, vfs_context_t ctx)
{
	memset(sbp, 0, sizeof(*sbp));
	sbp->f_type = mp->mnt_vtable->vfc_magic;
	sbp->f_bsize = 4096;
	sbp->f_frsize = 4096;
	sbp->f_namelen = MAXNAMLEN;
	sbp->f_fsid[0] = (int32_t)mp->mnt_fsid;
	sbp->f_flags = (mp->mnt_flag & MS_RDONLY ? ST_RDONLY : 0) |
	    (mp->mnt_flag & MS_NOSUID ? ST_NOSUID : 0);
	return VFS_STATFS(mp, sbp, ctx);
}

void
vfs_sync_all(vfs_context_t ctx)
{
	mount_t mp;

	/* Mounts are never freed while listed with the lock dropped: sync is a no-op today. */
	mount_list_lock();
	TAILQ_FOREACH(mp, &mnt.mounts, mnt_list)
		(void)VFS_SYNC(mp, 0, ctx);
	mount_list_unlock();
}

/* --- boot ----------------------------------------------------------------------------- */

/* Mount devfs on /dev, making the directory if the initrd had none. */
static void
vfs_mount_dev(vfs_context_t ctx)
{
	struct nameidata nd;
	struct vnode_attr va;
	vnode_t vp = NULLVP;
	int error;

	NDINIT(&nd, CREATE, FOLLOW | WANTPARENT, "/dev", ctx);
	if ((error = namei(&nd)) != 0) {
		printf("vfs: no /dev (%d)\n", error);
		return;
	}
	if (nd.ni_vp == NULLVP) {
		VATTR_INIT(&va);
		VATTR_SET(&va, va_mode, 0755);
		error = VNOP_MKDIR(nd.ni_dvp, &vp, &nd.ni_cnd, &va, ctx);
	} else {
		vp = nd.ni_vp;
	}
	nameidone(&nd);
	if (nd.ni_dvp != NULLVP)
		vnode_put(nd.ni_dvp);
	if (error == 0)
		error = vfs_mount_internal("devfs", "devfs", vp, 0, 0, ctx);
	if (vp != NULLVP)
		vnode_put(vp);
	if (error != 0)
		printf("vfs: devfs not mounted on /dev (%d)\n", error);
}

void
vfsinit(void)
{
	vfs_context_t ctx = vfs_context_kernel();
	int error;

	mount_table_init();
	cache_init();
	namei_init();
	fifo_init();
	vn_flock_init();
	ramfs_init();
	devfs_init();
	mem_init();
	if ((error = vfs_mount_internal("ramfs", "initrd", NULLVP, 0, 0, ctx)) != 0)
		panic("vfsinit: no root filesystem (%d)", error);
	rootmount = TAILQ_FIRST(&mnt.mounts);
	rootvnode = rootmount->mnt_rootvp;
	ramfs_fill_from_initrd(rootmount, ctx);
	vfs_mount_dev(ctx);
	/* kernproc and every process it makes start in /. */
	proc_fdlock(kernproc);
	if (kernproc->p_fd->fd_cdir == NULLVP) {
		(void)vnode_ref(rootvnode);
		kernproc->p_fd->fd_cdir = rootvnode;
	}
	proc_fdunlock(kernproc);
}
