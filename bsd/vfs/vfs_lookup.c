/*
 * vfs_lookup.c - path name lookup: namei (bsd/sys/namei.h).
 *
 * The path is copied into a buffer of namei's own, which symbolic links
 * rewrite in place: a link's target followed by what was left of the
 * path. The walk holds an iocount on the directory it is in (dp) and on
 * the vnode it just found (vp), never more than those two, and no lock.
 *
 *	for each component:
 *		dp must be a directory we may search
 *		"."  -> dp;  ".." -> dp at the process's root, else out of a
 *		mount's root to the covered vnode, then the filesystem's ".."
 *		else the name cache, else VNOP_LOOKUP (remembered either way)
 *		a mounted-on directory -> the root of what is mounted there
 *		a symbolic link (not the last component, or FOLLOW, or a
 *		trailing slash) -> its target spliced in, restart at "/" or dp
 */

#include "bsd/sys/namei.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/mount.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/vnode_internal.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/zalloc.h"

/*
 * Debug builds poison only this much of a free path buffer: writing and
 * checking all of MAXPATHLEN at every path system call would cost more
 * than the lookup (microseconds under emulation), and a path is short.
 */
#define NAMEI_POISON_BYTES	256

static zone_t namei_zone;		/* [I] MAXPATHLEN path buffers */

void
namei_init(void)
{
	namei_zone = zinit(MAXPATHLEN, 0, 0, "vfs.namei");
	if (namei_zone == ZONE_NULL)
		panic("namei_init: no memory for the path buffers' zone");
	zone_poison_limit(namei_zone, NAMEI_POISON_BYTES);
}

char *
namei_buf_alloc(void)
{
	return zalloc(namei_zone);
}

void
namei_buf_free(char *buf)
{
	zfree(namei_zone, buf);
}

/* The process's root directory, with an iocount. */
static vnode_t
namei_rootdir(proc_t p)
{
	vnode_t vp = NULLVP;

	if (p != PROC_NULL && p->p_fd != NULL) {
		proc_fdlock(p);
		vp = p->p_fd->fd_rdir;
		if (vp != NULLVP && vnode_get(vp) != 0)
			vp = NULLVP;
		proc_fdunlock(p);
	}
	if (vp == NULLVP && rootvnode != NULLVP && vnode_get(rootvnode) == 0)
		vp = rootvnode;
	return vp;
}

/* The process's current directory, with an iocount. */
static vnode_t
namei_cwd(proc_t p)
{
	vnode_t vp = NULLVP;

	if (p != PROC_NULL && p->p_fd != NULL) {
		proc_fdlock(p);
		vp = p->p_fd->fd_cdir;
		if (vp != NULLVP && vnode_get(vp) != 0)
			vp = NULLVP;
		proc_fdunlock(p);
	}
	return vp != NULLVP ? vp : namei_rootdir(p);
}

/* Replace *vpp (held) by the root of whatever is mounted on it, repeatedly. */
static int
namei_cross_mounts(vnode_t *vpp, vfs_context_t ctx)
{
	for (;;) {
		vnode_t vp = *vpp, root;
		mount_t mp;
		int error;

		if (vp->v_type != VDIR)
			return 0;
		/*
		 * Most directories have nothing mounted on them: a look without
		 * the lock says so (a mount racing with this lookup may come
		 * after it as well as before).
		 */
		if (__atomic_load_n(&vp->v_mountedhere, __ATOMIC_RELAXED) == NULL)
			return 0;
		/* Under the table lock, so that an unmount cannot free mp meanwhile. */
		mount_list_lock();
		mp = vp->v_mountedhere;
		error = mp != NULL ? VFS_ROOT(mp, &root, ctx) : 0;
		mount_list_unlock();
		if (mp == NULL || error != 0)
			return error;
		vnode_put(vp);
		*vpp = root;
	}
}

/* "..": from dp (held), within the root rdir. Returns *vpp held. */
static int
namei_dotdot(vnode_t dp, vnode_t rdir, struct componentname *cnp, vnode_t *vpp)
{
	vnode_t vp = dp;
	int error;

	if (vnode_get(vp) != 0)
		return ENOENT;
	for (;;) {
		if (vp == rdir || vp == rootvnode) {
			*vpp = vp;
			return 0;
		}
		if (!(vp->v_flag & VROOT) || vp->v_mount == NULL ||
		    vp->v_mount->mnt_vnodecovered == NULLVP)
			break;
		/* The root of a mount: ".." is that of the directory it covers. */
		{
			vnode_t covered = vp->v_mount->mnt_vnodecovered;

			if ((error = vnode_get(covered)) != 0) {
				vnode_put(vp);
				return error;
			}
			vnode_put(vp);
			vp = covered;
		}
	}
	error = VNOP_LOOKUP(vp, vpp, cnp, cnp->cn_context);
	vnode_put(vp);
	return error;
}

/* One component of dp (held) by name; *vpp held. */
static int
namei_component(vnode_t dp, struct componentname *cnp, vnode_t *vpp)
{
	int error = cache_lookup(dp, vpp, cnp);
	uint64_t gen;

	if (error == -1)
		return 0;
	if (error != 0)
		return error;		/* a negative entry */
	gen = cache_generation();
	error = VNOP_LOOKUP(dp, vpp, cnp, cnp->cn_context);
	if (error == 0)
		cache_enter(dp, *vpp, cnp, gen);
	else if (error == ENOENT)
		cache_enter(dp, NULLVP, cnp, gen);
	return error;
}

/*
 * Splice the target of link vp in front of rest (inside buf). 0 and the
 * new path in buf; ENAMETOOLONG, ENOENT (an empty link), ELOOP.
 */
static int
namei_splice_link(struct nameidata *ndp, vnode_t vp, const char *rest)
{
	size_t restlen = strlen(rest), linklen;
	char *target;
	struct uio uio;
	int error;

	if (++ndp->ni_loopcnt > MAXSYMLINKS)
		return ELOOP;
	target = namei_buf_alloc();
	if (target == NULL)
		return ENOMEM;
	uio_init(&uio, (uint64_t)(uintptr_t)target, MAXPATHLEN - 1, 0, UIO_SYSSPACE, UIO_READ);
	error = VNOP_READLINK(vp, &uio, ndp->ni_cnd.cn_context);
	linklen = (size_t)(MAXPATHLEN - 1 - uio_resid(&uio));
	if (error == 0 && linklen == 0)
		error = ENOENT;
	if (error == 0 && linklen + 1 + restlen + 1 > MAXPATHLEN)
		error = ENAMETOOLONG;
	if (error == 0) {
		/* rest lives in ndp->ni_pathbuf: move it first, then put the link before it. */
		memmove(ndp->ni_pathbuf + linklen + 1, rest, restlen + 1);
		memcpy(ndp->ni_pathbuf, target, linklen);
		ndp->ni_pathbuf[linklen] = restlen != 0 ? '/' : '\0';
	}
	namei_buf_free(target);
	return error;
}

/*
 * The component at *cpp: sets cnp's name and flags, advances *cpp to it,
 * and *restp past it and its slashes. 0, or -1 if there is none left.
 */
static int
namei_parse(char **cpp, const char **restp, struct componentname *cnp)
{
	char *cp = *cpp, *name;
	const char *rest;

	while (*cp == '/')
		cp++;
	*cpp = cp;
	if (*cp == '\0')
		return -1;
	name = cp;
	while (*cp != '\0' && *cp != '/')
		cp++;
	for (rest = cp; *rest == '/'; rest++)
		continue;
	cnp->cn_nameptr = name;
	cnp->cn_namelen = (int)(cp - name);
	cnp->cn_flags = (*rest == '\0' ? ISLASTCN : 0) |
	    (*rest == '\0' && cp != rest ? TRAILINGSLASH : 0);
	if (cnp->cn_namelen == 1 && name[0] == '.')
		cnp->cn_flags |= ISDOT;
	else if (cnp->cn_namelen == 2 && name[0] == '.' && name[1] == '.')
		cnp->cn_flags |= ISDOTDOT;
	*restp = rest;
	return 0;
}

/*
 * The fast path (XNU's cache_lookup_path): from dp (held), through the
 * directories the name cache knows, under its lock, without an iocount
 * taken and dropped and a permission asked at each. Only for ordinary
 * names short of the last component (the walk sees to the last one, to
 * "." and "..", links and mounts), and only where searching needs no
 * question to anyone: a superuser's context, and directories whose
 * filesystem has no VNOP_ACCESS (vnode_authorize would only ask that).
 * Returns the directory reached, held (dp put if it moved), with *cpp
 * at the component after it.
 */
static vnode_t
namei_fast(vnode_t dp, char **cpp, vfs_context_t ctx)
{
	struct componentname cn;
	char *cp = *cpp, *next = *cpp;
	const char *rest;
	vnode_t vp = dp, dir;

	if (!kauth_cred_issuser(vfs_context_ucred(ctx)))
		return dp;
	cache_path_begin();
	for (;;) {
		if (namei_parse(&cp, &rest, &cn) != 0 ||
		    (cn.cn_flags & (ISLASTCN | ISDOT | ISDOTDOT)) ||
		    vp->v_type != VDIR || (vp->v_op != NULL && vp->v_op->vnop_access != NULL) ||
		    (dir = cache_lookup_dir_locked(vp, &cn)) == NULLVP)
			break;
		vp = dir;
		cp = next = (char *)rest;
	}
	if (vp != dp && vnode_get(vp) != 0)
		vp = dp;		/* being reclaimed: the slow way */
	cache_path_end();
	if (vp == dp)
		return dp;
	vnode_put(dp);
	*cpp = next;
	return vp;
}

/* The vnode cnp names in dp (held): *vpp held. */
static int
namei_lookup_one(vnode_t dp, vnode_t rdir, struct componentname *cnp, vnode_t *vpp)
{
	int error;

	if (cnp->cn_namelen > MAXNAMLEN)
		return ENAMETOOLONG;
	if (dp->v_type != VDIR)
		return ENOTDIR;
	if ((error = vnode_authorize(dp, VEXEC, cnp->cn_context)) != 0)
		return error;
	if (cnp->cn_flags & ISDOT) {
		if ((error = vnode_get(dp)) == 0)
			*vpp = dp;
		return error;
	}
	if (cnp->cn_flags & ISDOTDOT)
		return namei_dotdot(dp, rdir, cnp, vpp);
	return namei_component(dp, cnp, vpp);
}

/*
 * Follow the link vp (held; released) found in *dpp with rest of the path
 * after it: the path buffer becomes the link's target and the rest, and
 * *dpp the root for an absolute target.
 */
static int
namei_follow(struct nameidata *ndp, vnode_t *dpp, vnode_t rdir, vnode_t vp, const char *rest)
{
	int trailing = (ndp->ni_cnd.cn_flags & TRAILINGSLASH) != 0;
	int error = namei_splice_link(ndp, vp, rest);

	vnode_put(vp);
	if (error == 0 && trailing &&
	    strlcat(ndp->ni_pathbuf, "/", MAXPATHLEN) >= MAXPATHLEN)
		error = ENAMETOOLONG;	/* the slash still asks for a directory */
	if (error == 0 && ndp->ni_pathbuf[0] == '/') {
		if ((error = vnode_get(rdir)) == 0) {
			vnode_put(*dpp);
			*dpp = rdir;
		}
	}
	return error;
}

/* The walk from dp (held; consumed) to the end of ni_pathbuf. */
static int
namei_walk(struct nameidata *ndp, vnode_t rdir, vnode_t dp)
{
	struct componentname *cnp = &ndp->ni_cnd;
	char *cp = ndp->ni_pathbuf;
	vnode_t vp = NULLVP;
	const char *rest;
	int error, islast;

	for (;;) {
		dp = namei_fast(dp, &cp, cnp->cn_context);
		if (namei_parse(&cp, &rest, cnp) != 0) {
			/* No last component: "/" (or a link to it). */
			ndp->ni_vp = dp;
			ndp->ni_dvp = NULLVP;
			cnp->cn_nameptr = cp;
			cnp->cn_namelen = 0;
			cnp->cn_flags = ISLASTCN | ISDOT;
			return 0;
		}
		islast = (cnp->cn_flags & ISLASTCN) != 0;
		error = namei_lookup_one(dp, rdir, cnp, &vp);
		if (error == ENOENT && islast && (cnp->cn_nameiop == CREATE ||
		    cnp->cn_nameiop == RENAME)) {
			ndp->ni_vp = NULLVP;
			ndp->ni_dvp = dp;		/* the caller makes the name here */
			return 0;
		}
		if (error != 0) {
			vp = NULLVP;
			goto bad;
		}
		if ((!(ndp->ni_flags & NOCROSSMOUNT) || !islast) &&
		    (error = namei_cross_mounts(&vp, cnp->cn_context)) != 0)
			goto bad;
		if (vp->v_type == VLNK && (!islast || (ndp->ni_flags & FOLLOW) ||
		    (cnp->cn_flags & TRAILINGSLASH))) {
			error = namei_follow(ndp, &dp, rdir, vp, rest);
			vp = NULLVP;
			if (error != 0)
				goto bad;
			cp = ndp->ni_pathbuf;
			continue;
		}
		if (islast)
			break;
		vnode_put(dp);
		dp = vp;
		vp = NULLVP;
		cp = (char *)rest;
	}
	if ((cnp->cn_flags & TRAILINGSLASH) && vp->v_type != VDIR) {
		error = ENOTDIR;
		goto bad;
	}
	ndp->ni_vp = vp;
	ndp->ni_dvp = NULLVP;
	if (ndp->ni_flags & WANTPARENT)
		ndp->ni_dvp = dp;
	else
		vnode_put(dp);
	return 0;
bad:
	if (vp != NULLVP)
		vnode_put(vp);
	vnode_put(dp);
	ndp->ni_vp = ndp->ni_dvp = NULLVP;
	return error;
}

int
namei(struct nameidata *ndp)
{
	proc_t p = vfs_context_proc(ndp->ni_cnd.cn_context);
	vnode_t rdir, dp;
	size_t len;
	int error;

	ndp->ni_vp = ndp->ni_dvp = NULLVP;
	ndp->ni_loopcnt = 0;
	if (ndp->ni_flags & HASBUF) {
		/* The caller's buffer, now ours: a string within MAXPATHLEN. */
		if (ndp->ni_pathbuf[0] == '\0') {
			error = ENOENT;
			goto out;
		}
	} else {
		len = strnlen(ndp->ni_dirp, MAXPATHLEN);
		if (len >= MAXPATHLEN)
			return ENAMETOOLONG;
		if (len == 0)
			return ENOENT;
		ndp->ni_pathbuf = namei_buf_alloc();
		if (ndp->ni_pathbuf == NULL)
			return ENOMEM;
		memcpy(ndp->ni_pathbuf, ndp->ni_dirp, len + 1);
	}
	rdir = namei_rootdir(p);
	if (rdir == NULLVP) {
		error = ENOENT;		/* no root filesystem */
		goto out;
	}
	if (ndp->ni_pathbuf[0] == '/') {
		error = vnode_get(rdir);
		dp = rdir;
	} else if (ndp->ni_startdir != NULLVP) {
		error = vnode_get(ndp->ni_startdir);
		dp = ndp->ni_startdir;
	} else {
		dp = namei_cwd(p);
		error = dp == NULLVP ? ENOENT : 0;
	}
	if (error == 0)
		error = namei_walk(ndp, rdir, dp);
	vnode_put(rdir);
out:
	if (error != 0)
		nameidone(ndp);
	return error;
}

void
nameidone(struct nameidata *ndp)
{
	if (ndp->ni_pathbuf != NULL)
		namei_buf_free(ndp->ni_pathbuf);
	ndp->ni_pathbuf = NULL;
	ndp->ni_flags &= ~HASBUF;
}

int
vnode_lookup(const char *path, int flags, vnode_t *vpp, vfs_context_t ctx)
{
	struct nameidata nd;
	int error;

	NDINIT(&nd, LOOKUP, (flags & VNODE_LOOKUP_NOFOLLOW) ? NOFOLLOW : FOLLOW, path, ctx);
	if ((error = namei(&nd)) != 0)
		return error;
	nameidone(&nd);
	*vpp = nd.ni_vp;
	return 0;
}
