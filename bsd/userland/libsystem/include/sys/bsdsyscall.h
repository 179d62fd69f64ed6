/*
 * sys/bsdsyscall.h - Machina's system-call classes from user space: the
 * stubs that reach class 1 (Mach traps, XNU's numbers) and class 2 (BSD
 * calls POSIX lacks, XNU's numbers), for programs built with musl.
 *
 * Class 0 is Linux's numbering and is what musl's own syscall() and every
 * libc function already use; nothing here is needed for it. A number's top
 * byte is its class (DESIGN.md section 5, docs/usermode.md):
 *
 *	class 0   n              Linux x86-64      returns value or -errno
 *	class 1   0x1000000 + n  Mach trap n       returns a kern_return_t
 *	class 2   0x2000000 + n  XNU BSD call n    returns value or -errno
 *
 * __bsd_syscall(n, ...) makes class-2 call n and behaves like syscall(2):
 * -1 with errno set on failure, the call's value otherwise. __mach_trap(n,
 * ...) makes Mach trap n and returns the kern_return_t as the kernel gave
 * it. Both take up to six integer or pointer arguments (extra ones are
 * ignored); a Mach trap with more than six arguments needs a stub that
 * passes the rest on the stack, and none exists yet.
 *
 *	char buf[64];
 *	size_t len = sizeof(buf);
 *	if (__bsd_syscall(XNU_SYS_sysctlbyname, "kern.ostype", 11, buf, &len,
 *	    NULL, 0) == -1)
 *		err(1, "sysctlbyname");
 */

#ifndef _SYS_BSDSYSCALL_H_
#define _SYS_BSDSYSCALL_H_

/* XNU's names for the class encoding (osfmk/mach/i386/syscall_sw.h). */
#define SYSCALL_CLASS_SHIFT	24
#define SYSCALL_CLASS_MASK	(0xffUL << SYSCALL_CLASS_SHIFT)
#define SYSCALL_NUMBER_MASK	(~SYSCALL_CLASS_MASK)
#define SYSCALL_CLASS_NONE	0	/* Linux's numbers, on Machina */
#define SYSCALL_CLASS_MACH	1	/* Mach traps */
#define SYSCALL_CLASS_UNIX	2	/* XNU's BSD numbers */

#define SYSCALL_CONSTRUCT_MACH(n) \
	((SYSCALL_CLASS_MACH << SYSCALL_CLASS_SHIFT) | ((n) & SYSCALL_NUMBER_MASK))
#define SYSCALL_CONSTRUCT_UNIX(n) \
	((SYSCALL_CLASS_UNIX << SYSCALL_CLASS_SHIFT) | ((n) & SYSCALL_NUMBER_MASK))

/*
 * Class-2 numbers (XNU's bsd/kern/syscalls.master). Prefixed XNU_ so that
 * they never meet musl's SYS_* (Linux's numbers) in one program.
 */
#define XNU_SYS___sysctl	202	/* name, namelen, oldp, oldlenp, newp, newlen */
#define XNU_SYS_sysctlbyname	274	/* name, namelen, oldp, oldlenp, newp, newlen */

/* Machina's own class-2 calls, numbered above XNU's last (<sys/kext.h>). */
#define MACHINA_SYS_kext_load	600	/* struct kext_load_request * */
#define MACHINA_SYS_kext_unload	601	/* struct kext_unload_request * */
#define MACHINA_SYS_kext_stat	602	/* struct kext_stat_entry *buf, unsigned max */

/* __bsd_syscall: class-2 call n; -1 and errno on failure, as syscall(2). */
long	__bsd_syscall(long n, ...);

/* __mach_trap: Mach trap n (class 1); the kern_return_t as returned. */
long	__mach_trap(long n, ...);

#endif /* _SYS_BSDSYSCALL_H_ */
