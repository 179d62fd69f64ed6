/*
 * sys_thread.c - the system calls about the calling thread itself that a
 * C runtime makes at start-up: arch_prctl (its thread pointer),
 * set_tid_address and gettid.
 */

#include <stdint.h>

#include "bsd/sys/errno.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/user.h"
#include "kernel/copyio.h"
#include "kernel/machine/thread.h"
#include "mach/kern/thread.h"

/* Linux's arch_prctl codes. */
#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

/*
 * arch_prctl: set or get the thread pointer (FS base). GS belongs to the
 * kernel (its per-CPU data), so ARCH_SET_GS and ARCH_GET_GS are refused
 * with EINVAL, as is an address outside user space.
 */
int
arch_prctl(struct proc *p, struct arch_prctl_args *uap, int64_t *retval)
{
	thread_t self = current_thread();
	uint64_t base;

	(void)p;
	*retval = 0;
	switch (uap->code) {
	case ARCH_SET_FS:
		if (machine_thread_set_tsd_base(self, uap->addr) != KERN_SUCCESS)
			return EPERM;
		return 0;
	case ARCH_GET_FS:
		base = machine_thread_get_tsd_base(self);
		return copyout(&base, uap->addr, sizeof(base));
	default:
		return EINVAL;
	}
}

/*
 * set_tid_address: remember where to clear the thread id (and wake a
 * futex waiter) when the thread ends; returns the thread id. Machina's
 * thread id is the Mach thread's id.
 */
int
set_tid_address(struct proc *p, struct set_tid_address_args *uap, int64_t *retval)
{
	struct uthread *ut = get_bsdthread_info(current_thread());

	(void)p;
	if (ut != NULL)
		ut->uu_tid_address = uap->tidptr;
	*retval = (int64_t)current_thread()->thread_id;
	return 0;
}

int
gettid(struct proc *p, struct gettid_args *uap, int64_t *retval)
{
	(void)p;
	(void)uap;
	*retval = (int64_t)current_thread()->thread_id;
	return 0;
}
