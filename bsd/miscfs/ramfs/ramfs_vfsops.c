/*
 * ramfs_vfsops.c - ramfs as a filesystem (bsd/miscfs/ramfs/ramfs.h): its
 * nodes, mounting and unmounting, statfs, and filling the root from the
 * initrd.
 */

#include "bsd/miscfs/ramfs/ramfs.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/namei.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/initrd.h"
#include "kernel/console.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/kalloc.h"
#include "mach/vm/vm_page.h"

static lck_grp_t ramfs_lck_grp;

void
ramfs_now(struct timespec *ts)
{
	uint32_t secs, nsecs;

	clock_get_calendar_nanotime(&secs, &nsecs);
	ts->tv_sec = secs;
	ts->tv_nsec = nsecs;
}

/* --- nodes ------------------------------------------------------------------------ */

int
ramfs_node_alloc(struct ramfs_mount *rmp, enum vtype type, mode_t mode, uid_t uid, gid_t gid,
    dev_t rdev, struct ramfs_node **npp)
{
	struct vnode_fsparam vfsp;
	struct ramfs_node *np = kalloc(sizeof(*np));
	int error;

	if (np == NULL)
		return ENOMEM;
	memset(np, 0, sizeof(*np));
	np->rn_type = type;
	np->rn_mode = mode & ALLPERMS;
	np->rn_uid = uid;
	np->rn_gid = gid;
	np->rn_rdev = rdev;
	np->rn_nlink = type == VDIR ? 2 : 1;
	TAILQ_INIT(&np->rn_dir);
	np->rn_nextcookie = 2;		/* 0 and 1 are "." and ".." */
	ramfs_now(&np->rn_atime);
	np->rn_mtime = np->rn_ctime = np->rn_atime;
	if (type == VREG) {
		np->rn_object = vm_object_allocate(RAMFS_MAXFILESIZE);
		if (np->rn_object == VM_OBJECT_NULL) {
			kfree(np, sizeof(*np));
			return ENOMEM;
		}
	}
	memset(&vfsp, 0, sizeof(vfsp));
	vfsp.vnfs_mp = rmp->rm_mp;
	vfsp.vnfs_vtype = type;
	vfsp.vnfs_vops = type == VCHR ? &ramfs_specops :
	    type == VFIFO ? &ramfs_fifoops : &ramfs_vnodeops;
	vfsp.vnfs_fsnode = np;
	vfsp.vnfs_rdev = rdev;
	vfsp.vnfs_object = np->rn_object;
	vfsp.vnfs_markroot = rmp->rm_root == NULL;
	if ((error = vnode_create(&vfsp, &np->rn_vnode)) != 0) {
		if (np->rn_object != VM_OBJECT_NULL)
			vm_object_deallocate(np->rn_object);
		kfree(np, sizeof(*np));
		return error;
	}
	np->rn_ino = ++rmp->rm_nextino;
	rmp->rm_nodes++;
	*npp = np;
	return 0;
}

/* Free a node whose vnode is being reclaimed. Locks: none held (takes [R]). */
void
ramfs_node_free(struct ramfs_mount *rmp, struct ramfs_node *np)
{
	struct ramfs_dirent *de;

	lck_mtx_lock(&rmp->rm_lock);
	rmp->rm_nodes--;
	lck_mtx_unlock(&rmp->rm_lock);
	while ((de = TAILQ_FIRST(&np->rn_dir)) != NULL) {
		TAILQ_REMOVE(&np->rn_dir, de, de_link);
		kfree(de, sizeof(*de) + de->de_namelen);
	}
	if (np->rn_object != VM_OBJECT_NULL)
		vm_object_deallocate(np->rn_object);
	if (np->rn_link != NULL)
		kfree(np->rn_link, (size_t)np->rn_size + 1);
	kfree(np, sizeof(*np));
}

/* --- the filesystem --------------------------------------------------------------------- */

static int
ramfs_mount(mount_t mp, vnode_t devvp, user_addr_t data, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = kalloc(sizeof(*rmp));
	kauth_cred_t cred = vfs_context_ucred(ctx);
	struct ramfs_node *root;
	int error;

	(void)devvp;
	(void)data;
	if (rmp == NULL)
		return ENOMEM;
	memset(rmp, 0, sizeof(*rmp));
	lck_mtx_init(&rmp->rm_lock, &ramfs_lck_grp, LCK_ATTR_NULL);
	rmp->rm_mp = mp;
	mp->mnt_data = rmp;
	error = ramfs_node_alloc(rmp, VDIR, mp->mnt_vnodecovered == NULLVP ? 0755 : 01777,
	    kauth_cred_getuid(cred), kauth_cred_getgid(cred), 0, &root);
	if (error != 0) {
		lck_mtx_destroy(&rmp->rm_lock, &ramfs_lck_grp);
		kfree(rmp, sizeof(*rmp));
		mp->mnt_data = NULL;
		return error;
	}
	root->rn_parent = root;
	rmp->rm_root = root;
	return 0;
}

static int
ramfs_unmount(mount_t mp, int mntflags, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = mp->mnt_data;

	(void)mntflags;
	(void)ctx;
	vflush(mp);		/* every node goes with its vnode */
	lck_mtx_destroy(&rmp->rm_lock, &ramfs_lck_grp);
	kfree(rmp, sizeof(*rmp));
	mp->mnt_data = NULL;
	return 0;
}

static int
ramfs_root(mount_t mp, vnode_t *vpp, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = mp->mnt_data;
	int error;

	(void)ctx;
	if ((error = vnode_get(rmp->rm_root->rn_vnode)) != 0)
		return error;
	*vpp = rmp->rm_root->rn_vnode;
	return 0;
}

static int
ramfs_statfs(mount_t mp, struct statfs *sbp, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = mp->mnt_data;
	struct vm_page_stats ps;

	(void)ctx;
	vm_page_get_stats(&ps);
	lck_mtx_lock(&rmp->rm_lock);
	sbp->f_blocks = ps.vps_total;
	sbp->f_bfree = ps.vps_free;
	sbp->f_bavail = ps.vps_free;
	sbp->f_files = rmp->rm_nodes + ps.vps_free;
	sbp->f_ffree = ps.vps_free;
	lck_mtx_unlock(&rmp->rm_lock);
	return 0;
}

static const struct vfsops ramfs_vfsops = {
	.vfs_mount = ramfs_mount,
	.vfs_unmount = ramfs_unmount,
	.vfs_root = ramfs_root,
	.vfs_statfs = ramfs_statfs,
};

void
ramfs_init(void)
{
	struct vfs_fsentry vfe = {
		.vfe_vfsops = &ramfs_vfsops,
		.vfe_fsname = "ramfs",
		.vfe_magic = RAMFS_MAGIC,
	};

	lck_grp_init(&ramfs_lck_grp, "ramfs", LCK_GRP_ATTR_NULL);
	(void)vfs_fsadd(&vfe, NULL);
	vfe.vfe_fsname = "tmpfs";
	(void)vfs_fsadd(&vfe, NULL);
}

/* --- the initrd ------------------------------------------------------------------------ */

struct fill_ctx {
	vfs_context_t	ctx;
	unsigned	files, failed;
};

/* Make one member through the VFS (the parent must exist: cpio lists parents first). */
static int
fill_one(const struct cpio_entry *e, vfs_context_t ctx)
{
	uint32_t type = e->ce_mode & CPIO_S_IFMT;
	struct nameidata nd;
	struct vnode_attr va;
	char *target = NULL;
	vnode_t vp = NULLVP;
	int error;

	NDINIT(&nd, CREATE, NOFOLLOW | WANTPARENT, e->ce_name, ctx);
	if ((error = namei(&nd)) != 0)
		return error;
	VATTR_INIT(&va);
	VATTR_SET(&va, va_mode, e->ce_mode & ALLPERMS);
	if (nd.ni_vp != NULLVP) {
		/* Already there ("." or a repeated directory): take the mode. */
		if (type == CPIO_S_IFDIR && nd.ni_vp->v_type == VDIR)
			error = vnode_setattr(nd.ni_vp, &va, ctx);
		else
			error = EEXIST;
		vp = nd.ni_vp;
	} else if (type == CPIO_S_IFDIR) {
		error = VNOP_MKDIR(nd.ni_dvp, &vp, &nd.ni_cnd, &va, ctx);
	} else if (type == CPIO_S_IFREG) {
		error = VNOP_CREATE(nd.ni_dvp, &vp, &nd.ni_cnd, &va, ctx);
		if (error == 0 && e->ce_size != 0)
			error = vn_rdwr(UIO_WRITE, vp, (void *)(uintptr_t)e->ce_data,
			    (int64_t)e->ce_size, 0, 0, ctx, NULL);
	} else if (type == CPIO_S_IFLNK && e->ce_size > 0 && e->ce_size < MAXPATHLEN) {
		target = kalloc(e->ce_size + 1);
		if (target == NULL) {
			error = ENOMEM;
		} else {
			memcpy(target, e->ce_data, e->ce_size);
			target[e->ce_size] = '\0';
			error = VNOP_SYMLINK(nd.ni_dvp, &vp, &nd.ni_cnd, &va, target, ctx);
			kfree(target, e->ce_size + 1);
		}
	} else {
		error = ENOTSUP;
	}
	nameidone(&nd);
	if (vp != NULLVP)
		vnode_put(vp);
	if (nd.ni_dvp != NULLVP)
		vnode_put(nd.ni_dvp);
	return error;
}

/* Make the directories leading to path (a kernel buffer, restored on return). */
static void
fill_parents(char *path, vfs_context_t ctx)
{
	struct cpio_entry dir = { .ce_name = path, .ce_mode = CPIO_S_IFDIR | 0755 };

	for (char *slash = strchr(path + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		vnode_t vp;

		*slash = '\0';
		if (vnode_lookup(path, 0, &vp, ctx) == 0)
			vnode_put(vp);
		else
			(void)fill_one(&dir, ctx);
		*slash = '/';
	}
}

static void
fill_member(const struct cpio_entry *e, void *arg)
{
	struct fill_ctx *fc = arg;
	struct cpio_entry copy = *e;
	char *path;
	int error = ENAMETOOLONG;

	path = kalloc(MAXPATHLEN);
	if (path == NULL) {
		fc->failed++;
		return;
	}
	if (strlen(e->ce_name) + 2 <= MAXPATHLEN) {
		path[0] = '/';
		strlcpy(path + 1, e->ce_name[0] == '/' ? e->ce_name + 1 : e->ce_name,
		    MAXPATHLEN - 1);
		copy.ce_name = path;
		error = fill_one(&copy, fc->ctx);
		if (error == ENOENT) {
			fill_parents(path, fc->ctx);
			error = fill_one(&copy, fc->ctx);
		}
	}
	kfree(path, MAXPATHLEN);
	if (error != 0) {
		printf("ramfs: initrd member %s not copied (%d)\n", e->ce_name, error);
		fc->failed++;
	} else {
		fc->files++;
	}
}

void
ramfs_fill_from_initrd(mount_t mp, vfs_context_t ctx)
{
	struct fill_ctx fc = { .ctx = ctx };

	(void)mp;
	if (!initrd_present())
		return;
	initrd_foreach(fill_member, &fc);
	if (fc.failed != 0)
		printf("ramfs: %u initrd members copied, %u not\n", fc.files, fc.failed);
}
