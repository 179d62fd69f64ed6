/*
 * kern_time.h - the BSD layer's time services for the rest of it:
 * interruptible sleeps, and starting the interval timers.
 * bsd/kern/kern_time.c has the system calls and the story.
 */

#ifndef BSD_KERN_KERN_TIME_H
#define BSD_KERN_KERN_TIME_H

#include <stdint.h>

/*
 * kern_time_init: the interval-timer table and the BSD clock thread
 * (it posts SIGALRM and samples the load average). Once, from bsd_init,
 * with the scheduler running.
 */
void	kern_time_init(void);

/*
 * bsd_sleep_until: sleep interruptibly until absolute time deadline.
 * Returns 0 once it has passed; EINTR if the thread was interrupted, with
 * the nanoseconds that were left in *left. No lock may be held.
 */
int	bsd_sleep_until(uint64_t deadline, uint64_t *left);

#endif /* BSD_KERN_KERN_TIME_H */
