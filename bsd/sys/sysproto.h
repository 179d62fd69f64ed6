/*
 * sysproto.h - the BSD system calls' argument structures and prototypes
 * (XNU generates its sysproto.h from syscalls.master; Machina's tables are
 * still short enough to write by hand, in bsd/kern/unix_syscall.c).
 *
 * A system call is int name(struct proc *p, struct name_args *uap,
 * int64_t *retval): it returns 0 and its result in *retval, or an errno
 * value (bsd/sys/errno.h), which unix_syscall64 hands to user space as
 * -errno. Each argument has a 64-bit slot, in the order of the registers
 * rdi, rsi, rdx, r10, r8, r9; its real type is the slot's low bits.
 * p is the calling process: NULL until the BSD layer has processes.
 */

#ifndef BSD_SYS_SYSPROTO_H
#define BSD_SYS_SYSPROTO_H

#include <stdint.h>

struct proc;

struct write_args {
	uint64_t	fd;
	uint64_t	cbuf;		/* user address */
	uint64_t	nbyte;
};

struct exit_args {
	uint64_t	rval;
};

int	write(struct proc *p, struct write_args *uap, int64_t *retval);
int	exit(struct proc *p, struct exit_args *uap, int64_t *retval);
int	exit_group(struct proc *p, struct exit_args *uap, int64_t *retval);

#endif /* BSD_SYS_SYSPROTO_H */
