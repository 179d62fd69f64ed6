/*
 * IOEventSource.c - the base event source: owner, action, the enabled
 * flag, and dispatch of the methods subclasses override.
 */

#include "iokit/Kernel/IOEventSource.h"

#include <stddef.h>

#include "iokit/Kernel/IOWorkLoop.h"

static bool
eventsource_checkForWork(IOEventSource *es)
{
	(void)es;
	return false;
}

static IOReturn
eventsource_setWorkLoop(IOEventSource *es, IOWorkLoop *wl)
{
	es->es_workLoop = wl;
	return kIOReturnSuccess;
}

static void
eventsource_enable(IOEventSource *es)
{
	es->es_enabled = true;
	IOEventSource_signalWorkAvailable(es);
}

static void
eventsource_disable(IOEventSource *es)
{
	es->es_enabled = false;
}

static const struct IOEventSource_methods IOEventSource_methods = {
	.checkForWork = eventsource_checkForWork,
	.setWorkLoop = eventsource_setWorkLoop,
	.enable = eventsource_enable,
	.disable = eventsource_disable,
};
OSDefineMetaClass(IOEventSource, OSObject, &IOEventSource_methods);

void
IOEventSource_init(IOEventSource *es, OSObject *owner, IOEventSourceAction action)
{
	es->es_owner = owner;
	es->es_action = action;
	es->es_enabled = true;
}

void
IOEventSource_enable(IOEventSource *es)
{
	OSMetaClass_method(OSTypeIDInst(es), IOEventSource, enable)(es);
}

void
IOEventSource_disable(IOEventSource *es)
{
	OSMetaClass_method(OSTypeIDInst(es), IOEventSource, disable)(es);
}

bool
IOEventSource_isEnabled(const IOEventSource *es)
{
	return es->es_enabled;
}

OSObject *
IOEventSource_getOwner(const IOEventSource *es)
{
	return es->es_owner;
}

IOWorkLoop *
IOEventSource_getWorkLoop(const IOEventSource *es)
{
	return es->es_workLoop;
}

IOEventSourceAction
IOEventSource_getAction(const IOEventSource *es)
{
	return es->es_action;
}

void
IOEventSource_setAction(IOEventSource *es, IOEventSourceAction action)
{
	es->es_action = action;
}

bool
IOEventSource_onThread(const IOEventSource *es)
{
	return es->es_workLoop != NULL && IOWorkLoop_onThread(es->es_workLoop);
}

void
IOEventSource_signalWorkAvailable(IOEventSource *es)
{
	IOWorkLoop *wl = es->es_workLoop;

	if (wl != NULL)
		IOWorkLoop_signalWorkAvailable(wl);
}

bool
IOEventSource_checkForWork(IOEventSource *es)
{
	return OSMetaClass_method(OSTypeIDInst(es), IOEventSource, checkForWork)(es);
}

IOReturn
IOEventSource_setWorkLoop(IOEventSource *es, IOWorkLoop *wl)
{
	return OSMetaClass_method(OSTypeIDInst(es), IOEventSource, setWorkLoop)(es, wl);
}
