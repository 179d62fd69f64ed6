/*
 * lapic.c - local APIC set-up for virtual-wire mode.
 */

#include "kernel/x86_64/lapic.h"

#include <stdint.h>

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "mach/kern/clock.h"
#include "mach/vm/pmap.h"

#define APIC_BASE_ENABLE	(1UL << 11)
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000UL

#define LAPIC_ID		0x020
#define LAPIC_TPR		0x080
#define LAPIC_ICR_LOW		0x300
#define LAPIC_ICR_HIGH		0x310
#define ICR_DELIVERY_PENDING	0x1000
#define ICR_ASSERT		0x4000
#define ICR_LEVEL		0x8000
#define ICR_INIT		0x500
#define ICR_STARTUP		0x600
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_TIMER_INITIAL	0x380
#define LAPIC_TIMER_CURRENT	0x390
#define LAPIC_TIMER_DIVIDE	0x3e0
#define SVR_ENABLE		0x100
#define LVT_EXTINT		0x700
#define LVT_NMI			0x400
#define LVT_MASKED		0x10000
#define TIMER_DIVIDE_BY_16	0x3
#define CALIBRATE_NS		2000000ULL	/* 2 ms */

static struct {
	volatile uint32_t	*base;		/* [I] NULL without an APIC */
	uint64_t		ticks_per_ms;	/* [I] APIC timer rate, divided by 16 */
} lapic;

static void
lapic_write(volatile uint32_t *base, uint32_t reg, uint32_t value)
{
	base[reg / 4] = value;
}

static uint32_t
lapic_read(volatile uint32_t *base, uint32_t reg)
{
	return base[reg / 4];
}

void
lapic_eoi(void)
{
	if (lapic.base != NULL)
		lapic_write(lapic.base, LAPIC_EOI, 0);
}

/* Ticks of the APIC timer (divide by 16) in CALIBRATE_NS of TSC time. */
static uint64_t
lapic_timer_measure(void)
{
	uint64_t start, end;

	lapic_write(lapic.base, LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	lapic_write(lapic.base, LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(lapic.base, LAPIC_TIMER_INITIAL, 0xffffffff);
	start = mach_absolute_time();
	do
		end = mach_absolute_time();
	while (end - start < CALIBRATE_NS);
	return 0xffffffffULL - lapic_read(lapic.base, LAPIC_TIMER_CURRENT);
}

void
lapic_timer_init(void)
{
	if (lapic.base == NULL)
		panic("lapic_timer_init: the scheduler needs a local APIC");
	if (lapic.ticks_per_ms == 0) {
		uint64_t ticks = lapic_timer_measure();

		lapic.ticks_per_ms = ticks * 1000000ULL / CALIBRATE_NS;
		if (lapic.ticks_per_ms == 0)
			panic("lapic_timer_init: the APIC timer does not count");
		if (verbose_boot)
			printf("lapic: timer at %llu kHz (divided by 16)\n",
			    (unsigned long long)lapic.ticks_per_ms);
	}
	lapic_write(lapic.base, LAPIC_TIMER_INITIAL, 0);
	lapic_write(lapic.base, LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	lapic_write(lapic.base, LAPIC_LVT_TIMER, LAPIC_TIMER_VECTOR);	/* one-shot */
	current_cpu_datap()->cpu_timer_deadline = 0;			/* not armed */
}

/*
 * Under emulation a write to the timer's count is dear (QEMU works out the
 * expiry in its own code: about 1.4 us under TCG), and the scheduler asks
 * for a deadline at every thread_block, mostly the same one or a later
 * one (a new quantum). So the write is left out when the timer is already
 * armed to fire by the deadline asked for: if it fires first, the
 * interrupt finds nothing due and sched_timer_interrupt asks again.
 * Called with interrupts off.
 */
void
lapic_timer_set_deadline(uint64_t deadline)
{
	struct cpu_data *cd = current_cpu_datap();
	uint64_t now, ticks;

	if (cd->cpu_timer_deadline != 0 && deadline >= cd->cpu_timer_deadline)
		return;
	cd->cpu_timer_deadline = 0;
	if (deadline == UINT64_MAX) {
		lapic_write(lapic.base, LAPIC_TIMER_INITIAL, 0);	/* stopped */
		return;
	}
	now = mach_absolute_time();
	ticks = deadline > now ? (deadline - now) * lapic.ticks_per_ms / 1000000ULL : 0;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffULL)
		ticks = 0xffffffffULL;	/* fires early; the handler re-arms */
	lapic_write(lapic.base, LAPIC_TIMER_INITIAL, (uint32_t)ticks);
	cd->cpu_timer_deadline = deadline != 0 ? deadline : 1;
}

void
lapic_timer_fired(void)
{
	current_cpu_datap()->cpu_timer_deadline = 0;
}

uint32_t
lapic_id(void)
{
	return lapic.base != NULL ? lapic_read(lapic.base, LAPIC_ID) >> 24 : 0;
}

/* Wait for the previous IPI to leave (bounded: a stuck APIC must not hang us). */
static void
icr_wait(void)
{
	for (int i = 0; i < 1000000; i++) {
		if (!(lapic_read(lapic.base, LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING))
			return;
		__asm__ volatile("pause");
	}
}

static void
icr_send(uint32_t apic_id, uint32_t low)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	icr_wait();
	lapic_write(lapic.base, LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(lapic.base, LAPIC_ICR_LOW, low);
	icr_wait();
	ml_set_interrupts_enabled(s);
}

void
lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	if (lapic.base != NULL)
		icr_send(apic_id, ICR_ASSERT | vector);
}

void
lapic_start_ap(uint32_t apic_id, uint32_t start_page)
{
	/* Intel's sequence: INIT, 10 ms, STARTUP, 200 us, STARTUP. */
	icr_send(apic_id, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
	delay(10000);
	icr_send(apic_id, ICR_STARTUP | (start_page >> 12));
	delay(200);
	icr_send(apic_id, ICR_STARTUP | (start_page >> 12));
}

void
lapic_mask_extint(void)
{
	if (lapic.base != NULL)
		lapic_write(lapic.base, LAPIC_LVT_LINT0, LVT_MASKED);
}

void
lapic_init(boolean_t boot_cpu)
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
	lapic.base = base;
	lapic_write(base, LAPIC_TPR, 0);
	lapic_write(base, LAPIC_LVT_LINT0, boot_cpu ? LVT_EXTINT : LVT_MASKED);
	lapic_write(base, LAPIC_LVT_LINT1, LVT_NMI);
	lapic_write(base, LAPIC_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
}
