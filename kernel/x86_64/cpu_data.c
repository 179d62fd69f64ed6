/*
 * cpu_data.c - the per-CPU blocks and descriptor tables, one per CPU.
 */

#include "kernel/x86_64/cpu_data.h"

#include <stddef.h>

#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/idt.h"
#include "libkern/string.h"
#include "mach/kern/processor.h"

static struct cpu_data cpu_data_array[MAX_CPUS];
static struct x86_cpu_desc cpu_desc_array[MAX_CPUS];

struct cpu_data *
cpu_datap(unsigned n)
{
	return &cpu_data_array[n];
}

static void
cpu_data_fill(unsigned n, uint32_t apic_id)
{
	struct cpu_data *cd = &cpu_data_array[n];

	memset(cd, 0, sizeof(*cd));
	cd->cpu_this = cd;
	cd->cpu_number = n;
	cd->cpu_apic_id = apic_id;
	cd->cpu_processor = &processor_array[n];
	cd->cpu_desc = &cpu_desc_array[n];
}

void
cpu_data_init_bsp(void)
{
	cpu_data_fill(0, 0);
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu_data_array[0]);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	gdt_init(&cpu_desc_array[0], NULL);
	cpu_data_array[0].cpu_running = 1;
}

struct cpu_data *
cpu_data_init_ap(unsigned n, uint32_t apic_id, const vm_offset_t *ist_guard)
{
	struct cpu_data *cd = &cpu_data_array[n];

	cpu_data_fill(n, apic_id);
	/* The TSS's IST pointers are filled now; the CPU loads them itself. */
	for (int i = 0; i < IST_COUNT; i++)
		cd->cpu_desc->cd_ist_guard[i] = ist_guard[i];
	return cd;
}

void
cpu_data_start_ap(struct cpu_data *cd)
{
	vm_offset_t guards[IST_COUNT];

	for (int i = 0; i < IST_COUNT; i++)
		guards[i] = cd->cpu_desc->cd_ist_guard[i];
	wrmsr(MSR_GS_BASE, (uint64_t)cd);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	gdt_init(cd->cpu_desc, guards);
	idt_load();
}
