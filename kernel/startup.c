/*
 * startup.c - kernel_bootstrap(): the machine-independent start-up, as an
 * explicit list. Each step says why it comes where it does; docs/startup.md
 * has the longer story.
 */

#include "kernel/startup.h"

#include "bsd/kern/bsd_init.h"
#include "bsd/kern/kern_exec.h"
#include "iokit/Kernel/IOStartIOKit.h"
#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/initrd.h"
#include "kernel/kconsole.h"
#include "kernel/machine_routines.h"
#include "kernel/pexpert.h"
#include "kernel/version.h"
#include "libkern/OSKext.h"
#include "libkern/OSMetaClass.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_init.h"
#include "mach/kern/clock.h"
#include "mach/kern/locks.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_init.h"
#include "tests/ktest.h"

BOOT_ARG(tests, "tests", BOOT_ARG_STRING, 255,
    "run the in-kernel tests matching these globs, then power off "
    "(user, user.GLOB: /sbin/init runs the user tests instead)");
BOOT_ARG(bench, "bench", BOOT_ARG_STRING, 255,
    "run the benchmarks matching these globs, then power off");

static uint64_t milestone_tsc[MILESTONE_COUNT];

static const char *const milestone_names[MILESTONE_COUNT] = {
	[MILESTONE_ENTRY] = "entry",
	[MILESTONE_CONSOLE] = "console",
	[MILESTONE_MEMORY] = "memory",
	[MILESTONE_READY] = "ready",
};

static void
milestone(enum startup_milestone m)
{
	milestone_tsc[m] = rtclock_read_tsc();
}

const char *
startup_milestone_name(enum startup_milestone m)
{
	return m < MILESTONE_COUNT ? milestone_names[m] : "?";
}

uint64_t
startup_milestone_ns(enum startup_milestone m)
{
	if (m >= MILESTONE_COUNT || milestone_tsc[m] == 0 || rtclock_tsc_hz() == 0)
		return 0;
	return rtclock_tsc_to_ns(milestone_tsc[m]) -
	    rtclock_tsc_to_ns(milestone_tsc[MILESTONE_ENTRY]);
}

static void
print_milestones(void)
{
	printf("boot: milestones since kernel entry:");
	for (int m = MILESTONE_CONSOLE; m < MILESTONE_COUNT; m++) {
		uint64_t ns = startup_milestone_ns(m);

		printf(" %s %llu.%03llu ms", milestone_names[m],
		    (unsigned long long)(ns / 1000000),
		    (unsigned long long)(ns / 1000 % 1000));
	}
	printf("\n");
}

static void
print_boot_info(const struct boot_args *args)
{
	if (args->ba_loader == BOOT_LOADER_PVH)
		printf("boot: entered through the PVH note\n");
	else
		printf("boot: loaded by %s through multiboot2\n",
		    args->ba_loader_name[0] != '\0' ? args->ba_loader_name : "an unnamed loader");
	printf("boot: boot-args \"%s\"\n", args->ba_cmdline);
	printf("boot: the loader's memory map (%u entries):\n", args->ba_nmemmap);
	for (unsigned i = 0; i < args->ba_nmemmap; i++)
		printf("  base 0x%016llx length 0x%016llx type %u\n",
		    (unsigned long long)args->ba_memmap[i].bmr_base,
		    (unsigned long long)args->ba_memmap[i].bmr_length,
		    args->ba_memmap[i].bmr_type);
	for (unsigned i = 0; i < args->ba_nmodules; i++)
		printf("boot: module %u at 0x%llx-0x%llx \"%s\"\n", i,
		    (unsigned long long)args->ba_modules[i].bm_start,
		    (unsigned long long)args->ba_modules[i].bm_end,
		    args->ba_modules[i].bm_cmdline);
}

/* A boot-arg with a non-empty text value (a bare "tests" does not count). */
static bool
boot_arg_text(const char *name, char *buf, int size)
{
	return PE_parse_boot_arg_str(name, buf, size) && buf[0] != '\0';
}

static void
report_loader_problems(const struct boot_args *args)
{
	if (args->ba_flags & BOOT_ARGS_MALFORMED)
		printf("boot: the loader's information is malformed: %s; "
		    "using what could be read\n", args->ba_error);
	if (args->ba_flags & BOOT_ARGS_MODULES_TRUNCATED)
		printf("boot: more than %d modules; the rest are ignored\n",
		    BOOT_MODULES_MAX);
}

void
kernel_bootstrap(struct boot_args *args)
{
	char globs[256];

	milestone_tsc[MILESTONE_ENTRY] = args->ba_tsc_entry;

	/* The boot-args first: -v and debug= shape everything printed below. */
	PE_init_platform(args);
	debug_init();
	debug_exit_on_panic = boot_arg_text("tests", globs, sizeof(globs)) ||
	    boot_arg_text("bench", globs, sizeof(globs));

	/* The screen joins the serial console; then the banner. */
	PE_init_printf();
	milestone(MILESTONE_CONSOLE);
	printf("%s\n", version);
	report_loader_problems(args);
	(void)PE_boot_args_check();
	if (verbose_boot)
		print_boot_info(args);

	/* Time, before anything wants to measure itself; then the calendar. */
	rtclock_init();
	clock_init();

	/* Memory: vm_phys, the kernel's page tables, the heap. */
	if (vm_mem_bootstrap(args) != 0)
		machine_exit(MACHINE_EXIT_FAILURE);
	milestone(MILESTONE_MEMORY);

	/* debug=0x1 (DB_HALT): wait for gdb, now that the kernel's memory is mapped. */
	if (debug_boot_arg & DB_HALT)
		PE_enter_debugger_wait("debug=0x1");

	/* libkern's classes (OSString, OSDictionary, ...): needs kalloc. */
	OSMetaClass_init();

	/* ACPI, CPU protections, console input: needs the full direct map. */
	machine_init();

	/*
	 * Mach: kernel_task, the scheduler, and this code as its first thread
	 * (kernel_bootstrap goes on as that thread). Interrupts come on once
	 * the timer and the idle thread exist.
	 */
	locks_init();
	task_bootstrap();
	sched_init();
	thread_bootstrap();
	sched_startup();
	(void)ml_set_interrupts_enabled(TRUE);
	thread_init();
	ipc_bootstrap();


	/* The other CPUs, each joining the scheduler as it comes up. */
	machine_start_processors();

	/* The initrd: checked now, so a bad one is reported at boot. */
	initrd_init(args);

	/* The BSD layer: processes on tasks, files. */
	bsd_init();

	/*
	 * Start-up is done: lock the kernel's text and read-only data (Kernel
	 * Integrity Protection) before any test, user program or kext runs.
	 */
	pmap_kip_lockdown();

	/*
	 * The I/O Kit: its classes, the registry, services, the catalogue
	 * (which needs the kext catalog the BSD layer read). Matching starts
	 * here and may load driver kexts: after the lock.
	 */
	IOKitInitialize();

	/* The kexts boot asks for (OSBundleRequired, kext=): after the lock. */
	OSKextLoadBootKexts();

	milestone(MILESTONE_READY);
	if (verbose_boot)
		print_milestones();

	/*
	 * tests=user... selects the user tests, which /sbin/init runs: the boot
	 * goes on as usual (docs/userland.md).
	 */
	if (boot_arg_text("tests", globs, sizeof(globs)) && strncmp(globs, "user", 4) != 0)
		ktest_main(globs);
	if (boot_arg_text("bench", globs, sizeof(globs)))
		kbench_main(globs);
	/* init as pid 1, if there is one; the console when it exits, or without it. */
	load_init_program();
	kconsole_main();
}
