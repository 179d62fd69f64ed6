/*
 * vfs_subr.c - vnode references and VFS contexts (bsd/sys/vnode.h).
 */

#include "bsd/sys/vnode.h"

#include "bsd/sys/proc_internal.h"
#include "bsd/sys/user.h"
#include "bsd/sys/vnode_internal.h"
#include "mach/kern/thread.h"

static struct vfs_context kernel_context;

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

int
vnode_ref(vnode_t vp)
{
	if (vp != NULLVP)
		__atomic_add_fetch(&vp->v_usecount, 1, __ATOMIC_ACQ_REL);
	return 0;
}

void
vnode_rele(vnode_t vp)
{
	if (vp != NULLVP && __atomic_sub_fetch(&vp->v_usecount, 1, __ATOMIC_ACQ_REL) == 0 &&
	    vp->v_inactive != NULL)
		vp->v_inactive(vp);
}
