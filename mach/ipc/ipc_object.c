/*
 * ipc_object.c - references on ports and port sets, and the IPC lock
 * (ipc_object.h).
 */

#include "mach/ipc/ipc_object.h"

#include "libkern/assert.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_pset.h"
#include "mach/kern/locks.h"
#include "mach/kern/sched_prim.h"

static lck_grp_t ipc_lck_grp __hot_lock;	/* its statistics change with every lock */
static lck_mtx_t ipc_mtx __hot_lock;

void
ipc_lock_init(void)
{
	lck_grp_init(&ipc_lck_grp, "ipc", LCK_GRP_ATTR_NULL);
	lck_mtx_init(&ipc_mtx, &ipc_lck_grp, LCK_ATTR_NULL);
}

void
ipc_lock(void)
{
	lck_mtx_lock(&ipc_mtx);
}

void
ipc_unlock(void)
{
	lck_mtx_unlock(&ipc_mtx);
}

wait_result_t
ipc_sleep(event_t event, uint64_t deadline)
{
	if (deadline == 0)
		return lck_mtx_sleep(&ipc_mtx, LCK_SLEEP_DEFAULT, event, THREAD_ABORTSAFE);
	return lck_mtx_sleep_deadline(&ipc_mtx, LCK_SLEEP_DEFAULT, event, THREAD_ABORTSAFE,
	    deadline);
}

/*
 * A waker holds the IPC lock, which the woken thread needs first thing:
 * preempting the waker for it would only bounce back. The woken thread
 * queues without preempting (a synchronous wake-up); a sender that goes on
 * to receive, as an RPC does, blocks soon and lets it run.
 */
void
ipc_wakeup(event_t event)
{
	thread_wakeup_sync(event);
}

void
io_reference(ipc_object_t object)
{
	assert(object->io_references != 0);
	object->io_references++;
}

void
io_release(ipc_object_t object)
{
	assert(object->io_references != 0);
	if (--object->io_references != 0)
		return;
	assert(!io_active(object));
	if (io_otype(object) == IOT_PORT_SET)
		ipc_pset_free((ipc_pset_t)object);
	else
		ipc_port_free((ipc_port_t)object);
}
