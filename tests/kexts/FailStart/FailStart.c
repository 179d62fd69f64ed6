/*
 * FailStart: its start routine allocates, frees, and returns KERN_FAILURE:
 * the load fails and nothing of the kext stays behind.
 */
#include <IOKit/IOLib.h>
#include <libkern/OSMalloc.h>
#include <stddef.h>
#include <mach/kmod.h>

kern_return_t FailStart_start(kmod_info_t *ki, void *data);
kern_return_t FailStart_stop(kmod_info_t *ki, void *data);

kern_return_t
FailStart_start(kmod_info_t *ki, void *data)
{
	OSMallocTag tag = OSMalloc_Tagalloc("org.machina.test.FailStart", OSMT_DEFAULT);
	void *p = tag != NULL ? OSMalloc(4096, tag) : NULL;

	if (p != NULL)
		OSFree(p, 4096, tag);
	if (tag != NULL)
		OSMalloc_Tagfree(tag);
	IOLog("FailStart: failing on purpose\n");
	return KERN_FAILURE;
}

kern_return_t
FailStart_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
