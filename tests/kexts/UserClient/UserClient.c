/*
 * UserClient: a driver with a user client, for tests/bsd/iokit_userclient.c.
 * org_machina_test_UCDriver matches IOResources on IOResourceMatch IOKit,
 * so it starts at every boot, and registers itself; its personality names
 * org_machina_test_UCUserClient as its IOUserClientClass, so IOServiceOpen
 * on it makes one of those (the family's default newUserClient). The
 * user client refuses any type but kUCConnectType and dispatches the
 * methods of UserClientShared.h through the family's table, which checks
 * every count and size before a method runs.
 *
 *	debug.uctest.clients	live instances of the user client class
 *	debug.uctest.closes	clientClose calls (IOServiceClose)
 *	debug.uctest.deaths	clientDied calls (the task let go unclosed)
 */
#include <IOKit/IOLib.h>
#include <IOKit/IOMemoryDescriptor.h>
#include <IOKit/IOService.h>
#include <IOKit/IOUserClient.h>
#include <libkern/libkern.h>
#include <mach/kmod.h>
#include <sys/sysctl.h>

#include "UserClientShared.h"

kern_return_t UserClient_start(kmod_info_t *ki, void *data);
kern_return_t UserClient_stop(kmod_info_t *ki, void *data);

struct org_machina_test_UCDriver {
	IOService	ucd_service;
};
OSDeclareDefaultStructors(org_machina_test_UCDriver);

struct org_machina_test_UCUserClient {
	IOUserClient	ucc_client;
	uint32_t	ucc_calls;
};
OSDeclareDefaultStructors(org_machina_test_UCUserClient);

static int uc_closes, uc_deaths;

/* --- the driver ------------------------------------------------------------------ */

static bool
ucd_start(IOService *self, IOService *provider)
{
	IOService_registerService(self, 0);
	return true;
}

static const struct IOService_methods ucd_methods = {
	.start = ucd_start,
};
OSDefineMetaClassAndStructorsWithMethods(org_machina_test_UCDriver, IOService, &ucd_methods);

/* --- the user client's methods -------------------------------------------------------- */

static IOReturn
uc_add(OSObject *target, void *ref, IOExternalMethodArguments *a)
{
	a->scalarOutput[0] = a->scalarInput[0] + a->scalarInput[1];
	return kIOReturnSuccess;
}

static IOReturn
uc_echo_fixed(OSObject *target, void *ref, IOExternalMethodArguments *a)
{
	memcpy(a->structureOutput, a->structureInput, kUCEchoFixedSize);
	return kIOReturnSuccess;
}

/* Where a method's structure output goes: inline or by descriptor, and how much room. */
static uint32_t
output_room(IOExternalMethodArguments *a)
{
	return a->structureOutputDescriptor != NULL ? a->structureOutputDescriptorSize :
	    a->structureOutputSize;
}

static void
set_output_size(IOExternalMethodArguments *a, uint32_t n)
{
	if (a->structureOutputDescriptor != NULL)
		a->structureOutputDescriptorSize = n;
	else
		a->structureOutputSize = n;
}

static IOReturn
uc_fill(OSObject *target, void *ref, IOExternalMethodArguments *a)
{
	uint64_t n = a->scalarInput[0];
	uint8_t chunk[256];
	uint32_t done, i;

	if (n > output_room(a))
		return kIOReturnNoSpace;
	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (uint8_t)i;
	if (a->structureOutputDescriptor == NULL) {
		for (i = 0; i < n; i++)
			((uint8_t *)a->structureOutput)[i] = (uint8_t)i;
	} else {
		for (done = 0; done < n; done += sizeof(chunk)) {
			uint32_t len = n - done < sizeof(chunk) ? (uint32_t)(n - done) : sizeof(chunk);

			if (IOMemoryDescriptor_writeBytes(a->structureOutputDescriptor, done, chunk,
			    len) != len)
				return kIOReturnVMError;
		}
	}
	set_output_size(a, (uint32_t)n);
	return kIOReturnSuccess;
}

static IOReturn
uc_fail(OSObject *target, void *ref, IOExternalMethodArguments *a)
{
	return kIOReturnDeviceError;
}

static IOReturn
uc_echo(OSObject *target, void *ref, IOExternalMethodArguments *a)
{
	uint8_t chunk[512];
	uint32_t n, done, len;

	n = a->structureInputDescriptor != NULL ?
	    (uint32_t)IOMemoryDescriptor_getLength(a->structureInputDescriptor) :
	    a->structureInputSize;
	if (n > output_room(a))
		return kIOReturnNoSpace;
	for (done = 0; done < n; done += len) {
		len = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		if (a->structureInputDescriptor != NULL) {
			if (IOMemoryDescriptor_readBytes(a->structureInputDescriptor, done, chunk,
			    len) != len)
				return kIOReturnVMError;
		} else {
			memcpy(chunk, (const uint8_t *)a->structureInput + done, len);
		}
		if (a->structureOutputDescriptor != NULL) {
			if (IOMemoryDescriptor_writeBytes(a->structureOutputDescriptor, done, chunk,
			    len) != len)
				return kIOReturnVMError;
		} else {
			memcpy((uint8_t *)a->structureOutput + done, chunk, len);
		}
	}
	set_output_size(a, n);
	return kIOReturnSuccess;
}

/* The table the family dispatches by: function, scalars in, structure in, scalars out, structure out. */
static const IOExternalMethodDispatch uc_dispatch[kUCMethodCount] = {
	[kUCMethodAdd] = { uc_add, 2, 0, 1, 0 },
	[kUCMethodEchoFixed] = { uc_echo_fixed, 0, kUCEchoFixedSize, 0, kUCEchoFixedSize },
	[kUCMethodFill] = { uc_fill, 1, 0, 0, kIOUCVariableStructureSize },
	[kUCMethodFail] = { uc_fail, 0, 0, 0, 0 },
	[kUCMethodEcho] = { uc_echo, 0, kIOUCVariableStructureSize, 0,
	    kIOUCVariableStructureSize },
	[kUCMethodEmpty] = { NULL, 0, 0, 0, 0 },
};

/* --- the user client ------------------------------------------------------------------ */

static bool
ucc_initWithTask(IOUserClient *self, task_t owningTask, void *securityID, uint32_t type,
    OSDictionary *properties)
{
	if (type != kUCConnectType)
		return false;
	IOUserClient_setExternalMethods(self, uc_dispatch, kUCMethodCount);
	return true;
}

static IOReturn
ucc_clientClose(IOUserClient *self)
{
	__atomic_add_fetch(&uc_closes, 1, __ATOMIC_RELAXED);
	IOService_terminate(&self->uc_service, 0);
	return kIOReturnSuccess;
}

static IOReturn
ucc_clientDied(IOUserClient *self)
{
	__atomic_add_fetch(&uc_deaths, 1, __ATOMIC_RELAXED);
	IOService_terminate(&self->uc_service, 0);
	return kIOReturnSuccess;
}

static const struct IOUserClient_methods ucc_methods = {
	.initWithTask = ucc_initWithTask,
	.clientClose = ucc_clientClose,
	.clientDied = ucc_clientDied,
};
OSDefineMetaClassAndStructorsWithMethods(org_machina_test_UCUserClient, IOUserClient,
    &ucc_methods);

/* --- the counters ----------------------------------------------------------------------- */

static int
uctest_clients SYSCTL_HANDLER_ARGS
{
	int n = OSMetaClass_getInstanceCount(OSTypeID(org_machina_test_UCUserClient));

	return sysctl_handle_int(oidp, &n, 0, req);
}

SYSCTL_NODE(_debug, OID_AUTO, uctest, CTLFLAG_RW, NULL, "the UserClient test kext");
SYSCTL_PROC(_debug_uctest, OID_AUTO, clients, CTLTYPE_INT | CTLFLAG_RD, NULL, 0,
    uctest_clients, "I", "live instances of org_machina_test_UCUserClient");
SYSCTL_INT(_debug_uctest, OID_AUTO, closes, CTLFLAG_RD | CTLFLAG_LOCKED, &uc_closes, 0,
    "clientClose calls");
SYSCTL_INT(_debug_uctest, OID_AUTO, deaths, CTLFLAG_RD | CTLFLAG_LOCKED, &uc_deaths, 0,
    "clientDied calls");

kern_return_t
UserClient_start(kmod_info_t *ki, void *data)
{
	sysctl_register_oid(&sysctl__debug_uctest);
	sysctl_register_oid(&sysctl__debug_uctest_clients);
	sysctl_register_oid(&sysctl__debug_uctest_closes);
	sysctl_register_oid(&sysctl__debug_uctest_deaths);
	return KERN_SUCCESS;
}

kern_return_t
UserClient_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_uctest_deaths);
	sysctl_unregister_oid(&sysctl__debug_uctest_closes);
	sysctl_unregister_oid(&sysctl__debug_uctest_clients);
	sysctl_unregister_oid(&sysctl__debug_uctest);
	return KERN_SUCCESS;
}
