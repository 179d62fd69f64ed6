/*
 * test_IOStorageRequest.c - the storage family's request checks on the
 * host (iokit/Families/IOStorageFamily/IOStorageRequest.c): geometries a
 * device may and may not report, requests refused before a device sees
 * them (zero, unaligned, past the end, counts that overflow, writes to a
 * read-only medium), and how /dev/diskN cuts a transfer at the end.
 */

#include <criterion/criterion.h>
#include <stdint.h>

#include "iokit/Families/IOStorageFamily/IOStorageRequest.h"

/* 1 MiB of 512-byte blocks, as the RAMDisk test kext has. */
static const struct IOStorageGeometry disk = {
	.sg_blockSize = 512, .sg_blockCount = 2048, .sg_writable = true,
};
static const struct IOStorageGeometry rodisk = {
	.sg_blockSize = 512, .sg_blockCount = 128, .sg_writable = false,
};

Test(IOStorageRequest, geometry_accepted)
{
	struct IOStorageGeometry g;
	const char *why = "unset";

	cr_assert_eq(IOStorageCheckGeometry(512, 2047, false, &g, &why), kIOReturnSuccess);
	cr_assert_eq(g.sg_blockSize, 512);
	cr_assert_eq(g.sg_blockCount, 2048);
	cr_assert(g.sg_writable);
	cr_assert_null(why);
	cr_assert_eq(IOStorageCheckGeometry(65536, 0, true, &g, NULL), kIOReturnSuccess);
	cr_assert_eq(g.sg_blockCount, 1);
	cr_assert(!g.sg_writable);
	cr_assert_eq(IOStorageCheckGeometry(4096, 1, false, &g, NULL), kIOReturnSuccess);
}

Test(IOStorageRequest, geometry_refused)
{
	struct IOStorageGeometry g;
	const char *why = NULL;

	cr_assert_eq(IOStorageCheckGeometry(0, 10, false, &g, &why), kIOReturnBadArgument);
	cr_assert_not_null(why);
	cr_assert_eq(IOStorageCheckGeometry(256, 10, false, &g, NULL), kIOReturnBadArgument);
	cr_assert_eq(IOStorageCheckGeometry(520, 10, false, &g, NULL), kIOReturnBadArgument);
	cr_assert_eq(IOStorageCheckGeometry(131072, 10, false, &g, NULL), kIOReturnBadArgument);
	/* The block count itself overflows, and the size in bytes does. */
	cr_assert_eq(IOStorageCheckGeometry(512, UINT64_MAX, false, &g, NULL),
	    kIOReturnBadArgument);
	cr_assert_eq(IOStorageCheckGeometry(512, UINT64_MAX / 512, false, &g, NULL),
	    kIOReturnBadArgument);
	cr_assert_eq(IOStorageCheckGeometry(512, (uint64_t)INT64_MAX / 512 - 1, false, &g, NULL),
	    kIOReturnSuccess);
}

Test(IOStorageRequest, whole_blocks_inside)
{
	uint64_t block = 99, nblks = 99;

	cr_assert_eq(IOStorageCheckRequest(&disk, 0, 512, false, &block, &nblks, NULL),
	    kIOReturnSuccess);
	cr_assert_eq(block, 0);
	cr_assert_eq(nblks, 1);
	cr_assert_eq(IOStorageCheckRequest(&disk, 1024, 4096, true, &block, &nblks, NULL),
	    kIOReturnSuccess);
	cr_assert_eq(block, 2);
	cr_assert_eq(nblks, 8);
	/* The whole medium, and its last block. */
	cr_assert_eq(IOStorageCheckRequest(&disk, 0, 1 << 20, true, &block, &nblks, NULL),
	    kIOReturnSuccess);
	cr_assert_eq(nblks, 2048);
	cr_assert_eq(IOStorageCheckRequest(&disk, 2047 * 512, 512, false, &block, &nblks, NULL),
	    kIOReturnSuccess);
	cr_assert_eq(block, 2047);
}

Test(IOStorageRequest, zero_and_unaligned)
{
	uint64_t block = 7, nblks = 7;
	const char *why = NULL;

	cr_assert_eq(IOStorageCheckRequest(&disk, 0, 0, false, &block, &nblks, &why),
	    kIOReturnBadArgument);
	cr_assert_not_null(why);
	cr_assert_eq(IOStorageCheckRequest(&disk, 1, 512, false, &block, &nblks, NULL),
	    kIOReturnBadArgument);
	cr_assert_eq(IOStorageCheckRequest(&disk, 512, 511, false, &block, &nblks, NULL),
	    kIOReturnBadArgument);
	cr_assert_eq(IOStorageCheckRequest(&disk, 512, 513, true, &block, &nblks, NULL),
	    kIOReturnBadArgument);
	/* Refusals leave the outputs alone. */
	cr_assert_eq(block, 7);
	cr_assert_eq(nblks, 7);
}

Test(IOStorageRequest, past_the_end_and_overflow)
{
	uint64_t block, nblks;

	cr_assert_eq(IOStorageCheckRequest(&disk, 1 << 20, 512, false, &block, &nblks, NULL),
	    kIOReturnOverrun);
	cr_assert_eq(IOStorageCheckRequest(&disk, 2047 * 512, 1024, false, &block, &nblks, NULL),
	    kIOReturnOverrun);
	/* start + count wraps to a small number: still past the end. */
	cr_assert_eq(IOStorageCheckRequest(&disk, 512, UINT64_MAX - 511, false, &block, &nblks,
	    NULL), kIOReturnOverrun);
	cr_assert_eq(IOStorageCheckRequest(&disk, UINT64_MAX - 511, 1024, false, &block, &nblks,
	    NULL), kIOReturnOverrun);
	cr_assert_eq(IOStorageCheckRequest(&disk, 0, (uint64_t)1 << 63, false, &block, &nblks,
	    NULL), kIOReturnOverrun);
}

Test(IOStorageRequest, read_only)
{
	uint64_t block, nblks;

	cr_assert_eq(IOStorageCheckRequest(&rodisk, 0, 512, true, &block, &nblks, NULL),
	    kIOReturnNotWritable);
	cr_assert_eq(IOStorageCheckRequest(&rodisk, 0, 512, false, &block, &nblks, NULL),
	    kIOReturnSuccess);
}

Test(IOStorageRequest, clip_at_the_end)
{
	uint64_t len = 1;

	cr_assert_eq(IOStorageClipTransfer(&disk, 0, 4096, false, &len), kIOReturnSuccess);
	cr_assert_eq(len, 4096);
	/* Two blocks asked, one left: one moves. */
	cr_assert_eq(IOStorageClipTransfer(&disk, 2047 * 512, 1024, false, &len), kIOReturnSuccess);
	cr_assert_eq(len, 512);
	cr_assert_eq(IOStorageClipTransfer(&disk, 2047 * 512, 1024, true, &len), kIOReturnSuccess);
	cr_assert_eq(len, 512);
	/* At and past the end: end of file for a read, no space for a write. */
	cr_assert_eq(IOStorageClipTransfer(&disk, 1 << 20, 512, false, &len), kIOReturnSuccess);
	cr_assert_eq(len, 0);
	cr_assert_eq(IOStorageClipTransfer(&disk, 1 << 20, 512, true, &len), kIOReturnNoSpace);
	cr_assert_eq(IOStorageClipTransfer(&disk, INT64_MAX - 511, 512, true, &len),
	    kIOReturnNoSpace);
	/* A zero-length read or write anywhere aligned moves nothing. */
	cr_assert_eq(IOStorageClipTransfer(&disk, 512, 0, true, &len), kIOReturnSuccess);
	cr_assert_eq(len, 0);
}

Test(IOStorageRequest, clip_refusals)
{
	uint64_t len;

	cr_assert_eq(IOStorageClipTransfer(&disk, -512, 512, false, &len), kIOReturnBadArgument);
	cr_assert_eq(IOStorageClipTransfer(&disk, 100, 512, false, &len), kIOReturnBadArgument);
	cr_assert_eq(IOStorageClipTransfer(&disk, 512, 100, true, &len), kIOReturnBadArgument);
	cr_assert_eq(IOStorageClipTransfer(&rodisk, 0, 512, true, &len), kIOReturnNotWritable);
	cr_assert_eq(IOStorageClipTransfer(&rodisk, 0, 512, false, &len), kIOReturnSuccess);
}
