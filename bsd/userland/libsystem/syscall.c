/*
 * syscall.c - the class-1 and class-2 stubs (sys/bsdsyscall.h): one
 * `syscall` instruction with the number in rax and up to six arguments in
 * rdi, rsi, rdx, r10, r8, r9; rcx and r11 are lost.
 */

#include <sys/bsdsyscall.h>

#include <errno.h>
#include <stdarg.h>

static long
raw_syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
	    : "=a"(ret)
	    : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	return ret;
}

/*
 * Reading six arguments whatever the caller passed is what musl's own
 * syscall() does: on x86-64 the unnamed ones are registers, and the extra
 * ones are whatever the registers or stack slots hold; the kernel ignores
 * what a call does not take.
 */
#define TAKE_SIX(first)							\
	va_list ap;							\
	long a[6];							\
	va_start(ap, first);						\
	for (int i = 0; i < 6; i++)					\
		a[i] = va_arg(ap, long);				\
	va_end(ap)

long
__bsd_syscall(long n, ...)
{
	long r;
	TAKE_SIX(n);

	r = raw_syscall6(SYSCALL_CONSTRUCT_UNIX(n), a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

long
__mach_trap(long n, ...)
{
	TAKE_SIX(n);

	return (int)raw_syscall6(SYSCALL_CONSTRUCT_MACH(n), a[0], a[1], a[2], a[3], a[4], a[5]);
}
