/*
 * IOStorageRequest.h - the storage family's checks of a device's geometry
 * and of a request against it, with no side effect (seL4's decode before
 * invoke): the IOBlockStorageDriver refuses with these before any device
 * sees a request, and the BSD glue cuts a read or write of /dev/diskN at
 * the end of the medium. Plain functions of integers, so they are tested
 * on the host (tests/unit/iokit/test_IOStorageRequest.c).
 *
 * The family's own: it is in the SDK only because IOMedia.h and
 * IOBlockStorageDriver.h name struct IOStorageGeometry; a driver has no
 * need to call these.
 */

#ifndef IOKIT_FAMILIES_IOSTORAGEFAMILY_IOSTORAGEREQUEST_H
#define IOKIT_FAMILIES_IOSTORAGEFAMILY_IOSTORAGEREQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "iokit/Kernel/IOReturn.h"

/* What the family knows of a medium: fixed while it is published. */
struct IOStorageGeometry {
	uint64_t	sg_blockSize;	/* bytes per block: a power of two, 512..65536 */
	uint64_t	sg_blockCount;	/* blocks, >= 1; sg_blockSize * sg_blockCount fits */
	bool		sg_writable;
};

/*
 * IOStorageCheckGeometry: fill *geometry from a device's answers (block
 * size, last block's number, write protection). kIOReturnBadArgument, with
 * *why saying what, for a block size that is not a power of two from 512
 * to 65536, or a medium whose size in bytes does not fit in 63 bits (the
 * largest off_t).
 */
IOReturn	IOStorageCheckGeometry(uint64_t blockSize, uint64_t maxValidBlock,
		    bool writeProtected, struct IOStorageGeometry *geometry, const char **why);

/*
 * IOStorageCheckRequest: whether a transfer of byteCount bytes at byte
 * offset byteStart of the medium may go to the device, and its blocks.
 * Returns kIOReturnSuccess with *block and *nblks; kIOReturnBadArgument
 * for a zero count or an offset or count that is not a whole number of
 * blocks; kIOReturnOverrun if any byte lies past the end (also when the
 * sum overflows); kIOReturnNotWritable for a write to a medium that is
 * not writable. *why (may be NULL) says which.
 */
IOReturn	IOStorageCheckRequest(const struct IOStorageGeometry *geometry,
		    uint64_t byteStart, uint64_t byteCount, bool isWrite, uint64_t *block,
		    uint64_t *nblks, const char **why);

/*
 * IOStorageClipTransfer: how much of a read or write of resid bytes at
 * offset of a character device node goes to the medium: the
 * block-aligned span cut at the end of the medium. Returns
 * kIOReturnSuccess with *length (0 for a read at or past the end: end of
 * file); kIOReturnBadArgument for a negative or unaligned offset or an
 * unaligned length (EINVAL); kIOReturnNoSpace for a write that starts at
 * or past the end (ENOSPC); kIOReturnNotWritable for a write to a medium
 * that is not writable (EROFS).
 */
IOReturn	IOStorageClipTransfer(const struct IOStorageGeometry *geometry, int64_t offset,
		    uint64_t resid, bool isWrite, uint64_t *length);

#endif /* IOKIT_FAMILIES_IOSTORAGEFAMILY_IOSTORAGEREQUEST_H */
