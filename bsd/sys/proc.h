/*
 * proc.h - BSD processes, as the rest of the kernel and kexts see them
 * (XNU's proc KPI): an opaque proc_t and what can be asked of it.
 *
 * A process is the BSD face of a Mach task: every user task that runs a
 * program has one (task->bsd_info), kernel_task has kernproc (pid 0), and
 * init is pid 1. The layout is private to the BSD layer
 * (bsd/sys/proc_internal.h).
 *
 *	proc_t p = proc_find(pid);		(a reference, or PROC_NULL)
 *	if (p != PROC_NULL) {
 *		printf("%d is %s\n", proc_pid(p), proc_best_name(p));
 *		proc_rele(p);
 *	}
 */

#ifndef BSD_SYS_PROC_H
#define BSD_SYS_PROC_H

#include "bsd/sys/types.h"
#include "mach/kern/kern_types.h"

struct proc;
typedef struct proc *proc_t;
#define PROC_NULL	((proc_t)0)

extern proc_t kernproc;		/* pid 0: kernel_task's */

/* current_proc: the running thread's process (kernproc for a kernel thread). */
proc_t		current_proc(void);

/* proc_find: the live process with that pid, with a reference; PROC_NULL if none. */
proc_t		proc_find(pid_t pid);
void		proc_rele(proc_t p);

pid_t		proc_pid(proc_t p);
pid_t		proc_ppid(proc_t p);
pid_t		proc_selfpid(void);
task_t		proc_task(proc_t p);
/* proc_best_name: the program's name (p_comm). */
const char	*proc_best_name(proc_t p);
/* proc_name: copy the name of pid's process into buf (size bytes). */
void		proc_name(pid_t pid, char *buf, int size);
/* proc_issuser: p runs as root. */
int		proc_suser(proc_t p);

#endif /* BSD_SYS_PROC_H */
