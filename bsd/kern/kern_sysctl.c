/*
 * kern_sysctl.c - the MIB (bsd/sys/sysctl.h): registering OIDs, finding
 * them by number and by name, the standard handlers, the sysctl.*
 * interface tools list and translate with, and the two system calls,
 * sysctl (XNU's 202) and sysctlbyname (274).
 *
 * A call goes: copy the OID (or the name, then translate it) in; with the
 * geometry lock shared, find the OID, check access, take a reference on
 * it; let the lock go; run the handler (under the unlocked-node mutex
 * unless the OID is CTLFLAG_LOCKED); drop the reference, waking an
 * unregister waiting for it. Then copy the length out.
 *
 * Lengths: SYSCTL_OUT copies what fits and counts everything (oldidx),
 * so a size query (no old buffer) gets the length it needs, and a short
 * buffer gets ENOMEM and, in *oldlenp, the length it needed.
 */

#include "bsd/sys/sysctl.h"

#include <stdbool.h>

#include "bsd/sys/errno.h"
#include "bsd/sys/proc.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/ucred.h"
#include "kernel/copyio.h"
#include "libkern/cdefs.h"
#include "kernel/console.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/locks.h"
#include "mach/kern/sched_prim.h"

/* The linker set of the kernel's own OIDs (linker.ld). */
extern struct sysctl_oid *const __sysctl_set_start[];
extern struct sysctl_oid *const __sysctl_set_end[];

static struct {
	lck_grp_t	grp;
	lck_rw_t	geometry;	/* the tree's shape */
	lck_mtx_t	unlocked_node;	/* around handlers without CTLFLAG_LOCKED */
	int		securelevel;	/* [a] kern.securelevel */
} sysctl_globals;

/* The root's children, and the top-level nodes. */
struct sysctl_oid_list sysctl__children = TAILQ_HEAD_INITIALIZER(sysctl__children);

SYSCTL_NODE(, CTL_UNSPEC, sysctl, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "the sysctl interface");
SYSCTL_NODE(, CTL_KERN, kern, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "high kernel, proc, limits");
SYSCTL_NODE(, CTL_VM, vm, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "virtual memory");
SYSCTL_NODE(, CTL_VFS, vfs, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "file systems");
SYSCTL_NODE(, CTL_NET, net, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "networking");
SYSCTL_NODE(, CTL_DEBUG, debug, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "debugging");
SYSCTL_NODE(, CTL_HW, hw, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "hardware");
SYSCTL_NODE(, CTL_MACHDEP, machdep, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "machine dependent");
SYSCTL_NODE(, CTL_USER, user, CTLFLAG_RW | CTLFLAG_LOCKED, NULL, "user-level");

int
sysctl_securelevel(void)
{
	return __atomic_load_n(&sysctl_globals.securelevel, __ATOMIC_RELAXED);
}

/* --- registering ---------------------------------------------------------- */

/* The OID of list named name, or NULL. Locks: geometry held. */
static struct sysctl_oid *
sysctl_list_find_name(struct sysctl_oid_list *list, const char *name, size_t len)
{
	struct sysctl_oid *oid;

	TAILQ_FOREACH(oid, list, oid_link) {
		if (strlen(oid->oid_name) == len && strncmp(oid->oid_name, name, len) == 0)
			return oid;
	}
	return NULL;
}

/* The OID of list numbered n, or NULL. Locks: geometry held. */
static struct sysctl_oid *
sysctl_list_find_number(struct sysctl_oid_list *list, int n)
{
	struct sysctl_oid *oid;

	TAILQ_FOREACH(oid, list, oid_link) {
		if (oid->oid_number == n)
			return oid;
		if (oid->oid_number > n)
			break;		/* sorted */
	}
	return NULL;
}

int
sysctl_register_oid(struct sysctl_oid *oidp)
{
	struct sysctl_oid_list *list;
	struct sysctl_oid *p;
	int n;

	if (oidp == NULL || oidp->oid_name == NULL || oidp->oid_parent == NULL ||
	    (oidp->oid_number < 0 && oidp->oid_number != OID_AUTO))
		return EINVAL;
	list = oidp->oid_parent;
	lck_rw_lock_exclusive(&sysctl_globals.geometry);
	n = oidp->oid_number;
	if (oidp->oid_registered ||
	    sysctl_list_find_name(list, oidp->oid_name, strlen(oidp->oid_name)) != NULL ||
	    (n != OID_AUTO && sysctl_list_find_number(list, n) != NULL)) {
		lck_rw_unlock_exclusive(&sysctl_globals.geometry);
		return EEXIST;
	}
	if (n == OID_AUTO) {
		n = OID_AUTO_START;
		TAILQ_FOREACH(p, list, oid_link) {
			if (p->oid_number >= n)
				n = p->oid_number + 1;
		}
		oidp->oid_number = n;
		oidp->oid_kind |= CTLFLAG_AUTONUM;
	}
	TAILQ_FOREACH(p, list, oid_link) {
		if (p->oid_number > n)
			break;
	}
	if (p != NULL)
		TAILQ_INSERT_BEFORE(p, oidp, oid_link);
	else
		TAILQ_INSERT_TAIL(list, oidp, oid_link);
	oidp->oid_registered = 1;
	lck_rw_unlock_exclusive(&sysctl_globals.geometry);
	return 0;
}

void
sysctl_unregister_oid(struct sysctl_oid *oidp)
{
	if (oidp == NULL)
		return;
	lck_rw_lock_exclusive(&sysctl_globals.geometry);
	if (!oidp->oid_registered) {
		lck_rw_unlock_exclusive(&sysctl_globals.geometry);
		return;
	}
	TAILQ_REMOVE(oidp->oid_parent, oidp, oid_link);
	oidp->oid_registered = 0;
	/* No new call can find it; wait for those in its handler. */
	while (__atomic_load_n(&oidp->oid_refcnt, __ATOMIC_ACQUIRE) > 0)
		(void)lck_rw_sleep(&sysctl_globals.geometry, LCK_SLEEP_DEFAULT,
		    &oidp->oid_refcnt, THREAD_UNINT);
	if (oidp->oid_kind & CTLFLAG_AUTONUM) {
		oidp->oid_number = OID_AUTO;
		oidp->oid_kind &= ~CTLFLAG_AUTONUM;
	}
	lck_rw_unlock_exclusive(&sysctl_globals.geometry);
}

void
sysctl_init(void)
{
	lck_grp_init(&sysctl_globals.grp, "sysctl", LCK_GRP_ATTR_NULL);
	lck_rw_init(&sysctl_globals.geometry, &sysctl_globals.grp, LCK_ATTR_NULL);
	lck_mtx_init(&sysctl_globals.unlocked_node, &sysctl_globals.grp, LCK_ATTR_NULL);
	/*
	 * Backwards: the compiler lays a file's entries out last first, and
	 * OID_AUTO numbers then follow the order of declaration.
	 */
	for (struct sysctl_oid *const *op = __sysctl_set_end; op-- > __sysctl_set_start;) {
		int error = sysctl_register_oid(*op);

		if (error != 0)
			printf("sysctl: %s (%d) not registered: error %d\n", (*op)->oid_name,
			    (*op)->oid_number, error);
	}
}

/* --- finding -------------------------------------------------------------- */

/*
 * sysctl_find_oid_locked: the OID name[] reaches: a leaf, or a node with a
 * handler (which takes the rest of name). *indxp counts the components
 * used. ENOENT if a number is not there or the name stops at a plain
 * node; ENOTDIR if it goes on past a leaf. Locks: geometry held.
 */
static int
sysctl_find_oid_locked(const int *name, unsigned namelen, struct sysctl_oid **oidpp,
    unsigned *indxp)
{
	struct sysctl_oid_list *list = &sysctl__children;
	struct sysctl_oid *oid;
	unsigned indx = 0;

	while (indx < namelen) {
		oid = sysctl_list_find_number(list, name[indx]);
		if (oid == NULL)
			return ENOENT;
		indx++;
		if ((oid->oid_kind & CTLTYPE) == CTLTYPE_NODE && oid->oid_handler == NULL) {
			if (indx == namelen)
				return ENOENT;
			list = oid->oid_arg1;
			continue;
		}
		if ((oid->oid_kind & CTLTYPE) != CTLTYPE_NODE && indx != namelen)
			return ENOTDIR;
		*oidpp = oid;
		*indxp = indx;
		return 0;
	}
	return ENOENT;
}

/*
 * The OID whose path is exactly name[] (a node or a leaf; or a node with a
 * handler followed by its arguments), or NULL. Locks: geometry.
 */
static struct sysctl_oid *
sysctl_lookup_exact_locked(const int *name, unsigned namelen)
{
	struct sysctl_oid_list *list = &sysctl__children;
	struct sysctl_oid *oid = NULL;

	for (unsigned i = 0; i < namelen; i++) {
		if (list == NULL) {
			/* Past a node with a handler: the rest are its arguments. */
			if (oid != NULL && (oid->oid_kind & CTLTYPE) == CTLTYPE_NODE)
				return oid;
			return NULL;
		}
		oid = sysctl_list_find_number(list, name[i]);
		if (oid == NULL)
			return NULL;
		list = (oid->oid_kind & CTLTYPE) == CTLTYPE_NODE && oid->oid_handler == NULL ?
		    oid->oid_arg1 : NULL;
	}
	return oid;
}

/* A decimal integer, the whole of s[0..len); false if it is not one. */
static bool
sysctl_parse_int(const char *s, size_t len, int *out)
{
	bool neg = false;
	int64_t v = 0;
	size_t i = 0;

	if (len > 0 && s[0] == '-')
		neg = true, i = 1;
	if (i == len)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > INT32_MAX)
			return false;
	}
	*out = (int)(neg ? -v : v);
	return true;
}

/*
 * sysctl_name2oid_locked: the OID of a dotted name. Past a node with a
 * handler, components are decimal numbers, its arguments
 * ("kern.proc.pid.42"). ENOENT if any part is not there.
 * Locks: geometry held.
 */
static int
sysctl_name2oid_locked(const char *name, int *oid, unsigned *lenp)
{
	struct sysctl_oid_list *list = &sysctl__children;
	bool args = false;		/* past a node with a handler */
	unsigned len = 0;
	const char *p = name;

	if (*p == '\0')
		return ENOENT;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t seg = dot != NULL ? (size_t)(dot - p) : strlen(p);
		struct sysctl_oid *o;

		if (seg == 0 || len == CTL_MAXNAME)
			return ENOENT;
		if (args) {
			if (!sysctl_parse_int(p, seg, &oid[len]))
				return ENOENT;
		} else {
			if (list == NULL || (o = sysctl_list_find_name(list, p, seg)) == NULL)
				return ENOENT;
			oid[len] = o->oid_number;
			if ((o->oid_kind & CTLTYPE) != CTLTYPE_NODE)
				list = NULL;		/* a leaf: nothing may follow */
			else if (o->oid_handler != NULL)
				args = true;
			else
				list = o->oid_arg1;
		}
		len++;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	*lenp = len;
	return 0;
}

/* --- calling -------------------------------------------------------------- */

static bool
sysctl_caller_is_root(void)
{
	return kauth_cred_issuser(kauth_cred_get());
}

/* Drop a call's reference on oid, waking an unregister waiting for the last. */
static void
sysctl_oid_release(struct sysctl_oid *oid)
{
	lck_rw_lock_shared(&sysctl_globals.geometry);
	if (__atomic_sub_fetch(&oid->oid_refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		thread_wakeup(&oid->oid_refcnt);
	lck_rw_unlock_shared(&sysctl_globals.geometry);
}

/*
 * sysctl_root: find name[], check the caller may do what req asks, run
 * the handler. kernel: a caller inside the kernel (CTLFLAG_KERN nodes).
 */
static int
sysctl_root(struct sysctl_req *req, const int *name, unsigned namelen, bool kernel)
{
	struct sysctl_oid *oid;
	sysctl_handler_t *handler;
	unsigned indx;
	int error, kind;

	if (namelen == 0 || namelen > CTL_MAXNAME)
		return EINVAL;
	lck_rw_lock_shared(&sysctl_globals.geometry);
	error = sysctl_find_oid_locked(name, namelen, &oid, &indx);
	if (error == 0) {
		kind = oid->oid_kind;
		handler = oid->oid_handler;
		if (req->newptr != USER_ADDR_NULL) {
			if (!(kind & CTLFLAG_WR))
				error = EPERM;
			else if ((kind & CTLFLAG_SECURE) && sysctl_securelevel() > 0)
				error = EPERM;
			else if (!(kind & CTLFLAG_ANYBODY) && !kernel && !sysctl_caller_is_root())
				error = EPERM;
		}
		if (error == 0 && (kind & CTLFLAG_KERN) && !kernel)
			error = EPERM;
		if (error == 0 && handler == NULL)
			error = EINVAL;
	}
	if (error != 0) {
		lck_rw_unlock_shared(&sysctl_globals.geometry);
		return error;
	}
	__atomic_add_fetch(&oid->oid_refcnt, 1, __ATOMIC_ACQ_REL);
	lck_rw_unlock_shared(&sysctl_globals.geometry);

	if (!(kind & CTLFLAG_LOCKED))
		lck_mtx_lock(&sysctl_globals.unlocked_node);
	if ((kind & CTLTYPE) == CTLTYPE_NODE)
		error = handler(oid, (void *)(uintptr_t)(name + indx), (int)(namelen - indx), req);
	else
		error = handler(oid, oid->oid_arg1, oid->oid_arg2, req);
	if (!(kind & CTLFLAG_LOCKED))
		lck_mtx_unlock(&sysctl_globals.unlocked_node);
	sysctl_oid_release(oid);
	return error;
}

/* Give out l bytes at p: copy what fits, count all of it. */
static int
sysctl_old_user(struct sysctl_req *req, const void *p, size_t l)
{
	size_t i = 0;

	if (req->oldptr != USER_ADDR_NULL) {
		if (req->oldidx < req->oldlen)
			i = MIN(l, req->oldlen - req->oldidx);
		if (i > 0 && copyout(p, req->oldptr + req->oldidx, i) != 0)
			return EFAULT;
	}
	req->oldidx += l;
	if (req->oldptr != USER_ADDR_NULL && i < l)
		return ENOMEM;
	return 0;
}

static int
sysctl_new_user(struct sysctl_req *req, void *p, size_t l)
{
	if (req->newptr == USER_ADDR_NULL)
		return 0;
	if (req->newlen < req->newidx || req->newlen - req->newidx < l)
		return EINVAL;
	if (copyin(req->newptr + req->newidx, p, l) != 0)
		return EFAULT;
	req->newidx += l;
	return 0;
}

static int
sysctl_old_kernel(struct sysctl_req *req, const void *p, size_t l)
{
	size_t i = 0;

	if (req->oldptr != USER_ADDR_NULL) {
		if (req->oldidx < req->oldlen)
			i = MIN(l, req->oldlen - req->oldidx);
		if (i > 0)
			memcpy((char *)(uintptr_t)req->oldptr + req->oldidx, p, i);
	}
	req->oldidx += l;
	if (req->oldptr != USER_ADDR_NULL && i < l)
		return ENOMEM;
	return 0;
}

static int
sysctl_new_kernel(struct sysctl_req *req, void *p, size_t l)
{
	if (req->newptr == USER_ADDR_NULL)
		return 0;
	if (req->newlen < req->newidx || req->newlen - req->newidx < l)
		return EINVAL;
	memcpy(p, (const char *)(uintptr_t)req->newptr + req->newidx, l);
	req->newidx += l;
	return 0;
}

int
kernel_sysctl(struct proc *p, const int *name, unsigned namelen, void *oldp,
    size_t *oldlenp, const void *newp, size_t newlen)
{
	struct sysctl_req req = {
		.p = p,
		.oldptr = (user_addr_t)(uintptr_t)oldp,
		.oldlen = oldlenp != NULL ? *oldlenp : 0,
		.oldfunc = sysctl_old_kernel,
		.newptr = (user_addr_t)(uintptr_t)newp,
		.newlen = newp != NULL ? newlen : 0,
		.newfunc = sysctl_new_kernel,
	};
	int error;

	if (oldlenp == NULL)
		req.oldptr = USER_ADDR_NULL;
	error = sysctl_root(&req, name, namelen, true);
	if ((error == 0 || error == ENOMEM) && oldlenp != NULL)
		*oldlenp = req.oldidx;
	return error;
}

int
kernel_sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	int oid[CTL_MAXNAME];
	unsigned len;
	int error;

	lck_rw_lock_shared(&sysctl_globals.geometry);
	error = sysctl_name2oid_locked(name, oid, &len);
	lck_rw_unlock_shared(&sysctl_globals.geometry);
	if (error != 0)
		return error;
	return kernel_sysctl(current_proc(), oid, len, oldp, oldlenp, newp, newlen);
}

/* The user side of both calls, once the OID is known. */
static int
userland_sysctl(struct proc *p, const int *name, unsigned namelen, user_addr_t oldp,
    user_addr_t oldlenp, user_addr_t newp, size_t newlen)
{
	struct sysctl_req req = {
		.p = p,
		.oldptr = oldp,
		.oldfunc = sysctl_old_user,
		.newptr = newp,
		.newlen = newp != USER_ADDR_NULL ? newlen : 0,
		.newfunc = sysctl_new_user,
	};
	size_t oldlen = 0;
	int error;

	if (oldlenp != USER_ADDR_NULL && copyin(oldlenp, &oldlen, sizeof(oldlen)) != 0)
		return EFAULT;
	req.oldlen = oldlen;
	error = sysctl_root(&req, name, namelen, false);
	if ((error == 0 || error == ENOMEM) && oldlenp != USER_ADDR_NULL) {
		oldlen = req.oldidx;
		if (copyout(&oldlen, oldlenp, sizeof(oldlen)) != 0)
			return EFAULT;
	}
	return error;
}

/*
 * sysctl (XNU 202): name[namelen] -> old, oldlenp; new, newlen.
 * EINVAL for namelen 0 or past CTL_MAXNAME; EFAULT for a bad pointer.
 */
int
sysctl(struct proc *p, struct sysctl_args *uap, int64_t *retval)
{
	uint32_t namelen = (uint32_t)uap->namelen;
	int name[CTL_MAXNAME];

	*retval = 0;
	if (namelen == 0 || namelen > CTL_MAXNAME)
		return EINVAL;
	if (copyin(uap->name, name, namelen * sizeof(int)) != 0)
		return EFAULT;
	return userland_sysctl(p, name, namelen, uap->old, uap->oldlenp, uap->new,
	    (size_t)uap->newlen);
}

/*
 * sysctlbyname (XNU 274): the same, by a dotted name of namelen bytes.
 * EINVAL for namelen 0, ENAMETOOLONG past SYSCTL_NAMEMAX - 1, ENOENT for
 * a name not in the MIB.
 */
int
sysctlbyname(struct proc *p, struct sysctlbyname_args *uap, int64_t *retval)
{
	char name[SYSCTL_NAMEMAX];
	int oid[CTL_MAXNAME];
	size_t namelen = (size_t)uap->namelen;
	unsigned len;
	int error;

	*retval = 0;
	if (namelen == 0)
		return EINVAL;
	if (namelen >= sizeof(name))
		return ENAMETOOLONG;
	if (copyin(uap->name, name, namelen) != 0)
		return EFAULT;
	name[namelen] = '\0';
	lck_rw_lock_shared(&sysctl_globals.geometry);
	error = sysctl_name2oid_locked(name, oid, &len);
	lck_rw_unlock_shared(&sysctl_globals.geometry);
	if (error != 0)
		return error;
	return userland_sysctl(p, oid, len, uap->old, uap->oldlenp, uap->new,
	    (size_t)uap->newlen);
}

/* --- the standard handlers ------------------------------------------------ */

int
sysctl_handle_int SYSCTL_HANDLER_ARGS
{
	int v = arg1 != NULL ? *(int *)arg1 : arg2;
	int error;

	(void)oidp;
	error = SYSCTL_OUT(req, &v, sizeof(v));
	if (error != 0 || req->newptr == USER_ADDR_NULL)
		return error;
	if (arg1 == NULL)
		return EPERM;
	error = SYSCTL_IN(req, &v, sizeof(v));
	if (error == 0)
		*(int *)arg1 = v;
	return error;
}

/* A 64-bit variable at arg1 (long and quad alike on x86-64), out and in. */
static int
handle_int64(void *arg1, struct sysctl_req *req)
{
	int64_t v;
	int error;

	if (arg1 == NULL)
		return EINVAL;
	v = *(int64_t *)arg1;
	error = SYSCTL_OUT(req, &v, sizeof(v));
	if (error != 0 || req->newptr == USER_ADDR_NULL)
		return error;
	error = SYSCTL_IN(req, &v, sizeof(v));
	if (error == 0)
		*(int64_t *)arg1 = v;
	return error;
}

_Static_assert(sizeof(long) == sizeof(int64_t), "sysctl_handle_long is handle_int64");

int
sysctl_handle_long SYSCTL_HANDLER_ARGS
{
	(void)oidp;
	(void)arg2;
	return handle_int64(arg1, req);
}

int
sysctl_handle_quad SYSCTL_HANDLER_ARGS
{
	(void)oidp;
	(void)arg2;
	return handle_int64(arg1, req);
}

/*
 * A string: out with its NUL. A new value (without a NUL) must be shorter
 * than the buffer's arg2 bytes; arg2 0 means the string cannot be set.
 */
int
sysctl_handle_string SYSCTL_HANDLER_ARGS
{
	char *s = arg1;
	size_t len, newlen;
	char *tmp;
	int error;

	(void)oidp;
	if (s == NULL)
		return EINVAL;
	len = arg2 > 0 ? strnlen(s, (size_t)arg2 - 1) : strlen(s);
	error = SYSCTL_OUT(req, s, len + 1);
	if (error != 0 || req->newptr == USER_ADDR_NULL)
		return error;
	if (arg2 <= 0)
		return EPERM;
	newlen = req->newlen - req->newidx;
	if (newlen >= (size_t)arg2)
		return EINVAL;
	tmp = kalloc(newlen + 1);
	if (tmp == NULL)
		return ENOMEM;
	error = SYSCTL_IN(req, tmp, newlen);
	if (error == 0) {
		tmp[newlen] = '\0';
		memcpy(s, tmp, newlen + 1);
	}
	kfree(tmp, newlen + 1);
	return error;
}

/* arg2 bytes at arg1, out; and in, all of them. */
int
sysctl_handle_opaque SYSCTL_HANDLER_ARGS
{
	int error;

	(void)oidp;
	if (arg1 == NULL || arg2 < 0)
		return EINVAL;
	error = SYSCTL_OUT(req, arg1, (size_t)arg2);
	if (error != 0 || req->newptr == USER_ADDR_NULL)
		return error;
	return SYSCTL_IN(req, arg1, (size_t)arg2);
}

/* --- what points into a range (kext unload) -------------------------------- */

static bool
in_range(const void *p, uintptr_t lo, uintptr_t hi)
{
	return (uintptr_t)p >= lo && (uintptr_t)p < hi;
}

/* Depth first; path holds the names above list. Locks: geometry. */
static bool
sysctl_range_walk(struct sysctl_oid_list *list, uintptr_t lo, uintptr_t hi, char *path,
    size_t len, unsigned depth)
{
	struct sysctl_oid *oid;
	size_t plen = strlen(path);

	if (depth >= CTL_MAXNAME)
		return false;
	TAILQ_FOREACH(oid, list, oid_link) {
		bool node = (oid->oid_kind & CTLTYPE) == CTLTYPE_NODE;

		/* The range is still mapped: its names can be read. */
		snprintf(path + plen, len - plen, "%s%s", plen != 0 ? "." : "", oid->oid_name);
		if (in_range(oid, lo, hi) || in_range(oid->oid_name, lo, hi) ||
		    in_range((const void *)(uintptr_t)oid->oid_handler, lo, hi) ||
		    in_range(oid->oid_arg1, lo, hi))
			return true;
		if (node && oid->oid_handler == NULL && oid->oid_arg1 != NULL &&
		    sysctl_range_walk(oid->oid_arg1, lo, hi, path, len, depth + 1))
			return true;
		path[plen] = '\0';
	}
	return false;
}

bool
sysctl_oid_in_range(uintptr_t lo, uintptr_t hi, char *name, size_t len)
{
	char path[SYSCTL_NAMEMAX];
	bool found;

	path[0] = '\0';
	lck_rw_lock_shared(&sysctl_globals.geometry);
	found = sysctl_range_walk(&sysctl__children, lo, hi, path, sizeof path, 0);
	lck_rw_unlock_shared(&sysctl_globals.geometry);
	if (found && name != NULL)
		snprintf(name, len, "sysctl %s", path);
	return found;
}

/* --- sysctl.*: listing and translating ------------------------------------ */

/*
 * sysctl_next_locked: the first visible leaf after the OID after[afterlen]
 * (afterlen 0: the first of all) in list, written into next[depth..];
 * *lenp its length. A node with a handler counts as a leaf. Locks: geometry.
 */
static bool
sysctl_next_locked(struct sysctl_oid_list *list, const int *after, unsigned afterlen,
    int *next, unsigned depth, unsigned *lenp)
{
	struct sysctl_oid *oid;

	if (depth >= CTL_MAXNAME)
		return false;
	TAILQ_FOREACH(oid, list, oid_link) {
		bool same = afterlen > 0 && oid->oid_number == after[0];

		if (oid->oid_kind & CTLFLAG_MASKED)
			continue;
		if (afterlen > 0 && oid->oid_number < after[0])
			continue;
		next[depth] = oid->oid_number;
		if ((oid->oid_kind & CTLTYPE) != CTLTYPE_NODE || oid->oid_handler != NULL) {
			if (same)
				continue;	/* the one we are past, or something inside it */
			*lenp = depth + 1;
			return true;
		}
		if (sysctl_next_locked(oid->oid_arg1, same ? after + 1 : NULL,
		    same ? afterlen - 1 : 0, next, depth + 1, lenp))
			return true;
	}
	return false;
}

static int
sysctl_sysctl_next SYSCTL_HANDLER_ARGS
{
	int next[CTL_MAXNAME];
	unsigned len;
	bool found;

	(void)oidp;
	lck_rw_lock_shared(&sysctl_globals.geometry);
	found = sysctl_next_locked(&sysctl__children, arg1, (unsigned)arg2, next, 0, &len);
	lck_rw_unlock_shared(&sysctl_globals.geometry);
	if (!found)
		return ENOENT;
	return SYSCTL_OUT(req, next, len * sizeof(int));
}

static int
sysctl_sysctl_name SYSCTL_HANDLER_ARGS
{
	const int *name = arg1;
	unsigned namelen = (unsigned)arg2;
	struct sysctl_oid_list *list = &sysctl__children;
	char buf[SYSCTL_NAMEMAX];
	size_t used = 0;
	int n;

	(void)oidp;
	if (namelen == 0)
		return ENOENT;
	lck_rw_lock_shared(&sysctl_globals.geometry);
	for (unsigned i = 0; i < namelen; i++) {
		const char *sep = i > 0 ? "." : "";
		struct sysctl_oid *oid = NULL;

		if (list != NULL && (oid = sysctl_list_find_number(list, name[i])) == NULL) {
			lck_rw_unlock_shared(&sysctl_globals.geometry);
			return ENOENT;
		}
		if (oid != NULL) {
			n = snprintf(buf + used, sizeof(buf) - used, "%s%s", sep, oid->oid_name);
			list = (oid->oid_kind & CTLTYPE) == CTLTYPE_NODE && oid->oid_handler == NULL ?
			    oid->oid_arg1 : NULL;
		} else {
			n = snprintf(buf + used, sizeof(buf) - used, "%s%d", sep, name[i]);
		}
		if (n < 0 || (size_t)n >= sizeof(buf) - used) {
			lck_rw_unlock_shared(&sysctl_globals.geometry);
			return ENAMETOOLONG;
		}
		used += (size_t)n;
	}
	lck_rw_unlock_shared(&sysctl_globals.geometry);
	return SYSCTL_OUT(req, buf, used + 1);
}

static int
sysctl_sysctl_name2oid SYSCTL_HANDLER_ARGS
{
	char name[SYSCTL_NAMEMAX];
	int oid[CTL_MAXNAME];
	size_t len;
	unsigned oidlen;
	int error;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	if (req->newptr == USER_ADDR_NULL)
		return EINVAL;
	len = req->newlen - req->newidx;
	if (len == 0)
		return ENOENT;
	if (len >= sizeof(name))
		return ENAMETOOLONG;
	error = SYSCTL_IN(req, name, len);
	if (error != 0)
		return error;
	name[len] = '\0';
	lck_rw_lock_shared(&sysctl_globals.geometry);
	error = sysctl_name2oid_locked(name, oid, &oidlen);
	lck_rw_unlock_shared(&sysctl_globals.geometry);
	if (error != 0)
		return error;
	return SYSCTL_OUT(req, oid, oidlen * sizeof(int));
}

/* oidfmt: the kind (u_int) and the format string, in one piece. */
static int
sysctl_sysctl_oidfmt SYSCTL_HANDLER_ARGS
{
	struct {
		uint32_t	kind;
		char		fmt[64];
	} out;
	struct sysctl_oid *oid;
	size_t len;

	(void)oidp;
	lck_rw_lock_shared(&sysctl_globals.geometry);
	oid = sysctl_lookup_exact_locked(arg1, (unsigned)arg2);
	if (oid == NULL || arg2 == 0) {
		lck_rw_unlock_shared(&sysctl_globals.geometry);
		return ENOENT;
	}
	out.kind = (uint32_t)oid->oid_kind & ~(uint32_t)CTLFLAG_AUTONUM;
	len = strlcpy(out.fmt, oid->oid_fmt != NULL ? oid->oid_fmt : "", sizeof(out.fmt));
	lck_rw_unlock_shared(&sysctl_globals.geometry);
	len = MIN(len, sizeof(out.fmt) - 1);
	return SYSCTL_OUT(req, &out, sizeof(out.kind) + len + 1);
}

static int
sysctl_sysctl_oiddescr SYSCTL_HANDLER_ARGS
{
	char descr[128];
	struct sysctl_oid *oid;
	size_t len;

	(void)oidp;
	lck_rw_lock_shared(&sysctl_globals.geometry);
	oid = sysctl_lookup_exact_locked(arg1, (unsigned)arg2);
	if (oid == NULL || arg2 == 0) {
		lck_rw_unlock_shared(&sysctl_globals.geometry);
		return ENOENT;
	}
	len = strlcpy(descr, oid->oid_descr != NULL ? oid->oid_descr : "", sizeof(descr));
	lck_rw_unlock_shared(&sysctl_globals.geometry);
	len = MIN(len, sizeof(descr) - 1);
	return SYSCTL_OUT(req, descr, len + 1);
}

SYSCTL_NODE(_sysctl, SYSCTL_OID_NAME, name, CTLFLAG_RD | CTLFLAG_MASKED | CTLFLAG_LOCKED,
    sysctl_sysctl_name, "the dotted name of an OID");
SYSCTL_NODE(_sysctl, SYSCTL_OID_NEXT, next, CTLFLAG_RD | CTLFLAG_MASKED | CTLFLAG_LOCKED,
    sysctl_sysctl_next, "the OID of the next leaf");
SYSCTL_PROC(_sysctl, SYSCTL_OID_NAME2OID, name2oid,
    CTLTYPE_INT | CTLFLAG_RW | CTLFLAG_ANYBODY | CTLFLAG_MASKED | CTLFLAG_LOCKED,
    NULL, 0, sysctl_sysctl_name2oid, "I", "the OID of a dotted name");
SYSCTL_NODE(_sysctl, SYSCTL_OID_FMT, oidfmt, CTLFLAG_RD | CTLFLAG_MASKED | CTLFLAG_LOCKED,
    sysctl_sysctl_oidfmt, "an OID's kind and format");
SYSCTL_NODE(_sysctl, SYSCTL_OID_DESCR, oiddescr, CTLFLAG_RD | CTLFLAG_MASKED | CTLFLAG_LOCKED,
    sysctl_sysctl_oiddescr, "an OID's description");

/* kern.securelevel: root may raise it, nobody may lower it. */
static int
sysctl_kern_securelevel SYSCTL_HANDLER_ARGS
{
	int v = sysctl_securelevel();
	int error;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	error = SYSCTL_OUT(req, &v, sizeof(v));
	if (error != 0 || req->newptr == USER_ADDR_NULL)
		return error;
	error = SYSCTL_IN(req, &v, sizeof(v));
	if (error != 0)
		return error;
	if (v < sysctl_securelevel())
		return EPERM;
	__atomic_store_n(&sysctl_globals.securelevel, v, __ATOMIC_RELAXED);
	return 0;
}

SYSCTL_PROC(_kern, KERN_SECURELVL, securelevel, CTLTYPE_INT | CTLFLAG_RW | CTLFLAG_LOCKED,
    NULL, 0, sysctl_kern_securelevel, "I", "the security level (only ever raised)");

/* For the in-kernel tests: set the level outright (to put it back). */
void	sysctl_securelevel_set_for_test(int level);

void
sysctl_securelevel_set_for_test(int level)
{
	__atomic_store_n(&sysctl_globals.securelevel, level, __ATOMIC_RELAXED);
}
