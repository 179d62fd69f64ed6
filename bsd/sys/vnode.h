/*
 * vnode.h - vnodes and VFS contexts, as far as the rest of the BSD layer
 * needs them before the VFS proper (bsd/vfs) says more: a vnode is the
 * kernel's handle on a file of some filesystem, counted by references.
 *
 * A vfs_context says who does an operation (thread and credential);
 * every VFS and file operation takes one. vfs_context_current() is the
 * running thread's, kept in its uthread; a kernel thread gets the
 * kernel's (root).
 *
 * Locks: the reference counts are atomic.
 */

#ifndef BSD_SYS_VNODE_H
#define BSD_SYS_VNODE_H

#include <stdint.h>

#include "bsd/sys/proc.h"
#include "bsd/sys/ucred.h"
#include "mach/kern/kern_types.h"

struct vnode;
typedef struct vnode *vnode_t;
#define NULLVP	((vnode_t)0)

struct vfs_context {
	thread_t	vc_thread;
	kauth_cred_t	vc_ucred;
};

typedef struct vfs_context *vfs_context_t;

/* The running thread's context (its uthread's; the kernel's for a kernel thread). */
vfs_context_t	vfs_context_current(void);
/* The kernel's own: root, for operations the kernel does on its own behalf. */
vfs_context_t	vfs_context_kernel(void);
proc_t		vfs_context_proc(vfs_context_t ctx);
kauth_cred_t	vfs_context_ucred(vfs_context_t ctx);

/*
 * Long-term references (an open file, a process's current directory):
 * vnode_ref takes one, vnode_rele drops it; the last one lets the
 * filesystem forget the vnode (VNOP_INACTIVE). Both tolerate NULLVP.
 */
int		vnode_ref(vnode_t vp);
void		vnode_rele(vnode_t vp);

#endif /* BSD_SYS_VNODE_H */
