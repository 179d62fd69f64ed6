/*
 * acpi.h - the firmware's ACPI tables, for machine-independent code:
 * acpi_find_table and struct acpi_header (kernel/x86_64/acpi.h).
 *
 * The one place that picks the architecture (STYLE.md: MI code never tests
 * it itself).
 */

#ifndef KERNEL_MACHINE_ACPI_H
#define KERNEL_MACHINE_ACPI_H

#if defined(__x86_64__)
#include "kernel/x86_64/acpi.h"
#else
#error "Machina runs on x86-64 only"
#endif

#endif /* KERNEL_MACHINE_ACPI_H */
