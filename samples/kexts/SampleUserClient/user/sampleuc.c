/*
 * sampleuc.c - a user program that calls the SampleUserClient kext
 * (samples/kexts/SampleUserClient): find the driver by class, open a
 * connection, add to its total twice, set its name, read its state back,
 * close.
 *
 *	sampleuc [NAME]
 */

#include <IOKit/IOKitLib.h>
#include <mach/mach.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../SampleUserClientShared.h"

static int
fail(const char *what, kern_return_t kr)
{
	fprintf(stderr, "sampleuc: %s: 0x%x\n", what, kr);
	return 1;
}

int
main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "sampleuc";
	char *match = IOServiceMatching(kSampleDriverClass);
	io_service_t drv = IOServiceGetMatchingService(kIOMasterPortDefault, match);
	io_connect_t c;
	uint64_t amounts[2] = { 5, 7 }, total;
	uint32_t n;
	struct sample_info info;
	size_t size;
	kern_return_t kr;

	free(match);
	if (drv == IO_OBJECT_NULL) {
		fprintf(stderr, "sampleuc: no %s in the registry\n", kSampleDriverClass);
		return 1;
	}
	kr = IOServiceOpen(drv, mach_task_self(), 0, &c);
	IOObjectRelease(drv);
	if (kr != KERN_SUCCESS)
		return fail("IOServiceOpen", kr);
	for (int i = 0; i < 2; i++) {
		n = 1;
		kr = IOConnectCallScalarMethod(c, kSampleMethodAdd, &amounts[i], 1, &total, &n);
		if (kr != KERN_SUCCESS)
			return fail("add", kr);
		printf("sampleuc: total %llu after adding %llu\n", (unsigned long long)total,
		    (unsigned long long)amounts[i]);
	}
	kr = IOConnectCallStructMethod(c, kSampleMethodSetName, name, strlen(name), NULL, NULL);
	if (kr != KERN_SUCCESS)
		return fail("set name", kr);
	size = sizeof(info);
	kr = IOConnectCallStructMethod(c, kSampleMethodGetInfo, NULL, 0, &info, &size);
	if (kr != KERN_SUCCESS)
		return fail("get info", kr);
	printf("sampleuc: name \"%s\", total %llu, %u client(s) open\n", info.name,
	    (unsigned long long)info.total, info.clients);
	IOServiceClose(c);
	return 0;
}
