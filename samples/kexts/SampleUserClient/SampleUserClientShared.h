/*
 * SampleUserClientShared.h - the contract between the SampleUserClient
 * kext and the programs that call it (user/sampleuc.c): the class to
 * match, the selectors and the structure one of them returns. A real
 * driver ships a header like this for its user-space library.
 */

#ifndef SAMPLE_USER_CLIENT_SHARED_H
#define SAMPLE_USER_CLIENT_SHARED_H

#include <stdint.h>

#define kSampleDriverClass	"org_machina_sample_SampleDriver"

enum {
	kSampleMethodAdd,	/* scalar in: an amount; scalar out: the driver's new total */
	kSampleMethodGetInfo,	/* structure out: struct sample_info */
	kSampleMethodSetName,	/* structure in: a name, 1 to 31 bytes (no NUL needed) */
	kSampleMethodCount
};

struct sample_info {
	uint64_t	total;		/* the sum of every kSampleMethodAdd, all clients */
	uint32_t	clients;	/* connections open now */
	char		name[32];	/* the last kSampleMethodSetName, NUL-terminated */
};

#endif /* SAMPLE_USER_CLIENT_SHARED_H */
