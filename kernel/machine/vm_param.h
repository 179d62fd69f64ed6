/*
 * vm_param.h - the machine's address-space layout, for machine-independent
 * code: VM_MIN_KERNEL_ADDRESS, VM_MAX_USER_ADDRESS, PHYSMAP_BASE, ...
 *
 * The one place that picks the architecture (STYLE.md: MI code never tests
 * it itself).
 */

#ifndef KERNEL_MACHINE_VM_PARAM_H
#define KERNEL_MACHINE_VM_PARAM_H

#if defined(__x86_64__)
#include "kernel/x86_64/vm_param.h"
#else
#error "Machina runs on x86-64 only"
#endif

#endif /* KERNEL_MACHINE_VM_PARAM_H */
