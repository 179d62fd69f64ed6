/*
 * sysproto.h - the BSD system calls' argument structures and prototypes,
 * generated (as in XNU) from bsd/kern/syscalls.master by
 * tools/makesyscalls.py into $(BUILD)/gen/bsd/sys/sysproto_gen.h.
 *
 * A system call is int name(struct proc *p, struct name_args *uap,
 * int64_t *retval): it returns 0 and its result in *retval, or an errno
 * value (bsd/sys/errno.h), which unix_syscall64 hands to user space as
 * -errno. Each argument has a 64-bit slot, in the order of the registers
 * rdi, rsi, rdx, r10, r8, r9; its real type (written in syscalls.master
 * and beside the slot) is the slot's low bits. p is the calling process
 * (current_proc()).
 */

#ifndef BSD_SYS_SYSPROTO_H
#define BSD_SYS_SYSPROTO_H

#include "bsd/sys/sysproto_gen.h"

#endif /* BSD_SYS_SYSPROTO_H */
