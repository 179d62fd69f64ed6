/*
 * mp.c - more than one CPU: finding them (the ACPI MADT), starting them
 * (INIT and STARTUP IPIs into mp_boot.asm), and talking to them (IPIs for
 * rescheduling, TLB shootdown and stopping).
 *
 * The application processors are started one at a time, each on its idle
 * thread's stack, and each waits for nothing but its own start: once it
 * has loaded its descriptor tables and timer it joins the scheduler as an
 * idle processor and steals work (sched_prim.c).
 *
 * TLB shootdown: one request at a time (the shootdown lock); the initiator
 * names the CPUs, sends them IPI_TLB_VECTOR and waits until each has
 * flushed and cleared its bit. A target spinning on a lock with interrupts
 * off would never take the IPI, so every spin loop (ml_cpu_pause) also
 * serves a pending request: no shootdown can deadlock on a lock.
 */

#include "kernel/x86_64/mp.h"

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/machine_routines.h"
#include "kernel/pexpert.h"
#include "kernel/x86_64/acpi.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/fpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/lapic.h"
#include "kernel/x86_64/pmap_md.h"
#include "kernel/x86_64/syscall.h"
#include "kernel/x86_64/vm_param.h"
#include "libkern/string.h"
#include "mach/kern/clock.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/simple_lock.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
#include "mach/vm/vm_kern.h"
#include "mach/vm/vm_page.h"

#define MP_TRAMPOLINE_PADDR	0x8000		/* a page below 1 MiB, kept out of vm_phys */
#define MP_START_TIMEOUT_NS	(500ULL * 1000 * 1000)

BOOT_ARG(cpus, "cpus", BOOT_ARG_NUMBER, 4, "use at most this many CPUs");

/* The trampoline's data block (mp_boot.asm's tr_gdtr ... tr_entry). */
struct __attribute__((packed)) mp_trampoline_data {
	uint16_t	gdt_limit;
	uint32_t	gdt_base;
	uint16_t	pad0;
	uint32_t	pm32_offset;
	uint16_t	pm32_selector;
	uint16_t	pad1;
	uint32_t	lm_offset;
	uint16_t	lm_selector;
	uint16_t	pad2;
	uint32_t	cr3;
	uint32_t	efer;
	uint64_t	stack;
	uint64_t	cpu_data;
	uint64_t	entry;
};
static_assert(sizeof(struct mp_trampoline_data) == 56, "mp_boot.asm's data block");

extern const char mp_trampoline_start[], mp_trampoline_end[];
extern const uint32_t mp_trampoline_offsets[4];	/* gdt, pm32, lm64, data */

void x86_64_ap_start(struct cpu_data *cd) __dead2;

/* The shootdown request: [D] the shootdown lock, [a] pending bits. */
static struct {
	hw_lock_data_t		lock;
	volatile uint64_t	pending;	/* [a] CPUs yet to flush */
	pmap_paddr_t		pml4;		/* [D] 0: the kernel's (all address spaces) */
	vm_offset_t		start, end;	/* [D] */
	boolean_t		release;	/* [D] unload pml4 instead of flushing */
} shootdown = { .lock = HW_LOCK_INITIALIZER };

static uint64_t boot_cr4;	/* [I] what every CPU runs with */

/* --- finding CPUs ---------------------------------------------------------- */

#define MADT_LOCAL_APIC		0
#define MADT_LOCAL_X2APIC	9
#define MADT_ENABLED		0x1
#define MADT_ONLINE_CAPABLE	0x2

/* The APIC ids of the usable CPUs in the MADT, the boot CPU first. */
static unsigned
madt_cpus(uint32_t *ids, unsigned max)
{
	const struct acpi_header *madt = acpi_find_table("APIC", 0);
	const uint8_t *p, *end;
	uint32_t self = lapic_id();
	unsigned n = 1;

	ids[0] = self;
	if (madt == NULL)
		return 1;
	p = (const uint8_t *)madt + sizeof(*madt) + 8;	/* past the APIC address and flags */
	end = (const uint8_t *)madt + madt->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		uint32_t id = UINT32_MAX, flags = 0;

		if (p[0] == MADT_LOCAL_APIC && p[1] >= 8) {
			id = p[3];
			memcpy(&flags, p + 4, 4);
		} else if (p[0] == MADT_LOCAL_X2APIC && p[1] >= 16) {
			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
		}
		if (id != UINT32_MAX && id != self && (flags & MADT_ENABLED) && n < max)
			ids[n++] = id;
		p += p[1];
	}
	return n;
}

/* --- starting them --------------------------------------------------------- */

/*
 * A page table the APs start on: the kernel's half, and the trampoline's
 * page identity-mapped (as a 2 MiB page) so that enabling paging does not
 * pull the code out from under the CPU.
 */
static pmap_paddr_t
trampoline_page_table(pmap_paddr_t pt[3])
{
	uint64_t *pml4, *pdpt, *pd;

	for (int i = 0; i < 3; i++) {
		if (vm_page_alloc_contig(1, 1, VM_PAGE_USE_PAGETABLE, &pt[i]) != KERN_SUCCESS ||
		    pt[i] >= (1ULL << 32))
			panic("mp: no page below 4 GiB for the APs' start-up page table");
		memset(phystokv(pt[i]), 0, PAGE_SIZE);
	}
	pml4 = phystokv(pt[0]);
	pdpt = phystokv(pt[1]);
	pd = phystokv(pt[2]);
	memcpy(pml4 + 256, (uint64_t *)phystokv(get_cr3() & PTE_ADDR_MASK) + 256,
	    256 * sizeof(uint64_t));
	pml4[0] = pt[1] | PTE_P | PTE_W;
	pdpt[0] = pt[2] | PTE_P | PTE_W;
	pd[0] = 0 | PTE_P | PTE_W | PTE_PS;
	return pt[0];
}

static void
trampoline_install(pmap_paddr_t cr3)
{
	size_t size = (size_t)(mp_trampoline_end - mp_trampoline_start);
	uint8_t *page = phystokv(MP_TRAMPOLINE_PADDR);
	struct mp_trampoline_data *d;

	memcpy(page, mp_trampoline_start, size);
	d = (struct mp_trampoline_data *)(void *)(page + mp_trampoline_offsets[3]);
	d->gdt_base = MP_TRAMPOLINE_PADDR + mp_trampoline_offsets[0];
	d->pm32_offset = MP_TRAMPOLINE_PADDR + mp_trampoline_offsets[1];
	d->lm_offset = MP_TRAMPOLINE_PADDR + mp_trampoline_offsets[2];
	d->cr3 = (uint32_t)cr3;
	d->efer = (uint32_t)(rdmsr(MSR_EFER) & (EFER_NXE | (1UL << 8)));	/* NXE, LME */
	d->entry = (uint64_t)x86_64_ap_start;
}

/* Start CPU n, the one with apic_id. TRUE once it reports in. */
static boolean_t
start_cpu(unsigned n, uint32_t apic_id)
{
	struct mp_trampoline_data *d = (void *)((uint8_t *)phystokv(MP_TRAMPOLINE_PADDR) +
	    mp_trampoline_offsets[3]);
	vm_offset_t guards[IST_COUNT];
	struct cpu_data *cd;
	thread_t idle;
	uint64_t deadline;

	for (int i = 0; i < IST_COUNT; i++) {
		vm_offset_t stack;

		if (kernel_memory_allocate(kernel_map, &stack, IST_STACK_SIZE, 0,
		    KMA_GUARD_FIRST) != KERN_SUCCESS)
			return FALSE;
		guards[i] = stack - PAGE_SIZE;
	}
	processor_init(&processor_array[n], (int)n);
	if (kernel_thread_create_idle(&processor_array[n], &idle) != KERN_SUCCESS)
		return FALSE;
	processor_array[n].idle_thread = idle;
	cd = cpu_data_init_ap(n, apic_id, guards);
	d->stack = idle->kernel_stack + idle->kernel_stack_size;
	d->cpu_data = (uint64_t)cd;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_start_ap(apic_id, MP_TRAMPOLINE_PADDR);
	deadline = mach_absolute_time() + MP_START_TIMEOUT_NS;
	while (!__atomic_load_n(&cd->cpu_running, __ATOMIC_ACQUIRE)) {
		if (mach_absolute_time() > deadline)
			return FALSE;
		ml_cpu_pause();
	}
	return TRUE;
}

void
mp_start_processors(void)
{
	uint32_t ids[MAX_CPUS];
	pmap_paddr_t pt[3];
	unsigned n, limit = MAX_CPUS, online = 1;

	boot_cr4 = get_cr4();
	cpu_datap(0)->cpu_apic_id = lapic_id();
	if (PE_parse_boot_argn("cpus", &limit, sizeof(limit)) && limit == 0)
		limit = 1;
	n = madt_cpus(ids, MIN(limit, (unsigned)MAX_CPUS));
	if (n == 1)
		return;
	trampoline_install(trampoline_page_table(pt));
	for (unsigned i = 1; i < n; i++) {
		if (start_cpu(online, ids[i]))
			online++;
		else
			printf("mp: the CPU with APIC id %u did not start; going on without "
			    "it\n", ids[i]);
	}
	for (int i = 0; i < 3; i++)
		vm_page_free_contig(pt[i], 1);
	printf("mp: %u CPUs online\n", online);
}

void
x86_64_ap_start(struct cpu_data *cd)
{
	cpu_data_start_ap(cd);
	set_cr4(boot_cr4);
	init_fpu();			/* the FPU and XCR0, as on the boot CPU */
	syscall_cpu_init();		/* the syscall MSRs, likewise */
	set_cr3(kernel_pmap_pml4());
	pmap_cr3_policy_cpu_init();
	lapic_init(FALSE);
	ml_timer_init();
	__atomic_store_n(&cd->cpu_running, 1, __ATOMIC_RELEASE);
	processor_start();		/* the idle loop, for good */
}

/* --- talking to them ------------------------------------------------------- */

void
machine_signal_processor(int cpu)
{
	struct cpu_data *cd = cpu_datap((unsigned)cpu);

	if (cd->cpu_running)
		lapic_send_ipi(cd->cpu_apic_id, IPI_RESCHEDULE_VECTOR);
}

/* Flush what the pending request asks, if it asks this CPU. */
void
mp_tlb_service(void)
{
	uint64_t me = 1ULL << cpu_number();

	if (!(__atomic_load_n(&shootdown.pending, __ATOMIC_ACQUIRE) & me))
		return;
	if (shootdown.release)
		pmap_release_local(shootdown.pml4);
	else if (shootdown.pml4 == 0 || (get_cr3() & PTE_ADDR_MASK) == shootdown.pml4)
		pmap_tlb_flush_local(shootdown.pml4 == 0, shootdown.start, shootdown.end);
	__atomic_and_fetch(&shootdown.pending, ~me, __ATOMIC_RELEASE);
}

/*
 * Idle CPUs and user shootdowns (XNU's CPU_CR3_MARK_INACTIVE): a CPU in
 * machine_idle keeps the last user pmap loaded but runs nothing that uses
 * it. A shootdown of a user pmap does not interrupt it, and does not wait
 * for it (which, on a host that has descheduled that virtual CPU, can take
 * milliseconds): it sets cpu_tlb_invalid, and the CPU flushes before it
 * runs another thread. The two sides are Dekker's: each stores, fences,
 * then reads the other's flag, so at least one of them sees the other.
 * Either the initiator sees the CPU still inactive after setting the flag
 * (and the CPU, waking later, sees the flag), or it sends the interrupt.
 * The kernel's own mappings and mp_pmap_release still interrupt idle CPUs:
 * their interrupt handlers use the first, and pmap_destroy frees the
 * tables the second is about.
 */
static uint64_t mp_tlb_deferred;	/* [a] shootdowns left to an idle CPU */

static uint64_t
mp_tlb_defer_idle(uint64_t cpus)
{
	for (unsigned i = 0; i < processor_count; i++) {
		struct cpu_data *cd = cpu_datap(i);

		if (!(cpus & (1ULL << i)) ||
		    !__atomic_load_n(&cd->cpu_cr3_inactive, __ATOMIC_SEQ_CST))
			continue;
		__atomic_store_n(&cd->cpu_tlb_invalid, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&cd->cpu_cr3_inactive, __ATOMIC_SEQ_CST)) {
			cpus &= ~(1ULL << i);
			__atomic_add_fetch(&mp_tlb_deferred, 1, __ATOMIC_RELAXED);
		}
	}
	return cpus;
}

uint64_t
mp_tlb_deferred_count(void)
{
	return __atomic_load_n(&mp_tlb_deferred, __ATOMIC_RELAXED);
}

void
mp_cr3_mark_active(void)
{
	struct cpu_data *cd = current_cpu_datap();

	__atomic_store_n(&cd->cpu_cr3_inactive, 0, __ATOMIC_SEQ_CST);
	if (__atomic_exchange_n(&cd->cpu_tlb_invalid, 0, __ATOMIC_SEQ_CST))
		pmap_tlb_flush_local(false, 0, VM_MAX_USER_ADDRESS);
}

static void
mp_tlb_request(uint64_t cpus, pmap_paddr_t pml4, vm_offset_t start, vm_offset_t end,
    boolean_t release)
{
	boolean_t s;

	cpus &= ~(1ULL << cpu_number());
	for (unsigned i = 0; i < processor_count; i++) {
		if (!cpu_datap(i)->cpu_running)
			cpus &= ~(1ULL << i);
	}
	if (pml4 != 0 && !release)
		cpus = mp_tlb_defer_idle(cpus);
	if (cpus == 0)
		return;
	s = ml_set_interrupts_enabled(FALSE);
	hw_lock_lock(&shootdown.lock);
	shootdown.pml4 = pml4;
	shootdown.start = start;
	shootdown.end = end;
	shootdown.release = release;
	__atomic_store_n(&shootdown.pending, cpus, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < processor_count; i++) {
		if (cpus & (1ULL << i))
			lapic_send_ipi(cpu_datap(i)->cpu_apic_id, IPI_TLB_VECTOR);
	}
	while (__atomic_load_n(&shootdown.pending, __ATOMIC_ACQUIRE) != 0)
		__asm__ volatile("pause");
	hw_lock_unlock(&shootdown.lock);
	ml_set_interrupts_enabled(s);
}

void
mp_tlb_shootdown(uint64_t cpus, pmap_paddr_t pml4, vm_offset_t start, vm_offset_t end)
{
	mp_tlb_request(cpus, pml4, start, end, FALSE);
}

void
mp_pmap_release(uint64_t cpus, pmap_paddr_t pml4)
{
	mp_tlb_request(cpus, pml4, 0, 0, TRUE);
}

void
mp_halt_others(void)
{
	uint64_t deadline;
	bool waiting;

	for (unsigned i = 0; i < processor_count; i++) {
		if (i != cpu_number() && cpu_datap(i)->cpu_running)
			lapic_send_ipi(cpu_datap(i)->cpu_apic_id, IPI_HALT_VECTOR);
	}
	/*
	 * Give each a moment to record where it was (a CPU with interrupts
	 * off will not answer; the report says so). No locks, no sleeping:
	 * this is the panic path.
	 */
	deadline = mach_absolute_time() + 50 * 1000 * 1000;	/* 50 ms */
	do {
		waiting = false;
		for (unsigned i = 0; i < processor_count; i++) {
			if (i != cpu_number() && cpu_datap(i)->cpu_running &&
			    __atomic_load_n(&cpu_datap(i)->cpu_halt_state, __ATOMIC_ACQUIRE) == NULL)
				waiting = true;
		}
		if (waiting)
			ml_cpu_pause();
	} while (waiting && mach_absolute_time() < deadline);
}

uint64_t
mp_online_mask(void)
{
	uint64_t mask = 0;

	for (unsigned i = 0; i < processor_count; i++) {
		if (cpu_datap(i)->cpu_running)
			mask |= 1ULL << i;
	}
	return mask;
}
