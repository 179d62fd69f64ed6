/*
 * IOEventSource.h - the base class of what a work loop serves: something
 * that can have work to do (an interrupt, a timeout, a caller wanting the
 * gate), an owner, and an action that does the work with the work loop's
 * gate held.
 *
 * A driver makes a subclass's object (IOInterruptEventSource,
 * IOTimerEventSource, IOCommandGate), adds it to its work loop with
 * IOWorkLoop_addEventSource, and removes it before releasing it. The work
 * loop's thread calls checkForWork on every source each time it wakes;
 * a source that has work (an interrupt counted, a timeout passed) calls
 * its action from there. signalWorkAvailable wakes the thread; it may be
 * called from primary interrupt context.
 *
 * Subclasses extend struct IOEventSource_methods:
 *   checkForWork(es)	on the work loop's thread, gate held: do the work
 *			that is due (call the action); true if there may be
 *			more, to be called again before the thread sleeps.
 *			IOEventSource's does nothing and returns false.
 *   setWorkLoop(es, wl)	the source joins wl (NULL: leaves its loop).
 *			Called with the gate held. A subclass hooks the
 *			machine here (installs an interrupt handler) and
 *			sets es_workLoop, as IOEventSource's does; an
 *			error refuses the add (and leaves es_workLoop).
 *   enable(es), disable(es)  IOEventSource's set es_enabled (enable also
 *			signals the loop); a subclass's does the same and
 *			more.
 *
 * Invariants: a source is on at most one work loop, and that loop holds a
 * reference on it while it is on its chain (so a source is never freed on
 * a loop). es_workLoop is not a reference: a loop removes its sources as
 * it is freed. The owner is not retained either (it normally owns the
 * source).
 *
 * Locks: [g] the work loop's gate. es_enabled is read without it (by
 * primary interrupt handlers).
 */

#ifndef IOKIT_KERNEL_IOEVENTSOURCE_H
#define IOKIT_KERNEL_IOEVENTSOURCE_H

#include <stdbool.h>

#include "iokit/Kernel/IOReturn.h"
#include "libkern/OSObject.h"

typedef struct IOWorkLoop IOWorkLoop;

/* An action of any shape: each subclass names and calls its own. */
typedef void (*IOEventSourceAction)(void);

struct IOEventSource {
	OSObject		es_os;
	struct IOEventSource	*es_next;	/* [g] the work loop's chain */
	IOWorkLoop		*es_workLoop;	/* [g] the loop it is on, or NULL */
	OSObject		*es_owner;	/* the action's first argument */
	IOEventSourceAction	es_action;	/* [g] */
	volatile bool		es_enabled;
};
OSDeclareDefaultStructors(IOEventSource);

struct IOEventSource_methods {
	struct OSObject_methods	os;
	bool	(*checkForWork)(IOEventSource *es);
	IOReturn (*setWorkLoop)(IOEventSource *es, IOWorkLoop *wl);
	void	(*enable)(IOEventSource *es);
	void	(*disable)(IOEventSource *es);
};

/* IOEventSource_init: for subclasses: owner and action; enabled. */
void		IOEventSource_init(IOEventSource *es, OSObject *owner, IOEventSourceAction action);

void		IOEventSource_enable(IOEventSource *es);
void		IOEventSource_disable(IOEventSource *es);
bool		IOEventSource_isEnabled(const IOEventSource *es);
OSObject	*IOEventSource_getOwner(const IOEventSource *es);
IOWorkLoop	*IOEventSource_getWorkLoop(const IOEventSource *es);
IOEventSourceAction IOEventSource_getAction(const IOEventSource *es);
void		IOEventSource_setAction(IOEventSource *es, IOEventSourceAction action);
/* IOEventSource_onThread: whether this is the thread of the source's loop. */
bool		IOEventSource_onThread(const IOEventSource *es);
/* IOEventSource_signalWorkAvailable: wake the loop; any context; no-op off a loop. */
void		IOEventSource_signalWorkAvailable(IOEventSource *es);

/* For the work loop: the virtual calls. */
bool		IOEventSource_checkForWork(IOEventSource *es);
IOReturn	IOEventSource_setWorkLoop(IOEventSource *es, IOWorkLoop *wl);

#endif /* IOKIT_KERNEL_IOEVENTSOURCE_H */
