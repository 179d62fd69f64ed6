/*
 * IOMemoryDescriptor_test.c - in-kernel tests of memory descriptors over
 * kernel, user-task and physical memory, their wiring (seen in the page
 * layer's wire counts), physical segments (checked against the pmap),
 * copies and kernel mappings; and of buffer descriptors (contiguous,
 * below a physical mask, length and appends). Every test checks that the
 * classes' instance counts come back; the runner checks the free pages.
 */

#include "iokit/Kernel/IOBufferMemoryDescriptor.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"

#include "kernel/machine/vm_param.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/task.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_kern.h"
#include "mach/vm/vm_ktest.h"
#include "mach/vm/vm_page.h"
#include "tests/ktest.h"

struct iomd_counts {
	int32_t	md, map, bmd;
};

static struct iomd_counts
iomd_counts(void)
{
	return (struct iomd_counts){
		OSMetaClass_getInstanceCount(&IOMemoryDescriptor_metaClass),
		OSMetaClass_getInstanceCount(&IOMemoryMap_metaClass),
		OSMetaClass_getInstanceCount(&IOBufferMemoryDescriptor_metaClass),
	};
}

#define IOMD_EXPECT_COUNTS(before) do {					\
	struct iomd_counts __now = iomd_counts();			\
	KT_EXPECT_EQ(__now.md, (before).md);				\
	KT_EXPECT_EQ(__now.map, (before).map);				\
	KT_EXPECT_EQ(__now.bmd, (before).bmd);				\
} while (0)

/* The wire count of the page behind va in pmap (~0 if none is mapped). */
static unsigned
iomd_wire_count(pmap_t pmap, vm_offset_t va)
{
	pmap_paddr_t pa = pmap_extract(pmap, va);
	struct vm_page *m = pa != 0 ? vm_page_lookup_phys(pa) : NULL;

	return m != NULL ? m->vmp_wire_count : ~0u;
}

/*
 * Walk md's segments: each must begin where pmap translates that byte,
 * be physically contiguous throughout, and together they must cover the
 * descriptor. Returns how many there were.
 */
static unsigned
iomd_check_segments(IOMemoryDescriptor *md, pmap_t pmap, uint64_t va)
{
	IOByteCount off = 0, len = IOMemoryDescriptor_getLength(md);
	unsigned n = 0;

	while (off < len) {
		IOByteCount seglen;
		IOPhysicalAddress64 pa = IOMemoryDescriptor_getPhysicalSegment(md, off, &seglen, 0);

		if (!KT_EXPECT_NE(seglen, 0))
			return n;
		KT_EXPECT_LE(off + seglen, len);
		for (IOByteCount k = 0; k < seglen; k += PAGE_SIZE - ((va + off + k) & PAGE_MASK))
			KT_EXPECT_EQ(pmap_extract(pmap, va + off + k), pa + k);
		off += seglen;
		n++;
	}
	KT_EXPECT_EQ(off, len);
	return n;
}

KTEST(IOMemoryDescriptor, kernel_memory)
{
	struct iomd_counts before = iomd_counts();
	const IOByteCount size = 3 * PAGE_SIZE;
	uint8_t *buf = kalloc(size), copy[300];
	IOMemoryDescriptor *md;
	IOByteCount seglen;

	KT_ASSERT_TRUE(buf != NULL);
	for (IOByteCount i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 7);
	md = IOMemoryDescriptor_withAddress(buf + 100, size - 200, kIODirectionOut);
	KT_ASSERT_TRUE(md != NULL);
	KT_EXPECT_EQ(IOMemoryDescriptor_getLength(md), size - 200);
	KT_EXPECT_EQ(IOMemoryDescriptor_getDirection(md), kIODirectionOut);
	/* No physical addresses before prepare. */
	KT_EXPECT_EQ(IOMemoryDescriptor_getPhysicalSegment(md, 0, &seglen, 0), 0);
	KT_EXPECT_EQ(seglen, 0);
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionNone), kIOReturnSuccess);
	KT_EXPECT_GE(iomd_check_segments(md, kernel_pmap, (uint64_t)buf + 100), 1);
	KT_EXPECT_EQ(IOMemoryDescriptor_getPhysicalAddress(md), kvtophys((vm_offset_t)buf + 100));
	KT_EXPECT_EQ(IOMemoryDescriptor_getPhysicalSegment(md, size - 200, &seglen, 0), 0);
	/* Bytes both ways, across a page boundary. */
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, PAGE_SIZE - 250, copy, sizeof(copy)),
	    sizeof(copy));
	KT_EXPECT_EQ(memcmp(copy, buf + 100 + PAGE_SIZE - 250, sizeof(copy)), 0);
	memset(copy, 0x5a, sizeof(copy));
	KT_EXPECT_EQ(IOMemoryDescriptor_writeBytes(md, 2 * PAGE_SIZE - 250, copy, sizeof(copy)),
	    sizeof(copy));
	KT_EXPECT_EQ(buf[100 + 2 * PAGE_SIZE - 250], 0x5a);
	KT_EXPECT_EQ(buf[100 + 2 * PAGE_SIZE + 49], 0x5a);
	KT_EXPECT_EQ(buf[100 + 2 * PAGE_SIZE + 50], (uint8_t)((100 + 2 * PAGE_SIZE + 50) * 7));
	/* Cut at the end; nothing past it. */
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, size - 210, copy, sizeof(copy)), 10);
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, size - 200, copy, sizeof(copy)), 0);
	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionNone), kIOReturnSuccess);
	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionNone), kIOReturnNotReady);
	OSSafeReleaseNULL(md);
	kfree(buf, size);
	IOMD_EXPECT_COUNTS(before);
}

KTEST(IOMemoryDescriptor, task_memory_wired_while_prepared)
{
	struct iomd_counts before = iomd_counts();
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t addr = ktest_allocate(map, 4 * PAGE_SIZE);
	IOMemoryDescriptor *md;
	uint64_t v;

	/* Touch two of the four pages; prepare must fault in the others. */
	KT_EXPECT_EQ(ktest_poke(map, addr + 8, 0x1122334455667788ULL), 0);
	KT_EXPECT_EQ(ktest_poke(map, addr + 2 * PAGE_SIZE, 0xabcdefULL), 0);
	md = IOMemoryDescriptor_withAddressRange(addr + 8, 3 * PAGE_SIZE + 16, kIODirectionInOut,
	    task);
	KT_ASSERT_TRUE(md != NULL);
	KT_EXPECT_EQ(IOMemoryDescriptor_getMap(md), map);
	KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr), 0);
	KT_EXPECT_EQ(pmap_extract(vm_map_pmap(map), addr + PAGE_SIZE), 0);

	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionNone), kIOReturnSuccess);
	for (int i = 0; i < 4; i++)
		KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr + i * PAGE_SIZE), 1);
	KT_EXPECT_GE(iomd_check_segments(md, vm_map_pmap(map), addr + 8), 1);

	/* Nested: the second prepare wires nothing more, the first complete unwires nothing. */
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionIn), kIOReturnSuccess);
	KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr), 1);
	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionNone), kIOReturnSuccess);
	KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr), 1);

	/* Bytes through the physical pages, seen by the task and back. */
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, 0, &v, sizeof(v)), sizeof(v));
	KT_EXPECT_EQ(v, 0x1122334455667788ULL);
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, 2 * PAGE_SIZE - 8, &v, sizeof(v)),
	    sizeof(v));
	KT_EXPECT_EQ(v, 0xabcdefULL);
	v = 0x0102030405060708ULL;
	KT_EXPECT_EQ(IOMemoryDescriptor_writeBytes(md, PAGE_SIZE - 12, &v, sizeof(v)), sizeof(v));
	KT_EXPECT_EQ(ktest_peek(map, addr + PAGE_SIZE - 4), v);

	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionNone), kIOReturnSuccess);
	for (int i = 0; i < 4; i++)
		KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr + i * PAGE_SIZE), 0);
	/* Unprepared again: copies still work (they prepare for themselves). */
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, PAGE_SIZE - 12, &v, sizeof(v)), sizeof(v));
	KT_EXPECT_EQ(v, 0x0102030405060708ULL);
	KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr), 0);

	/* The descriptor keeps the map alive after the task goes. */
	task_deallocate(task);
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, 0, &v, sizeof(v)), sizeof(v));
	KT_EXPECT_EQ(v, 0x1122334455667788ULL);
	OSSafeReleaseNULL(md);
	IOMD_EXPECT_COUNTS(before);
}

KTEST(IOMemoryDescriptor, map_into_the_kernel)
{
	struct iomd_counts before = iomd_counts();
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t addr = ktest_allocate(map, 3 * PAGE_SIZE);
	struct kmem_stats ks_before, ks_after;
	IOMemoryDescriptor *md;
	IOMemoryMap *mm;
	volatile uint64_t *p;

	kmem_get_stats(&ks_before);
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(ktest_poke(map, addr + i * PAGE_SIZE + 0x10, 0xa0 + i), 0);
	md = IOMemoryDescriptor_withAddressRange(addr + 0x10, 3 * PAGE_SIZE - 0x20,
	    kIODirectionOutIn, task);
	KT_ASSERT_TRUE(md != NULL);
	mm = IOMemoryDescriptor_map(md, kIOMapAnywhere);
	KT_ASSERT_TRUE(mm != NULL);
	KT_EXPECT_EQ(md->md_prepare_count, 1);
	KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr), 1);
	KT_EXPECT_EQ(IOMemoryMap_getLength(mm), 3 * PAGE_SIZE - 0x20);
	KT_EXPECT_EQ(IOMemoryMap_getMemoryDescriptor(mm), md);
	KT_EXPECT_GE(IOMemoryMap_getVirtualAddress(mm), VM_MIN_KERNEL_ADDRESS);
	KT_EXPECT_EQ(IOMemoryMap_getVirtualAddress(mm) & PAGE_MASK, 0x10);
	/* The same bytes: the task's writes seen through the map and back. */
	p = (volatile uint64_t *)IOMemoryMap_getVirtualAddress(mm);
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(p[i * PAGE_SIZE / 8], 0xa0 + i);
	p[PAGE_SIZE / 8 + 1] = 0x5151;
	KT_EXPECT_EQ(ktest_peek(map, addr + PAGE_SIZE + 0x18), 0x5151);
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(pmap_extract(kernel_pmap, (vm_offset_t)&p[i * PAGE_SIZE / 8]),
		    pmap_extract(vm_map_pmap(map), addr + i * PAGE_SIZE + 0x10));

	/* Unmap, then release: the descriptor is completed once, the range gone. */
	KT_EXPECT_EQ(IOMemoryMap_unmap(mm), kIOReturnSuccess);
	KT_EXPECT_EQ(IOMemoryMap_unmap(mm), kIOReturnNotReady);
	KT_EXPECT_EQ(pmap_extract(kernel_pmap, (vm_offset_t)p), 0);
	KT_EXPECT_EQ(md->md_prepare_count, 0);
	KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr), 0);
	OSSafeReleaseNULL(mm);

	/* A release alone unmaps too; the task's page stays the task's. */
	mm = IOMemoryDescriptor_map(md, kIOMapAnywhere | kIOMapReadOnly);
	KT_ASSERT_TRUE(mm != NULL);
	p = (volatile uint64_t *)IOMemoryMap_getVirtualAddress(mm);
	KT_EXPECT_EQ(p[0], 0xa0);
	KT_EXPECT_EQ(pmap_kernel_prot((vm_offset_t)p) & VM_PROT_WRITE, 0);
	OSSafeReleaseNULL(mm);
	KT_EXPECT_EQ(md->md_prepare_count, 0);
	KT_EXPECT_EQ(ktest_peek(map, addr + 0x10), 0xa0);
	OSSafeReleaseNULL(md);
	task_deallocate(task);
	kmem_get_stats(&ks_after);
	KT_EXPECT_EQ(ks_after.ks_allocations, ks_before.ks_allocations);
	IOMD_EXPECT_COUNTS(before);
}

KTEST(IOMemoryDescriptor, physical_memory)
{
	struct iomd_counts before = iomd_counts();
	IOMemoryDescriptor *md;
	IOByteCount seglen;
	pmap_paddr_t pa;
	uint32_t v = 0xfeedf00d, w = 0;

	KT_ASSERT_EQ(vm_page_alloc_contig(2, 1, VM_PAGE_USE_KERNEL, &pa), KERN_SUCCESS);
	md = IOMemoryDescriptor_withPhysicalAddress(pa + 4, 2 * PAGE_SIZE - 8, kIODirectionIn);
	KT_ASSERT_TRUE(md != NULL);
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionNone), kIOReturnSuccess);
	KT_EXPECT_EQ(IOMemoryDescriptor_getPhysicalSegment(md, 0, &seglen, 0), pa + 4);
	KT_EXPECT_EQ(seglen, 2 * PAGE_SIZE - 8);
	KT_EXPECT_EQ(IOMemoryDescriptor_getPhysicalSegment(md, PAGE_SIZE, &seglen, 0),
	    pa + 4 + PAGE_SIZE);
	KT_EXPECT_EQ(IOMemoryDescriptor_writeBytes(md, PAGE_SIZE - 6, &v, sizeof(v)), sizeof(v));
	KT_EXPECT_EQ(*(uint32_t *)((uint8_t *)phystokv(pa) + PAGE_SIZE - 2), v);
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, PAGE_SIZE - 6, &w, sizeof(w)), sizeof(w));
	KT_EXPECT_EQ(w, v);
	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionNone), kIOReturnSuccess);
	OSSafeReleaseNULL(md);
	vm_page_free_contig(pa, 2);
	IOMD_EXPECT_COUNTS(before);
}

KTEST(IOMemoryDescriptor, bad_ranges_refused)
{
	struct iomd_counts before = iomd_counts();
	task_t task = ktest_new_task();
	vm_map_t map = task->map;
	mach_vm_address_t addr = ktest_allocate(map, 2 * PAGE_SIZE);
	mach_vm_address_t gone = ktest_allocate(map, PAGE_SIZE);
	IOMemoryDescriptor *md;
	vm_offset_t kva;
	uint64_t cursor = ktest_log_cursor();
	uint8_t b = 0;

	/* Refused at creation, each with its reason logged. */
	KT_EXPECT_TRUE(IOMemoryDescriptor_withAddressRange(addr, 0, kIODirectionIn, task) == NULL);
	KT_EXPECT_TRUE(ktest_log_has(cursor, "a length of 0"));
	KT_EXPECT_TRUE(IOMemoryDescriptor_withAddressRange(UINT64_MAX - 10, 100, kIODirectionIn,
	    task) == NULL);
	KT_EXPECT_TRUE(ktest_log_has(cursor, "wraps"));
	KT_EXPECT_TRUE(IOMemoryDescriptor_withAddressRange(UINT64_MAX - PAGE_SIZE - 10, 100,
	    kIODirectionIn, task) == NULL);
	KT_EXPECT_TRUE(IOMemoryDescriptor_withAddressRange(vm_map_max(map) - 8, 16,
	    kIODirectionIn, task) == NULL);
	KT_EXPECT_TRUE(ktest_log_has(cursor, "is outside"));
	KT_EXPECT_TRUE(IOMemoryDescriptor_withAddressRange(0, 16, kIODirectionIn, task) == NULL);
	KT_EXPECT_TRUE(IOMemoryDescriptor_withAddressRange(addr, 16, 0x100, task) == NULL);
	KT_EXPECT_TRUE(ktest_log_has(cursor, "unknown direction"));
	KT_EXPECT_TRUE(IOMemoryDescriptor_withAddressRange(addr, 16, kIODirectionIn, TASK_NULL) ==
	    NULL);
	/* A user address is not kernel memory; a physical range outside the direct map. */
	KT_EXPECT_TRUE(IOMemoryDescriptor_withAddress((void *)addr, 16, kIODirectionIn) == NULL);
	KT_EXPECT_TRUE(IOMemoryDescriptor_withPhysicalAddress(1ULL << 50, 16, kIODirectionIn) ==
	    NULL);
	KT_EXPECT_TRUE(ktest_log_has(cursor, "is not in the direct map"));

	/* Unmapped memory: made, but prepare (and so copies and maps) refuse it. */
	KT_EXPECT_EQ(mach_vm_deallocate(map, gone, PAGE_SIZE), KERN_SUCCESS);
	md = IOMemoryDescriptor_withAddressRange(gone, PAGE_SIZE, kIODirectionIn, task);
	KT_ASSERT_TRUE(md != NULL);
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionNone), kIOReturnVMError);
	KT_EXPECT_EQ(md->md_prepare_count, 0);
	KT_EXPECT_EQ(IOMemoryDescriptor_readBytes(md, 0, &b, 1), 0);
	KT_EXPECT_TRUE(IOMemoryDescriptor_map(md, kIOMapAnywhere) == NULL);
	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionNone), kIOReturnNotReady);
	OSSafeReleaseNULL(md);

	/* A range with a hole in the middle: nothing stays wired. */
	md = IOMemoryDescriptor_withAddressRange(addr, gone + PAGE_SIZE - addr, kIODirectionIn,
	    task);
	KT_ASSERT_TRUE(md != NULL);
	if (gone == addr + 2 * PAGE_SIZE || gone + PAGE_SIZE == addr) {
		/* The ranges are neighbours: the first part is mapped, the last not. */
		KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionNone), kIOReturnVMError);
		KT_EXPECT_NE(iomd_wire_count(vm_map_pmap(map), addr), 1);
	}
	OSSafeReleaseNULL(md);

	/* Read-only memory cannot take a transfer into memory, but can one out of it. */
	KT_EXPECT_EQ(ktest_poke(map, addr, 42), 0);
	KT_EXPECT_EQ(mach_vm_protect(map, addr, PAGE_SIZE, FALSE, VM_PROT_READ), KERN_SUCCESS);
	md = IOMemoryDescriptor_withAddressRange(addr, PAGE_SIZE, kIODirectionIn, task);
	KT_ASSERT_TRUE(md != NULL);
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionNone), kIOReturnNotWritable);
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionOut), kIOReturnSuccess);
	KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr), 1);
	/* Wired for reading: neither a nested prepare for writing nor a write gets in. */
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionIn), kIOReturnNotWritable);
	KT_EXPECT_EQ(IOMemoryDescriptor_writeBytes(md, 0, &b, 1), 0);
	KT_EXPECT_EQ(ktest_peek(map, addr), 42);
	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionOut), kIOReturnSuccess);
	KT_EXPECT_EQ(iomd_wire_count(vm_map_pmap(map), addr), 0);
	OSSafeReleaseNULL(md);

	/* Kernel memory that is no longer mapped. */
	KT_ASSERT_EQ(kmem_alloc(kernel_map, &kva, PAGE_SIZE), KERN_SUCCESS);
	kmem_free(kernel_map, kva, PAGE_SIZE);
	md = IOMemoryDescriptor_withAddress((void *)kva, PAGE_SIZE, kIODirectionOut);
	KT_ASSERT_TRUE(md != NULL);
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionNone), kIOReturnVMError);
	OSSafeReleaseNULL(md);

	task_deallocate(task);
	IOMD_EXPECT_COUNTS(before);
}

/* --- IOBufferMemoryDescriptor ------------------------------------------------------ */

KTEST(IOBufferMemoryDescriptor, kmem_buffer)
{
	struct iomd_counts before = iomd_counts();
	IOBufferMemoryDescriptor *bmd;
	IOMemoryDescriptor *md;
	const uint8_t more[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t *p;
	bool zero = true;

	bmd = IOBufferMemoryDescriptor_withCapacity(3 * PAGE_SIZE + 100, kIODirectionOut, false);
	KT_ASSERT_TRUE(bmd != NULL);
	md = &bmd->bmd_md;
	KT_EXPECT_TRUE(OSDynamicCast(IOMemoryDescriptor, bmd) == md);
	KT_EXPECT_EQ(IOMemoryDescriptor_getLength(md), 3 * PAGE_SIZE + 100);
	KT_EXPECT_EQ(IOBufferMemoryDescriptor_getCapacity(bmd), 3 * PAGE_SIZE + 100);
	p = IOBufferMemoryDescriptor_getBytesNoCopy(bmd);
	KT_ASSERT_TRUE(p != NULL);
	for (IOByteCount i = 0; i < 3 * PAGE_SIZE + 100; i++)
		zero = zero && p[i] == 0;
	KT_EXPECT_TRUE(zero);
	/* Wired from the start: physical addresses without a prepare. */
	KT_EXPECT_GE(iomd_check_segments(md, kernel_pmap, (uint64_t)p), 1);
	KT_EXPECT_EQ(IOMemoryDescriptor_prepare(md, kIODirectionNone), kIOReturnSuccess);
	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionNone), kIOReturnSuccess);
	KT_EXPECT_EQ(IOMemoryDescriptor_complete(md, kIODirectionNone), kIOReturnNotReady);

	/* Length and appends. */
	KT_EXPECT_EQ(IOBufferMemoryDescriptor_setLength(bmd, 3 * PAGE_SIZE + 101),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(IOBufferMemoryDescriptor_setLength(bmd, 10), kIOReturnSuccess);
	KT_EXPECT_EQ(IOMemoryDescriptor_getLength(md), 10);
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_appendBytes(bmd, more, sizeof(more)));
	KT_EXPECT_EQ(IOMemoryDescriptor_getLength(md), 18);
	KT_EXPECT_EQ(p[10], 1);
	KT_EXPECT_EQ(p[17], 8);
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_getBytesNoCopyRange(bmd, 10, 8) == p + 10);
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_getBytesNoCopyRange(bmd, 10, 9) == NULL);
	KT_EXPECT_EQ(IOBufferMemoryDescriptor_setLength(bmd, 3 * PAGE_SIZE + 96),
	    kIOReturnSuccess);
	KT_EXPECT_FALSE(IOBufferMemoryDescriptor_appendBytes(bmd, more, sizeof(more)));
	KT_EXPECT_EQ(IOMemoryDescriptor_getLength(md), 3 * PAGE_SIZE + 96);
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_appendBytes(bmd, more, 4));
	KT_EXPECT_EQ(IOMemoryDescriptor_getLength(md), 3 * PAGE_SIZE + 100);
	OSSafeReleaseNULL(bmd);
	IOMD_EXPECT_COUNTS(before);
}

KTEST(IOBufferMemoryDescriptor, contiguous_and_mapped)
{
	struct iomd_counts before = iomd_counts();
	IOBufferMemoryDescriptor *bmd;
	IOMemoryMap *mm;
	IOByteCount seglen;
	IOPhysicalAddress64 pa;
	volatile uint32_t *p;

	bmd = IOBufferMemoryDescriptor_withCapacity(5 * PAGE_SIZE, kIODirectionInOut, true);
	KT_ASSERT_TRUE(bmd != NULL);
	pa = IOMemoryDescriptor_getPhysicalSegment(&bmd->bmd_md, 0, &seglen, 0);
	KT_EXPECT_NE(pa, 0);
	KT_EXPECT_EQ(seglen, 5 * PAGE_SIZE);	/* one segment: contiguous */
	KT_EXPECT_EQ(pa, kvtophys((vm_offset_t)IOBufferMemoryDescriptor_getBytesNoCopy(bmd)));
	mm = IOMemoryDescriptor_map(&bmd->bmd_md, kIOMapAnywhere);
	KT_ASSERT_TRUE(mm != NULL);
	p = (volatile uint32_t *)IOMemoryMap_getVirtualAddress(mm);
	KT_EXPECT_NE((uintptr_t)p, (uintptr_t)IOBufferMemoryDescriptor_getBytesNoCopy(bmd));
	p[PAGE_SIZE] = 0x600d;		/* byte 4 * PAGE_SIZE */
	KT_EXPECT_EQ(((uint32_t *)IOBufferMemoryDescriptor_getBytesNoCopy(bmd))[PAGE_SIZE],
	    0x600d);
	OSSafeReleaseNULL(mm);
	OSSafeReleaseNULL(bmd);
	IOMD_EXPECT_COUNTS(before);
}

KTEST(IOBufferMemoryDescriptor, physical_mask)
{
	struct iomd_counts before = iomd_counts();
	IOBufferMemoryDescriptor *bmd;
	IOByteCount seglen;
	IOPhysicalAddress64 pa;
	uint64_t cursor = ktest_log_cursor();

	/* A 32-bit device's buffer: below 4 GiB, contiguous. */
	bmd = IOBufferMemoryDescriptor_inTaskWithPhysicalMask(kernel_task, kIODirectionIn,
	    3 * PAGE_SIZE, 0x00000000ffffffffULL);
	KT_ASSERT_TRUE(bmd != NULL);
	pa = IOMemoryDescriptor_getPhysicalSegment(&bmd->bmd_md, 0, &seglen, 0);
	KT_EXPECT_EQ(seglen, 3 * PAGE_SIZE);
	KT_EXPECT_LE(pa + seglen - 1, 0xffffffffULL);
	OSSafeReleaseNULL(bmd);

	/* The mask's low zero bits align it: 64 KiB here. */
	bmd = IOBufferMemoryDescriptor_inTaskWithPhysicalMask(kernel_task, kIODirectionIn,
	    PAGE_SIZE, 0x00000000ffff0000ULL);
	KT_ASSERT_TRUE(bmd != NULL);
	pa = IOMemoryDescriptor_getPhysicalAddress(&bmd->bmd_md);
	KT_EXPECT_EQ(pa & 0xffff, 0);
	KT_EXPECT_LE(pa, 0xffffffffULL);
	OSSafeReleaseNULL(bmd);

	/* Nothing free below 8 KiB (the first megabyte is the firmware's): no buffer. */
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_inTaskWithPhysicalMask(kernel_task, 0,
	    PAGE_SIZE, 0x1fff) == NULL);
	/* Refused: a mask with a hole, no mask, another task, capacity 0, bad options. */
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_inTaskWithPhysicalMask(kernel_task, 0,
	    PAGE_SIZE, 0xff00ff000ULL) == NULL);
	KT_EXPECT_TRUE(ktest_log_has(cursor, "has a hole"));
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_inTaskWithPhysicalMask(kernel_task, 0,
	    PAGE_SIZE, 0) == NULL);
	{
		task_t task = ktest_new_task();

		KT_EXPECT_TRUE(IOBufferMemoryDescriptor_inTaskWithPhysicalMask(task, 0,
		    PAGE_SIZE, 0xffffffffULL) == NULL);
		KT_EXPECT_TRUE(ktest_log_has(cursor, "only kernel_task"));
		task_deallocate(task);
	}
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_withCapacity(0, kIODirectionIn, false) == NULL);
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_inTaskWithOptions(kernel_task,
	    kIOMemoryPageable, PAGE_SIZE, 1) == NULL);
	KT_EXPECT_TRUE(IOBufferMemoryDescriptor_inTaskWithOptions(kernel_task, 0, PAGE_SIZE, 3) ==
	    NULL);
	/* An aligned kmem buffer. */
	bmd = IOBufferMemoryDescriptor_inTaskWithOptions(kernel_task, kIODirectionOut,
	    PAGE_SIZE, 4 * PAGE_SIZE);
	KT_ASSERT_TRUE(bmd != NULL);
	KT_EXPECT_EQ((uintptr_t)IOBufferMemoryDescriptor_getBytesNoCopy(bmd) &
	    (4 * PAGE_SIZE - 1), 0);
	OSSafeReleaseNULL(bmd);
	IOMD_EXPECT_COUNTS(before);
}
