/*
 * sys_generic.c - the generic I/O system calls. For now only write, and
 * only to the console: fds 1 and 2 until there are files.
 */

#include "bsd/sys/sysproto.h"

#include "bsd/sys/errno.h"
#include "kernel/console.h"
#include "kernel/copyio.h"
#include "libkern/cdefs.h"

#define WRITE_CHUNK	256		/* bytes copied in at a time, on the stack */
#define WRITE_MAX	0x7ffff000ULL	/* the most one call writes (Linux's limit) */

/*
 * write: nbyte bytes from cbuf to fd. Returns the bytes written; EBADF for
 * a descriptor other than 1 and 2; EFAULT if nothing could be read from
 * cbuf (a fault after some bytes were written ends the write short).
 */
int
write(struct proc *p, struct write_args *uap, int64_t *retval)
{
	char buf[WRITE_CHUNK];
	unsigned int fd = (unsigned int)uap->fd;
	uint64_t nbyte = MIN(uap->nbyte, WRITE_MAX), done = 0;

	(void)p;
	if (fd != 1 && fd != 2)
		return EBADF;
	while (done < nbyte) {
		vm_size_t n = (vm_size_t)MIN(nbyte - done, sizeof(buf));

		if (copyin(uap->cbuf + done, buf, n) != 0) {
			if (done == 0)
				return EFAULT;
			break;
		}
		console_write(buf, n);
		done += n;
	}
	*retval = (int64_t)done;
	return 0;
}
