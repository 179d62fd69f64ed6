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
#include "mach/vm/vm_object.h"

struct vnode {
	uint32_t	v_usecount;		/* [a] long-term references */
	void		(*v_inactive)(vnode_t vp);	/* the last reference went */
};

struct fileglob;

/*
 * vn_mmap_object: the VM object holding the file fg refers to, over at
 * least [offset, offset + size), with a reference for the caller, for
 * mmap (bsd/kern/kern_mman.c). An errno: ENODEV if the file cannot be
 * mapped. The VFS provides it; kern_mman.c has a weak stand-in answering
 * ENODEV until it does.
 */
int	vn_mmap_object(struct fileglob *fg, vm_object_offset_t offset,
	    vm_object_size_t size, vm_object_t *objp);

#endif /* BSD_SYS_VNODE_INTERNAL_H */
