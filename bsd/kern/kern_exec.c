/*
 * kern_exec.c - starting a program from the initrd (kern_exec.h).
 */

#include "bsd/kern/kern_exec.h"

#include "bsd/kern/elf_loader.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/user.h"
#include "kernel/initrd.h"
#include "kernel/machine/thread.h"
#include "libkern/elf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_kern.h"

/* Descriptors 0, 1 and 2 of p: the console, read and write. ENOMEM. */
static int
console_fds(proc_t p)
{
	struct fileglob *fg = fileglob_alloc(&consolefileops, NULL, FREAD | FWRITE,
	    vfs_context_kernel());
	int error = 0, fd;

	if (fg == NULL)
		return ENOMEM;
	for (int i = 0; i < 3 && error == 0; i++)
		error = fd_install_fileglob(p, fg, i, 0, &fd);
	(void)fg_drop(fg, vfs_context_kernel());	/* the descriptors hold it now */
	return error;
}

proc_t
exec_proc_create(task_t task, const char *name)
{
	proc_t p = proc_create(task, kernproc);

	if (p == PROC_NULL)
		return PROC_NULL;
	if (console_fds(p) != 0) {
		proc_free(p);
		return PROC_NULL;
	}
	strlcpy(p->p_comm, name, sizeof(p->p_comm));
	proc_ready(p);
	return p;
}

/*
 * Until the VFS reads files, executables come from the initrd; the
 * signature is the VFS's (a path and a context), and stays.
 */
int
exec_read_image(const char *path, vfs_context_t ctx, void **image, size_t *len)
{
	struct cpio_entry ce;
	vm_offset_t buf;

	(void)ctx;
	if (initrd_lookup(path, &ce) != 0)
		return ENOENT;
	if ((ce.ce_mode & CPIO_S_IFMT) == CPIO_S_IFDIR)
		return EISDIR;
	if ((ce.ce_mode & CPIO_S_IFMT) != CPIO_S_IFREG)
		return ENOEXEC;
	if (!(ce.ce_mode & 0111))
		return EACCES;
	if (ce.ce_size > EXEC_IMAGE_MAX)
		return E2BIG;
	if (ce.ce_size == 0)
		return ENOEXEC;
	if (kmem_alloc(kernel_map, &buf, ce.ce_size) != KERN_SUCCESS)
		return ENOMEM;
	memcpy((void *)buf, ce.ce_data, ce.ce_size);
	*image = (void *)buf;
	*len = ce.ce_size;
	return 0;
}

void
exec_free_image(void *image, size_t len)
{
	kmem_free(kernel_map, (vm_offset_t)image, len);
}

void
exec_initrd_reap(task_t task)
{
	proc_t p = proc_from_task(task);

	if (p != PROC_NULL)
		proc_free(p);
}

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
	proc_t p;
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
	p = exec_proc_create(task, name);
	if (p == PROC_NULL) {
		snprintf(err, errlen, "%s: no memory for a process", path);
		task_deallocate(task);
		return KERN_RESOURCE_SHORTAGE;
	}
	kr = load_elf_executable(task, ce.ce_data, ce.ce_size, args, envp, &lr, why,
	    sizeof(why));
	if (kr != KERN_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path, why);
		proc_free(p);
		task_deallocate(task);
		return kr;
	}
	kr = thread_create(task, &thread);
	if (kr == KERN_SUCCESS && uthread_alloc(p, thread) != 0) {
		(void)thread_terminate(thread);
		thread_deallocate(thread);
		kr = KERN_RESOURCE_SHORTAGE;
	}
	if (kr != KERN_SUCCESS) {
		snprintf(err, errlen, "%s: could not create its thread", path);
		proc_free(p);
		task_deallocate(task);
		return kr;
	}
	thread_set_name(thread, name);
	proc_brk_init(p, lr.lr_image_end);
	thread_setentrypoint(thread, lr.lr_entry);
	(void)thread_setuserstack(thread, lr.lr_user_stack);
	(void)thread_resume(thread);
	*task_out = task;
	*thread_out = thread;
	return KERN_SUCCESS;
}
