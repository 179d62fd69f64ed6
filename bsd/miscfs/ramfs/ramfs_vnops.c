/*
 * ramfs_vnops.c - ramfs's vnode operations (bsd/miscfs/ramfs/ramfs.h):
 * names in directories, attributes, and file data in VM object pages.
 *
 * Every operation takes the filesystem's lock (rm_lock) for its length
 * and never drops a vnode count while holding it (that may reclaim a
 * node, which takes rm_lock).
 */

#include "bsd/miscfs/ramfs/ramfs.h"

#include "bsd/miscfs/fifofs/fifo.h"
#include "bsd/miscfs/specfs/specdev.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/namei.h"
#include "bsd/sys/stat.h"
#include "bsd/sys/vnode_internal.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"

static char ramfs_zeros[PAGE_SIZE];

/* --- directories --------------------------------------------------------------------- */

/* The entry of dnp called name. Locks: [R]. */
static struct ramfs_dirent *
dir_find(struct ramfs_node *dnp, const char *name, int len)
{
	struct ramfs_dirent *de;

	TAILQ_FOREACH(de, &dnp->rn_dir, de_link) {
		if (de->de_namelen == len && memcmp(de->de_name, name, (size_t)len) == 0)
			return de;
	}
	return NULL;
}

static struct ramfs_dirent *
dirent_alloc(const char *name, int len)
{
	struct ramfs_dirent *de = kalloc(sizeof(*de) + (size_t)len);

	if (de != NULL) {
		memset(de, 0, sizeof(*de));
		de->de_namelen = (uint16_t)len;
		memcpy(de->de_name, name, (size_t)len);
	}
	return de;
}

static void
dirent_free(struct ramfs_dirent *de)
{
	kfree(de, sizeof(*de) + de->de_namelen);
}

/* Link de (naming np) into dnp. Locks: [R]. */
static void
dir_insert(struct ramfs_node *dnp, struct ramfs_dirent *de, struct ramfs_node *np)
{
	de->de_node = np;
	de->de_cookie = dnp->rn_nextcookie++;
	TAILQ_INSERT_TAIL(&dnp->rn_dir, de, de_link);
	dnp->rn_size++;
	ramfs_now(&dnp->rn_mtime);
	dnp->rn_ctime = dnp->rn_mtime;
}

/* Unlink de from dnp (not freed). Locks: [R]. */
static void
dir_unlink(struct ramfs_node *dnp, struct ramfs_dirent *de)
{
	TAILQ_REMOVE(&dnp->rn_dir, de, de_link);
	dnp->rn_size--;
	ramfs_now(&dnp->rn_mtime);
	dnp->rn_ctime = dnp->rn_mtime;
}

/* Is np dnp or one of its ancestors? Locks: [R]. */
static int
is_ancestor(struct ramfs_node *np, struct ramfs_node *dnp)
{
	for (;;) {
		if (dnp == np)
			return 1;
		if (dnp->rn_parent == dnp || dnp->rn_parent == NULL)
			return 0;
		dnp = dnp->rn_parent;
	}
}

static int
ramfs_lookup(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(dvp);
	struct ramfs_node *dnp = VTORN(dvp), *np = NULL;
	struct ramfs_dirent *de;
	int error = 0;

	(void)ctx;
	lck_mtx_lock(&rmp->rm_lock);
	if (dnp->rn_type != VDIR)
		error = ENOTDIR;
	else if (dnp->rn_nlink == 0)
		error = ENOENT;			/* a removed directory */
	else if (cnp->cn_flags & ISDOTDOT)
		np = dnp->rn_parent;
	else if ((de = dir_find(dnp, cnp->cn_nameptr, cnp->cn_namelen)) != NULL)
		np = de->de_node;
	else
		error = ENOENT;
	if (error == 0)
		error = vnode_get(np->rn_vnode);
	lck_mtx_unlock(&rmp->rm_lock);
	if (error == 0)
		*vpp = np->rn_vnode;
	return error;
}

/* Make a node of type in dvp: create, mknod, mkdir and symlink. */
static int
ramfs_makenode(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, enum vtype type,
    struct vnode_attr *vap, const char *target, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(dvp);
	struct ramfs_node *dnp = VTORN(dvp), *np;
	kauth_cred_t cred = vfs_context_ucred(ctx);
	size_t tlen = target != NULL ? strlen(target) : 0;
	struct ramfs_dirent *de;
	char *link = NULL;
	int error;

	if (cnp->cn_namelen <= 0 || cnp->cn_namelen > MAXNAMLEN)
		return cnp->cn_namelen <= 0 ? ENOENT : ENAMETOOLONG;
	if (target != NULL && (tlen == 0 || tlen >= MAXPATHLEN))
		return tlen == 0 ? ENOENT : ENAMETOOLONG;
	de = dirent_alloc(cnp->cn_nameptr, cnp->cn_namelen);
	if (target != NULL)
		link = kalloc(tlen + 1);
	if (de == NULL || (target != NULL && link == NULL)) {
		error = ENOMEM;
		goto fail;
	}
	if (link != NULL)
		memcpy(link, target, tlen + 1);
	lck_mtx_lock(&rmp->rm_lock);
	if (dnp->rn_nlink == 0) {
		error = ENOENT;
	} else if (dir_find(dnp, cnp->cn_nameptr, cnp->cn_namelen) != NULL) {
		error = EEXIST;
	} else {
		error = ramfs_node_alloc(rmp, type, VATTR_IS_ACTIVE(vap, va_mode) ? vap->va_mode :
		    0644, kauth_cred_getuid(cred),
		    (dnp->rn_mode & S_ISGID) ? dnp->rn_gid : kauth_cred_getgid(cred),
		    vap->va_rdev, &np);
	}
	if (error != 0) {
		lck_mtx_unlock(&rmp->rm_lock);
		goto fail;
	}
	if (type == VDIR) {
		np->rn_parent = dnp;
		dnp->rn_nlink++;
		if (dnp->rn_mode & S_ISGID)
			np->rn_mode |= S_ISGID;
	} else if (type == VLNK) {
		np->rn_link = link;
		np->rn_size = (off_t)tlen;
		np->rn_mode = 0777;
		link = NULL;
	}
	dir_insert(dnp, de, np);
	cache_purge_negatives(dvp);
	(void)vnode_get(np->rn_vnode);
	lck_mtx_unlock(&rmp->rm_lock);
	*vpp = np->rn_vnode;
	return 0;
fail:
	if (de != NULL)
		dirent_free(de);
	if (link != NULL)
		kfree(link, tlen + 1);
	return error;
}

static int
ramfs_create(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, struct vnode_attr *vap,
    vfs_context_t ctx)
{
	return ramfs_makenode(dvp, vpp, cnp, VREG, vap, NULL, ctx);
}

static int
ramfs_mknod(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, struct vnode_attr *vap,
    vfs_context_t ctx)
{
	if (vap->va_type != VCHR && vap->va_type != VREG && vap->va_type != VFIFO)
		return EPERM;		/* sockets: not here */
	return ramfs_makenode(dvp, vpp, cnp, vap->va_type, vap, NULL, ctx);
}

static int
ramfs_mkdir(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, struct vnode_attr *vap,
    vfs_context_t ctx)
{
	return ramfs_makenode(dvp, vpp, cnp, VDIR, vap, NULL, ctx);
}

static int
ramfs_symlink(vnode_t dvp, vnode_t *vpp, struct componentname *cnp, struct vnode_attr *vap,
    const char *target, vfs_context_t ctx)
{
	return ramfs_makenode(dvp, vpp, cnp, VLNK, vap, target, ctx);
}

static int
ramfs_remove(vnode_t dvp, vnode_t vp, struct componentname *cnp, int flags, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(dvp);
	struct ramfs_node *dnp = VTORN(dvp), *np = VTORN(vp);
	struct ramfs_dirent *de;
	int error = 0;

	(void)flags;
	(void)ctx;
	lck_mtx_lock(&rmp->rm_lock);
	de = dir_find(dnp, cnp->cn_nameptr, cnp->cn_namelen);
	if (de == NULL || de->de_node != np) {
		error = ENOENT;
	} else if (np->rn_type == VDIR) {
		error = EISDIR;
	} else {
		dir_unlink(dnp, de);
		dirent_free(de);
		np->rn_nlink--;
		ramfs_now(&np->rn_ctime);
		cache_purge_name(dvp, cnp);
		if (np->rn_nlink == 0)
			vnode_setneedinactive(vp);	/* ramfs_inactive recycles it */
	}
	lck_mtx_unlock(&rmp->rm_lock);
	return error;
}

static int
ramfs_rmdir(vnode_t dvp, vnode_t vp, struct componentname *cnp, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(dvp);
	struct ramfs_node *dnp = VTORN(dvp), *np = VTORN(vp);
	struct ramfs_dirent *de;
	int error = 0;

	(void)ctx;
	lck_mtx_lock(&rmp->rm_lock);
	de = dir_find(dnp, cnp->cn_nameptr, cnp->cn_namelen);
	if (de == NULL || de->de_node != np) {
		error = ENOENT;
	} else if (np->rn_type != VDIR) {
		error = ENOTDIR;
	} else if (!TAILQ_EMPTY(&np->rn_dir)) {
		error = ENOTEMPTY;
	} else {
		dir_unlink(dnp, de);
		dirent_free(de);
		dnp->rn_nlink--;
		np->rn_nlink = 0;
		cache_purge(vp);
		vnode_setneedinactive(vp);
	}
	lck_mtx_unlock(&rmp->rm_lock);
	return error;
}

static int
ramfs_link(vnode_t vp, vnode_t tdvp, struct componentname *cnp, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(tdvp);
	struct ramfs_node *dnp = VTORN(tdvp), *np = VTORN(vp);
	struct ramfs_dirent *de;
	int error = 0;

	(void)ctx;
	if (vp->v_mount != tdvp->v_mount)
		return EXDEV;
	if (vp->v_type == VDIR)
		return EPERM;
	if ((de = dirent_alloc(cnp->cn_nameptr, cnp->cn_namelen)) == NULL)
		return ENOMEM;
	lck_mtx_lock(&rmp->rm_lock);
	if (np->rn_nlink == 0 || dnp->rn_nlink == 0)
		error = ENOENT;
	else if (dir_find(dnp, cnp->cn_nameptr, cnp->cn_namelen) != NULL)
		error = EEXIST;
	if (error == 0) {
		dir_insert(dnp, de, np);
		np->rn_nlink++;
		ramfs_now(&np->rn_ctime);
		cache_purge_negatives(tdvp);
	}
	lck_mtx_unlock(&rmp->rm_lock);
	if (error != 0)
		dirent_free(de);
	return error;
}

/* Can tnp (the entry being replaced, if any) make way for fnp? Locks: [R]. */
static int
rename_check(struct ramfs_node *fnp, struct ramfs_node *tdnp, struct ramfs_node *tnp)
{
	if (fnp->rn_type == VDIR && is_ancestor(fnp, tdnp))
		return EINVAL;			/* a directory into itself */
	if (tnp == NULL)
		return 0;
	if (tnp->rn_type == VDIR && fnp->rn_type != VDIR)
		return EISDIR;
	if (tnp->rn_type != VDIR && fnp->rn_type == VDIR)
		return ENOTDIR;
	if (tnp->rn_type == VDIR && !TAILQ_EMPTY(&tnp->rn_dir))
		return ENOTEMPTY;
	return 0;
}

static int
ramfs_rename(vnode_t fdvp, vnode_t fvp, struct componentname *fcnp, vnode_t tdvp,
    vnode_t tvp, struct componentname *tcnp, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(fdvp);
	struct ramfs_node *fdnp = VTORN(fdvp), *tdnp = VTORN(tdvp), *fnp = VTORN(fvp);
	struct ramfs_node *tnp = NULL;
	struct ramfs_dirent *fde, *tde, *nde;
	vnode_t replaced = NULLVP;
	int error;

	(void)tvp;
	(void)ctx;
	if (fdvp->v_mount != tdvp->v_mount)
		return EXDEV;
	if ((nde = dirent_alloc(tcnp->cn_nameptr, tcnp->cn_namelen)) == NULL)
		return ENOMEM;
	lck_mtx_lock(&rmp->rm_lock);
	fde = dir_find(fdnp, fcnp->cn_nameptr, fcnp->cn_namelen);
	tde = dir_find(tdnp, tcnp->cn_nameptr, tcnp->cn_namelen);
	if (tde != NULL)
		tnp = tde->de_node;
	if (fde == NULL || fde->de_node != fnp || tdnp->rn_nlink == 0)
		error = ENOENT;
	else if (tnp == fnp)
		error = -1;			/* the same file: nothing to do */
	else
		error = rename_check(fnp, tdnp, tnp);
	if (error != 0) {
		lck_mtx_unlock(&rmp->rm_lock);
		dirent_free(nde);
		return error == -1 ? 0 : error;
	}
	if (tde != NULL) {
		dir_unlink(tdnp, tde);
		dirent_free(tde);
		if (tnp->rn_type == VDIR) {
			tnp->rn_nlink = 0;
			tdnp->rn_nlink--;
			cache_purge(tnp->rn_vnode);
		} else {
			tnp->rn_nlink--;
		}
		/*
		 * The name may have gone to another file since the caller's
		 * lookup (tvp), one nobody holds: held here, its last put
		 * below recycles it all the same.
		 */
		if (tnp->rn_nlink == 0) {
			vnode_setneedinactive(tnp->rn_vnode);
			if (vnode_get(tnp->rn_vnode) == 0)
				replaced = tnp->rn_vnode;
		}
		ramfs_now(&tnp->rn_ctime);
	}
	dir_unlink(fdnp, fde);
	dirent_free(fde);
	dir_insert(tdnp, nde, fnp);
	if (fnp->rn_type == VDIR && fdnp != tdnp) {
		fdnp->rn_nlink--;
		tdnp->rn_nlink++;
		fnp->rn_parent = tdnp;
	}
	ramfs_now(&fnp->rn_ctime);
	cache_purge_name(fdvp, fcnp);
	cache_purge_name(tdvp, tcnp);
	lck_mtx_unlock(&rmp->rm_lock);
	if (replaced != NULLVP)
		vnode_put(replaced);
	return 0;
}

static int
ramfs_readdir(vnode_t vp, struct uio *uio, int flags, int *eofflag, int *numdirent,
    vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(vp);
	struct ramfs_node *np = VTORN(vp);
	struct ramfs_dirent *de;
	off_t cookie = uio_offset(uio);
	int error = 0, n = 0;

	(void)flags;
	(void)ctx;
	*eofflag = 0;
	lck_mtx_lock(&rmp->rm_lock);
	if (np->rn_nlink == 0) {
		*eofflag = 1;		/* a removed directory is empty */
		goto out;
	}
	if (cookie == 0) {
		if ((error = vfs_dirent_emit(uio, np->rn_ino, 1, DT_DIR, ".", 1)) != 0)
			goto out;
		uio_setoffset(uio, cookie = 1);
		n++;
	}
	if (cookie == 1) {
		if ((error = vfs_dirent_emit(uio, np->rn_parent->rn_ino, 2, DT_DIR, "..", 2)) != 0)
			goto out;
		uio_setoffset(uio, cookie = 2);
		n++;
	}
	TAILQ_FOREACH(de, &np->rn_dir, de_link) {
		if ((off_t)de->de_cookie < cookie)
			continue;
		error = vfs_dirent_emit(uio, de->de_node->rn_ino, (int64_t)de->de_cookie + 1,
		    vtype_to_dtype(de->de_node->rn_type), de->de_name, de->de_namelen);
		if (error != 0)
			goto out;
		uio_setoffset(uio, (off_t)de->de_cookie + 1);
		n++;
	}
	*eofflag = 1;
out:
	lck_mtx_unlock(&rmp->rm_lock);
	*numdirent = n;
	return error == -1 ? 0 : error;
}

static int
ramfs_readlink(vnode_t vp, struct uio *uio, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(vp);
	struct ramfs_node *np = VTORN(vp);
	int error;

	(void)ctx;
	if (np->rn_type != VLNK)
		return EINVAL;
	lck_mtx_lock(&rmp->rm_lock);
	error = uiomove(np->rn_link, MIN((int64_t)np->rn_size, uio_resid(uio)), uio);
	lck_mtx_unlock(&rmp->rm_lock);
	return error;
}

/* --- attributes ------------------------------------------------------------------------ */

static mode_t
vtype_ifmt(enum vtype type)
{
	switch (type) {
	case VREG:	return S_IFREG;
	case VDIR:	return S_IFDIR;
	case VLNK:	return S_IFLNK;
	case VCHR:	return S_IFCHR;
	case VFIFO:	return S_IFIFO;
	default:	return 0;
	}
}

static int
ramfs_getattr(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(vp);
	struct ramfs_node *np = VTORN(vp);

	(void)ctx;
	lck_mtx_lock(&rmp->rm_lock);
	vap->va_mode = vtype_ifmt(np->rn_type) | np->rn_mode;
	vap->va_uid = np->rn_uid;
	vap->va_gid = np->rn_gid;
	vap->va_nlink = np->rn_nlink;
	vap->va_fileid = np->rn_ino;
	vap->va_rdev = np->rn_rdev;
	vap->va_data_size = np->rn_type == VDIR ? (off_t)PAGE_SIZE : np->rn_size;
	vap->va_data_alloc = np->rn_object != VM_OBJECT_NULL ?
	    (uint64_t)np->rn_object->vo_resident_page_count * PAGE_SIZE : 0;
	vap->va_iosize = PAGE_SIZE;
	vap->va_access_time = np->rn_atime;
	vap->va_modify_time = np->rn_mtime;
	vap->va_change_time = np->rn_ctime;
	lck_mtx_unlock(&rmp->rm_lock);
	return 0;
}

#define ZR_BATCH	32

struct zero_batch {
	vm_object_offset_t	zb_off[ZR_BATCH];
	int			zb_n;
};

static void
zero_batch_add(struct vm_page *m, vm_object_offset_t where, void *arg)
{
	struct zero_batch *zb = arg;

	(void)m;
	if (zb->zb_n < ZR_BATCH)
		zb->zb_off[zb->zb_n++] = where;
}

/* Zero [from, to) of the page at pg, if it is there. Locks: [O] held. */
static void
zero_partial(vm_object_t obj, off_t pg, off_t from, off_t to)
{
	struct vm_page *m = vm_object_page_lookup(obj, (vm_object_offset_t)pg);
	off_t start = MAX(pg, from), end = MIN(pg + (off_t)PAGE_SIZE, to);

	if (m != NULL && start < end)
		memset((char *)phystokv(vm_page_to_phys(m)) + (start - pg), 0,
		    (size_t)(end - start));
}

/*
 * Make [from, to) of a file read as zeros: the pages wholly inside go,
 * the partial ones at the ends are zeroed. The cost is the pages resident
 * in the range, not its length. Locks: [R].
 */
static void
ramfs_zero_range(struct ramfs_node *np, off_t from, off_t to)
{
	vm_object_t obj = np->rn_object;
	off_t first = round_page(from), last = trunc_page(to);
	struct zero_batch zb;

	if (from >= to)
		return;
	vm_object_lock(obj);
	if (first > last) {		/* within one page */
		zero_partial(obj, trunc_page(from), from, to);
		vm_object_unlock(obj);
		return;
	}
	if (from < first)
		zero_partial(obj, trunc_page(from), from, first);
	if (last < to)
		zero_partial(obj, last, last, to);
	do {
		zb.zb_n = 0;
		if (last > first)
			(void)vm_object_chain_foreach(obj, (vm_object_offset_t)first,
			    (vm_object_size_t)(last - first), zero_batch_add, &zb);
		for (int i = 0; i < zb.zb_n; i++) {
			struct vm_page *m = vm_object_page_lookup(obj, first + zb.zb_off[i]);

			if (m != NULL)
				vm_object_page_free(obj, m);
		}
	} while (zb.zb_n == ZR_BATCH);
	vm_object_unlock(obj);
}

/* A new size for a regular file. Locks: [R]. */
static int
ramfs_truncate_locked(struct ramfs_node *np, off_t size)
{
	if (np->rn_type == VDIR)
		return EISDIR;
	if (np->rn_type != VREG)
		return EINVAL;
	if (size < 0)
		return EINVAL;
	if ((uint64_t)size > RAMFS_MAXFILESIZE)
		return EFBIG;
	/*
	 * Shorter: what is cut off goes. Longer: the new part must read as
	 * zeros, even where a mapping wrote past the end of the file.
	 */
	if (size < np->rn_size)
		ramfs_zero_range(np, size, np->rn_size);
	else if (size > np->rn_size)
		ramfs_zero_range(np, np->rn_size, size);
	np->rn_size = size;
	ramfs_now(&np->rn_mtime);
	return 0;
}

static int
ramfs_setattr(vnode_t vp, struct vnode_attr *vap, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(vp);
	struct ramfs_node *np = VTORN(vp);
	int error = 0;

	(void)ctx;
	lck_mtx_lock(&rmp->rm_lock);
	if (VATTR_IS_ACTIVE(vap, va_data_size))
		error = ramfs_truncate_locked(np, vap->va_data_size);
	if (error == 0) {
		if (VATTR_IS_ACTIVE(vap, va_mode))
			np->rn_mode = vap->va_mode & ALLPERMS;
		if (VATTR_IS_ACTIVE(vap, va_uid))
			np->rn_uid = vap->va_uid;
		if (VATTR_IS_ACTIVE(vap, va_gid))
			np->rn_gid = vap->va_gid;
		if (VATTR_IS_ACTIVE(vap, va_access_time))
			np->rn_atime = vap->va_access_time;
		if (VATTR_IS_ACTIVE(vap, va_modify_time))
			np->rn_mtime = vap->va_modify_time;
		ramfs_now(&np->rn_ctime);
	}
	lck_mtx_unlock(&rmp->rm_lock);
	return error;
}

/* --- data ------------------------------------------------------------------------------- */

/* The page at pg, made (zero-filled) if missing and make; NULL if none/no memory. */
static struct vm_page *
ramfs_page(struct ramfs_node *np, off_t pg, int make)
{
	vm_object_t obj = np->rn_object;
	struct vm_page *m;

	vm_object_lock(obj);
	m = vm_object_page_lookup(obj, (vm_object_offset_t)pg);
	if (m == NULL && make) {
		m = vm_page_grab_zeroed(VM_PAGE_USE_OBJECT);
		if (m != NULL)
			vm_object_page_insert(obj, m, (vm_object_offset_t)pg);
	}
	vm_object_unlock(obj);
	return m;
}

static int
ramfs_read(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(vp);
	struct ramfs_node *np = VTORN(vp);
	int error = 0;

	(void)ioflag;
	(void)ctx;
	if (np->rn_type == VDIR)
		return EISDIR;
	if (np->rn_type != VREG)
		return EINVAL;
	if (uio_offset(uio) < 0)
		return EINVAL;
	lck_mtx_lock(&rmp->rm_lock);
	while (error == 0 && uio_resid(uio) > 0 && uio_offset(uio) < np->rn_size) {
		off_t off = uio_offset(uio), pg = trunc_page(off);
		int64_t n = MIN(MIN(uio_resid(uio), np->rn_size - off),
		    (int64_t)(pg + PAGE_SIZE - off));
		struct vm_page *m = ramfs_page(np, pg, 0);
		char *src = m != NULL ? (char *)phystokv(vm_page_to_phys(m)) + (off - pg) :
		    ramfs_zeros;

		error = uiomove(src, n, uio);
	}
	lck_mtx_unlock(&rmp->rm_lock);
	return error;
}

static int
ramfs_write(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(vp);
	struct ramfs_node *np = VTORN(vp);
	int error = 0;

	(void)ctx;
	if (np->rn_type != VREG)
		return np->rn_type == VDIR ? EISDIR : EINVAL;
	lck_mtx_lock(&rmp->rm_lock);
	if (ioflag & IO_APPEND)
		uio_setoffset(uio, np->rn_size);
	if (uio_offset(uio) < 0) {
		error = EINVAL;
	} else if (uio_resid(uio) > 0 && (uint64_t)uio_offset(uio) >= RAMFS_MAXFILESIZE) {
		error = EFBIG;
	}
	/* A hole made by writing past the end reads as zeros (see truncate). */
	if (error == 0 && uio_resid(uio) > 0 && uio_offset(uio) > np->rn_size)
		ramfs_zero_range(np, np->rn_size, uio_offset(uio));
	while (error == 0 && uio_resid(uio) > 0 &&
	    (uint64_t)uio_offset(uio) < RAMFS_MAXFILESIZE) {
		off_t off = uio_offset(uio), pg = trunc_page(off);
		int64_t n = MIN(uio_resid(uio), (int64_t)(pg + PAGE_SIZE - off));
		struct vm_page *m = ramfs_page(np, pg, 1);

		if (m == NULL) {
			error = ENOSPC;
			break;
		}
		error = uiomove((char *)phystokv(vm_page_to_phys(m)) + (off - pg), n, uio);
		if (uio_offset(uio) > np->rn_size)
			np->rn_size = uio_offset(uio);
	}
	ramfs_now(&np->rn_mtime);
	np->rn_ctime = np->rn_mtime;
	lck_mtx_unlock(&rmp->rm_lock);
	return error;
}

/* --- life ----------------------------------------------------------------------------- */

static int
ramfs_inactive(vnode_t vp, vfs_context_t ctx)
{
	struct ramfs_mount *rmp = VTORM(vp);
	struct ramfs_node *np = VTORN(vp);

	(void)ctx;
	lck_mtx_lock(&rmp->rm_lock);
	if (np->rn_nlink == 0)
		vnode_recycle(vp);
	lck_mtx_unlock(&rmp->rm_lock);
	return 0;
}

static int
ramfs_reclaim(vnode_t vp, vfs_context_t ctx)
{
	(void)ctx;
	ramfs_node_free(VTORM(vp), VTORN(vp));
	return 0;
}

const struct vnodeops ramfs_vnodeops = {
	.vnop_lookup = ramfs_lookup,
	.vnop_create = ramfs_create,
	.vnop_mknod = ramfs_mknod,
	.vnop_getattr = ramfs_getattr,
	.vnop_setattr = ramfs_setattr,
	.vnop_read = ramfs_read,
	.vnop_write = ramfs_write,
	.vnop_remove = ramfs_remove,
	.vnop_link = ramfs_link,
	.vnop_rename = ramfs_rename,
	.vnop_mkdir = ramfs_mkdir,
	.vnop_rmdir = ramfs_rmdir,
	.vnop_symlink = ramfs_symlink,
	.vnop_readdir = ramfs_readdir,
	.vnop_readlink = ramfs_readlink,
	.vnop_inactive = ramfs_inactive,
	.vnop_reclaim = ramfs_reclaim,
};

/* Named pipes: fifofs's I/O, ramfs's attributes. */
const struct vnodeops ramfs_fifoops = {
	.vnop_open = fifo_open,
	.vnop_close = fifo_close,
	.vnop_read = fifo_read,
	.vnop_write = fifo_write,
	.vnop_ioctl = fifo_ioctl,
	.vnop_select = fifo_select,
	.vnop_getattr = ramfs_getattr,
	.vnop_setattr = ramfs_setattr,
	.vnop_inactive = ramfs_inactive,
	.vnop_reclaim = ramfs_reclaim,
};

/* Device nodes made with mknod: the driver's I/O, ramfs's attributes. */
const struct vnodeops ramfs_specops = {
	.vnop_open = spec_open,
	.vnop_close = spec_close,
	.vnop_read = spec_read,
	.vnop_write = spec_write,
	.vnop_ioctl = spec_ioctl,
	.vnop_select = spec_select,
	.vnop_getattr = ramfs_getattr,
	.vnop_setattr = ramfs_setattr,
	.vnop_inactive = ramfs_inactive,
	.vnop_reclaim = ramfs_reclaim,
};
