/*
 * sysctl.h - the kernel's MIB: named and numbered variables user space
 * reads and sets with sysctl(3) (the Kernel Programming Guide's "BSD
 * sysctl API", XNU's names).
 *
 * The MIB is a tree. An OID is a path through it, one integer per level
 * (kern.ostype is {CTL_KERN, KERN_OSTYPE} = {1, 1}); every node also has a
 * name, so a path can be written "kern.ostype". A node (CTLTYPE_NODE) has
 * children; a leaf holds a value (an int, a long, a 64-bit quad, a string
 * or an opaque structure) that a handler copies out to the caller and,
 * for a writable node, in from it. A node with a handler (kern.proc.pid)
 * takes the rest of the OID as its argument: {1, 14, 1, 42} is process 42.
 *
 * Declaring a variable, beside it:
 *
 *	static int maxfoo = 8;
 *	SYSCTL_INT(_kern, OID_AUTO, maxfoo, CTLFLAG_RW | CTLFLAG_LOCKED,
 *	    &maxfoo, 0, "the most foos");
 *
 * That defines struct sysctl_oid sysctl__kern_maxfoo and puts its address
 * in the __sysctl_set section: every OID declared in the kernel itself is
 * registered at boot (sysctl_init). A kext registers its own in its start
 * routine, sysctl_register_oid(&sysctl__kern_maxfoo), and must unregister
 * them in its stop routine; sysctl_unregister_oid waits for calls still
 * in the handler. OID_AUTO numbers are handed out from OID_AUTO_START up.
 *
 * A new node needs its children list:
 *
 *	SYSCTL_NODE(_kern, OID_AUTO, foo, CTLFLAG_RW, NULL, "foo's knobs");
 *	SYSCTL_INT(_kern_foo, OID_AUTO, level, ...);
 *
 * and another file names it with SYSCTL_DECL(_kern_foo).
 *
 * A handler (SYSCTL_PROC) has the shape
 *
 *	static int
 *	sysctl_foo SYSCTL_HANDLER_ARGS
 *	{
 *		int error, v = foo_get();
 *
 *		error = sysctl_handle_int(oidp, &v, 0, req);
 *		if (error != 0 || req->newptr == USER_ADDR_NULL)
 *			return error;		(a read, or a failed write)
 *		return foo_set(v);
 *	}
 *
 * SYSCTL_OUT copies a value out (or just counts it, for a size query);
 * SYSCTL_IN copies the new value in. Both may fault and block.
 *
 * Access: a write needs CTLFLAG_WR and root (or CTLFLAG_ANYBODY); a
 * CTLFLAG_SECURE node refuses writes once kern.securelevel is above 0.
 * CTLFLAG_MASKED nodes work but are left out of listings. A handler
 * without CTLFLAG_LOCKED runs under one global mutex (XNU's unlocked-node
 * lock); CTLFLAG_LOCKED says it does its own locking.
 *
 * Locks: the geometry lock (a lck_rw_t) covers the tree's shape: shared
 * to look up, exclusive to register or unregister. It is never held while
 * a handler runs: a lookup takes a reference on the OID (oid_refcnt) and
 * lets the lock go. Order: the unlocked-node mutex, then whatever a
 * handler takes (proc_list_lock, ...); handlers run with no sysctl lock
 * held but that mutex, and may copy in and out.
 */

#ifndef BSD_SYS_SYSCTL_H
#define BSD_SYS_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bsd/sys/sysctl_abi.h"
#include "bsd/sys/time.h"
#include "bsd/sys/types.h"
#include "libkern/queue.h"
#include "mach/vm_types.h"

#define SYSCTL_NAMEMAX	256	/* the longest dotted name sysctlbyname takes, with NUL */

/* Kernel-only flags, beside the shared ones (sysctl_abi.h). */
#define CTLFLAG_NOAUTO	0x02000000	/* (kernel) numbered by hand */
#define CTLFLAG_KERN	0x01000000	/* (kernel) for kernel callers only */
#define CTLFLAG_AUTONUM	0x00100000	/* (kernel) number given by OID_AUTO */

#define OID_AUTO	(-1)
#define OID_AUTO_START	100	/* the first number OID_AUTO hands out */

/* CTL_UNSPEC: the undocumented interface tools use to list and translate. */
#define SYSCTL_OID_NAME		1	/* {0,1,oid...}: the dotted name */
#define SYSCTL_OID_NEXT		2	/* {0,2,oid...}: the next leaf's OID */
#define SYSCTL_OID_NAME2OID	3	/* {0,3}, new = a name: its OID */
#define SYSCTL_OID_FMT		4	/* {0,4,oid...}: u_int kind, then the format string */
#define SYSCTL_OID_DESCR	5	/* {0,5,oid...}: the description */

struct sysctl_req;
struct sysctl_oid;

#define SYSCTL_HANDLER_ARGS \
	(struct sysctl_oid *oidp, void *arg1, int arg2, struct sysctl_req *req)

typedef int sysctl_handler_t SYSCTL_HANDLER_ARGS;

TAILQ_HEAD(sysctl_oid_list, sysctl_oid);

/*
 * One node of the MIB. Keys: [G] the geometry lock; [I] fixed by whoever
 * declared it; [a] atomic.
 */
struct sysctl_oid {
	struct sysctl_oid_list	*oid_parent;	/* [I] the list it goes on */
	TAILQ_ENTRY(sysctl_oid)	oid_link;	/* [G] sorted by number */
	int			oid_number;	/* [G] OID_AUTO until registered */
	int			oid_kind;	/* [I] CTLTYPE_* | CTLFLAG_* (AUTONUM: [G]) */
	void			*oid_arg1;	/* [I] a node: its children list */
	int			oid_arg2;	/* [I] */
	const char		*oid_name;	/* [I] */
	sysctl_handler_t	*oid_handler;	/* [I] */
	const char		*oid_fmt;	/* [I] "I", "IU", "L", "Q", "A", "S,name", "N" */
	const char		*oid_descr;	/* [I] */
	uint32_t		oid_refcnt;	/* [a] calls in its handler */
	int			oid_registered;	/* [G] on its parent's list */
};

/*
 * One request. oldptr/newptr are user addresses (or, for a kernel caller,
 * kernel addresses cast to user_addr_t; oldfunc and newfunc know which).
 * oldidx counts what the handler gave out, even past oldlen: that is the
 * length the caller needs.
 */
struct sysctl_req {
	struct proc	*p;
	user_addr_t	oldptr;		/* where the value goes; 0: a size query */
	size_t		oldlen;		/* room there */
	size_t		oldidx;		/* bytes given out so far */
	int		(*oldfunc)(struct sysctl_req *req, const void *buf, size_t len);
	user_addr_t	newptr;		/* the new value; 0: a read */
	size_t		newlen;
	size_t		newidx;		/* bytes taken in so far */
	int		(*newfunc)(struct sysctl_req *req, void *buf, size_t len);
};

#define SYSCTL_OUT(r, p, l)	((r)->oldfunc)((r), (p), (l))
#define SYSCTL_IN(r, p, l)	((r)->newfunc)((r), (p), (l))

/* The standard handlers (arg1: the variable; arg2: as each says). */
int	sysctl_handle_int SYSCTL_HANDLER_ARGS;		/* arg1 NULL: arg2 is the value */
int	sysctl_handle_long SYSCTL_HANDLER_ARGS;
int	sysctl_handle_quad SYSCTL_HANDLER_ARGS;
int	sysctl_handle_string SYSCTL_HANDLER_ARGS;	/* arg2: the buffer's size (0: read only) */
int	sysctl_handle_opaque SYSCTL_HANDLER_ARGS;	/* arg2: the size */

/* Declaring OIDs. The children list of node _a_b is sysctl__a_b_children. */
#define SYSCTL_DECL(name)	extern struct sysctl_oid_list sysctl_##name##_children

#define SYSCTL_LINKER_SET(sym) \
	static struct sysctl_oid *const __sysctl_set_##sym \
	    __attribute__((__section__("__sysctl_set"), __used__)) = &sym

#define SYSCTL_OID(parent, nbr, name, kind, a1, a2, handler, fmt, descr) \
	struct sysctl_oid sysctl_##parent##_##name = { \
		.oid_parent = &sysctl_##parent##_children, \
		.oid_number = (nbr), .oid_kind = (int)(kind), \
		.oid_arg1 = (void *)(a1), .oid_arg2 = (a2), .oid_name = #name, \
		.oid_handler = (handler), .oid_fmt = (fmt), .oid_descr = (descr), \
	}; \
	SYSCTL_LINKER_SET(sysctl_##parent##_##name)

#define SYSCTL_NODE(parent, nbr, name, access, handler, descr) \
	struct sysctl_oid_list sysctl_##parent##_##name##_children = \
	    TAILQ_HEAD_INITIALIZER(sysctl_##parent##_##name##_children); \
	SYSCTL_OID(parent, nbr, name, CTLTYPE_NODE | (access), \
	    &sysctl_##parent##_##name##_children, 0, handler, "N", descr)

#define SYSCTL_INT(parent, nbr, name, access, ptr, val, descr) \
	SYSCTL_OID(parent, nbr, name, CTLTYPE_INT | (access), ptr, val, \
	    sysctl_handle_int, "I", descr)
#define SYSCTL_UINT(parent, nbr, name, access, ptr, val, descr) \
	SYSCTL_OID(parent, nbr, name, CTLTYPE_INT | (access), ptr, val, \
	    sysctl_handle_int, "IU", descr)
#define SYSCTL_LONG(parent, nbr, name, access, ptr, descr) \
	SYSCTL_OID(parent, nbr, name, CTLTYPE_QUAD | (access), ptr, 0, \
	    sysctl_handle_long, "L", descr)
#define SYSCTL_QUAD(parent, nbr, name, access, ptr, descr) \
	SYSCTL_OID(parent, nbr, name, CTLTYPE_QUAD | (access), ptr, 0, \
	    sysctl_handle_quad, "Q", descr)
#define SYSCTL_STRING(parent, nbr, name, access, arg, len, descr) \
	SYSCTL_OID(parent, nbr, name, CTLTYPE_STRING | (access), arg, len, \
	    sysctl_handle_string, "A", descr)
#define SYSCTL_OPAQUE(parent, nbr, name, access, ptr, len, fmt, descr) \
	SYSCTL_OID(parent, nbr, name, CTLTYPE_OPAQUE | (access), ptr, len, \
	    sysctl_handle_opaque, fmt, descr)
#define SYSCTL_STRUCT(parent, nbr, name, access, ptr, type, descr) \
	SYSCTL_OID(parent, nbr, name, CTLTYPE_OPAQUE | (access), ptr, \
	    (int)sizeof(struct type), sysctl_handle_opaque, "S," #type, descr)
#define SYSCTL_PROC(parent, nbr, name, access, ptr, arg, handler, fmt, descr) \
	SYSCTL_OID(parent, nbr, name, (access), ptr, arg, handler, fmt, descr)

/* The top-level children lists and the nodes other files add to. */
SYSCTL_DECL();
SYSCTL_DECL(_sysctl);
SYSCTL_DECL(_kern);
SYSCTL_DECL(_kern_proc);
SYSCTL_DECL(_vm);
SYSCTL_DECL(_vfs);
SYSCTL_DECL(_net);
SYSCTL_DECL(_debug);
SYSCTL_DECL(_hw);
SYSCTL_DECL(_machdep);
SYSCTL_DECL(_user);

/*
 * sysctl_init: register every OID in the kernel's __sysctl_set. Once, from
 * bsd_init, before any user program runs.
 */
void	sysctl_init(void);

/*
 * sysctl_register_oid: put oidp on its parent's list; an OID_AUTO number
 * becomes the next free one from OID_AUTO_START. The parent list must
 * exist (be declared, and for a node of a kext, registered first).
 * Returns 0; EEXIST if the parent already has that number or that name
 * (nothing is changed); EINVAL for a NULL OID or name.
 */
int	sysctl_register_oid(struct sysctl_oid *oidp);

/*
 * sysctl_unregister_oid: take oidp off its list, then wait until no call
 * is still in its handler; afterwards its memory may go. An OID_AUTO
 * number goes back to OID_AUTO. Unregistering an OID that is not
 * registered does nothing.
 * Locks: none held; may block.
 */
void	sysctl_unregister_oid(struct sysctl_oid *oidp);

/*
 * sysctl_oid_in_range: is a registered OID made of memory in [lo, hi)
 * (the OID itself, its handler, its arg1, its name)? The kext manager asks
 * before it frees a kext's pages. On true, name holds the first such OID's
 * dotted name. Locks: takes the geometry lock shared.
 */
bool	sysctl_oid_in_range(uintptr_t lo, uintptr_t hi, char *name, size_t len);

/*
 * Calls from inside the kernel, on kernel buffers (oldp/newp may be
 * NULL), as root: kernel_sysctl by OID, kernel_sysctlbyname by name.
 * *oldlenp is set as for the system call. Return an errno.
 */
int	kernel_sysctl(struct proc *p, const int *name, unsigned namelen, void *oldp,
	    size_t *oldlenp, const void *newp, size_t newlen);
int	kernel_sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
	    const void *newp, size_t newlen);

/* kern.securelevel: -1 (permanently insecure), 0, or above (secure). */
int	sysctl_securelevel(void);

#endif /* BSD_SYS_SYSCTL_H */
