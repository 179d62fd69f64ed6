/*
 * mach_test.h - what the Mach IPC user tests share: the kernel's counts of
 * IPC objects (sysctl debug.ipc.*, read before and after to show nothing
 * leaked) and what a name in the caller's space holds.
 */

#ifndef TESTS_BSD_MACH_TEST_H
#define TESTS_BSD_MACH_TEST_H

#include <mach/mach.h>
#include <stdio.h>
#include <sys/sysctl.h>

/* ipc_count: debug.ipc.<what> (ports, port_sets, spaces, kmsgs), -1 if unreadable. */
static int __attribute__((unused))
ipc_count(const char *what)
{
	char name[64];
	int n = -1;
	size_t len = sizeof(n);

	snprintf(name, sizeof(name), "debug.ipc.%s", what);
	if (sysctlbyname(name, &n, &len, NULL, 0) != 0)
		return -1;
	return n;
}

/* type_of: the rights name holds in this task (request bits left out), 0 if none. */
static mach_port_type_t __attribute__((unused))
type_of(mach_port_name_t name)
{
	mach_port_type_t t = 0;

	if (mach_port_type(mach_task_self(), name, &t) != KERN_SUCCESS)
		return 0;
	return t & ~(MACH_PORT_TYPE_DNREQUEST | MACH_PORT_TYPE_SPREQUEST);
}

#endif /* TESTS_BSD_MACH_TEST_H */
