/*
 * cpu_data.h - the per-CPU block, reached through GS.
 *
 * Each CPU's GS base points at its struct cpu_data, whose first field points
 * at itself, so `mov %gs:0, reg` yields the block in one instruction. This is
 * the one place per-CPU state lives (STYLE.md: no bare gs: accesses in MI
 * code; MI code asks through cpu_number() and friends).
 *
 * Locks: [I] set once when the CPU is brought up; [C] touched only by the
 * owning CPU with interrupts off.
 */

#ifndef KERNEL_X86_64_CPU_DATA_H
#define KERNEL_X86_64_CPU_DATA_H

#include <stdint.h>

#include "kernel/x86_64/gdt.h"

#define MAX_CPUS	64

struct thread;
struct processor;
struct pmap;

struct cpu_data {
	struct cpu_data		*cpu_this;	/* [I] must stay first: gs:0 */
	struct thread		*cpu_active_thread; /* [C] current_thread() */
	int			cpu_preemption_level; /* [C] > 0: no preemption */
	unsigned int		cpu_number;	/* [I] */
	struct processor	*cpu_processor;	/* [I] */
	struct x86_cpu_desc	*cpu_desc;	/* [I] GDT, TSS, IST stacks */
	uint64_t		cpu_interrupt_count; /* [C] */
	int			cpu_interrupt_level; /* [C] > 0: in an interrupt handler */
	uint32_t		cpu_apic_id;	/* [I] its local APIC's id */
	struct pmap		*cpu_active_pmap; /* [C] the address space loaded */
	volatile int		cpu_running;	/* [a] set by the CPU once it is up */
	volatile int		cpu_cr3_inactive; /* [a] idle (machine_idle): the user
						   pmap left loaded is not in use, and a
						   shootdown of it sets cpu_tlb_invalid
						   instead of interrupting the CPU */
	volatile int		cpu_tlb_invalid; /* [a] a shootdown was deferred: flush
						   the user TLB before running a thread
						   (mp_cr3_mark_active) */
	const void		*cpu_halt_state; /* [a] where the halt IPI stopped it
						   (a panic on another CPU), or NULL */

	/* The user/kernel boundary (syscall.c, thread_md.c, fpu.c): */
	uint64_t		cpu_kernel_stack; /* [C] top of the active thread's
						   kernel stack, where an entry from
						   user mode saves the user state
						   (TSS.rsp0 holds the same) */
	uint64_t		cpu_uber_tmp;	/* [C] the user rsp, for the few
						   instructions of syscall entry
						   before it is saved */
	uint64_t		cpu_kernel_cr3;	/* [I] -no_shared_cr3: the CR3 every
						   entry from user mode loads (the
						   kernel pmap's); 0: keep the user's */
	struct thread		*cpu_fpu_owner;	/* [C] whose FPU state this CPU's
						   registers hold; only compared,
						   never followed (it may be gone) */
	uint64_t		cpu_user_fsbase; /* [C] the FS base loaded (a user
						   thread's thread pointer) */

	/* The local APIC timer (lapic.c): */
	uint64_t		cpu_timer_deadline; /* [C] the armed timer fires by
						   this mach absolute time; 0:
						   not armed, or not known */
};

static inline struct cpu_data *
current_cpu_datap(void)
{
	struct cpu_data *cd;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(cd));
	return cd;
}

/* cpu_data_init_bsp: set up the boot CPU's block and GS base. */
void	cpu_data_init_bsp(void);

/*
 * cpu_data_init_ap: the block of CPU n (not yet running), with IST stacks
 * whose guard pages are ist_guard[]; cpu_data_start_ap then loads it on the
 * CPU itself.
 */
struct cpu_data	*cpu_data_init_ap(unsigned n, uint32_t apic_id, const vm_offset_t *ist_guard);
void		cpu_data_start_ap(struct cpu_data *cd);

/* cpu_datap: CPU n's block (n below MAX_CPUS). */
struct cpu_data	*cpu_datap(unsigned n);

#endif /* KERNEL_X86_64_CPU_DATA_H */
