/*
 * IOInterruptEventSource.h - an interrupt line served on a work loop.
 *
 * The Kernel Programming Guide's "Interrupt Latency" in practice: the
 * primary handler, in interrupt context, only counts the interrupt and
 * wakes the work loop; the driver's action runs later on the loop's
 * thread, with the gate held and interrupts on, and is told how many
 * interrupts came since it last ran:
 *
 *	static void
 *	handle_irq(OSObject *owner, IOInterruptEventSource *sender, int count)
 *	{
 *		...read the device's status, complete its requests...
 *	}
 *	ies = IOInterruptEventSource_interruptEventSource(owner, handle_irq, 11);
 *	IOWorkLoop_addEventSource(wl, &ies->ies_es);	the handler goes on the line
 *	IOEventSource_enable(&ies->ies_es);		and interrupts are counted
 *
 * As on macOS a new source is disabled: interrupts are not counted until
 * enable, and not while disabled; counts taken before disable are
 * delivered after the next enable. The handler is on the line while the
 * source is on a work loop (ml_install_interrupt_handler) and off it
 * (ml_remove_interrupt_handler, which waits for a handler running on
 * another CPU) before removeEventSource returns.
 *
 * A driver names its interrupt as on macOS, by its provider (the nub) and
 * an index into the nub's interrupts (IOService_getInterruptLine reads the
 * nub's IOInterruptSpecifiers); the older form names the line itself (irq,
 * as kernel/machine_routines.h numbers them), for code below the I/O Kit's
 * buses. Lines may be shared: the action must check that its device
 * interrupted.
 *
 * A level-triggered line (PCI INTx) stays asserted until the driver
 * acknowledges its device, which a plain source's action does on the work
 * loop, later: so, as on macOS, a plain source's primary handler disables
 * a level-triggered line (ml_disable_interrupt_line) when it counts an
 * interrupt, and the line is enabled again once the action has run (or
 * the source leaves its work loop). Other devices on the line wait for
 * that action too. A filter source leaves the line alone: its filter is
 * expected to quiet the device at interrupt level.
 *
 * IOFilterInterruptEventSource adds a filter that runs in the primary
 * handler, at interrupt level, and decides: true counts the interrupt and
 * wakes the loop, false ignores it (another device on the line, or work
 * the filter did itself). A filter must be short and must not block or
 * take sleeping locks; it may also call
 * IOFilterInterruptEventSource_signalInterrupt itself.
 *
 * Locks: [p] written only by the primary handler (atomically), read by
 * the thread; [g] the work loop's gate.
 */

#ifndef IOKIT_KERNEL_IOINTERRUPTEVENTSOURCE_H
#define IOKIT_KERNEL_IOINTERRUPTEVENTSOURCE_H

#include <stdint.h>

#include "iokit/Kernel/IOEventSource.h"
#include "kernel/machine_routines.h"

typedef struct IOInterruptEventSource IOInterruptEventSource;
typedef struct IOFilterInterruptEventSource IOFilterInterruptEventSource;

typedef void (*IOInterruptEventAction)(OSObject *owner, IOInterruptEventSource *sender,
    int count);
typedef bool (*IOFilterInterruptAction)(OSObject *owner,
    IOFilterInterruptEventSource *sender);

struct IOInterruptEventSource {
	IOEventSource		ies_es;
	unsigned		ies_irq;
	struct IOService	*ies_provider;	/* retained; NULL if made with a line */
	int			ies_intIndex;	/* provider's interrupt, if any */
	ml_interrupt_handler_t	ies_handler;	/* the primary handler for the class */
	bool			ies_installed;	/* [g] ies_handler is on the line */
	volatile uint32_t	ies_producerCount; /* [p] interrupts counted */
	uint32_t		ies_consumerCount; /* [g] ... and delivered */
	volatile uint32_t	ies_lineDisabled; /* [a] a plain source's level line is disabled */
};
OSDeclareDefaultStructors(IOInterruptEventSource);

struct IOFilterInterruptEventSource {
	IOInterruptEventSource	fies_ies;
	IOFilterInterruptAction	fies_filter;
	volatile uint32_t	fies_filtered;	/* [p] interrupts the filter declined */
};
OSDeclareDefaultStructors(IOFilterInterruptEventSource);

/*
 * IOInterruptEventSource_interruptEventSource: a new source for line irq
 * whose action runs on the work loop; disabled. NULL if action is NULL,
 * irq is not a line (both logged), or memory ran out. Adding it to a work
 * loop whose line already has all the handlers it can take fails with
 * kIOReturnNoResources.
 */
IOInterruptEventSource *IOInterruptEventSource_interruptEventSource(OSObject *owner,
		    IOInterruptEventAction action, unsigned irq);
unsigned	IOInterruptEventSource_getIntIndex(const IOInterruptEventSource *ies);

/*
 * IOInterruptEventSource_interruptEventSourceWithProvider: the same for
 * interrupt intIndex of provider (index 0 of a PCI nub is its INTx). NULL,
 * logged, if provider has no such interrupt. getProvider: provider, or NULL
 * for the form that named a line.
 */
struct IOService;
IOInterruptEventSource *IOInterruptEventSource_interruptEventSourceWithProvider(
		    OSObject *owner, IOInterruptEventAction action, struct IOService *provider,
		    int intIndex);
struct IOService *IOInterruptEventSource_getProvider(const IOInterruptEventSource *ies);

/*
 * IOFilterInterruptEventSource_filterInterruptEventSource: the same, with
 * filter run at primary interrupt level first. NULL if filter or action is
 * NULL.
 */
IOFilterInterruptEventSource *IOFilterInterruptEventSource_filterInterruptEventSource(
		    OSObject *owner, IOInterruptEventAction action,
		    IOFilterInterruptAction filter, unsigned irq);
IOFilterInterruptEventSource *IOFilterInterruptEventSource_filterInterruptEventSourceWithProvider(
		    OSObject *owner, IOInterruptEventAction action,
		    IOFilterInterruptAction filter, struct IOService *provider, int intIndex);
/* signalInterrupt: count one interrupt and wake the loop (from the filter). */
void		IOFilterInterruptEventSource_signalInterrupt(IOFilterInterruptEventSource *fies);
IOFilterInterruptAction IOFilterInterruptEventSource_getFilterAction(
		    const IOFilterInterruptEventSource *fies);

#endif /* IOKIT_KERNEL_IOINTERRUPTEVENTSOURCE_H */
