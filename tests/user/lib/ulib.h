/*
 * ulib.h - the runtime of Machina's user-mode test programs: process start,
 * system calls, and the few C-library functions the programs need.
 *
 * The programs are static, freestanding x86-64 ELF executables with no C
 * library (see docs/testing.md). System calls follow Machina's ABI
 * (`syscall`, the number in rax, arguments in rdi rsi rdx r10
 * r8 r9, rcx and r11 clobbered); the number's top byte is its class:
 *
 *	class 0	 Linux x86-64 numbers, returning -errno
 *	class 1	 Mach traps, 0x1000000 + XNU's trap number, returning
 *		 kern_return_t
 *
 * Because class 0 is Linux's own numbering, a program that uses only class
 * 0 also runs unmodified on Linux, which is how the host tests run them.
 *
 * The functions with C-library names behave as the C standard says, within
 * the limits written beside them.
 */

#ifndef TESTS_USER_LIB_ULIB_H
#define TESTS_USER_LIB_ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef long		ssize_t;
typedef int		kern_return_t;

#define KERN_SUCCESS		0
#define KERN_INVALID_ARGUMENT	4

/* --- system call numbers --------------------------------------------------- */

#define SYSCALL_CLASS_SHIFT	24
#define SYSCALL_CLASS_UNIX	0
#define SYSCALL_CLASS_MACH	1
#define SYSCALL_CONSTRUCT(class, n)	(((long)(class) << SYSCALL_CLASS_SHIFT) | (n))

/* Class 0: Linux x86-64. */
#define SYS_write		1
#define SYS_exit		60
#define SYS_clock_gettime	228
#define SYS_exit_group		231

/* Class 1: XNU's Mach trap numbers; 0 is an unassigned slot. */
#define MACH_TRAP_null			0
#define MACH_TRAP_swtch_pri		59
#define MACH_TRAP_mach_timebase_info	89
#define MACH_TRAP_mach_wait_until	90
#define MACH_TRAP(n)	SYSCALL_CONSTRUCT(SYSCALL_CLASS_MACH, MACH_TRAP_##n)

/*
 * ulib_syscall6: the `syscall` instruction itself. Inline, so that a
 * benchmark measures the trap and not a call around it.
 */
static inline long
ulib_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
	    : "=a"(ret)
	    : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	return ret;
}

#define ulib_syscall0(nr)		ulib_syscall6((nr), 0, 0, 0, 0, 0, 0)
#define ulib_syscall1(nr, a)		ulib_syscall6((nr), (long)(a), 0, 0, 0, 0, 0)
#define ulib_syscall3(nr, a, b, c)	\
	ulib_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* --- class 0 ----------------------------------------------------------------- */

struct timespec {
	long	tv_sec;
	long	tv_nsec;
};

#define CLOCK_MONOTONIC	1

ssize_t	write(int fd, const void *buf, size_t len);		/* -errno on failure */
int	clock_gettime(int clock, struct timespec *ts);		/* -errno on failure */
void	exit(int status) __attribute__((__noreturn__));	/* exit_group, then exit */

/* --- class 1 ----------------------------------------------------------------- */

struct mach_timebase_info {
	uint32_t	numer;
	uint32_t	denom;
};

kern_return_t	mach_timebase_info_trap(struct mach_timebase_info *info);
kern_return_t	mach_wait_until_trap(uint64_t deadline);
kern_return_t	swtch_pri(int pri);

/* mach_null_trap: class 1, trap 0, which no call occupies: the cheapest round trip. */
static inline kern_return_t
mach_null_trap(void)
{
	return (kern_return_t)ulib_syscall0(MACH_TRAP(null));
}

/* --- strings and memory (the compiler may call the mem* functions itself) ---- */

size_t	strlen(const char *s);
int	strcmp(const char *a, const char *b);
void	*memset(void *dst, int c, size_t n);
void	*memcpy(void *restrict dst, const void *restrict src, size_t n);
void	*memmove(void *dst, const void *src, size_t n);
int	memcmp(const void *a, const void *b, size_t n);
/* strtol: bases 0, 10 and 16 only; no overflow detection. */
long	strtol(const char *s, char **end, int base);
int	atoi(const char *s);

/* --- formatted output ---------------------------------------------------------- */

/*
 * printf, dprintf: %d %i %u %x %p %s %c %%, with the l, ll and z length
 * modifiers, a field width and the 0 and - flags. Output is buffered per
 * call and written with write(2); the result is the number of bytes
 * written, or -errno.
 */
int	printf(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
int	dprintf(int fd, const char *fmt, ...) __attribute__((__format__(__printf__, 2, 3)));
int	vdprintf(int fd, const char *fmt, va_list ap);

/* --- process start ------------------------------------------------------------- */

/* The program's own; called by ulib_start() with the entry stack's contents. */
int	main(int argc, char **argv, char **envp);

/* ulib_start: from crt0's _start; sp points at argc. Calls main, then exit. */
void	ulib_start(long *sp) __attribute__((__noreturn__));

extern char		**environ;
extern const uint64_t	*ulib_auxv;	/* (a_type, a_val) pairs up to AT_NULL */

#endif /* TESTS_USER_LIB_ULIB_H */
