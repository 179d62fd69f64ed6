/*
 * IOLib.h - the I/O Kit's everyday services: logging, delays and sleeps
 * (the Kernel Programming Guide's "Using IODelay and IOSleep").
 *
 *	IOLog("mydriver: %d widgets\n", n);
 *	IODelay(10);		spin 10 microseconds
 *	IOSleep(100);		sleep 100 milliseconds (the thread blocks)
 */

#ifndef IOKIT_KERNEL_IOLIB_H
#define IOKIT_KERNEL_IOLIB_H

#include "libkern/cdefs.h"

void	IOLog(const char *format, ...) __printflike(1, 2);
void	IODelay(unsigned microseconds);
void	IOSleep(unsigned milliseconds);

#endif /* IOKIT_KERNEL_IOLIB_H */
