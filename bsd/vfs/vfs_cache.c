/*
 * vfs_cache.c - the name cache (bsd/sys/namei.h): (directory vnode, name)
 * to vnode, or to "no such entry" (a negative entry), in front of every
 * filesystem's VNOP_LOOKUP.
 *
 * Entries hold no counts on their vnodes: a vnode's reclaim purges every
 * entry naming it or in it (cache_purge) before the vnode is freed, and
 * a hit takes its iocount under the cache's lock, where a reclaim cannot
 * slip in between (vnode_get refuses a vnode already being reclaimed).
 * Filesystems keep the cache true: remove, rmdir and rename purge the
 * names they change (cache_purge_name, cache_purge), and anything that
 * makes a name purges the directory's negative entries.
 *
 * A lookup that missed enters what the filesystem answered only if no
 * purge happened since it began (cache_generation): otherwise a name
 * made or removed meanwhile could be remembered wrongly.
 *
 * Names longer than NCHNAMLEN are not cached. The cache holds at most
 * NCHSIZE entries; the least recently used goes first.
 *
 * Locks: one mutex (the cache lock), taken before the vnode list lock
 * and after filesystem locks.
 */

#include "bsd/sys/namei.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/vnode_internal.h"
#include "libkern/panic.h"
#include "libkern/queue.h"
#include "libkern/string.h"
#include "mach/kern/locks.h"
#include "mach/kern/zalloc.h"

#define NCHNAMLEN	39
#define NCHSIZE		2048
#define NCHHASH		256

struct namecache {
	LIST_ENTRY(namecache)	nc_hash;	/* [C] its hash chain */
	TAILQ_ENTRY(namecache)	nc_lru;		/* [C] */
	vnode_t			nc_dvp;		/* [C] the directory */
	vnode_t			nc_vp;		/* [C] NULLVP: a negative entry */
	uint8_t			nc_namelen;
	char			nc_name[NCHNAMLEN];
};

static struct {
	lck_grp_t			grp;
	lck_mtx_t			lock;
	zone_t				zone;
	LIST_HEAD(, namecache)		hash[NCHHASH];	/* [C] */
	TAILQ_HEAD(, namecache)		lru;		/* [C] oldest first */
	struct nchstats			stats;		/* [C] */
	uint64_t			gen;		/* [C] purges so far */
} nc;

void
cache_init(void)
{
	lck_grp_init(&nc.grp, "namecache", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&nc.lock, &nc.grp, LCK_ATTR_NULL);
	nc.zone = zinit(sizeof(struct namecache), 0, 0, "namecache");
	if (nc.zone == ZONE_NULL)
		panic("cache_init: no memory for the name cache");
	for (int i = 0; i < NCHHASH; i++)
		LIST_INIT(&nc.hash[i]);
	TAILQ_INIT(&nc.lru);
}

static unsigned
nc_hashval(vnode_t dvp, const char *name, int len)
{
	uint32_t h = (uint32_t)((uintptr_t)dvp >> 6) * 2654435761u;

	for (int i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h % NCHHASH;
}

/* The entry for (dvp, cnp), or NULL. Locks: [C]. */
static struct namecache *
nc_find(vnode_t dvp, struct componentname *cnp)
{
	struct namecache *ncp;

	LIST_FOREACH(ncp, &nc.hash[nc_hashval(dvp, cnp->cn_nameptr, cnp->cn_namelen)], nc_hash) {
		if (ncp->nc_dvp == dvp && ncp->nc_namelen == cnp->cn_namelen &&
		    memcmp(ncp->nc_name, cnp->cn_nameptr, (size_t)cnp->cn_namelen) == 0)
			return ncp;
	}
	return NULL;
}

/* Locks: [C]. */
static void
nc_free(struct namecache *ncp)
{
	LIST_REMOVE(ncp, nc_hash);
	TAILQ_REMOVE(&nc.lru, ncp, nc_lru);
	nc.stats.ncs_entries--;
	zfree(nc.zone, ncp);
}

int
cache_lookup(vnode_t dvp, vnode_t *vpp, struct componentname *cnp)
{
	struct namecache *ncp;
	int result = 0;

	if (cnp->cn_namelen > NCHNAMLEN)
		return 0;
	lck_mtx_lock(&nc.lock);
	ncp = nc_find(dvp, cnp);
	if (ncp == NULL) {
		nc.stats.ncs_miss++;
	} else if (ncp->nc_vp == NULLVP) {
		nc.stats.ncs_neghits++;
		result = ENOENT;
	} else if (vnode_get(ncp->nc_vp) == 0) {
		nc.stats.ncs_goodhits++;
		*vpp = ncp->nc_vp;
		result = -1;
	} else {
		nc_free(ncp);		/* being reclaimed */
		nc.stats.ncs_miss++;
	}
	if (ncp != NULL && result != 0) {
		TAILQ_REMOVE(&nc.lru, ncp, nc_lru);
		TAILQ_INSERT_TAIL(&nc.lru, ncp, nc_lru);
	}
	lck_mtx_unlock(&nc.lock);
	return result;
}

void
cache_path_begin(void)
{
	lck_mtx_lock(&nc.lock);
}

void
cache_path_end(void)
{
	lck_mtx_unlock(&nc.lock);
}

vnode_t
cache_lookup_dir_locked(vnode_t dvp, struct componentname *cnp)
{
	struct namecache *ncp;
	vnode_t vp;

	lck_mtx_assert(&nc.lock, LCK_MTX_ASSERT_OWNED);
	if (cnp->cn_namelen > NCHNAMLEN || (ncp = nc_find(dvp, cnp)) == NULL)
		return NULLVP;
	vp = ncp->nc_vp;
	/* Nothing mounted on it: a look without the mount table's lock (namei_cross_mounts). */
	if (vp == NULLVP || vp->v_type != VDIR ||
	    __atomic_load_n(&vp->v_mountedhere, __ATOMIC_RELAXED) != NULL)
		return NULLVP;
	nc.stats.ncs_goodhits++;
	TAILQ_REMOVE(&nc.lru, ncp, nc_lru);
	TAILQ_INSERT_TAIL(&nc.lru, ncp, nc_lru);
	return vp;
}

uint64_t
cache_generation(void)
{
	uint64_t gen;

	lck_mtx_lock(&nc.lock);
	gen = nc.gen;
	lck_mtx_unlock(&nc.lock);
	return gen;
}

void
cache_enter(vnode_t dvp, vnode_t vp, struct componentname *cnp, uint64_t gen)
{
	struct namecache *ncp;

	if (cnp->cn_namelen > NCHNAMLEN || cnp->cn_namelen <= 0)
		return;
	lck_mtx_lock(&nc.lock);
	if (gen != nc.gen) {
		/* A name changed since the lookup began: its answer may be stale. */
		lck_mtx_unlock(&nc.lock);
		return;
	}
	if ((ncp = nc_find(dvp, cnp)) != NULL) {
		ncp->nc_vp = vp;	/* a newer answer */
		lck_mtx_unlock(&nc.lock);
		return;
	}
	if (nc.stats.ncs_entries >= NCHSIZE)
		nc_free(TAILQ_FIRST(&nc.lru));
	ncp = zalloc(nc.zone);
	if (ncp != NULL) {
		ncp->nc_dvp = dvp;
		ncp->nc_vp = vp;
		ncp->nc_namelen = (uint8_t)cnp->cn_namelen;
		memcpy(ncp->nc_name, cnp->cn_nameptr, (size_t)cnp->cn_namelen);
		LIST_INSERT_HEAD(&nc.hash[nc_hashval(dvp, cnp->cn_nameptr, cnp->cn_namelen)],
		    ncp, nc_hash);
		TAILQ_INSERT_TAIL(&nc.lru, ncp, nc_lru);
		nc.stats.ncs_entries++;
	}
	lck_mtx_unlock(&nc.lock);
}

void
cache_purge(vnode_t vp)
{
	struct namecache *ncp, *next;

	lck_mtx_lock(&nc.lock);
	nc.gen++;
	for (ncp = TAILQ_FIRST(&nc.lru); ncp != NULL; ncp = next) {
		next = TAILQ_NEXT(ncp, nc_lru);
		if (ncp->nc_vp == vp || ncp->nc_dvp == vp)
			nc_free(ncp);
	}
	lck_mtx_unlock(&nc.lock);
}

void
cache_purge_all(void)
{
	struct namecache *ncp;

	lck_mtx_lock(&nc.lock);
	nc.gen++;
	while ((ncp = TAILQ_FIRST(&nc.lru)) != NULL)
		nc_free(ncp);
	lck_mtx_unlock(&nc.lock);
}

void
cache_purge_negatives(vnode_t dvp)
{
	struct namecache *ncp, *next;

	lck_mtx_lock(&nc.lock);
	nc.gen++;
	for (ncp = TAILQ_FIRST(&nc.lru); ncp != NULL; ncp = next) {
		next = TAILQ_NEXT(ncp, nc_lru);
		if (ncp->nc_dvp == dvp && ncp->nc_vp == NULLVP)
			nc_free(ncp);
	}
	lck_mtx_unlock(&nc.lock);
}

void
cache_purge_name(vnode_t dvp, struct componentname *cnp)
{
	struct namecache *ncp;

	lck_mtx_lock(&nc.lock);
	nc.gen++;
	if (cnp->cn_namelen <= NCHNAMLEN && (ncp = nc_find(dvp, cnp)) != NULL)
		nc_free(ncp);
	lck_mtx_unlock(&nc.lock);
}

void
cache_get_stats(struct nchstats *out)
{
	lck_mtx_lock(&nc.lock);
	*out = nc.stats;
	lck_mtx_unlock(&nc.lock);
}
