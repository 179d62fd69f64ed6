/*
 * sync_sema.c - semaphores on wait queues.
 */

#include "mach/kern/sync_sema.h"

#include "kernel/kheap.h"
#include "libkern/assert.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_right.h"
#include "mach/ipc/ipc_space.h"
#include "mach/ipc/ipc_tt.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/mach_traps.h"

static uint32_t semaphores_alive;	/* [a] */

uint32_t
semaphore_count(void)
{
	return __atomic_load_n(&semaphores_alive, __ATOMIC_RELAXED);
}

kern_return_t
semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value)
{
	semaphore_t sem;
	boolean_t s;

	if (task == TASK_NULL || semaphore == NULL || value < 0 ||
	    (policy & ~SYNC_POLICY_ORDER_MASK) != 0 ||
	    (policy != SYNC_POLICY_FIFO && policy != SYNC_POLICY_FIXED_PRIORITY))
		return KERN_INVALID_ARGUMENT;
	sem = kheap_alloc(&kernel_heap, sizeof(*sem));
	if (sem == NULL)
		return KERN_RESOURCE_SHORTAGE;
	wait_queue_init(&sem->wait_queue, policy);
	sem->count = value;
	sem->active = TRUE;
	sem->owner = task;
	sem->port = NULL;
	sem->ref_count = 2;		/* the caller's and the owner's list's */
	s = task_lock(task);
	if (!task->active && task != kernel_task) {
		task_unlock(task, s);
		kheap_free(&kernel_heap, sem);
		return KERN_INVALID_ARGUMENT;
	}
	TAILQ_INSERT_TAIL(&task->semaphore_list, sem, task_link);
	sem->listed = TRUE;
	task_unlock(task, s);
	__atomic_add_fetch(&semaphores_alive, 1, __ATOMIC_RELAXED);
	*semaphore = sem;
	return KERN_SUCCESS;
}

void
semaphore_reference(semaphore_t sem)
{
	__atomic_add_fetch(&sem->ref_count, 1, __ATOMIC_RELAXED);
}

void
semaphore_dereference(semaphore_t sem)
{
	if (sem == SEMAPHORE_NULL ||
	    __atomic_sub_fetch(&sem->ref_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	assert(!sem->active && sem->port == NULL);
	kheap_free(&kernel_heap, sem);
	__atomic_sub_fetch(&semaphores_alive, 1, __ATOMIC_RELAXED);
}

/* End sem: no more units, waiters told, its port dead. The list's reference stays. */
static void
semaphore_terminate(semaphore_t sem)
{
	struct ipc_port *port;
	boolean_t s;

	s = sched_lock();
	sem->active = FALSE;
	(void)wait_queue_wakeup_all_locked(&sem->wait_queue, sem, THREAD_RESTART);
	sched_unlock(s);
	ipc_lock();
	port = sem->port;
	sem->port = NULL;
	ipc_unlock();
	/* Holders of send rights find a dead name. */
	ipc_kobject_destroy_port(port);
}

kern_return_t
semaphore_destroy(task_t task, semaphore_t sem)
{
	boolean_t s, was;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	if (task != sem->owner) {
		semaphore_dereference(sem);
		return KERN_INVALID_RIGHT;
	}
	s = task_lock(task);
	was = sem->listed;
	if (was) {
		TAILQ_REMOVE(&task->semaphore_list, sem, task_link);
		sem->listed = FALSE;
	}
	task_unlock(task, s);
	if (!was) {
		semaphore_dereference(sem);
		return KERN_TERMINATED;
	}
	semaphore_terminate(sem);
	semaphore_dereference(sem);		/* the list's */
	semaphore_dereference(sem);		/* the caller's */
	return KERN_SUCCESS;
}

void
semaphore_destroy_all(task_t task)
{
	semaphore_t sem;
	boolean_t s;

	for (;;) {
		s = task_lock(task);
		sem = TAILQ_FIRST(&task->semaphore_list);
		if (sem != SEMAPHORE_NULL) {
			TAILQ_REMOVE(&task->semaphore_list, sem, task_link);
			sem->listed = FALSE;
		}
		task_unlock(task, s);
		if (sem == SEMAPHORE_NULL)
			return;
		semaphore_terminate(sem);
		semaphore_dereference(sem);	/* the list's */
	}
}

semaphore_t
convert_port_to_semaphore(struct ipc_port *port)
{
	semaphore_t sem;

	ipc_lock();
	sem = (semaphore_t)ipc_kobject_get(port, IKOT_SEMAPHORE);
	if (sem != SEMAPHORE_NULL)
		semaphore_reference(sem);	/* its port is alive: so is it */
	ipc_unlock();
	return sem;
}

struct ipc_port *
convert_semaphore_to_port(semaphore_t sem)
{
	struct ipc_port *port = IP_NULL, *fresh = IP_NULL;

	if (sem == SEMAPHORE_NULL)
		return IP_NULL;
	if (sem->port == IP_NULL)
		fresh = ipc_kobject_alloc_port((uintptr_t)sem, IKOT_SEMAPHORE);
	ipc_lock();
	if (sem->port == IP_NULL && sem->listed && fresh != IP_NULL) {
		sem->port = fresh;
		fresh = IP_NULL;
	}
	if (sem->port != IP_NULL)
		port = ipc_port_make_send(sem->port);
	ipc_unlock();
	if (fresh != IP_NULL)
		ipc_kobject_destroy_port(fresh);
	semaphore_dereference(sem);
	return port;
}

static kern_return_t
semaphore_signal_internal(semaphore_t sem, thread_t thread, boolean_t all)
{
	kern_return_t kr = KERN_SUCCESS;
	boolean_t s;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	s = sched_lock();
	if (!sem->active) {
		kr = KERN_TERMINATED;
	} else if (all) {
		(void)wait_queue_wakeup_all_locked(&sem->wait_queue, sem, THREAD_AWAKENED);
	} else if (thread != THREAD_NULL) {
		if (thread->wait_queue == &sem->wait_queue)
			(void)clear_wait_locked(thread, THREAD_AWAKENED);
		else
			kr = KERN_NOT_WAITING;
	} else if (wait_queue_wakeup_one_locked(&sem->wait_queue, sem,
	    THREAD_AWAKENED) == THREAD_NULL) {
		sem->count++;		/* nobody waits: keep the unit */
	}
	sched_unlock(s);
	return kr;
}

kern_return_t
semaphore_signal(semaphore_t sem)
{
	return semaphore_signal_internal(sem, THREAD_NULL, FALSE);
}

kern_return_t
semaphore_signal_all(semaphore_t sem)
{
	return semaphore_signal_internal(sem, THREAD_NULL, TRUE);
}

kern_return_t
semaphore_signal_thread(semaphore_t sem, thread_t thread)
{
	return semaphore_signal_internal(sem, thread, FALSE);
}

kern_return_t
semaphore_wait_deadline(semaphore_t sem, uint64_t deadline)
{
	boolean_t s;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	s = sched_lock();
	if (!sem->active) {
		sched_unlock(s);
		return KERN_TERMINATED;
	}
	if (sem->count > 0) {
		sem->count--;
		sched_unlock(s);
		return KERN_SUCCESS;
	}
	if (deadline != TIMEOUT_WAIT_FOREVER && deadline <= mach_absolute_time()) {
		sched_unlock(s);
		return KERN_OPERATION_TIMED_OUT;	/* a poll that found none */
	}
	(void)wait_queue_assert_wait_locked(&sem->wait_queue, sem, THREAD_ABORTSAFE,
	    deadline);
	current_thread()->wait_message = "semaphore";
	sched_unlock(s);
	switch (thread_block(THREAD_CONTINUE_NULL)) {
	case THREAD_AWAKENED:
		return KERN_SUCCESS;
	case THREAD_TIMED_OUT:
		return KERN_OPERATION_TIMED_OUT;
	case THREAD_INTERRUPTED:
		return KERN_ABORTED;
	default:
		return KERN_TERMINATED;
	}
}

kern_return_t
semaphore_wait(semaphore_t sem)
{
	return semaphore_wait_deadline(sem, TIMEOUT_WAIT_FOREVER);
}

kern_return_t
semaphore_timedwait(semaphore_t sem, mach_timespec_t wait_time)
{
	uint64_t ns;

	if (wait_time.tv_nsec < 0 || wait_time.tv_nsec >= (clock_res_t)NSEC_PER_SEC)
		return KERN_INVALID_VALUE;
	ns = (uint64_t)wait_time.tv_sec * NSEC_PER_SEC + (uint64_t)wait_time.tv_nsec;
	/* A zero wait is a poll; the +1 keeps it from meaning "forever". */
	return semaphore_wait_deadline(sem, mach_absolute_time() + ns + (ns == 0));
}

/* --- the traps: a semaphore named by a send right in the caller's space --- */

static semaphore_t
port_name_to_semaphore(mach_port_name_t name)
{
	ipc_space_t space = current_task()->itk_space;
	semaphore_t sem = SEMAPHORE_NULL;
	struct ipc_entry *e;

	if (!MACH_PORT_VALID(name) || space == IS_NULL)
		return SEMAPHORE_NULL;
	ipc_lock();
	if (ipc_right_lookup(space, name, &e) == KERN_SUCCESS &&
	    (e->ie_bits & MACH_PORT_TYPE_SEND) != 0) {
		sem = (semaphore_t)ipc_kobject_get(e->ie_object, IKOT_SEMAPHORE);
		if (sem != SEMAPHORE_NULL)
			semaphore_reference(sem);
	}
	ipc_unlock();
	return sem;
}

kern_return_t
semaphore_signal_trap(struct semaphore_signal_trap_args *args)
{
	semaphore_t sem = port_name_to_semaphore((mach_port_name_t)args->name);
	kern_return_t kr;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	kr = semaphore_signal(sem);
	semaphore_dereference(sem);
	return kr;
}

kern_return_t
semaphore_signal_all_trap(struct semaphore_signal_trap_args *args)
{
	semaphore_t sem = port_name_to_semaphore((mach_port_name_t)args->name);
	kern_return_t kr;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	kr = semaphore_signal_all(sem);
	semaphore_dereference(sem);
	return kr;
}

kern_return_t
semaphore_signal_thread_trap(struct semaphore_signal_thread_trap_args *args)
{
	semaphore_t sem = port_name_to_semaphore((mach_port_name_t)args->name);
	mach_port_name_t tname = (mach_port_name_t)args->thread_name;
	thread_t thread = THREAD_NULL;
	kern_return_t kr;

	if (sem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	if (tname != MACH_PORT_NULL) {
		thread = port_name_to_thread(tname);
		if (thread == THREAD_NULL) {
			semaphore_dereference(sem);
			return KERN_INVALID_ARGUMENT;
		}
	}
	kr = semaphore_signal_thread(sem, thread);
	if (thread != THREAD_NULL)
		thread_deallocate(thread);
	semaphore_dereference(sem);
	return kr;
}

/* Signal signal_name (if given), then wait on wait_name until deadline (0: for ever). */
static kern_return_t
wait_signal(mach_port_name_t wait_name, mach_port_name_t signal_name, uint64_t deadline)
{
	semaphore_t wsem = port_name_to_semaphore(wait_name), ssem = SEMAPHORE_NULL;
	kern_return_t kr;

	if (wsem == SEMAPHORE_NULL)
		return KERN_INVALID_ARGUMENT;
	if (signal_name != MACH_PORT_NULL) {
		ssem = port_name_to_semaphore(signal_name);
		if (ssem == SEMAPHORE_NULL) {
			semaphore_dereference(wsem);
			return KERN_INVALID_ARGUMENT;
		}
		kr = semaphore_signal(ssem);
		semaphore_dereference(ssem);
		if (kr != KERN_SUCCESS) {
			semaphore_dereference(wsem);
			return kr;
		}
	}
	kr = semaphore_wait_deadline(wsem, deadline);
	semaphore_dereference(wsem);
	return kr;
}

static kern_return_t
timeout_deadline(uint64_t sec, uint64_t nsec, uint64_t *deadline)
{
	uint64_t abs;

	if (nsec >= 1000000000u || sec > 0xffffffffu)
		return KERN_INVALID_VALUE;
	nanoseconds_to_absolutetime(sec * 1000000000u + nsec, &abs);
	/* A zero timeout polls: a deadline already past. */
	*deadline = mach_absolute_time() + abs;
	if (*deadline == TIMEOUT_WAIT_FOREVER)
		*deadline = 1;
	return KERN_SUCCESS;
}

kern_return_t
semaphore_wait_trap(struct semaphore_signal_trap_args *args)
{
	return wait_signal((mach_port_name_t)args->name, MACH_PORT_NULL, TIMEOUT_WAIT_FOREVER);
}

kern_return_t
semaphore_wait_signal_trap(struct semaphore_wait_signal_trap_args *args)
{
	return wait_signal((mach_port_name_t)args->wait_name, (mach_port_name_t)args->signal_name,
	    TIMEOUT_WAIT_FOREVER);
}

kern_return_t
semaphore_timedwait_trap(struct semaphore_timedwait_trap_args *args)
{
	uint64_t deadline;
	kern_return_t kr = timeout_deadline(args->sec, args->nsec, &deadline);

	if (kr != KERN_SUCCESS)
		return kr;
	return wait_signal((mach_port_name_t)args->name, MACH_PORT_NULL, deadline);
}

kern_return_t
semaphore_timedwait_signal_trap(struct semaphore_timedwait_signal_trap_args *args)
{
	uint64_t deadline;
	kern_return_t kr = timeout_deadline(args->sec, args->nsec, &deadline);

	if (kr != KERN_SUCCESS)
		return kr;
	return wait_signal((mach_port_name_t)args->wait_name, (mach_port_name_t)args->signal_name,
	    deadline);
}
