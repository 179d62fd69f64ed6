/*
 * ramfs.h - a filesystem in memory: the writable root, filled at boot
 * from the initrd (ramfs_fill_from_initrd), and mountable again anywhere
 * ("ramfs", or "tmpfs" by its Linux name).
 *
 * Every file, directory, symbolic link and device node is a ramfs_node
 * with exactly one vnode, made with it and kept for as long as the node
 * has a name; a node whose last name goes is reclaimed (node and vnode
 * freed) once its last open file or other holder lets go. A regular
 * file's data lives in a Mach VM object (rn_object, also the vnode's
 * v_object), page by page, so that mapping the file (vn_mmap_object)
 * maps the very pages read and write use; a page not present reads as
 * zeros. Directories are lists of entries, each with a cookie that never
 * changes while it exists (getdents64's offsets). Symbolic links hold
 * their target.
 *
 * Invariants:
 *   - a directory's rn_nlink is 2 plus its subdirectories; a file's
 *     counts its names; rn_parent is a directory's parent (the root's is
 *     itself);
 *   - no byte of a file's object beyond rn_size is anything but zero, as
 *     far as read and write can tell (truncate zeroes what it cuts off).
 *
 * Locks: [R] one mutex per mounted ramfs (rm_lock) covers every node,
 * directory and size of that filesystem, and is held across the copy in
 * or out of a read or write (the fault handler takes no VFS lock, so a
 * fault on a mapped file in the middle of it is fine). Lock order: rm_lock,
 * then the name cache and vnode list locks, then the file's VM object's.
 */

#ifndef BSD_MISCFS_RAMFS_RAMFS_H
#define BSD_MISCFS_RAMFS_RAMFS_H

#include <stdint.h>

#include "bsd/sys/mount.h"
#include "bsd/sys/time.h"
#include "bsd/sys/vnode.h"
#include "libkern/queue.h"
#include "mach/kern/locks.h"
#include "mach/vm/vm_object.h"

#define RAMFS_MAXFILESIZE	(1ULL << 32)	/* the size of every file's object */

struct ramfs_node;

struct ramfs_dirent {
	TAILQ_ENTRY(ramfs_dirent)	de_link;	/* [R] in the directory, by cookie */
	uint64_t			de_cookie;	/* [R] */
	struct ramfs_node		*de_node;	/* [R] */
	uint16_t			de_namelen;
	char				de_name[];
};

struct ramfs_node {
	vnode_t			rn_vnode;	/* [I] its one vnode */
	enum vtype		rn_type;	/* [I] */
	uint64_t		rn_ino;		/* [I] */
	mode_t			rn_mode;	/* [R] permission bits */
	uid_t			rn_uid;		/* [R] */
	gid_t			rn_gid;		/* [R] */
	uint64_t		rn_nlink;	/* [R] */
	off_t			rn_size;	/* [R] bytes (a directory: its entries) */
	struct timespec		rn_atime, rn_mtime, rn_ctime;	/* [R] */
	/* VDIR */
	struct ramfs_node	*rn_parent;	/* [R] */
	TAILQ_HEAD(, ramfs_dirent) rn_dir;	/* [R] */
	uint64_t		rn_nextcookie;	/* [R] */
	/* VREG */
	vm_object_t		rn_object;	/* [I] the file's pages (a reference) */
	/* VLNK */
	char			*rn_link;	/* [I] the target, rn_size bytes */
	/* VCHR */
	dev_t			rn_rdev;	/* [I] */
};

struct ramfs_mount {
	lck_mtx_t		rm_lock;
	struct ramfs_node	*rm_root;	/* [I] */
	uint64_t		rm_nextino;	/* [R] */
	uint64_t		rm_nodes;	/* [R] nodes alive */
	uint64_t		rm_pages;	/* [R] data pages held (approximate) */
	mount_t			rm_mp;		/* [I] */
};

/* ramfs_init: register the filesystem types "ramfs" and "tmpfs". */
void	ramfs_init(void);

/*
 * ramfs_fill_from_initrd: copy every member of the initrd into mp (a
 * ramfs): directories, regular files with their data and modes, symbolic
 * links. Members that do not fit (bad names, no memory) are reported and
 * skipped. The initrd itself is left as it is (the kernel keeps it).
 */
void	ramfs_fill_from_initrd(mount_t mp, vfs_context_t ctx);

/* Between ramfs's two files. */
extern const struct vnodeops ramfs_vnodeops, ramfs_specops, ramfs_fifoops;
int	ramfs_node_alloc(struct ramfs_mount *rmp, enum vtype type, mode_t mode, uid_t uid,
	    gid_t gid, dev_t rdev, struct ramfs_node **npp);
void	ramfs_node_free(struct ramfs_mount *rmp, struct ramfs_node *np);
void	ramfs_now(struct timespec *ts);

static inline struct ramfs_node *VTORN(vnode_t vp) { return vnode_fsnode(vp); }
static inline struct ramfs_mount *VTORM(vnode_t vp) { return vnode_mount(vp)->mnt_data; }

#endif /* BSD_MISCFS_RAMFS_RAMFS_H */
