/*
 * namei.h - path name lookup (XNU's bsd/sys/namei.h).
 *
 * namei turns a path into vnodes, one component at a time: "." and ".."
 * (which never climbs above the process's root, and steps out of a mount
 * into the directory it covers), mounts crossed downwards, symbolic
 * links followed (at most MAXSYMLINKS in one lookup: ELOOP), a search
 * permission check on every directory, and the name cache in front of
 * each filesystem's VNOP_LOOKUP.
 *
 *	struct nameidata nd;
 *	NDINIT(&nd, LOOKUP, FOLLOW, path, ctx);		(path: a kernel string)
 *	if ((error = namei(&nd)) != 0)
 *		return error;
 *	... nd.ni_vp (an iocount) ...
 *	vnode_put(nd.ni_vp);
 *
 * With WANTPARENT, ni_dvp is the directory that holds the last component
 * (an iocount too), and ni_cnd names it. For CREATE and RENAME a missing
 * last component is no error: ni_vp is NULLVP and ni_dvp is held. A path
 * with no last component ("/") gives ni_dvp NULLVP and ni_vp the root.
 * nameidone releases what namei allocated (not the vnodes).
 *
 * A caller that already holds the path in a buffer from namei_buf_alloc
 * (a path copied in from user space) may hand it over instead of having
 * it copied: NDINIT with HASBUF, and ni_pathbuf set to the buffer (ni_dirp
 * too). From then on the buffer is namei's: it may rewrite it, and
 * nameidone (which namei calls itself on an error) frees it.
 *
 * Paths: at most MAXPATHLEN - 1 bytes (ENAMETOOLONG), components at most
 * MAXNAMLEN (ENAMETOOLONG); "" is ENOENT; a non-directory in the middle
 * is ENOTDIR; a trailing slash requires a directory (ENOTDIR).
 *
 * Locks: none held on entry or return.
 */

#ifndef BSD_SYS_NAMEI_H
#define BSD_SYS_NAMEI_H

#include "bsd/sys/vnode.h"
#include "bsd/sys/vnode_if.h"

/* namei flags */
#define FOLLOW		0x0001		/* follow a symbolic link as the last component */
#define NOFOLLOW	0x0000
#define WANTPARENT	0x0002		/* return the parent in ni_dvp */
#define NOCROSSMOUNT	0x0004		/* stay on the covered directory (umount) */
#define HASBUF		0x0008		/* ni_pathbuf holds the path: namei's now */

/* cn_flags (set by namei) */
#define ISDOTDOT	0x0001		/* the last component is ".." */
#define ISDOT		0x0002		/* the last component is "." */
#define ISLASTCN	0x0004
#define TRAILINGSLASH	0x0008		/* the path ended in '/' */

struct nameidata {
	const char		*ni_dirp;	/* the path (a kernel string) */
	vnode_t			ni_startdir;	/* a relative path starts here (held by
						   the caller); NULLVP: the cwd */
	vnode_t			ni_vp;		/* result */
	vnode_t			ni_dvp;		/* its parent (WANTPARENT) */
	int			ni_flags;	/* FOLLOW, WANTPARENT, ... */
	int			ni_loopcnt;	/* links followed */
	char			*ni_pathbuf;	/* MAXPATHLEN bytes, namei's
						   (namei_buf_alloc) */
	struct componentname	ni_cnd;
};

#define NDINIT(ndp, op, flags, path, ctx) do { \
	(ndp)->ni_cnd.cn_nameiop = (op); \
	(ndp)->ni_flags = (flags); \
	(ndp)->ni_dirp = (path); \
	(ndp)->ni_startdir = NULLVP; \
	(ndp)->ni_cnd.cn_context = (ctx); \
	(ndp)->ni_pathbuf = NULL; \
} while (0)

int	namei(struct nameidata *ndp);
void	nameidone(struct nameidata *ndp);

/*
 * namei_buf_alloc: a MAXPATHLEN buffer for a path (NULL if memory ran
 * out); namei_buf_free gives it back. From a zone of their own (XNU's
 * ZV_NAMEI): a path buffer is taken and freed at every path system call.
 */
char	*namei_buf_alloc(void);
void	namei_buf_free(char *buf);
/* namei_init: the path buffers' zone. Once, before the first namei. */
void	namei_init(void);

/* Name cache (vfs_cache.c). */

/*
 * cache_lookup: the vnode dvp's entry cnp names. -1 and *vpp (with an
 * iocount) on a hit, ENOENT on a negative hit, 0 on a miss.
 */
int	cache_lookup(vnode_t dvp, vnode_t *vpp, struct componentname *cnp);
/*
 * cache_enter: remember cnp in dvp is vp (NULLVP: that it does not
 * exist), as the filesystem said after cache_generation() gave gen;
 * nothing is remembered if a purge came in between.
 */
uint64_t cache_generation(void);
/*
 * namei's fast path through directories (XNU's cache_lookup_path):
 * between cache_path_begin and cache_path_end the cache's lock is held,
 * so no vnode an entry names can be reclaimed, and
 * cache_lookup_dir_locked gives the directory cnp names in dvp (no
 * count taken), if the cache knows it and nothing is mounted on it;
 * NULLVP otherwise.
 */
void	cache_path_begin(void);
void	cache_path_end(void);
vnode_t	cache_lookup_dir_locked(vnode_t dvp, struct componentname *cnp);
void	cache_enter(vnode_t dvp, vnode_t vp, struct componentname *cnp, uint64_t gen);
/* cache_purge: forget every entry naming vp or in vp (a directory). */
void	cache_purge(vnode_t vp);
/*
 * cache_purge_all: forget every entry. The in-kernel test runner empties
 * the cache around each test, so that a test is not charged with the
 * cache's growth (its zone gaining a page) as a leak.
 */
void	cache_purge_all(void);
/* cache_purge_negatives: forget dvp's negative entries (a name was made in it). */
void	cache_purge_negatives(vnode_t dvp);
/* cache_purge_name: forget dvp's entry for cnp. */
void	cache_purge_name(vnode_t dvp, struct componentname *cnp);
void	cache_init(void);
/* Statistics, for tests. */
struct nchstats {
	uint64_t	ncs_goodhits;
	uint64_t	ncs_neghits;
	uint64_t	ncs_miss;
	uint64_t	ncs_entries;
};
void	cache_get_stats(struct nchstats *out);

#endif /* BSD_SYS_NAMEI_H */
