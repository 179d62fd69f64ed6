/*
 * kern_fork.c - new processes: fork, vfork and clone (the fork-style
 * uses of it: what C libraries' fork, posix_spawn and system make).
 *
 * A child is a new Mach task with a new process (proc_create) and one
 * thread, the copy of the calling thread:
 *
 *   memory	the parent's map copied by inheritance (task_create_internal
 *		with inherit_memory: copy-on-write), or, for CLONE_VM (with
 *		CLONE_VFORK), the parent's very map, shared until the child
 *		execs or exits;
 *   files	the descriptor table copied (fdcopy: the same fileglobs, the
 *		same close-on-exec flags), the current and root directories;
 *   identity	the parent's credential (a reference), process group and
 *		session, limits, name;
 *   signals	the actions (sigacts_fork), the calling thread's mask; none
 *		pending;
 *   heap	the break (brk), as the map holds it;
 *   registers	the calling thread's user state and FPU, thread pointer
 *		(machine_thread_dup); the child returns 0 from the call.
 *
 * A vfork parent (vfork, CLONE_VFORK) sleeps until the child execs or
 * exits (P_LPPWAIT on the child, cleared by exec and proc_exit).
 *
 * Locks: none held on entry; proc_create and fdcopy take what they need.
 */

#include "bsd/sys/sysproto.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/signal.h"
#include "bsd/sys/signalvar.h"
#include "bsd/sys/user.h"
#include "kernel/copyio.h"
#include "kernel/machine/thread.h"
#include "kernel/machine/vm_param.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_map.h"

/* clone's flags (Linux's values). */
#define CSIGNAL			0x000000ffUL	/* the exit signal */
#define CLONE_VM		0x00000100UL
#define CLONE_FS		0x00000200UL
#define CLONE_FILES		0x00000400UL
#define CLONE_SIGHAND		0x00000800UL
#define CLONE_PIDFD		0x00001000UL
#define CLONE_PTRACE		0x00002000UL
#define CLONE_VFORK		0x00004000UL
#define CLONE_PARENT		0x00008000UL
#define CLONE_THREAD		0x00010000UL
#define CLONE_NEWNS		0x00020000UL
#define CLONE_SYSVSEM		0x00040000UL
#define CLONE_SETTLS		0x00080000UL
#define CLONE_PARENT_SETTID	0x00100000UL
#define CLONE_CHILD_CLEARTID	0x00200000UL
#define CLONE_DETACHED		0x00400000UL
#define CLONE_UNTRACED		0x00800000UL
#define CLONE_CHILD_SETTID	0x01000000UL

/* What fork1 is asked for. */
struct fork_params {
	unsigned long	flags;		/* clone's */
	user_addr_t	stack;		/* the child's rsp, or 0: the parent's */
	user_addr_t	ptid;		/* CLONE_PARENT_SETTID */
	user_addr_t	ctid;		/* CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID */
	uint64_t	tls;		/* CLONE_SETTLS */
};

/* The child's thread, a copy of the calling one. The new thread is left suspended. */
static int
fork_thread(proc_t child, thread_t parent_thread, const struct fork_params *fa,
    thread_t *out)
{
	struct uthread *put = get_bsdthread_info(parent_thread), *ut;
	thread_t thread;

	if (thread_create(child->task, &thread) != KERN_SUCCESS)
		return ENOMEM;
	if (uthread_alloc(child, thread) != 0) {
		(void)thread_terminate(thread);
		thread_deallocate(thread);
		return ENOMEM;
	}
	ut = get_bsdthread_info(thread);
	if (put != NULL) {
		proc_signal_lock(put->uu_proc);
		ut->uu_sigmask = put->uu_sigmask;
		proc_signal_unlock(put->uu_proc);
	}
	machine_thread_dup(parent_thread, thread);
	if (fa->stack != 0)
		(void)thread_setuserstack(thread, fa->stack);
	if (fa->flags & CLONE_SETTLS)
		(void)machine_thread_set_tsd_base(thread, fa->tls);	/* checked by clone */
	if (fa->flags & CLONE_CHILD_CLEARTID)
		ut->uu_tid_address = fa->ctid;
	thread_set_name(thread, child->p_comm);
	*out = thread;
	return 0;
}

/*
 * fork1: make the child described by fa; its pid in *retval. EAGAIN if
 * pids ran out, ENOMEM if memory did; nothing is left behind on failure.
 */
static int
fork1(proc_t parent, const struct fork_params *fa, int64_t *retval)
{
	thread_t self = current_thread(), thread;
	bool share_vm = (fa->flags & CLONE_VM) != 0;
	bool vfork = (fa->flags & CLONE_VFORK) != 0;
	task_t task;
	proc_t child;
	pid_t pid;
	int error;

	if (task_create_internal(parent->task, !share_vm, &task) != KERN_SUCCESS)
		return ENOMEM;
	if (share_vm) {
		vm_map_reference(parent->task->map);
		vm_map_deallocate(task_swap_map(task, parent->task->map));
	}
	task_set_name(task, parent->task->name);
	child = proc_create(task, parent);
	if (child == PROC_NULL) {
		task_deallocate(task);
		return proc_count() >= PID_MAX - 1 ? EAGAIN : ENOMEM;
	}
	child->p_exitsig = (int)(fa->flags & CSIGNAL);
	if (child->p_exitsig >= NSIG)
		child->p_exitsig = 0;
	if ((error = fdcopy(child, parent)) != 0)
		goto fail;
	if ((error = sigacts_fork(parent, child)) != 0)
		goto fail;
	proc_lock(parent);
	child->p_brk_start = parent->p_brk_start;	/* the heap came with the map */
	child->p_brk = parent->p_brk;
	child->p_mmap_base = parent->p_mmap_base;	/* so did the layout */
	proc_unlock(parent);
	if ((error = fork_thread(child, self, fa, &thread)) != 0) {
		/* A thread that was made and ended: let it go before the process does. */
		(void)task_wait_threads_gone(task, 0);
		goto fail;
	}
	pid = child->p_pid;
	if (fa->flags & CLONE_PARENT_SETTID) {
		int32_t tid = (int32_t)thread->thread_id;

		(void)copyout(&tid, fa->ptid, sizeof(tid));
	}
	if (fa->flags & CLONE_CHILD_SETTID) {
		int32_t tid = (int32_t)thread->thread_id;
		vm_map_t old = vm_map_switch(task->map);

		(void)copyout(&tid, fa->ctid, sizeof(tid));
		(void)vm_map_switch(old);
	}
	if (vfork)
		proc_lflag_set(child, P_LPPWAIT);
	proc_ready(child);
	(void)thread_resume(thread);
	thread_deallocate(thread);
	task_deallocate(task);		/* the process and the thread hold it */

	if (vfork) {
		/* Until the child execs or exits: it may be running on our memory. */
		proc_list_lock();
		while (proc_lflag(child) & P_LPPWAIT)
			(void)proc_list_msleep(child, 0, "vfork");
		proc_list_unlock();
	}
	*retval = pid;
	return 0;
fail:
	proc_free(child);
	task_deallocate(task);
	return error;
}

/* fork: a copy of the caller; the child gets 0, the parent the child's pid. */
int
fork(struct proc *p, struct fork_args *uap, int64_t *retval)
{
	struct fork_params fa = { .flags = SIGCHLD };

	(void)uap;
	return fork1(p, &fa, retval);
}

/*
 * vfork: fork sharing the caller's memory; the caller waits until the
 * child execs or exits (the child must do nothing else that changes the
 * memory it shares: it runs on the caller's stack).
 */
int
vfork(struct proc *p, struct vfork_args *uap, int64_t *retval)
{
	struct fork_params fa = { .flags = CLONE_VM | CLONE_VFORK | SIGCHLD };

	(void)uap;
	return fork1(p, &fa, retval);
}

/*
 * A new thread of the calling process (clone with CLONE_THREAD): the copy
 * of the calling thread on its new stack, in the same task. Its id in
 * *retval. EAGAIN if the process is ending, ENOMEM.
 */
static int
clone_thread(proc_t p, const struct fork_params *fa, int64_t *retval)
{
	thread_t self = current_thread(), thread;
	int32_t tid;
	int error;

	if (proc_lflag(p) & P_LEXIT)
		return EAGAIN;
	if ((error = fork_thread(p, self, fa, &thread)) != 0)
		return error;
	tid = (int32_t)thread->thread_id;
	/* One memory: both addresses are written in it, before the thread runs. */
	if (fa->flags & CLONE_PARENT_SETTID)
		(void)copyout(&tid, fa->ptid, sizeof(tid));
	if (fa->flags & CLONE_CHILD_SETTID)
		(void)copyout(&tid, fa->ctid, sizeof(tid));
	(void)thread_resume(thread);
	thread_deallocate(thread);
	*retval = tid;
	return 0;
}

/*
 * clone: the fork-style calls. The low byte is the signal the parent gets
 * when the child exits. CLONE_VM is taken only with CLONE_VFORK (a child
 * sharing the caller's memory while the caller waits: posix_spawn and
 * system); stack, if not 0, is the child's stack pointer.
 * CLONE_PARENT_SETTID, CLONE_CHILD_SETTID (the child's thread id, written
 * in the parent's and the child's memory), CLONE_CHILD_CLEARTID and
 * CLONE_SETTLS are honoured; CLONE_DETACHED, CLONE_SYSVSEM and
 * CLONE_UNTRACED are ignored. Sharing descriptors, directories or
 * signal actions without being a thread (CLONE_FILES, CLONE_FS,
 * CLONE_SIGHAND), CLONE_VM without CLONE_VFORK, and the rest are EINVAL.
 *
 * CLONE_THREAD (with CLONE_VM and CLONE_SIGHAND; CLONE_FS and CLONE_FILES
 * allowed: a thread shares them anyway) makes a thread of the calling
 * process instead (musl's pthread_create): the copy of the calling thread
 * in the same task, on the stack given, returning 0; the caller gets its
 * thread id. EPERM for a thread pointer outside user space.
 */
int
clone(struct proc *p, struct clone_args *uap, int64_t *retval)
{
	unsigned long flags = uap->flags;
	unsigned long known = CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS |
	    CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
	    CLONE_DETACHED | CLONE_SYSVSEM | CLONE_UNTRACED;
	struct fork_params fa = {
		.flags = flags, .stack = uap->stack, .ptid = uap->ptid, .ctid = uap->ctid,
		.tls = uap->tls,
	};

	unsigned long thread_flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_FS | CLONE_FILES;

	if ((flags & CLONE_SETTLS) && uap->tls >= VM_MAX_USER_ADDRESS)
		return EPERM;
	if (flags & CLONE_THREAD) {
		/* A thread shares everything a process has: Linux's rules for the flags. */
		if ((flags & (CLONE_VM | CLONE_SIGHAND)) != (CLONE_VM | CLONE_SIGHAND) ||
		    (flags & ~(known | thread_flags)) != 0 || (flags & CLONE_VFORK))
			return EINVAL;
		return clone_thread(p, &fa, retval);
	}
	if ((flags & ~known) != 0)
		return EINVAL;
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		return EINVAL;		/* a process sharing memory, not a thread: not supported */
	return fork1(p, &fa, retval);
}
