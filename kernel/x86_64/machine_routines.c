/*
 * machine_routines.c - the ml_* contract on x86-64, and powering off.
 */

#include "kernel/machine_routines.h"

#include "kernel/x86_64/acpi.h"
#include "kernel/x86_64/lapic.h"
#include "kernel/x86_64/mp.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "libkern/string.h"
#include "mach/kern/processor.h"

/* QEMU's isa-debug-exit device, as tests/run.py configures it. */
#define DEBUG_EXIT_PORT		0xf4
#define PCI_RESET_PORT		0xcf9
#define KBC_STATUS		0x64
#define KBC_RESET		0xfe

/*
 * The out-of-line ml_set_interrupts_enabled, ml_get_interrupts_enabled and
 * cpu_number, for kexts and gdb; the kernel itself uses the inline bodies
 * of machine_routines_md.h (the parentheses keep its macros off these).
 */
boolean_t
(ml_set_interrupts_enabled)(boolean_t enable)
{
	return ml_set_interrupts_enabled_fast(enable);
}

boolean_t
(ml_get_interrupts_enabled)(void)
{
	return ml_get_interrupts_enabled_fast();
}

boolean_t
ml_at_interrupt_context(void)
{
	return current_cpu_datap()->cpu_interrupt_level > 0;
}

unsigned int
(cpu_number)(void)
{
	return get_cpu_number();
}

void
ml_cpu_pause(void)
{
	__asm__ volatile("pause");
	/* A CPU spinning with interrupts off still answers TLB shootdowns. */
	mp_tlb_service();
}

void
ml_cpu_brand_string(char *buf, unsigned long size)
{
	uint32_t r[12];
	const char *s = (const char *)r;
	unsigned long i = 0;

	if (size == 0)
		return;
	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000004) {
		strlcpy(buf, "unknown", size);
		return;
	}
	cpuid(0x80000002, 0, &r[0]);
	cpuid(0x80000003, 0, &r[4]);
	cpuid(0x80000004, 0, &r[8]);
	while (i < sizeof(r) && s[i] == ' ')
		i++;
	strlcpy(buf, "", size);
	for (unsigned long o = 0; i < sizeof(r) && s[i] != '\0' && o + 1 < size; i++, o++) {
		buf[o] = s[i];
		buf[o + 1] = '\0';
	}
}

void
ml_wait_for_interrupt(void)
{
	/* sti takes effect after the next instruction: no wake-up is lost. */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

void
machine_idle(void)
{
	/* mp_cr3_mark_active, at the switch to whatever runs next, undoes it. */
	__atomic_store_n(&current_cpu_datap()->cpu_cr3_inactive, 1, __ATOMIC_SEQ_CST);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

void
ml_halt_cpu(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void
ml_timer_init(void)
{
	lapic_timer_init();
}

void
ml_timer_set_deadline(uint64_t deadline)
{
	lapic_timer_set_deadline(deadline);
}

void
machine_start_processors(void)
{
	mp_start_processors();
}

void
machine_halt_other_cpus(void)
{
	mp_halt_others();
}

const void *
machine_halted_state(unsigned cpu)
{
	if (cpu >= processor_count || cpu == cpu_number() || !cpu_datap(cpu)->cpu_running)
		return NULL;
	return __atomic_load_n(&cpu_datap(cpu)->cpu_halt_state, __ATOMIC_ACQUIRE);
}

unsigned
machine_cpu_count(void)
{
	return processor_count;
}

uint32_t
ml_cpu_apic_id(unsigned cpu)
{
	if (cpu >= processor_count)
		return UINT32_MAX;
	return cpu_datap(cpu)->cpu_apic_id;
}

const void *
ml_firmware_table(unsigned index, uint32_t *length)
{
	const struct acpi_header *h = acpi_table_at(index);

	if (h == NULL)
		return NULL;
	*length = h->length;
	return h;
}

uint8_t
ml_io_read8(uint16_t port)
{
	return inb(port);
}

uint16_t
ml_io_read16(uint16_t port)
{
	return inw(port);
}

uint32_t
ml_io_read32(uint16_t port)
{
	return inl(port);
}

void
ml_io_write8(uint16_t port, uint8_t value)
{
	outb(port, value);
}

void
ml_io_write16(uint16_t port, uint16_t value)
{
	outw(port, value);
}

void
ml_io_write32(uint16_t port, uint32_t value)
{
	outl(port, value);
}

/* QEMU's pvpanic ISA device: reading its port gives the events it takes. */
#define PVPANIC_PORT		0x505
#define PVPANIC_PANICKED	0x1

void
machine_panic_notify(void)
{
	uint8_t caps = inb(PVPANIC_PORT);

	/* No device reads as all ones. */
	if (caps != 0xff && (caps & PVPANIC_PANICKED))
		outb(PVPANIC_PORT, PVPANIC_PANICKED);
}

void
machine_poweroff(void)
{
	(void)ml_set_interrupts_enabled(FALSE);
	acpi_poweroff();
	/* QEMU's PIIX4 and ICH9 power management, if the tables were no help. */
	outw(0x604, 0x2000);
	ml_halt_cpu();
}

void
machine_exit(int status)
{
	(void)ml_set_interrupts_enabled(FALSE);
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	machine_poweroff();
}

void
machine_reboot(void)
{
	static const struct x86_desc_ptr no_idt = { 0, 0 };

	(void)ml_set_interrupts_enabled(FALSE);
	acpi_reset();
	outb(PCI_RESET_PORT, 0x02);
	outb(PCI_RESET_PORT, 0x06);		/* full reset through the chipset */
	for (int i = 0; i < 100000 && (inb(KBC_STATUS) & 0x02); i++)
		continue;
	outb(KBC_STATUS, KBC_RESET);		/* the keyboard controller's pulse */
	/* Last resort: a triple fault through an empty IDT. */
	lidt(&no_idt);
	__asm__ volatile("int3");
	ml_halt_cpu();
}

uint64_t
ml_cpu_hwcap(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return r[3];
}
