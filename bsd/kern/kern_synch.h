/*
 * kern_synch.h - BSD's sleep and wakeup: msleep, tsleep, wakeup,
 * wakeup_one, as the Kernel Programming Guide presents them ("Condition
 * Variables"), built on Mach's wait queues.
 *
 *	lck_mtx_lock(mtx);
 *	while (!ready) {
 *		error = msleep(&ready, mtx, PCATCH, "ready", &timeout);
 *		if (error != 0)
 *			break;		(EWOULDBLOCK: timed out, EINTR: interrupted)
 *	}
 *	lck_mtx_unlock(mtx);
 *
 * priority: PCATCH lets the sleep be interrupted by a signal: ERESTART
 * (return it: the system call is made again after the signal, or fails
 * with EINTR if a handler without SA_RESTART runs), EINTR if the thread
 * is being terminated; a sleep ended by a signal that is already gone
 * returns 0, like any other early wakeup. PDROP leaves the mutex
 * released on return. The low bits (a priority to wake at) are accepted and
 * ignored: a woken thread runs at its own priority.
 */

#ifndef BSD_KERN_KERN_SYNCH_H
#define BSD_KERN_KERN_SYNCH_H

#include <stdint.h>

#include "bsd/sys/time.h"
#include "mach/kern/locks.h"

#define PRIMASK		0x0ff
#define PCATCH		0x100	/* interruptible */
#define PDROP		0x200	/* do not retake the mutex */

#define HZ		100	/* tsleep's ticks */

int	msleep(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, struct timespec *ts);
int	msleep0(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, uint64_t deadline);
int	tsleep(void *chan, int pri, const char *wmesg, int timo);
void	wakeup(void *chan);
void	wakeup_one(void *chan);
/* wakeup_sync: wakeup, from a thread about to sleep itself (thread_wakeup_sync). */
void	wakeup_sync(void *chan);

#endif /* BSD_KERN_KERN_SYNCH_H */
