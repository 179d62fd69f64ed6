/*
 * IOVirtioFamilyPrivate.h - what the virtio family's files share and
 * drivers do not see: the family's allocation tag and the legacy
 * interface's register layout (virtio 0.9.5, "Virtio header", I/O BAR 0).
 */

#ifndef IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIOFAMILYPRIVATE_H
#define IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIOFAMILYPRIVATE_H

#include "iokit/Families/IOVirtioFamily/IOVirtioDevice.h"
#include "libkern/OSMalloc.h"

/* Legacy registers, offsets into I/O BAR 0 (little-endian). */
#define kVirtioLegacyDeviceFeatures	0x00	/* 32, read */
#define kVirtioLegacyDriverFeatures	0x04	/* 32, read/write */
#define kVirtioLegacyQueueAddress	0x08	/* 32, page number of the rings */
#define kVirtioLegacyQueueSize		0x0c	/* 16, read */
#define kVirtioLegacyQueueSelect	0x0e	/* 16 */
#define kVirtioLegacyQueueNotify	0x10	/* 16, write: the queue's number */
#define kVirtioLegacyStatus		0x12	/* 8 */
#define kVirtioLegacyISR		0x13	/* 8, read clears */
#define kVirtioLegacyConfig		0x14	/* device-specific (no MSI-X) */
#define kVirtioLegacyPageShift		12

extern OSMallocTag gIOVirtioFamilyTag;

#endif /* IOKIT_FAMILIES_IOVIRTIOFAMILY_IOVIRTIOFAMILYPRIVATE_H */
