/*
 * panic.h - the one primitive libkern needs from whoever links it.
 *
 * The kernel implements panic() in kernel/debug.c; host unit tests get it from
 * tests/unit/shim. panic() is only for broken invariants: a bug in the kernel,
 * never bad input from user space, a kext bundle, a device or a boot loader.
 */

#ifndef LIBKERN_PANIC_H
#define LIBKERN_PANIC_H

#include "libkern/cdefs.h"

void	panic(const char *fmt, ...) __dead2 __printflike(1, 2);

#endif /* LIBKERN_PANIC_H */
