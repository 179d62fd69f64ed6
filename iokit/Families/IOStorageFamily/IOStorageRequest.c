/*
 * IOStorageRequest.c - the storage family's side-effect-free checks of
 * geometries and requests (IOStorageRequest.h).
 */

#include "iokit/Families/IOStorageFamily/IOStorageRequest.h"

#include <stddef.h>

#define STORAGE_MIN_BLOCK	512u
#define STORAGE_MAX_BLOCK	65536u
#define STORAGE_MAX_BYTES	((uint64_t)INT64_MAX)

static void
say(const char **why, const char *what)
{
	if (why != NULL)
		*why = what;
}

IOReturn
IOStorageCheckGeometry(uint64_t blockSize, uint64_t maxValidBlock, bool writeProtected,
    struct IOStorageGeometry *geometry, const char **why)
{
	uint64_t count;

	if (blockSize < STORAGE_MIN_BLOCK || blockSize > STORAGE_MAX_BLOCK ||
	    (blockSize & (blockSize - 1)) != 0) {
		say(why, "block size is not a power of two from 512 to 65536");
		return kIOReturnBadArgument;
	}
	if (maxValidBlock == UINT64_MAX) {
		say(why, "block count overflows");
		return kIOReturnBadArgument;
	}
	count = maxValidBlock + 1;
	if (count > STORAGE_MAX_BYTES / blockSize) {
		say(why, "size in bytes does not fit in an off_t");
		return kIOReturnBadArgument;
	}
	geometry->sg_blockSize = blockSize;
	geometry->sg_blockCount = count;
	geometry->sg_writable = !writeProtected;
	say(why, NULL);
	return kIOReturnSuccess;
}

IOReturn
IOStorageCheckRequest(const struct IOStorageGeometry *geometry, uint64_t byteStart,
    uint64_t byteCount, bool isWrite, uint64_t *block, uint64_t *nblks, const char **why)
{
	uint64_t bs = geometry->sg_blockSize, first, count;

	if (byteCount == 0) {
		say(why, "no bytes");
		return kIOReturnBadArgument;
	}
	if ((byteStart & (bs - 1)) != 0 || (byteCount & (bs - 1)) != 0) {
		say(why, "not a whole number of blocks");
		return kIOReturnBadArgument;
	}
	first = byteStart / bs;
	count = byteCount / bs;
	/* first + count <= blockCount, written so that nothing overflows. */
	if (first >= geometry->sg_blockCount || count > geometry->sg_blockCount - first) {
		say(why, "past the end of the medium");
		return kIOReturnOverrun;
	}
	if (isWrite && !geometry->sg_writable) {
		say(why, "the medium is not writable");
		return kIOReturnNotWritable;
	}
	*block = first;
	*nblks = count;
	say(why, NULL);
	return kIOReturnSuccess;
}

IOReturn
IOStorageClipTransfer(const struct IOStorageGeometry *geometry, int64_t offset, uint64_t resid,
    bool isWrite, uint64_t *length)
{
	uint64_t bs = geometry->sg_blockSize;
	uint64_t size = geometry->sg_blockSize * geometry->sg_blockCount;

	if (offset < 0 || ((uint64_t)offset & (bs - 1)) != 0 || (resid & (bs - 1)) != 0)
		return kIOReturnBadArgument;
	if (isWrite && !geometry->sg_writable)
		return kIOReturnNotWritable;
	if ((uint64_t)offset >= size) {
		*length = 0;
		return isWrite && resid > 0 ? kIOReturnNoSpace : kIOReturnSuccess;
	}
	*length = resid < size - (uint64_t)offset ? resid : size - (uint64_t)offset;
	return kIOReturnSuccess;
}
