/*
 * fpu.h - the x87, SSE and AVX state of user threads.
 *
 * The kernel itself never touches the FPU (it is built with -mno-sse), so
 * only threads that run user code have FPU state: a save area of
 * fpu_state_size() bytes, 64-byte aligned, from a zone, made by
 * machine_thread_create and freed by machine_thread_destroy
 * (thread->machine.ifps). Kernel threads have none.
 *
 * The format is XSAVE's (x87, SSE and, if the CPU has it, AVX, whatever
 * CPUID says those need) when the CPU has XSAVE, else FXSAVE's 512 bytes.
 * Switching is eager: machine_switch_context saves the outgoing user
 * thread's state (XSAVEOPT when the CPU has it) and loads the incoming
 * one's. Between a user thread and a kernel thread nothing moves: the
 * registers keep the user thread's state, and each CPU remembers whose it
 * holds (cpu_fpu_owner, and the thread's fpu_cpu), so that a user thread
 * coming back to the CPU it left, with only kernel threads run there in
 * between, is not loaded again.
 *
 * A new thread starts in the state a program expects after exec: x87
 * initialized (FCW 0x37f, all registers empty), MXCSR 0x1f80 (every SIMD
 * exception masked, round to nearest), XMM and YMM registers zero.
 *
 * Locks: fpu_switch runs in the context switch, with the scheduler lock
 * held and interrupts off; that lock also covers machine.fpu_cpu. The
 * module's own globals are set once at boot ([I]).
 */

#ifndef KERNEL_X86_64_FPU_H
#define KERNEL_X86_64_FPU_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/kern/kern_types.h"
#include "mach/kern/zalloc.h"

/* init_fpu: this CPU's FPU: CR0 and CR4 bits, XCR0. On every CPU, BSP first. */
void		init_fpu(void);

/* fpu_module_init: the save-area zone and the initial state; once, after init_fpu. */
void		fpu_module_init(void);

/* fpu_state_alloc: a save area holding the initial state; NULL if out of memory. */
void		*fpu_state_alloc(void);
void		fpu_state_free(void *area);

/*
 * fpu_switch: the FPU part of a context switch from old to new: save old's
 * registers if it has state, load new's if it has state and this CPU does
 * not hold it already. Locks: the scheduler lock held, interrupts off.
 */
void		fpu_switch(thread_t old, thread_t new);

/*
 * fpu_user_state_save: the running user thread self's FPU state, saved
 * now into its save area (fpu_state_size() bytes), which is returned,
 * for a signal frame to copy out.
 * fpu_user_state_load: make state (a save area's bytes, from a signal
 * frame; NULL: the initial state) self's FPU state, in its registers now.
 * Whatever the bytes, nothing XRSTOR would refuse is loaded: reserved
 * MXCSR bits are cleared, the XSAVE header is made standard-format with
 * only XCR0's components. FALSE if self has no FPU state (a kernel thread).
 */
void		*fpu_user_state_save(thread_t self);
boolean_t	fpu_user_state_load(thread_t self, const void *state);

/*
 * fpu_state_dup: child's save area takes parent's state, parent being the
 * running thread (its state may be live in the registers). fork.
 */
void		fpu_state_dup(thread_t parent, thread_t child);

/* fpu_state_reset: the running user thread's FPU back to its initial state (exec). */
void		fpu_state_reset(thread_t thread);

/* The running user thread's status registers, for its exceptions. */
uint32_t	fpu_get_mxcsr(void);
uint16_t	fpu_get_fsw(void);

/* What the module found, for tests and the boot log. */
boolean_t	fpu_has_xsave(void);
uint64_t	fpu_xcr0(void);
uint32_t	fpu_state_size(void);
zone_t		fpu_state_zone(void);

#endif /* KERNEL_X86_64_FPU_H */
