/*
 * OnDemandDriver: a driver class, org_machina_test_OnDemandDriver, that
 * nothing loads at boot. Its personality matches IOResources once the
 * resource org.machina.test.Resource is published, so matching loads the
 * kext on demand; the CodelessDriver kext's personality names the same
 * class for another resource. start marks the instance with
 * OnDemandStarted (true) and registers it; stop removes the mark.
 */
#include <IOKit/IOLib.h>
#include <IOKit/IOService.h>
#include <libkern/OSBoolean.h>

struct org_machina_test_OnDemandDriver {
	IOService	odd_service;
};
OSDeclareDefaultStructors(org_machina_test_OnDemandDriver);

static bool
ondemand_start(IOService *self, IOService *provider)
{
	char name[64];

	if (!IORegistryEntry_setProperty(&self->sv_entry, "OnDemandStarted",
	    OSOBJ(kOSBooleanTrue)))
		return false;
	IOLog("OnDemandDriver: started on %s\n",
	    IORegistryEntry_getName(&provider->sv_entry, NULL, name, sizeof(name)));
	IOService_registerService(self, 0);
	return true;
}

static void
ondemand_stop(IOService *self, IOService *provider)
{
	IORegistryEntry_removeProperty(&self->sv_entry, "OnDemandStarted");
}

static const struct IOService_methods ondemand_methods = {
	.start = ondemand_start,
	.stop = ondemand_stop,
};
OSDefineMetaClassAndStructorsWithMethods(org_machina_test_OnDemandDriver, IOService,
    &ondemand_methods);
