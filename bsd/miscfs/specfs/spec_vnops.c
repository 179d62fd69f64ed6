/*
 * spec_vnops.c - device vnodes' operations: through the cdevsw
 * (bsd/miscfs/specfs/specdev.h).
 */

#include "bsd/miscfs/specfs/specdev.h"

#include "bsd/sys/conf.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/vnode_internal.h"

/* The vnode's driver, or NULL (no driver for its major, or not a device). */
static const struct cdevsw *
spec_cdevsw(vnode_t vp)
{
	if (vp->v_type != VCHR)
		return NULL;
	return cdevsw_lookup(major(vp->v_rdev));
}

bool
spec_isdisk(vnode_t vp)
{
	const struct cdevsw *csw = spec_cdevsw(vp);

	return csw != NULL && csw->d_type == D_DISK;
}

int
spec_open(vnode_t vp, int fflag, vfs_context_t ctx)
{
	const struct cdevsw *csw = spec_cdevsw(vp);

	if (csw == NULL || csw->d_open == NULL)
		return ENXIO;
	return csw->d_open(vp->v_rdev, fflag, 0 /* S_IFCHR */, vfs_context_proc(ctx));
}

int
spec_close(vnode_t vp, int fflag, vfs_context_t ctx)
{
	const struct cdevsw *csw = spec_cdevsw(vp);

	if (csw == NULL || csw->d_close == NULL)
		return 0;
	/* Only the last close of the node reaches the driver (XNU's rule). */
	if (vnode_isinuse(vp, 1))
		return 0;
	return csw->d_close(vp->v_rdev, fflag, 0, vfs_context_proc(ctx));
}

int
spec_read(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx)
{
	const struct cdevsw *csw = spec_cdevsw(vp);

	(void)ctx;
	if (csw == NULL || csw->d_read == NULL)
		return ENXIO;
	return csw->d_read(vp->v_rdev, uio, ioflag);
}

int
spec_write(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx)
{
	const struct cdevsw *csw = spec_cdevsw(vp);

	(void)ctx;
	if (csw == NULL || csw->d_write == NULL)
		return ENXIO;
	return csw->d_write(vp->v_rdev, uio, ioflag);
}

int
spec_ioctl(vnode_t vp, unsigned long cmd, void *data, int fflag, vfs_context_t ctx)
{
	const struct cdevsw *csw = spec_cdevsw(vp);

	if (csw == NULL || csw->d_ioctl == NULL)
		return ENOTTY;
	return csw->d_ioctl(vp->v_rdev, cmd, data, fflag, vfs_context_proc(ctx));
}

int
spec_select(vnode_t vp, int which, int fflag, void *wql, vfs_context_t ctx)
{
	const struct cdevsw *csw = spec_cdevsw(vp);

	(void)fflag;
	if (csw == NULL || csw->d_select == NULL)
		return 1;
	return csw->d_select(vp->v_rdev, which, wql, vfs_context_proc(ctx));
}
