/*
 * errno.h - the kernel's error numbers for the BSD layer.
 *
 * Machina's system call ABI is Linux's (DESIGN.md 5: classes 0 and 2 return
 * -errno to musl and busybox), so the values are Linux's, and a BSD function
 * returns them as is. Mach and IOKit return kern_return_t instead; the one
 * conversion between the two is mach_to_bsd_errno().
 */

#ifndef BSD_SYS_ERRNO_H
#define BSD_SYS_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define EWOULDBLOCK	EAGAIN
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOSPC		28
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ENOTSUP		95
#define ETIMEDOUT	110

#endif /* BSD_SYS_ERRNO_H */
