/*
 * bsd_init.c - starting the BSD layer: the steps, in order, each for a
 * reason.
 */

#include "bsd/kern/bsd_init.h"

#include "bsd/kern/kern_time.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/sysctl.h"
#include "bsd/sys/ucred.h"

void
bsd_init(void)
{
	/* Credentials first: kernproc is made with the kernel's. */
	kauth_cred_init();
	/* kernproc (pid 0), the pid hash, the process zones. */
	procinit();
	/* The MIB: every OID the kernel declares (the __sysctl_set section). */
	sysctl_init();
	/* The interval timers, and the thread that posts SIGALRM and samples the load. */
	kern_time_init();
}
