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
 * p is the calling process (current_proc()).
 */

#ifndef BSD_SYS_SYSPROTO_H
#define BSD_SYS_SYSPROTO_H

#include <stdint.h>

struct proc;

struct read_args {
	uint64_t	fd;
	uint64_t	cbuf;		/* user address */
	uint64_t	nbyte;
};

struct write_args {
	uint64_t	fd;
	uint64_t	cbuf;		/* user address */
	uint64_t	nbyte;
};

struct readv_args {
	uint64_t	fd;
	uint64_t	iovp;		/* user address of struct iovec[iovcnt] */
	uint64_t	iovcnt;
};
#define writev_args	readv_args

struct pread_args {
	uint64_t	fd;
	uint64_t	buf;
	uint64_t	nbyte;
	uint64_t	offset;
};
#define pwrite_args	pread_args

struct close_args {
	uint64_t	fd;
};

struct dup_args {
	uint64_t	fd;
};

struct dup2_args {
	uint64_t	from;
	uint64_t	to;
};

struct dup3_args {
	uint64_t	from;
	uint64_t	to;
	uint64_t	flags;
};

struct fcntl_args {
	uint64_t	fd;
	uint64_t	cmd;
	uint64_t	arg;
};

struct exit_args {
	uint64_t	rval;
};

int	read(struct proc *p, struct read_args *uap, int64_t *retval);
int	write(struct proc *p, struct write_args *uap, int64_t *retval);
int	readv(struct proc *p, struct readv_args *uap, int64_t *retval);
int	writev(struct proc *p, struct writev_args *uap, int64_t *retval);
int	pread(struct proc *p, struct pread_args *uap, int64_t *retval);
int	pwrite(struct proc *p, struct pwrite_args *uap, int64_t *retval);
int	close(struct proc *p, struct close_args *uap, int64_t *retval);
int	dup(struct proc *p, struct dup_args *uap, int64_t *retval);
int	dup2(struct proc *p, struct dup2_args *uap, int64_t *retval);
int	dup3(struct proc *p, struct dup3_args *uap, int64_t *retval);
int	fcntl(struct proc *p, struct fcntl_args *uap, int64_t *retval);
int	exit(struct proc *p, struct exit_args *uap, int64_t *retval);
int	exit_group(struct proc *p, struct exit_args *uap, int64_t *retval);

#endif /* BSD_SYS_SYSPROTO_H */
