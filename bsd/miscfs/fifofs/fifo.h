/*
 * fifo.h - named pipes: the vnode operations of a FIFO node (mkfifo,
 * mknod S_IFIFO), which a filesystem puts beside its own getattr,
 * setattr, inactive and reclaim (XNU's fifofs).
 *
 * A FIFO's buffer (FIFO_SIZE bytes, PIPE_BUF atomic) exists while it is
 * open and goes with its last close; what was left unread goes with it.
 * Opening for reading waits for a writer and opening for writing waits
 * for a reader (both interruptible); O_NONBLOCK opens for reading at once,
 * and for writing fails with ENXIO when there is no reader. Reads give end
 * of file once there is no writer; a write with no reader is EPIPE and
 * SIGPIPE.
 *
 * Locks: [F] one mutex per open FIFO (held across the copy in or out); the
 * FIFO table lock covers v_fifoinfo and each FIFO's reference count.
 */

#ifndef BSD_MISCFS_FIFOFS_FIFO_H
#define BSD_MISCFS_FIFOFS_FIFO_H

#include "bsd/sys/vnode_if.h"

#define FIFO_SIZE	16384

int	fifo_open(vnode_t vp, int fflag, vfs_context_t ctx);
int	fifo_close(vnode_t vp, int fflag, vfs_context_t ctx);
int	fifo_read(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx);
int	fifo_write(vnode_t vp, struct uio *uio, int ioflag, vfs_context_t ctx);
int	fifo_ioctl(vnode_t vp, unsigned long cmd, void *data, int fflag, vfs_context_t ctx);
int	fifo_select(vnode_t vp, int which, int fflag, void *wql, vfs_context_t ctx);

/* fifo_init: the FIFO table; once, from vfsinit. */
void	fifo_init(void);
/* fifo_count: FIFOs open now, for tests. */
unsigned fifo_count(void);

#endif /* BSD_MISCFS_FIFOFS_FIFO_H */
