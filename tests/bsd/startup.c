/*
 * startup.c - what a static C runtime needs before main, and the first
 * calls: arguments, the thread pointer (arch_prctl), set_tid_address and
 * gettid, writing to the console, and -ENOSYS for a call that does not
 * exist.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#define ARCH_SET_GS	0x1001
#define ARCH_GET_FS	0x1003

static __thread int tls_value = 42;

int
main(int argc, char **argv)
{
	uint64_t fs = 0;

	TAP_OK(argc >= 1 && argv[0] != NULL && strstr(argv[0], "startup") != NULL,
	    "argv[0] names the program");
	TAP_OK(argv[argc] == NULL, "argv ends with NULL");
	TAP_EQ(tls_value, 42, "thread-local data is initialised");
	tls_value = 7;
	TAP_EQ(tls_value, 7, "thread-local data is writable");
	TAP_SUCCEEDS(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), "arch_prctl(ARCH_GET_FS)");
	TAP_OK(fs != 0 && fs < 0x800000000000ULL, "the thread pointer is a user address");
	TAP_ERRNO(syscall(SYS_arch_prctl, ARCH_SET_GS, 0), EINVAL, "arch_prctl(ARCH_SET_GS) is refused");
	TAP_ERRNO(syscall(SYS_arch_prctl, ARCH_GET_FS, (void *)8), EFAULT,
	    "arch_prctl(ARCH_GET_FS) to a bad pointer");
	TAP_ERRNO(syscall(SYS_arch_prctl, 0x1002, 0xffff800000000000ULL), EPERM,
	    "arch_prctl(ARCH_SET_FS) to a kernel address is refused");
	TAP_OK(syscall(SYS_gettid) > 0, "gettid");
	TAP_OK(syscall(SYS_set_tid_address, NULL) == syscall(SYS_gettid),
	    "set_tid_address returns the thread id");
	TAP_ERRNO(syscall(1000), ENOSYS, "an unknown call is ENOSYS");
	TAP_ERRNO(syscall(0x2000000 | 999), ENOSYS, "an unknown class 2 call is ENOSYS");
	TAP_ERRNO(syscall(0x7000000), ENOSYS, "an unknown class is ENOSYS");
	TAP_EQ(write(1, "", 0), 0, "a write of nothing");
	return tap_done();
}
