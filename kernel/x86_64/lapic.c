/*
 * lapic.c - local APIC set-up for virtual-wire mode.
 */

#include "kernel/x86_64/lapic.h"

#include <stdint.h>

#include "kernel/x86_64/cpu.h"
#include "mach/vm/pmap.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_ENABLE	(1UL << 11)
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000UL

#define LAPIC_TPR		0x080
#define LAPIC_SVR		0x0f0
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define SVR_ENABLE		0x100
#define LVT_EXTINT		0x700
#define LVT_NMI			0x400

static void
lapic_write(volatile uint32_t *base, uint32_t reg, uint32_t value)
{
	base[reg / 4] = value;
}

void
lapic_init(void)
{
	uint32_t r[4];
	uint64_t msr;
	volatile uint32_t *base;

	cpuid(1, 0, r);
	if (!(r[3] & (1u << 9)))	/* no local APIC: the 8259 wires straight in */
		return;
	msr = rdmsr(MSR_APIC_BASE);
	if (!(msr & APIC_BASE_ENABLE))
		return;
	if (!pmap_physmap_contains(msr & APIC_BASE_ADDR_MASK, PAGE_SIZE))
		return;
	base = phystokv(msr & APIC_BASE_ADDR_MASK);
	lapic_write(base, LAPIC_TPR, 0);
	lapic_write(base, LAPIC_LVT_LINT0, LVT_EXTINT);
	lapic_write(base, LAPIC_LVT_LINT1, LVT_NMI);
	lapic_write(base, LAPIC_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
}
