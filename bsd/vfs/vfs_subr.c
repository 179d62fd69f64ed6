/*
 * vfs_subr.c - vnodes: making them, counting holds on them, and letting
 * them go (bsd/sys/vnode.h, bsd/sys/vnode_internal.h); VFS contexts.
 *
 * A vnode's life:
 *
 *	vnode_create		the filesystem makes it (no counts)
 *	vnode_get/vnode_put	short-term holds (iocount)
 *	vnode_ref/vnode_rele	long-term references (usecount)
 *	counts reach zero	VNOP_INACTIVE: the filesystem may vnode_recycle
 *	marked and unused	VL_TERMINATE, name cache purged, VNOP_RECLAIM,
 *				off its mount's list, freed
 *
 * vflush reclaims every unused vnode of a mount at unmount.
 *
 * Locks: one mutex, the vnode list lock, covers every vnode's counts and
 * flags and the mounts' vnode lists; it is a leaf among the VFS locks
 * (the name cache's lock may be held when it is taken). It is never held
 * across a VNOP.
 */

#include "bsd/sys/vnode.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/mount.h"
#include "bsd/sys/namei.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/user.h"
#include "bsd/sys/vnode_internal.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/locks.h"
#include "mach/kern/thread.h"
#include "mach/kern/zalloc.h"

static struct vfs_context kernel_context;

static struct {
	lck_grp_t	grp;
	lck_mtx_t	lock;		/* the vnode list lock */
	zone_t		zone;
	uint64_t	count;		/* [V] vnodes alive */
	bool		ready;
} vnodes;

vnode_t rootvnode;

vfs_context_t
vfs_context_kernel(void)
{
	kernel_context.vc_thread = current_thread();
	kernel_context.vc_ucred = kauth_cred_kernel();
	return &kernel_context;
}

vfs_context_t
vfs_context_current(void)
{
	struct uthread *ut = get_bsdthread_info(current_thread());

	return ut != NULL ? &ut->uu_context : vfs_context_kernel();
}

proc_t
vfs_context_proc(vfs_context_t ctx)
{
	struct uthread *ut = ctx->vc_thread != THREAD_NULL ?
	    get_bsdthread_info(ctx->vc_thread) : NULL;

	return ut != NULL ? ut->uu_proc : kernproc;
}

kauth_cred_t
vfs_context_ucred(vfs_context_t ctx)
{
	return ctx->vc_ucred;
}

/* --- making vnodes ---------------------------------------------------------------- */

static void
vnode_zone_init(void)
{
	if (vnodes.ready)
		return;
	lck_grp_init(&vnodes.grp, "vnode", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&vnodes.lock, &vnodes.grp, LCK_ATTR_NULL);
	vnodes.zone = zinit(sizeof(struct vnode), 0, 0, "vnodes");
	if (vnodes.zone == ZONE_NULL)
		panic("vnode_zone_init: no memory for the vnode zone");
	vnodes.ready = true;
}

int
vnode_create(const struct vnode_fsparam *param, vnode_t *vpp)
{
	vnode_t vp;

	vnode_zone_init();
	vp = zalloc(vnodes.zone);
	if (vp == NULL)
		return ENOMEM;
	memset(vp, 0, sizeof(*vp));
	vp->v_type = param->vnfs_vtype;
	vp->v_op = param->vnfs_vops;
	vp->v_mount = param->vnfs_mp;
	vp->v_data = param->vnfs_fsnode;
	vp->v_rdev = param->vnfs_rdev;
	vp->v_object = param->vnfs_object;
	vp->v_flag = param->vnfs_markroot ? VROOT : 0;
	lck_mtx_lock(&vnodes.lock);
	if (vp->v_mount != NULL)
		TAILQ_INSERT_TAIL(&vp->v_mount->mnt_vnodelist, vp, v_mntvnodes);
	vnodes.count++;
	lck_mtx_unlock(&vnodes.lock);
	*vpp = vp;
	return 0;
}

uint64_t
vnode_count(void)
{
	return __atomic_load_n(&vnodes.count, __ATOMIC_RELAXED);
}

/* Purge, reclaim and free vp, which is VL_TERMINATE and unused. Locks: none held. */
static void
vnode_reclaim(vnode_t vp)
{
	cache_purge(vp);
	(void)VNOP_RECLAIM(vp, vfs_context_kernel());
	lck_mtx_lock(&vnodes.lock);
	if (vp->v_mount != NULL)
		TAILQ_REMOVE(&vp->v_mount->mnt_vnodelist, vp, v_mntvnodes);
	vnodes.count--;
	lck_mtx_unlock(&vnodes.lock);
	zfree(vnodes.zone, vp);
}

/*
 * A count of vp was just dropped: if it was the last, tell the filesystem
 * (VNOP_INACTIVE) and reclaim vp if it was marked. Locks: the vnode list
 * lock held on entry; released on return.
 */
static void
vnode_release_locked(vnode_t vp)
{
	if (vp->v_iocount != 0 || vp->v_usecount != 0 ||
	    (vp->v_lflag & (VL_INACTIVE | VL_TERMINATE))) {
		lck_mtx_unlock(&vnodes.lock);
		return;
	}
	/*
	 * Again if it was asked for again meanwhile (the file removed while
	 * VNOP_INACTIVE ran): that release found VL_INACTIVE and left it
	 * to this one.
	 */
	while ((vp->v_lflag & VL_NEEDINACTIVE) && vp->v_iocount == 0 && vp->v_usecount == 0) {
		vp->v_lflag = (vp->v_lflag & ~VL_NEEDINACTIVE) | VL_INACTIVE;
		lck_mtx_unlock(&vnodes.lock);
		(void)VNOP_INACTIVE(vp, vfs_context_kernel());
		lck_mtx_lock(&vnodes.lock);
		vp->v_lflag &= ~VL_INACTIVE;
	}
	if (vp->v_iocount == 0 && vp->v_usecount == 0 && (vp->v_lflag & VL_MARKTERM)) {
		vp->v_lflag |= VL_TERMINATE;
		lck_mtx_unlock(&vnodes.lock);
		vnode_reclaim(vp);
		return;
	}
	lck_mtx_unlock(&vnodes.lock);
}

/* --- counts --------------------------------------------------------------------- */

int
vnode_get(vnode_t vp)
{
	int error = 0;

	if (vp == NULLVP)
		return EINVAL;
	lck_mtx_lock(&vnodes.lock);
	if (vp->v_lflag & VL_TERMINATE)
		error = ENOENT;
	else
		vp->v_iocount++;
	lck_mtx_unlock(&vnodes.lock);
	return error;
}

int
vnode_put(vnode_t vp)
{
	if (vp == NULLVP)
		return 0;
	lck_mtx_lock(&vnodes.lock);
	if (vp->v_iocount == 0)
		panic("vnode_put: vnode %p has no iocount", vp);
	vp->v_iocount--;
	vnode_release_locked(vp);
	return 0;
}

int
vnode_ref(vnode_t vp)
{
	if (vp == NULLVP)
		return 0;
	lck_mtx_lock(&vnodes.lock);
	vp->v_usecount++;
	lck_mtx_unlock(&vnodes.lock);
	return 0;
}

void
vnode_rele(vnode_t vp)
{
	if (vp == NULLVP)
		return;
	lck_mtx_lock(&vnodes.lock);
	if (vp->v_usecount == 0)
		panic("vnode_rele: vnode %p has no usecount", vp);
	if (--vp->v_usecount == 0)
		vp->v_lflag |= VL_NEEDINACTIVE;		/* it was open, or a directory in use */
	vnode_release_locked(vp);
}

void
vnode_setneedinactive(vnode_t vp)
{
	lck_mtx_lock(&vnodes.lock);
	vp->v_lflag |= VL_NEEDINACTIVE;
	lck_mtx_unlock(&vnodes.lock);
}

int
vnode_isinuse(vnode_t vp, int refcnt)
{
	int inuse;

	lck_mtx_lock(&vnodes.lock);
	inuse = vp->v_usecount > (uint32_t)refcnt;
	lck_mtx_unlock(&vnodes.lock);
	return inuse;
}

void
vnode_recycle(vnode_t vp)
{
	lck_mtx_lock(&vnodes.lock);
	vp->v_lflag |= VL_MARKTERM;
	lck_mtx_unlock(&vnodes.lock);
}

int
vnode_mount_busy(struct mount *mp, uint32_t rootrefs)
{
	vnode_t vp;
	int busy = 0;

	lck_mtx_lock(&vnodes.lock);
	TAILQ_FOREACH(vp, &mp->mnt_vnodelist, v_mntvnodes) {
		uint32_t allowed = vp == mp->mnt_rootvp ? rootrefs : 0;

		if (vp->v_iocount != 0 || vp->v_usecount > allowed ||
		    (vp->v_lflag & VL_INACTIVE)) {
			busy = 1;
			break;
		}
	}
	lck_mtx_unlock(&vnodes.lock);
	return busy;
}

/*
 * vflush: reclaim every vnode of mp (all unused: the caller checked with
 * vnode_mount_busy and made the mount unreachable). Locks: none held.
 */
void
vflush(mount_t mp)
{
	vnode_t vp;

	for (;;) {
		lck_mtx_lock(&vnodes.lock);
		TAILQ_FOREACH(vp, &mp->mnt_vnodelist, v_mntvnodes) {
			if (!(vp->v_lflag & VL_TERMINATE))
				break;
		}
		if (vp == NULLVP) {
			lck_mtx_unlock(&vnodes.lock);
			return;
		}
		if (vp->v_iocount != 0 || vp->v_usecount != 0)
			panic("vflush: vnode %p of an unmounting filesystem is in use", vp);
		vp->v_lflag |= VL_TERMINATE;
		lck_mtx_unlock(&vnodes.lock);
		vnode_reclaim(vp);
	}
}

/* --- accessors ------------------------------------------------------------------- */

enum vtype vnode_vtype(vnode_t vp) { return vp->v_type; }
mount_t vnode_mount(vnode_t vp) { return vp->v_mount; }
void *vnode_fsnode(vnode_t vp) { return vp->v_data; }
int vnode_isdir(vnode_t vp) { return vp->v_type == VDIR; }
int vnode_isreg(vnode_t vp) { return vp->v_type == VREG; }
int vnode_islnk(vnode_t vp) { return vp->v_type == VLNK; }
dev_t vnode_specrdev(vnode_t vp) { return vp->v_rdev; }
