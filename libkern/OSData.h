/*
 * OSData.h - a growable array of bytes.
 *
 * The bytes live in one kalloc'd buffer that doubles when an append needs
 * room (OSDATA_MAX_LENGTH at most); OSData_getBytesNoCopy's pointer is
 * good until the next append. isEqualTo: another OSData with the same
 * bytes. Serialised as <data> in base64.
 *
 * Locks: none; whoever shares an OSData serialises its appends.
 */

#ifndef LIBKERN_OSDATA_H
#define LIBKERN_OSDATA_H

#include <stdbool.h>
#include <stdint.h>

#include "libkern/OSObject.h"

#define OSDATA_MAX_LENGTH	0x40000000u	/* 1 GiB */

struct OSData {
	OSObject	data_os;
	uint8_t		*data_bytes;	/* data_capacity bytes, or NULL */
	uint32_t	data_length;
	uint32_t	data_capacity;
};
OSDeclareDefaultStructors(OSData);

/* New data objects; NULL if out of memory or too long. */
OSData		*OSData_withCapacity(uint32_t capacity);
OSData		*OSData_withBytes(const void *bytes, uint32_t length);
OSData		*OSData_withData(const OSData *other);

/* Append length bytes (zeros if bytes is NULL); false if out of memory. */
bool		OSData_appendBytes(OSData *d, const void *bytes, uint32_t length);
/* Append count copies of byte. */
bool		OSData_appendByte(OSData *d, uint8_t byte, uint32_t count);
/* Room for capacity bytes in all; false if out of memory. */
bool		OSData_ensureCapacity(OSData *d, uint32_t capacity);

const void	*OSData_getBytesNoCopy(const OSData *d);
uint32_t	OSData_getLength(const OSData *d);
uint32_t	OSData_getCapacity(const OSData *d);
bool		OSData_isEqualToBytes(const OSData *d, const void *bytes, uint32_t length);
bool		OSData_isEqualToData(const OSData *d, const OSData *other);

#endif /* LIBKERN_OSDATA_H */
