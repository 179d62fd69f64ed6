/*
 * IODMACommand_test.c - in-kernel tests of DMA commands: segments that
 * follow the physical pages (coalesced when contiguous, split at the
 * largest segment, 32-bit output), bounce pages for a device that cannot
 * reach where the memory is (a 27-bit device over a page at 128 MiB; a
 * 32-bit one over a page above 4 GiB when the machine has one), the data
 * copied in and out, and the errors. Every test checks that the classes'
 * instance counts come back; the runner checks the free pages.
 */

#include "iokit/Kernel/IOBufferMemoryDescriptor.h"
#include "iokit/Kernel/IODMACommand.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"

#include "kernel/console.h"
#include "mach/kern/task.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_ktest.h"
#include "mach/vm/vm_page.h"
#include "tests/ktest.h"

static int32_t
iodma_instances(void)
{
	return OSMetaClass_getInstanceCount(&IODMACommand_metaClass) +
	    OSMetaClass_getInstanceCount(&IOMemoryDescriptor_metaClass) +
	    OSMetaClass_getInstanceCount(&IOBufferMemoryDescriptor_metaClass);
}

/*
 * Generate every segment of cmd's prepared range, n at a time, into segs
 * (room for max); check they tile the range and obey the command's limits.
 * Returns the number of segments.
 */
static uint32_t
iodma_gen_all(IODMACommand *cmd, IODMACommand_Segment64 *segs, uint32_t max, uint32_t n)
{
	uint64_t offset = 0, total = 0;
	uint32_t count = 0;

	while (offset < cmd->cmd_length && count < max) {
		uint32_t got = MIN(n, max - count);
		uint64_t before = offset;

		if (!KT_EXPECT_EQ(IODMACommand_gen64IOVMSegments(cmd, &offset, segs + count, &got),
		    kIOReturnSuccess))
			break;
		KT_EXPECT_GT(got, 0);
		for (uint32_t i = 0; i < got; i++)
			before += segs[count + i].fLength;
		KT_EXPECT_EQ(before, offset);
		count += got;
	}
	for (uint32_t i = 0; i < count; i++) {
		KT_EXPECT_GT(segs[i].fLength, 0);
		KT_EXPECT_LE(segs[i].fLength, cmd->cmd_max_segment);
		KT_EXPECT_LE(segs[i].fIOVMAddr + segs[i].fLength - 1, cmd->cmd_max_address);
		total += segs[i].fLength;
	}
	KT_EXPECT_EQ(total, cmd->cmd_length);
	return count;
}

KTEST(IODMACommand, contiguous_buffer_one_segment_or_split)
{
	int32_t before = iodma_instances();
	IOBufferMemoryDescriptor *bmd;
	IODMACommand *cmd;
	IODMACommand_Segment64 segs[8];
	IOPhysicalAddress64 pa;

	bmd = IOBufferMemoryDescriptor_withCapacity(4 * PAGE_SIZE, kIODirectionOut, true);
	KT_ASSERT_TRUE(bmd != NULL);
	pa = IOMemoryDescriptor_getPhysicalAddress(&bmd->bmd_md);

	cmd = IODMACommand_withSpecification(IODMACommand_OutputHost64, 64, 0,
	    kIODMACommandMapped, 0, 1, NULL);
	KT_ASSERT_TRUE(cmd != NULL);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, &bmd->bmd_md, true), kIOReturnSuccess);
	KT_EXPECT_TRUE(IODMACommand_getMemoryDescriptor(cmd) == &bmd->bmd_md);
	KT_EXPECT_EQ(iodma_gen_all(cmd, segs, 8, 8), 1);
	KT_EXPECT_EQ(segs[0].fIOVMAddr, pa);
	KT_EXPECT_EQ(segs[0].fLength, 4 * PAGE_SIZE);
	KT_EXPECT_EQ(IODMACommand_getBounceCount(cmd), 0);
	KT_EXPECT_EQ(IODMACommand_clearMemoryDescriptor(cmd, true), kIOReturnSuccess);
	OSSafeReleaseNULL(cmd);

	/* At most 5000 bytes a segment: 5000, 5000, 5000, 1384; one at a time too. */
	cmd = IODMACommand_withSpecification(IODMACommand_OutputHost64, 64, 5000,
	    kIODMACommandMapped, 0, 1, NULL);
	KT_ASSERT_TRUE(cmd != NULL);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, &bmd->bmd_md, true), kIOReturnSuccess);
	KT_EXPECT_EQ(iodma_gen_all(cmd, segs, 8, 1), 4);
	for (int i = 0; i < 4; i++)
		KT_EXPECT_EQ(segs[i].fIOVMAddr, pa + 5000 * (uint64_t)i);
	KT_EXPECT_EQ(segs[3].fLength, 4 * PAGE_SIZE - 15000);
	KT_EXPECT_EQ(iodma_gen_all(cmd, segs, 8, 3), 4);
	KT_EXPECT_EQ(IODMACommand_clearMemoryDescriptor(cmd, true), kIOReturnSuccess);

	/* A part of the buffer, prepared by hand. */
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, &bmd->bmd_md, false), kIOReturnSuccess);
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, 100, 6000, true), kIOReturnSuccess);
	KT_EXPECT_EQ(iodma_gen_all(cmd, segs, 8, 8), 2);
	KT_EXPECT_EQ(segs[0].fIOVMAddr, pa + 100);
	KT_EXPECT_EQ(segs[1].fLength, 1000);
	KT_EXPECT_EQ(IODMACommand_complete(cmd, true), kIOReturnSuccess);
	KT_EXPECT_EQ(IODMACommand_complete(cmd, true), kIOReturnNotReady);
	OSSafeReleaseNULL(cmd);		/* drops the descriptor too */
	OSSafeReleaseNULL(bmd);
	KT_EXPECT_EQ(iodma_instances(), before);
}

KTEST(IODMACommand, user_memory_segments_follow_the_pages)
{
	int32_t before = iodma_instances();
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t addr = ktest_allocate(map, 6 * PAGE_SIZE);
	IODMACommand_Segment64 segs[16];
	IODMACommand_Segment32 segs32[16];
	IOMemoryDescriptor *md;
	IODMACommand *cmd;
	uint32_t n, breaks = 0, got;
	uint64_t offset;

	md = IOMemoryDescriptor_withAddressRange(addr + 0x800, 5 * PAGE_SIZE, kIODirectionIn, task);
	KT_ASSERT_TRUE(md != NULL);
	cmd = IODMACommand_withSpecification(IODMACommand_OutputHost64, 64, 0,
	    kIODMACommandBypassed, 0, 1, NULL);
	KT_ASSERT_TRUE(cmd != NULL);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
	KT_EXPECT_EQ(md->md_prepare_count, 1);
	/* Count where the pages break physically: one segment more than breaks. */
	for (int i = 1; i < 6; i++)
		if (pmap_extract(vm_map_pmap(map), addr + i * PAGE_SIZE) !=
		    pmap_extract(vm_map_pmap(map), addr + (i - 1) * PAGE_SIZE) + PAGE_SIZE)
			breaks++;
	n = iodma_gen_all(cmd, segs, 16, 16);
	KT_EXPECT_EQ(n, breaks + 1);
	{
		uint64_t off = 0;

		for (uint32_t i = 0; i < n; i++) {
			KT_EXPECT_EQ(segs[i].fIOVMAddr,
			    pmap_extract(vm_map_pmap(map), addr + 0x800 + off));
			off += segs[i].fLength;
		}
	}
	KT_EXPECT_EQ(IODMACommand_clearMemoryDescriptor(cmd, true), kIOReturnSuccess);
	KT_EXPECT_EQ(md->md_prepare_count, 0);
	OSSafeReleaseNULL(cmd);

	/* 32-bit segments, at most a page each: one per page piece. */
	cmd = IODMACommand_withSpecification(IODMACommand_OutputLittle32, 32, PAGE_SIZE,
	    kIODMACommandMapped, 0, 1, NULL);
	KT_ASSERT_TRUE(cmd != NULL);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
	offset = 0;
	got = 16;
	KT_EXPECT_EQ(IODMACommand_gen64IOVMSegments(cmd, &offset, segs32, &got), kIOReturnSuccess);
	KT_EXPECT_GE(got, 5);
	KT_EXPECT_LE(got, 6);
	KT_EXPECT_EQ(offset, 5 * PAGE_SIZE);
	if (IODMACommand_getBounceCount(cmd) == 0)
		KT_EXPECT_EQ(segs32[0].fIOVMAddr, pmap_extract(vm_map_pmap(map), addr + 0x800));
	KT_EXPECT_LE(segs32[0].fLength, PAGE_SIZE);
	/* Nothing past the end. */
	got = 16;
	KT_EXPECT_EQ(IODMACommand_gen64IOVMSegments(cmd, &offset, segs32, &got), kIOReturnOverrun);
	KT_EXPECT_EQ(got, 0);
	OSSafeReleaseNULL(cmd);		/* completes and drops the descriptor */
	KT_EXPECT_EQ(md->md_prepare_count, 0);
	OSSafeReleaseNULL(md);
	task_deallocate(task);
	KT_EXPECT_EQ(iodma_instances(), before);
}

/*
 * Two pages at or above 2^bits (the first address a bits-wide device
 * cannot reach), if the machine has free RAM there; false otherwise.
 * Allocation is first fit from low addresses, so runs aligned to an eighth of
 * 2^bits are taken (and held) until one lies high enough; the first page
 * of a segment (its bitmap) may sit right at 2^bits.
 */
static bool
iodma_pages_at_limit(unsigned bits, pmap_paddr_t *pa)
{
	enum { HOLD = 16 };
	pmap_paddr_t held[HOLD];
	unsigned nheld = 0;
	bool found = false;

	while (nheld < HOLD && vm_page_alloc_contig(2, 1ULL << (bits - 3 - PAGE_SHIFT),
	    VM_PAGE_USE_KERNEL, pa) == KERN_SUCCESS) {
		if (*pa >= (1ULL << bits)) {
			found = true;
			break;
		}
		held[nheld++] = *pa;
	}
	while (nheld > 0)
		vm_page_free_contig(held[--nheld], 2);
	return found;
}

/* Bounce a transfer over two pages above what a bits-wide device reaches. */
static void
iodma_bounce_test(unsigned bits)
{
	int32_t before = iodma_instances();
	const uint64_t len = 2 * PAGE_SIZE - 200;
	IODMACommand_Segment64 segs[8];
	IOMemoryDescriptor *md;
	IODMACommand *cmd;
	pmap_paddr_t pa;
	uint8_t *mem;
	uint32_t n;
	bool same = true;

	if (!iodma_pages_at_limit(bits, &pa)) {
		printf("# no free RAM at 2^%u: bouncing to a %u-bit device not tested\n", bits,
		    bits);
		return;
	}
	mem = phystokv(pa);
	for (uint64_t i = 0; i < 2 * PAGE_SIZE; i++)
		mem[i] = (uint8_t)(i ^ 0x3c);
	md = IOMemoryDescriptor_withPhysicalAddress(pa + 100, len, kIODirectionOutIn);
	KT_ASSERT_TRUE(md != NULL);

	/* A device that only iterates cannot take it. */
	cmd = IODMACommand_withSpecification(IODMACommand_OutputHost64, (uint8_t)bits, 0,
	    kIODMACommandMapped | kIODMACommandIterateOnly, 0, 1, NULL);
	KT_ASSERT_TRUE(cmd != NULL);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnNoResources);
	KT_EXPECT_EQ(md->md_prepare_count, 0);
	OSSafeReleaseNULL(cmd);

	cmd = IODMACommand_withSpecification(IODMACommand_OutputHost64, (uint8_t)bits, 0,
	    kIODMACommandMapped, 0, 1, NULL);
	KT_ASSERT_TRUE(cmd != NULL);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
	KT_EXPECT_EQ(IODMACommand_getBounceCount(cmd), 2);
	n = iodma_gen_all(cmd, segs, 8, 8);
	KT_EXPECT_GE(n, 1);
	KT_EXPECT_LE(n, 2);
	KT_EXPECT_EQ(segs[0].fIOVMAddr & PAGE_MASK, 100);	/* same place in the page */
	/* Copied in at prepare (the transfer goes out to the device). */
	{
		uint64_t off = 0;

		for (uint32_t i = 0; i < n; i++) {
			uint8_t *b = phystokv(segs[i].fIOVMAddr);

			for (uint64_t k = 0; k < segs[i].fLength; k++)
				same = same && b[k] == (uint8_t)((100 + off + k) ^ 0x3c);
			off += segs[i].fLength;
		}
	}
	KT_EXPECT_TRUE(same);
	/* The "device" writes into the bounce pages; complete copies it back. */
	for (uint32_t i = 0; i < n; i++)
		memset(phystokv(segs[i].fIOVMAddr), 0xd0 + (int)i, segs[i].fLength);
	KT_EXPECT_EQ(mem[100], (uint8_t)(100 ^ 0x3c));
	KT_EXPECT_EQ(IODMACommand_synchronize(cmd, kIODirectionIn), kIOReturnSuccess);
	KT_EXPECT_EQ(mem[100], 0xd0);
	KT_EXPECT_EQ(mem[99], (uint8_t)(99 ^ 0x3c));		/* nothing outside */
	KT_EXPECT_EQ(mem[100 + len], (uint8_t)((100 + len) ^ 0x3c));
	memset(phystokv(segs[0].fIOVMAddr), 0xe0, segs[0].fLength);
	KT_EXPECT_EQ(IODMACommand_synchronize(cmd, kIODirectionOutIn), kIOReturnBadArgument);
	KT_EXPECT_EQ(IODMACommand_synchronize(cmd, kIODMACommandForceDoubleBuffer |
	    kIODirectionIn), kIOReturnUnsupported);
	KT_EXPECT_EQ(IODMACommand_complete(cmd, true), kIOReturnSuccess);
	KT_EXPECT_EQ(mem[100], 0xe0);
	KT_EXPECT_EQ(mem[100 + len - 1], n == 1 ? 0xe0 : 0xd1);
	KT_EXPECT_EQ(IODMACommand_getBounceCount(cmd), 0);
	KT_EXPECT_EQ(IODMACommand_synchronize(cmd, kIODirectionIn), kIOReturnNotReady);
	KT_EXPECT_EQ(md->md_prepare_count, 0);

	/* A device that reaches everything sees the memory itself. */
	OSSafeReleaseNULL(cmd);
	cmd = IODMACommand_withSpecification(IODMACommand_OutputHost64, 64, 0,
	    kIODMACommandMapped, 0, 1, NULL);
	KT_ASSERT_TRUE(cmd != NULL);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
	KT_EXPECT_EQ(IODMACommand_getBounceCount(cmd), 0);
	KT_EXPECT_EQ(iodma_gen_all(cmd, segs, 8, 8), 1);
	KT_EXPECT_EQ(segs[0].fIOVMAddr, pa + 100);
	OSSafeReleaseNULL(cmd);
	OSSafeReleaseNULL(md);
	vm_page_free_contig(pa, 2);
	KT_EXPECT_EQ(iodma_instances(), before);
}

/* With 256 MiB of RAM, 128 MiB is out of a 27-bit device's reach. */
KTEST(IODMACommand, bounce_27_bit_device)
{
	iodma_bounce_test(27);
}

/* A 32-bit device and a page above 4 GiB (only on a machine that has one). */
KTEST(IODMACommand, bounce_32_bit_device)
{
	iodma_bounce_test(32);
}

KTEST(IODMACommand, bad_specifications_and_states)
{
	int32_t before = iodma_instances();
	IOBufferMemoryDescriptor *bmd, *other;
	IODMACommand_Segment64 segs[4];
	IODMACommand *cmd;
	uint64_t offset = 0;
	uint32_t n = 4;

	KT_EXPECT_TRUE(IODMACommand_withSpecification(NULL, 32, 0, 0, 0, 1, NULL) == NULL);
	KT_EXPECT_TRUE(IODMACommand_withSpecification(IODMACommand_OutputHost64, 0, 0, 0, 0, 1,
	    NULL) == NULL);
	KT_EXPECT_TRUE(IODMACommand_withSpecification(IODMACommand_OutputHost64, 65, 0, 0, 0, 1,
	    NULL) == NULL);
	KT_EXPECT_TRUE(IODMACommand_withSpecification(IODMACommand_OutputHost32, 33, 0, 0, 0, 1,
	    NULL) == NULL);
	KT_EXPECT_TRUE(IODMACommand_withSpecification(IODMACommand_OutputHost64, 32, 0, 0x4, 0, 1,
	    NULL) == NULL);
	KT_EXPECT_TRUE(IODMACommand_withSpecification(IODMACommand_OutputHost64, 32, 0, 0, 0, 3,
	    NULL) == NULL);

	bmd = IOBufferMemoryDescriptor_withCapacity(2 * PAGE_SIZE, kIODirectionOut, true);
	other = IOBufferMemoryDescriptor_withCapacity(PAGE_SIZE, kIODirectionOut, false);
	KT_ASSERT_TRUE(bmd != NULL && other != NULL);
	cmd = IODMACommand_withSpecification(IODMACommand_OutputBig64, 64, 0, 0, PAGE_SIZE, 512,
	    (void *)0x1234);
	KT_ASSERT_TRUE(cmd != NULL);
	KT_EXPECT_EQ((uintptr_t)IODMACommand_getRefCon(cmd), 0x1234);
	KT_EXPECT_EQ(IODMACommand_getNumAddressBits(cmd), 64);
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, 0, 0, true), kIOReturnNotReady);
	KT_EXPECT_EQ(IODMACommand_gen64IOVMSegments(cmd, &offset, segs, &n), kIOReturnNotReady);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, &bmd->bmd_md, false), kIOReturnSuccess);
	/* Longer than the largest transfer, outside the descriptor, misaligned. */
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, 0, 0, true), kIOReturnBadArgument);
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, 2 * PAGE_SIZE, 1, true), kIOReturnBadArgument);
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, PAGE_SIZE, PAGE_SIZE + 1, true),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, 8, 100, true), kIOReturnNotAligned);
	/* Prepared: nests for the same range, busy for another or a new descriptor. */
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, 512, 1024, true), kIOReturnSuccess);
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, 512, 1024, true), kIOReturnSuccess);
	KT_EXPECT_EQ(IODMACommand_prepare(cmd, 0, 1024, true), kIOReturnBusy);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, &other->bmd_md, true), kIOReturnBusy);
	KT_EXPECT_EQ(IODMACommand_clearMemoryDescriptor(cmd, false), kIOReturnBusy);
	/* Big-endian output; no room; the offset past the end. */
	n = 4;
	KT_EXPECT_EQ(IODMACommand_gen64IOVMSegments(cmd, &offset, segs, &n), kIOReturnSuccess);
	KT_EXPECT_EQ(n, 1);
	KT_EXPECT_EQ(segs[0].fIOVMAddr,
	    __builtin_bswap64(IOMemoryDescriptor_getPhysicalAddress(&bmd->bmd_md) + 512));
	KT_EXPECT_EQ(segs[0].fLength, __builtin_bswap64(1024));
	n = 0;
	offset = 0;
	KT_EXPECT_EQ(IODMACommand_gen64IOVMSegments(cmd, &offset, segs, &n), kIOReturnBadArgument);
	n = 4;
	offset = 1024;
	KT_EXPECT_EQ(IODMACommand_gen64IOVMSegments(cmd, &offset, segs, &n), kIOReturnOverrun);
	KT_EXPECT_EQ(IODMACommand_complete(cmd, true), kIOReturnSuccess);
	KT_EXPECT_EQ(IODMACommand_clearMemoryDescriptor(cmd, true), kIOReturnSuccess);
	KT_EXPECT_TRUE(IODMACommand_getMemoryDescriptor(cmd) == NULL);
	KT_EXPECT_EQ(IODMACommand_setMemoryDescriptor(cmd, &other->bmd_md, true),
	    kIOReturnSuccess);
	OSSafeReleaseNULL(cmd);
	OSSafeReleaseNULL(other);
	OSSafeReleaseNULL(bmd);
	KT_EXPECT_EQ(iodma_instances(), before);
}
