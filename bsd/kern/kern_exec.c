/*
 * kern_exec.c - running a program: execve (a new image in the calling
 * process), the kernel's own starts (the console's `run`, init as pid 1),
 * and reading an executable (kern_exec.h).
 *
 * execve in order, as XNU's exec_activate_image:
 *
 *   1. the path, argv and envp are copied in (E2BIG past ARG_MAX,
 *	EFAULT, ENAMETOOLONG);
 *   2. the file is read (exec_read_image); a `#!` script becomes its
 *	interpreter, with the interpreter's one optional argument and the
 *	script's path in front of argv[1...], up to EXEC_SHELL_DEPTH levels
 *	(then ELOOP);
 *   3. the image and its entry stack are built in a new map
 *	(load_elf_map). Any failure up to here returns its errno with the
 *	old image untouched;
 *   4. the point of no return: the process's other threads end, the new
 *	map replaces the old one (task_swap_map), a vfork parent goes on,
 *	close-on-exec descriptors are closed, caught signals go back to
 *	their defaults, the name becomes the file's, P_LEXEC, and the thread
 *	starts the new program with fresh registers.
 */

#include "bsd/kern/kern_exec.h"

#include "bsd/dev/cons.h"
#include "bsd/kern/elf_loader.h"
#include "bsd/kern/kern_aslr.h"
#include "bsd/kern/kern_synch.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/filedesc.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/signalvar.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/user.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/console.h"
#include "kernel/copyio.h"
#include "kernel/initrd.h"
#include "kernel/kheap.h"
#include "kernel/machine/thread.h"
#include "kernel/machine/vm_param.h"
#include "kernel/pexpert.h"
#include "libkern/elf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_kern.h"
#include "mach/vm/vm_map.h"

BOOT_ARG(init, "init", BOOT_ARG_STRING, 255,
    "the program to start as pid 1 (default /sbin/init; none: the kernel console)");

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
	proc_lflag_set(p, P_LKWAIT);		/* the kernel reaps it (exec_initrd_reap) */
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
		(void)proc_reap(p);
}

kern_return_t
exec_initrd_program(const char *path, const char *const *argv, const char *const *envp,
    task_t *task_out, thread_t *thread_out, char *err, size_t errlen)
{
	const char *const *args = argv;
	const char *name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	const char *default_argv[2] = { name, NULL };
	struct aslr_slides slides;
	struct load_params lp;
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
	aslr_choose(&slides);
	lp = (struct load_params){
		.lp_stack_slide = slides.as_stack, .lp_pie_slide = slides.as_pie,
	};
	kr = load_elf_map(task->map, image, imagelen, args, envp, &lp, &lr, why, sizeof(why));
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
		/* Its end runs proc_exit: let that be done before the process goes. */
		(void)task_wait_threads_gone(task, 0);
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
	p->p_mmap_base = MMAP_BASE - slides.as_mmap;
	thread_setentrypoint(thread, lr.lr_entry);
	(void)thread_setuserstack(thread, lr.lr_user_stack);
	(void)thread_resume(thread);
	*task_out = task;
	*thread_out = thread;
	return KERN_SUCCESS;
}

/* --- execve ------------------------------------------------------------------ */

#define EXEC_ARG_MAX		(2 * 1024 * 1024)	/* ARG_MAX: strings and pointers */
#define EXEC_SHELL_DEPTH	4			/* nested #! interpreters */
#define EXEC_SHELL_LINE		256			/* the #! line's most */
#define EXEC_PATH_MAX		1024			/* MAXPATHLEN */

/*
 * The strings of a new program's argv and envp, copied in: argc strings,
 * then envc, one after the other in buf (each with its NUL). The buffer
 * grows by doubling, up to the limit.
 */
struct exec_strings {
	char	*buf;
	size_t	size, used;
	int	argc, envc;
};

static void
exec_strings_free(struct exec_strings *es)
{
	kheap_free(&kernel_heap, es->buf);
	es->buf = NULL;
}

/* Room for at least want more bytes. E2BIG past ARG_MAX, ENOMEM. */
static int
exec_strings_grow(struct exec_strings *es, size_t want)
{
	size_t size = es->size != 0 ? es->size : 4096;
	char *buf;

	while (size - es->used < want)
		size *= 2;
	if (size > EXEC_ARG_MAX)
		size = EXEC_ARG_MAX;
	if (size - es->used < want)
		return E2BIG;
	if (size == es->size)
		return 0;
	if ((buf = kheap_alloc(&kernel_heap, size)) == NULL)
		return ENOMEM;
	if (es->used != 0)
		memcpy(buf, es->buf, es->used);
	kheap_free(&kernel_heap, es->buf);
	es->buf = buf;
	es->size = size;
	return 0;
}

/* Pointers count against ARG_MAX as strings do. E2BIG. */
static int
exec_strings_check(const struct exec_strings *es)
{
	size_t pointers = ((size_t)es->argc + (size_t)es->envc + 2) * sizeof(uint64_t);

	return es->used + pointers > EXEC_ARG_MAX ? E2BIG : 0;
}

/* Append a kernel string. E2BIG, ENOMEM. */
static int
exec_strings_add(struct exec_strings *es, const char *str)
{
	size_t n = strlen(str) + 1;
	int error = exec_strings_grow(es, n);

	if (error != 0)
		return error;
	memcpy(es->buf + es->used, str, n);
	es->used += n;
	return exec_strings_check(es);
}

/*
 * Append the user vector at uvec (NULL-terminated array of string
 * pointers; 0 for none), counting into *count. E2BIG, EFAULT, ENOMEM.
 */
static int
exec_strings_copyin(struct exec_strings *es, user_addr_t uvec, int *count)
{
	if (uvec == 0)
		return 0;
	for (;;) {
		uint64_t ustr;
		size_t done;
		int error;

		if ((error = copyin(uvec, &ustr, sizeof(ustr))) != 0)
			return error;
		if (ustr == 0)
			return 0;
		uvec += sizeof(ustr);
		for (;;) {
			if (es->size == es->used &&
			    (error = exec_strings_grow(es, 1)) != 0)
				return error;
			error = copyinstr(ustr, es->buf + es->used, es->size - es->used, &done);
			if (error != ENAMETOOLONG)
				break;
			if ((error = exec_strings_grow(es, es->size - es->used + 1)) != 0)
				return error;
		}
		if (error != 0)
			return error;
		es->used += done;
		(*count)++;
		if ((error = exec_strings_check(es)) != 0)
			return error;
	}
}

/* The string after s in the buffer. */
static const char *
next_string(const char *s)
{
	return s + strlen(s) + 1;
}

/*
 * The vectors of es: argv[0..argc] and envp[0..envc], NULL-terminated,
 * pointing into es->buf, in one allocation (*vec, for kheap_free).
 */
static int
exec_strings_vectors(const struct exec_strings *es, const char ***vec, const char ***argv,
    const char ***envp)
{
	const char **v = kheap_alloc(&kernel_heap,
	    ((size_t)es->argc + (size_t)es->envc + 2) * sizeof(char *));
	const char *s = es->buf;
	int i, n = 0;

	if (v == NULL)
		return ENOMEM;
	*argv = v;
	for (i = 0; i < es->argc; i++, s = next_string(s))
		v[n++] = s;
	v[n++] = NULL;
	*envp = &v[n];
	for (i = 0; i < es->envc; i++, s = next_string(s))
		v[n++] = s;
	v[n] = NULL;
	*vec = v;
	return 0;
}

/*
 * A #! line at the start of image: the interpreter and its optional
 * argument (the rest of the line, trimmed), copied into interp and arg
 * (EXEC_SHELL_LINE bytes each). 0 if it is one; ENOEXEC if it is
 * malformed (no interpreter, or a line too long); -1 if not a script.
 */
static int
exec_shell_parse(const char *image, size_t len, char *interp, char *arg)
{
	size_t end, i, j;

	if (len < 2 || image[0] != '#' || image[1] != '!')
		return -1;
	for (end = 2; end < len && end < EXEC_SHELL_LINE && image[end] != '\n'; end++)
		;
	if (end == EXEC_SHELL_LINE)
		return ENOEXEC;
	for (i = 2; i < end && (image[i] == ' ' || image[i] == '\t'); i++)
		;
	for (j = 0; i < end && image[i] != ' ' && image[i] != '\t' && image[i] != '\0'; i++)
		interp[j++] = image[i];
	interp[j] = '\0';
	if (j == 0)
		return ENOEXEC;
	for (; i < end && (image[i] == ' ' || image[i] == '\t'); i++)
		;
	while (end > i && (image[end - 1] == ' ' || image[end - 1] == '\t' ||
	    image[end - 1] == '\r' || image[end - 1] == '\0'))
		end--;
	memcpy(arg, image + i, end - i);
	arg[end - i] = '\0';
	return 0;
}

/*
 * Rewrite es for a script: interp, arg (if any), path, then argv[1...]
 * and the environment as they were. E2BIG, ENOMEM.
 */
static int
exec_shell_args(struct exec_strings *es, const char *interp, const char *arg,
    const char *path)
{
	struct exec_strings n = { NULL, 0, 0, 0, 0 };
	const char *s = es->buf;
	int error;

	error = exec_strings_add(&n, interp);
	if (error == 0 && arg[0] != '\0')
		error = exec_strings_add(&n, arg);
	if (error == 0)
		error = exec_strings_add(&n, path);
	n.argc = arg[0] != '\0' ? 3 : 2;
	if (es->argc > 0)
		s = next_string(s);		/* argv[0] gives way to the path */
	if (error == 0 && (error = exec_strings_grow(&n, es->used - (size_t)(s - es->buf))) == 0) {
		memcpy(n.buf + n.used, s, es->used - (size_t)(s - es->buf));
		n.used += es->used - (size_t)(s - es->buf);
		n.argc += es->argc > 0 ? es->argc - 1 : 0;
		n.envc = es->envc;
		error = exec_strings_check(&n);
	}
	if (error != 0) {
		exec_strings_free(&n);
		return error;
	}
	exec_strings_free(es);
	*es = n;
	return 0;
}

static int
load_errno(kern_return_t kr)
{
	switch (kr) {
	case KERN_SUCCESS:
		return 0;
	case KERN_NO_SPACE:
	case KERN_RESOURCE_SHORTAGE:
		return ENOMEM;
	default:
		return ENOEXEC;		/* malformed, or not one Machina runs */
	}
}

/*
 * End every thread of p's task but the caller, and wait until they are
 * gone. The sweep is made again each time round, so that a thread another
 * one made meanwhile (clone) is ended too.
 */
static void
exec_single_thread(task_t task)
{
	thread_t self = current_thread(), t;
	boolean_t s;

	while (__atomic_load_n(&task->active_thread_count, __ATOMIC_ACQUIRE) > 1) {
		s = task_lock(task);
		TAILQ_FOREACH(t, &task->threads, task_threads) {
			if (t != self)
				(void)thread_terminate_internal(t);	/* again: no harm */
		}
		task_unlock(task, s);
		if (__atomic_load_n(&task->active_thread_count, __ATOMIC_ACQUIRE) > 1)
			(void)tsleep(&task->active_thread_count, 0, "exec", 1);
	}
}

/*
 * execve: replace the calling process's program by the one at fname,
 * with the argv and envp vectors (NULL-terminated arrays of strings; a
 * null argv or envp is an empty one). Does not return on success: the
 * new program starts, with the same pid, parent, credentials, open
 * descriptors but the close-on-exec ones. Errors (the old program goes
 * on): ENOENT, EACCES, ENOEXEC (not a program Machina runs), ELOOP
 * (#! nested too deep), E2BIG (over 2 MiB of arguments and environment),
 * EFAULT, ENAMETOOLONG, ENOMEM.
 */
int
execve(struct proc *p, struct execve_args *uap, int64_t *retval)
{
	struct exec_strings es = { NULL, 0, 0, 0, 0 };
	char *orig = NULL, *path, *interp, *arg;
	const char **vec = NULL, **argv, **envp;
	const char *file, *name;
	struct load_result lr;
	struct load_params lp;
	struct aslr_slides slides;
	kauth_cred_t cred;
	void *image = NULL;
	size_t len = 0, done;
	vm_map_t map = VM_MAP_NULL, old;
	pmap_t pmap;
	thread_t self = current_thread();
	struct uthread *ut = get_bsdthread_info(self);
	char why[ELF_ERRLEN];
	int error, depth;

	*retval = 0;
	orig = kheap_alloc(&kernel_heap, 2 * EXEC_PATH_MAX + 2 * EXEC_SHELL_LINE);
	if (orig == NULL)
		return ENOMEM;
	path = orig + EXEC_PATH_MAX;
	interp = path + EXEC_PATH_MAX;
	arg = interp + EXEC_SHELL_LINE;
	if ((error = copyinstr(uap->fname, orig, EXEC_PATH_MAX, &done)) != 0)
		goto out;
	strlcpy(path, orig, EXEC_PATH_MAX);
	if (path[0] == '\0') {
		error = ENOENT;
		goto out;
	}
	if ((error = exec_strings_copyin(&es, uap->argp, &es.argc)) != 0 ||
	    (error = exec_strings_copyin(&es, uap->envp, &es.envc)) != 0)
		goto out;

	/* The file, and the interpreters of scripts. */
	file = path;
	for (depth = 0;; depth++) {
		if ((error = exec_read_image(file, vfs_context_current(), &image, &len)) != 0)
			goto out;
		error = exec_shell_parse(image, len, interp, arg);
		if (error < 0)
			break;		/* not a script */
		exec_free_image(image, len);
		image = NULL;
		if (error != 0)
			goto out;
		if (depth == EXEC_SHELL_DEPTH) {
			error = ELOOP;
			goto out;
		}
		if ((error = exec_shell_args(&es, interp, arg, file)) != 0)
			goto out;
		/* The script's path is in argv now; the interpreter is the file to read. */
		strlcpy(path, interp, EXEC_PATH_MAX);
	}

	/* The new image, in a map of its own. */
	if ((error = exec_strings_vectors(&es, &vec, &argv, &envp)) != 0)
		goto out;
	if ((pmap = pmap_create()) == PMAP_NULL) {
		error = ENOMEM;
		goto out;
	}
	map = vm_map_create(pmap, MACH_VM_MIN_ADDRESS, MACH_VM_MAX_ADDRESS, TRUE);
	if (map == VM_MAP_NULL) {
		pmap_destroy(pmap);
		error = ENOMEM;
		goto out;
	}
	cred = kauth_cred_proc_ref(p);
	aslr_choose(&slides);
	lp = (struct load_params){
		.lp_execfn = orig,
		.lp_uid = cred->cr_ruid, .lp_euid = cred->cr_uid,
		.lp_gid = cred->cr_rgid, .lp_egid = cred->cr_gid,
		.lp_stack_slide = slides.as_stack, .lp_pie_slide = slides.as_pie,
	};
	kauth_cred_unref(&cred);
	error = load_errno(load_elf_map(map, image, len, argv, envp, &lp, &lr, why, sizeof(why)));
	if (error != 0)
		goto out;

	/* The point of no return. */
	/* Named after the file execve was given (a script, not its interpreter). */
	name = strrchr(orig, '/') != NULL ? strrchr(orig, '/') + 1 : orig;
	exec_single_thread(p->task);
	/* Under proc_list_lock: sysctl's process records read the map with it held. */
	proc_list_lock();
	old = task_swap_map(p->task, map);
	proc_list_unlock();
	map = VM_MAP_NULL;
	vm_map_deallocate(old);
	if (proc_lflag(p) & P_LPPWAIT) {
		proc_list_lock();
		proc_lflag_clear(p, P_LPPWAIT);
		wakeup(p);
		proc_list_unlock();
	}
	fdexec(p);
	execsigs(p, self);		/* caught signals back to SIG_DFL, the mask kept */
	proc_brk_init(p, lr.lr_image_end);
	p->p_mmap_base = MMAP_BASE - slides.as_mmap;	/* one thread left: [E] */
	proc_lock(p);
	strlcpy(p->p_comm, name, sizeof(p->p_comm));
	proc_unlock(p);
	proc_lflag_set(p, P_LEXEC);
	task_set_name(p->task, name);
	thread_set_name(self, name);
	if (ut != NULL)
		ut->uu_tid_address = 0;
	machine_thread_state_initialize(self, lr.lr_entry, lr.lr_user_stack);
out:
	if (map != VM_MAP_NULL)
		vm_map_deallocate(map);
	if (image != NULL)
		exec_free_image(image, len);
	kheap_free(&kernel_heap, vec);
	exec_strings_free(&es);
	kheap_free(&kernel_heap, orig);
	return error;
}

/* --- init ------------------------------------------------------------------- */

#define INIT_DEFAULT	"/sbin/init"

/*
 * load_init_program: start init (the boot-arg init=PATH, else /sbin/init
 * if the root has it) as pid 1 and wait for it; if it ever exits, say
 * so and return, for the kernel console to take over. init=none, or no
 * such file, returns at once.
 */
void
load_init_program(void)
{
	static const char *const envp[] = { "HOME=/", "PATH=/sbin:/bin:/usr/sbin:/usr/bin",
		"TERM=vt100", NULL };
	char path[256] = INIT_DEFAULT, err[ELF_ERRLEN];
	const char *argv[2] = { NULL, NULL };
	bool asked = PE_parse_boot_arg_str("init", path, sizeof(path));
	vnode_t vp;
	task_t task;
	thread_t thread;
	proc_t p;
	int xstat;

	if (strcmp(path, "none") == 0)
		return;
	if (vnode_lookup(path, 0, &vp, vfs_context_kernel()) != 0) {
		if (asked)
			printf("init: %s: no such file; the kernel console takes over\n", path);
		return;
	}
	vnode_put(vp);
	argv[0] = path;
	/* Init and its shell read the console tty; what was typed ahead is theirs. */
	cons_input_set_owner(CONS_INPUT_TTY);
	if (exec_initrd_program(path, argv, envp, &task, &thread, err, sizeof(err)) !=
	    KERN_SUCCESS) {
		printf("init: %s\n", err);
		return;
	}
	p = proc_from_task(task);
	proc_list_lock();
	initproc = p;
	proc_list_unlock();
	if (p->p_pid != 1)
		printf("init: %s is pid %d, not 1\n", path, p->p_pid);
	(void)task_wait_threads_gone(task, 0);
	xstat = proc_reap(p);
	proc_list_lock();
	initproc = PROC_NULL;
	proc_list_unlock();
	if ((xstat & 0x7f) == 0)
		printf("init exited with status %d\n", (xstat >> 8) & 0xff);
	else
		printf("init died of signal %d\n", xstat & 0x7f);
	thread_deallocate(thread);
	task_deallocate(task);
}
