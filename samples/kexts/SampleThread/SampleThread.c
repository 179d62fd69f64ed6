/*
 * SampleThread.c - a kext with a kernel thread of its own, stopped cleanly.
 *
 * start creates a thread that wakes every 10 ms and counts
 * (debug.samplethread_ticks). stop asks it to end, wakes it, and waits
 * until it has ended for good (thread_wait_terminated) before returning:
 * the kernel frees the kext's code as soon as stop returns, so no thread
 * may still be running it then. The same goes for timers, callbacks and
 * anything else that calls into the kext.
 */

#include <IOKit/IOLib.h>
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <mach/kmod.h>
#include <sys/sysctl.h>

kern_return_t SampleThread_start(kmod_info_t *ki, void *data);
kern_return_t SampleThread_stop(kmod_info_t *ki, void *data);

static thread_t worker;
static volatile int stopping;
static int ticks;

SYSCTL_INT(_debug, OID_AUTO, samplethread_ticks, CTLFLAG_RD | CTLFLAG_LOCKED, &ticks, 0,
    "how often SampleThread's thread has woken");

static void
worker_main(void *param, wait_result_t wr)
{
	while (!stopping) {
		__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
		assert_wait_timeout((event_t)&stopping, THREAD_UNINT, 10, 1000 * 1000);
		if (stopping) {
			clear_wait(current_thread(), THREAD_AWAKENED);
			break;
		}
		thread_block(THREAD_CONTINUE_NULL);
	}
	IOLog("SampleThread: worker ends after %d ticks\n", ticks);
	thread_terminate_self();
}

kern_return_t
SampleThread_start(kmod_info_t *ki, void *data)
{
	kern_return_t kr;

	stopping = 0;
	kr = kernel_thread_start(worker_main, NULL, &worker);
	if (kr != KERN_SUCCESS)
		return kr;
	sysctl_register_oid(&sysctl__debug_samplethread_ticks);
	IOLog("SampleThread: worker started\n");
	return KERN_SUCCESS;
}

kern_return_t
SampleThread_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_samplethread_ticks);
	stopping = 1;
	thread_wakeup((event_t)&stopping);
	thread_wait_terminated(worker);		/* not running our code any more */
	thread_deallocate(worker);
	worker = THREAD_NULL;
	IOLog("SampleThread: stopped\n");
	return KERN_SUCCESS;
}
