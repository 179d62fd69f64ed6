/*
 * kern_subr.c - uio: describing and moving I/O data (bsd/sys/uio.h).
 */

#include "bsd/sys/uio.h"

#include "bsd/sys/errno.h"
#include "kernel/copyio.h"
#include "kernel/kheap.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"

uio_t
uio_create(int iovcount, off_t offset, enum uio_seg spacetype, enum uio_rw iodirection)
{
	uio_t uio;

	if (iovcount < 0 || iovcount > UIO_MAXIOV)
		return NULL;
	uio = kheap_alloc(&kernel_heap, sizeof(*uio));
	if (uio == NULL)
		return NULL;
	memset(uio, 0, sizeof(*uio));
	if (iovcount <= (int)nitems(uio->uio_iov_inline)) {
		uio->uio_iovs = uio->uio_iov_inline;
		uio->uio_max_iovs = (int)nitems(uio->uio_iov_inline);
	} else {
		uio->uio_iovs = kheap_alloc(&kernel_heap, (size_t)iovcount * sizeof(struct iovec));
		if (uio->uio_iovs == NULL) {
			kheap_free(&kernel_heap, uio);
			return NULL;
		}
		uio->uio_max_iovs = iovcount;
	}
	uio->uio_offset = offset;
	uio->uio_segflg = spacetype;
	uio->uio_rw = iodirection;
	return uio;
}

void
uio_free(uio_t uio)
{
	if (uio == NULL)
		return;
	if (uio->uio_iovs != uio->uio_iov_inline)
		kheap_free(&kernel_heap, uio->uio_iovs);
	kheap_free(&kernel_heap, uio);
}

int
uio_addiov(uio_t uio, uint64_t baseaddr, uint64_t length)
{
	if (uio->uio_iovcnt >= uio->uio_max_iovs ||
	    length > (uint64_t)INT64_MAX - (uint64_t)uio->uio_resid)
		return EINVAL;
	uio->uio_iovs[uio->uio_iovcnt].iov_base = baseaddr;
	uio->uio_iovs[uio->uio_iovcnt].iov_len = length;
	uio->uio_iovcnt++;
	uio->uio_resid += (int64_t)length;
	return 0;
}

void
uio_init(struct uio *uio, uint64_t baseaddr, uint64_t length, off_t offset,
    enum uio_seg spacetype, enum uio_rw iodirection)
{
	/* Field by field, on every read and write: no memset of the unused piece. */
	uio->uio_iovs = uio->uio_iov_inline;
	uio->uio_iovcnt = 0;
	uio->uio_curiov = 0;
	uio->uio_max_iovs = (int)nitems(uio->uio_iov_inline);
	uio->uio_offset = offset;
	uio->uio_resid = 0;
	uio->uio_segflg = spacetype;
	uio->uio_rw = iodirection;
	(void)uio_addiov(uio, baseaddr, length);
}

int
uiomove(void *cp, int64_t n, uio_t uio)
{
	uint8_t *kaddr = cp;

	while (n > 0 && uio->uio_resid > 0 && uio->uio_curiov < uio->uio_iovcnt) {
		struct iovec *iov = &uio->uio_iovs[uio->uio_curiov];
		uint64_t cnt = MIN(iov->iov_len, (uint64_t)n);
		int error = 0;

		if (cnt == 0) {
			uio->uio_curiov++;
			continue;
		}
		if (uio->uio_segflg == UIO_USERSPACE64) {
			error = uio->uio_rw == UIO_READ ? copyout(kaddr, iov->iov_base, cnt)
							: copyin(iov->iov_base, kaddr, cnt);
		} else if (uio->uio_rw == UIO_READ) {
			memmove((void *)iov->iov_base, kaddr, cnt);
		} else {
			memmove(kaddr, (const void *)iov->iov_base, cnt);
		}
		if (error != 0)
			return error;
		iov->iov_base += cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= (int64_t)cnt;
		uio->uio_offset += (off_t)cnt;
		kaddr += cnt;
		n -= (int64_t)cnt;
	}
	return 0;
}
