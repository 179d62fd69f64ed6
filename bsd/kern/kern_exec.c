/*
 * kern_exec.c - starting a program from the initrd (kern_exec.h).
 */

#include "bsd/kern/kern_exec.h"

#include "bsd/kern/elf_loader.h"
#include "kernel/initrd.h"
#include "kernel/machine/thread.h"
#include "libkern/elf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"

kern_return_t
exec_initrd_program(const char *path, const char *const *argv, const char *const *envp,
    task_t *task_out, thread_t *thread_out, char *err, size_t errlen)
{
	const char *const *args = argv;
	const char *name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	const char *default_argv[2] = { name, NULL };
	struct cpio_entry ce;
	struct load_result lr;
	char why[ELF_ERRLEN];
	task_t task;
	thread_t thread;
	kern_return_t kr;

	if (initrd_lookup(path, &ce) != 0) {
		snprintf(err, errlen, "%s: no such file in the initrd", path);
		return KERN_NOT_FOUND;
	}
	if ((ce.ce_mode & CPIO_S_IFMT) != CPIO_S_IFREG) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return KERN_INVALID_ARGUMENT;
	}
	if (args == NULL || args[0] == NULL)
		args = default_argv;
	kr = task_create_internal(kernel_task, FALSE, &task);
	if (kr != KERN_SUCCESS) {
		snprintf(err, errlen, "%s: no memory for a task", path);
		return kr;
	}
	task_set_name(task, name);
	kr = load_elf_executable(task, ce.ce_data, ce.ce_size, args, envp, &lr, why,
	    sizeof(why));
	if (kr != KERN_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path, why);
		task_deallocate(task);
		return kr;
	}
	kr = thread_create(task, &thread);
	if (kr != KERN_SUCCESS) {
		snprintf(err, errlen, "%s: could not create its thread", path);
		task_deallocate(task);
		return kr;
	}
	thread_set_name(thread, name);
	thread_setentrypoint(thread, lr.lr_entry);
	(void)thread_setuserstack(thread, lr.lr_user_stack);
	(void)thread_resume(thread);
	*task_out = task;
	*thread_out = thread;
	return KERN_SUCCESS;
}
