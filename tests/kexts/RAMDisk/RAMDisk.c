/*
 * RAMDisk.c - a block storage device backed by kernel memory: the storage
 * family's test driver (tests/iokit/test_storage.py, tests/bsd/disk_io.c).
 *
 * Each personality (matched on IOResources once IOKit is published, so it
 * starts at boot when the kext is in /System/Library/Extensions) makes
 * one disk of RAMDiskBlockCount blocks of RAMDiskBlockSize bytes; with
 * RAMDiskReadOnly it reports itself write-protected, and its block b is
 * filled with the byte (b + 1) & 0xff so that a reader can tell which
 * block it got. A writable disk starts zeroed. RAMDiskReportedBlockSize,
 * if set, is the block size it reports instead of its own: a device that
 * lies, for the family to refuse. RAMDiskBadBlock, if set, names a block
 * that fails: a request that touches it completes with kIOReturnIOError
 * and nothing moved, as a medium error would.
 *
 * The driver is its own nub: an IOBlockStorageDevice that registers
 * itself in start, so the family's IOBlockStorageDriver matches it. I/O
 * is a copy between the request's buffer and the memory, completed on
 * the caller's thread before doAsyncReadWrite returns; with RAMDiskAsync
 * a request is queued instead and copied and completed later on the
 * disk's work loop (a timer event source's action), as a controller's
 * interrupt would complete it: the family's asynchronous path.
 *
 * debug.ramdisk.eject (write 1) terminates every RAMDisk: their media and
 * /dev nodes go, and the kext can then be unloaded. debug.ramdisk.rematch
 * (write 1) publishes a resource, which runs matching on IOResources
 * again: the personalities whose disks were ejected start new ones.
 *
 * Locks: rd_lock, per disk, serialises copies into and out of its memory
 * and covers its queue; the list of disks has its own lock
 * (ramdisks.lock); neither is held while calling into IOKit.
 */

#include <IOKit/IOBufferMemoryDescriptor.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOLocks.h>
#include <IOKit/IOTimerEventSource.h>
#include <IOKit/IOWorkLoop.h>
#include <IOKit/storage/IOBlockStorageDevice.h>
#include <libkern/OSBoolean.h>
#include <libkern/OSMalloc.h>
#include <libkern/OSNumber.h>
#include <libkern/libkern.h>
#include <mach/kmod.h>
#include <sys/errno.h>
#include <sys/sysctl.h>

kern_return_t RAMDisk_start(kmod_info_t *ki, void *data);
kern_return_t RAMDisk_stop(kmod_info_t *ki, void *data);

#define RAMDISK_MAX		4		/* disks at once */
#define RAMDISK_MAX_BYTES	(16u << 20)	/* the most memory one may ask for */

/* A queued request (RAMDiskAsync). */
struct rd_request {
	struct rd_request	*rq_next;
	IOMemoryDescriptor	*rq_buffer;	/* prepared by the family until completed */
	uint64_t		rq_block;
	uint64_t		rq_nblks;
	IOStorageCompletion	rq_completion;	/* a copy: the pointer is the call's */
};

struct org_machina_test_RAMDisk {
	IOBlockStorageDevice	rd_device;	/* the superclass, first */
	IOBufferMemoryDescriptor *rd_store;	/* [I] after start */
	uint8_t			*rd_bytes;	/* [I] rd_store's memory */
	uint64_t		rd_blockSize;	/* [I] */
	uint64_t		rd_reportedBlockSize;	/* [I] what it says it has */
	uint64_t		rd_blockCount;	/* [I] */
	bool			rd_readOnly;	/* [I] */
	bool			rd_async;	/* [I] complete on the work loop */
	uint64_t		rd_badBlock;	/* [I] fails every request touching it, or UINT64_MAX */
	IOLock			*rd_lock;
	IOWorkLoop		*rd_workLoop;	/* [I] RAMDiskAsync only */
	IOTimerEventSource	*rd_timer;	/* [I] RAMDiskAsync only */
	struct rd_request	*rd_queue;	/* [rd_lock] oldest first */
	struct rd_request	**rd_tail;	/* [rd_lock] */
};
OSDeclareDefaultStructors(org_machina_test_RAMDisk);
typedef org_machina_test_RAMDisk RAMDisk;

static struct {
	OSMallocTag	tag;
	IOLock		*lock;
	RAMDisk		*disks[RAMDISK_MAX];	/* started ones, not retained */
} ramdisks;

/* --- the device's methods --------------------------------------------------------- */

static IOReturn
rd_reportBlockSize(IOBlockStorageDevice *self, uint64_t *blockSize)
{
	*blockSize = ((RAMDisk *)self)->rd_reportedBlockSize;
	return kIOReturnSuccess;
}

static IOReturn
rd_reportMaxValidBlock(IOBlockStorageDevice *self, uint64_t *maxBlock)
{
	*maxBlock = ((RAMDisk *)self)->rd_blockCount - 1;
	return kIOReturnSuccess;
}

static IOReturn
rd_reportWriteProtection(IOBlockStorageDevice *self, bool *isWriteProtected)
{
	*isWriteProtected = ((RAMDisk *)self)->rd_readOnly;
	return kIOReturnSuccess;
}

/*
 * Copy nblks blocks at block between the memory and buffer; the bytes
 * moved (none if the range holds the bad block).
 */
static uint64_t
rd_copy(RAMDisk *rd, IOMemoryDescriptor *buffer, uint64_t block, uint64_t nblks)
{
	uint64_t off = block * rd->rd_blockSize, len = nblks * rd->rd_blockSize, done;
	bool isRead = (IOMemoryDescriptor_getDirection(buffer) & kIODirectionIn) != 0;

	if (rd->rd_badBlock >= block && rd->rd_badBlock - block < nblks)
		return 0;

	IOLockLock(rd->rd_lock);
	if (isRead)
		done = IOMemoryDescriptor_writeBytes(buffer, 0, rd->rd_bytes + off, len);
	else
		done = IOMemoryDescriptor_readBytes(buffer, 0, rd->rd_bytes + off, len);
	IOLockUnlock(rd->rd_lock);
	return done;
}

/* The work loop's action (RAMDiskAsync): every queued request, in order. */
static void
rd_timer_fired(OSObject *owner, IOTimerEventSource *sender)
{
	RAMDisk *rd = (RAMDisk *)owner;
	struct rd_request *rq, *next;
	uint64_t len, done;

	(void)sender;
	IOLockLock(rd->rd_lock);
	rq = rd->rd_queue;
	rd->rd_queue = NULL;
	rd->rd_tail = &rd->rd_queue;
	IOLockUnlock(rd->rd_lock);
	for (; rq != NULL; rq = next) {
		next = rq->rq_next;
		len = rq->rq_nblks * rd->rd_blockSize;
		done = rd_copy(rd, rq->rq_buffer, rq->rq_block, rq->rq_nblks);
		IOStorageCompletion_complete(&rq->rq_completion,
		    done == len ? kIOReturnSuccess : kIOReturnIOError, done);
		OSFree(rq, sizeof(*rq), ramdisks.tag);
	}
}

static IOReturn
rd_queue_request(RAMDisk *rd, IOMemoryDescriptor *buffer, uint64_t block, uint64_t nblks,
    IOStorageCompletion *completion)
{
	struct rd_request *rq = OSMalloc(sizeof(*rq), ramdisks.tag);

	if (rq == NULL)
		return kIOReturnNoMemory;
	*rq = (struct rd_request){ .rq_buffer = buffer, .rq_block = block, .rq_nblks = nblks,
	    .rq_completion = *completion };
	IOLockLock(rd->rd_lock);
	*rd->rd_tail = rq;
	rd->rd_tail = &rq->rq_next;
	IOLockUnlock(rd->rd_lock);
	/* Soon, on the work loop; a timeout already pending is replaced, not lost. */
	if (IOTimerEventSource_setTimeoutUS(rd->rd_timer, 10) != kIOReturnSuccess)
		IOLog("RAMDisk: cannot arm the work loop's timer\n");
	return kIOReturnSuccess;
}

static IOReturn
rd_doAsyncReadWrite(IOBlockStorageDevice *self, IOMemoryDescriptor *buffer, uint64_t block,
    uint64_t nblks, IOStorageAttributes *attributes, IOStorageCompletion *completion)
{
	RAMDisk *rd = (RAMDisk *)self;
	uint64_t done;

	(void)attributes;
	/* The family checked the range; a memory disk trusts it but not blindly. */
	if (block >= rd->rd_blockCount || nblks > rd->rd_blockCount - block)
		return kIOReturnBadArgument;
	if (rd->rd_async)
		return rd_queue_request(rd, buffer, block, nblks, completion);
	done = rd_copy(rd, buffer, block, nblks);
	IOStorageCompletion_complete(completion,
	    done == nblks * rd->rd_blockSize ? kIOReturnSuccess : kIOReturnIOError, done);
	return kIOReturnSuccess;
}

/* --- start and stop ------------------------------------------------------------------- */

static uint64_t
rd_number(RAMDisk *rd, const char *key)
{
	OSNumber *n = OSDynamicCast(OSNumber, IORegistryEntry_getProperty(
	    &rd->rd_device.bsd_service.sv_entry, key));

	return n != NULL ? OSNumber_unsigned64BitValue(n) : 0;
}

/* The personality's geometry; false (logged) if it is not one a disk can have. */
static bool
rd_configure(RAMDisk *rd)
{
	OSObject *ro = IORegistryEntry_getProperty(&rd->rd_device.bsd_service.sv_entry,
	    "RAMDiskReadOnly");

	rd->rd_blockSize = rd_number(rd, "RAMDiskBlockSize");
	rd->rd_blockCount = rd_number(rd, "RAMDiskBlockCount");
	rd->rd_reportedBlockSize = rd_number(rd, "RAMDiskReportedBlockSize");
	rd->rd_badBlock = IORegistryEntry_getProperty(&rd->rd_device.bsd_service.sv_entry,
	    "RAMDiskBadBlock") != NULL ? rd_number(rd, "RAMDiskBadBlock") : UINT64_MAX;
	if (rd->rd_reportedBlockSize == 0)
		rd->rd_reportedBlockSize = rd->rd_blockSize;
	rd->rd_readOnly = ro == OSOBJ(kOSBooleanTrue);
	rd->rd_async = IORegistryEntry_getProperty(&rd->rd_device.bsd_service.sv_entry,
	    "RAMDiskAsync") == OSOBJ(kOSBooleanTrue);
	if (rd->rd_blockSize < 512 || rd->rd_blockSize > 65536 ||
	    (rd->rd_blockSize & (rd->rd_blockSize - 1)) != 0 || rd->rd_blockCount == 0 ||
	    rd->rd_blockCount > RAMDISK_MAX_BYTES / rd->rd_blockSize) {
		IOLog("RAMDisk: bad geometry in the personality (%llu blocks of %llu bytes)\n",
		    (unsigned long long)rd->rd_blockCount, (unsigned long long)rd->rd_blockSize);
		return false;
	}
	return true;
}

static bool
rd_list_add(RAMDisk *rd)
{
	bool added = false;

	IOLockLock(ramdisks.lock);
	for (int i = 0; i < RAMDISK_MAX && !added; i++) {
		if (ramdisks.disks[i] == NULL) {
			ramdisks.disks[i] = rd;
			added = true;
		}
	}
	IOLockUnlock(ramdisks.lock);
	return added;
}

static void
rd_list_remove(RAMDisk *rd)
{
	IOLockLock(ramdisks.lock);
	for (int i = 0; i < RAMDISK_MAX; i++)
		if (ramdisks.disks[i] == rd)
			ramdisks.disks[i] = NULL;
	IOLockUnlock(ramdisks.lock);
}

/* The work loop and its timer (RAMDiskAsync); false if either cannot be made. */
static bool
rd_start_workloop(RAMDisk *rd)
{
	rd->rd_workLoop = IOWorkLoop_workLoop();
	if (rd->rd_workLoop == NULL)
		return false;
	rd->rd_timer = IOTimerEventSource_timerEventSource(OSOBJ(rd), rd_timer_fired);
	return rd->rd_timer != NULL &&
	    IOWorkLoop_addEventSource(rd->rd_workLoop, &rd->rd_timer->tes_es) == kIOReturnSuccess;
}

/* Take the work loop down (stop, or a failed start); the queue is empty by then. */
static void
rd_stop_workloop(RAMDisk *rd)
{
	if (rd->rd_timer != NULL && rd->rd_workLoop != NULL)
		(void)IOWorkLoop_removeEventSource(rd->rd_workLoop, &rd->rd_timer->tes_es);
	OSSafeReleaseNULL(rd->rd_timer);
	OSSafeReleaseNULL(rd->rd_workLoop);
}

static bool
rd_start(IOService *self, IOService *provider)
{
	RAMDisk *rd = (RAMDisk *)self;
	uint64_t size;

	(void)provider;
	if (!rd_configure(rd))
		return false;
	size = rd->rd_blockSize * rd->rd_blockCount;
	rd->rd_lock = IOLockAlloc();
	rd->rd_store = IOBufferMemoryDescriptor_withCapacity(size, kIODirectionInOut, false);
	if (rd->rd_lock == NULL || rd->rd_store == NULL || !rd_list_add(rd)) {
		IOLog("RAMDisk: no memory for %llu bytes (or too many disks)\n",
		    (unsigned long long)size);
		return false;		/* rd_free releases what was made */
	}
	rd->rd_queue = NULL;
	rd->rd_tail = &rd->rd_queue;
	if (rd->rd_async && !rd_start_workloop(rd)) {
		IOLog("RAMDisk: no work loop\n");
		rd_stop_workloop(rd);
		return false;
	}
	rd->rd_bytes = IOBufferMemoryDescriptor_getBytesNoCopy(rd->rd_store);
	for (uint64_t b = 0; b < rd->rd_blockCount; b++)
		memset(rd->rd_bytes + b * rd->rd_blockSize, rd->rd_readOnly ? (int)((b + 1) & 0xff) : 0,
		    rd->rd_blockSize);
	IOLog("RAMDisk: %llu blocks of %llu bytes%s%s\n", (unsigned long long)rd->rd_blockCount,
	    (unsigned long long)rd->rd_blockSize, rd->rd_readOnly ? ", read-only" : "",
	    rd->rd_async ? ", completed on its work loop" : "");
	IOService_registerService(self, 0);
	return true;
}

static void
rd_stop(IOService *self, IOService *provider)
{
	(void)provider;
	/* The family's driver above stopped first and waited for our requests. */
	rd_list_remove((RAMDisk *)self);
	rd_stop_workloop((RAMDisk *)self);
	IOLog("RAMDisk: stopped\n");
}

static void
rd_free(OSObject *obj)
{
	RAMDisk *rd = (RAMDisk *)obj;

	rd_list_remove(rd);
	rd_stop_workloop(rd);
	OSSafeReleaseNULL(rd->rd_store);
	if (rd->rd_lock != NULL)
		IOLockFree(rd->rd_lock);
	rd->rd_lock = NULL;
}

static const struct IOBlockStorageDevice_methods rd_methods = {
	.sv.re.os = { .free = rd_free },
	.sv.start = rd_start,
	.sv.stop = rd_stop,
	.reportBlockSize = rd_reportBlockSize,
	.reportMaxValidBlock = rd_reportMaxValidBlock,
	.reportWriteProtection = rd_reportWriteProtection,
	.doAsyncReadWrite = rd_doAsyncReadWrite,
};
OSDefineMetaClassAndStructorsWithMethods(org_machina_test_RAMDisk, IOBlockStorageDevice,
    &rd_methods);

/* --- debug.ramdisk.eject --------------------------------------------------------------- */

static int
rd_eject SYSCTL_HANDLER_ARGS
{
	RAMDisk *disks[RAMDISK_MAX];
	int value = 0, error;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	error = SYSCTL_OUT(req, &value, sizeof(value));
	if (error != 0 || req->newptr == USER_ADDR_NULL)
		return error;
	if ((error = SYSCTL_IN(req, &value, sizeof(value))) != 0)
		return error;
	if (value != 1)
		return EINVAL;
	IOLockLock(ramdisks.lock);
	for (int i = 0; i < RAMDISK_MAX; i++) {
		disks[i] = ramdisks.disks[i];
		if (disks[i] != NULL)
			OSObject_retain(OSOBJ(disks[i]));
	}
	IOLockUnlock(ramdisks.lock);
	for (int i = 0; i < RAMDISK_MAX; i++) {
		if (disks[i] == NULL)
			continue;
		(void)IOService_terminate(&disks[i]->rd_device.bsd_service, kIOServiceSynchronous);
		OSObject_release(OSOBJ(disks[i]));
	}
	return 0;
}

/* Write 1: match on IOResources again. */
static int
rd_rematch SYSCTL_HANDLER_ARGS
{
	int value = 0, error;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	error = SYSCTL_OUT(req, &value, sizeof(value));
	if (error != 0 || req->newptr == USER_ADDR_NULL)
		return error;
	if ((error = SYSCTL_IN(req, &value, sizeof(value))) != 0)
		return error;
	if (value != 1)
		return EINVAL;
	return IOService_publishResource("org.machina.test.RAMDisk.rematch", NULL) ==
	    kIOReturnSuccess ? 0 : ENOMEM;
}

SYSCTL_NODE(_debug, OID_AUTO, ramdisk, CTLFLAG_RW, NULL, "the RAMDisk test kext");
SYSCTL_PROC(_debug_ramdisk, OID_AUTO, eject, CTLTYPE_INT | CTLFLAG_RW, NULL, 0, rd_eject, "I",
    "write 1: terminate every RAMDisk");
SYSCTL_PROC(_debug_ramdisk, OID_AUTO, rematch, CTLTYPE_INT | CTLFLAG_RW, NULL, 0, rd_rematch,
    "I", "write 1: match the RAMDisk personalities again");

kern_return_t
RAMDisk_start(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	ramdisks.tag = OSMalloc_Tagalloc("org.machina.test.RAMDisk", 0);
	ramdisks.lock = IOLockAlloc();
	if (ramdisks.lock == NULL || ramdisks.tag == NULL) {
		if (ramdisks.lock != NULL)
			IOLockFree(ramdisks.lock);
		if (ramdisks.tag != NULL)
			OSMalloc_Tagfree(ramdisks.tag);
		return KERN_RESOURCE_SHORTAGE;
	}
	sysctl_register_oid(&sysctl__debug_ramdisk);
	sysctl_register_oid(&sysctl__debug_ramdisk_eject);
	sysctl_register_oid(&sysctl__debug_ramdisk_rematch);
	return KERN_SUCCESS;
}

kern_return_t
RAMDisk_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	IOService_unpublishResource("org.machina.test.RAMDisk.rematch");
	sysctl_unregister_oid(&sysctl__debug_ramdisk_rematch);
	sysctl_unregister_oid(&sysctl__debug_ramdisk_eject);
	sysctl_unregister_oid(&sysctl__debug_ramdisk);
	IOLockFree(ramdisks.lock);
	ramdisks.lock = NULL;
	OSMalloc_Tagfree(ramdisks.tag);
	ramdisks.tag = NULL;
	return KERN_SUCCESS;
}
