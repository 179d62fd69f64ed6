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
id_allowed(uint32_t id, const uint32_t cur[3])
{
	return id == ID_KEEP || id == cur[0] || id == cur[1] || id == cur[2];
}

/*
 * The set-id calls are the same for users and groups: they work on a
 * credential's real, effective and saved ids of one kind.
 */
enum id_kind { ID_USER, ID_GROUP };

static void
cred_ids(kauth_cred_t cred, enum id_kind kind, uint32_t cur[3])
{
	cur[0] = kind == ID_USER ? cred->cr_ruid : cred->cr_rgid;
	cur[1] = kind == ID_USER ? cred->cr_uid : cred->cr_gid;
	cur[2] = kind == ID_USER ? cred->cr_svuid : cred->cr_svgid;
}

/*
 * The one place ids change: the new real, effective and saved ids of one
 * kind (ID_KEEP: unchanged), checked against cred by the caller. ENOMEM.
 */
static int
set_ids(proc_t p, kauth_cred_t cred, enum id_kind kind, uint32_t r, uint32_t e, uint32_t s)
{
	kauth_cred_t n = kind == ID_USER ? kauth_cred_setresuid(cred, r, e, s) :
	    kauth_cred_setresgid(cred, r, e, s);

	if (n == NOCRED)
		return ENOMEM;
	cred_install(p, n);
	return 0;
}

/*
 * setuid, setgid: privileged, all three ids become id; otherwise only the
 * effective one may, to the real or the saved id. EPERM; EINVAL for -1.
 */
static int
setid(proc_t p, enum id_kind kind, uint32_t id)
{
	kauth_cred_t cred;
	uint32_t cur[3];
	int error;

	if (id == ID_KEEP)
		return EINVAL;
	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	cred_ids(cred, kind, cur);
	if (kauth_cred_issuser(cred))
		error = set_ids(p, cred, kind, id, id, id);
	else if (id == cur[0] || id == cur[2])
		error = set_ids(p, cred, kind, ID_KEEP, id, ID_KEEP);
	else
		error = EPERM;
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

/*
 * setreuid, setregid: unprivileged, the real id may become the real or
 * effective one, the effective id the real, effective or saved one. The
 * saved id follows the new effective id when the real id is set, or the
 * effective id set to something other than the old real id.
 */
static int
setreid(proc_t p, enum id_kind kind, uint32_t r, uint32_t e)
{
	uint32_t cur[3], s = ID_KEEP;
	kauth_cred_t cred;
	int error;

	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	cred_ids(cred, kind, cur);
	if (!kauth_cred_issuser(cred) &&
	    (!id_allowed(r, (const uint32_t[3]){ cur[0], cur[1], cur[0] }) ||
	    !id_allowed(e, cur))) {
		error = EPERM;
	} else {
		if (r != ID_KEEP || (e != ID_KEEP && e != cur[0]))
			s = e != ID_KEEP ? e : cur[1];
		error = set_ids(p, cred, kind, r, e, s);
	}
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

/* setresuid, setresgid: unprivileged, each id may become any of the three current ones. */
static int
setresid(proc_t p, enum id_kind kind, uint32_t r, uint32_t e, uint32_t s)
{
	uint32_t cur[3];
	kauth_cred_t cred;
	int error;

	proc_lock(p);
	cred = kauth_cred_proc_ref(p);
	cred_ids(cred, kind, cur);
	if (!kauth_cred_issuser(cred) &&
	    (!id_allowed(r, cur) || !id_allowed(e, cur) || !id_allowed(s, cur)))
		error = EPERM;
	else
		error = set_ids(p, cred, kind, r, e, s);
	kauth_cred_unref(&cred);
	proc_unlock(p);
	return error;
}

int
setuid(struct proc *p, struct setuid_args *uap, int64_t *retval)
{
	*retval = 0;
	return setid(p, ID_USER, (uint32_t)uap->uid);
}

int
setgid(struct proc *p, struct setgid_args *uap, int64_t *retval)
{
	*retval = 0;
	return setid(p, ID_GROUP, (uint32_t)uap->gid);
}

int
setreuid(struct proc *p, struct setreuid_args *uap, int64_t *retval)
{
	*retval = 0;
	return setreid(p, ID_USER, (uint32_t)uap->ruid, (uint32_t)uap->euid);
}

int
setregid(struct proc *p, struct setregid_args *uap, int64_t *retval)
{
	*retval = 0;
	return setreid(p, ID_GROUP, (uint32_t)uap->rgid, (uint32_t)uap->egid);
}

int
setresuid(struct proc *p, struct setresuid_args *uap, int64_t *retval)
{
	*retval = 0;
	return setresid(p, ID_USER, (uint32_t)uap->ruid, (uint32_t)uap->euid,
	    (uint32_t)uap->suid);
}

int
setresgid(struct proc *p, struct setresgid_args *uap, int64_t *retval)
{
	*retval = 0;
	return setresid(p, ID_GROUP, (uint32_t)uap->rgid, (uint32_t)uap->egid,
	    (uint32_t)uap->sgid);
}

/* getresuid, getresgid: the three ids out to user space (32 bits each). EFAULT. */
static int
getresid(proc_t p, enum id_kind kind, user_addr_t ur, user_addr_t ue, user_addr_t us)
{
	kauth_cred_t cred = kauth_cred_proc_ref(p);
	uint32_t cur[3];
	int error;

	cred_ids(cred, kind, cur);
	kauth_cred_unref(&cred);
	error = copyout(&cur[0], ur, sizeof(cur[0]));
	if (error == 0)
		error = copyout(&cur[1], ue, sizeof(cur[1]));
	if (error == 0)
		error = copyout(&cur[2], us, sizeof(cur[2]));
	return error;
}

int
getresuid(struct proc *p, struct getresuid_args *uap, int64_t *retval)
{
	*retval = 0;
	return getresid(p, ID_USER, uap->ruid, uap->euid, uap->suid);
}

int
getresgid(struct proc *p, struct getresgid_args *uap, int64_t *retval)
{
	*retval = 0;
	return getresid(p, ID_GROUP, uap->rgid, uap->egid, uap->sgid);
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
