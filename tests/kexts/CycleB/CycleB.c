/* CycleB: its OSBundleLibraries cannot be satisfied (tests/kexts/files.mk); never starts. */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>

kern_return_t CycleB_start(kmod_info_t *ki, void *data);
kern_return_t CycleB_stop(kmod_info_t *ki, void *data);
int CycleB_export;

kern_return_t
CycleB_start(kmod_info_t *ki, void *data)
{
	IOLog("CycleB: started, which it never should\n");
	return KERN_SUCCESS;
}

kern_return_t
CycleB_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
