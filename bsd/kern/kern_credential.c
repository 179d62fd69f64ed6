/*
 * kern_credential.c - credentials (bsd/sys/ucred.h).
 */

#include "bsd/sys/ucred.h"

#include "bsd/sys/proc_internal.h"
#include "bsd/sys/user.h"
#include "kernel/kheap.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/thread.h"

static struct ucred kernel_cred = { .cr_ref = 1 };

void
kauth_cred_init(void)
{
	memset(&kernel_cred, 0, sizeof(kernel_cred));
	kernel_cred.cr_ref = 1;		/* never freed */
	kernel_cred.cr_ngroups = 1;	/* group 0 (wheel) */
}

kauth_cred_t
kauth_cred_kernel(void)
{
	return &kernel_cred;
}

kauth_cred_t
kauth_cred_get(void)
{
	struct uthread *ut = get_bsdthread_info(current_thread());

	return ut != NULL ? ut->uu_context.vc_ucred : &kernel_cred;
}

kauth_cred_t
kauth_cred_proc_ref(struct proc *p)
{
	kauth_cred_t cred;

	lck_mtx_lock(&p->p_ucred_mlock);
	cred = p->p_ucred;
	kauth_cred_ref(cred);
	lck_mtx_unlock(&p->p_ucred_mlock);
	return cred;
}

void
kauth_cred_ref(kauth_cred_t cred)
{
	if (cred != NOCRED)
		__atomic_add_fetch(&cred->cr_ref, 1, __ATOMIC_RELAXED);
}

void
kauth_cred_unref(kauth_cred_t *credp)
{
	kauth_cred_t cred = *credp;

	*credp = NOCRED;
	if (cred == NOCRED || __atomic_sub_fetch(&cred->cr_ref, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (cred == &kernel_cred)
		panic("kauth_cred_unref: the kernel's credential lost its last reference");
	kheap_free(&kernel_heap, cred);
}

/* A private copy of cred, one reference, or NOCRED. */
static kauth_cred_t
cred_copy(kauth_cred_t cred)
{
	kauth_cred_t copy = kheap_alloc(&kernel_heap, sizeof(*copy));

	if (copy == NOCRED)
		return NOCRED;
	*copy = *cred;
	copy->cr_ref = 1;
	return copy;
}

kauth_cred_t
kauth_cred_setresuid(kauth_cred_t cred, uid_t ruid, uid_t euid, uid_t svuid)
{
	kauth_cred_t copy = cred_copy(cred);

	if (copy == NOCRED)
		return NOCRED;
	if (ruid != (uid_t)-1)
		copy->cr_ruid = ruid;
	if (euid != (uid_t)-1)
		copy->cr_uid = euid;
	if (svuid != (uid_t)-1)
		copy->cr_svuid = svuid;
	return copy;
}

kauth_cred_t
kauth_cred_setresgid(kauth_cred_t cred, gid_t rgid, gid_t egid, gid_t svgid)
{
	kauth_cred_t copy = cred_copy(cred);

	if (copy == NOCRED)
		return NOCRED;
	if (rgid != (gid_t)-1)
		copy->cr_rgid = rgid;
	if (egid != (gid_t)-1)
		copy->cr_gid = egid;
	if (svgid != (gid_t)-1)
		copy->cr_svgid = svgid;
	return copy;
}

kauth_cred_t
kauth_cred_setgroups(kauth_cred_t cred, const gid_t *groups, int ngroups)
{
	kauth_cred_t copy;

	if (ngroups < 0 || ngroups > NGROUPS)
		return NOCRED;
	copy = cred_copy(cred);
	if (copy == NOCRED)
		return NOCRED;
	copy->cr_ngroups = ngroups;
	for (int i = 0; i < ngroups; i++)
		copy->cr_groups[i] = groups[i];
	return copy;
}

uid_t kauth_cred_getuid(kauth_cred_t cred) { return cred->cr_uid; }
uid_t kauth_cred_getruid(kauth_cred_t cred) { return cred->cr_ruid; }
gid_t kauth_cred_getgid(kauth_cred_t cred) { return cred->cr_gid; }
gid_t kauth_cred_getrgid(kauth_cred_t cred) { return cred->cr_rgid; }

bool
kauth_cred_issuser(kauth_cred_t cred)
{
	return cred->cr_uid == 0;
}

bool
kauth_cred_ismember_gid(kauth_cred_t cred, gid_t gid)
{
	if (cred->cr_gid == gid)
		return true;
	for (int i = 0; i < cred->cr_ngroups; i++) {
		if (cred->cr_groups[i] == gid)
			return true;
	}
	return false;
}
