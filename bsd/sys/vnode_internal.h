/*
 * vnode_internal.h - the vnode structure, for the VFS and filesystems.
 *
 * Only the reference count exists so far; the VFS (bsd/vfs) gives a
 * vnode its type, filesystem, operations and data.
 *
 * Locks: v_usecount is atomic.
 */

#ifndef BSD_SYS_VNODE_INTERNAL_H
#define BSD_SYS_VNODE_INTERNAL_H

#include <stdint.h>

#include "bsd/sys/vnode.h"

struct vnode {
	uint32_t	v_usecount;		/* [a] long-term references */
	void		(*v_inactive)(vnode_t vp);	/* the last reference went */
};

#endif /* BSD_SYS_VNODE_INTERNAL_H */
