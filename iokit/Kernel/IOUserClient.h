/*
 * IOUserClient.h - a driver's door for user programs: the kernel half of
 * a connection that a task opened to a service with IOServiceOpen (XNU's
 * IOUserClient, in C). Kexts include it as <IOKit/IOUserClient.h>.
 *
 * A user client is an IOService attached, in the IOService plane, to the
 * service it was opened on (its provider). The task names the connection
 * by a send right to a port of kind IKOT_IOKIT_CONNECT (iokit_rpc.h); a
 * call on it, IOConnectCallMethod in user space, arrives here as
 * externalMethod(selector, arguments).
 *
 * A driver writes a subclass and names it in its service's IOUserClientClass
 * property (usually in the personality); the family does the rest:
 *
 *	static IOReturn add(OSObject *target, void *ref, IOExternalMethodArguments *a)
 *	{
 *		a->scalarOutput[0] = a->scalarInput[0] + a->scalarInput[1];
 *		return kIOReturnSuccess;
 *	}
 *	static const IOExternalMethodDispatch methods[] = {
 *		[0] = { add, 2, 0, 1, 0 },	   2 scalars in, 1 out, no structures
 *	};
 *	static bool my_initWithTask(IOUserClient *uc, task_t owningTask,
 *	    void *securityID, uint32_t type, OSDictionary *properties)
 *	{
 *		IOUserClient_setExternalMethods(uc, methods, 1);
 *		return type == 0;
 *	}
 *	static const struct IOUserClient_methods my_methods = {
 *		.initWithTask = my_initWithTask,
 *	};
 *	OSDefineMetaClassAndStructorsWithMethods(com_example_MyUserClient,
 *	    IOUserClient, &my_methods);
 *
 * Life of a connection:
 *   1. IOServiceOpen(service, task, type): the service's newUserClient
 *	(default: make an instance of the class IOUserClientClass names,
 *	IOUserClient_initWithTask, attach it to the service, start it);
 *   2. calls: externalMethod, whose default looks the selector up in the
 *	table set with IOUserClient_setExternalMethods and checks the
 *	arguments against it before the method runs (below);
 *   3. IOServiceClose: clientClose (default: terminate the user client);
 *	or, if the task dies or drops its last right to the connection
 *	without closing it, clientDied (default: clientClose), called from
 *	the family's thread soon after;
 *   4. when the last send right to the connection goes, the family's
 *	thread drops the port's reference (after clientDied, if it was
 *	not closed); the object is freed when the last reference goes.
 * clientClose or clientDied runs once for a connection, never both.
 *
 * What the family checks (IOUserClient_dispatchExternalMethod), so that a
 * method never has to: the selector is below the table's count and its
 * entry has a function (else kIOReturnUnsupported); the scalar input
 * count, structure input size, scalar output count and structure output
 * size each equal the entry's, unless the entry says
 * kIOUCVariableStructureSize (else kIOReturnBadArgument). For a structure
 * that came in (or goes out) by memory descriptor, the size checked is the
 * descriptor's. The interface itself bounds what can arrive: at most
 * kIOUCScalarMax scalars each way, kIOUCStructInbandMax bytes of structure
 * inline, larger ones (up to kIOUCStructOOLMax) as a memory descriptor
 * over the caller's memory, which the method reads or writes with
 * IOMemoryDescriptor_readBytes / writeBytes.
 *
 * Invariants
 *   - uc_closed goes from false to true once, by close or by death;
 *   - the dispatch table is the class's (static) and outlives the object.
 *
 * Locks: none of its own; uc_closed is atomic. Methods run in the calling
 * thread with no I/O Kit lock held (as IOService's do); clientDied runs in
 * the family's thread. Keys: [I] set before the client is started,
 * [a] atomic.
 */

#ifndef IOKIT_KERNEL_IOUSERCLIENT_H
#define IOKIT_KERNEL_IOUSERCLIENT_H

#include <stdint.h>

#include "iokit/Kernel/IOService.h"
#include "mach/kern/kern_types.h"

struct IOMemoryDescriptor;
struct ipc_port;

/* A check value meaning "any count" or "any size". */
#define kIOUCVariableStructureSize	0xffffffffU
/* The most scalars a call carries each way (Apple's limit). */
#define kIOUCScalarMax			16
/* The most structure bytes a call carries inline each way; more go by descriptor. */
#define kIOUCStructInbandMax		4096
/* The largest structure a call carries by descriptor (a limit of Machina's). */
#define kIOUCStructOOLMax		(64U * 1024 * 1024)

/* The service property that names the class newUserClient makes. */
#define kIOUserClientClassKey		"IOUserClientClass"

#define kIOExternalMethodArgumentsCurrentVersion	2

/* One call's arguments, as the interface delivered them. */
typedef struct IOExternalMethodArguments {
	uint32_t	version;		/* kIOExternalMethodArgumentsCurrentVersion */
	uint32_t	selector;

	const uint64_t	*scalarInput;
	uint32_t	scalarInputCount;

	const void	*structureInput;	/* inline input, or NULL */
	uint32_t	structureInputSize;
	struct IOMemoryDescriptor *structureInputDescriptor;	/* large input, or NULL */

	uint64_t	*scalarOutput;		/* room for scalarOutputCount */
	uint32_t	scalarOutputCount;	/* in: room; out: how many were set */

	void		*structureOutput;	/* inline output, or NULL */
	uint32_t	structureOutputSize;	/* in: room; out: bytes written */
	struct IOMemoryDescriptor *structureOutputDescriptor;	/* large output, or NULL */
	uint32_t	structureOutputDescriptorSize;	/* in: room; out: bytes written */
} IOExternalMethodArguments;

typedef IOReturn (*IOExternalMethodAction)(OSObject *target, void *reference,
    IOExternalMethodArguments *arguments);

/* One selector's method and what it takes (each check: exact, or kIOUCVariableStructureSize). */
typedef struct IOExternalMethodDispatch {
	IOExternalMethodAction	function;
	uint32_t		checkScalarInputCount;
	uint32_t		checkStructureInputSize;
	uint32_t		checkScalarOutputCount;
	uint32_t		checkStructureOutputSize;
} IOExternalMethodDispatch;

struct IOUserClient {
	IOService	uc_service;		/* the superclass, first */
	task_t		uc_owningTask;		/* [I] for comparison only: no reference */
	void		*uc_securityID;		/* [I] */
	uint32_t	uc_type;		/* [I] IOServiceOpen's type */
	const IOExternalMethodDispatch *uc_methods;	/* [I] the dispatch table */
	uint32_t	uc_methodCount;		/* [I] its entries */
	bool		uc_closed;		/* [a] closed or died */
	struct ipc_port	*uc_port;		/* [IPC lock] the connection's port (iokit_rpc.c) */
	struct IOUserClient *uc_reapNext;	/* [IPC lock] the reaper's list (iokit_rpc.c) */
};
OSDeclareDefaultStructors(IOUserClient);

struct IOUserClient_methods {
	struct IOService_methods sv;
	/*
	 * initWithTask: after the family's own initialisation (the fields
	 * above, IOService_init with properties): the subclass's checks
	 * (refuse a type it does not know) and set-up (its dispatch
	 * table). false refuses the open (kIOReturnBadArgument). Default: true.
	 */
	bool		(*initWithTask)(IOUserClient *self, task_t owningTask, void *securityID,
			    uint32_t type, OSDictionary *properties);
	/* clientClose: the task called IOServiceClose. Default: terminate self. */
	IOReturn	(*clientClose)(IOUserClient *self);
	/* clientDied: the task died or let go without closing. Default: clientClose. */
	IOReturn	(*clientDied)(IOUserClient *self);
	/*
	 * externalMethod: run call selector. dispatch NULL: the default looks
	 * selector up in the table (IOUserClient_dispatchExternalMethod);
	 * a subclass that overrides it may pass its own entry (checked, then
	 * called with target, or self if target is NULL, and reference).
	 */
	IOReturn	(*externalMethod)(IOUserClient *self, uint32_t selector,
			    IOExternalMethodArguments *arguments,
			    const IOExternalMethodDispatch *dispatch, OSObject *target,
			    void *reference);
};

/*
 * initWithTask: the family's initialisation of a new client (from
 * OSTypeAlloc), then the class's initWithTask. false if either failed
 * (the caller releases the object).
 */
bool		IOUserClient_initWithTask(IOUserClient *uc, task_t owningTask, void *securityID,
		    uint32_t type, OSDictionary *properties);

/* setExternalMethods: the table the default externalMethod dispatches by (static storage). */
void		IOUserClient_setExternalMethods(IOUserClient *uc,
		    const IOExternalMethodDispatch *methods, uint32_t count);

/*
 * checkArguments: whether arguments meet dispatch's counts and sizes.
 * kIOReturnSuccess or kIOReturnBadArgument.
 */
IOReturn	IOUserClient_checkArguments(const IOExternalMethodDispatch *dispatch,
		    const IOExternalMethodArguments *arguments);
/*
 * dispatchExternalMethod: look selector up in methods[0..count), check
 * the arguments, call the function with target and reference.
 * kIOReturnUnsupported for an unknown selector or an empty entry,
 * kIOReturnBadArgument for arguments that do not match, else what the
 * method returned.
 */
IOReturn	IOUserClient_dispatchExternalMethod(uint32_t selector,
		    IOExternalMethodArguments *arguments, const IOExternalMethodDispatch *methods,
		    uint32_t count, OSObject *target, void *reference);

/* The methods, dispatched through the class (defaults above). */
IOReturn	IOUserClient_clientClose(IOUserClient *uc);
IOReturn	IOUserClient_clientDied(IOUserClient *uc);
IOReturn	IOUserClient_externalMethod(IOUserClient *uc, uint32_t selector,
		    IOExternalMethodArguments *arguments, const IOExternalMethodDispatch *dispatch,
		    OSObject *target, void *reference);

/*
 * closeOnce: the connection's end: clientClose (died false) or clientDied
 * (died true), unless one of them has already run. kIOReturnNotOpen then.
 */
IOReturn	IOUserClient_closeOnce(IOUserClient *uc, bool died);
bool		IOUserClient_isClosed(IOUserClient *uc);

#endif /* IOKIT_KERNEL_IOUSERCLIENT_H */
