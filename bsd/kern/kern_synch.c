/*
 * kern_synch.c - msleep and wakeup over assert_wait and thread_block.
 */

#include "bsd/kern/kern_synch.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/signalvar.h"
#include "mach/kern/clock.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"

static int
wait_result_to_errno(wait_result_t r)
{
	switch (r) {
	case THREAD_AWAKENED:
		return 0;
	case THREAD_TIMED_OUT:
		return EWOULDBLOCK;
	case THREAD_INTERRUPTED:
		return EINTR;
	default:
		return EINTR;
	}
}

int
msleep0(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, uint64_t deadline)
{
	wait_interrupt_t interruptible = (pri & PCATCH) ? THREAD_ABORTSAFE : THREAD_UNINT;
	wait_result_t r;
	int error;

	(void)assert_wait_deadline(chan, interruptible, deadline);
	current_thread()->wait_message = wmesg;
	if (mtx != NULL)
		lck_mtx_unlock(mtx);
	r = thread_block(THREAD_CONTINUE_NULL);
	/* A signal: EINTR, ERESTART (SA_RESTART), or 0 if it is gone already. */
	error = (r == THREAD_INTERRUPTED && (pri & PCATCH)) ? sig_sleep_errno() :
	    wait_result_to_errno(r);
	if (mtx != NULL && !(pri & PDROP))
		lck_mtx_lock(mtx);
	return error;
}

int
msleep(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, struct timespec *ts)
{
	uint64_t deadline = TIMEOUT_WAIT_FOREVER;

	if (ts != NULL) {
		if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
			return EINVAL;
		deadline = mach_absolute_time() + (uint64_t)ts->tv_sec * NSEC_PER_SEC +
		    (uint64_t)ts->tv_nsec;
		if (deadline == TIMEOUT_WAIT_FOREVER)
			deadline++;
	}
	return msleep0(chan, mtx, pri, wmesg, deadline);
}

int
tsleep(void *chan, int pri, const char *wmesg, int timo)
{
	uint64_t deadline = TIMEOUT_WAIT_FOREVER;

	if (timo > 0)
		deadline = mach_absolute_time() + (uint64_t)timo * (NSEC_PER_SEC / HZ);
	return msleep0(chan, NULL, pri, wmesg, deadline);
}

void
wakeup(void *chan)
{
	(void)thread_wakeup(chan);
}

void
wakeup_sync(void *chan)
{
	(void)thread_wakeup_sync(chan);
}

void
wakeup_one(void *chan)
{
	(void)thread_wakeup_one(chan);
}
