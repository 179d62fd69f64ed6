/*
 * IOInterruptEventSource.c - interrupt sources and filter interrupt
 * sources: a primary handler that counts, and delivery of the count on the
 * work loop.
 *
 * The primary handler increments ies_producerCount; the work loop's
 * thread compares it with ies_consumerCount, and when they differ calls
 * the action with the difference and catches up. Both are 32-bit
 * counters whose difference is right across wrap-around.
 */

#include "iokit/Kernel/IOInterruptEventSource.h"

#include <stddef.h>

#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOService.h"
#include "iokit/Kernel/IOWorkLoop.h"

/* --- IOInterruptEventSource ---------------------------------------------- */

/* Enable the line again if this source's primary handler disabled it. */
static void
ies_enableLine(IOInterruptEventSource *ies)
{
	if (__atomic_exchange_n(&ies->ies_lineDisabled, 0, __ATOMIC_ACQ_REL) != 0)
		(void)ml_enable_interrupt_line(ies->ies_irq);
}

static bool
ies_checkForWork(IOEventSource *es)
{
	IOInterruptEventSource *ies = (IOInterruptEventSource *)es;
	uint32_t produced = __atomic_load_n(&ies->ies_producerCount, __ATOMIC_ACQUIRE);
	uint32_t count = produced - ies->ies_consumerCount;

	if (count == 0 || !es->es_enabled)
		return false;
	ies->ies_consumerCount = produced;
	((IOInterruptEventAction)es->es_action)(es->es_owner, ies, (int)count);
	ies_enableLine(ies);
	return false;
}

static IOReturn
ies_setWorkLoop(IOEventSource *es, IOWorkLoop *wl)
{
	IOInterruptEventSource *ies = (IOInterruptEventSource *)es;
	kern_return_t kr;

	if (wl != NULL && !ies->ies_installed) {
		kr = ml_install_interrupt_handler(ies->ies_irq, ies->ies_handler, ies);
		if (kr != KERN_SUCCESS) {
			IOLog("IOInterruptEventSource: cannot install a handler on line %u "
			    "(error %d)\n", ies->ies_irq, kr);
			return kr == KERN_RESOURCE_SHORTAGE ? kIOReturnNoResources :
			    kIOReturnBadArgument;
		}
		ies->ies_installed = true;
	} else if (wl == NULL && ies->ies_installed) {
		/* When this returns the handler is not running anywhere. */
		(void)ml_remove_interrupt_handler(ies->ies_irq, ies->ies_handler, ies);
		ies->ies_installed = false;
		ies_enableLine(ies);	/* no action will run to do it */
	}
	es->es_workLoop = wl;
	return kIOReturnSuccess;
}

static void
ies_free(OSObject *obj)
{
	IOInterruptEventSource *ies = (IOInterruptEventSource *)obj;

	/* A source on a loop is retained by it: never freed while installed. */
	if (ies->ies_installed)
		(void)ml_remove_interrupt_handler(ies->ies_irq, ies->ies_handler, ies);
	ies_enableLine(ies);
	OSSafeReleaseNULL(ies->ies_provider);
}

static const struct IOEventSource_methods IOInterruptEventSource_methods = {
	.os.free = ies_free,
	.checkForWork = ies_checkForWork,
	.setWorkLoop = ies_setWorkLoop,
};
OSDefineMetaClass(IOInterruptEventSource, IOEventSource, &IOInterruptEventSource_methods);

/* Count one interrupt and wake the loop. Primary interrupt context. */
static void
ies_signal(IOInterruptEventSource *ies)
{
	__atomic_fetch_add(&ies->ies_producerCount, 1, __ATOMIC_RELEASE);
	IOEventSource_signalWorkAvailable(&ies->ies_es);
}

/* The primary handler of a plain source. */
static void
ies_interrupt(void *refcon, unsigned irq)
{
	IOInterruptEventSource *ies = refcon;

	if (!ies->ies_es.es_enabled)
		return;
	/* Level-triggered: quiet the line until the action has acknowledged the device. */
	if (ml_interrupt_line_is_level(irq) &&
	    __atomic_exchange_n(&ies->ies_lineDisabled, 1, __ATOMIC_ACQ_REL) == 0)
		(void)ml_disable_interrupt_line(irq);
	ies_signal(ies);
}

static bool
ies_init(IOInterruptEventSource *ies, OSObject *owner, IOInterruptEventAction action,
    unsigned irq, ml_interrupt_handler_t handler)
{
	if (action == NULL) {
		IOLog("IOInterruptEventSource: no action\n");
		return false;
	}
	if (irq >= ml_interrupt_line_count()) {
		IOLog("IOInterruptEventSource: %u is not an interrupt line (0-%u)\n", irq,
		    ml_interrupt_line_count() - 1);
		return false;
	}
	IOEventSource_init(&ies->ies_es, owner, (IOEventSourceAction)action);
	ies->ies_es.es_enabled = false;
	ies->ies_irq = irq;
	ies->ies_handler = handler;
	return true;
}

IOInterruptEventSource *
IOInterruptEventSource_interruptEventSource(OSObject *owner, IOInterruptEventAction action,
    unsigned irq)
{
	IOInterruptEventSource *ies = OSTypeAlloc(IOInterruptEventSource);

	if (ies != NULL && !ies_init(ies, owner, action, irq, ies_interrupt))
		OSSafeReleaseNULL(ies);
	return ies;
}

/* The line of provider's interrupt intIndex; false (logged) if none. */
static bool
ies_providerLine(IOService *provider, int intIndex, unsigned *irq)
{
	if (provider == NULL) {
		IOLog("IOInterruptEventSource: no provider\n");
		return false;
	}
	return IOService_getInterruptLine(provider, intIndex, irq) == kIOReturnSuccess;
}

/* Remember provider (retained) and the index, for getProvider and getIntIndex. */
static void
ies_setProvider(IOInterruptEventSource *ies, IOService *provider, int intIndex)
{
	OSObject_retain(OSOBJ(provider));
	ies->ies_provider = provider;
	ies->ies_intIndex = intIndex;
}

IOInterruptEventSource *
IOInterruptEventSource_interruptEventSourceWithProvider(OSObject *owner,
    IOInterruptEventAction action, IOService *provider, int intIndex)
{
	IOInterruptEventSource *ies;
	unsigned irq;

	if (!ies_providerLine(provider, intIndex, &irq))
		return NULL;
	ies = IOInterruptEventSource_interruptEventSource(owner, action, irq);
	if (ies != NULL)
		ies_setProvider(ies, provider, intIndex);
	return ies;
}

/* As on macOS: the provider's interrupt index; for a source made with a line, the line. */
unsigned
IOInterruptEventSource_getIntIndex(const IOInterruptEventSource *ies)
{
	return ies->ies_provider != NULL ? (unsigned)ies->ies_intIndex : ies->ies_irq;
}

IOService *
IOInterruptEventSource_getProvider(const IOInterruptEventSource *ies)
{
	return ies->ies_provider;
}

/* --- IOFilterInterruptEventSource ---------------------------------------- */

OSDefineMetaClass(IOFilterInterruptEventSource, IOInterruptEventSource, OS_NO_METHODS);

/* The primary handler of a filter source: the filter decides. */
static void
fies_interrupt(void *refcon, unsigned irq)
{
	IOFilterInterruptEventSource *fies = refcon;
	IOEventSource *es = &fies->fies_ies.ies_es;

	(void)irq;
	if (!es->es_enabled)
		return;
	if (fies->fies_filter(es->es_owner, fies))
		ies_signal(&fies->fies_ies);
	else
		__atomic_fetch_add(&fies->fies_filtered, 1, __ATOMIC_RELAXED);
}

IOFilterInterruptEventSource *
IOFilterInterruptEventSource_filterInterruptEventSource(OSObject *owner,
    IOInterruptEventAction action, IOFilterInterruptAction filter, unsigned irq)
{
	IOFilterInterruptEventSource *fies;

	if (filter == NULL) {
		IOLog("IOFilterInterruptEventSource: no filter\n");
		return NULL;
	}
	fies = OSTypeAlloc(IOFilterInterruptEventSource);
	if (fies == NULL)
		return NULL;
	fies->fies_filter = filter;
	if (!ies_init(&fies->fies_ies, owner, action, irq, fies_interrupt))
		OSSafeReleaseNULL(fies);
	return fies;
}

IOFilterInterruptEventSource *
IOFilterInterruptEventSource_filterInterruptEventSourceWithProvider(OSObject *owner,
    IOInterruptEventAction action, IOFilterInterruptAction filter, IOService *provider,
    int intIndex)
{
	IOFilterInterruptEventSource *fies;
	unsigned irq;

	if (!ies_providerLine(provider, intIndex, &irq))
		return NULL;
	fies = IOFilterInterruptEventSource_filterInterruptEventSource(owner, action, filter, irq);
	if (fies != NULL)
		ies_setProvider(&fies->fies_ies, provider, intIndex);
	return fies;
}

void
IOFilterInterruptEventSource_signalInterrupt(IOFilterInterruptEventSource *fies)
{
	ies_signal(&fies->fies_ies);
}

IOFilterInterruptAction
IOFilterInterruptEventSource_getFilterAction(const IOFilterInterruptEventSource *fies)
{
	return fies->fies_filter;
}
