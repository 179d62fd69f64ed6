/*
 * kern_exec.c - starting a program from the initrd (kern_exec.h).
 */

#include "bsd/kern/kern_exec.h"

#include "bsd/dev/cons.h"
#include "bsd/kern/elf_loader.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/user.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/machine/thread.h"
#include "libkern/elf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_kern.h"

/* Descriptors 0, 1 and 2 of p: the console tty, read and write. ENOMEM. */
static int
console_fds(proc_t p)
{
	struct fileglob *fg;
	int error, fd;

	if ((error = cons_fileglob_open(FREAD | FWRITE, vfs_context_kernel(), &fg)) != 0)
		return error;
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
 * The executable is read through the VFS, whole, into wired kernel
 * memory: the loader copies its segments into the new task from there.
 */
int
exec_read_image(const char *path, vfs_context_t ctx, void **image, size_t *len)
{
	struct vnode_attr va;
	vm_offset_t buf;
	vnode_t vp;
	int error;

	if ((error = vnode_lookup(path, 0, &vp, ctx)) != 0)
		return error;
	if ((error = vnode_getattr(vp, &va, ctx)) != 0)
		goto out;
	if (vp->v_type == VDIR) {
		error = EISDIR;
		goto out;
	}
	if (vp->v_type != VREG) {
		error = EACCES;		/* execve(2) of a device or link target that is not a file */
		goto out;
	}
	if ((error = vnode_authorize(vp, VEXEC, ctx)) != 0)
		goto out;
	if (va.va_data_size > (off_t)EXEC_IMAGE_MAX) {
		error = E2BIG;
		goto out;
	}
	if (va.va_data_size == 0) {
		error = ENOEXEC;
		goto out;
	}
	if (kmem_alloc(kernel_map, &buf, (vm_size_t)va.va_data_size) != KERN_SUCCESS) {
		error = ENOMEM;
		goto out;
	}
	error = vn_rdwr(UIO_READ, vp, (void *)buf, va.va_data_size, 0, 0, ctx, NULL);
	if (error != 0) {
		kmem_free(kernel_map, buf, (vm_size_t)va.va_data_size);
		goto out;
	}
	*image = (void *)buf;
	*len = (size_t)va.va_data_size;
out:
	vnode_put(vp);
	return error;
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
	struct load_result lr;
	size_t imagelen;
	void *image;
	int error;
	char why[ELF_ERRLEN];
	proc_t p;
	task_t task;
	thread_t thread;
	kern_return_t kr;

	error = exec_read_image(path, vfs_context_kernel(), &image, &imagelen);
	if (error != 0) {
		snprintf(err, errlen, "%s: %s", path, error == ENOENT ? "no such file" :
		    error == EISDIR || error == EACCES ? "not a regular executable file" :
		    error == ENOEXEC ? "not an executable" : "cannot be read");
		return error == ENOENT ? KERN_NOT_FOUND : KERN_INVALID_ARGUMENT;
	}
	if (args == NULL || args[0] == NULL)
		args = default_argv;
	kr = task_create_internal(kernel_task, FALSE, &task);
	if (kr != KERN_SUCCESS) {
		snprintf(err, errlen, "%s: no memory for a task", path);
		exec_free_image(image, imagelen);
		return kr;
	}
	task_set_name(task, name);
	p = exec_proc_create(task, name);
	if (p == PROC_NULL) {
		snprintf(err, errlen, "%s: no memory for a process", path);
		exec_free_image(image, imagelen);
		task_deallocate(task);
		return KERN_RESOURCE_SHORTAGE;
	}
	kr = load_elf_executable(task, image, imagelen, args, envp, &lr, why, sizeof(why));
	exec_free_image(image, imagelen);
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
	thread_setentrypoint(thread, lr.lr_entry);
	(void)thread_setuserstack(thread, lr.lr_user_stack);
	(void)thread_resume(thread);
	*task_out = task;
	*thread_out = thread;
	return KERN_SUCCESS;
}
