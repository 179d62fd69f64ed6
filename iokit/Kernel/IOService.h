/*
 * IOService.h - a service in the I/O Registry: a nub a family publishes for
 * a device, or a driver matched to one (XNU's IOService, in C).
 *
 * A service is an IORegistryEntry in the IOService plane below its
 * provider. Its class's method table (struct IOService_methods) says what
 * it does when matched and stopped; a driver is a subclass that sets the
 * entries it needs and inherits the rest:
 *
 *	static bool mydrv_start(IOService *self, IOService *provider) { ... }
 *	static const struct IOService_methods mydrv_methods = {
 *		.re.os = { .free = mydrv_free },
 *		.start = mydrv_start,
 *	};
 *	OSDefineMetaClassAndStructorsWithMethods(com_example_MyDriver, IOService,
 *	    &mydrv_methods);
 *
 * Life of a service:
 *   1. made (by matching, from a personality; or by a family for a nub:
 *	OSTypeAlloc + IOService_init), attached to its provider
 *	(IOService_attach);
 *   2. a nub is published with IOService_registerService: publish
 *	notifications go out, then matching runs on it (synchronously, in
 *	the caller's thread, in this version: registerService returns when
 *	every driver that matched has been probed and started or refused);
 *   3. matching (IOCatalogue.h says how candidates are chosen and ranked)
 *	makes each candidate driver, attaches it, probes it, and starts the
 *	best per match category; the others are detached and released;
 *   4. IOService_terminate: the service and everything above it in the
 *	plane are marked inactive; then, clients first (depth first), each
 *	one gets willTerminate, stop (if it was started), is detached from
 *	its providers, and gets didTerminate; terminated notifications go
 *	out. The registry's references go with the links, so a driver's
 *	object is freed when the last other reference to it goes.
 *
 * Busy state: registerService raises a service's busy count (and its
 * providers', up the plane) until matching on it is done;
 * IOService_waitQuiet sleeps until the count is zero.
 *
 * IOResources is a nub at the root of the IOService plane. A personality
 * with IOProviderClass IOResources and IOResourceMatch "name" matches once
 * IOService_publishResource("name", ...) has run (matching runs again on
 * IOResources on every publish). On IOResources a personality without an
 * IOMatchCategory gets its IOClass as category, so drivers of different
 * resources do not exclude one another.
 *
 * Invariants
 *   - a started service is attached to the provider it was started on
 *     until its stop has run;
 *   - an inactive service never becomes active again and is never matched;
 *   - sv_busy >= 0, and a provider's count includes its clients' counts.
 *
 * Locks, in order: the registry lock and entry locks (IORegistryEntry.h);
 * then the service lock, one mutex over every service's state, busy
 * count, and the notification list. The service lock is a leaf: no method,
 * handler or registry call runs with it held; waitQuiet and
 * waitForService sleep on it. Methods (probe, start, stop, ...) and
 * notification handlers run with no IOKit lock held, and may call
 * registerService, terminate and attach. Keys: [s] the service lock.
 */

#ifndef IOKIT_KERNEL_IOSERVICE_H
#define IOKIT_KERNEL_IOSERVICE_H

#include "iokit/Kernel/IORegistryEntry.h"
#include "mach/kern/kern_types.h"

/* Property keys of matching dictionaries and personalities. */
#define kIOProviderClassKey	"IOProviderClass"
#define kIOClassKey		"IOClass"
#define kIOProbeScoreKey	"IOProbeScore"
#define kIONameMatchKey		"IONameMatch"
#define kIONameMatchedKey	"IONameMatched"
#define kIOPropertyMatchKey	"IOPropertyMatch"
#define kIOResourceMatchKey	"IOResourceMatch"
#define kIOMatchCategoryKey	"IOMatchCategory"
#define kIODefaultMatchCategoryKey "IODefaultMatchCategory"
#define kIOPersonalityNameKey	"IOPersonalityName"
#define kIOCompatibleKey	"compatible"
#define kCFBundleIdentifierKey	"CFBundleIdentifier"
#define kIOResourcesClass	"IOResources"

/* Notification types for IOService_addMatchingNotification. */
#define gIOPublishNotification		"IOServicePublish"
#define gIOFirstPublishNotification	"IOServiceFirstPublish"
#define gIOTerminatedNotification	"IOServiceTerminate"

/* IOService_terminate options. */
#define kIOServiceRequired	0x00000001
#define kIOServiceSynchronous	0x00000002

/* sv_state bits. */
#define kIOServiceInactiveState		0x00000001
#define kIOServiceRegisteredState	0x00000002
#define kIOServiceStartedState		0x00000004
#define kIOServiceMatchingState		0x00000008	/* matching runs on it */
#define kIOServiceRematchState		0x00000010	/* ... and must run again */

struct IOUserClient;
struct IOWorkLoop;
typedef struct IONotifier IONotifier;

struct IOService {
	IORegistryEntry	sv_entry;		/* the superclass, first */
	uint32_t	sv_state;		/* [s] kIOService*State */
	int32_t		sv_busy;		/* [s] matching in progress here and above */
};
OSDeclareDefaultStructors(IOService);

struct IOService_methods {
	struct IORegistryEntry_methods re;
	/*
	 * probe: whether self can drive provider, after the passive match.
	 * May change *score (the personality's IOProbeScore on entry).
	 * Returns self, or NULL to decline. Default: self.
	 */
	IOService	*(*probe)(IOService *self, IOService *provider, int32_t *score);
	/* start: take over provider; false on failure (matching then tries the next). Default: true. */
	bool		(*start)(IOService *self, IOService *provider);
	/* stop: undo start; provider is going away or self is being terminated. */
	void		(*stop)(IOService *self, IOService *provider);
	/* willTerminate: before stop, clients already gone. Default: true. */
	bool		(*willTerminate)(IOService *self, IOService *provider, IOOptionBits options);
	/* didTerminate: after stop and detach. *defer is ignored in this version. Default: true. */
	bool		(*didTerminate)(IOService *self, IOService *provider, IOOptionBits options,
			    bool *defer);
	/*
	 * matchPropertyTable: a family's own match keys (a PCI nub checks
	 * IOPCIMatch) against table, the generic keys having matched; may
	 * raise *score. Default: true.
	 */
	bool		(*matchPropertyTable)(IOService *self, OSDictionary *table, int32_t *score);
	/* getWorkLoop: the work loop to use; default: the provider's, NULL at the top. */
	struct IOWorkLoop *(*getWorkLoop)(IOService *self);
	/* message: a message from provider. Default: kIOReturnUnsupported. */
	IOReturn	(*message)(IOService *self, uint32_t type, IOService *provider,
			    void *argument);
	/*
	 * newUserClient: a connection for owningTask, which opened self with
	 * IOServiceOpen (IOUserClient.h): a user client, initialised,
	 * attached to self and started, in *handler (the caller's
	 * reference). Default: an instance of the class the IOUserClientClass
	 * property names. kIOReturnUnsupported if self has none,
	 * kIOReturnBadArgument if the client refused the task or type,
	 * kIOReturnNoMemory, kIOReturnNotAttached if self is going away.
	 */
	IOReturn	(*newUserClient)(IOService *self, task_t owningTask, void *securityID,
			    uint32_t type, OSDictionary *properties,
			    struct IOUserClient **handler);
};

/*
 * IOService_initialize: the classes (IOService, IOResources, IONotifier,
 * IOUserClient: a driver matched on IOResources may bring a user client
 * class), IOResources, matching. Once, from IOKitInitialize.
 */
void		IOService_initialize(void);

/* --- one service --------------------------------------------------------------- */

/* init: a new service (from OSTypeAlloc) with a copy of properties (NULL: none). */
bool		IOService_init(IOService *s, OSDictionary *properties);

/*
 * attach: become provider's client in the IOService plane. False if
 * provider is inactive, the link is refused, or memory ran out.
 */
bool		IOService_attach(IOService *s, IOService *provider);
void		IOService_detach(IOService *s, IOService *provider);
/* The first provider (lent), the first client (lent), all clients (an iterator, the caller's). */
IOService	*IOService_getProvider(IOService *s);
IOService	*IOService_getClient(IOService *s);
OSCollectionIterator *IOService_getClientIterator(IOService *s);

/*
 * registerService: publish s (publish notifications) and match drivers
 * on it; again on a service already registered, match again (drivers
 * already started stay). Nothing for an inactive service.
 */
void		IOService_registerService(IOService *s, IOOptionBits options);
/* startMatching: match drivers on a registered service again. */
void		IOService_startMatching(IOService *s, IOOptionBits options);

/* terminate: the phases above. False if s was already inactive. */
bool		IOService_terminate(IOService *s, IOOptionBits options);
bool		IOService_isInactive(IOService *s);
bool		IOService_isStarted(IOService *s);

/* Busy count: adjustBusy adds delta to s and its providers up the plane. */
void		IOService_adjustBusy(IOService *s, int32_t delta);
uint32_t	IOService_getBusyState(IOService *s);
/*
 * waitQuiet: sleep until s's busy count is zero. timeout_ns 0: for ever.
 * kIOReturnSuccess, kIOReturnTimeout, kIOReturnBadArgument.
 */
IOReturn	IOService_waitQuiet(IOService *s, uint64_t timeout_ns);

/* --- the methods, dispatched through the class (defaults above) ----------------------- */

IOService	*IOService_probe(IOService *s, IOService *provider, int32_t *score);
bool		IOService_start(IOService *s, IOService *provider);
void		IOService_stop(IOService *s, IOService *provider);
bool		IOService_willTerminate(IOService *s, IOService *provider, IOOptionBits options);
bool		IOService_didTerminate(IOService *s, IOService *provider, IOOptionBits options,
		    bool *defer);
bool		IOService_matchPropertyTable(IOService *s, OSDictionary *table, int32_t *score);
struct IOWorkLoop *IOService_getWorkLoop(IOService *s);
IOReturn	IOService_message(IOService *s, uint32_t type, IOService *provider, void *argument);
IOReturn	IOService_newUserClient(IOService *s, task_t owningTask, void *securityID,
		    uint32_t type, OSDictionary *properties, struct IOUserClient **handler);

/*
 * Interrupts. A nub says which interrupt lines are its own in the
 * IOInterruptSpecifiers property, as on macOS: an array with one OSData per
 * interrupt the device has, in the family's order (a PCI device's INTx is
 * index 0; an ISA device's lines in its resource order). Here each OSData is
 * a 4-byte line number as kernel/machine_routines.h numbers lines. A driver
 * does not read it: it makes its interrupt event source with the provider
 * and the index (IOInterruptEventSource_interruptEventSourceWithProvider).
 *
 * IOService_getInterruptLine: the line of interrupt index on s.
 * kIOReturnNoInterrupt if s has no such interrupt, kIOReturnBadArgument if
 * the specifier is malformed (both logged, naming s).
 */
#define kIOInterruptSpecifiersKey	"IOInterruptSpecifiers"
IOReturn	IOService_getInterruptLine(IOService *s, int index, unsigned *line);
/* IOService_setInterruptLines: make s's IOInterruptSpecifiers lines[0..count). */
bool		IOService_setInterruptLines(IOService *s, const unsigned *lines, unsigned count);

/* --- matching ----------------------------------------------------------------------------- */

/*
 * passiveMatch: whether s matches table: IOProviderClass (s's class or a
 * superclass of it), IONameMatch (a string or an array of strings, against
 * s's name and its "compatible" strings), IOPropertyMatch (a dictionary, or
 * an array of them, any of which matches: each of its keys equal in s),
 * IOResourceMatch (a string or array of strings: each published), then
 * s's matchPropertyTable. Keys it does not know are ignored. *score (may
 * be NULL) gets what matchPropertyTable adds.
 */
bool		IOService_passiveMatch(IOService *s, OSDictionary *table, int32_t *score);

/* Matching dictionaries (the caller's reference), added to table if given; NULL if out of memory. */
OSDictionary	*IOService_serviceMatching(const char *className, OSDictionary *table);
OSDictionary	*IOService_nameMatching(const char *name, OSDictionary *table);
OSDictionary	*IOService_resourceMatching(const char *name, OSDictionary *table);

/*
 * getMatchingServices: an iterator over a snapshot of every registered,
 * active service that matches (the caller's), or NULL if out of memory.
 * copyMatchingService: the first one (retained), or NULL.
 */
OSCollectionIterator *IOService_getMatchingServices(OSDictionary *matching);
IOService	*IOService_copyMatchingService(OSDictionary *matching);
/*
 * waitForService: a registered service that matches (retained), waiting
 * up to timeout_ns (0: for ever) for one to be published; NULL on timeout.
 * matching stays the caller's.
 */
IOService	*IOService_waitForService(OSDictionary *matching, uint64_t timeout_ns);

/* --- resources ------------------------------------------------------------------------------ */

IOService	*IOService_getResourceService(void);
/*
 * publishResource: make key a property of IOResources (value NULL: true)
 * and match again on IOResources. kIOReturnNoMemory, kIOReturnBadArgument.
 */
IOReturn	IOService_publishResource(const char *key, OSObject *value);
/* unpublishResource: remove it (drivers already started on it stay). */
void		IOService_unpublishResource(const char *key);

/* --- notifications -------------------------------------------------------------------------- */

/*
 * A handler gets the target and ref given with it, the service (valid for
 * the call; retain it to keep it) and the notifier. Its result is
 * ignored. It runs with no IOKit lock held, in the thread that registered
 * or terminated the service.
 */
typedef bool (*IOServiceMatchingNotificationHandler)(void *target, void *ref,
    IOService *newService, IONotifier *notifier);

struct IONotifier {
	OSObject	nt_os;
	const char	*nt_type;		/* [I] one of the g*Notification strings */
	OSDictionary	*nt_matching;		/* [I] retained */
	IOServiceMatchingNotificationHandler nt_handler;	/* [I] */
	void		*nt_target;		/* [I] */
	void		*nt_ref;		/* [I] */
	bool		nt_removed;		/* [s] */
};
OSDeclareDefaultStructors(IONotifier);

/*
 * addMatchingNotification: call handler for every service that matches
 * matching (the notifier retains it) when it is published
 * (gIOPublishNotification; gIOFirstPublishNotification also, at once, for
 * those already published) or when it has been terminated
 * (gIOTerminatedNotification). Returns the notifier (owned by the
 * notification list: remove it with IONotifier_remove), or NULL for a bad
 * type, a NULL argument or no memory.
 */
IONotifier	*IOService_addMatchingNotification(const char *type, OSDictionary *matching,
		    IOServiceMatchingNotificationHandler handler, void *target, void *ref);
/* remove: no more calls once it returns (except one already running); drops the notifier. */
void		IONotifier_remove(IONotifier *n);

#endif /* IOKIT_KERNEL_IOSERVICE_H */
