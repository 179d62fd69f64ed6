/*
 * libkern.h - the C library a kext gets (Apple's <libkern/libkern.h>):
 * the string and memory functions, snprintf, and printf to the kernel
 * console and log. Everything here is in the org.machina.kpi.libkern KPI,
 * except printf, which the kernel console provides (the same KPI exports
 * it). Kernel code includes the narrower headers directly.
 */

#ifndef LIBKERN_LIBKERN_H
#define LIBKERN_LIBKERN_H

#include "kernel/console.h"
#include "libkern/printf.h"
#include "libkern/string.h"

#endif /* LIBKERN_LIBKERN_H */
