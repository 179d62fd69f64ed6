/*
 * syscall_sw.h - system-call classes (DESIGN.md section 5; XNU's
 * mach/i386/syscall_sw.h values, with class 0 taking Linux's numbers).
 *
 * A system call's number is 32 bits: the top byte its class, the rest its
 * number within the class.
 *
 *	class 0	Linux x86-64 numbers	bsd/kern/unix_syscall.c	returns -errno
 *	class 1	Mach traps		mach/kern/syscall_sw.c	returns kern_return_t
 *	class 2	XNU's BSD numbers	bsd/kern/unix_syscall.c	returns -errno
 */

#ifndef MACH_SYSCALL_SW_H
#define MACH_SYSCALL_SW_H

#define SYSCALL_CLASS_SHIFT	24
#define SYSCALL_CLASS_MASK	(0xffULL << SYSCALL_CLASS_SHIFT)
#define SYSCALL_NUMBER_MASK	((1ULL << SYSCALL_CLASS_SHIFT) - 1)

#define SYSCALL_CLASS_UNIX	0	/* Linux numbers */
#define SYSCALL_CLASS_MACH	1	/* Mach traps */
#define SYSCALL_CLASS_BSD	2	/* XNU's BSD numbers */

#define SYSCALL_CONSTRUCT_MACH(n)	((SYSCALL_CLASS_MACH << SYSCALL_CLASS_SHIFT) | (n))
#define SYSCALL_CONSTRUCT_BSD(n)	((SYSCALL_CLASS_BSD << SYSCALL_CLASS_SHIFT) | (n))

#endif /* MACH_SYSCALL_SW_H */
