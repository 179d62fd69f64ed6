/*
 * LeakySysctl: registers debug.leaky in start and forgets to unregister it
 * in stop. Unload is refused after stop, naming the node, and the kext
 * stays loaded (stopped): its memory is still in use.
 */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>
#include <sys/sysctl.h>

kern_return_t LeakySysctl_start(kmod_info_t *ki, void *data);
kern_return_t LeakySysctl_stop(kmod_info_t *ki, void *data);
static int leaky = 7;
SYSCTL_INT(_debug, OID_AUTO, leaky, CTLFLAG_RD | CTLFLAG_LOCKED, &leaky, 0, "left behind");

kern_return_t
LeakySysctl_start(kmod_info_t *ki, void *data)
{
	sysctl_register_oid(&sysctl__debug_leaky);
	return KERN_SUCCESS;
}

kern_return_t
LeakySysctl_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;	/* the bug: debug.leaky stays registered */
}
