/*
 * __NAME__.c - __IDENT__: a Machina kernel extension.
 *
 * __NAME___start runs when the kext is loaded (kextload, or at boot), after
 * the kernel has linked it; __NAME___stop runs when it is unloaded. Return
 * KERN_SUCCESS from both; a start that fails makes the load fail and the
 * kernel undoes it, a stop that fails keeps the kext loaded. Undo in stop
 * everything start did (sysctl nodes, threads, memory, registrations): the
 * kernel refuses to unload a kext while anything still points into it.
 */

#include <mach/kmod.h>
#include <IOKit/IOLib.h>

kern_return_t __NAME___start(kmod_info_t *ki, void *data);
kern_return_t __NAME___stop(kmod_info_t *ki, void *data);

kern_return_t
__NAME___start(kmod_info_t *ki, void *data)
{
	IOLog("%s %s: started\n", ki->name, ki->version);
	return KERN_SUCCESS;
}

kern_return_t
__NAME___stop(kmod_info_t *ki, void *data)
{
	IOLog("%s: stopping\n", ki->name);
	return KERN_SUCCESS;
}
