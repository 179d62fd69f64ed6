/*
 * IOUserClient.c - the user client class: initialisation, the dispatch
 * table and its checks, close and death (IOUserClient.h). The ports and
 * the routines of mach/iokit.defs that reach it are in iokit_rpc.c.
 */

#include "iokit/Kernel/IOUserClient.h"

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOMemoryDescriptor.h"

/* --- the class --------------------------------------------------------------------- */

static bool
iouc_default_initWithTask(IOUserClient *self __unused, task_t owningTask __unused,
    void *securityID __unused, uint32_t type __unused, OSDictionary *properties __unused)
{
	return true;
}

static IOReturn
iouc_default_clientClose(IOUserClient *self)
{
	(void)IOService_terminate(&self->uc_service, 0);
	return kIOReturnSuccess;
}

static IOReturn
iouc_default_clientDied(IOUserClient *self)
{
	return IOUserClient_clientClose(self);
}

static IOReturn
iouc_default_externalMethod(IOUserClient *self, uint32_t selector,
    IOExternalMethodArguments *arguments, const IOExternalMethodDispatch *dispatch,
    OSObject *target, void *reference)
{
	IOReturn ret;

	if (dispatch == NULL)
		return IOUserClient_dispatchExternalMethod(selector, arguments, self->uc_methods,
		    self->uc_methodCount, OSOBJ(self), NULL);
	if (dispatch->function == NULL)
		return kIOReturnUnsupported;
	ret = IOUserClient_checkArguments(dispatch, arguments);
	if (ret != kIOReturnSuccess)
		return ret;
	return dispatch->function(target != NULL ? target : OSOBJ(self), reference, arguments);
}

static void
iouc_free(OSObject *obj __unused)
{
	/* Nothing held: the port holds the object, not the other way. */
}

static const struct IOUserClient_methods iouc_methods = {
	.sv.re.os = { .free = iouc_free },
	.initWithTask = iouc_default_initWithTask,
	.clientClose = iouc_default_clientClose,
	.clientDied = iouc_default_clientDied,
	.externalMethod = iouc_default_externalMethod,
};
OSDefineMetaClass(IOUserClient, IOService, &iouc_methods);

#define IOUC_METHOD(uc, name)	OSMetaClass_method(OSTypeIDInst(uc), IOUserClient, name)

bool
IOUserClient_initWithTask(IOUserClient *uc, task_t owningTask, void *securityID, uint32_t type,
    OSDictionary *properties)
{
	if (uc == NULL || !IOService_init(&uc->uc_service, properties))
		return false;
	uc->uc_owningTask = owningTask;
	uc->uc_securityID = securityID;
	uc->uc_type = type;
	return IOUC_METHOD(uc, initWithTask)(uc, owningTask, securityID, type, properties);
}

void
IOUserClient_setExternalMethods(IOUserClient *uc, const IOExternalMethodDispatch *methods,
    uint32_t count)
{
	uc->uc_methods = methods;
	uc->uc_methodCount = methods != NULL ? count : 0;
}

IOReturn
IOUserClient_clientClose(IOUserClient *uc)
{
	return IOUC_METHOD(uc, clientClose)(uc);
}

IOReturn
IOUserClient_clientDied(IOUserClient *uc)
{
	return IOUC_METHOD(uc, clientDied)(uc);
}

IOReturn
IOUserClient_externalMethod(IOUserClient *uc, uint32_t selector,
    IOExternalMethodArguments *arguments, const IOExternalMethodDispatch *dispatch,
    OSObject *target, void *reference)
{
	if (uc == NULL || arguments == NULL)
		return kIOReturnBadArgument;
	return IOUC_METHOD(uc, externalMethod)(uc, selector, arguments, dispatch, target,
	    reference);
}

/* --- the checks ---------------------------------------------------------------------- */

static bool
check_one(uint32_t want, uint64_t have)
{
	return want == kIOUCVariableStructureSize || want == have;
}

IOReturn
IOUserClient_checkArguments(const IOExternalMethodDispatch *d, const IOExternalMethodArguments *a)
{
	uint64_t in_size, out_size;

	in_size = a->structureInputDescriptor != NULL ?
	    IOMemoryDescriptor_getLength(a->structureInputDescriptor) : a->structureInputSize;
	out_size = a->structureOutputDescriptor != NULL ?
	    a->structureOutputDescriptorSize : a->structureOutputSize;
	if (!check_one(d->checkScalarInputCount, a->scalarInputCount) ||
	    !check_one(d->checkStructureInputSize, in_size) ||
	    !check_one(d->checkScalarOutputCount, a->scalarOutputCount) ||
	    !check_one(d->checkStructureOutputSize, out_size))
		return kIOReturnBadArgument;
	return kIOReturnSuccess;
}

IOReturn
IOUserClient_dispatchExternalMethod(uint32_t selector, IOExternalMethodArguments *arguments,
    const IOExternalMethodDispatch *methods, uint32_t count, OSObject *target, void *reference)
{
	const IOExternalMethodDispatch *d;
	IOReturn ret;

	if (arguments == NULL)
		return kIOReturnBadArgument;
	if (methods == NULL || selector >= count || methods[selector].function == NULL)
		return kIOReturnUnsupported;
	d = &methods[selector];
	ret = IOUserClient_checkArguments(d, arguments);
	if (ret != kIOReturnSuccess)
		return ret;
	return d->function(target, reference, arguments);
}

/* --- the end of a connection ------------------------------------------------------------ */

IOReturn
IOUserClient_closeOnce(IOUserClient *uc, bool died)
{
	if (__atomic_exchange_n(&uc->uc_closed, true, __ATOMIC_ACQ_REL))
		return kIOReturnNotOpen;
	return died ? IOUserClient_clientDied(uc) : IOUserClient_clientClose(uc);
}

bool
IOUserClient_isClosed(IOUserClient *uc)
{
	return __atomic_load_n(&uc->uc_closed, __ATOMIC_ACQUIRE);
}
