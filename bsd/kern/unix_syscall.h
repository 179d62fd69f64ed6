/*
 * unix_syscall.h - the BSD system-call tables (classes 0 and 2 of
 * DESIGN.md section 5), and unix_syscall64, which calls through them.
 *
 * Class 0 takes Linux x86-64 numbers, so that static musl binaries run;
 * class 2 takes XNU's BSD numbers (0x2000000 + n) for the calls Linux
 * lacks. The two share their implementations: one write in sys_generic.c,
 * listed in both tables where both have it. A slot with no call, or a
 * number past a table's end, answers -ENOSYS.
 *
 * Adding a call: a line in bsd/kern/syscalls.master (which generates its
 * argument structure, prototype and table entry), its implementation in
 * the bsd/kern file XNU keeps it in, and a user-mode test
 * (docs/usermode.md).
 *
 * The tables are constant: no locks.
 */

#ifndef BSD_KERN_UNIX_SYSCALL_H
#define BSD_KERN_UNIX_SYSCALL_H

#include <stdint.h>

struct proc;
struct x86_saved_state;

typedef int sy_call_t(struct proc *p, void *uap, int64_t *retval);

struct sysent {
	sy_call_t	*sy_call;	/* NULL: no such call (ENOSYS) */
	int		sy_narg;	/* arguments used, for tracing */
	const char	*sy_name;
};

/*
 * unix_syscall64: the class 0 or class 2 call in ss (from the machine's
 * dispatch, interrupts on): look it up, call it, and put its result or
 * -errno where the caller finds it (rax).
 */
void	unix_syscall64(struct x86_saved_state *ss);

/* The tables, for tests and tracing: the entry for number n, or NULL. */
const struct sysent *unix_sysent_lookup(unsigned syscall_class, uint64_t n);

#endif /* BSD_KERN_UNIX_SYSCALL_H */
