/*
 * VirtioBlock.c - the driver of virtio's block device (device type 2,
 * QEMU's virtio-blk-pci): a block storage device for the storage family
 * (docs/iokit-storage.md), which gives it an IOMedia and /dev/diskN.
 *
 * The driver object is both the IOVirtioDevice's client and the
 * IOBlockStorageDevice the family matches: its start sets the device up,
 * then registers itself.
 *
 * A request (the spec's 5.2.6, legacy layout) is one descriptor chain:
 *	header	{ u32 type (0 read, 1 write, 4 flush); u32 reserved; u64 sector }
 *		read by the device
 *	data	the caller's buffer, one descriptor per physically contiguous
 *		run; written by the device for a read, read for a write
 *	status	one byte the device writes: 0 OK, 1 I/O error, 2 unsupported
 * Headers and status bytes live in one contiguous page of the driver's,
 * one slot per request that may be in flight (kVirtioBlockSlots). Sectors
 * are always 512 bytes, whatever the block size the device advertises
 * (VIRTIO_BLK_F_BLK_SIZE), which is the block size reported to the
 * family.
 *
 * Checks: the family has checked every request against the geometry; the
 * driver checks again (a block past the capacity, a write to a read-only
 * device: refused), and checks what comes back: a status other than OK,
 * or a completion that is not a request in flight (the queue's checks,
 * IOVirtioQueue.h), fails the request or the device, never the kernel.
 *
 * Locks: the work loop's gate serialises everything: requests are posted
 * by the callers' threads with the gate closed; completions are collected
 * by the interrupt action, which runs in the gate; a caller waiting for a
 * free slot or a flush sleeps on the gate. Completions are delivered in
 * the gate, on the work loop's thread.
 */

#include <IOKit/IOBufferMemoryDescriptor.h>
#include <IOKit/IOInterruptEventSource.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOService.h>
#include <IOKit/IOWorkLoop.h>
#include <IOKit/storage/IOBlockStorageDevice.h>
#include <IOKit/virtio/IOVirtioDevice.h>
#include <IOKit/virtio/IOVirtioQueue.h>
#include <libkern/OSString.h>
#include <libkern/string.h>
#include <mach/kmod.h>

/* Feature bits (the spec's 5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX	(1ULL << 2)
#define VIRTIO_BLK_F_RO		(1ULL << 5)
#define VIRTIO_BLK_F_BLK_SIZE	(1ULL << 6)
#define VIRTIO_BLK_F_FLUSH	(1ULL << 9)

/* Configuration offsets. */
#define VIRTIO_BLK_CFG_CAPACITY	0	/* u64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SEG_MAX	12	/* u32 */
#define VIRTIO_BLK_CFG_BLK_SIZE	20	/* u32 */

/* Request types and status. */
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

#define kVirtioBlockSector	512
#define kVirtioBlockSlots	32	/* requests in flight at most */
#define kVirtioBlockMaxSegs	64	/* data descriptors in one request */
#define kVirtioBlockStatusNone	0xff	/* what a status byte holds until the device writes it */

struct virtio_blk_header {
	uint32_t	type;
	uint32_t	reserved;
	uint64_t	sector;
};
_Static_assert(sizeof(struct virtio_blk_header) == 16, "the spec's layout");

/* The driver's page: headers, then status bytes. */
struct vblk_page {
	struct virtio_blk_header vp_header[kVirtioBlockSlots];
	uint8_t			vp_status[kVirtioBlockSlots];
};

struct vblk_slot {
	bool			vs_busy;
	bool			vs_done;	/* a synchronous request (flush) finished */
	uint8_t			vs_result;	/* ... with this status */
	uint64_t		vs_bytes;	/* the data's length */
	IOStorageCompletion	vs_completion;	/* a copy; no action for a flush */
};

struct VirtioBlock {
	IOBlockStorageDevice	vb_disk;	/* the superclass, first */
	IOVirtioDevice		*vb_dev;	/* [I] the provider */
	IOVirtioQueue		*vb_queue;	/* [I] queue 0, "requestq" */
	IOBufferMemoryDescriptor *vb_page;	/* [I] struct vblk_page */
	uint64_t		vb_pagePA;	/* [I] */
	IOWorkLoop		*vb_workloop;	/* [I] */
	IOInterruptEventSource	*vb_ies;	/* [I] */
	uint64_t		vb_features;	/* [I] negotiated */
	uint64_t		vb_sectors;	/* [I] capacity, 512-byte sectors */
	uint32_t		vb_blockSize;	/* [I] reported to the family */
	uint32_t		vb_maxSegs;	/* [I] data descriptors per request */
	bool			vb_running;	/* [g] accepting requests */
	struct vblk_slot	vb_slots[kVirtioBlockSlots];	/* [g] */
};
OSDeclareDefaultStructors(VirtioBlock);

static struct vblk_page *
vblk_page(VirtioBlock *vb)
{
	return IOBufferMemoryDescriptor_getBytesNoCopy(vb->vb_page);
}

/* --- requests, in the gate ---------------------------------------------------------- */

/* A free slot, sleeping in the gate until one is; -1 if the driver stopped. */
static int
vblk_slot_alloc(VirtioBlock *vb)
{
	for (;;) {
		if (!vb->vb_running || IOVirtioDevice_isFailed(vb->vb_dev))
			return -1;
		for (int i = 0; i < kVirtioBlockSlots; i++) {
			if (!vb->vb_slots[i].vs_busy) {
				memset(&vb->vb_slots[i], 0, sizeof(vb->vb_slots[i]));
				vb->vb_slots[i].vs_busy = true;
				return i;
			}
		}
		(void)IOWorkLoop_sleepGate(vb->vb_workloop, vb->vb_slots, 0, THREAD_UNINT);
	}
}

static void
vblk_slot_free(VirtioBlock *vb, int i)
{
	vb->vb_slots[i].vs_busy = false;
	IOWorkLoop_wakeupGate(vb->vb_workloop, vb->vb_slots, false);
}

/* The data's physical runs after segs[0]; how many, or 0 if there are too many. */
static unsigned
vblk_data_segments(VirtioBlock *vb, IOMemoryDescriptor *buffer, uint64_t bytes,
    struct IOVirtioSegment *segs)
{
	uint64_t off = 0;
	unsigned n = 0;

	while (off < bytes) {
		IOByteCount len = 0;
		IOPhysicalAddress64 pa = IOMemoryDescriptor_getPhysicalSegment(buffer, off, &len, 0);

		if (pa == 0 || len == 0 || n == vb->vb_maxSegs)
			return 0;
		if (len > bytes - off)
			len = bytes - off;
		if (len > 0x80000000u)
			len = 0x80000000u;
		segs[n].vs_addr = pa;
		segs[n].vs_len = (uint32_t)len;
		n++;
		off += len;
	}
	return n;
}

/* Post slot i's request: header, data (if any), status. In the gate. */
static IOReturn
vblk_post(VirtioBlock *vb, int i, uint32_t type, uint64_t sector, IOMemoryDescriptor *buffer,
    uint64_t bytes)
{
	struct IOVirtioSegment segs[kVirtioBlockMaxSegs + 2];
	struct vblk_page *pg = vblk_page(vb);
	unsigned ndata = 0;
	IOReturn ret;

	pg->vp_header[i].type = type;
	pg->vp_header[i].reserved = 0;
	pg->vp_header[i].sector = sector;
	pg->vp_status[i] = kVirtioBlockStatusNone;
	segs[0].vs_addr = vb->vb_pagePA + offsetof(struct vblk_page, vp_header[i]);
	segs[0].vs_len = sizeof(struct virtio_blk_header);
	if (buffer != NULL && (ndata = vblk_data_segments(vb, buffer, bytes, &segs[1])) == 0)
		return kIOReturnNoResources;
	segs[1 + ndata].vs_addr = vb->vb_pagePA + offsetof(struct vblk_page, vp_status[i]);
	segs[1 + ndata].vs_len = 1;
	/* A write's data is read by the device; a read's written by it. */
	if (type == VIRTIO_BLK_T_IN)
		ret = IOVirtioQueue_addBuffers(vb->vb_queue, segs, 1, ndata + 1,
		    &vb->vb_slots[i]);
	else
		ret = IOVirtioQueue_addBuffers(vb->vb_queue, segs, 1 + ndata, 1,
		    &vb->vb_slots[i]);
	if (ret == kIOReturnSuccess)
		IOVirtioQueue_notify(vb->vb_queue);
	return ret;
}

static IOReturn
vblk_status_to_ioreturn(uint8_t status)
{
	switch (status) {
	case VIRTIO_BLK_S_OK:
		return kIOReturnSuccess;
	case VIRTIO_BLK_S_UNSUPP:
		return kIOReturnUnsupported;
	default:
		return kIOReturnIOError;
	}
}

/* A request finished: its status, its completion, its slot back. In the gate. */
static void
vblk_finish(VirtioBlock *vb, struct vblk_slot *s)
{
	int i = (int)(s - vb->vb_slots);
	uint8_t status = vblk_page(vb)->vp_status[i];
	IOStorageCompletion c = s->vs_completion;
	uint64_t bytes = s->vs_bytes;
	IOReturn ret = vblk_status_to_ioreturn(status);

	if (c.action == NULL) {		/* a synchronous request: its caller frees it */
		s->vs_done = true;
		s->vs_result = status;
		IOWorkLoop_wakeupGate(vb->vb_workloop, s, false);
		return;
	}
	vblk_slot_free(vb, i);
	IOStorageCompletion_complete(&c, ret, ret == kIOReturnSuccess ? bytes : 0);
}

/* Fail every request still in flight (the device failed or was reset). In the gate. */
static void
vblk_fail_all(VirtioBlock *vb)
{
	for (int i = 0; i < kVirtioBlockSlots; i++) {
		struct vblk_slot *s = &vb->vb_slots[i];

		if (!s->vs_busy || s->vs_done)
			continue;
		vblk_page(vb)->vp_status[i] = VIRTIO_BLK_S_IOERR;
		vblk_finish(vb, s);
	}
}

/* On the work loop, in the gate. */
static void
vblk_interrupt(OSObject *owner, IOVirtioDevice *dev, uint8_t isr)
{
	VirtioBlock *vb = (VirtioBlock *)owner;
	void *cookie;
	uint32_t len;

	if (!(isr & kIOVirtioISRQueue))
		return;
	while (IOVirtioQueue_getUsed(vb->vb_queue, &cookie, &len))
		vblk_finish(vb, (struct vblk_slot *)cookie);
	if (IOVirtioDevice_isFailed(vb->vb_dev))
		vblk_fail_all(vb);
}

/* --- the storage family's methods ---------------------------------------------------- */

static IOReturn
vblk_reportBlockSize(IOBlockStorageDevice *self, uint64_t *blockSize)
{
	*blockSize = ((VirtioBlock *)self)->vb_blockSize;
	return kIOReturnSuccess;
}

static IOReturn
vblk_reportMaxValidBlock(IOBlockStorageDevice *self, uint64_t *maxBlock)
{
	VirtioBlock *vb = (VirtioBlock *)self;
	uint64_t blocks = vb->vb_sectors / (vb->vb_blockSize / kVirtioBlockSector);

	if (blocks == 0)
		return kIOReturnNoMedia;
	*maxBlock = blocks - 1;
	return kIOReturnSuccess;
}

static IOReturn
vblk_reportWriteProtection(IOBlockStorageDevice *self, bool *isWriteProtected)
{
	*isWriteProtected = (((VirtioBlock *)self)->vb_features & VIRTIO_BLK_F_RO) != 0;
	return kIOReturnSuccess;
}

static IOReturn
vblk_doAsyncReadWrite(IOBlockStorageDevice *self, IOMemoryDescriptor *buffer, uint64_t block,
    uint64_t nblks, IOStorageAttributes *attributes, IOStorageCompletion *completion)
{
	VirtioBlock *vb = (VirtioBlock *)self;
	uint64_t per = vb->vb_blockSize / kVirtioBlockSector;
	uint64_t blocks = vb->vb_sectors / per, bytes = nblks * vb->vb_blockSize;
	bool read = (IOMemoryDescriptor_getDirection(buffer) & kIODirectionOut) == 0;
	IOReturn ret;
	int i;

	if (nblks == 0 || block >= blocks || nblks > blocks - block ||
	    IOMemoryDescriptor_getLength(buffer) < bytes)
		return kIOReturnBadArgument;
	if (!read && (vb->vb_features & VIRTIO_BLK_F_RO))
		return kIOReturnNotWritable;
	IOWorkLoop_closeGate(vb->vb_workloop);
	if ((i = vblk_slot_alloc(vb)) < 0) {
		IOWorkLoop_openGate(vb->vb_workloop);
		return kIOReturnNoDevice;
	}
	vb->vb_slots[i].vs_completion = *completion;
	vb->vb_slots[i].vs_bytes = bytes;
	for (;;) {
		ret = vblk_post(vb, i, read ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT, block * per,
		    buffer, bytes);
		/* The ring is full of other requests' descriptors: wait for one to finish. */
		if (ret != kIOReturnNoSpace || !vb->vb_running ||
		    IOVirtioQueue_inFlight(vb->vb_queue) == 0)
			break;
		(void)IOWorkLoop_sleepGate(vb->vb_workloop, vb->vb_slots, 0, THREAD_UNINT);
	}
	if (ret != kIOReturnSuccess)
		vblk_slot_free(vb, i);
	IOWorkLoop_openGate(vb->vb_workloop);
	return ret;
}

static IOReturn
vblk_doSynchronizeCache(IOBlockStorageDevice *self)
{
	VirtioBlock *vb = (VirtioBlock *)self;
	IOReturn ret;
	int i;

	if (!(vb->vb_features & VIRTIO_BLK_F_FLUSH))
		return kIOReturnSuccess;		/* no cache the driver can flush */
	IOWorkLoop_closeGate(vb->vb_workloop);
	if ((i = vblk_slot_alloc(vb)) < 0) {
		IOWorkLoop_openGate(vb->vb_workloop);
		return kIOReturnNoDevice;
	}
	ret = vblk_post(vb, i, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
	while (ret == kIOReturnSuccess && !vb->vb_slots[i].vs_done)
		(void)IOWorkLoop_sleepGate(vb->vb_workloop, &vb->vb_slots[i], 0, THREAD_UNINT);
	if (ret == kIOReturnSuccess)
		ret = vblk_status_to_ioreturn(vb->vb_slots[i].vs_result);
	vblk_slot_free(vb, i);
	IOWorkLoop_openGate(vb->vb_workloop);
	return ret;
}

/* --- start and stop ------------------------------------------------------------------- */

/* The geometry from the configuration; false (logged) if it is unusable. */
static bool
vblk_geometry(VirtioBlock *vb)
{
	uint32_t bs = kVirtioBlockSector, segMax;

	vb->vb_sectors = IOVirtioDevice_readConfig64(vb->vb_dev, VIRTIO_BLK_CFG_CAPACITY);
	if (vb->vb_features & VIRTIO_BLK_F_BLK_SIZE) {
		bs = IOVirtioDevice_readConfig32(vb->vb_dev, VIRTIO_BLK_CFG_BLK_SIZE);
		if (bs < kVirtioBlockSector || bs > 65536 || (bs & (bs - 1)) != 0) {
			IOLog("VirtioBlock: the device's block size %u is not a power of two from "
			    "512 to 65536; using 512\n", bs);
			bs = kVirtioBlockSector;
		}
	}
	vb->vb_blockSize = bs;
	vb->vb_maxSegs = kVirtioBlockMaxSegs;
	if (vb->vb_features & VIRTIO_BLK_F_SEG_MAX) {
		segMax = IOVirtioDevice_readConfig32(vb->vb_dev, VIRTIO_BLK_CFG_SEG_MAX);
		if (segMax >= 1 && segMax < vb->vb_maxSegs)
			vb->vb_maxSegs = segMax;
	}
	if (vb->vb_maxSegs + 2 > IOVirtioQueue_getSize(vb->vb_queue))
		vb->vb_maxSegs = IOVirtioQueue_getSize(vb->vb_queue) > 2 ?
		    IOVirtioQueue_getSize(vb->vb_queue) - 2 : 0;
	if (vb->vb_sectors / (bs / kVirtioBlockSector) == 0 || vb->vb_maxSegs == 0) {
		IOLog("VirtioBlock: the device has no blocks (capacity %llu sectors) or a queue "
		    "too small (%u)\n", (unsigned long long)vb->vb_sectors,
		    IOVirtioQueue_getSize(vb->vb_queue));
		return false;
	}
	return true;
}

static bool
vblk_setup(VirtioBlock *vb)
{
	vb->vb_queue = IOVirtioQueue_withDevice(vb->vb_dev, 0);
	vb->vb_page = IOBufferMemoryDescriptor_withCapacity(sizeof(struct vblk_page),
	    kIODirectionInOut, true);
	vb->vb_workloop = IOWorkLoop_workLoop();
	vb->vb_ies = IOVirtioDevice_interruptEventSource(vb->vb_dev, OSOBJ(vb), vblk_interrupt);
	if (vb->vb_queue == NULL || vb->vb_page == NULL || vb->vb_workloop == NULL ||
	    vb->vb_ies == NULL) {
		IOLog("VirtioBlock: cannot set up the device (queue, memory or work loop)\n");
		return false;
	}
	vb->vb_pagePA = IOMemoryDescriptor_getPhysicalAddress(&vb->vb_page->bmd_md);
	if (!vblk_geometry(vb))
		return false;
	if (IOWorkLoop_addEventSource(vb->vb_workloop, &vb->vb_ies->ies_es) != kIOReturnSuccess) {
		IOLog("VirtioBlock: cannot add the interrupt source to the work loop\n");
		return false;
	}
	return true;
}

static void
vblk_teardown(VirtioBlock *vb)
{
	if (vb->vb_ies != NULL) {
		IOEventSource_disable(&vb->vb_ies->ies_es);
		if (vb->vb_workloop != NULL)
			(void)IOWorkLoop_removeEventSource(vb->vb_workloop, &vb->vb_ies->ies_es);
	}
	OSSafeReleaseNULL(vb->vb_ies);
	OSSafeReleaseNULL(vb->vb_workloop);
	OSSafeReleaseNULL(vb->vb_queue);	/* after the reset: the device lets go */
	OSSafeReleaseNULL(vb->vb_page);
}

static void
vblk_set_names(VirtioBlock *vb)
{
	OSString *s = OSString_withCString("VirtioBlock");

	if (s != NULL)
		(void)IORegistryEntry_setProperty(&vb->vb_disk.bsd_service.sv_entry,
		    kIOPropertyProductNameKey, OSOBJ(s));
	OSSafeReleaseNULL(s);
}

static bool
vblk_start(IOService *self, IOService *provider)
{
	VirtioBlock *vb = (VirtioBlock *)self;
	uint64_t want = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO | VIRTIO_BLK_F_BLK_SIZE |
	    VIRTIO_BLK_F_FLUSH;

	vb->vb_dev = OSDynamicCast(IOVirtioDevice, provider);
	if (vb->vb_dev == NULL ||
	    IOVirtioDevice_getDeviceType(vb->vb_dev) != kIOVirtioDeviceTypeBlock)
		return false;
	if (IOVirtioDevice_negotiateFeatures(vb->vb_dev, want, &vb->vb_features) !=
	    kIOReturnSuccess || !vblk_setup(vb)) {
		IOVirtioDevice_reset(vb->vb_dev);
		vblk_teardown(vb);
		return false;
	}
	IOEventSource_enable(&vb->vb_ies->ies_es);
	(void)IOVirtioDevice_driverOK(vb->vb_dev);
	vb->vb_running = true;
	vblk_set_names(vb);
	IOLog("VirtioBlock: %llu sectors, %u-byte blocks%s%s; queue of %u entries\n",
	    (unsigned long long)vb->vb_sectors, vb->vb_blockSize,
	    (vb->vb_features & VIRTIO_BLK_F_RO) ? ", read-only" : "",
	    (vb->vb_features & VIRTIO_BLK_F_FLUSH) ? ", flush" : "",
	    IOVirtioQueue_getSize(vb->vb_queue));
	IOService_registerService(self, 0);
	return true;
}

static void
vblk_stop(IOService *self, IOService *provider)
{
	VirtioBlock *vb = (VirtioBlock *)self;

	IOWorkLoop_closeGate(vb->vb_workloop);
	vb->vb_running = false;
	IOVirtioDevice_reset(vb->vb_dev);	/* no more DMA, no more interrupts */
	vblk_fail_all(vb);			/* none should be left: the family waited */
	IOWorkLoop_wakeupGate(vb->vb_workloop, vb->vb_slots, false);
	IOWorkLoop_openGate(vb->vb_workloop);
	vblk_teardown(vb);
}

static void
vblk_free(OSObject *obj)
{
	vblk_teardown((VirtioBlock *)obj);
}

static const struct IOBlockStorageDevice_methods vblk_methods = {
	.sv.re.os = { .free = vblk_free },
	.sv.start = vblk_start,
	.sv.stop = vblk_stop,
	.reportBlockSize = vblk_reportBlockSize,
	.reportMaxValidBlock = vblk_reportMaxValidBlock,
	.reportWriteProtection = vblk_reportWriteProtection,
	.doAsyncReadWrite = vblk_doAsyncReadWrite,
	.doSynchronizeCache = vblk_doSynchronizeCache,
};
OSDefineMetaClassAndStructorsWithMethods(VirtioBlock, IOBlockStorageDevice, &vblk_methods);

kern_return_t VirtioBlock_start(kmod_info_t *ki, void *data);
kern_return_t VirtioBlock_stop(kmod_info_t *ki, void *data);

kern_return_t
VirtioBlock_start(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}

kern_return_t
VirtioBlock_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
