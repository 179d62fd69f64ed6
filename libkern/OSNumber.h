/*
 * OSNumber.h - an unsigned integer of 8, 16, 32 or 64 bits.
 *
 * The value is kept masked to its size; a signed quantity is stored as
 * its two's complement (the plist parser stores -1 as 0xffffffffffffffff
 * in 64 bits). isEqualTo: another OSNumber of the same size and value.
 * Serialised as <integer> in decimal: 64-bit values read as signed
 * (so -1 comes back as -1), smaller ones as unsigned.
 *
 * Locks: none; a number changed with setValue or addValue is not locked.
 */

#ifndef LIBKERN_OSNUMBER_H
#define LIBKERN_OSNUMBER_H

#include <stdbool.h>
#include <stdint.h>

#include "libkern/OSObject.h"

struct OSNumber {
	OSObject	num_os;
	uint64_t	num_value;	/* masked to num_size bits */
	uint32_t	num_size;	/* [I] 8, 16, 32 or 64 */
};
OSDeclareDefaultStructors(OSNumber);

/* A new number; NULL if numberOfBits is not 8, 16, 32 or 64, or out of memory. */
OSNumber	*OSNumber_withNumber(uint64_t value, uint32_t numberOfBits);

uint32_t	OSNumber_numberOfBits(const OSNumber *n);
uint32_t	OSNumber_numberOfBytes(const OSNumber *n);
uint8_t		OSNumber_unsigned8BitValue(const OSNumber *n);
uint16_t	OSNumber_unsigned16BitValue(const OSNumber *n);
uint32_t	OSNumber_unsigned32BitValue(const OSNumber *n);
uint64_t	OSNumber_unsigned64BitValue(const OSNumber *n);

void		OSNumber_setValue(OSNumber *n, uint64_t value);
void		OSNumber_addValue(OSNumber *n, int64_t value);
bool		OSNumber_isEqualToNumber(const OSNumber *n, const OSNumber *other);

#endif /* LIBKERN_OSNUMBER_H */
