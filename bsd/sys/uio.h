/*
 * uio.h - describing an I/O's memory: a list of (address, length) pieces
 * in user or kernel space, an offset in the file, and how much is left
 * (XNU's uio KPI, which filesystems and drivers use).
 *
 *	uio_t uio = uio_create(1, offset, UIO_USERSPACE64, UIO_READ);
 *	uio_addiov(uio, user_buf, len);
 *	error = VNOP_READ(vp, uio, 0, ctx);
 *	done = len - uio_resid(uio);
 *	uio_free(uio);
 *
 * A driver or filesystem moves data with uiomove(kernel_buffer, n, uio):
 * to the described memory for UIO_READ, from it for UIO_WRITE, advancing
 * the offset and the pieces; user memory goes through copyin/copyout, so
 * a bad user pointer is EFAULT, never a fault in the kernel.
 *
 * Locks: a uio belongs to its caller; none.
 */

#ifndef BSD_SYS_UIO_H
#define BSD_SYS_UIO_H

#include <stdint.h>

#include "bsd/sys/types.h"

/* The user's iovec (Linux layout: readv, writev). */
struct iovec {
	uint64_t	iov_base;
	uint64_t	iov_len;
};

#define UIO_MAXIOV	1024		/* IOV_MAX */

enum uio_seg {
	UIO_USERSPACE64 = 1,		/* addresses in the current thread's map */
	UIO_SYSSPACE = 2,		/* kernel addresses */
};
#define UIO_USERSPACE	UIO_USERSPACE64

enum uio_rw {
	UIO_READ = 0,			/* data moves to the described memory */
	UIO_WRITE = 1,			/* data moves from it */
};

struct uio {
	struct iovec	*uio_iovs;	/* the pieces (uio_iov_inline or allocated) */
	int		uio_iovcnt;	/* pieces added */
	int		uio_curiov;	/* the first piece not yet used up */
	int		uio_max_iovs;	/* room for */
	off_t		uio_offset;
	int64_t		uio_resid;	/* bytes left in all pieces */
	enum uio_seg	uio_segflg;
	enum uio_rw	uio_rw;
	struct iovec	uio_iov_inline[2];
};

typedef struct uio *uio_t;

/* uio_create: a uio for up to iovcount pieces (added with uio_addiov); NULL if no memory. */
uio_t		uio_create(int iovcount, off_t offset, enum uio_seg spacetype,
		    enum uio_rw iodirection);
void		uio_free(uio_t uio);
/* uio_addiov: another piece; EINVAL if there is no room or the total would overflow. */
int		uio_addiov(uio_t uio, uint64_t baseaddr, uint64_t length);

/* uio_init: a uio on the caller's storage with one piece (no allocation). */
void		uio_init(struct uio *uio, uint64_t baseaddr, uint64_t length, off_t offset,
		    enum uio_seg spacetype, enum uio_rw iodirection);

static inline int64_t	uio_resid(const struct uio *uio) { return uio->uio_resid; }
static inline off_t	uio_offset(const struct uio *uio) { return uio->uio_offset; }
static inline void	uio_setoffset(struct uio *uio, off_t off) { uio->uio_offset = off; }
static inline int	uio_rw(const struct uio *uio) { return uio->uio_rw; }
static inline int	uio_isuserspace(const struct uio *uio)
{
	return uio->uio_segflg == UIO_USERSPACE64;
}

/*
 * uiomove: move up to n bytes between cp and the uio's memory, in the
 * uio's direction; advances it. 0, or EFAULT for a bad user address (what
 * moved before it stays moved).
 */
int		uiomove(void *cp, int64_t n, uio_t uio);

#endif /* BSD_SYS_UIO_H */
