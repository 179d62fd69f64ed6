/*
 * ShutdownHook: a shutdown hook, as the I/O Kit guide's "Installing
 * Shutdown Hooks" has a driver install one. Its start registers an
 * interest handler with IOService_registerPrioritySleepWakeInterest; when
 * the machine is about to power off or restart the handler says so in the
 * log, which the iokit tier reads on the serial line. Its stop removes
 * the notifier before the code goes.
 */
#include <IOKit/IOLib.h>
#include <IOKit/IOPlatformExpert.h>
#include <mach/kmod.h>

kern_return_t ShutdownHook_start(kmod_info_t *ki, void *data);
kern_return_t ShutdownHook_stop(kmod_info_t *ki, void *data);

static IONotifier *notifier;

static IOReturn
hook(void *target, void *refCon, uint32_t messageType, IOService *provider,
    void *messageArgument, size_t argSize)
{
	if (messageType == kIOMessageSystemWillPowerOff)
		IOLog("ShutdownHook: the system will power off\n");
	else if (messageType == kIOMessageSystemWillRestart)
		IOLog("ShutdownHook: the system will restart\n");
	else
		IOLog("ShutdownHook: message 0x%x\n", messageType);
	return kIOReturnSuccess;
}

kern_return_t
ShutdownHook_start(kmod_info_t *ki, void *data)
{
	notifier = IOService_registerPrioritySleepWakeInterest(NULL, hook, NULL, NULL);
	if (notifier == NULL)
		return KERN_FAILURE;
	IOLog("ShutdownHook: registered\n");
	return KERN_SUCCESS;
}

kern_return_t
ShutdownHook_stop(kmod_info_t *ki, void *data)
{
	IONotifier_remove(notifier);
	notifier = NULL;
	return KERN_SUCCESS;
}
