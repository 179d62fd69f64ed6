/*
 * sys_select.c - the waiting under select and poll (bsd/sys/select.h).
 *
 * One generation count for the whole system: selwakeup advances it and
 * wakes every waiter; a waiter remembers the count when its scan began
 * and sleeps only if it has not moved since. A wakeup during the scan
 * therefore never goes missing, at the cost of waking every select when
 * any recorded file becomes ready; each then rescans its own files.
 * Machina's consoles and pipes are few enough for that to be cheap.
 */

#include "bsd/sys/select.h"

#include "mach/kern/kern_types.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/thread.h"

static uint64_t selgen;		/* [a] */

void
selrecord(proc_t selector, struct selinfo *sip, void *wql)
{
	(void)selector;
	(void)wql;
	__atomic_or_fetch(&sip->si_flags, SI_RECORDED, __ATOMIC_ACQ_REL);
}

void
selwakeup(struct selinfo *sip)
{
	if (!(__atomic_load_n(&sip->si_flags, __ATOMIC_ACQUIRE) & SI_RECORDED))
		return;
	__atomic_and_fetch(&sip->si_flags, ~(uint32_t)SI_RECORDED, __ATOMIC_ACQ_REL);
	__atomic_add_fetch(&selgen, 1, __ATOMIC_ACQ_REL);
	thread_wakeup(&selgen);
}

void *
selscan_begin(void)
{
	return (void *)(uintptr_t)__atomic_load_n(&selgen, __ATOMIC_ACQUIRE);
}

int
selwait(void *wql, uint64_t deadline)
{
	uint64_t gen = (uint64_t)(uintptr_t)wql;

	(void)assert_wait_deadline(&selgen, THREAD_ABORTSAFE, deadline);
	if (__atomic_load_n(&selgen, __ATOMIC_ACQUIRE) != gen) {
		/* Something was woken during the scan: rescan at once. */
		(void)clear_wait(current_thread(), THREAD_AWAKENED);
		return THREAD_AWAKENED;
	}
	return thread_block(THREAD_CONTINUE_NULL);
}
