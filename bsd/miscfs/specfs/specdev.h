/*
 * specdev.h - device vnodes (VCHR): the vnode operations that send an
 * open, close, read, write, ioctl or select on a device node to the
 * driver of its major number (bsd/sys/conf.h's cdevsw), with the node's
 * device number. A filesystem that holds device nodes (devfs, ramfs's
 * mknod) builds its vnodeops for them from these and its own getattr,
 * setattr, inactive and reclaim.
 *
 * A major with no driver is ENXIO, as is a driver without the entry.
 * d_open is called for every open of the node; d_close only for the last
 * close of it (when no other open file of the node remains), as in XNU.
 *
 * A disk's node (its driver's d_type is D_DISK) is positioned like a file:
 * reads and writes start at the open file's offset and advance it, and
 * lseek moves it (spec_isdisk); other device nodes have no position.
 *
 * Locks: none held; drivers may block (a terminal's read).
 */

#ifndef BSD_MISCFS_SPECFS_SPECDEV_H
#define BSD_MISCFS_SPECFS_SPECDEV_H

#include <stdbool.h>

#include "bsd/sys/vnode_if.h"

int	spec_open(vnode_t vp, int fflag, vfs_context_t ctx);
int	spec_close(vnode_t vp, int fflag, vfs_context_t ctx);
int	spec_read(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx);
int	spec_write(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx);
int	spec_ioctl(vnode_t vp, unsigned long cmd, void *data, int fflag, vfs_context_t ctx);
int	spec_select(vnode_t vp, int which, int fflag, void *wql, vfs_context_t ctx);
/* spec_isdisk: whether vp is a device node whose driver is a disk's (D_DISK). */
bool	spec_isdisk(vnode_t vp);

#endif /* BSD_MISCFS_SPECFS_SPECDEV_H */
