/*
 * FarReloc: built with -mcmodel=small, so the address of a string sits in
 * a 32-bit zero-extended field (R_X86_64_32), which cannot hold an address
 * in the kernel's top 2 GiB: refused, naming the relocation.
 */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>

kern_return_t FarReloc_start(kmod_info_t *ki, void *data);
kern_return_t FarReloc_stop(kmod_info_t *ki, void *data);
static const char *volatile message;

kern_return_t
FarReloc_start(kmod_info_t *ki, void *data)
{
	message = "FarReloc: linked, which it never should";
	IOLog("%s\n", message);
	return KERN_SUCCESS;
}

kern_return_t
FarReloc_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
