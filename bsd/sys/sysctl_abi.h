/*
 * sysctl_abi.h - what sysctl's callers and the kernel share: the types and
 * flags of a node, the numbered names, and the records the structured
 * nodes return (kern.proc, vm.loadavg, vm.zones, debug.lock_stats).
 * Installed into user space as <sys/sysctl_abi.h> (libsystem's
 * <sys/sysctl.h> includes it), so one copy describes both sides: it needs
 * nothing but <stdint.h>.
 */

#ifndef BSD_SYS_SYSCTL_ABI_H
#define BSD_SYS_SYSCTL_ABI_H

#include <stdint.h>

#define CTL_MAXNAME	12	/* the longest OID, in integers */

/* oid_kind: the type in the low bits, flags in the high ones (XNU's values). */
#define CTLTYPE		0xf
#define CTLTYPE_NODE	1
#define CTLTYPE_INT	2
#define CTLTYPE_STRING	3
#define CTLTYPE_QUAD	4
#define CTLTYPE_OPAQUE	5
#define CTLTYPE_STRUCT	CTLTYPE_OPAQUE

#define CTLFLAG_RD	0x80000000	/* readable */
#define CTLFLAG_WR	0x40000000	/* writable (by root, unless ANYBODY) */
#define CTLFLAG_RW	(CTLFLAG_RD | CTLFLAG_WR)
#define CTLFLAG_ANYBODY	0x10000000	/* writable by anyone */
#define CTLFLAG_SECURE	0x08000000	/* not writable when securelevel > 0 */
#define CTLFLAG_MASKED	0x04000000	/* left out of listings */
#define CTLFLAG_LOCKED	0x00800000	/* the handler locks for itself */

/* Top-level names. */
#define CTL_UNSPEC	0	/* the sysctl.* interface itself */
#define CTL_KERN	1
#define CTL_VM		2
#define CTL_VFS		3
#define CTL_NET		4
#define CTL_DEBUG	5
#define CTL_HW		6
#define CTL_MACHDEP	7
#define CTL_USER	8

/* CTL_KERN. */
#define KERN_OSTYPE	1
#define KERN_OSRELEASE	2
#define KERN_OSREV	3
#define KERN_VERSION	4
#define KERN_MAXPROC	6
#define KERN_MAXFILES	7
#define KERN_ARGMAX	8
#define KERN_SECURELVL	9
#define KERN_HOSTNAME	10
#define KERN_PROC	14
#define KERN_BOOTTIME	21
#define KERN_DOMAINNAME	22

/* kern.proc's third level. */
#define KERN_PROC_ALL	0	/* every process */
#define KERN_PROC_PID	1	/* {..., pid} */
#define KERN_PROC_PGRP	2	/* {..., pgid} */

/* CTL_VM. */
#define VM_LOADAVG	2	/* struct loadavg */

/* CTL_HW. */
#define HW_MACHINE	1
#define HW_MODEL	2
#define HW_NCPU		3
#define HW_BYTEORDER	4
#define HW_PHYSMEM	5
#define HW_PAGESIZE	7
#define HW_CPU_FREQ	15
#define HW_MEMSIZE	24
#define HW_AVAILCPU	25

/* kern.proc's records (an array of them): Machina's own layout. */
#define KI_MAXCOMLEN	24

struct kinfo_proc {
	int32_t		kp_pid;
	int32_t		kp_ppid;
	int32_t		kp_pgid;
	int32_t		kp_sid;
	uint32_t	kp_uid;		/* effective */
	uint32_t	kp_ruid;
	uint32_t	kp_gid;		/* effective */
	uint32_t	kp_rgid;
	int32_t		kp_stat;	/* SIDL, SRUN, SSTOP, SZOMB */
	int32_t		kp_nthreads;
	int32_t		kp_flag;	/* KP_* */
	int32_t		kp_xstat;	/* a zombie's exit status */
	struct {
		int64_t	tv_sec;
		int64_t	tv_usec;
	}		kp_start;	/* calendar time it was made */
	uint64_t	kp_runtime_ns;	/* CPU time of its threads, ever */
	uint64_t	kp_vsize;	/* bytes mapped */
	uint64_t	kp_rssize;	/* bytes resident */
	char		kp_comm[KI_MAXCOMLEN];	/* the program's name, NUL-terminated */
};

/* kp_stat (the kernel's p_stat, bsd/sys/proc_internal.h) */
#ifndef SIDL
#define SIDL		1
#define SRUN		2
#define SSTOP		4
#define SZOMB		5
#endif

#define KP_SYSTEM	0x0001		/* the kernel's own (pid 0) */
#define KP_CONTROLT	0x0002		/* has a controlling terminal */
#define KP_EXITING	0x0004

_Static_assert(sizeof(struct kinfo_proc) == 112, "kinfo_proc is user ABI");

/* vm.loadavg: runnable threads over 1, 5 and 15 minutes, in fscale units. */
struct loadavg {
	uint32_t	ldavg[3];
	uint32_t	pad;
	int64_t		fscale;
};

/* vm.zones: one of these per zone (the kernel's struct zone_info). */
struct sysctl_zone_info {
	char		zi_name[32];
	uint64_t	zi_elem_size;
	uint64_t	zi_chunk_size;
	uint64_t	zi_elems_per_chunk;
	uint64_t	zi_max_size;
	uint64_t	zi_elems_inuse;
	uint64_t	zi_elems_free;
	uint64_t	zi_peak_inuse;
	uint64_t	zi_pages;
	uint64_t	zi_pages_empty;
	uint64_t	zi_allocs;
	uint64_t	zi_frees;
	uint64_t	zi_failures;
};

/* debug.lock_stats: one of these per lock group. */
struct sysctl_lock_group {
	char		lg_name[64];
	uint64_t	lg_locks;		/* locks in the group */
	uint64_t	lg_spin_acquires;
	uint64_t	lg_spin_contended;
	uint64_t	lg_mtx_acquires;
	uint64_t	lg_mtx_contended;
	uint64_t	lg_mtx_blocked;
	uint64_t	lg_rw_shared_acquires;
	uint64_t	lg_rw_exclusive_acquires;
	uint64_t	lg_rw_blocked;
	uint64_t	lg_held_ns;
	uint64_t	lg_held_ns_max;
};

#endif /* BSD_SYS_SYSCTL_ABI_H */
