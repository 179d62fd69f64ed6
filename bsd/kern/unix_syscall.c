/*
 * unix_syscall.c - the BSD system-call tables and unix_syscall64
 * (unix_syscall.h).
 */

#include "bsd/kern/unix_syscall.h"

#include <stddef.h>

#include "bsd/sys/errno.h"
#include "bsd/sys/proc.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/user.h"
#include "kernel/machine/thread.h"
#include "libkern/cdefs.h"
#include "mach/kern/thread.h"
#include "mach/syscall_sw.h"

#define SYSENT(fn, narg)	{ (sy_call_t *)(void (*)(void))(fn), (narg), #fn }

/* The tables, from bsd/kern/syscalls.master (tools/makesyscalls.py). */
#include "bsd/kern/syscall_table.inc"

/* Class 0: Linux x86-64 numbers. */
static const struct sysent linux_sysent[] = {
	SYSCALLS_UNIX
};

/* Class 2: XNU's numbers. */
static const struct sysent xnu_sysent[] = {
	[0] = { NULL, 0, "nosys" },
	SYSCALLS_BSD
};

const struct sysent *
unix_sysent_lookup(unsigned syscall_class, uint64_t n)
{
	const struct sysent *table;
	size_t count;

	switch (syscall_class) {
	case SYSCALL_CLASS_UNIX:
		table = linux_sysent, count = nitems(linux_sysent);
		break;
	case SYSCALL_CLASS_BSD:
		table = xnu_sysent, count = nitems(xnu_sysent);
		break;
	default:
		return NULL;
	}
	if (n >= count || table[n].sy_call == NULL)
		return NULL;
	return &table[n];
}

void
unix_syscall64(struct x86_saved_state *ss)
{
	uint64_t code = machine_syscall_number(ss);
	const struct sysent *callp = unix_sysent_lookup(
	    (unsigned)((code & SYSCALL_CLASS_MASK) >> SYSCALL_CLASS_SHIFT),
	    code & SYSCALL_NUMBER_MASK);
	uint64_t args[MACHINE_SYSCALL_ARGS];
	struct uthread *ut = current_thread()->uthread;
	int64_t rval = 0;
	int error;

	if (callp == NULL) {
		machine_syscall_set_return(ss, (uint64_t)-(int64_t)ENOSYS);
		return;
	}
	machine_syscall_args(ss, args);
	if (ut != NULL)
		ut->uu_flag &= ~UT_RESTART;
	/* A thread with a uthread belongs to its uu_proc: current_proc(), one load nearer. */
	error = callp->sy_call(ut != NULL ? ut->uu_proc : current_proc(), args, &rval);
	if (error == ERESTART) {
		/* The same call again once the signal is taken (kern_sig.c may undo it). */
		machine_syscall_restart(ss);
		if (ut != NULL)
			ut->uu_flag |= UT_RESTART;
	} else
	if (error != EJUSTRETURN)		/* EJUSTRETURN: rt_sigreturn set every register */
		machine_syscall_set_return(ss, error != 0 ? (uint64_t)-(int64_t)error :
		    (uint64_t)rval);
}
