/*
 * resourcevar.h - what the kernel knows of a process's and a thread's use
 * of the machine, for getrusage, times, clock_gettime's CPU clocks and
 * kern.proc (bsd/kern/kern_resource.c), and Linux's structures for them.
 *
 * CPU time is Mach's: each thread's run_time, brought up to date when it
 * leaves a CPU, plus, for the thread asking about itself, the time since
 * it was last dispatched. The kernel does not split user from system
 * time: all of it is reported as user time.
 *
 * Locks: the task lock (a leaf spin lock here) while summing its threads.
 */

#ifndef BSD_SYS_RESOURCEVAR_H
#define BSD_SYS_RESOURCEVAR_H

#include <stdint.h>

#include "bsd/sys/sysctl_abi.h"
#include "bsd/sys/time.h"
#include "mach/kern/kern_types.h"

/* Linux's struct rusage (144 bytes). */
struct rusage {
	struct timeval	ru_utime;
	struct timeval	ru_stime;
	int64_t		ru_maxrss;	/* KiB */
	int64_t		ru_ixrss;
	int64_t		ru_idrss;
	int64_t		ru_isrss;
	int64_t		ru_minflt;
	int64_t		ru_majflt;
	int64_t		ru_nswap;
	int64_t		ru_inblock;
	int64_t		ru_oublock;
	int64_t		ru_msgsnd;
	int64_t		ru_msgrcv;
	int64_t		ru_nsignals;
	int64_t		ru_nvcsw;
	int64_t		ru_nivcsw;
};

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

/* Linux's struct tms, in USER_HZ ticks. */
struct tms {
	int64_t		tms_utime;
	int64_t		tms_stime;
	int64_t		tms_cutime;
	int64_t		tms_cstime;
};

#define USER_HZ		100

/* Linux's struct sysinfo (x86-64: 112 bytes). */
struct sysinfo {
	int64_t		uptime;		/* seconds */
	uint64_t	loads[3];	/* 1, 5, 15 minutes, << 16 */
	uint64_t	totalram;	/* in mem_unit bytes */
	uint64_t	freeram;
	uint64_t	sharedram;
	uint64_t	bufferram;
	uint64_t	totalswap;
	uint64_t	freeswap;
	uint16_t	procs;
	uint16_t	pad;
	uint64_t	totalhigh;
	uint64_t	freehigh;
	uint32_t	mem_unit;
	char		_f[4];
};

_Static_assert(sizeof(struct rusage) == 144, "struct rusage is user ABI");
_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo is user ABI");

/*
 * The load average (vm.loadavg, sysinfo): BSD's fixed point, FSCALE = 1.0,
 * decaying averages of the threads running or able to run, sampled every
 * LOADAV_INTERVAL_NS over 1, 5 and 15 minutes.
 */
#define FSHIFT			11
#define FSCALE			(1 << FSHIFT)
#define LOADAV_INTERVAL_NS	(5ULL * 1000000000ULL)

/* loadav_sample: take one sample (the BSD clock thread, every LOADAV_INTERVAL_NS). */
void		loadav_sample(void);
/* loadav_get: the three averages, FSCALE fixed point. */
void		loadav_get(uint32_t ldavg[3]);

/*
 * task_cpu_time_ns: CPU time of task's threads, ended and live (as of
 * their last switch; the current thread's up to now). *nthreads, if not
 * NULL, gets its live thread count.
 */
uint64_t	task_cpu_time_ns(task_t task, int *nthreads);

/* thread_cpu_time_ns: thread's CPU time (the current thread's up to now). */
uint64_t	thread_cpu_time_ns(thread_t thread);

#endif /* BSD_SYS_RESOURCEVAR_H */
