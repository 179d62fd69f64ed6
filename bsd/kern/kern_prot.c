/*
 * kern_prot.c - who a process is: its ids (pid, parent, process group,
 * session) and its credentials (user and group ids, supplementary
 * groups), with Linux's rules for changing them.
 *
 * A credential is never changed in place (bsd/sys/ucred.h): every set*id
 * call builds a modified copy and swaps it into the process
 * (proc_ucred_swap); the calling thread's context then takes the new one.
 * "Privileged" is an effective uid of 0 (Linux's CAP_SETUID, CAP_SETGID).
 *
 * Locks: proc_list_lock for the process-group and session relations;
 * credential swaps under the process's credential lock (inside
 * proc_ucred_swap). Two calls changing one process's credential at once
 * are serialised by proc_lock, so neither's change is lost.
 */

#include "bsd/sys/sysproto.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/ucred.h"
#include "bsd/sys/user.h"
#include "kernel/copyio.h"
#include "mach/kern/thread.h"

#define ID_KEEP		((uint32_t)-1)	/* an id of -1: leave it as it is */

int
getpid(struct proc *p, struct getpid_args *uap, int64_t *retval)
{
	(void)uap;
	*retval = p->p_pid;
	return 0;
}

int
getppid(struct proc *p, struct getppid_args *uap, int64_t *retval)
{
	(void)uap;
	proc_list_lock();
	*retval = p->p_pptr != PROC_NULL ? p->p_pptr->p_pid : 0;
	proc_list_unlock();
	return 0;
}

/* The process pid names for getpgid and getsid: 0 is the caller. Locks: [L]. */
static proc_t
pid_target_locked(proc_t p, pid_t pid)
{
	return pid == 0 ? p : pfind_locked(pid);
}

int
getpgid(struct proc *p, struct getpgid_args *uap, int64_t *retval)
{
	proc_t q;
	int error = 0;

	proc_list_lock();
	q = pid_target_locked(p, (pid_t)uap->pid);
	if (q == PROC_NULL || (pid_t)uap->pid < 0)
		error = ESRCH;
	else
		*retval = q->p_pgrp->pg_id;
	proc_list_unlock();
	return error;
}

int
getpgrp(struct proc *p, struct getpgrp_args *uap, int64_t *retval)
{
	(void)uap;
	proc_list_lock();
	*retval = p->p_pgrp->pg_id;
	proc_list_unlock();
	return 0;
}

int
getsid(struct proc *p, struct getsid_args *uap, int64_t *retval)
{
	proc_t q;
	int error = 0;

	proc_list_lock();
	q = pid_target_locked(p, (pid_t)uap->pid);
	if (q == PROC_NULL || (pid_t)uap->pid < 0)
		error = ESRCH;
	else
		*retval = q->p_pgrp->pg_session->s_sid;
	proc_list_unlock();
	return error;
}

/*
 * setsid: a new session and process group, both with the caller's pid,
 * led by the caller, with no controlling terminal. EPERM if the caller
 * already leads a process group (or its pid names one).
 */
int
setsid(struct proc *p, struct setsid_args *uap, int64_t *retval)
{
	int error;

	(void)uap;
	proc_list_lock();
	if (p->p_pgrp->pg_id == p->p_pid || pgfind_locked(p->p_pid) != NULL) {
		proc_list_unlock();
		return EPERM;
	}
	error = enterpgrp_locked(p, p->p_pid, 1);
	proc_list_unlock();
	if (error == 0)
		*retval = p->p_pid;
	return error;
}

/*
 * setpgid: put pid (0: the caller), the caller or one of its children,
 * into group pgid (0: pid's own), in the caller's session. ESRCH: not the
 * caller or a child; EACCES: a child that has called execve; EPERM: a
 * session leader, another session, or a group of another session; EINVAL:
 * a negative pgid.
 */
int
setpgid(struct proc *p, struct setpgid_args *uap, int64_t *retval)
{
	pid_t pid = (pid_t)uap->pid, pgid = (pid_t)uap->pgid;
	struct pgrp *pg;
	proc_t q;
	int error = 0;

	if (pgid < 0)
		return EINVAL;
	proc_list_lock();
	q = pid == 0 || pid == p->p_pid ? p : pfind_locked(pid);
	if (q == PROC_NULL || pid < 0 || (q != p && q->p_pptr != p)) {
		error = ESRCH;
		goto out;
	}
	if (pgid == 0)
		pgid = q->p_pid;
	if (q != p && (proc_lflag(q) & P_LEXEC)) {
		error = EACCES;
		goto out;
	}
	if (q->p_pgrp->pg_session->s_leader == q ||
	    q->p_pgrp->pg_session != p->p_pgrp->pg_session) {
		error = EPERM;
		goto out;
	}
	pg = pgfind_locked(pgid);
	if (pgid != q->p_pid && (pg == NULL || pg->pg_session != p->p_pgrp->pg_session)) {
		error = EPERM;
		goto out;
	}
	if (pg != NULL && pg->pg_session != p->p_pgrp->pg_session) {
		error = EPERM;
		goto out;
	}
	error = enterpgrp_locked(q, pgid, 0);
out:
	proc_list_unlock();
	*retval = 0;
	return error;
}

/* --- credentials --------------------------------------------------------------- */

int
getuid(struct proc *p, struct getuid_args *uap, int64_t *retval)
{
	(void)p;
	(void)uap;
	*retval = kauth_cred_get()->cr_ruid;
	return 0;
}

int
geteuid(struct proc *p, struct geteuid_args *uap, int64_t *retval)
{
	(void)p;
	(void)uap;
	*retval = kauth_cred_get()->cr_uid;
	return 0;
}

int
getgid(struct proc *p, struct getgid_args *uap, int64_t *retval)
{
	(void)p;
	(void)uap;
	*retval = kauth_cred_get()->cr_rgid;
	return 0;
}

int
getegid(struct proc *p, struct getegid_args *uap, int64_t *retval)
{
	(void)p;
	(void)uap;
	*retval = kauth_cred_get()->cr_gid;
	return 0;
}

/* Install newcred in p and in the calling thread. */
static void
cred_install(proc_t p, kauth_cred_t newcred)
{
	struct uthread *ut = get_bsdthread_info(current_thread());

	proc_ucred_swap(p, newcred);
	if (ut != NULL)
		uthread_cred_update(ut, p);
}

/* id is -1 or one of the three the unprivileged may choose among. */
static bool
id_allowed(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == ID_KEEP || id == a || id == b || id == c;
}

/*
 * The one place user ids change: the new real, effective and saved ids
 * (ID_KEEP: unchanged), checked against cred by the caller. ENOMEM.
 */
static int
set_uids(proc_t p, kauth_cred_t cred, uint32_t r, uint32_t e, uint32_t s)
{
	kauth_cred_t n = kauth_cred_setresuid(cred, r, e, s);

	if (n == NOCRED)
		return ENOMEM;
	cred_install(p, n);
	return 0;
}

static int
set_gids(proc_t p, kauth_cred_t cred, uint32_t r, uint32_t e, uint32_t s)
{
	kauth_cred_t n = kauth_cred_setresgid(cred, r, e, s);

	if (n == NOCRED)
		return ENOMEM;
	cred_install(p, n);
	return 0;
}

/*
 * setuid: privileged, all three ids become uid; otherwise only the
 * effective one may, to the real or the saved id. EPERM; EINVAL for -1.
 */
int
setuid(struct proc *p, struct setuid_args *uap, int64_t *retval)
{
	uint32_t uid = (uint32_t)uap->uid;
	kauth_cred_t cred;
	int error;

	*retval = 0;
	if (uid == ID_KEEP)
		return EINVAL;
	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	if (kauth_cred_issuser(cred))
		error = set_uids(p, cred, uid, uid, uid);
	else if (uid == cred->cr_ruid || uid == cred->cr_svuid)
		error = set_uids(p, cred, ID_KEEP, uid, ID_KEEP);
	else
		error = EPERM;
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

int
setgid(struct proc *p, struct setgid_args *uap, int64_t *retval)
{
	uint32_t gid = (uint32_t)uap->gid;
	kauth_cred_t cred;
	int error;

	*retval = 0;
	if (gid == ID_KEEP)
		return EINVAL;
	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	if (kauth_cred_issuser(cred))
		error = set_gids(p, cred, gid, gid, gid);
	else if (gid == cred->cr_rgid || gid == cred->cr_svgid)
		error = set_gids(p, cred, ID_KEEP, gid, ID_KEEP);
	else
		error = EPERM;
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

/*
 * setreuid: unprivileged, the real id may become the real or effective
 * one, the effective id the real, effective or saved one. The saved id
 * follows the new effective id when the real id is set, or the effective
 * id set to something other than the old real id.
 */
int
setreuid(struct proc *p, struct setreuid_args *uap, int64_t *retval)
{
	uint32_t r = (uint32_t)uap->ruid, e = (uint32_t)uap->euid, s = ID_KEEP;
	kauth_cred_t cred;
	int error;

	*retval = 0;
	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	if (!kauth_cred_issuser(cred) &&
	    (!id_allowed(r, cred->cr_ruid, cred->cr_uid, cred->cr_ruid) ||
	    !id_allowed(e, cred->cr_ruid, cred->cr_uid, cred->cr_svuid))) {
		error = EPERM;
	} else {
		if (r != ID_KEEP || (e != ID_KEEP && e != cred->cr_ruid))
			s = e != ID_KEEP ? e : cred->cr_uid;
		error = set_uids(p, cred, r, e, s);
	}
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

int
setregid(struct proc *p, struct setregid_args *uap, int64_t *retval)
{
	uint32_t r = (uint32_t)uap->rgid, e = (uint32_t)uap->egid, s = ID_KEEP;
	kauth_cred_t cred;
	int error;

	*retval = 0;
	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	if (!kauth_cred_issuser(cred) &&
	    (!id_allowed(r, cred->cr_rgid, cred->cr_gid, cred->cr_rgid) ||
	    !id_allowed(e, cred->cr_rgid, cred->cr_gid, cred->cr_svgid))) {
		error = EPERM;
	} else {
		if (r != ID_KEEP || (e != ID_KEEP && e != cred->cr_rgid))
			s = e != ID_KEEP ? e : cred->cr_gid;
		error = set_gids(p, cred, r, e, s);
	}
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

/* setresuid: unprivileged, each id may become any of the three current ones. */
int
setresuid(struct proc *p, struct setresuid_args *uap, int64_t *retval)
{
	uint32_t r = (uint32_t)uap->ruid, e = (uint32_t)uap->euid, s = (uint32_t)uap->suid;
	kauth_cred_t cred;
	int error;

	*retval = 0;
	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	if (!kauth_cred_issuser(cred) &&
	    (!id_allowed(r, cred->cr_ruid, cred->cr_uid, cred->cr_svuid) ||
	    !id_allowed(e, cred->cr_ruid, cred->cr_uid, cred->cr_svuid) ||
	    !id_allowed(s, cred->cr_ruid, cred->cr_uid, cred->cr_svuid)))
		error = EPERM;
	else
		error = set_uids(p, cred, r, e, s);
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

int
setresgid(struct proc *p, struct setresgid_args *uap, int64_t *retval)
{
	uint32_t r = (uint32_t)uap->rgid, e = (uint32_t)uap->egid, s = (uint32_t)uap->sgid;
	kauth_cred_t cred;
	int error;

	*retval = 0;
	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	if (!kauth_cred_issuser(cred) &&
	    (!id_allowed(r, cred->cr_rgid, cred->cr_gid, cred->cr_svgid) ||
	    !id_allowed(e, cred->cr_rgid, cred->cr_gid, cred->cr_svgid) ||
	    !id_allowed(s, cred->cr_rgid, cred->cr_gid, cred->cr_svgid)))
		error = EPERM;
	else
		error = set_gids(p, cred, r, e, s);
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

/* Three ids out to user space (uid_t and gid_t are 32 bits). EFAULT. */
static int
copyout_ids(uint32_t a, uint32_t b, uint32_t c, user_addr_t ua, user_addr_t ub,
    user_addr_t uc)
{
	int error = copyout(&a, ua, sizeof(a));

	if (error == 0)
		error = copyout(&b, ub, sizeof(b));
	if (error == 0)
		error = copyout(&c, uc, sizeof(c));
	return error;
}

int
getresuid(struct proc *p, struct getresuid_args *uap, int64_t *retval)
{
	kauth_cred_t cred = kauth_cred_proc_ref(p);
	int error = copyout_ids(cred->cr_ruid, cred->cr_uid, cred->cr_svuid, uap->ruid,
	    uap->euid, uap->suid);

	kauth_cred_unref(&cred);
	*retval = 0;
	return error;
}

int
getresgid(struct proc *p, struct getresgid_args *uap, int64_t *retval)
{
	kauth_cred_t cred = kauth_cred_proc_ref(p);
	int error = copyout_ids(cred->cr_rgid, cred->cr_gid, cred->cr_svgid, uap->rgid,
	    uap->egid, uap->sgid);

	kauth_cred_unref(&cred);
	*retval = 0;
	return error;
}

/*
 * getgroups: the supplementary groups; gidsetsize 0 asks only how many.
 * EINVAL if gidsetsize is negative or too small; EFAULT.
 */
int
getgroups(struct proc *p, struct getgroups_args *uap, int64_t *retval)
{
	int size = (int)uap->gidsetsize, error = 0;
	kauth_cred_t cred;

	if (size < 0)
		return EINVAL;
	cred = kauth_cred_proc_ref(p);
	if (size != 0 && size < cred->cr_ngroups)
		error = EINVAL;
	else if (size != 0)
		error = copyout(cred->cr_groups, uap->grouplist,
		    (vm_size_t)cred->cr_ngroups * sizeof(gid_t));
	if (error == 0)
		*retval = cred->cr_ngroups;
	kauth_cred_unref(&cred);
	return error;
}

/*
 * setgroups: replace the supplementary groups (privileged only). At most
 * NGROUPS (16) are kept: more is EINVAL, as is a negative count. EPERM,
 * EFAULT, ENOMEM.
 */
int
setgroups(struct proc *p, struct setgroups_args *uap, int64_t *retval)
{
	int size = (int)uap->gidsetsize, error;
	gid_t groups[NGROUPS];
	kauth_cred_t cred, n;

	*retval = 0;
	if (!kauth_cred_issuser(kauth_cred_get()))
		return EPERM;
	if (size < 0 || size > NGROUPS)
		return EINVAL;
	if ((error = copyin(uap->grouplist, groups, (vm_size_t)size * sizeof(gid_t))) != 0)
		return error;
	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	n = kauth_cred_setgroups(cred, groups, size);
	if (n == NOCRED)
		error = ENOMEM;
	else
		cred_install(p, n);
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}
