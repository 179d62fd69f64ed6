/*
 * machine_routines.h - the machine's inline versions of the ml_* calls the
 * kernel image makes most (kernel/machine_routines.h includes this for
 * XNU_KERNEL_PRIVATE code).
 *
 * The one place that picks the architecture (STYLE.md: MI code never tests
 * it itself).
 */

#ifndef KERNEL_MACHINE_MACHINE_ROUTINES_H
#define KERNEL_MACHINE_MACHINE_ROUTINES_H

#if defined(__x86_64__)
#include "kernel/x86_64/machine_routines_md.h"
#else
#error "Machina runs on x86-64 only"
#endif

#endif /* KERNEL_MACHINE_MACHINE_ROUTINES_H */
