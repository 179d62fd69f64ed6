/*
 * vnode.h - vnodes, their attributes and VFS contexts: the KPI the rest
 * of the kernel and filesystems use (XNU's bsd/sys/vnode.h).
 *
 * A vnode is the kernel's handle on one file of one mounted filesystem:
 * its type (VREG, VDIR, VLNK, VCHR, VFIFO), its filesystem's operations
 * (bsd/sys/vnode_if.h) and that filesystem's private data. Two counts
 * keep it alive:
 *   - the iocount (vnode_get/vnode_put): a short-term hold for the length
 *     of one operation; namei returns vnodes with one.
 *   - the usecount (vnode_ref/vnode_rele): a long-term reference, for an
 *     open file or a process's current or root directory.
 * When both drop to zero the filesystem hears VNOP_INACTIVE, if the
 * vnode was used since it last did (its usecount dropped to zero) or the
 * filesystem asked for it (vnode_setneedinactive: it unlinked the file),
 * as XNU's VL_NEEDINACTIVE: not after every lookup that merely passed
 * through. If it then asked for the vnode to go (vnode_recycle, e.g. an
 * unlinked file), it hears VNOP_RECLAIM and the vnode is freed.
 *
 * A vfs_context says who does an operation (thread and credential);
 * every VFS and file operation takes one. vfs_context_current() is the
 * running thread's, kept in its uthread; a kernel thread gets the
 * kernel's (root).
 *
 * Locks: the counts are covered by the vnode list lock (vfs_subr.c);
 * nothing is held across the filesystem's callouts.
 */

#ifndef BSD_SYS_VNODE_H
#define BSD_SYS_VNODE_H

#include <stdint.h>

#include "bsd/sys/proc.h"
#include "bsd/sys/time.h"
#include "bsd/sys/types.h"
#include "bsd/sys/ucred.h"
#include "mach/kern/kern_types.h"

struct vnode;
typedef struct vnode *vnode_t;
#define NULLVP	((vnode_t)0)

struct mount;
typedef struct mount *mount_t;

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

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

/* Limits (Linux's). */
#define MAXPATHLEN	4096		/* PATH_MAX, with the NUL */
#define MAXNAMLEN	255		/* NAME_MAX */
#define MAXSYMLINKS	40		/* links followed in one lookup */

/*
 * Attributes: what vnode_getattr fills and vnode_setattr changes. A
 * setattr changes only the attributes marked active (VATTR_SET).
 */
struct vnode_attr {
	uint64_t	va_active;	/* VNODE_ATTR_* being set */
	enum vtype	va_type;
	mode_t		va_mode;	/* permission bits (and S_IFMT on getattr) */
	uid_t		va_uid;
	gid_t		va_gid;
	uint64_t	va_nlink;
	uint64_t	va_fileid;	/* inode number */
	dev_t		va_fsid;	/* the filesystem's device number */
	dev_t		va_rdev;	/* VCHR: the device */
	off_t		va_data_size;
	uint64_t	va_data_alloc;	/* bytes held */
	uint32_t	va_iosize;	/* preferred I/O size */
	struct timespec	va_access_time;
	struct timespec	va_modify_time;
	struct timespec	va_change_time;
};

#define VNODE_ATTR_va_mode		0x0001
#define VNODE_ATTR_va_uid		0x0002
#define VNODE_ATTR_va_gid		0x0004
#define VNODE_ATTR_va_data_size		0x0008
#define VNODE_ATTR_va_access_time	0x0010
#define VNODE_ATTR_va_modify_time	0x0020
#define VNODE_ATTR_va_change_time	0x0040

#define VATTR_INIT(v)		((v)->va_active = 0)
#define VATTR_SET(v, a, x)	do { (v)->a = (x); (v)->va_active |= VNODE_ATTR_ ## a; } while (0)
#define VATTR_IS_ACTIVE(v, a)	(((v)->va_active & VNODE_ATTR_ ## a) != 0)

/* vnode_authorize's actions (a mask), and VNOP_ACCESS's. */
#define VREAD		0x0004
#define VWRITE		0x0002
#define VEXEC		0x0001		/* execute a file, search a directory */

/* Short-term holds. vnode_get fails (ENOENT) on a vnode being reclaimed. */
int		vnode_get(vnode_t vp);
int		vnode_put(vnode_t vp);
/*
 * Long-term references (an open file, a process's current directory):
 * vnode_ref takes one (the caller holds an iocount), vnode_rele drops it.
 * Both tolerate NULLVP.
 */
int		vnode_ref(vnode_t vp);
void		vnode_rele(vnode_t vp);
/* vnode_isinuse: vp has more than refcnt long-term references. */
int		vnode_isinuse(vnode_t vp, int refcnt);
/* vnode_recycle: reclaim vp as soon as it is unused (from VNOP_INACTIVE). */
void		vnode_recycle(vnode_t vp);
/*
 * vnode_setneedinactive: VNOP_INACTIVE for vp when it is next unused (a
 * filesystem that removed vp's last name, to recycle it there).
 */
void		vnode_setneedinactive(vnode_t vp);

enum vtype	vnode_vtype(vnode_t vp);
mount_t		vnode_mount(vnode_t vp);
void		*vnode_fsnode(vnode_t vp);
int		vnode_isdir(vnode_t vp);
int		vnode_isreg(vnode_t vp);
int		vnode_islnk(vnode_t vp);
dev_t		vnode_specrdev(vnode_t vp);

int		vnode_getattr(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx);
int		vnode_setattr(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx);

/*
 * vnode_authorize: may ctx's credential do action (VREAD | VWRITE |
 * VEXEC) to vp? 0 or EACCES; root may do anything but execute a file
 * with no execute bit. EROFS for a write on a read-only mount.
 */
int		vnode_authorize(vnode_t vp, int action, vfs_context_t ctx);

/*
 * vnode_lookup: the vnode at path (a kernel string), with an iocount,
 * relative to ctx's process's current directory; flags: VNODE_LOOKUP_NOFOLLOW.
 */
#define VNODE_LOOKUP_NOFOLLOW	0x0001
int		vnode_lookup(const char *path, int flags, vnode_t *vpp, vfs_context_t ctx);

/* The root directory of the system (a usecount held by the VFS). */
extern vnode_t	rootvnode;

#endif /* BSD_SYS_VNODE_H */
