/*
 * ShutdownHang: a shutdown hook that never returns. The machine must
 * power off all the same: the platform expert waits for it a bounded time,
 * logs it, and goes on. (Its kext cannot be unloaded while the hook
 * sleeps; the machine is going off by then.)
 */
#include <IOKit/IOLib.h>
#include <IOKit/IOPlatformExpert.h>
#include <mach/kmod.h>

kern_return_t ShutdownHang_start(kmod_info_t *ki, void *data);
kern_return_t ShutdownHang_stop(kmod_info_t *ki, void *data);

static IONotifier *notifier;

static IOReturn
hang(void *target, void *refCon, uint32_t messageType, IOService *provider,
    void *messageArgument, size_t argSize)
{
	IOLog("ShutdownHang: told 0x%x; never answering\n", messageType);
	for (;;)
		IOSleep(1000);
	return kIOReturnSuccess;
}

kern_return_t
ShutdownHang_start(kmod_info_t *ki, void *data)
{
	notifier = IOService_registerPrioritySleepWakeInterest(NULL, hang, NULL, NULL);
	if (notifier == NULL)
		return KERN_FAILURE;
	IOLog("ShutdownHang: registered\n");
	return KERN_SUCCESS;
}

kern_return_t
ShutdownHang_stop(kmod_info_t *ki, void *data)
{
	IONotifier_remove(notifier);
	notifier = NULL;
	return KERN_SUCCESS;
}
