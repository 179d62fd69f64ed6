/*
 * mach/sync_policy.h - the orders semaphores wake their waiters in.
 */

#ifndef _MACH_SYNC_POLICY_H_
#define _MACH_SYNC_POLICY_H_

typedef int	sync_policy_t;

#define SYNC_POLICY_FIFO		0x0	/* in the order they came */
#define SYNC_POLICY_FIXED_PRIORITY	0x1	/* highest priority first */

#endif /* _MACH_SYNC_POLICY_H_ */
