/*
 * sched.h - scheduling priorities and policies.
 *
 * 128 priorities in the four bands of Apple's Kernel Programming Guide
 * (XNU's values):
 *
 *	96-127	real-time	BASEPRI_RTQUEUES (97) for time-constraint threads
 *	80-95	kernel only	BASEPRI_KERNEL (81), BASEPRI_PREEMPT (93)
 *	64-79	system high
 *	 0-63	normal		BASEPRI_DEFAULT (31) for new user threads
 *
 * Threads move within their band as the timeshare policy ages them; they
 * leave it only by policy (thread_policy_set) or when a real-time thread
 * that overruns its computation is demoted.
 */

#ifndef MACH_KERN_SCHED_H
#define MACH_KERN_SCHED_H

#define NRQS			128
#define MAXPRI			(NRQS - 1)				/* 127 */
#define MINPRI			0
#define IDLEPRI			MINPRI
#define DEPRESSPRI		MINPRI	/* where thread_switch and swtch_pri put a thread */

#define BASEPRI_RTQUEUES	(BASEPRI_REALTIME + 1)			/* 97 */
#define BASEPRI_REALTIME	(MAXPRI - (NRQS / 4) + 1)		/* 96 */
#define MAXPRI_KERNEL		(BASEPRI_REALTIME - 1)			/* 95 */
#define BASEPRI_PREEMPT		(MAXPRI_KERNEL - 2)			/* 93 */
#define BASEPRI_KERNEL		(MINPRI_KERNEL + 1)			/* 81 */
#define MINPRI_KERNEL		(MAXPRI_KERNEL - (NRQS / 8) + 1)	/* 80 */
#define MAXPRI_RESERVED		(MINPRI_KERNEL - 1)			/* 79 */
#define MINPRI_RESERVED		(MAXPRI_RESERVED - (NRQS / 8) + 1)	/* 64 */
#define MAXPRI_USER		(MINPRI_RESERVED - 1)			/* 63 */
#define BASEPRI_DEFAULT		(MAXPRI_USER - (NRQS / 4))		/* 31 */
#define MINPRI_USER		MINPRI					/*  0 */

#define invalid_pri(pri)	((pri) < MINPRI || (pri) > MAXPRI)

/* A thread's scheduling mode (thread->sched_mode). */
#define TH_MODE_NONE		0
#define TH_MODE_TIMESHARE	1	/* priority ages with CPU use */
#define TH_MODE_FIXED		2	/* fixed priority, round robin by quantum */
#define TH_MODE_REALTIME	3	/* time constraint */

#endif /* MACH_KERN_SCHED_H */
