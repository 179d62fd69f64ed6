/*
 * errno.h - the kernel's error numbers for the BSD layer.
 *
 * Machina's system call ABI is Linux's (DESIGN.md 5: classes 0 and 2 return
 * -errno to musl and busybox), so the values are Linux's, and a BSD function
 * returns them as is. Mach and IOKit return kern_return_t instead; the one
 * conversion between the two is mach_to_bsd_errno() (bsd/kern/kern_errno.c
 * once it is needed). ERESTART and EJUSTRETURN are the kernel's own: never
 * seen by user space (a system call that returns them is restarted, or
 * returns without touching its registers).
 */

#ifndef BSD_SYS_ERRNO_H
#define BSD_SYS_ERRNO_H

#define EPERM		1	/* operation not permitted */
#define ENOENT		2	/* no such file or directory */
#define ESRCH		3	/* no such process */
#define EINTR		4	/* interrupted system call */
#define EIO		5	/* input/output error */
#define ENXIO		6	/* no such device or address */
#define E2BIG		7	/* argument list too long */
#define ENOEXEC		8	/* exec format error */
#define EBADF		9	/* bad file descriptor */
#define ECHILD		10	/* no child processes */
#define EAGAIN		11	/* resource temporarily unavailable */
#define ENOMEM		12	/* cannot allocate memory */
#define EACCES		13	/* permission denied */
#define EFAULT		14	/* bad address */
#define ENOTBLK		15	/* block device required */
#define EBUSY		16	/* device or resource busy */
#define EEXIST		17	/* file exists */
#define EXDEV		18	/* invalid cross-device link */
#define ENODEV		19	/* no such device */
#define ENOTDIR		20	/* not a directory */
#define EISDIR		21	/* is a directory */
#define EINVAL		22	/* invalid argument */
#define ENFILE		23	/* too many open files in system */
#define EMFILE		24	/* too many open files */
#define ENOTTY		25	/* inappropriate ioctl for device */
#define ETXTBSY		26	/* text file busy */
#define EFBIG		27	/* file too large */
#define ENOSPC		28	/* no space left on device */
#define ESPIPE		29	/* illegal seek */
#define EROFS		30	/* read-only file system */
#define EMLINK		31	/* too many links */
#define EPIPE		32	/* broken pipe */
#define EDOM		33	/* numerical argument out of domain */
#define ERANGE		34	/* numerical result out of range */
#define EDEADLK		35	/* resource deadlock avoided */
#define ENAMETOOLONG	36	/* file name too long */
#define ENOLCK		37	/* no locks available */
#define ENOSYS		38	/* function not implemented */
#define ENOTEMPTY	39	/* directory not empty */
#define ELOOP		40	/* too many levels of symbolic links */
#define ENOMSG		42	/* no message of desired type */
#define EIDRM		43	/* identifier removed */
#define ENODATA		61	/* no data available */
#define ETIME		62	/* timer expired */
#define EPROTO		71	/* protocol error */
#define EBADMSG		74	/* bad message */
#define EOVERFLOW	75	/* value too large for defined data type */
#define EILSEQ		84	/* invalid or incomplete multibyte or wide character */
#define ENOTSOCK	88	/* socket operation on non-socket */
#define EOPNOTSUPP	95	/* operation not supported */
#define EADDRINUSE	98	/* address already in use */
#define ECONNRESET	104	/* connection reset by peer */
#define ETIMEDOUT	110	/* connection timed out */
#define ECONNREFUSED	111	/* connection refused */
#define EALREADY	114	/* operation already in progress */
#define EINPROGRESS	115	/* operation now in progress */
#define ESTALE		116	/* stale file handle */
#define EDQUOT		122	/* disk quota exceeded */
#define ECANCELED	125	/* operation canceled */

#define EWOULDBLOCK	EAGAIN
#define EDEADLOCK	EDEADLK
#define ENOTSUP		EOPNOTSUPP

#define ELAST		133	/* the largest Linux errno value */

/* The kernel's own, never returned to user space. */
#define ERESTART	(-1)	/* restart the system call */
#define EJUSTRETURN	(-2)	/* return to user mode with the registers as they are */

#endif /* BSD_SYS_ERRNO_H */
