/*
 * start.c - the first C code: from boot32.asm's long-mode jump to
 * kernel_bootstrap().
 *
 * It runs on the boot stack with the loader-time page tables (the low 4 GiB
 * at PHYSMAP_BASE). In order:
 *   1. the per-CPU block, GDT, TSS and IDT, so that a fault from here on
 *      panics with a report instead of triple-faulting;
 *   2. the 8259s remapped and masked, so no stray IRQ lands on an exception
 *      vector;
 *   3. COM1, the first console, so the report has somewhere to go;
 *   4. the loader's information, copied into one struct boot_args;
 *   5. kernel_bootstrap(), the machine-independent start-up.
 */

#include <stdint.h>

#include "kernel/boot_args.h"
#include "kernel/console.h"
#include "kernel/copyio.h"
#include "kernel/debug.h"
#include "kernel/machine_routines.h"
#include "kernel/pexpert.h"
#include "kernel/random.h"
#include "kernel/startup.h"
#include "kernel/x86_64/acpi.h"
#include "kernel/x86_64/boot_info.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/fpu.h"
#include "kernel/x86_64/idt.h"
#include "kernel/x86_64/lapic.h"
#include "kernel/x86_64/ml_interrupt.h"
#include "kernel/x86_64/pic.h"
#include "kernel/x86_64/pmap_md.h"
#include "kernel/x86_64/serial.h"
#include "kernel/x86_64/syscall.h"
#include "kernel/x86_64/vga_text.h"
#include "kernel/x86_64/vm_param.h"
#include "libkern/assert.h"

void x86_64_boot_start(uint32_t loader, uint32_t info_phys) __dead2;

/* Written by boot32.asm, in the identity-mapped boot segment. */
extern uint64_t boot_tsc_entry;

static_assert(BOOT_LOADER_MULTIBOOT2 == 1 && BOOT_LOADER_PVH == 2,
    "boot/boot.inc has the same loader numbers");

static struct boot_args boot_args_store;

/* What the loader-time tables reach: the low 4 GiB at PHYSMAP_BASE. */
static const void *
early_phys_map(uint64_t pa, uint64_t len)
{
	if (pa + len < pa || pa + len > (1ULL << 32))
		return NULL;
	return (const void *)(PHYSMAP_BASE + pa);
}

/*
 * Unprotected, like its caller: it changes the guard, which any protected
 * frame live across the change would find stale on its way out.
 */
__attribute__((no_stack_protector)) static inline void
stack_guard_init(void)
{
	uintptr_t guard;

	read_random(&guard, sizeof(guard));
	/* A zero byte first stops string overruns at the guard (as glibc's does). */
	__stack_chk_guard = guard & ~(uintptr_t)0xff;
}

__attribute__((no_stack_protector)) void
x86_64_boot_start(uint32_t loader, uint32_t info_phys)
{
	struct boot_args *ba = &boot_args_store;
	const void *info = early_phys_map(info_phys, 64);
	int rc = -1;

	stack_guard_init();
	cpu_data_init_bsp();
	idt_init();
	pic_init();
	serial_init();

	ba->ba_tsc_entry = boot_tsc_entry;
	/* multiboot2 information is as long as its first word says: all mapped? */
	if (info != NULL && loader == BOOT_LOADER_MULTIBOOT2 &&
	    early_phys_map(info_phys, MIN(*(const uint32_t *)info, MULTIBOOT2_INFO_MAX)) == NULL)
		info = NULL;
	if (info == NULL)
		printf("boot: the loader's information at 0x%x is unreachable\n", info_phys);
	else if (loader == BOOT_LOADER_MULTIBOOT2)
		rc = boot_info_parse_multiboot2(info, ba);
	else if (loader == BOOT_LOADER_PVH)
		rc = boot_info_parse_pvh(info, early_phys_map, ba);
	if (rc != 0)
		printf("boot: could not read the loader's information (%s)\n",
		    ba->ba_error[0] != '\0' ? ba->ba_error : "unknown loader");
	kernel_bootstrap(ba);
}

void
PE_init_printf(void)
{
	const struct boot_framebuffer *fb = &PE_state.bootArgs->ba_framebuffer;

	if (vga_text_init(fb) != 0 && verbose_boot)
		printf("console: %ux%u graphics framebuffer; no screen console on it yet\n",
		    fb->bf_width, fb->bf_height);
}

/* SMEP and SMAP when the CPU has them: the kernel never runs or touches user pages. */
static void
cpu_protections_init(void)
{
	uint32_t r[4];
	uint64_t cr4 = get_cr4();

	cpuid(0, 0, r);
	if (r[0] < 7)
		return;
	cpuid(7, 0, r);
	if (r[1] & (1u << 7))
		cr4 |= CR4_SMEP;
	if (r[1] & (1u << 20))
		cr4 |= CR4_SMAP;
	set_cr4(cr4);
	copyio_init();
	if (verbose_boot)
		printf("cpu: SMEP %s, SMAP %s, NX %s\n", (cr4 & CR4_SMEP) ? "on" : "absent",
		    (cr4 & CR4_SMAP) ? "on" : "absent",
		    (rdmsr(MSR_EFER) & EFER_NXE) ? "on" : "absent");
}

void
machine_init(void)
{
	cpu_protections_init();
	pmap_cr3_policy_init();
	/* User mode's machinery (the other CPUs do the same as they come up). */
	init_fpu();
	fpu_module_init();
	syscall_cpu_init();
	acpi_init(PE_state.bootArgs);
	lapic_init(TRUE);
	ml_interrupt_controller_init();
	serial_enable_input_interrupt();
}
