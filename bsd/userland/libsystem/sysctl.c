/*
 * sysctl.c - sysctl(3), sysctlbyname(3) and sysctlnametomib(3)
 * (sys/sysctl.h): Machina's class-2 calls 202 and 274 (XNU's numbers),
 * and the sysctl.name2oid node ({0, 3}) for translating names.
 */

#include <sys/sysctl.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define SYSCALL_CLASS_BSD	0x2000000
#define SYS_BSD_sysctl		202
#define SYS_BSD_sysctlbyname	274

/*
 * Class-2 call: number and six arguments in the registers Machina's
 * syscall ABI takes; -1 and errno on failure.
 */
static long
bsd_call6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
	    : "=a"(ret)
	    : "a"(SYSCALL_CLASS_BSD + n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

int
sysctl(const int *name, unsigned int namelen, void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	return (int)bsd_call6(SYS_BSD_sysctl, (long)name, (long)namelen, (long)oldp,
	    (long)oldlenp, (long)newp, (long)newlen);
}

int
sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp, size_t newlen)
{
	return (int)bsd_call6(SYS_BSD_sysctlbyname, (long)name, (long)strlen(name), (long)oldp,
	    (long)oldlenp, (long)newp, (long)newlen);
}

int
sysctlnametomib(const char *name, int *mibp, size_t *sizep)
{
	int q[2] = { CTL_UNSPEC, 3 };
	size_t len;

	if (sizep == NULL) {
		errno = EINVAL;
		return -1;
	}
	len = *sizep * sizeof(int);
	if (sysctl(q, 2, mibp, &len, name, strlen(name)) == -1)
		return -1;
	*sizep = len / sizeof(int);
	return 0;
}
