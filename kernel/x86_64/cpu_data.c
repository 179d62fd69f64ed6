/*
 * cpu_data.c - the boot CPU's per-CPU block.
 */

#include "kernel/x86_64/cpu_data.h"

#include <stddef.h>

#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"

struct cpu_data cpu_data_master;
static struct x86_cpu_desc cpu_desc_master;

void
cpu_data_init_bsp(void)
{
	cpu_data_master.cpu_this = &cpu_data_master;
	cpu_data_master.cpu_number = 0;
	cpu_data_master.cpu_desc = &cpu_desc_master;
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu_data_master);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	gdt_init(&cpu_desc_master, NULL);
}
