/*
 * devfs.h - the device filesystem: /dev, whose nodes drivers make and
 * remove as their devices come and go (XNU's devfs KPI).
 *
 *	void *h = devfs_make_node(makedev(major, 0), DEVFS_CHAR, UID_ROOT,
 *	    GID_WHEEL, 0666, "null");
 *	...
 *	devfs_remove(h);
 *
 * Nodes exist whether or not devfs is mounted; mounting (at boot on
 * /dev, or again by mount(2) after an unmount) shows them all. devfs is
 * mounted at most once at a time: a second mount is EBUSY. Names are
 * one component (no subdirectories yet). A node's open, read, write,
 * ioctl and select go to the driver of its major (bsd/miscfs/specfs).
 * Modes and owners may be changed with chmod and chown; nothing else
 * can be made in /dev from user space (ENOTSUP).
 *
 * Locks: one mutex covers every devfs node; it comes before the name
 * cache and vnode list locks.
 */

#ifndef BSD_MISCFS_DEVFS_DEVFS_H
#define BSD_MISCFS_DEVFS_DEVFS_H

#include "bsd/sys/types.h"

#define DEVFS_CHAR	0
#define DEVFS_BLOCK	1

#define UID_ROOT	0
#define GID_WHEEL	0
#define GID_TTY		5

/*
 * devfs_make_node: a node named by fmt (printf-style) for dev; a handle
 * for devfs_remove, or NULL (a bad or taken name, no memory).
 */
void	*devfs_make_node(dev_t dev, int chrblk, uid_t uid, gid_t gid, int perms,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* devfs_remove: the node goes from /dev; open files of it stay usable until closed. */
void	devfs_remove(void *handle);

/* devfs_init: register the "devfs" type and make the kernel's own nodes. */
void	devfs_init(void);

#endif /* BSD_MISCFS_DEVFS_DEVFS_H */
