/*
 * machine_test.c - the machine layer as the running kernel finds it:
 * interrupts, descriptor tables, time, ACPI.
 */

#include "kernel/machine_routines.h"

#include "kernel/x86_64/acpi.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/trap.h"
#include "mach/kern/clock.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "tests/ktest.h"

KTEST(machine, interrupt_state_round_trips)
{
	boolean_t was = ml_set_interrupts_enabled(FALSE);

	KT_EXPECT_FALSE(ml_get_interrupts_enabled());
	KT_EXPECT_FALSE(ml_set_interrupts_enabled(TRUE));
	KT_EXPECT_TRUE(ml_get_interrupts_enabled());
	ml_set_interrupts_enabled(was);
}

/*
 * The kernel's inline ml_* calls (machine_routines_md.h) and the exported
 * functions kexts call agree, each seeing what the other did.
 */
KTEST(machine, inline_and_exported_calls_agree)
{
	boolean_t was = (ml_set_interrupts_enabled)(FALSE);

	KT_EXPECT_FALSE(ml_get_interrupts_enabled());
	KT_EXPECT_FALSE((ml_get_interrupts_enabled)());
	KT_EXPECT_FALSE(get_rflags() & RFLAGS_IF);
	KT_EXPECT_FALSE(ml_set_interrupts_enabled(TRUE));
	KT_EXPECT_TRUE((ml_get_interrupts_enabled)());
	KT_EXPECT_TRUE(get_rflags() & RFLAGS_IF);
	KT_EXPECT_TRUE((ml_set_interrupts_enabled)(FALSE));
	KT_EXPECT_FALSE(ml_get_interrupts_enabled());
	KT_EXPECT_EQ(cpu_number(), (cpu_number)());
	KT_EXPECT_EQ((int)cpu_number(), current_processor()->cpu_id);
	KT_EXPECT_EQ(current_task(), (current_task)());
	KT_EXPECT_EQ(current_task(), current_thread()->task);
	(ml_set_interrupts_enabled)(was);
}

/* CPU 0 is the bootstrap processor (IA32_APIC_BASE's BSP bit). */
KTEST(machine, boot_cpu_is_cpu_zero)
{
	processor_t prev = thread_bind(&processor_array[0]);

	while (current_processor() != &processor_array[0])
		(void)thread_block(THREAD_CONTINUE_NULL);
	KT_EXPECT_EQ(cpu_number(), 0);
	KT_EXPECT_TRUE(rdmsr(MSR_APIC_BASE) & (1ULL << 8));
	(void)thread_bind(prev);
}

KTEST(machine, tss_is_loaded)
{
	uint16_t tr;

	__asm__ volatile("str %0" : "=r"(tr));
	KT_EXPECT_EQ(tr, KERNEL_TSS);
}

KTEST(machine, gdt_has_the_syscall_layout)
{
	struct x86_desc_ptr gdtr;
	const uint64_t *gdt;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	gdt = (const uint64_t *)gdtr.base;
	KT_EXPECT_GE(gdtr.limit + 1, GDT_ENTRIES * 8);
	/* Long-mode code segments have L set; user ones DPL 3. */
	KT_EXPECT_TRUE(gdt[KERNEL64_CS / 8] & (1ULL << 53));
	KT_EXPECT_TRUE(gdt[USER64_CS / 8] & (1ULL << 53));
	KT_EXPECT_EQ((gdt[USER64_CS / 8] >> 45) & 3, 3);
	KT_EXPECT_EQ(USER64_CS - 16, USER32_CS);	/* sysret's layout */
	KT_EXPECT_EQ(USER_DS - 8, USER32_CS);
}

KTEST(machine, fault_vectors_run_on_their_own_stacks)
{
	struct x86_desc_ptr idtr;
	const uint8_t *idt;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	idt = (const uint8_t *)idtr.base;
	KT_EXPECT_EQ(idtr.limit + 1, 256 * 16);
	KT_EXPECT_EQ(idt[T_DOUBLE_FAULT * 16 + 4] & 7, IST_DOUBLE_FAULT);
	KT_EXPECT_EQ(idt[T_NMI * 16 + 4] & 7, IST_NMI);
	KT_EXPECT_EQ(idt[T_PAGE_FAULT * 16 + 4] & 7, 0);
}

KTEST(machine, nx_is_on)
{
	KT_EXPECT_TRUE(rdmsr(MSR_EFER) & EFER_NXE);
	KT_EXPECT_TRUE(get_cr0() & CR0_WP);
}

KTEST(machine, absolute_time_advances_in_nanoseconds)
{
	mach_timebase_info_data_t tb;
	uint64_t t0 = mach_absolute_time(), t1, ns;

	clock_timebase_info(&tb);
	KT_EXPECT_EQ(tb.numer, 1);
	KT_EXPECT_EQ(tb.denom, 1);
	KT_EXPECT_GT(rtclock_tsc_hz(), 100000000ULL);	/* > 100 MHz */
	do
		t1 = mach_absolute_time();
	while (t1 == t0);
	KT_EXPECT_GT(t1, t0);
	absolutetime_to_nanoseconds(t1 - t0, &ns);
	KT_EXPECT_EQ(ns, t1 - t0);
	nanoseconds_to_absolutetime(1000, &ns);
	KT_EXPECT_EQ(ns, 1000);
}

KTEST(machine, trap_names)
{
	KT_EXPECT_STREQ(trap_name(T_PAGE_FAULT), "page fault");
	KT_EXPECT_STREQ(trap_name(T_DOUBLE_FAULT), "double fault");
	KT_EXPECT_STREQ(trap_name(15), "reserved");
	KT_EXPECT_STREQ(trap_name(40), "interrupt");
}

KTEST(acpi, qemu_tables_are_found)
{
	const struct acpi_header *fadt = acpi_find_table("FACP", 0);

	KT_ASSERT_TRUE(fadt != NULL);
	KT_EXPECT_GE(fadt->length, 116);
	KT_EXPECT_TRUE(acpi_find_table("APIC", 0) != NULL);
	KT_EXPECT_TRUE(acpi_find_table("DSDT", 0) != NULL);
	KT_EXPECT_TRUE(acpi_find_table("NONE", 0) == NULL);
	KT_EXPECT_GE(acpi_table_count(), 3);
}

KTEST(acpi, s5_is_read_from_the_dsdt)
{
	const struct acpi_header *dsdt = acpi_find_table("DSDT", 0);
	uint8_t a = 0xee, b = 0xee;

	KT_ASSERT_TRUE(dsdt != NULL);
	KT_EXPECT_EQ(acpi_parse_s5((const uint8_t *)(dsdt + 1), dsdt->length - sizeof(*dsdt),
	    &a, &b), 0);
	/* QEMU's chipsets power off on SLP_TYP 0. */
	KT_EXPECT_EQ(a, 0);
}
