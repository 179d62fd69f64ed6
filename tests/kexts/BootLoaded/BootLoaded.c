/*
 * BootLoaded: OSBundleRequired says Root, so the kernel loads it at every
 * boot from /System/Library/Extensions; debug.bootloaded says it started.
 */
#include <mach/kmod.h>
#include <sys/sysctl.h>

kern_return_t BootLoaded_start(kmod_info_t *ki, void *data);
kern_return_t BootLoaded_stop(kmod_info_t *ki, void *data);

static int started;
SYSCTL_INT(_debug, OID_AUTO, bootloaded, CTLFLAG_RD | CTLFLAG_LOCKED, &started, 0,
    "1 once the BootLoaded test kext has started");

kern_return_t
BootLoaded_start(kmod_info_t *ki, void *data)
{
	started = 1;
	sysctl_register_oid(&sysctl__debug_bootloaded);
	return KERN_SUCCESS;
}

kern_return_t
BootLoaded_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_bootloaded);
	return KERN_SUCCESS;
}
