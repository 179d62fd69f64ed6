/*
 * IOLib.c - IOLog, IODelay and IOSleep.
 */

#include "iokit/Kernel/IOLib.h"

#include <stdarg.h>

#include "kernel/console.h"
#include "mach/kern/clock.h"
#include "mach/kern/sched_prim.h"

void
IOLog(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vprintf(format, ap);
	va_end(ap);
}

void
IODelay(unsigned microseconds)
{
	delay(microseconds);
}

void
IOSleep(unsigned milliseconds)
{
	/* The event is private to this call: only the deadline ends the wait. */
	int event;

	(void)assert_wait_timeout(&event, THREAD_UNINT, milliseconds, NSEC_PER_MSEC);
	(void)thread_block(THREAD_CONTINUE_NULL);
}
