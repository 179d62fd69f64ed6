/*
 * IOMediaBSDClient.c - /dev/diskN and /dev/rdiskN for each whole medium:
 * the unit table, the two character devices' entries, and the client
 * class that holds a unit while its medium lives (IOMediaBSDClient.h).
 */

#include "iokit/Families/IOStorageFamily/IOMediaBSDClient.h"

#include "bsd/miscfs/devfs/devfs.h"
#include "bsd/sys/conf.h"
#include "bsd/sys/disk.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/uio.h"
#include "iokit/Families/IOStorageFamily/IOStorageFamilyPrivate.h"
#include "iokit/Kernel/IOBufferMemoryDescriptor.h"
#include "iokit/Kernel/IOLib.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "libkern/libkern.h"

#define BOUNCE_MAX	65536u		/* a multiple of every block size allowed */
#define NODE_DISK	0
#define NODE_RDISK	1

struct bsd_unit {
	IOMedia		*bu_media;	/* [u] retained while the client is started */
	void		*bu_node[2];	/* [u] devfs handles, NODE_DISK and NODE_RDISK */
	bool		bu_open[2];	/* [u] a descriptor of that node is open */
};

/* The unit table, and the majors ([I] between initialize and finalize). */
static struct {
	IOLock		*lock;
	int		major[2];
	struct bsd_unit	units[kIOMediaBSDClientMaxUnits];	/* [u] */
} bsd_glue = { .major = { -1, -1 } };

/* --- units ------------------------------------------------------------------------- */

static bool
unit_is_free(const struct bsd_unit *u)
{
	return u->bu_media == NULL && !u->bu_open[NODE_DISK] && !u->bu_open[NODE_RDISK];
}

/* Which node (NODE_DISK or NODE_RDISK) dev is; -1 if neither major. */
static int
dev_node(dev_t dev)
{
	if (major(dev) == bsd_glue.major[NODE_DISK])
		return NODE_DISK;
	if (major(dev) == bsd_glue.major[NODE_RDISK])
		return NODE_RDISK;
	return -1;
}

/* The medium of dev's unit, retained; NULL if it has gone (or never was). */
static IOMedia *
dev_copy_media(dev_t dev)
{
	int unit = minor(dev);
	IOMedia *media = NULL;

	if (unit < 0 || unit >= kIOMediaBSDClientMaxUnits || dev_node(dev) < 0)
		return NULL;
	IOLockLock(bsd_glue.lock);
	media = bsd_glue.units[unit].bu_media;
	if (media != NULL)
		OSObject_retain(OSOBJ(media));
	IOLockUnlock(bsd_glue.lock);
	return media;
}

/* The one place IOReturn becomes errno for the disk nodes. */
static int
disk_errno(IOReturn ret)
{
	switch (ret) {
	case kIOReturnSuccess:		return 0;
	case kIOReturnBadArgument:	return EINVAL;
	case kIOReturnOverrun:		return EINVAL;
	case kIOReturnNotWritable:	return EROFS;
	case kIOReturnNoSpace:		return ENOSPC;
	case kIOReturnNoMemory:		return ENOMEM;
	case kIOReturnNoDevice:
	case kIOReturnNotAttached:
	case kIOReturnNoMedia:
	case kIOReturnOffline:		return ENXIO;
	default:			return EIO;
	}
}

/* --- the device entries --------------------------------------------------------------- */

static int
disk_open(dev_t dev, int flags, int devtype, proc_t p)
{
	int unit = minor(dev), node = dev_node(dev), error = ENXIO;

	(void)flags;
	(void)devtype;
	(void)p;
	if (unit < 0 || unit >= kIOMediaBSDClientMaxUnits || node < 0)
		return ENXIO;
	IOLockLock(bsd_glue.lock);
	if (bsd_glue.units[unit].bu_media != NULL) {
		bsd_glue.units[unit].bu_open[node] = true;
		error = 0;
	}
	IOLockUnlock(bsd_glue.lock);
	return error;
}

/* d_close: the node's last descriptor has gone; the unit may be free now. */
static int
disk_close(dev_t dev, int flags, int devtype, proc_t p)
{
	int unit = minor(dev), node = dev_node(dev);

	(void)flags;
	(void)devtype;
	(void)p;
	if (unit < 0 || unit >= kIOMediaBSDClientMaxUnits || node < 0)
		return 0;
	IOLockLock(bsd_glue.lock);
	bsd_glue.units[unit].bu_open[node] = false;
	IOLockUnlock(bsd_glue.lock);
	return 0;
}

/* Move len bytes at the uio's offset between the medium and the uio, in chunks. */
static int
disk_transfer(IOMedia *media, struct uio *uio, uint64_t len, bool isWrite)
{
	IOBufferMemoryDescriptor *bounce;
	uint64_t off = (uint64_t)uio_offset(uio), moved = 0, chunk, actual;
	void *bytes;
	int error = 0;

	bounce = IOBufferMemoryDescriptor_withCapacity(len < BOUNCE_MAX ? len : BOUNCE_MAX,
	    isWrite ? kIODirectionOut : kIODirectionIn, false);
	if (bounce == NULL)
		return ENOMEM;
	bytes = IOBufferMemoryDescriptor_getBytesNoCopy(bounce);
	while (error == 0 && moved < len) {
		chunk = len - moved < BOUNCE_MAX ? len - moved : BOUNCE_MAX;
		(void)IOBufferMemoryDescriptor_setLength(bounce, chunk);
		if (isWrite && (error = uiomove(bytes, (int64_t)chunk, uio)) != 0)
			break;
		error = disk_errno(IOMedia_syncReadWrite(media, off + moved,
		    (IOMemoryDescriptor *)bounce, &actual));
		if (error == 0 && actual != chunk)
			error = EIO;
		if (error == 0 && !isWrite)
			error = uiomove(bytes, (int64_t)chunk, uio);
		if (error == 0)
			moved += chunk;
	}
	OSObject_release(OSOBJ(bounce));
	return moved > 0 ? 0 : error;	/* a short transfer is not an error */
}

static int
disk_rw(dev_t dev, struct uio *uio, bool isWrite)
{
	IOMedia *media = dev_copy_media(dev);
	uint64_t len = 0;
	int error;

	if (media == NULL)
		return ENXIO;
	error = disk_errno(IOStorageClipTransfer(IOMedia_getGeometry(media), uio_offset(uio),
	    (uint64_t)uio_resid(uio), isWrite, &len));
	if (error == 0 && len > 0)
		error = disk_transfer(media, uio, len, isWrite);
	OSObject_release(OSOBJ(media));
	return error;
}

static int
disk_read(dev_t dev, struct uio *uio, int ioflag)
{
	(void)ioflag;
	return disk_rw(dev, uio, false);
}

static int
disk_write(dev_t dev, struct uio *uio, int ioflag)
{
	(void)ioflag;
	return disk_rw(dev, uio, true);
}

static int
disk_ioctl(dev_t dev, unsigned long cmd, void *data, int fflag, proc_t p)
{
	IOMedia *media = dev_copy_media(dev);
	const struct IOStorageGeometry *g;
	int error = 0;

	(void)fflag;
	(void)p;
	if (media == NULL)
		return ENXIO;
	g = IOMedia_getGeometry(media);
	switch (cmd) {
	case DKIOCGETBLOCKSIZE:
		*(uint32_t *)data = (uint32_t)g->sg_blockSize;
		break;
	case DKIOCGETBLOCKCOUNT:
		*(uint64_t *)data = g->sg_blockCount;
		break;
	case DKIOCISWRITABLE:
		*(uint32_t *)data = g->sg_writable ? 1 : 0;
		break;
	case DKIOCSYNCHRONIZECACHE:
		error = disk_errno(IOMedia_synchronizeCache(media));
		break;
	default:
		error = ENOTTY;
		break;
	}
	OSObject_release(OSOBJ(media));
	return error;
}

static const struct cdevsw disk_cdevsw = {
	.d_open = disk_open,
	.d_close = disk_close,
	.d_read = disk_read,
	.d_write = disk_write,
	.d_ioctl = disk_ioctl,
	.d_type = D_DISK,
};

/* The rdisk major's switch: the same entries (a second table: one csw per major). */
static const struct cdevsw rdisk_cdevsw = {
	.d_open = disk_open,
	.d_close = disk_close,
	.d_read = disk_read,
	.d_write = disk_write,
	.d_ioctl = disk_ioctl,
	.d_type = D_DISK,
};

kern_return_t
IOMediaBSDClient_initialize(void)
{
	bsd_glue.lock = IOLockAlloc();
	if (bsd_glue.lock == NULL)
		return KERN_RESOURCE_SHORTAGE;
	bsd_glue.major[NODE_DISK] = cdevsw_add(-1, &disk_cdevsw);
	bsd_glue.major[NODE_RDISK] = cdevsw_add(-1, &rdisk_cdevsw);
	if (bsd_glue.major[NODE_DISK] < 0 || bsd_glue.major[NODE_RDISK] < 0) {
		IOLog("IOStorageFamily: no free character-device major for the disks\n");
		(void)IOMediaBSDClient_finalize();
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

kern_return_t
IOMediaBSDClient_finalize(void)
{
	if (bsd_glue.lock != NULL) {
		IOLockLock(bsd_glue.lock);
		for (int i = 0; i < kIOMediaBSDClientMaxUnits; i++) {
			if (!unit_is_free(&bsd_glue.units[i])) {
				IOLockUnlock(bsd_glue.lock);
				IOLog("IOStorageFamily: disk%d is still in use\n", i);
				return KERN_FAILURE;
			}
		}
		IOLockUnlock(bsd_glue.lock);
	}
	if (bsd_glue.major[NODE_DISK] >= 0)
		(void)cdevsw_remove(bsd_glue.major[NODE_DISK], &disk_cdevsw);
	if (bsd_glue.major[NODE_RDISK] >= 0)
		(void)cdevsw_remove(bsd_glue.major[NODE_RDISK], &rdisk_cdevsw);
	bsd_glue.major[NODE_DISK] = bsd_glue.major[NODE_RDISK] = -1;
	if (bsd_glue.lock != NULL)
		IOLockFree(bsd_glue.lock);
	bsd_glue.lock = NULL;
	return KERN_SUCCESS;
}

/* --- the client ----------------------------------------------------------------------- */

static bool
bc_set_number(IOMedia *media, const char *key, uint64_t value)
{
	OSNumber *n = OSNumber_withNumber(value, 32);
	bool ok = n != NULL && IORegistryEntry_setProperty(&media->m_service.sv_entry, key,
	    OSOBJ(n));

	OSSafeReleaseNULL(n);
	return ok;
}

static bool
bc_set_bsd_properties(IOMedia *media, int unit)
{
	char name[16];
	OSString *s;
	bool ok;

	snprintf(name, sizeof(name), "disk%d", unit);
	s = OSString_withCString(name);
	ok = s != NULL && IORegistryEntry_setProperty(&media->m_service.sv_entry, kIOBSDNameKey,
	    OSOBJ(s));
	OSSafeReleaseNULL(s);
	return ok && bc_set_number(media, kIOBSDMajorKey, (uint64_t)bsd_glue.major[NODE_DISK]) &&
	    bc_set_number(media, kIOBSDMinorKey, (uint64_t)unit) &&
	    bc_set_number(media, kIOBSDUnitKey, (uint64_t)unit);
}

/* Take the lowest free unit for media (retained in it); -1 if all are held. */
static int
bc_take_unit(IOMedia *media)
{
	int unit = -1;

	IOLockLock(bsd_glue.lock);
	for (int i = 0; i < kIOMediaBSDClientMaxUnits && unit < 0; i++) {
		if (unit_is_free(&bsd_glue.units[i])) {
			OSObject_retain(OSOBJ(media));
			bsd_glue.units[i].bu_media = media;
			unit = i;
		}
	}
	IOLockUnlock(bsd_glue.lock);
	return unit;
}

/* Give the unit back: its nodes go, open descriptors get ENXIO from now on. */
static void
bc_release_unit(int unit)
{
	struct bsd_unit *u = &bsd_glue.units[unit];
	void *nodes[2];
	IOMedia *media;

	IOLockLock(bsd_glue.lock);
	media = u->bu_media;
	nodes[0] = u->bu_node[0];
	nodes[1] = u->bu_node[1];
	u->bu_media = NULL;
	u->bu_node[0] = u->bu_node[1] = NULL;
	IOLockUnlock(bsd_glue.lock);
	for (int i = 0; i < 2; i++)
		if (nodes[i] != NULL)
			devfs_remove(nodes[i]);
	OSSafeReleaseNULL(media);
}

static bool
bc_start(IOService *self, IOService *provider)
{
	IOMediaBSDClient *bc = (IOMediaBSDClient *)self;
	IOMedia *media = OSDynamicCast(IOMedia, provider);
	void *disk, *rdisk;
	int unit;

	bc->bc_unit = -1;
	if (media == NULL || bsd_glue.lock == NULL)
		return false;
	if ((unit = bc_take_unit(media)) < 0) {
		IOLog("IOMediaBSDClient: no free disk unit (%d in use)\n",
		    kIOMediaBSDClientMaxUnits);
		return false;
	}
	disk = devfs_make_node(makedev(bsd_glue.major[NODE_DISK], unit), DEVFS_CHAR, UID_ROOT,
	    GID_WHEEL, 0640, "disk%d", unit);
	rdisk = devfs_make_node(makedev(bsd_glue.major[NODE_RDISK], unit), DEVFS_CHAR,
	    UID_ROOT, GID_WHEEL, 0640, "rdisk%d", unit);
	IOLockLock(bsd_glue.lock);
	bsd_glue.units[unit].bu_node[NODE_DISK] = disk;
	bsd_glue.units[unit].bu_node[NODE_RDISK] = rdisk;
	IOLockUnlock(bsd_glue.lock);
	if (disk == NULL || rdisk == NULL || !bc_set_bsd_properties(media, unit)) {
		IOLog("IOMediaBSDClient: cannot make /dev/disk%d\n", unit);
		bc_release_unit(unit);
		return false;
	}
	bc->bc_media = media;
	bc->bc_unit = unit;
	return true;
}

static void
bc_stop(IOService *self, IOService *provider)
{
	IOMediaBSDClient *bc = (IOMediaBSDClient *)self;

	(void)provider;
	if (bc->bc_unit >= 0)
		bc_release_unit(bc->bc_unit);
	bc->bc_unit = -1;
	bc->bc_media = NULL;
}

static const struct IOService_methods bc_methods = {
	.start = bc_start,
	.stop = bc_stop,
};
OSDefineMetaClassAndStructorsWithMethods(IOMediaBSDClient, IOService, &bc_methods);
