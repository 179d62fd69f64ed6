/*
 * thread.c - creating, naming, counting and ending threads.
 *
 * A thread's life: kernel_thread_start_priority allocates the structure and
 * a guarded kernel stack and makes it runnable; it starts in
 * thread_continue_new (sched_prim.c), calls its continuation, and ends in
 * thread_terminate_self. The thread it switches to hands it to the
 * terminate daemon, which frees the stack and drops the thread's own
 * reference; the structure goes when the last reference does.
 *
 * A user thread (thread_create) is the same with a user task, a user state
 * and FPU area (machine_thread_create), and thread_bootstrap_return as its
 * continuation. Another thread ends it with thread_terminate: AST_APC in
 * th_ast, acted on by ast_taken_user when the thread next returns to user
 * mode, where it calls thread_terminate_self like any other thread.
 */

#include "mach/kern/thread.h"

#include "kernel/kheap.h"
#include "kernel/machine_routines.h"
#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_tt.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/sched_prim_internal.h"
#include "mach/kern/stack.h"
#include "mach/kern/syscall_subr.h"
#include "mach/kern/task.h"
#include "mach/kern/wait_queue.h"
#include "mach/vm/vm_map.h"
#if KSANCOV
#include "san/ksancov.h"
#endif

extern char boot_stack_bottom[];

static struct {
	struct thread_queue	terminate_queue;	/* [S] */
	uint64_t		next_id;		/* [a] */
	thread_t		daemon;
} threads;

static struct thread thread0;

/* What the BSD layer asks to be told (thread_set_bsd_hooks). [I] at BSD start-up. */
static struct {
	void	(*uthread_free)(thread_t thread);
	void	(*bsd_ast)(thread_t thread, boolean_t exiting);
	void	(*task_exit)(task_t task);
} bsd_hooks;

void
thread_reference(thread_t thread)
{
	__atomic_add_fetch(&thread->ref_count, 1, __ATOMIC_RELAXED);
}

void
thread_deallocate(thread_t thread)
{
	/* THREAD_NULL: what a thread port's conversion gives for another port. */
	if (thread == THREAD_NULL ||
	    __atomic_sub_fetch(&thread->ref_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* Invariant: the thread's own reference goes last, in the daemon. */
	if (thread->kernel_stack != 0 || thread == &thread0)
		panic("thread_deallocate: thread %p (%s) freed while alive", thread,
		    thread->th_name);
	if (thread->uthread != NULL && bsd_hooks.uthread_free != NULL)
		bsd_hooks.uthread_free(thread);
	if (thread->ith_self != NULL)
		ipc_thread_free(thread);
	kheap_free(&kernel_heap, thread);
}

void
thread_set_bsd_hooks(void (*uthread_free)(thread_t thread))
{
	bsd_hooks.uthread_free = uthread_free;
}

void
thread_set_bsd_ast(void (*bsd_ast)(thread_t thread, boolean_t exiting))
{
	bsd_hooks.bsd_ast = bsd_ast;
}

void
thread_bsd_ast(thread_t thread, boolean_t exiting)
{
	if (thread->uthread != NULL && bsd_hooks.bsd_ast != NULL)
		bsd_hooks.bsd_ast(thread, exiting);
}

void
act_set_astbsd(thread_t thread)
{
	boolean_t s = sched_lock();

	__atomic_fetch_or(&thread->th_ast, AST_BSD, __ATOMIC_ACQ_REL);
	if (thread->state & TH_WAIT) {
		(void)clear_wait_locked(thread, THREAD_INTERRUPTED);	/* if it may */
	} else if (thread->th_running && thread != current_thread()) {
		/* Perhaps in user mode on another CPU: make it look. */
		machine_signal_processor(thread->last_processor->cpu_id);
	}
	sched_unlock(s);
}

void
act_clear_astbsd(thread_t thread)
{
	__atomic_fetch_and(&thread->th_ast, ~AST_BSD, __ATOMIC_ACQ_REL);
}

void
thread_set_bsd_exit_hook(void (*task_exit)(task_t task))
{
	bsd_hooks.task_exit = task_exit;
}

void
thread_set_name(thread_t thread, const char *name)
{
	boolean_t s = sched_lock();

	strlcpy(thread->th_name, name, sizeof(thread->th_name));
	sched_unlock(s);
}

void
thread_bootstrap(void)
{
	processor_t processor = current_processor();
	thread_t t = &thread0;
	boolean_t s;

	t->state = TH_RUN;
	t->th_running = TRUE;
	t->task = kernel_task;
	t->map = kernel_map;
	t->ref_count = 1;
	t->kernel_stack = (vm_offset_t)boot_stack_bottom;
	t->kernel_stack_size = KERNEL_STACK_SIZE;
	t->last_processor = processor;
	strlcpy(t->th_name, "kernel_bootstrap", sizeof(t->th_name));
	sched_thread_init(t, BASEPRI_KERNEL);
	threads.next_id = 1;
	TAILQ_INIT(&threads.terminate_queue);
	(void)task_add_thread(kernel_task, t);

	s = sched_lock();
	sched_thread_list_add_locked(t);
	processor->active_thread = t;
	processor->current_pri = t->sched_pri;
	machine_set_current_thread(t);
	sched_unlock(s);
}

/* A zeroed thread with a guarded kernel stack, or NULL if memory ran out. */
static thread_t
thread_alloc(void)
{
	thread_t t = kheap_alloc(&kernel_heap, sizeof(*t));
	vm_offset_t stack;

	if (t == NULL)
		return NULL;
	memset(t, 0, sizeof(*t));
	if (stack_alloc(&stack) != KERN_SUCCESS) {
		kheap_free(&kernel_heap, t);
		return NULL;
	}
	t->kernel_stack = stack;
	t->kernel_stack_size = KERNEL_STACK_SIZE;
	t->stack_owned = TRUE;
	return t;
}

/* Undo thread_alloc (and machine_thread_create) for a thread that never ran. */
static void
thread_free_unborn(thread_t t)
{
	machine_thread_destroy(t);
	stack_free(t->kernel_stack);
	kheap_free(&kernel_heap, t);
}

/*
 * A new thread of task, starting in continuation(parameter) at pri; a user
 * thread (task not kernel_task) with its user state and FPU area. Made
 * runnable at once if start, else left suspended (TH_SUSP); idle makes it
 * that processor's idle thread. *out gets the creator's reference.
 */
static kern_return_t
thread_create_internal(task_t task, thread_continue_t continuation, void *parameter,
    int pri, processor_t idle, boolean_t start, thread_t *out)
{
	thread_t t;
	kern_return_t kr;
	boolean_t s;

	if (invalid_pri(pri))
		return KERN_INVALID_ARGUMENT;
	if ((t = thread_alloc()) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	t->continuation = continuation;
	t->parameter = parameter;
	t->task = task;
	t->map = task->map;
	t->ref_count = 2;		/* its own, and the creator's */
	t->thread_id = __atomic_fetch_add(&threads.next_id, 1, __ATOMIC_RELAXED);
	if (idle != PROCESSOR_NULL)
		t->state = TH_RUN | TH_IDLE;
	else
		t->state = start ? TH_RUN : TH_SUSP;	/* thread_start makes it runnable */
	sched_thread_init(t, pri);
	if (idle != PROCESSOR_NULL) {
		t->bound_processor = idle;
		strlcpy(t->th_name, "idle", sizeof(t->th_name));
	}
	machine_thread_init_stack(t, t->kernel_stack + KERNEL_STACK_SIZE);
	if (task != kernel_task && machine_thread_create(t, task) != KERN_SUCCESS) {
		thread_free_unborn(t);
		return KERN_RESOURCE_SHORTAGE;
	}
	s = sched_lock();
	sched_thread_list_add_locked(t);
	sched_unlock(s);
	task_reference(task);		/* dropped when the thread is reaped */
	/* From here task_terminate can find it (and start it, to end it). */
	if ((kr = task_add_thread(task, t)) != KERN_SUCCESS) {
		s = sched_lock();
		sched_thread_list_remove_locked(t);
		sched_unlock(s);
		task_deallocate(task);
		thread_free_unborn(t);
		return kr;
	}
	if (start && idle == PROCESSOR_NULL) {
		s = sched_lock();
		thread_setrun_locked(t);
		sched_unlock(s);
	}
	*out = t;
	return KERN_SUCCESS;
}

kern_return_t
kernel_thread_create(thread_continue_t continuation, void *parameter, int pri,
    thread_t *new_thread)
{
	return thread_create_internal(kernel_task, continuation, parameter, pri,
	    PROCESSOR_NULL, FALSE, new_thread);
}

/* Make a thread that was created suspended runnable. Locks: [S]. */
static kern_return_t
thread_start_locked(thread_t thread)
{
	if (thread->state != TH_SUSP || thread->th_running || thread->runq != PROCESSOR_NULL)
		return KERN_FAILURE;
	thread->state = TH_RUN;
	thread_setrun_locked(thread);
	return KERN_SUCCESS;
}

void
thread_start(thread_t thread)
{
	boolean_t s = sched_lock();

	if (thread_start_locked(thread) != KERN_SUCCESS)
		panic("thread_start: thread %p was already started", thread);
	sched_unlock(s);
}

kern_return_t
thread_create(task_t task, thread_t *new_thread)
{
	kern_return_t kr;

	if (task == TASK_NULL || task == kernel_task || new_thread == NULL)
		return KERN_INVALID_ARGUMENT;
	kr = thread_create_internal(task, thread_bootstrap_return, NULL, BASEPRI_DEFAULT,
	    PROCESSOR_NULL, FALSE, new_thread);
	if (kr == KERN_SUCCESS)
		(*new_thread)->user_stop_count = 1;	/* until thread_resume */
	return kr;
}

kern_return_t
thread_resume(thread_t thread)
{
	kern_return_t kr = KERN_SUCCESS;
	boolean_t s;

	if (thread == THREAD_NULL || thread->task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	s = sched_lock();
	if (thread->state & TH_TERMINATE ||
	    (__atomic_load_n(&thread->th_ast, __ATOMIC_ACQUIRE) & AST_APC)) {
		kr = KERN_TERMINATED;
	} else if (thread->user_stop_count == 0) {
		kr = KERN_FAILURE;
	} else if (--thread->user_stop_count == 0) {
		if (thread->state == TH_SUSP)
			kr = thread_start_locked(thread);	/* its first run */
		else
			(void)wait_queue_wakeup_all_locked(
			    wait_queue_for_event(&thread->user_stop_count),
			    &thread->user_stop_count, THREAD_AWAKENED);
	}
	sched_unlock(s);
	return kr;
}

void
thread_bootstrap_return(void *parameter, wait_result_t result)
{
	(void)parameter;
	(void)result;
	thread_exception_return();
}

kern_return_t
kernel_thread_start_priority(thread_continue_t continuation, void *parameter, int pri,
    thread_t *new_thread)
{
	return thread_create_internal(kernel_task, continuation, parameter, pri,
	    PROCESSOR_NULL, TRUE, new_thread);
}

kern_return_t
kernel_thread_start(thread_continue_t continuation, void *parameter, thread_t *new_thread)
{
	return kernel_thread_start_priority(continuation, parameter, BASEPRI_KERNEL,
	    new_thread);
}

kern_return_t
kernel_thread_create_idle(processor_t processor, thread_t *new_thread)
{
	kern_return_t kr = thread_create_internal(kernel_task, idle_thread_main, processor,
	    IDLEPRI, processor, TRUE, new_thread);

	if (kr == KERN_SUCCESS)
		thread_deallocate(*new_thread);	/* the processor keeps it for good */
	return kr;
}

void
thread_terminate_self(void)
{
	thread_t self = current_thread();
	boolean_t s;

	if (self == &thread0 || (self->state & TH_IDLE))
		panic("thread_terminate_self: %s cannot end", self->th_name);
	(void)thread_depress_abort(self);	/* no timer may outlive it */
#if KSANCOV
	ksancov_thread_exit(self);		/* before exit's code, which it would record */
#endif
	/*
	 * The last user thread of a task to end tells the BSD layer, which
	 * turns the process into a zombie (XNU's proc_exit), still in this
	 * thread's context, interrupts on, before it stops for good.
	 */
	if (self->task != kernel_task && task_thread_ending(self->task) &&
	    bsd_hooks.task_exit != NULL && self->task->bsd_info != NULL)
		bsd_hooks.task_exit(self->task);
	s = sched_lock();
	self->state = TH_TERMINATE;
	sched_unlock(s);
	thread_block(THREAD_CONTINUE_NULL);
	panic("thread_terminate_self: %s ran after it ended", self->th_name);
}

kern_return_t
thread_terminate_internal(thread_t thread)
{
	boolean_t s = sched_lock();
	kern_return_t kr = KERN_SUCCESS;

	if (__atomic_fetch_or(&thread->th_ast, AST_APC, __ATOMIC_ACQ_REL) & AST_APC) {
		kr = KERN_TERMINATED;
	} else if (thread->state == TH_SUSP) {
		/* Never ran: let it run, straight into its end. */
		thread->user_stop_count = 0;
		(void)thread_start_locked(thread);
	} else if (thread->state & TH_WAIT) {
		(void)clear_wait_locked(thread, THREAD_INTERRUPTED);	/* if it may */
	} else if (thread->th_running && thread != current_thread()) {
		/* Perhaps in user mode on another CPU: make it look. */
		machine_signal_processor(thread->last_processor->cpu_id);
	}
	sched_unlock(s);
	return kr;
}

kern_return_t
thread_terminate(thread_t thread)
{
	if (thread == THREAD_NULL)
		return KERN_INVALID_ARGUMENT;
	if (thread->task == kernel_task) {
		if (thread != current_thread())
			return KERN_FAILURE;
		thread_terminate_self();
	}
	return thread_terminate_internal(thread);
}

void
thread_terminate_enqueue_locked(thread_t thread)
{
	TAILQ_INSERT_TAIL(&threads.terminate_queue, thread, th_link);
	(void)wait_queue_wakeup_all_locked(wait_queue_for_event(&threads.terminate_queue),
	    &threads.terminate_queue, THREAD_AWAKENED);
}

/* Free what ended threads leave behind, on a thread that can afford to. */
static void
thread_terminate_daemon(void *parameter, wait_result_t result)
{
	(void)parameter;
	(void)result;
	for (;;) {
		boolean_t s = sched_lock();
		thread_t t;

		while ((t = TAILQ_FIRST(&threads.terminate_queue)) != THREAD_NULL) {
			TAILQ_REMOVE(&threads.terminate_queue, t, th_link);
			sched_thread_list_remove_locked(t);
			sched_unlock(s);

			task_t task = t->task;
			boolean_t last;

			machine_thread_destroy(t);
			stack_free(t->kernel_stack);
			t->kernel_stack = 0;
			__atomic_store_n(&t->th_ended, TRUE, __ATOMIC_RELEASE);
			thread_wakeup(&t->th_ended);
			last = task_remove_thread(task, t);
			thread_deallocate(t);		/* its own reference */
			task_deallocate(task);		/* the thread's reference */
			/*
			 * Whoever waits for the task's threads to be gone holds a
			 * reference on it, and now finds everything given back.
			 */
			if (last)
				thread_wakeup(&task->threads);
			s = sched_lock();
		}
		(void)wait_queue_assert_wait_locked(wait_queue_for_event(&threads.terminate_queue),
		    &threads.terminate_queue, THREAD_UNINT, TIMEOUT_WAIT_FOREVER);
		sched_unlock(s);
		thread_block(THREAD_CONTINUE_NULL);
	}
}

void
thread_wait_terminated(thread_t thread)
{
	assert(thread != current_thread());
	while (!__atomic_load_n(&thread->th_ended, __ATOMIC_ACQUIRE)) {
		assert_wait(&thread->th_ended, THREAD_UNINT);
		/* Ended between the test and the wait: nobody will wake us. */
		if (__atomic_load_n(&thread->th_ended, __ATOMIC_ACQUIRE)) {
			clear_wait(current_thread(), THREAD_AWAKENED);
			break;
		}
		thread_block(THREAD_CONTINUE_NULL);
	}
}

void
thread_init(void)
{
	if (kernel_thread_start_priority(thread_terminate_daemon, NULL, MINPRI_KERNEL,
	    &threads.daemon) != KERN_SUCCESS)
		panic("thread_init: no memory for the terminate daemon");
	thread_set_name(threads.daemon, "thread_terminate_daemon");
}
