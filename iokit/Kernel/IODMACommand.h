/*
 * IODMACommand.h - a DMA transfer of a memory descriptor, as the device
 * sees it: a list of physical segments that fit the device's addressing
 * (numAddressBits), its largest segment (maxSegmentSize) and its largest
 * transfer, written in the device's format by an output function.
 *
 *	cmd = IODMACommand_withSpecification(IODMACommand_OutputHost64, 32,
 *	    65536, kIODMACommandMapped, 0, 1, NULL);
 *	IODMACommand_setMemoryDescriptor(cmd, md, true);	(prepares)
 *	offset = 0;
 *	do {
 *		n = 16;
 *		ret = IODMACommand_gen64IOVMSegments(cmd, &offset, segs, &n);
 *		... program n descriptors ...
 *	} while (ret == kIOReturnSuccess && offset < len);
 *	... the device runs ...
 *	IODMACommand_clearMemoryDescriptor(cmd, true);		(completes)
 *
 * Bouncing: there is no IOMapper (no IOMMU), so a device sees physical
 * addresses. prepare looks at every physical page of the transfer; a page
 * the device cannot reach (any byte above 2^numAddressBits - 1) is given a
 * bounce page below the limit, at the same offset in the page, and the
 * segments name the bounce page. For a transfer to the device
 * (kIODirectionOut) the data is copied into the bounce pages at prepare;
 * for one from the device (kIODirectionIn) it is copied back at complete;
 * synchronize copies either way on demand (both only when asked for).
 *
 * Invariants: while prepared, cmd_chunks describes [offset, offset + length)
 * of the descriptor in pieces that each lie within one physical page, in
 * order, with the bounce page (if any) of each; the descriptor is retained
 * while set and prepared while the command is.
 *
 * Locks: none. A command belongs to one driver, which serialises its calls
 * (on its work loop), as with Apple's. The descriptor's prepare and
 * complete take the descriptor's lock.
 */

#ifndef IOKIT_KERNEL_IODMACOMMAND_H
#define IOKIT_KERNEL_IODMACOMMAND_H

#include <stdbool.h>
#include <stdint.h>

#include "iokit/Kernel/IOMemoryDescriptor.h"

typedef struct IODMACommand IODMACommand;

/* A segment as the command produces it. */
typedef struct {
	uint64_t	fIOVMAddr;
	uint64_t	fLength;
} IODMACommand_Segment64;

/* A 32-bit device's segment (the Output*32 functions write these). */
typedef struct {
	uint32_t	fIOVMAddr;
	uint32_t	fLength;
} IODMACommand_Segment32;

/*
 * The output function: write segment as the segmentIndex'th entry of the
 * caller's segments array; false if it cannot be represented (the
 * generation stops there).
 */
typedef bool (*IODMACommand_SegmentFunction)(IODMACommand *target,
		    IODMACommand_Segment64 segment, void *segments, uint32_t segmentIndex);

bool	IODMACommand_OutputHost64(IODMACommand *, IODMACommand_Segment64, void *, uint32_t);
bool	IODMACommand_OutputBig64(IODMACommand *, IODMACommand_Segment64, void *, uint32_t);
bool	IODMACommand_OutputLittle64(IODMACommand *, IODMACommand_Segment64, void *, uint32_t);
bool	IODMACommand_OutputHost32(IODMACommand *, IODMACommand_Segment64, void *, uint32_t);
bool	IODMACommand_OutputBig32(IODMACommand *, IODMACommand_Segment64, void *, uint32_t);
bool	IODMACommand_OutputLittle32(IODMACommand *, IODMACommand_Segment64, void *, uint32_t);

/* Mapping options (Apple's MappingOptions). */
#define kIODMACommandMapped		0x00000000	/* through a mapper: none exists, so bypassed */
#define kIODMACommandBypassed		0x00000001
#define kIODMACommandNonCoherent	0x00000002	/* accepted: x86 DMA is coherent */
#define kIODMACommandTypeMask		0x0000000f
#define kIODMACommandIterateOnly	0x00000100	/* segments only: never bounce */

/* synchronize options (besides kIODirectionIn, kIODirectionOut). */
#define kIODMACommandForceDoubleBuffer	0x80000000	/* refused: not done */

struct IODMACommand_chunk {
	uint64_t	ch_length;	/* bytes, within one physical page */
	pmap_paddr_t	ch_pa;		/* where the memory is */
	pmap_paddr_t	ch_bounce;	/* where the device sees it, if bounced; else 0 */
};

struct IODMACommand {
	OSObject			cmd_os;
	IODMACommand_SegmentFunction	cmd_output;		/* [I] */
	uint8_t				cmd_address_bits;	/* [I] 1..64 */
	uint64_t			cmd_max_address;	/* [I] 2^bits - 1 */
	uint64_t			cmd_max_segment;	/* [I] bytes, > 0 */
	uint32_t			cmd_options;		/* [I] mapping options */
	uint64_t			cmd_max_transfer;	/* [I] bytes, > 0 */
	uint32_t			cmd_alignment;		/* [I] power of two */
	void				*cmd_refcon;		/* [I] */
	IOMemoryDescriptor		*cmd_md;		/* retained */
	uint32_t			cmd_prepare_count;
	uint64_t			cmd_offset;		/* prepared range in the descriptor */
	uint64_t			cmd_length;
	struct IODMACommand_chunk	*cmd_chunks;		/* kalloc'd, cmd_nchunks */
	uint32_t			cmd_nchunks;
	uint32_t			cmd_nbounced;		/* chunks with a bounce page */
};
OSDeclareDefaultStructors(IODMACommand);

/*
 * withSpecification: a command for a device that takes segments written
 * by outSegFunc, reaches numAddressBits (1..64; at most 32 with a 32-bit
 * output function) of physical address, at most maxSegmentSize bytes a
 * segment and maxTransferSize a transfer (0: no limit), with segment
 * addresses aligned to alignment (a power of two; 0 or 1: none).
 * mappingOptions: kIODMACommandMapped or Bypassed, optionally NonCoherent
 * or IterateOnly. NULL (logged) for a bad specification or no memory.
 */
IODMACommand	*IODMACommand_withSpecification(IODMACommand_SegmentFunction outSegFunc,
		    uint8_t numAddressBits, uint64_t maxSegmentSize, uint32_t mappingOptions,
		    uint64_t maxTransferSize, uint32_t alignment, void *refCon);

/*
 * setMemoryDescriptor: the memory of the next transfers (retained; NULL
 * clears), prepared at once if autoPrepare. kIOReturnBusy while the
 * previous descriptor is still prepared. clearMemoryDescriptor completes
 * (if autoComplete and prepared) and drops it.
 */
IOReturn	IODMACommand_setMemoryDescriptor(IODMACommand *cmd, IOMemoryDescriptor *md,
		    bool autoPrepare);
IOReturn	IODMACommand_clearMemoryDescriptor(IODMACommand *cmd, bool autoComplete);
IOMemoryDescriptor *IODMACommand_getMemoryDescriptor(const IODMACommand *cmd);

/*
 * prepare: ready [offset, offset + length) of the descriptor (length 0: to
 * its end) for the device: the descriptor is prepared (wired), its pages
 * looked at, bounce pages found for those out of reach and, if
 * synchronize, filled for a transfer to the device. A second prepare of
 * the same range nests. Returns kIOReturnSuccess; kIOReturnNotReady (no
 * descriptor), kIOReturnBadArgument (range outside the descriptor, longer
 * than maxTransferSize), kIOReturnBusy (prepared for another range),
 * kIOReturnNotAligned (a segment would not start aligned),
 * kIOReturnNoResources (a page out of reach with IterateOnly, or no bounce
 * page below the limit), kIOReturnNoMemory, or the descriptor's prepare's.
 *
 * complete: the matching end; the last one copies bounced data back from
 * a transfer from the device (if synchronize), gives the bounce pages
 * back and completes the descriptor. kIOReturnNotReady if not prepared.
 */
IOReturn	IODMACommand_prepare(IODMACommand *cmd, uint64_t offset, uint64_t length,
		    bool synchronize);
IOReturn	IODMACommand_complete(IODMACommand *cmd, bool synchronize);

/*
 * synchronize: copy bounced data now: kIODirectionOut from the memory to
 * the bounce pages (before the device reads), kIODirectionIn back (after
 * it wrote). Nothing to do if nothing is bounced. kIOReturnNotReady if not
 * prepared; kIOReturnBadArgument / kIOReturnUnsupported for other options.
 */
IOReturn	IODMACommand_synchronize(IODMACommand *cmd, IOOptionBits options);

/*
 * gen64IOVMSegments: the segments from *offset (relative to the prepared
 * range) on, at most *numSegments of them, through the output function
 * into segments; physically contiguous pieces are coalesced and split at
 * maxSegmentSize. On return *offset is past the last segment produced and
 * *numSegments their number. kIOReturnNotReady if not prepared,
 * kIOReturnOverrun if *offset is at or past the end, kIOReturnBadArgument
 * for no room (*numSegments 0), kIOReturnMessageTooLarge if the output
 * function refused a segment (those before it are counted).
 */
IOReturn	IODMACommand_gen64IOVMSegments(IODMACommand *cmd, uint64_t *offset,
		    void *segments, uint32_t *numSegments);

/* The number of bounce pages in use (for tests and statistics). */
uint32_t	IODMACommand_getBounceCount(const IODMACommand *cmd);
/* What IODMACommand_withSpecification was given. */
uint8_t		IODMACommand_getNumAddressBits(const IODMACommand *cmd);
void		*IODMACommand_getRefCon(const IODMACommand *cmd);

#endif /* IOKIT_KERNEL_IODMACOMMAND_H */
