/*
 * kern_exec.h - starting a program: a new task running an executable from
 * the initrd, as the kernel console's `run` and the tests do.
 *
 * Until the BSD layer has processes, files and fork/exec, a program is a
 * Mach task with one user thread, and its file comes from the initrd. The
 * task is a child of kernel_task (an empty map), named after the file; its
 * thread starts at the executable's entry with the System V entry stack
 * (elf_loader.h).
 *
 *	task_t task;
 *	thread_t thread;
 *	char err[ELF_ERRLEN];
 *
 *	kr = exec_initrd_program("/usr/tests/hello", argv, NULL, &task, &thread,
 *	    err, sizeof(err));
 *	(void)task_wait_threads_gone(task, 0);
 *	status = task->bsd_exit_status;		(-1: it never called exit)
 *	thread_deallocate(thread);
 *	task_deallocate(task);
 *
 * Locks: none held by the caller.
 */

#ifndef BSD_KERN_KERN_EXEC_H
#define BSD_KERN_KERN_EXEC_H

#include <stddef.h>

#include "bsd/sys/proc.h"
#include "bsd/sys/vnode.h"
#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"

/*
 * exec_initrd_program: start path (an absolute initrd path) with argv and
 * envp (NULL-terminated; NULL for none). *task_out and *thread_out get a
 * reference each, for the caller to drop. On failure nothing is left and
 * err says why: KERN_NOT_FOUND (no such file), KERN_INVALID_ARGUMENT (not
 * a regular file, or a malformed executable), or load_elf_executable's and
 * thread_create's errors.
 */
kern_return_t	exec_initrd_program(const char *path, const char *const *argv,
		    const char *const *envp, task_t *task_out, thread_t *thread_out,
		    char *err, size_t errlen);

/*
 * exec_proc_create: a process for task (a child of kernproc, named name)
 * with the console as descriptors 0, 1 and 2, ready. PROC_NULL if memory
 * ran out. Threads the caller makes in task get their uthreads with
 * uthread_alloc (bsd/sys/user.h).
 */
proc_t		exec_proc_create(task_t task, const char *name);

/*
 * exec_read_image: the whole file at path (absolute, or relative to the
 * context's process's current directory) read into kernel memory, for
 * the loader: *image and *len, freed with exec_free_image. ENOENT (no
 * such file), EACCES (not executable by the context's credential),
 * EISDIR or ENOEXEC (not a regular file), E2BIG (over EXEC_IMAGE_MAX),
 * ENOMEM.
 */
#define EXEC_IMAGE_MAX	(64UL * 1024 * 1024)
int		exec_read_image(const char *path, vfs_context_t ctx, void **image, size_t *len);
void		exec_free_image(void *image, size_t len);

/*
 * exec_initrd_reap: once the program's threads are gone, reap its process
 * (a zombie by then: proc_reap). Before the caller drops its task
 * reference. The process is a child of kernproc marked P_LKWAIT, so
 * nothing else reaps it.
 */
void		exec_initrd_reap(task_t task);

/*
 * load_init_program: start init as pid 1 (XNU's name): /sbin/init, or the
 * boot-arg init=PATH; init=none, or no such file, starts nothing. Waits
 * for it; if it exits, logs "init exited with status N" and returns, for
 * the kernel console to take over. Once, from the boot thread, at the end
 * of boot (never in a tests= or bench= run).
 */
void		load_init_program(void);

#endif /* BSD_KERN_KERN_EXEC_H */
