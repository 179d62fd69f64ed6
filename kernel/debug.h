/*
 * debug.h - panics, the debug boot-arg and backtraces.
 *
 * debug=FLAGS takes XNU's DB_* bits. Those Machina acts on:
 *   DB_HALT		wait for the debugger early in boot (PE_enter_debugger)
 *   DB_PRT		kprintf() goes to the whole console
 *   DB_KPRT		kprintf() goes to the serial port
 *   DB_REBOOT_ALWAYS	reboot after a panic instead of halting
 * -v (verbose boot) prints the memory map, milestones and more.
 *
 * What a panic does: print the message, the registers when a trap caused
 * it, a symbolised backtrace, the kernel version and the boot-args, all to
 * the console and the kernel log. Then: a test or benchmark run (tests= or
 * bench= on the line) powers off with MACHINE_EXIT_PANIC so the harness
 * knows; DB_REBOOT_ALWAYS reboots; otherwise the CPU halts with the state
 * intact for gdb.
 *
 * A panic inside a panic prints a short second report and stops; a third
 * stops without printing. Nothing in the panic path takes a lock.
 */

#ifndef KERNEL_DEBUG_H
#define KERNEL_DEBUG_H

#include <stdarg.h>
#include <stdint.h>

#include "libkern/cdefs.h"
#include "libkern/panic.h"
#include "mach/boolean.h"

#define DB_HALT			0x1
#define DB_PRT			0x2
#define DB_NMI			0x4
#define DB_KPRT			0x8
#define DB_REBOOT_ALWAYS	0x100000

extern unsigned int	debug_boot_arg;		/* debug= */
extern boolean_t	verbose_boot;		/* -v */
extern boolean_t	debug_exit_on_panic;	/* a test or benchmark run */
extern const char	*panicstr;		/* the first panic's message */
extern volatile unsigned int nestedpanic;	/* panics in progress */

/*
 * The stack protector (-fstack-protector-strong, with a global guard, in
 * the kernel and in every kext): a function with an array or an
 * address-taken local saves __stack_chk_guard below its return address
 * and calls __stack_chk_fail, which panics, if the copy changed by the
 * time it returns. The guard is random from the first instruction of C
 * (x86_64_boot_start sets it, and so must not be protected itself: it
 * would find its own copy stale). Kexts get both symbols whatever their
 * OSBundleLibraries say: the compiler, not the kext's author, calls them.
 */
extern uintptr_t __stack_chk_guard;
void	__stack_chk_fail(void) __dead2;

/* debug_init: read debug= and -v. Call once the boot-args are known. */
void	debug_init(void);

/*
 * panic_with_state: panic from a trap; state is the machine's saved state
 * (struct x86_saved_state), printed as registers and used as the start of
 * the backtrace.
 */
void	panic_with_state(const void *state, const char *fmt, ...) __dead2
	    __printflike(2, 3);

/* A frame of a backtrace: its frame pointer and return address. */
struct backtrace_frame {
	uintptr_t	bf_fp;
	uintptr_t	bf_pc;
};

#define BACKTRACE_MAX	32

/*
 * backtrace_print: print frames as "fp : pc symbol + offset" lines.
 * backtrace_here: the caller's own backtrace, printed.
 */
void	backtrace_print(const struct backtrace_frame *frames, unsigned n);
/* backtrace_print_cpu: the same, headed with another CPU's number. */
void	backtrace_print_cpu(unsigned cpu, const struct backtrace_frame *frames, unsigned n);
void	backtrace_here(void);

/*
 * PE_enter_debugger: stop in the debugger, if one is attached (XNU's
 * name). It calls PE_debugger_trap(cause), an empty function on which the
 * gdb commands (tools/gdb) keep a breakpoint: with gdb attached, the
 * machine stops there, with cause shown; without, the call returns at once.
 * A panic calls it before halting. PE_enter_debugger_wait does the same and
 * then waits until the debugger lets it go on (it sets PE_debugger_continue
 * when it stops there; `continue` then resumes): what debug=DB_HALT does
 * early in boot. Without a debugger it waits for ever, as XNU's does.
 */
void	PE_enter_debugger(const char *cause);
void	PE_enter_debugger_wait(const char *cause);
void	PE_debugger_trap(const char *cause);
extern volatile int PE_debugger_continue;

/*
 * The machine's half (kernel/x86_64/backtrace.c, trap.c):
 * machine_backtrace: walk frame pointers from state (NULL: from the caller)
 * without ever faulting; returns the number of frames.
 * machine_print_state: the registers and fault details of a saved state.
 */
unsigned machine_backtrace(const void *state, struct backtrace_frame *frames,
	    unsigned max);
void	machine_print_state(const void *state);

#endif /* KERNEL_DEBUG_H */
