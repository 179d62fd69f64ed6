/* TooNew: its OSBundleLibraries cannot be satisfied (tests/kexts/files.mk); never starts. */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>

kern_return_t TooNew_start(kmod_info_t *ki, void *data);
kern_return_t TooNew_stop(kmod_info_t *ki, void *data);
int TooNew_export;

kern_return_t
TooNew_start(kmod_info_t *ki, void *data)
{
	IOLog("TooNew: started, which it never should\n");
	return KERN_SUCCESS;
}

kern_return_t
TooNew_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
