/*
 * IOMediaBSDClient.h - the BSD face of a whole medium (XNU's
 * IOMediaBSDClient): a driver the family's personality matches to every
 * IOMedia with "Whole" true, which gives it a unit number and the device
 * nodes /dev/diskN and /dev/rdiskN, and sets the medium's "BSD Name",
 * "BSD Major", "BSD Minor" and "BSD Unit".
 *
 * Device numbers: two character-device majors, registered when the family
 * starts (the first free ones): "disk" and "rdisk"; the minor is the unit.
 * Machina has no block devices, so /dev/diskN is a character device too
 * and behaves exactly as /dev/rdiskN (both unbuffered). "BSD Major" is the
 * disk major.
 *
 * Units: the lowest one not held. A unit is held by its medium while the
 * client is started, and by each of its two nodes while a descriptor of
 * that node is open (from the driver's d_open to the last close), so a
 * descriptor that outlives its medium never reaches the next disk given
 * the same unit: it gets ENXIO on every call until it is closed.
 *
 * I/O (d_read, d_write): the offset and length must be whole blocks
 * (EINVAL otherwise); a read at or past the end returns 0 bytes, a write
 * there ENOSPC, and a transfer across the end is cut there; a write to a
 * medium that is not writable is EROFS. Data moves through a kernel bounce
 * buffer of up to 64 KiB at a time, with uiomove (copyin/copyout) on the
 * user's side, and synchronously through the medium on the caller's
 * thread. ioctls: <sys/disk.h> (DKIOCGETBLOCKSIZE, DKIOCGETBLOCKCOUNT,
 * DKIOCISWRITABLE, DKIOCSYNCHRONIZECACHE); others ENOTTY.
 *
 * Locks: the unit table's lock (a mutex, a leaf) covers every unit's
 * medium and open flags; no I/O is done with it held: a caller takes a
 * reference on the medium under it and drops the lock. Keys: [u].
 */

#ifndef IOKIT_FAMILIES_IOSTORAGEFAMILY_IOMEDIABSDCLIENT_H
#define IOKIT_FAMILIES_IOSTORAGEFAMILY_IOMEDIABSDCLIENT_H

#include "iokit/Families/IOStorageFamily/IOMedia.h"

/* How many units (and so disks) there can be at once. */
#define kIOMediaBSDClientMaxUnits	64

typedef struct IOMediaBSDClient IOMediaBSDClient;

struct IOMediaBSDClient {
	IOService	bc_service;	/* the superclass, first */
	IOMedia		*bc_media;	/* [I] the provider, after start */
	int		bc_unit;	/* [I] -1 until start gave it one */
};
OSDeclareDefaultStructors(IOMediaBSDClient);

#endif /* IOKIT_FAMILIES_IOSTORAGEFAMILY_IOMEDIABSDCLIENT_H */
