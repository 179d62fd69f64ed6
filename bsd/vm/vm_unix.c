/*
 * vm_unix.c - task_for_pid, pid_for_task, and the security and audit
 * tokens of a task's messages (vm_unix.h).
 *
 * Holding a task's port is the power over the task, so task_for_pid hands
 * one out only to a caller with the power already: root, or the same user
 * (the caller's effective uid is the target's effective, real and saved
 * uid, so a process that holds another identity in reserve is not given
 * away). Every refusal is the same
 * KERN_FAILURE, as XNU's, so a caller cannot probe which pids exist.
 */

#include "bsd/vm/vm_unix.h"

#include "bsd/sys/proc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/ucred.h"
#include "kernel/copyio.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_right.h"
#include "mach/ipc/ipc_tt.h"
#include "mach/ipc/mach_port.h"
#include "mach/kern/task.h"
#include "mach/mach_traps.h"

void
set_security_token(proc_t p)
{
	kauth_cred_t cred = p->p_ucred;
	security_token_t sec = { { cred->cr_uid, cred->cr_gid } };
	audit_token_t audit = { {
		cred->cr_uid,		/* no audit user: the effective */
		cred->cr_uid,
		cred->cr_gid,
		cred->cr_ruid,
		cred->cr_rgid,
		(unsigned int)p->p_pid,
		0,			/* no audit sessions */
		0,
	} };

	task_set_tokens(p->task, &sec, &audit);
}

/* May the current process have p's task port? */
static int
task_for_pid_allowed(proc_t p)
{
	kauth_cred_t me = kauth_cred_proc_ref(current_proc());
	kauth_cred_t them = kauth_cred_proc_ref(p);
	int ok;

	ok = me->cr_uid == 0 ||
	    (me->cr_uid == them->cr_uid && me->cr_uid == them->cr_ruid &&
	    me->cr_uid == them->cr_svuid);
	kauth_cred_unref(&them);
	kauth_cred_unref(&me);
	return ok;
}

kern_return_t
task_for_pid(struct task_for_pid_args *args)
{
	mach_port_name_t name = MACH_PORT_NULL;
	task_t self, target = TASK_NULL;
	ipc_port_t port;
	kern_return_t kr = KERN_FAILURE;
	proc_t p;

	self = port_name_to_task((mach_port_name_t)args->target_tport);
	if (self != TASK_NULL)
		task_deallocate(self);
	if (self != current_task() || (int)args->pid <= 0)
		goto out;
	p = proc_find((pid_t)args->pid);
	if (p == PROC_NULL)
		goto out;
	if (task_for_pid_allowed(p) && p->task != TASK_NULL) {
		target = p->task;
		task_reference(target);
	}
	proc_rele(p);
	if (target == TASK_NULL)
		goto out;
	port = convert_task_to_port(target);	/* consumes the reference */
	if (!IP_VALID(port))
		goto out;
	ipc_lock();
	if (ipc_object_copyout(current_task()->itk_space, &port->ip_object,
	    MACH_MSG_TYPE_PORT_SEND, &name) == KERN_SUCCESS)
		kr = KERN_SUCCESS;
	else
		ipc_port_release_send(port);
	ipc_unlock();
out:
	if (copyout(&name, args->t, sizeof(name)) != 0 && kr == KERN_SUCCESS) {
		(void)mach_port_deallocate(current_task()->itk_space, name);
		kr = KERN_FAILURE;
	}
	return kr;
}

kern_return_t
pid_for_task(struct pid_for_task_args *args)
{
	task_t task = port_name_to_task((mach_port_name_t)args->t);
	kern_return_t kr = KERN_FAILURE;
	int pid = -1;
	proc_t p;

	if (task != TASK_NULL) {
		p = proc_from_task(task);
		if (p != PROC_NULL) {
			pid = p->p_pid;
			kr = KERN_SUCCESS;
		}
		task_deallocate(task);
	}
	if (copyout(&pid, args->pid, sizeof(pid)) != 0)
		return KERN_FAILURE;
	return kr;
}
