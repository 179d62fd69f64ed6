/*
 * task.c - tasks: kernel_task, creating user tasks, and the thread lists.
 */

#include "mach/kern/task.h"

#include "kernel/kheap.h"
#include "kernel/machine/vm_param.h"
#include "kernel/machine_routines.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_tt.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/sync_sema.h"
#include "mach/kern/thread_act.h"
#include "mach/task_info.h"
#include "mach/kern/clock.h"
#include "mach/kern/sched_prim.h"
#include "mach/vm/vm_map.h"

static struct task kernel_task_store;
task_t kernel_task __hot_data;

boolean_t
task_lock(task_t task)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&task->lock);
	return s;
}

void
task_unlock(task_t task, boolean_t s)
{
	hw_lock_unlock(&task->lock);
	ml_set_interrupts_enabled(s);
}

void
task_bootstrap(void)
{
	kernel_task = &kernel_task_store;
	hw_lock_init(&kernel_task->lock);
	strlcpy(kernel_task->name, "kernel_task", sizeof(kernel_task->name));
	TAILQ_INIT(&kernel_task->threads);
	TAILQ_INIT(&kernel_task->semaphore_list);
	kernel_task->ref_count = 1;
	kernel_task->map = kernel_map;
	kernel_task->active = TRUE;
	kernel_task->bsd_exit_status = -1;
	kernel_task->sec_token = (security_token_t)KERNEL_SECURITY_TOKEN_VALUE;
	kernel_task->audit_token = (audit_token_t)KERNEL_AUDIT_TOKEN_VALUE;
}

/*
 * The tokens as a sequence lock: the writer makes token_seq odd, writes,
 * and makes it even again; a reader copies between two reads of an even
 * token_seq that agree. Word by word, so that no access tears.
 */
#define TOKEN_WORDS(t)	(sizeof(t) / sizeof(uint32_t))

static void
token_copy(uint32_t *dst, const uint32_t *src, size_t words)
{
	for (size_t i = 0; i < words; i++)
		__atomic_store_n(&dst[i], __atomic_load_n(&src[i], __ATOMIC_RELAXED),
		    __ATOMIC_RELAXED);
}

void
task_set_tokens(task_t task, const security_token_t *sec, const audit_token_t *audit)
{
	boolean_t s = task_lock(task);
	uint32_t seq = task->token_seq;

	__atomic_store_n(&task->token_seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	token_copy(task->sec_token.val, sec->val, TOKEN_WORDS(*sec));
	token_copy(task->audit_token.val, audit->val, TOKEN_WORDS(*audit));
	__atomic_store_n(&task->token_seq, seq + 2, __ATOMIC_RELEASE);
	task_unlock(task, s);
}

void
task_get_tokens(task_t task, security_token_t *sec, audit_token_t *audit)
{
	for (;;) {
		uint32_t seq = __atomic_load_n(&task->token_seq, __ATOMIC_ACQUIRE);

		if (seq & 1) {
			ml_cpu_pause();
			continue;
		}
		token_copy(sec->val, task->sec_token.val, TOKEN_WORDS(*sec));
		token_copy(audit->val, task->audit_token.val, TOKEN_WORDS(*audit));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&task->token_seq, __ATOMIC_RELAXED) == seq)
			return;
	}
}

task_t
(current_task)(void)
{
	return current_task_fast();
}

void
task_reference(task_t task)
{
	__atomic_add_fetch(&task->ref_count, 1, __ATOMIC_RELAXED);
}

/* User tasks not yet freed (task_count). [a] */
static uint32_t tasks_alive;

unsigned
task_count(void)
{
	return __atomic_load_n(&tasks_alive, __ATOMIC_RELAXED);
}

kern_return_t
task_create_internal(task_t parent_task, boolean_t inherit_memory, task_t *child_task)
{
	task_t task;

	if (parent_task == TASK_NULL || child_task == NULL)
		return KERN_INVALID_ARGUMENT;
	task = kheap_alloc(&kernel_heap, sizeof(*task));
	if (task == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(task, 0, sizeof(*task));
	if (inherit_memory && parent_task != kernel_task) {
		task->map = vm_map_fork(parent_task->map);
	} else {
		pmap_t pmap = pmap_create();

		if (pmap != PMAP_NULL) {
			task->map = vm_map_create(pmap, MACH_VM_MIN_ADDRESS,
			    MACH_VM_MAX_ADDRESS, TRUE);
			if (task->map == VM_MAP_NULL)
				pmap_destroy(pmap);
		}
	}
	if (task->map == VM_MAP_NULL) {
		kheap_free(&kernel_heap, task);
		return KERN_RESOURCE_SHORTAGE;
	}
	hw_lock_init(&task->lock);
	TAILQ_INIT(&task->semaphore_list);
	strlcpy(task->name, parent_task == kernel_task ? "task" : parent_task->name,
	    sizeof(task->name));
	TAILQ_INIT(&task->threads);
	task->ref_count = 1;
	task->active = TRUE;
	task->bsd_exit_status = -1;
	task_get_tokens(parent_task, &task->sec_token, &task->audit_token);
	if (ipc_task_init(task, parent_task) != KERN_SUCCESS) {
		vm_map_deallocate(task->map);
		kheap_free(&kernel_heap, task);
		return KERN_RESOURCE_SHORTAGE;
	}
	__atomic_add_fetch(&tasks_alive, 1, __ATOMIC_RELAXED);
	*child_task = task;
	return KERN_SUCCESS;
}

kern_return_t
task_create(task_t parent_task, boolean_t inherit_memory, task_t *child_task)
{
	return task_create_internal(parent_task, inherit_memory, child_task);
}

void
task_set_name(task_t task, const char *name)
{
	boolean_t s = task_lock(task);

	strlcpy(task->name, name, sizeof(task->name));
	task_unlock(task, s);
}

void
task_deallocate(task_t task)
{
	if (task == TASK_NULL ||
	    __atomic_sub_fetch(&task->ref_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (task == kernel_task)
		panic("task_deallocate: kernel_task lost its last reference");
	if (task->thread_count != 0)
		panic("task_deallocate: task %p (%s) freed with %u threads", task,
		    task->name, task->thread_count);
	ipc_task_free(task);
	semaphore_destroy_all(task);
	vm_map_deallocate(task->map);
	kheap_free(&kernel_heap, task);
	__atomic_sub_fetch(&tasks_alive, 1, __ATOMIC_RELAXED);
}

kern_return_t
task_add_thread(task_t task, thread_t thread)
{
	boolean_t s = task_lock(task);

	if (!task->active) {
		task_unlock(task, s);
		return KERN_FAILURE;
	}
	TAILQ_INSERT_TAIL(&task->threads, thread, task_threads);
	task->thread_count++;
	task->active_thread_count++;
	task_unlock(task, s);
	return KERN_SUCCESS;
}

boolean_t
task_remove_thread(task_t task, thread_t thread)
{
	boolean_t s = task_lock(task);

	boolean_t empty;

	TAILQ_REMOVE(&task->threads, thread, task_threads);
	task->thread_count--;
	task->total_run_time += thread->run_time;
	empty = task->thread_count == 0;
	task_unlock(task, s);
	return empty;
}

boolean_t
task_thread_ending(task_t task)
{
	boolean_t s = task_lock(task), last;

	last = --task->active_thread_count == 0;
	task_unlock(task, s);
	return last;
}

vm_map_t
task_swap_map(task_t task, vm_map_t new_map)
{
	thread_t self = current_thread();
	boolean_t s = task_lock(task);
	vm_map_t old = task->map;

	task->map = new_map;
	task_unlock(task, s);
	if (self->task == task) {
		s = ml_set_interrupts_enabled(FALSE);
		self->map = new_map;
		pmap_switch(vm_map_pmap(new_map));
		(void)ml_set_interrupts_enabled(s);
	}
	return old;
}

kern_return_t
task_wait_threads_gone(task_t task, uint64_t timeout_ns)
{
	uint64_t deadline = timeout_ns == 0 ? 0 : mach_absolute_time() + timeout_ns;

	for (;;) {
		boolean_t s = task_lock(task);
		wait_result_t wr;

		if (task->thread_count == 0) {
			task_unlock(task, s);
			return KERN_SUCCESS;
		}
		/* Asserted under the task lock: the last thread's wakeup cannot be missed. */
		(void)assert_wait_deadline(&task->threads, THREAD_UNINT, deadline);
		task_unlock(task, s);
		wr = thread_block(THREAD_CONTINUE_NULL);
		if (wr == THREAD_TIMED_OUT && task->thread_count != 0)
			return KERN_OPERATION_TIMED_OUT;
	}
}

kern_return_t
task_terminate_internal(task_t task)
{
	boolean_t s;
	thread_t thread;

	if (task == TASK_NULL || task == kernel_task)
		return KERN_FAILURE;
	s = task_lock(task);
	if (!task->active) {
		task_unlock(task, s);
		return KERN_FAILURE;
	}
	task->active = FALSE;		/* no new threads from here on */
	/* Lock order: the task lock, then the scheduler lock (inside). */
	TAILQ_FOREACH(thread, &task->threads, task_threads)
		(void)thread_terminate_internal(thread);
	task_unlock(task, s);
	/* Its rights go now: receive rights die, and whoever asked hears of it. */
	ipc_task_terminate(task);
	semaphore_destroy_all(task);
	return KERN_SUCCESS;
}

/* --- the task interface (mach/task.defs) ------------------------------ */

kern_return_t
task_terminate(task_t task)
{
	if (task == TASK_NULL || task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	return task_terminate_internal(task) == KERN_SUCCESS ? KERN_SUCCESS : KERN_TERMINATED;
}

/*
 * References on every thread of task, in a kalloc'd array of *countp
 * (*roomp elements allocated, 0 and NULL when none). Never with a lock held.
 */
static kern_return_t
task_thread_refs(task_t task, thread_t **threadsp, unsigned *countp, unsigned *roomp)
{
	thread_t *threads = NULL;
	unsigned room = 0, n;
	thread_t t;
	boolean_t s;

	for (;;) {
		s = task_lock(task);
		n = task->thread_count;
		if (n <= room) {
			unsigned i = 0;

			TAILQ_FOREACH(t, &task->threads, task_threads) {
				thread_reference(t);
				threads[i++] = t;
			}
			task_unlock(task, s);
			*threadsp = threads;
			*countp = n;
			*roomp = room;
			return KERN_SUCCESS;
		}
		task_unlock(task, s);
		if (threads != NULL)
			kfree(threads, room * sizeof(*threads));
		room = n + 4;
		threads = kalloc(room * sizeof(*threads));
		if (threads == NULL)
			return KERN_RESOURCE_SHORTAGE;
	}
}

kern_return_t
task_threads(task_t task, thread_act_array_t *threadsp, mach_msg_type_number_t *countp)
{
	thread_t *threads;
	ipc_port_t *ports;
	unsigned n, room;
	kern_return_t kr;

	if (task == TASK_NULL)
		return KERN_INVALID_ARGUMENT;
	if (!task->active)
		return KERN_FAILURE;
	kr = task_thread_refs(task, &threads, &n, &room);
	if (kr != KERN_SUCCESS)
		return kr;
	*threadsp = NULL;
	*countp = 0;
	if (n == 0) {
		if (threads != NULL)
			kfree(threads, room * sizeof(*threads));
		return KERN_SUCCESS;
	}
	/* Each reference becomes a send right to the thread's port. */
	ports = kalloc(n * sizeof(*ports));
	if (ports == NULL) {
		for (unsigned i = 0; i < n; i++)
			thread_deallocate(threads[i]);
		kfree(threads, room * sizeof(*threads));
		return KERN_RESOURCE_SHORTAGE;
	}
	for (unsigned i = 0; i < n; i++)
		ports[i] = convert_thread_to_port(threads[i]);
	kfree(threads, room * sizeof(*threads));
	*threadsp = (thread_act_array_t)(void *)ports;
	*countp = n;
	return KERN_SUCCESS;
}

static time_value_t
ns_to_time_value(uint64_t ns)
{
	time_value_t tv = {
		.seconds = (integer_t)(ns / 1000000000u),
		.microseconds = (integer_t)((ns % 1000000000u) / 1000u),
	};

	return tv;
}

kern_return_t
task_info(task_t task, task_flavor_t flavor, task_info_t info, mach_msg_type_number_t *countp)
{
	uint64_t ended_ns, live_ns = 0;
	thread_t t;
	boolean_t s;

	if (task == TASK_NULL)
		return KERN_INVALID_ARGUMENT;
	s = task_lock(task);
	ended_ns = task->total_run_time;
	TAILQ_FOREACH(t, &task->threads, task_threads)
		live_ns += t->run_time;
	task_unlock(task, s);

	switch (flavor) {
	case MACH_TASK_BASIC_INFO: {
		mach_task_basic_info_data_t bi;

		if (*countp < MACH_TASK_BASIC_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		memset(&bi, 0, sizeof(bi));
		bi.virtual_size = task->map->size;
		bi.resident_size = pmap_resident_count(vm_map_pmap(task->map)) * PAGE_SIZE;
		bi.resident_size_max = bi.resident_size;
		bi.user_time = ns_to_time_value(ended_ns);
		bi.policy = POLICY_TIMESHARE;
		bi.suspend_count = task->user_stop_count;
		memcpy(info, &bi, sizeof(bi));
		*countp = MACH_TASK_BASIC_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case TASK_BASIC_INFO_64: {
		task_basic_info_64_data_t bi;

		if (*countp < TASK_BASIC_INFO_64_COUNT)
			return KERN_INVALID_ARGUMENT;
		memset(&bi, 0, sizeof(bi));
		bi.virtual_size = task->map->size;
		bi.resident_size = pmap_resident_count(vm_map_pmap(task->map)) * PAGE_SIZE;
		bi.user_time = ns_to_time_value(ended_ns);
		bi.policy = POLICY_TIMESHARE;
		bi.suspend_count = task->user_stop_count;
		memcpy(info, &bi, sizeof(bi));
		*countp = TASK_BASIC_INFO_64_COUNT;
		return KERN_SUCCESS;
	}
	case TASK_THREAD_TIMES_INFO: {
		task_thread_times_info_data_t ti;

		if (*countp < TASK_THREAD_TIMES_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		memset(&ti, 0, sizeof(ti));
		ti.user_time = ns_to_time_value(live_ns);
		memcpy(info, &ti, sizeof(ti));
		*countp = TASK_THREAD_TIMES_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case TASK_AUDIT_TOKEN: {
		mach_msg_max_trailer_t t0;

		if (*countp < TASK_AUDIT_TOKEN_COUNT)
			return KERN_INVALID_ARGUMENT;
		task_get_tokens(task, &t0.msgh_sender, &t0.msgh_audit);
		memcpy(info, &t0.msgh_audit, sizeof(t0.msgh_audit));
		*countp = TASK_AUDIT_TOKEN_COUNT;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/*
 * task_suspend, task_resume: the task's own suspend count; the first
 * suspension suspends every thread it has (thread_suspend: each stops at
 * its next return to user mode), the last resumption resumes them. A
 * thread made while the task is suspended is not held (XNU holds those
 * too), and the threads' own counts are the same ones thread_suspend and
 * thread_resume change.
 */
static kern_return_t
task_hold_threads(task_t task, boolean_t hold)
{
	thread_t *threads;
	unsigned n, room;
	kern_return_t kr;

	kr = task_thread_refs(task, &threads, &n, &room);
	if (kr != KERN_SUCCESS)
		return kr;
	for (unsigned i = 0; i < n; i++) {
		(void)(hold ? thread_suspend(threads[i]) : thread_resume(threads[i]));
		thread_deallocate(threads[i]);
	}
	if (threads != NULL)
		kfree(threads, room * sizeof(*threads));
	return KERN_SUCCESS;
}

kern_return_t
task_suspend(task_t task)
{
	boolean_t s, first;

	if (task == TASK_NULL || task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	s = task_lock(task);
	if (!task->active) {
		task_unlock(task, s);
		return KERN_FAILURE;
	}
	first = task->user_stop_count++ == 0;
	task_unlock(task, s);
	return first ? task_hold_threads(task, TRUE) : KERN_SUCCESS;
}

kern_return_t
task_resume(task_t task)
{
	boolean_t s, last;

	if (task == TASK_NULL || task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	s = task_lock(task);
	if (task->user_stop_count == 0) {
		task_unlock(task, s);
		return KERN_FAILURE;
	}
	last = --task->user_stop_count == 0;
	task_unlock(task, s);
	return last ? task_hold_threads(task, FALSE) : KERN_SUCCESS;
}

kern_return_t
task_policy_set(task_t task, task_policy_flavor_t flavor, task_policy_t info,
    mach_msg_type_number_t count)
{
	task_category_policy_data_t cat;
	boolean_t s;

	if (task == TASK_NULL || flavor != TASK_CATEGORY_POLICY)
		return KERN_INVALID_ARGUMENT;
	if (count < TASK_CATEGORY_POLICY_COUNT)
		return KERN_INVALID_ARGUMENT;
	memcpy(&cat, info, sizeof(cat));
	if (cat.role < TASK_RENICED || cat.role > TASK_DEFAULT_APPLICATION)
		return KERN_INVALID_ARGUMENT;
	s = task_lock(task);
	task->role = cat.role;
	task->role_set = TRUE;
	task_unlock(task, s);
	return KERN_SUCCESS;
}

kern_return_t
task_policy_get(task_t task, task_policy_flavor_t flavor, task_policy_t info,
    mach_msg_type_number_t *countp, boolean_t *get_default)
{
	task_category_policy_data_t cat;
	boolean_t s;

	if (task == TASK_NULL || flavor != TASK_CATEGORY_POLICY)
		return KERN_INVALID_ARGUMENT;
	if (*countp < TASK_CATEGORY_POLICY_COUNT)
		return KERN_INVALID_ARGUMENT;
	s = task_lock(task);
	cat.role = (*get_default || !task->role_set) ? TASK_UNSPECIFIED : task->role;
	*get_default = !task->role_set;
	task_unlock(task, s);
	memcpy(info, &cat, sizeof(cat));
	*countp = TASK_CATEGORY_POLICY_COUNT;
	return KERN_SUCCESS;
}
