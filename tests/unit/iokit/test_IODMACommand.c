/*
 * test_IODMACommand.c - iokit/Kernel/IODMACommand.c on the host: segment
 * generation over page layouts a running kernel rarely produces (pages out
 * of order, far apart, a few contiguous), splitting and resuming mid-page,
 * bouncing of exactly the pages above the limit with the data copied each
 * way, the output functions, and every failure leaving nothing behind.
 *
 * The memory descriptor is a stand-in defined here (its prepare counts,
 * its pages are a table), so the command's own logic is what is tested;
 * the real descriptor is tested in the kernel (IOMemoryDescriptor_test.c).
 * Bounce pages come from the real vm_phys over fake RAM; the data pages
 * are fake RAM at addresses of each test's choosing.
 */

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/libkern/os_test.h"

#include "iokit/Kernel/IODMACommand.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_phys.h"

#define MB		(1024ULL * 1024)
#define GB		(1024 * MB)
#define BOUNCE_RAM	(16 * MB)	/* where vm_phys's (the bounce pages') RAM is */
#define BOUNCE_PAGES	64

/* --- the stand-in descriptor ---------------------------------------------------- */

OSDefineMetaClass(IOMemoryDescriptor, OSObject, NULL);

static struct {
	uint64_t	pages[16];	/* physical page of each page of the range */
	unsigned	npages;
	uint64_t	first;		/* offset of the first byte in pages[0] */
	uint64_t	length;
	IODirection	direction;
	int		prepared;
	IOReturn	prepare_error;
} fk;

IOReturn
IOMemoryDescriptor_prepare(IOMemoryDescriptor *md, IODirection forDirection)
{
	(void)md;
	(void)forDirection;
	if (fk.prepare_error != kIOReturnSuccess)
		return fk.prepare_error;
	fk.prepared++;
	return kIOReturnSuccess;
}

IOReturn
IOMemoryDescriptor_complete(IOMemoryDescriptor *md, IODirection forDirection)
{
	(void)md;
	(void)forDirection;
	cr_assert_gt(fk.prepared, 0, "complete of an unprepared descriptor");
	fk.prepared--;
	return kIOReturnSuccess;
}

IOByteCount
IOMemoryDescriptor_getLength(const IOMemoryDescriptor *md)
{
	(void)md;
	return fk.length;
}

IODirection
IOMemoryDescriptor_getDirection(const IOMemoryDescriptor *md)
{
	(void)md;
	return fk.direction;
}

static uint64_t
fk_translate(uint64_t offset)
{
	uint64_t a = fk.first + offset;

	return fk.pages[a / PAGE_SIZE] + a % PAGE_SIZE;
}

IOPhysicalAddress64
IOMemoryDescriptor_getPhysicalSegment(IOMemoryDescriptor *md, IOByteCount offset,
    IOByteCount *length, IOOptionBits options)
{
	uint64_t pa, len;

	(void)md;
	(void)options;
	*length = 0;
	if (fk.prepared == 0 || offset >= fk.length)
		return 0;
	pa = fk_translate(offset);
	len = MIN(fk.length - offset, PAGE_SIZE - (pa & PAGE_MASK));
	while (offset + len < fk.length && fk_translate(offset + len) == pa + len)
		len += MIN(fk.length - (offset + len), PAGE_SIZE);
	*length = len;
	return pa;
}

void
IOLog(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
}

/* A descriptor over pages (each backed by fake RAM unless already), first byte at first. */
static IOMemoryDescriptor *
fk_make(const uint64_t *pages, unsigned npages, uint64_t first, uint64_t length,
    IODirection direction)
{
	IOMemoryDescriptor *md = OSTypeAlloc(IOMemoryDescriptor);

	cr_assert_not_null(md);
	memset(&fk, 0, sizeof(fk));
	for (unsigned i = 0; i < npages; i++) {
		fk.pages[i] = pages[i];
		fake_ram_add(pages[i], PAGE_SIZE);
	}
	fk.npages = npages;
	fk.first = first;
	fk.length = length;
	fk.direction = direction;
	return md;
}

/* --- set-up ------------------------------------------------------------------------ */

static void
setup(void)
{
	OSMetaClass_init();
	cr_assert_eq(OSMetaClass_register(&IOMemoryDescriptor_metaClass), KERN_SUCCESS);
	cr_assert_eq(OSMetaClass_register(&IODMACommand_metaClass), KERN_SUCCESS);
	vm_phys_init(&vm_phys_kernel);
	fake_ram_add(BOUNCE_RAM, BOUNCE_PAGES * PAGE_SIZE);
	cr_assert_eq(vm_phys_add_range(&vm_phys_kernel, BOUNCE_RAM,
	    BOUNCE_RAM + BOUNCE_PAGES * PAGE_SIZE), KERN_SUCCESS);
}

#define DMATest(name)							\
	static void dma_##name##_body(void);				\
	Test(IODMACommand, name, .init = setup)				\
	{								\
		uint64_t __free = vm_phys_free_pages(&vm_phys_kernel);	\
		dma_##name##_body();					\
		cr_assert_eq(vm_phys_free_pages(&vm_phys_kernel), __free, \
		    "bounce pages left allocated");			\
		cr_assert_eq(fk.prepared, 0, "the descriptor is left prepared"); \
		cr_assert_eq(OSMetaClass_getInstanceCount(&IODMACommand_metaClass), 0); \
		os_test_no_leaks();					\
	}								\
	static void dma_##name##_body(void)

static IODMACommand *
cmd_make(uint8_t bits, uint64_t max_segment)
{
	IODMACommand *cmd = IODMACommand_withSpecification(IODMACommand_OutputHost64, bits,
	    max_segment, kIODMACommandMapped, 0, 1, NULL);

	cr_assert_not_null(cmd);
	return cmd;
}

/* Every segment from offset 0, n at a time. */
static uint32_t
gen_all(IODMACommand *cmd, IODMACommand_Segment64 *segs, uint32_t max, uint32_t n)
{
	uint64_t offset = 0;
	uint32_t count = 0;

	while (offset < cmd->cmd_length) {
		uint32_t got = MIN(n, max - count);

		cr_assert_gt(got, 0, "more segments than expected");
		cr_assert_eq(IODMACommand_gen64IOVMSegments(cmd, &offset, segs + count, &got),
		    kIOReturnSuccess);
		count += got;
	}
	return count;
}

/* Each segment's bytes are where the descriptor has them (nothing bounced). */
static void
check_unbounced(const IODMACommand_Segment64 *segs, uint32_t n, uint64_t length)
{
	uint64_t off = 0;

	for (uint32_t i = 0; i < n; i++) {
		for (uint64_t k = 0; k < segs[i].fLength; k += 256)
			cr_assert_eq(segs[i].fIOVMAddr + k, fk_translate(off + k),
			    "segment %u byte %llu", i, (unsigned long long)k);
		cr_assert_eq(segs[i].fIOVMAddr + segs[i].fLength - 1,
		    fk_translate(off + segs[i].fLength - 1));
		off += segs[i].fLength;
	}
	cr_assert_eq(off, length);
}

/* --- segments ------------------------------------------------------------------------ */

DMATest(contiguous_pages_coalesce_and_others_do_not)
{
	const uint64_t pages[] = { 1 * GB, 1 * GB + PAGE_SIZE, 3 * GB, 3 * GB + PAGE_SIZE,
		2 * GB };
	IOMemoryDescriptor *md = fk_make(pages, 5, 0x100, 5 * PAGE_SIZE - 0x200,
	    kIODirectionOut);
	IODMACommand *cmd = cmd_make(64, 0);
	IODMACommand_Segment64 segs[8];

	cr_assert_eq(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
	cr_assert_eq(fk.prepared, 1);
	cr_assert_eq(gen_all(cmd, segs, 8, 8), 3);
	cr_assert_eq(segs[0].fIOVMAddr, 1 * GB + 0x100);
	cr_assert_eq(segs[0].fLength, 2 * PAGE_SIZE - 0x100);
	cr_assert_eq(segs[1].fIOVMAddr, 3 * GB);
	cr_assert_eq(segs[1].fLength, 2 * PAGE_SIZE);
	cr_assert_eq(segs[2].fIOVMAddr, 2 * GB);
	cr_assert_eq(segs[2].fLength, PAGE_SIZE - 0x100);
	cr_assert_eq(IODMACommand_getBounceCount(cmd), 0);
	OSSafeReleaseNULL(cmd);
	OSSafeReleaseNULL(md);
}

DMATest(pages_in_reverse_order_are_separate_segments)
{
	const uint64_t pages[] = { 1 * GB + PAGE_SIZE, 1 * GB };
	IOMemoryDescriptor *md = fk_make(pages, 2, 0, 2 * PAGE_SIZE, kIODirectionOut);
	IODMACommand *cmd = cmd_make(64, 0);
	IODMACommand_Segment64 segs[4];

	cr_assert_eq(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
	cr_assert_eq(gen_all(cmd, segs, 4, 4), 2);
	check_unbounced(segs, 2, 2 * PAGE_SIZE);
	OSSafeReleaseNULL(cmd);
	OSSafeReleaseNULL(md);
}

DMATest(segments_split_at_the_maximum_and_resume_anywhere)
{
	const uint64_t pages[] = { 1 * GB, 1 * GB + PAGE_SIZE, 1 * GB + 2 * PAGE_SIZE, 5 * GB,
		5 * GB + PAGE_SIZE };
	const uint64_t len = 5 * PAGE_SIZE - 0x300;
	IOMemoryDescriptor *md = fk_make(pages, 5, 0x300, len, kIODirectionIn);
	IODMACommand_Segment64 segs[128], one[128];
	uint32_t n;

	for (uint64_t max = 1; max <= 3 * PAGE_SIZE + 1; max = max * 3 + 7) {
		IODMACommand *cmd = cmd_make(64, max);

		cr_assert_eq(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
		if (max < 300) {
			/* Just the start: many tiny segments. */
			uint64_t offset = 0;

			n = 32;
			cr_assert_eq(IODMACommand_gen64IOVMSegments(cmd, &offset, segs, &n),
			    kIOReturnSuccess);
			cr_assert_eq(n, 32);
			cr_assert_eq(offset, 32 * max);
			for (uint32_t i = 0; i < n; i++)
				cr_assert_eq(segs[i].fIOVMAddr, fk_translate(i * max));
		} else {
			n = gen_all(cmd, segs, 128, 128);
			cr_assert_eq(gen_all(cmd, one, 128, 1), n, "one at a time, max %llu",
			    (unsigned long long)max);
			cr_assert_arr_eq(segs, one, n * sizeof(segs[0]));
			for (uint32_t i = 0; i < n; i++)
				cr_assert_leq(segs[i].fLength, max);
			check_unbounced(segs, n, len);
			/* Started from an offset in the middle of a segment. */
			{
				uint64_t offset = max / 2 + 1;
				uint32_t got = 1;

				cr_assert_eq(IODMACommand_gen64IOVMSegments(cmd, &offset, one,
				    &got), kIOReturnSuccess);
				cr_assert_eq(one[0].fIOVMAddr, fk_translate(max / 2 + 1));
			}
		}
		OSSafeReleaseNULL(cmd);
	}
	OSSafeReleaseNULL(md);
}

DMATest(an_output_function_that_refuses_stops_the_generation)
{
	const uint64_t pages[] = { 5 * GB, 7 * GB, 6 * GB };
	IOMemoryDescriptor *md = fk_make(pages, 3, 0, 3 * PAGE_SIZE, kIODirectionOut);
	IODMACommand *cmd = IODMACommand_withSpecification(IODMACommand_OutputBig32, 32, 0,
	    kIODMACommandMapped, 0, 1, NULL);
	IODMACommand_Segment32 segs[4];
	uint64_t offset = 0;
	uint32_t n = 4;

	cr_assert_not_null(cmd);
	/* 32 address bits: every page is above, so all three are bounced below 4 GiB. */
	cr_assert_eq(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
	cr_assert_eq(IODMACommand_getBounceCount(cmd), 3);
	cr_assert_eq(IODMACommand_gen64IOVMSegments(cmd, &offset, segs, &n), kIOReturnSuccess);
	cr_assert_geq(n, 1);
	cr_assert_geq(__builtin_bswap32(segs[0].fIOVMAddr), BOUNCE_RAM);
	OSSafeReleaseNULL(cmd);

	/* A 32-bit function is not given a 64-bit device; it refuses what does not fit. */
	cr_assert_null(IODMACommand_withSpecification(IODMACommand_OutputHost32, 40, 0, 0, 0, 1,
	    NULL));
	cr_assert(!IODMACommand_OutputHost32(NULL, (IODMACommand_Segment64){ 4 * GB, 16 },
	    segs, 0));
	cr_assert(!IODMACommand_OutputLittle32(NULL, (IODMACommand_Segment64){ 4 * GB - 8, 16 },
	    segs, 0));
	cr_assert(IODMACommand_OutputLittle32(NULL, (IODMACommand_Segment64){ 4 * GB - 16, 16 },
	    segs, 1));
	cr_assert_eq(segs[1].fIOVMAddr, 4 * GB - 16);
	OSSafeReleaseNULL(md);
}

/* --- bouncing --------------------------------------------------------------------------- */

DMATest(only_the_pages_out_of_reach_are_bounced_and_copied_each_way)
{
	/* A 32-bit device: pages at 8 MiB and 9 MiB reach, the one at 6 GiB does not. */
	const uint64_t pages[] = { 8 * MB, 6 * GB, 9 * MB };
	IOMemoryDescriptor *md = fk_make(pages, 3, 0x10, 3 * PAGE_SIZE - 0x20,
	    kIODirectionOutIn);
	IODMACommand *cmd = cmd_make(32, 0);
	IODMACommand_Segment64 segs[4];
	uint8_t *high = phystokv(6 * GB);
	uint64_t before = vm_phys_free_pages(&vm_phys_kernel);

	for (unsigned i = 0; i < PAGE_SIZE; i++)
		high[i] = (uint8_t)i;
	cr_assert_eq(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnSuccess);
	cr_assert_eq(IODMACommand_getBounceCount(cmd), 1);
	cr_assert_eq(vm_phys_free_pages(&vm_phys_kernel), before - 1);
	cr_assert_eq(gen_all(cmd, segs, 4, 4), 3);
	cr_assert_eq(segs[0].fIOVMAddr, 8 * MB + 0x10);
	cr_assert_geq(segs[1].fIOVMAddr, BOUNCE_RAM);
	cr_assert_lt(segs[1].fIOVMAddr, BOUNCE_RAM + BOUNCE_PAGES * PAGE_SIZE);
	cr_assert_eq(segs[1].fLength, PAGE_SIZE);
	cr_assert_eq(segs[2].fIOVMAddr, 9 * MB);
	/* In at prepare, */
	cr_assert_arr_eq(phystokv(segs[1].fIOVMAddr), high, PAGE_SIZE);
	/* back at complete. */
	memset(phystokv(segs[1].fIOVMAddr), 0x77, PAGE_SIZE);
	cr_assert_eq(high[5], 5);
	cr_assert_eq(IODMACommand_clearMemoryDescriptor(cmd, true), kIOReturnSuccess);
	cr_assert_eq(high[5], 0x77);
	cr_assert_eq(high[PAGE_SIZE - 1], 0x77);
	OSSafeReleaseNULL(cmd);
	OSSafeReleaseNULL(md);
}

DMATest(no_page_below_the_limit_refuses_and_gives_back_what_it_took)
{
	const uint64_t pages[] = { 6 * GB, 7 * GB };
	IOMemoryDescriptor *md = fk_make(pages, 2, 0, 2 * PAGE_SIZE, kIODirectionIn);
	IODMACommand *cmd = cmd_make(24, 0);		/* 16 MiB: vm_phys's RAM is above */

	cr_assert_eq(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnNoResources);
	cr_assert_eq(IODMACommand_getBounceCount(cmd), 0);
	OSSafeReleaseNULL(cmd);

	/* With one page's worth of room, the second page fails and the first goes back. */
	cmd = cmd_make(25, 0);		/* 32 MiB: all of vm_phys's RAM is below */
	shim_kalloc_fail_after(0);
	cr_assert_eq(IODMACommand_setMemoryDescriptor(cmd, md, true), kIOReturnNoMemory);
	shim_kalloc_fail_after(-1);
	cr_assert_eq(IODMACommand_prepare(cmd, 0, 0, true), kIOReturnSuccess);
	cr_assert_eq(IODMACommand_getBounceCount(cmd), 2);
	cr_assert_eq(IODMACommand_complete(cmd, true), kIOReturnSuccess);
	OSSafeReleaseNULL(cmd);

	/* The descriptor's own refusal comes back as it is. */
	cmd = cmd_make(64, 0);
	cr_assert_eq(IODMACommand_setMemoryDescriptor(cmd, md, false), kIOReturnSuccess);
	fk.prepare_error = kIOReturnVMError;
	cr_assert_eq(IODMACommand_prepare(cmd, 0, 0, true), kIOReturnVMError);
	fk.prepare_error = kIOReturnSuccess;
	OSSafeReleaseNULL(cmd);
	OSSafeReleaseNULL(md);
}
