/* CycleA: its OSBundleLibraries cannot be satisfied (tests/kexts/files.mk); never starts. */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>

kern_return_t CycleA_start(kmod_info_t *ki, void *data);
kern_return_t CycleA_stop(kmod_info_t *ki, void *data);
int CycleA_export;

kern_return_t
CycleA_start(kmod_info_t *ki, void *data)
{
	IOLog("CycleA: started, which it never should\n");
	return KERN_SUCCESS;
}

kern_return_t
CycleA_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
