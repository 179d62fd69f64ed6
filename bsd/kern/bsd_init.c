/*
 * bsd_init.c - starting the BSD layer: the steps, in order, each for a
 * reason.
 */

#include "bsd/kern/bsd_init.h"

#include "bsd/dev/cons.h"
#include "bsd/kern/kern_futex.h"
#include "bsd/kern/kern_kext.h"
#include "bsd/kern/kern_time.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/signalvar.h"
#include "bsd/sys/sysctl.h"
#include "bsd/sys/ucred.h"
#include "bsd/sys/vnode_internal.h"
#if KSANCOV
#include "san/ksancov.h"
#endif

void
bsd_init(void)
{
	/* Credentials first: kernproc is made with the kernel's. */
	kauth_cred_init();
	/* kernproc (pid 0), the pid hash, the process zones. */
	procinit();
	/*
	 * The VFS: the root ramfs filled from the initrd (checked by
	 * initrd_init before), devfs on /dev with the memory devices;
	 * kernproc's current directory, which every process inherits.
	 */
	vfsinit();
	/* The console tty: needs kernproc's session, which it controls. */
	cons_init();
#if KSANCOV
	/* /dev/ksancov: the instrumented kernel's coverage for fuzzers. */
	ksancov_init();
#endif
	/* The MIB: every OID the kernel declares (the __sysctl_set section). */
	sysctl_init();
	/* The interval timers, and the thread that posts SIGALRM and samples the load. */
	kern_time_init();
	/* Signal delivery and Mach exceptions as signals: hooks into the Mach layer. */
	signal_init();
	/* The futex buckets. */
	futex_init();
	/* The last thread of a process makes it a zombie (kern_exit.c). */
	exit_init();
	/*
	 * The kext manager last, once everything a kext's start may use is
	 * up: its records and the initrd's catalog (docs/kexts.md).
	 */
	kern_kext_init();
}
