/*
 * signalvar.h - sending signals inside the kernel (BSD's psignal family),
 * for the rest of the kernel: the tty (SIGINT, SIGTSTP, SIGWINCH), pipes
 * (SIGPIPE), exit (SIGCHLD), Mach exceptions (SIGSEGV and kin).
 *
 * A signal sent to a process is made pending on it, and one of its
 * threads that does not block it notices at its next return to user mode
 * (an AST), or at once if it sleeps interruptibly. Delivery, handlers and
 * the default actions are bsd/kern/kern_sig.c's.
 *
 * Locks: callable from any thread context, with no BSD lock held except
 * proc_list_lock (for pgsignal over a group's members).
 */

#ifndef BSD_SYS_SIGNALVAR_H
#define BSD_SYS_SIGNALVAR_H

#include "bsd/sys/proc.h"
#include "bsd/sys/signal.h"
#include "mach/kern/kern_types.h"

struct pgrp;

/* psignal: send sig to process p. */
void	psignal(proc_t p, int sig);
/* pgsignal: send sig to every process of pgrp (checkctty: only those with a controlling tty). */
void	pgsignal(struct pgrp *pgrp, int sig, int checkctty);
/* psignal_thread: send sig to one thread of its process (synchronous faults). */
void	psignal_thread(thread_t thread, int sig);

#endif /* BSD_SYS_SIGNALVAR_H */
