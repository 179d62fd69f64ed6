/*
 * bsd_init.c - starting the BSD layer: the steps, in order, each for a
 * reason.
 */

#include "bsd/kern/bsd_init.h"

#include "bsd/sys/proc_internal.h"
#include "bsd/sys/ucred.h"

void
bsd_init(void)
{
	/* Credentials first: kernproc is made with the kernel's. */
	kauth_cred_init();
	/* kernproc (pid 0), the pid hash, the process zones. */
	procinit();
	/* The last thread of a process makes it a zombie (kern_exit.c). */
	exit_init();
}
