/*
 * exception.c - exception_triage and its default action (exception.h).
 */

#include "mach/kern/exception.h"

#include "kernel/console.h"
#include "kernel/machine/thread.h"
#include "libkern/cdefs.h"
#include "libkern/panic.h"
#include "libkern/printf.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"

static const char *const exception_names[EXC_TYPES_COUNT] = {
	[EXC_BAD_ACCESS]	= "EXC_BAD_ACCESS",
	[EXC_BAD_INSTRUCTION]	= "EXC_BAD_INSTRUCTION",
	[EXC_ARITHMETIC]	= "EXC_ARITHMETIC",
	[EXC_EMULATION]		= "EXC_EMULATION",
	[EXC_SOFTWARE]		= "EXC_SOFTWARE",
	[EXC_BREAKPOINT]	= "EXC_BREAKPOINT",
	[EXC_SYSCALL]		= "EXC_SYSCALL",
	[EXC_MACH_SYSCALL]	= "EXC_MACH_SYSCALL",
	[EXC_RPC_ALERT]		= "EXC_RPC_ALERT",
	[EXC_CRASH]		= "EXC_CRASH",
	[EXC_RESOURCE]		= "EXC_RESOURCE",
	[EXC_GUARD]		= "EXC_GUARD",
	[EXC_CORPSE_NOTIFY]	= "EXC_CORPSE_NOTIFY",
};

/* What vm_fault answers: the codes an EXC_BAD_ACCESS carries. */
static const char *
fault_code_name(mach_exception_data_type_t code)
{
	switch (code) {
	case KERN_INVALID_ADDRESS:
		return "KERN_INVALID_ADDRESS";
	case KERN_PROTECTION_FAILURE:
		return "KERN_PROTECTION_FAILURE";
	case KERN_RESOURCE_SHORTAGE:
		return "KERN_RESOURCE_SHORTAGE";
	case KERN_MEMORY_ERROR:
		return "KERN_MEMORY_ERROR";
	case KERN_MEMORY_FAILURE:
		return "KERN_MEMORY_FAILURE";
	default:
		return NULL;
	}
}

const char *
exception_name(exception_type_t exception)
{
	if (exception > 0 && exception < EXC_TYPES_COUNT && exception_names[exception] != NULL)
		return exception_names[exception];
	return "EXC_UNKNOWN";
}

/* "(KERN_INVALID_ADDRESS at 0x10)", "(code 0x1, subcode 0x0)", ... */
static void
describe(const struct thread_exc_info *e, char *buf, size_t size)
{
	const char *kr = fault_code_name(e->exc_code);

	if (e->exc_type == EXC_BAD_ACCESS && kr != NULL)
		snprintf(buf, size, "(%s at 0x%llx)", kr, (unsigned long long)e->exc_subcode);
	else if (e->exc_type == EXC_SYSCALL)
		snprintf(buf, size, "(number 0x%llx)", (unsigned long long)e->exc_code);
	else
		snprintf(buf, size, "(code 0x%llx, subcode 0x%llx)",
		    (unsigned long long)e->exc_code, (unsigned long long)e->exc_subcode);
}

/* The BSD layer's handler (exception_set_bsd_handler). [I] at BSD start-up. */
static exception_bsd_handler_t exception_bsd_handler;

void
exception_set_bsd_handler(exception_bsd_handler_t handler)
{
	exception_bsd_handler = handler;
}

void
exception_report(thread_t thread, const char *outcome)
{
	const struct thread_exc_info *e = &thread->exc_info;
	char what[96];

	describe(e, what, sizeof(what));
	printf("exception: thread %llu%s%s%s of task %s: %s %s, rip 0x%llx; %s\n",
	    (unsigned long long)thread->thread_id, thread->th_name[0] != '\0' ? " (" : "",
	    thread->th_name, thread->th_name[0] != '\0' ? ")" : "", thread->task->name,
	    exception_name(e->exc_type), what, (unsigned long long)e->exc_pc, outcome);
}

kern_return_t
exception_triage(exception_type_t exception, mach_exception_data_t code,
    mach_msg_type_number_t codeCnt)
{
	thread_t self = current_thread();
	task_t task = self->task;
	struct thread_exc_info *e = &self->exc_info;

	/* Only user threads raise exceptions: a kernel one has no user state. */
	if (task == kernel_task)
		panic("exception_triage: %s in kernel thread %llu (%s)",
		    exception_name(exception), (unsigned long long)self->thread_id,
		    self->th_name);
	e->exc_type = exception;
	e->exc_code = codeCnt > 0 ? code[0] : 0;
	e->exc_subcode = codeCnt > 1 ? code[1] : 0;
	e->exc_pc = machine_thread_user_pc(self);
	e->exc_count++;

	/*
	 * No exception ports yet. A task with a BSD process turns it into a
	 * signal (ux_handler): the thread takes it on its way back to user
	 * mode, and the BSD layer reports a fatal one as below.
	 */
	if (exception_bsd_handler != NULL && exception_bsd_handler(self, exception,
	    e->exc_code, e->exc_subcode) == KERN_SUCCESS)
		return KERN_SUCCESS;
	/* The default action. */
	exception_report(self, "task terminated");
	(void)task_terminate_internal(task);
	return KERN_FAILURE;
}
