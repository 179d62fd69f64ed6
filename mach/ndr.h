/*
 * ndr.h - the Network Data Representation record (XNU's mach/ndr.h).
 *
 * Interface-generated messages carry one after the header (or after the
 * descriptors) to say how their plain data is encoded. Machina has one
 * encoding, the x86-64 native one; receivers check the record and nothing
 * converts.
 *
 * Shared by the kernel and user space.
 */

#ifndef MACH_NDR_H
#define MACH_NDR_H

#include <stdint.h>

typedef struct {
	unsigned char	mig_vers;
	unsigned char	if_vers;
	unsigned char	reserved1;
	unsigned char	mig_encoding;
	unsigned char	int_rep;
	unsigned char	char_rep;
	unsigned char	float_rep;
	unsigned char	reserved2;
} NDR_record_t;

#define NDR_PROTOCOL_2_0	0
#define NDR_INT_BIG_ENDIAN	0
#define NDR_INT_LITTLE_ENDIAN	1
#define NDR_FLOAT_IEEE		0
#define NDR_CHAR_ASCII		0

/* The record every Machina sender writes. */
#define NDR_RECORD_NATIVE { \
	.mig_vers = NDR_PROTOCOL_2_0, .if_vers = 0, .reserved1 = 0, \
	.mig_encoding = NDR_PROTOCOL_2_0, .int_rep = NDR_INT_LITTLE_ENDIAN, \
	.char_rep = NDR_CHAR_ASCII, .float_rep = NDR_FLOAT_IEEE, .reserved2 = 0 }

extern const NDR_record_t NDR_record;

#endif /* MACH_NDR_H */
