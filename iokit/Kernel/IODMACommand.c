/*
 * IODMACommand.c - DMA transfers of memory descriptors: the pages of a
 * prepared range, bounce pages for those the device cannot reach, and
 * segment generation. The object is described in IODMACommand.h.
 */

#include "iokit/Kernel/IODMACommand.h"

#include "iokit/Kernel/IOLib.h"
#include "libkern/panic.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_page.h"

/* --- output functions ------------------------------------------------------------ */

bool
IODMACommand_OutputHost64(IODMACommand *target, IODMACommand_Segment64 segment, void *segments,
    uint32_t segmentIndex)
{
	(void)target;
	((IODMACommand_Segment64 *)segments)[segmentIndex] = segment;
	return true;
}

bool
IODMACommand_OutputBig64(IODMACommand *target, IODMACommand_Segment64 segment, void *segments,
    uint32_t segmentIndex)
{
	IODMACommand_Segment64 *s = &((IODMACommand_Segment64 *)segments)[segmentIndex];

	(void)target;
	s->fIOVMAddr = __builtin_bswap64(segment.fIOVMAddr);
	s->fLength = __builtin_bswap64(segment.fLength);
	return true;
}

bool
IODMACommand_OutputLittle64(IODMACommand *target, IODMACommand_Segment64 segment,
    void *segments, uint32_t segmentIndex)
{
	return IODMACommand_OutputHost64(target, segment, segments, segmentIndex);
}

static bool
iodma_output32(IODMACommand_Segment64 segment, void *segments, uint32_t segmentIndex, bool big)
{
	IODMACommand_Segment32 *s = &((IODMACommand_Segment32 *)segments)[segmentIndex];

	if (segment.fIOVMAddr > UINT32_MAX || segment.fLength > UINT32_MAX ||
	    segment.fIOVMAddr + segment.fLength - 1 > UINT32_MAX)
		return false;
	s->fIOVMAddr = (uint32_t)segment.fIOVMAddr;
	s->fLength = (uint32_t)segment.fLength;
	if (big) {
		s->fIOVMAddr = __builtin_bswap32(s->fIOVMAddr);
		s->fLength = __builtin_bswap32(s->fLength);
	}
	return true;
}

bool
IODMACommand_OutputHost32(IODMACommand *target, IODMACommand_Segment64 segment, void *segments,
    uint32_t segmentIndex)
{
	(void)target;
	return iodma_output32(segment, segments, segmentIndex, false);
}

bool
IODMACommand_OutputBig32(IODMACommand *target, IODMACommand_Segment64 segment, void *segments,
    uint32_t segmentIndex)
{
	(void)target;
	return iodma_output32(segment, segments, segmentIndex, true);
}

bool
IODMACommand_OutputLittle32(IODMACommand *target, IODMACommand_Segment64 segment,
    void *segments, uint32_t segmentIndex)
{
	return IODMACommand_OutputHost32(target, segment, segments, segmentIndex);
}

/* --- the command ------------------------------------------------------------------ */

/* Give back the chunk table and the bounce pages. */
static void
iodma_release_chunks(IODMACommand *cmd)
{
	for (uint32_t i = 0; i < cmd->cmd_nchunks; i++)
		if (cmd->cmd_chunks[i].ch_bounce != 0)
			vm_page_free_contig(trunc_page(cmd->cmd_chunks[i].ch_bounce), 1);
	if (cmd->cmd_chunks != NULL)
		kfree(cmd->cmd_chunks, cmd->cmd_nchunks * sizeof(cmd->cmd_chunks[0]));
	cmd->cmd_chunks = NULL;
	cmd->cmd_nchunks = 0;
	cmd->cmd_nbounced = 0;
}

static void
IODMACommand_free(OSObject *obj)
{
	/* As Apple's: a command freed while prepared is completed first. */
	(void)IODMACommand_clearMemoryDescriptor((IODMACommand *)obj, true);
}

static const struct OSObject_methods IODMACommand_methods = {
	.free = IODMACommand_free,
};
OSDefineMetaClass(IODMACommand, OSObject, &IODMACommand_methods);

IODMACommand *
IODMACommand_withSpecification(IODMACommand_SegmentFunction outSegFunc, uint8_t numAddressBits,
    uint64_t maxSegmentSize, uint32_t mappingOptions, uint64_t maxTransferSize,
    uint32_t alignment, void *refCon)
{
	bool out32 = outSegFunc == IODMACommand_OutputHost32 ||
	    outSegFunc == IODMACommand_OutputBig32 || outSegFunc == IODMACommand_OutputLittle32;
	IODMACommand *cmd;

	if (outSegFunc == NULL || numAddressBits == 0 || numAddressBits > 64 ||
	    (out32 && numAddressBits > 32)) {
		IOLog("IODMACommand_withSpecification: bad output function or %u address bits\n",
		    numAddressBits);
		return NULL;
	}
	if ((mappingOptions & kIODMACommandTypeMask & ~(kIODMACommandBypassed |
	    kIODMACommandNonCoherent)) != 0 ||
	    (mappingOptions & ~(kIODMACommandTypeMask | kIODMACommandIterateOnly)) != 0) {
		IOLog("IODMACommand_withSpecification: unknown mapping options 0x%x\n",
		    mappingOptions);
		return NULL;
	}
	if (alignment == 0)
		alignment = 1;
	if ((alignment & (alignment - 1)) != 0) {
		IOLog("IODMACommand_withSpecification: alignment %u is not a power of two\n",
		    alignment);
		return NULL;
	}
	cmd = OSTypeAlloc(IODMACommand);
	if (cmd == NULL)
		return NULL;
	cmd->cmd_output = outSegFunc;
	cmd->cmd_address_bits = numAddressBits;
	cmd->cmd_max_address = numAddressBits == 64 ? UINT64_MAX
						    : (1ULL << numAddressBits) - 1;
	cmd->cmd_max_segment = maxSegmentSize == 0 ? UINT64_MAX : maxSegmentSize;
	if (out32)
		cmd->cmd_max_segment = MIN(cmd->cmd_max_segment, UINT32_MAX);
	cmd->cmd_options = mappingOptions;
	cmd->cmd_max_transfer = maxTransferSize == 0 ? UINT64_MAX : maxTransferSize;
	cmd->cmd_alignment = alignment;
	cmd->cmd_refcon = refCon;
	return cmd;
}

IOReturn
IODMACommand_setMemoryDescriptor(IODMACommand *cmd, IOMemoryDescriptor *md, bool autoPrepare)
{
	if (md == cmd->cmd_md && md != NULL) {
		return autoPrepare && cmd->cmd_prepare_count == 0 ?
		    IODMACommand_prepare(cmd, 0, 0, true) : kIOReturnSuccess;
	}
	if (cmd->cmd_prepare_count != 0)
		return kIOReturnBusy;
	if (md != NULL)
		OSObject_retain(OSOBJ(md));
	OSSafeReleaseNULL(cmd->cmd_md);
	cmd->cmd_md = md;
	if (md != NULL && autoPrepare)
		return IODMACommand_prepare(cmd, 0, 0, true);
	return kIOReturnSuccess;
}

IOReturn
IODMACommand_clearMemoryDescriptor(IODMACommand *cmd, bool autoComplete)
{
	if (cmd->cmd_prepare_count != 0) {
		if (!autoComplete)
			return kIOReturnBusy;
		while (cmd->cmd_prepare_count != 0)
			(void)IODMACommand_complete(cmd, true);
	}
	OSSafeReleaseNULL(cmd->cmd_md);
	return kIOReturnSuccess;
}

IOMemoryDescriptor *
IODMACommand_getMemoryDescriptor(const IODMACommand *cmd)
{
	return cmd->cmd_md;
}

/* Copy every bounced chunk's data: into the bounce pages (to_bounce) or back. */
static void
iodma_copy_bounced(IODMACommand *cmd, bool to_bounce)
{
	for (uint32_t i = 0; i < cmd->cmd_nchunks; i++) {
		const struct IODMACommand_chunk *ch = &cmd->cmd_chunks[i];

		if (ch->ch_bounce == 0)
			continue;
		if (to_bounce)
			memcpy(phystokv(ch->ch_bounce), phystokv(ch->ch_pa), ch->ch_length);
		else
			memcpy(phystokv(ch->ch_pa), phystokv(ch->ch_bounce), ch->ch_length);
	}
}

/* A page below the command's limit for the chunk at pa, at pa's offset in its page. */
static IOReturn
iodma_bounce_page(IODMACommand *cmd, pmap_paddr_t pa, pmap_paddr_t *bounce)
{
	pmap_paddr_t page;

	if (vm_page_alloc_contig(1, 1, VM_PAGE_USE_KERNEL, &page) != KERN_SUCCESS)
		return kIOReturnNoMemory;
	if (page + PAGE_SIZE - 1 > cmd->cmd_max_address) {
		/* First fit: the lowest free page is already out of reach. */
		vm_page_free_contig(page, 1);
		return kIOReturnNoResources;
	}
	*bounce = page + (pa & PAGE_MASK);
	return kIOReturnSuccess;
}

/* Build the chunk table of [offset, offset + length). The descriptor is prepared. */
static IOReturn
iodma_walk(IODMACommand *cmd, uint64_t offset, uint64_t length)
{
	IOMemoryDescriptor *md = cmd->cmd_md;
	uint64_t max_chunks = length / PAGE_SIZE + 2;
	uint64_t off = offset, end = offset + length;
	uint32_t n = 0;
	IOReturn ret;

	if (max_chunks * sizeof(cmd->cmd_chunks[0]) > UINT32_MAX)
		return kIOReturnNoMemory;
	cmd->cmd_chunks = kalloc(max_chunks * sizeof(cmd->cmd_chunks[0]));
	if (cmd->cmd_chunks == NULL)
		return kIOReturnNoMemory;
	memset(cmd->cmd_chunks, 0, max_chunks * sizeof(cmd->cmd_chunks[0]));
	cmd->cmd_nchunks = (uint32_t)max_chunks;	/* all, for release */
	while (off < end) {
		IOByteCount seglen;
		pmap_paddr_t pa = IOMemoryDescriptor_getPhysicalSegment(md, off, &seglen, 0);

		if (seglen == 0)
			return kIOReturnVMError;	/* not prepared after all */
		while (seglen != 0 && off < end) {
			struct IODMACommand_chunk *ch;
			uint64_t len = MIN(MIN(seglen, PAGE_SIZE - (pa & PAGE_MASK)), end - off);

			if (n == max_chunks)
				panic("IODMACommand: more pieces than pages in 0x%llx bytes",
				    (unsigned long long)length);
			ch = &cmd->cmd_chunks[n];
			ch->ch_pa = pa;
			ch->ch_length = len;
			if (pa + len - 1 > cmd->cmd_max_address) {
				if (cmd->cmd_options & kIODMACommandIterateOnly)
					return kIOReturnNoResources;
				ret = iodma_bounce_page(cmd, pa, &ch->ch_bounce);
				if (ret != kIOReturnSuccess)
					return ret;
				cmd->cmd_nbounced++;
			}
			n++;
			pa += len;
			off += len;
			seglen -= len;
		}
	}
	/* Where a run of the device's addresses starts, it must be aligned. */
	for (uint32_t i = 0; i < n; i++) {
		const struct IODMACommand_chunk *ch = &cmd->cmd_chunks[i];
		pmap_paddr_t a = ch->ch_bounce != 0 ? ch->ch_bounce : ch->ch_pa;
		pmap_paddr_t prev_end = 0;

		if (i > 0) {
			const struct IODMACommand_chunk *p = &cmd->cmd_chunks[i - 1];

			prev_end = (p->ch_bounce != 0 ? p->ch_bounce : p->ch_pa) + p->ch_length;
		}
		if ((i == 0 || a != prev_end) && (a & (cmd->cmd_alignment - 1)) != 0)
			return kIOReturnNotAligned;
	}
	return kIOReturnSuccess;
}

IOReturn
IODMACommand_prepare(IODMACommand *cmd, uint64_t offset, uint64_t length, bool synchronize)
{
	IOMemoryDescriptor *md = cmd->cmd_md;
	IOReturn ret;

	if (md == NULL)
		return kIOReturnNotReady;
	if (offset >= IOMemoryDescriptor_getLength(md))
		return kIOReturnBadArgument;
	if (length == 0)
		length = IOMemoryDescriptor_getLength(md) - offset;
	if (length > IOMemoryDescriptor_getLength(md) - offset) {
		IOLog("IODMACommand_prepare: 0x%llx bytes at 0x%llx are past the descriptor's "
		    "end\n", (unsigned long long)length, (unsigned long long)offset);
		return kIOReturnBadArgument;
	}
	if (length > cmd->cmd_max_transfer) {
		IOLog("IODMACommand_prepare: 0x%llx bytes exceed the largest transfer 0x%llx\n",
		    (unsigned long long)length, (unsigned long long)cmd->cmd_max_transfer);
		return kIOReturnBadArgument;
	}
	if (cmd->cmd_prepare_count != 0) {
		if (offset != cmd->cmd_offset || length != cmd->cmd_length)
			return kIOReturnBusy;
		cmd->cmd_prepare_count++;
		return kIOReturnSuccess;
	}
	ret = IOMemoryDescriptor_prepare(md, kIODirectionNone);
	if (ret != kIOReturnSuccess)
		return ret;
	ret = iodma_walk(cmd, offset, length);
	if (ret != kIOReturnSuccess) {
		iodma_release_chunks(cmd);
		(void)IOMemoryDescriptor_complete(md, kIODirectionNone);
		return ret;
	}
	cmd->cmd_offset = offset;
	cmd->cmd_length = length;
	cmd->cmd_prepare_count = 1;
	if (synchronize && (IOMemoryDescriptor_getDirection(md) & kIODirectionOut))
		iodma_copy_bounced(cmd, true);
	return kIOReturnSuccess;
}

IOReturn
IODMACommand_complete(IODMACommand *cmd, bool synchronize)
{
	if (cmd->cmd_prepare_count == 0)
		return kIOReturnNotReady;
	if (--cmd->cmd_prepare_count != 0)
		return kIOReturnSuccess;
	if (synchronize && (IOMemoryDescriptor_getDirection(cmd->cmd_md) & kIODirectionIn))
		iodma_copy_bounced(cmd, false);
	iodma_release_chunks(cmd);
	(void)IOMemoryDescriptor_complete(cmd->cmd_md, kIODirectionNone);
	cmd->cmd_offset = 0;
	cmd->cmd_length = 0;
	return kIOReturnSuccess;
}

IOReturn
IODMACommand_synchronize(IODMACommand *cmd, IOOptionBits options)
{
	if (cmd->cmd_prepare_count == 0)
		return kIOReturnNotReady;
	if (options & kIODMACommandForceDoubleBuffer)
		return kIOReturnUnsupported;
	if ((options & ~kIODirectionOutIn) != 0 || (options & kIODirectionOutIn) == 0 ||
	    (options & kIODirectionOutIn) == kIODirectionOutIn)
		return kIOReturnBadArgument;
	iodma_copy_bounced(cmd, (options & kIODirectionOut) != 0);
	return kIOReturnSuccess;
}

/* The chunk holding byte off of the prepared range, and off's place in it. */
static uint32_t
iodma_find_chunk(const IODMACommand *cmd, uint64_t off, uint64_t *within)
{
	uint32_t i = 0;

	while (i < cmd->cmd_nchunks && cmd->cmd_chunks[i].ch_length != 0 &&
	    off >= cmd->cmd_chunks[i].ch_length) {
		off -= cmd->cmd_chunks[i].ch_length;
		i++;
	}
	*within = off;
	return i;
}

IOReturn
IODMACommand_gen64IOVMSegments(IODMACommand *cmd, uint64_t *offset, void *segments,
    uint32_t *numSegments)
{
	uint32_t max = *numSegments, count = 0, i;
	uint64_t off = *offset, within;
	IOReturn ret = kIOReturnSuccess;

	*numSegments = 0;
	if (cmd->cmd_prepare_count == 0)
		return kIOReturnNotReady;
	if (off >= cmd->cmd_length)
		return kIOReturnOverrun;
	if (max == 0 || segments == NULL)
		return kIOReturnBadArgument;
	i = iodma_find_chunk(cmd, off, &within);
	while (count < max && off < cmd->cmd_length) {
		const struct IODMACommand_chunk *ch = &cmd->cmd_chunks[i];
		IODMACommand_Segment64 seg;

		seg.fIOVMAddr = (ch->ch_bounce != 0 ? ch->ch_bounce : ch->ch_pa) + within;
		seg.fLength = ch->ch_length - within;
		/* Take the following pieces while they follow in the device's addresses. */
		while (seg.fLength < cmd->cmd_max_segment && i + 1 < cmd->cmd_nchunks &&
		    cmd->cmd_chunks[i + 1].ch_length != 0) {
			const struct IODMACommand_chunk *nx = &cmd->cmd_chunks[i + 1];
			pmap_paddr_t a = nx->ch_bounce != 0 ? nx->ch_bounce : nx->ch_pa;

			if (a != seg.fIOVMAddr + seg.fLength)
				break;
			seg.fLength += nx->ch_length;
			i++;
		}
		if (seg.fLength > cmd->cmd_max_segment) {
			/* Split: the rest of chunk i starts the next segment. */
			uint64_t over = seg.fLength - cmd->cmd_max_segment;

			seg.fLength = cmd->cmd_max_segment;
			within = cmd->cmd_chunks[i].ch_length - over;
		} else {
			within = 0;
			i++;
		}
		if (!cmd->cmd_output(cmd, seg, segments, count)) {
			ret = kIOReturnMessageTooLarge;
			break;
		}
		count++;
		off += seg.fLength;
	}
	*offset = off;
	*numSegments = count;
	return ret;
}

uint32_t
IODMACommand_getBounceCount(const IODMACommand *cmd)
{
	return cmd->cmd_nbounced;
}

uint8_t
IODMACommand_getNumAddressBits(const IODMACommand *cmd)
{
	return cmd->cmd_address_bits;
}

void *
IODMACommand_getRefCon(const IODMACommand *cmd)
{
	return cmd->cmd_refcon;
}
