/*
 * DupClass: defines a class named OSString, which the kernel already has:
 * the load is refused, naming the class, before start runs.
 */
#include <IOKit/IOLib.h>
#include <libkern/OSMetaClass.h>
#include <libkern/OSObject.h>
#include <mach/kmod.h>

kern_return_t DupClass_start(kmod_info_t *ki, void *data);
kern_return_t DupClass_stop(kmod_info_t *ki, void *data);

struct OSString {
	OSObject	str_os;
};
OSDefineMetaClassAndStructors(OSString, OSObject);

kern_return_t
DupClass_start(kmod_info_t *ki, void *data)
{
	IOLog("DupClass: started, which it never should\n");
	return KERN_SUCCESS;
}

kern_return_t
DupClass_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
