/*
 * SampleUserClient: the smallest whole driver a user program can call.
 *
 * org_machina_sample_SampleDriver is the "device": a total and a name,
 * behind an IOLock. Its personality matches IOResources once the I/O Kit
 * is up (IOResourceMatch IOKit), so it starts at every boot, and names
 * org_machina_sample_SampleUserClient as its IOUserClientClass: each
 * IOServiceOpen on the driver makes one of those, attached below it.
 *
 * The user client lists its methods in a dispatch table; the family
 * checks each call's scalar counts and structure sizes against it before
 * the method runs, so the methods below never check them. The program
 * that calls it is user/sampleuc.c (installed as /usr/samples/sampleuc):
 *
 *	$ /usr/samples/sampleuc hello
 *	sampleuc: total 5 after adding 5
 *	sampleuc: total 12 after adding 7
 *	sampleuc: name "hello", total 12, 1 client(s) open
 */
#include <IOKit/IOLib.h>
#include <IOKit/IOLocks.h>
#include <IOKit/IOService.h>
#include <IOKit/IOUserClient.h>
#include <libkern/libkern.h>

#include "SampleUserClientShared.h"

struct org_machina_sample_SampleDriver {
	IOService	sd_service;
	IOLock		*sd_lock;
	uint64_t	sd_total;		/* [sd_lock] */
	uint32_t	sd_clients;		/* [sd_lock] */
	char		sd_name[32];		/* [sd_lock] */
};
OSDeclareDefaultStructors(org_machina_sample_SampleDriver);

struct org_machina_sample_SampleUserClient {
	IOUserClient	su_client;
	org_machina_sample_SampleDriver *su_driver;	/* the provider, from start to stop */
};
OSDeclareDefaultStructors(org_machina_sample_SampleUserClient);

/* --- the driver ------------------------------------------------------------------ */

static bool
sd_start(IOService *self, IOService *provider)
{
	org_machina_sample_SampleDriver *sd = (org_machina_sample_SampleDriver *)self;

	sd->sd_lock = IOLockAlloc();
	if (sd->sd_lock == NULL)
		return false;
	strlcpy(sd->sd_name, "sample", sizeof(sd->sd_name));
	IOService_registerService(self, 0);	/* so that user space can find it */
	return true;
}

static void
sd_free(OSObject *obj)
{
	org_machina_sample_SampleDriver *sd = (org_machina_sample_SampleDriver *)obj;

	if (sd->sd_lock != NULL)
		IOLockFree(sd->sd_lock);
}

static const struct IOService_methods sd_methods = {
	.re.os = { .free = sd_free },
	.start = sd_start,
};
OSDefineMetaClassAndStructorsWithMethods(org_machina_sample_SampleDriver, IOService,
    &sd_methods);

/* --- the user client's methods: the family has checked the counts and sizes ----------- */

static IOReturn
su_add(OSObject *target, void *ref, IOExternalMethodArguments *a)
{
	org_machina_sample_SampleDriver *sd =
	    ((org_machina_sample_SampleUserClient *)target)->su_driver;

	IOLockLock(sd->sd_lock);
	sd->sd_total += a->scalarInput[0];
	a->scalarOutput[0] = sd->sd_total;
	IOLockUnlock(sd->sd_lock);
	return kIOReturnSuccess;
}

static IOReturn
su_get_info(OSObject *target, void *ref, IOExternalMethodArguments *a)
{
	org_machina_sample_SampleDriver *sd =
	    ((org_machina_sample_SampleUserClient *)target)->su_driver;
	struct sample_info info;

	memset(&info, 0, sizeof(info));
	IOLockLock(sd->sd_lock);
	info.total = sd->sd_total;
	info.clients = sd->sd_clients;
	strlcpy(info.name, sd->sd_name, sizeof(info.name));
	IOLockUnlock(sd->sd_lock);
	memcpy(a->structureOutput, &info, sizeof(info));
	return kIOReturnSuccess;
}

static IOReturn
su_set_name(OSObject *target, void *ref, IOExternalMethodArguments *a)
{
	org_machina_sample_SampleDriver *sd =
	    ((org_machina_sample_SampleUserClient *)target)->su_driver;
	uint32_t len = a->structureInputSize;

	/* The table lets any size through: the bounds are this method's to say. */
	if (len == 0 || len >= sizeof(sd->sd_name))
		return kIOReturnBadArgument;
	IOLockLock(sd->sd_lock);
	memcpy(sd->sd_name, a->structureInput, len);
	sd->sd_name[len] = '\0';
	IOLockUnlock(sd->sd_lock);
	return kIOReturnSuccess;
}

/* function, scalars in, structure in, scalars out, structure out */
static const IOExternalMethodDispatch su_table[kSampleMethodCount] = {
	[kSampleMethodAdd] = { su_add, 1, 0, 1, 0 },
	[kSampleMethodGetInfo] = { su_get_info, 0, 0, 0, sizeof(struct sample_info) },
	[kSampleMethodSetName] = { su_set_name, 0, kIOUCVariableStructureSize, 0, 0 },
};

/* --- the user client ----------------------------------------------------------------- */

static bool
su_initWithTask(IOUserClient *self, task_t owningTask, void *securityID, uint32_t type,
    OSDictionary *properties)
{
	if (type != 0)
		return false;			/* the only kind of connection it serves */
	IOUserClient_setExternalMethods(self, su_table, kSampleMethodCount);
	return true;
}

static bool
su_start(IOService *self, IOService *provider)
{
	org_machina_sample_SampleUserClient *su = (org_machina_sample_SampleUserClient *)self;

	su->su_driver = OSDynamicCast(org_machina_sample_SampleDriver, provider);
	if (su->su_driver == NULL)
		return false;
	IOLockLock(su->su_driver->sd_lock);
	su->su_driver->sd_clients++;
	IOLockUnlock(su->su_driver->sd_lock);
	return true;
}

static void
su_stop(IOService *self, IOService *provider)
{
	org_machina_sample_SampleUserClient *su = (org_machina_sample_SampleUserClient *)self;

	IOLockLock(su->su_driver->sd_lock);
	su->su_driver->sd_clients--;
	IOLockUnlock(su->su_driver->sd_lock);
}

/* clientClose and clientDied are the family's: terminate, which stops us. */
static const struct IOUserClient_methods su_methods = {
	.sv.start = su_start,
	.sv.stop = su_stop,
	.initWithTask = su_initWithTask,
};
OSDefineMetaClassAndStructorsWithMethods(org_machina_sample_SampleUserClient, IOUserClient,
    &su_methods);
