/*
 * FailStop: its stop routine fails the first time it is called, so the
 * first unload is refused and the kext stays loaded and running; the
 * second succeeds.
 */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>

kern_return_t FailStop_start(kmod_info_t *ki, void *data);
kern_return_t FailStop_stop(kmod_info_t *ki, void *data);

static int stops;

kern_return_t
FailStop_start(kmod_info_t *ki, void *data)
{
	stops = 0;
	return KERN_SUCCESS;
}

kern_return_t
FailStop_stop(kmod_info_t *ki, void *data)
{
	if (stops++ == 0) {
		IOLog("FailStop: not yet\n");
		return KERN_FAILURE;
	}
	return KERN_SUCCESS;
}
