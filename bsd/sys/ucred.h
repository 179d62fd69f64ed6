/*
 * ucred.h - credentials: who a process acts as (XNU's kauth_cred_t).
 *
 * A credential is immutable once shared: to change a process's identity
 * (setuid and kin), make a modified copy (kauth_cred_setresuid, ...) and
 * swap it into the process (proc_ucred_swap); whoever still holds the old
 * one keeps a consistent view. References are counted; the last unref
 * frees it.
 *
 *	kauth_cred_t cred = kauth_cred_proc_ref(p);
 *	if (!kauth_cred_issuser(cred)) error = EPERM;
 *	kauth_cred_unref(&cred);
 *
 * kauth_cred_get() is the current thread's process's credential, valid
 * for as long as the caller runs in that process's system call (no
 * reference taken); kernel threads get the kernel's (root).
 *
 * Locks: cr_ref is atomic; the rest never changes after creation.
 */

#ifndef BSD_SYS_UCRED_H
#define BSD_SYS_UCRED_H

#include <stdbool.h>
#include <stdint.h>

#include "bsd/sys/types.h"

#define NGROUPS		16	/* supplementary groups kept (Linux allows more) */

struct ucred {
	uint32_t	cr_ref;			/* [a] */
	uid_t		cr_uid;			/* effective */
	uid_t		cr_ruid;		/* real */
	uid_t		cr_svuid;		/* saved set-user-id */
	gid_t		cr_gid;			/* effective */
	gid_t		cr_rgid;
	gid_t		cr_svgid;
	int		cr_ngroups;		/* supplementary groups in cr_groups */
	gid_t		cr_groups[NGROUPS];
};

typedef struct ucred *kauth_cred_t;
#define NOCRED	((kauth_cred_t)0)

struct proc;

/* kauth_cred_init: the kernel's credential (root); once, at BSD start-up. */
void		kauth_cred_init(void);

/* The credential of the running thread's process (no reference). */
kauth_cred_t	kauth_cred_get(void);
/* p's credential, with a reference for the caller. */
kauth_cred_t	kauth_cred_proc_ref(struct proc *p);
/* The kernel's own credential (root, all groups it needs); no reference. */
kauth_cred_t	kauth_cred_kernel(void);

void		kauth_cred_ref(kauth_cred_t cred);
/* kauth_cred_unref: drop a reference and set *credp to NOCRED. */
void		kauth_cred_unref(kauth_cred_t *credp);

/*
 * Modified copies, with one reference for the caller; NOCRED if memory
 * ran out. An id of -1 ((uid_t)-1) leaves that id as it is.
 */
kauth_cred_t	kauth_cred_setresuid(kauth_cred_t cred, uid_t ruid, uid_t euid, uid_t svuid);
kauth_cred_t	kauth_cred_setresgid(kauth_cred_t cred, gid_t rgid, gid_t egid, gid_t svgid);
kauth_cred_t	kauth_cred_setgroups(kauth_cred_t cred, const gid_t *groups, int ngroups);

uid_t		kauth_cred_getuid(kauth_cred_t cred);
uid_t		kauth_cred_getruid(kauth_cred_t cred);
gid_t		kauth_cred_getgid(kauth_cred_t cred);
gid_t		kauth_cred_getrgid(kauth_cred_t cred);
/* kauth_cred_issuser: the effective uid is 0. */
bool		kauth_cred_issuser(kauth_cred_t cred);
/* kauth_cred_ismember_gid: gid is the effective group or a supplementary one. */
bool		kauth_cred_ismember_gid(kauth_cred_t cred, gid_t gid);

#endif /* BSD_SYS_UCRED_H */
