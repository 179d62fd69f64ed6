/*
 * vfs_flock.c - flock(2): whole-file advisory locks, shared or exclusive,
 * held by an open file (a fileglob: every descriptor dup'd from it or
 * inherited by fork shares the lock) and let go by LOCK_UN or by the
 * last close of that open file.
 *
 * A vnode's locks are a short list of (open file, kind) (v_flocks). A
 * request waits, interruptibly, while another open file holds a lock it
 * conflicts with (LOCK_NB: EWOULDBLOCK instead). Changing one's lock
 * from shared to exclusive or back lets the old one go first, as Linux
 * does, so that two shared holders that both ask for exclusive cannot
 * deadlock.
 *
 * Locks: one mutex (the flock lock) covers every vnode's v_flocks; a
 * leaf, taken with no other VFS lock held.
 */

#include "bsd/sys/vnode_internal.h"

#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/sysproto.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/locks.h"

#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8

struct vflock {
	struct vflock		*vf_next;	/* [K] */
	struct fileglob		*vf_fg;		/* [K] the open file holding it */
	int			vf_type;	/* [K] LOCK_SH or LOCK_EX */
};

static struct {
	lck_grp_t	grp;
	lck_mtx_t	lock;
} flocks;

void
vn_flock_init(void)
{
	lck_grp_init(&flocks.grp, "flock", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&flocks.lock, &flocks.grp, LCK_ATTR_NULL);
}

/* Take fg's entry off vp's list; it is returned, or NULL. Locks: [K]. */
static struct vflock *
flock_unlink(vnode_t vp, struct fileglob *fg)
{
	for (struct vflock **pp = &vp->v_flocks; *pp != NULL; pp = &(*pp)->vf_next) {
		if ((*pp)->vf_fg == fg) {
			struct vflock *vf = *pp;

			*pp = vf->vf_next;
			return vf;
		}
	}
	return NULL;
}

/* Does another open file hold a lock that want conflicts with? Locks: [K]. */
static int
flock_conflict(vnode_t vp, struct fileglob *fg, int want)
{
	for (struct vflock *vf = vp->v_flocks; vf != NULL; vf = vf->vf_next) {
		if (vf->vf_fg != fg && (want == LOCK_EX || vf->vf_type == LOCK_EX))
			return 1;
	}
	return 0;
}

int
vn_flock(vnode_t vp, struct fileglob *fg, int op)
{
	int want = op & (LOCK_SH | LOCK_EX), error = 0;
	struct vflock *old, *nvf = NULL;

	if (!(op & LOCK_UN) && (nvf = kalloc(sizeof(*nvf))) == NULL)
		return ENOLCK;
	lck_mtx_lock(&flocks.lock);
	old = flock_unlink(vp, fg);
	if (old != NULL && old->vf_type == want) {
		old->vf_next = vp->v_flocks;	/* already held as asked: put it back */
		vp->v_flocks = old;
		old = NULL;
		goto out;
	}
	if (old != NULL)
		wakeup(&vp->v_flocks);		/* the old lock is let go first */
	if (op & LOCK_UN)
		goto out;
	while (flock_conflict(vp, fg, want)) {
		if (op & LOCK_NB) {
			error = EWOULDBLOCK;
			goto out;
		}
		if ((error = msleep(&vp->v_flocks, &flocks.lock, PCATCH, "flock", NULL)) != 0)
			goto out;
	}
	nvf->vf_fg = fg;
	nvf->vf_type = want;
	nvf->vf_next = vp->v_flocks;
	vp->v_flocks = nvf;
	nvf = NULL;
out:
	lck_mtx_unlock(&flocks.lock);
	if (old != NULL)
		kfree(old, sizeof(*old));
	if (nvf != NULL)
		kfree(nvf, sizeof(*nvf));
	return error;
}

void
vn_flock_release(vnode_t vp, struct fileglob *fg)
{
	struct vflock *vf;

	if (__atomic_load_n(&vp->v_flocks, __ATOMIC_RELAXED) == NULL)
		return;
	lck_mtx_lock(&flocks.lock);
	vf = flock_unlink(vp, fg);
	if (vf != NULL)
		wakeup(&vp->v_flocks);
	lck_mtx_unlock(&flocks.lock);
	if (vf != NULL)
		kfree(vf, sizeof(*vf));
}

int
flock(struct proc *p, struct flock_args *uap, int64_t *retval)
{
	int op = (int)uap->operation, error;
	struct fileproc *fp;

	*retval = 0;
	if ((error = fp_lookup(p, (int)uap->fd, &fp, 0)) != 0)
		return error;
	switch (op & ~LOCK_NB) {
	case LOCK_SH:
	case LOCK_EX:
	case LOCK_UN:
		break;
	default:
		(void)fp_drop(p, (int)uap->fd, fp, 0);
		return EINVAL;
	}
	if (fp->fp_glob->fg_ops != &vnops || (fp->fp_glob->fg_flag & O_PATH))
		error = fp->fp_glob->fg_ops != &vnops ? EINVAL : EBADF;
	else
		error = vn_flock(fp->fp_glob->fg_data, fp->fp_glob, op);
	(void)fp_drop(p, (int)uap->fd, fp, 0);
	return error;
}
