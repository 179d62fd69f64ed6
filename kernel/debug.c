/*
 * debug.c - panic() and what surrounds it.
 */

#include "kernel/debug.h"

#include "kernel/console.h"
#include "kernel/ksyms.h"
#include "kernel/machine_routines.h"
#include "kernel/msgbuf.h"
#include "kernel/pexpert.h"
#include "kernel/version.h"
#include "libkern/OSKext.h"
#include "libkern/printf.h"
#include "mach/kern/clock.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/kext_region.h"
#include "mach/vm/pmap.h"

unsigned int	debug_boot_arg;
boolean_t	verbose_boot;
boolean_t	debug_exit_on_panic;
const char	*panicstr;
volatile unsigned int nestedpanic;

/* The report ends with the log's last lines: this many, at most this much text. */
#define PANIC_LOG_TAIL_LINES	20
#define PANIC_LOG_TAIL_BYTES	2048

/* Until x86_64_boot_start makes it random: anything not zero. */
uintptr_t __stack_chk_guard __hot_data = 0x5ea1ed5ca1ab1e5aULL;

void
__stack_chk_fail(void)
{
	panic("Kernel stack memory corruption detected");
}

static char panic_message[256];
static const char *panic_first_format;	/* safe to print even if formatting faulted */

BOOT_ARG(debug, "debug", BOOT_ARG_NUMBER, 4, "debug flags: XNU's DB_* bits");
BOOT_ARG(verbose, "-v", BOOT_ARG_FLAG, 0, "verbose boot");

void
debug_init(void)
{
	int flag = 0;

	if (!PE_parse_boot_argn("debug", &debug_boot_arg, sizeof(debug_boot_arg)))
		debug_boot_arg = 0;
	verbose_boot = PE_parse_boot_argn("-v", &flag, sizeof(flag)) && flag != 0;
}

/* A frame outside the image: in a kext, loaded (as its manager names it) or not. */
static void
backtrace_print_kext(const struct backtrace_frame *f)
{
	vm_offset_t start, end;
	const char *name;

	const kmod_info_t *ki = OSKextAddressKmod(f->bf_pc);

	if (ki != NULL)
		printf("  0x%016lx : 0x%016lx %.64s(%.64s) + 0x%lx\n", f->bf_fp, f->bf_pc,
		    ki->name, ki->version, (unsigned long)(f->bf_pc - ki->address));
	else if ((name = kext_region_loaded_name(f->bf_pc, &start, &end)) != NULL)
		printf("  0x%016lx : 0x%016lx %s + 0x%lx (loaded at 0x%016lx)\n", f->bf_fp,
		    f->bf_pc, name, f->bf_pc - start, start);
	else if ((name = kext_region_unloaded_name(f->bf_pc, &start, &end)) != NULL)
		printf("  0x%016lx : 0x%016lx %s, unloaded (was at 0x%016lx-0x%016lx)\n",
		    f->bf_fp, f->bf_pc, name, start, end);
	else
		printf("  0x%016lx : 0x%016lx\n", f->bf_fp, f->bf_pc);
}

/* Each loaded kext the backtrace passes through, once, with where it is. */
static void
backtrace_print_kexts(const struct backtrace_frame *frames, unsigned n)
{
	const kmod_info_t *seen[BACKTRACE_MAX];
	unsigned nseen = 0;

	for (unsigned i = 0; i < n && nseen < BACKTRACE_MAX; i++) {
		const kmod_info_t *ki = OSKextAddressKmod(frames[i].bf_pc);
		unsigned j;

		if (ki == NULL)
			continue;
		for (j = 0; j < nseen && seen[j] != ki; j++)
			;
		if (j < nseen)
			continue;
		if (nseen == 0)
			printf("      Kernel Extensions in backtrace:\n");
		seen[nseen++] = ki;
		printf("         %.64s(%.64s)[index %u]@0x%016lx->0x%016lx\n", ki->name,
		    ki->version, ki->id, (unsigned long)ki->address,
		    (unsigned long)(ki->address + ki->size - 1));
	}
}

void
backtrace_print(const struct backtrace_frame *frames, unsigned n)
{
	backtrace_print_cpu(cpu_number(), frames, n);
}

void
backtrace_print_cpu(unsigned cpu, const struct backtrace_frame *frames, unsigned n)
{
	printf("Backtrace (CPU %u), Frame : Return Address\n", cpu);
	for (unsigned i = 0; i < n; i++) {
		uint64_t off = 0;
		const char *name = ksyms_lookup(frames[i].bf_pc, &off);
		unsigned same = 0;

		/* Runaway recursion: one line, then how often it repeats. */
		while (i + same + 1 < n && frames[i + same + 1].bf_pc == frames[i].bf_pc)
			same++;
		if (same > 1) {
			printf("  0x%016lx : 0x%016lx %s + 0x%llx\n", frames[i].bf_fp,
			    frames[i].bf_pc, name != NULL ? name : "?",
			    (unsigned long long)off);
			printf("  ... the same return address %u more times\n", same);
			i += same;
			continue;
		}

		if (name != NULL)
			printf("  0x%016lx : 0x%016lx %s + 0x%llx\n", frames[i].bf_fp,
			    frames[i].bf_pc, name, (unsigned long long)off);
		else
			backtrace_print_kext(&frames[i]);
	}
	backtrace_print_kexts(frames, n);
}

void
backtrace_here(void)
{
	struct backtrace_frame frames[BACKTRACE_MAX];

	backtrace_print(frames, machine_backtrace(NULL, frames, BACKTRACE_MAX));
}

volatile int PE_debugger_continue;

__attribute__((noinline)) void
PE_debugger_trap(const char *cause)
{
	/* The debugger's breakpoint; keep the call and its argument. */
	__asm__ volatile("" : : "r"(cause) : "memory");
}

void
PE_enter_debugger(const char *cause)
{
	PE_debugger_trap(cause != NULL ? cause : "PE_enter_debugger");
}

void
PE_enter_debugger_wait(const char *cause)
{
	PE_debugger_continue = 0;
	printf("%s: waiting for the debugger (make gdb, or make debug-gdb, then continue)\n",
	    cause);
	PE_enter_debugger(cause);
	while (!PE_debugger_continue)
		ml_cpu_pause();
}

/* After the report: power off for test runs, reboot if asked, else halt. */
static void __dead2
panic_stop(void)
{
	machine_panic_notify();		/* a host that keeps cores saves one now */
	if (debug_exit_on_panic)
		machine_exit(MACHINE_EXIT_PANIC);
	if (debug_boot_arg & DB_REBOOT_ALWAYS)
		machine_reboot();
	PE_enter_debugger("panic");
	printf("System halted, its state kept for a debugger. Under `make debug`, "
	    "attach with `make gdb`; under `make run`, type Ctrl-A C, then "
	    "`gdbserver`, then run `make gdb` elsewhere. Ctrl-A X quits QEMU.\n");
	ml_halt_cpu();
}

/* Which thread panicked; careful, since its structure may be what broke. */
static void
print_current_thread(void)
{
	thread_t self = current_thread();

	if (self == THREAD_NULL) {
		printf("Thread: none yet (early boot)\n");
		return;
	}
	if ((pmap_kernel_prot((vm_offset_t)self) & VM_PROT_READ) == 0) {
		printf("Thread: %p (unreadable)\n", self);
		return;
	}
	printf("Thread: %.*s (id %llu), task %s\n", THREAD_NAME_MAX, self->th_name,
	    (unsigned long long)self->thread_id,
	    self->task != TASK_NULL && (pmap_kernel_prot((vm_offset_t)self->task) &
	    VM_PROT_READ) ? self->task->name : "(unreadable)");
}

/* Where the other CPUs were when the halt IPI stopped them. */
static void
print_other_cpus(struct backtrace_frame *frames)
{
	for (unsigned cpu = 0; cpu < machine_cpu_count(); cpu++) {
		const void *state;

		if (cpu == cpu_number())
			continue;
		state = machine_halted_state(cpu);
		if (state == NULL) {
			printf("\nCPU %u: did not stop (interrupts off?); no backtrace\n", cpu);
			continue;
		}
		printf("\nCPU %u, stopped by this panic:\n", cpu);
		backtrace_print_cpu(cpu, frames, machine_backtrace(state, frames, BACKTRACE_MAX));
	}
}

/*
 * The log's last lines from before the panic (end: where the log stood
 * when the report began), copied out before any is printed: printing them
 * appends to the same ring.
 */
static void
print_log_tail(uint64_t end)
{
	static char tail[PANIC_LOG_TAIL_BYTES];
	uint64_t cursor = msgbuf_tail(end, PANIC_LOG_TAIL_LINES, sizeof(tail));
	size_t n = msgbuf_read(&cursor, tail, (size_t)(end - cursor));
	size_t line = 0;

	printf("\nLast kernel log lines:\n");
	for (size_t i = 0; i < n; i++) {
		if (tail[i] != '\n' && i + 1 < n)
			continue;
		printf("  %.*s\n", (int)(i - line + (tail[i] != '\n')), &tail[line]);
		line = i + 1;
	}
}

static void __dead2
panic_common(const void *state, uintptr_t caller, const char *fmt, va_list ap)
{
	struct backtrace_frame frames[BACKTRACE_MAX];
	uint64_t log_end;
	unsigned depth, n;

	(void)ml_set_interrupts_enabled(FALSE);
	depth = __atomic_add_fetch(&nestedpanic, 1, __ATOMIC_SEQ_CST);
	if (depth == 1)
		machine_halt_other_cpus();	/* one report, from one CPU */
	if (depth > 2) {
		/* The panic path itself is broken: print nothing more. */
		if (debug_exit_on_panic)
			machine_exit(MACHINE_EXIT_PANIC);
		ml_halt_cpu();
	}
	console_panic_mode();

	if (depth == 2) {
		/* Keep it short: whatever broke the first report may break this. */
		printf("\npanic(cpu %u caller 0x%lx): nested panic: ", cpu_number(),
		    caller);
		vprintf(fmt, ap);
		if (panicstr != NULL)
			printf("\nwhile reporting: %s\n", panicstr);
		else
			printf("\nwhile formatting the panic message \"%s\"\n",
			    panic_first_format);
		n = machine_backtrace(state, frames, BACKTRACE_MAX);
		backtrace_print(frames, n);
		panic_stop();
	}

	panic_first_format = fmt;
	log_end = __atomic_load_n(&msgbuf.msg_bufx, __ATOMIC_ACQUIRE);
	vsnprintf(panic_message, sizeof(panic_message), fmt, ap);
	panicstr = panic_message;
	printf("\npanic(cpu %u caller 0x%lx): %s\n", cpu_number(), caller,
	    panic_message);
	print_current_thread();
	if (state != NULL)
		machine_print_state(state);
	n = machine_backtrace(state, frames, BACKTRACE_MAX);
	backtrace_print(frames, n);
	print_other_cpus(frames);
	print_log_tail(log_end);
	printf("\nKernel version: %s\n", version);
	printf("Boot args: %s\n", PE_boot_args());
	printf("System uptime in nanoseconds: %llu\n",
	    (unsigned long long)mach_absolute_time());
	panic_stop();
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(NULL, (uintptr_t)__builtin_return_address(0), fmt, ap);
}

void
panic_with_state(const void *state, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(state, (uintptr_t)__builtin_return_address(0), fmt, ap);
}
