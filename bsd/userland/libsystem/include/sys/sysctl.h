/*
 * sys/sysctl.h - the kernel's MIB from user space: sysctl(3),
 * sysctlbyname(3), sysctlnametomib(3), the top-level and standard names,
 * and the records kern.proc, vm.zones and debug.lock_stats give out.
 * Machina's layouts; docs/sysctl.md lists every node.
 *
 *	int ncpu;
 *	size_t len = sizeof(ncpu);
 *	if (sysctlbyname("hw.ncpu", &ncpu, &len, NULL, 0) == -1)
 *		err(1, "hw.ncpu");
 *
 * A read with oldp NULL answers, in *oldlenp, the length needed; a buffer
 * too short fails with ENOMEM, keeps what fits, and also sets *oldlenp to
 * the length needed.
 */

#ifndef _SYS_SYSCTL_H_
#define _SYS_SYSCTL_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/sysctl_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

int	sysctl(const int *name, unsigned int namelen, void *oldp, size_t *oldlenp,
	    const void *newp, size_t newlen);
int	sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp,
	    size_t newlen);
/* sysctlnametomib: the OID of a name, in mibp (*sizep entries of room; set to the count). */
int	sysctlnametomib(const char *name, int *mibp, size_t *sizep);

#ifdef __cplusplus
}
#endif

#endif /* _SYS_SYSCTL_H_ */
