/*
 * machine_routines.h - the ml_* contract: what machine-independent code may
 * ask of the CPU it runs on. kernel/x86_64/machine_routines.c implements it.
 *
 * The module must provide:
 *   - interrupt enable state, saved and restored by the caller;
 *   - the current CPU's number;
 *   - a spin-wait hint and an idle wait that cannot miss a wake-up;
 *   - powering off and rebooting the machine, and an exit with a status for
 *     test runs under QEMU;
 *   - probes that touch a kernel address and say whether it faulted;
 *   - interrupt lines: handlers installed on them, several to a line.
 */

#ifndef KERNEL_MACHINE_ROUTINES_H
#define KERNEL_MACHINE_ROUTINES_H

#include <stdint.h>

#include "libkern/cdefs.h"
#include "mach/boolean.h"
#include "mach/kern_return.h"

/* ml_set_interrupts_enabled: set IF; returns the previous state. */
boolean_t	ml_set_interrupts_enabled(boolean_t enable);
boolean_t	ml_get_interrupts_enabled(void);
/* ml_at_interrupt_context: TRUE inside an interrupt handler (XNU's name). */
boolean_t	ml_at_interrupt_context(void);

unsigned int	cpu_number(void);

/* ml_cpu_pause: spin-loop hint (pause). */
void		ml_cpu_pause(void);

/*
 * ml_cpu_brand_string: the processor's name as it gives it (CPUID's
 * brand string, leading blanks dropped), NUL-terminated in buf (cut to
 * size); "unknown" if it has none.
 */
void		ml_cpu_brand_string(char *buf, unsigned long size);

/*
 * ml_wait_for_interrupt: with interrupts disabled by the caller, enable them
 * and halt until one arrives, atomically (sti; hlt), then disable them again.
 * A caller that checked for work with interrupts off cannot miss the wake-up.
 */
void		ml_wait_for_interrupt(void);

/*
 * machine_idle: the idle thread's wait, as ml_wait_for_interrupt, with
 * the CPU marked as not using the user address space it still has loaded
 * (shootdowns of it wait for the CPU's next context switch instead).
 */
void		machine_idle(void);

/* ml_halt_cpu: stop this CPU for good (interrupts off, hlt forever). */
void		ml_halt_cpu(void) __dead2;

/*
 * Exit statuses a test run reports through QEMU's isa-debug-exit device
 * (QEMU exits with (status << 1) | 1). tests/run.py decodes them.
 */
#define MACHINE_EXIT_SUCCESS	0
#define MACHINE_EXIT_FAILURE	1	/* tests failed */
#define MACHINE_EXIT_PANIC	2	/* the kernel panicked */

/*
 * machine_exit: power off reporting status: through isa-debug-exit when QEMU
 * has one, else by ACPI S5, else halt.
 */
void		machine_exit(int status) __dead2;

/*
 * The scheduler's clock and cross-CPU signal:
 * ml_timer_init: this CPU's timer, ready for deadlines (after rtclock_init).
 * ml_timer_set_deadline: one interrupt at mach absolute time deadline, which
 * calls sched_timer_interrupt(); UINT64_MAX stops the timer.
 * machine_signal_processor: make CPU cpu look at its pending ASTs.
 */
void		ml_timer_init(void);
void		ml_timer_set_deadline(uint64_t deadline);
void		machine_signal_processor(int cpu);

/* machine_start_processors: bring up every other CPU (after the scheduler). */
void		machine_start_processors(void);

/*
 * machine_halt_other_cpus: stop the other CPUs where they are (panics),
 * waiting a little for each to say where that was. machine_halted_state:
 * the saved state a stopped CPU left (for its backtrace), or NULL if it is
 * not running or did not answer.
 */
void		machine_halt_other_cpus(void);
const void	*machine_halted_state(unsigned cpu);
unsigned	machine_cpu_count(void);

/*
 * ml_cpu_apic_id: the local APIC id of CPU cpu (0 .. machine_cpu_count()
 * - 1), or UINT32_MAX for a number that is no CPU. For the platform
 * expert's CPU nubs.
 */
uint32_t	ml_cpu_apic_id(unsigned cpu);

/*
 * ml_firmware_table: the index'th of the firmware's configuration tables
 * (x86-64: the ACPI tables that passed their checks, in the order found),
 * its bytes mapped read-only for good, and its length in *length; NULL past
 * the last. For the platform expert's "ACPI Tables" property.
 */
const void	*ml_firmware_table(unsigned index, uint32_t *length);

/*
 * Device I/O ports (x86-64's in and out instructions). A driver goes
 * through its nub's accessors (iokit/Kernel/IOPlatformDevice.h,
 * IOPCIDevice's), which check the port is the device's; these are for the
 * platform expert's nubs, and for fixed legacy ports that no nub owns (the
 * Bochs display's DISPI registers), through org.machina.kpi.unsupported.
 */
uint8_t		ml_io_read8(uint16_t port);
uint16_t	ml_io_read16(uint16_t port);
uint32_t	ml_io_read32(uint16_t port);
void		ml_io_write8(uint16_t port, uint8_t value);
void		ml_io_write16(uint16_t port, uint16_t value);
void		ml_io_write32(uint16_t port, uint32_t value);

/* ml_cpu_hwcap: the CPU's feature word for a program's AT_HWCAP (x86-64: CPUID 1's EDX). */
uint64_t	ml_cpu_hwcap(void);

/*
 * machine_panic_notify: tell the machine's host the kernel panicked, if it
 * listens (QEMU's pvpanic device: `make run CORE=...` then saves the
 * guest's memory for `make gdb-core`). Safe in the panic path.
 */
void		machine_panic_notify(void);

/* machine_poweroff, machine_reboot: as a user would expect; never return. */
void		machine_poweroff(void) __dead2;
void		machine_reboot(void) __dead2;

/*
 * ml_nofault_read8, ml_nofault_write8, ml_nofault_call: read a byte at
 * addr, write one, or call addr as a function taking and returning
 * nothing; TRUE if it was done, FALSE if it faulted. Only a page fault on
 * the probe's own access (for the call, on fetching the instruction at
 * addr) is caught; the fault handler resumes the probe, which returns
 * FALSE. For the tests of the protections the kernel relies on (the kext
 * region, Kernel Integrity Protection); not for use on user addresses
 * (copyin is for those).
 */
boolean_t	ml_nofault_read8(uint64_t addr, uint8_t *value);
boolean_t	ml_nofault_write8(uint64_t addr, uint8_t value);
boolean_t	ml_nofault_call(uint64_t addr);

/*
 * Interrupt lines. A line is a device's interrupt input, numbered as the
 * machine numbers them (x86-64: the 8259's IRQs 0-15). Any number of
 * handlers, up to ML_INTERRUPT_HANDLERS_PER_LINE, may share a line (PCI
 * INTx lines are shared): when it fires each is called in turn, with its
 * refcon, in primary interrupt context (interrupts off, on whichever CPU
 * took it). A handler must be short, must not block, must check whether
 * its own device interrupted (another's may have), and must not install
 * or remove handlers. A line is unmasked while it has a handler.
 *
 * ml_install_interrupt_handler: add handler(refcon, irq) to line irq.
 *   KERN_INVALID_ARGUMENT: irq is not a line, or handler is NULL.
 *   KERN_NAME_EXISTS: that handler with that refcon is already there.
 *   KERN_RESOURCE_SHORTAGE: the line has no room for another handler.
 * ml_remove_interrupt_handler: take it off again. When this returns the
 *   handler is not running on any CPU and will not be called again, so
 *   refcon may be freed. KERN_INVALID_ARGUMENT if it was not installed.
 * ml_simulate_interrupt: call line irq's handlers now, on this CPU, with
 *   interrupts off, as the interrupt path would (no controller is
 *   touched), then, if interrupts were on, takes a preemption the handlers
 *   asked for, as an interrupt's return does: the software trigger the
 *   tests use. KERN_INVALID_ARGUMENT if irq is not a line.
 */
#define ML_INTERRUPT_HANDLERS_PER_LINE	8

typedef void (*ml_interrupt_handler_t)(void *refcon, unsigned irq);

unsigned	ml_interrupt_line_count(void);
kern_return_t	ml_install_interrupt_handler(unsigned irq, ml_interrupt_handler_t handler,
		    void *refcon);
kern_return_t	ml_remove_interrupt_handler(unsigned irq, ml_interrupt_handler_t handler,
		    void *refcon);
kern_return_t	ml_simulate_interrupt(unsigned irq);

/*
 * Level-triggered lines (PCI INTx: asserted until the device is
 * acknowledged, shared) fire again as soon as their handlers return while
 * the device still asserts them. A handler that leaves the device's
 * acknowledgement to a thread disables the line until then:
 *
 * ml_interrupt_line_is_level: whether line irq is level-triggered (as the
 *   firmware set the chipset up).
 * ml_disable_interrupt_line, ml_enable_interrupt_line: mask line irq,
 *   counted: it stays masked, whatever handlers come and go, until every
 *   disable has had its enable. Any context, interrupt handlers included.
 *   KERN_INVALID_ARGUMENT if irq is not a line.
 */
boolean_t	ml_interrupt_line_is_level(unsigned irq);
kern_return_t	ml_disable_interrupt_line(unsigned irq);
kern_return_t	ml_enable_interrupt_line(unsigned irq);

/*
 * In the kernel image (XNU_KERNEL_PRIVATE; not in kexts, which call the
 * functions) ml_set_interrupts_enabled, ml_get_interrupts_enabled and
 * cpu_number are inline: kernel/x86_64/machine_routines_md.h says why.
 */
#if defined(XNU_KERNEL_PRIVATE)
#include "kernel/machine/machine_routines.h"
#endif

#endif /* KERNEL_MACHINE_ROUTINES_H */
