/*
 * fpu.c - the x87, SSE and AVX state of user threads (fpu.h).
 *
 * At boot, init_fpu finds out what the CPU can do (CPUID leaf 1 for
 * FXSR, SSE, XSAVE and AVX; leaf 0xD for XSAVEOPT and the size of the
 * XSAVE area for the components enabled) and turns it on: CR0.MP and NE
 * (x87 errors as #MF), EM and TS clear (no trap on FPU use: switching is
 * eager), CR4.OSFXSR and OSXMMEXCPT (SSE, with #XM for its errors), and
 * with XSAVE, CR4.OSXSAVE and XCR0 = x87 | SSE | AVX as the CPU supports.
 * The other CPUs run init_fpu as they come up and get the same XCR0.
 */

#include "kernel/x86_64/fpu.h"

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "libkern/string.h"
#include "mach/kern/thread.h"

#define FPU_AREA_ALIGN		64		/* XSAVE's requirement */
#define FXSAVE_AREA_SIZE	512
#define XSAVE_HEADER_OFFSET	512		/* XSTATE_BV, then XCOMP_BV */
#define FPU_AREA_MAX		PAGE_SIZE	/* more would be a surprise */

/* The legacy (FXSAVE) region's fields that the initial state sets. */
#define FX_FCW_OFFSET		0
#define FX_MXCSR_OFFSET		24
#define FCW_INITIAL		0x037f		/* all x87 exceptions masked, 64-bit precision */
#define MXCSR_INITIAL		0x1f80		/* all SIMD exceptions masked */

static struct {
	boolean_t	detected;	/* [I] the fields below are set */
	boolean_t	xsave;		/* [I] XSAVE/XRSTOR, else FXSAVE/FXRSTOR */
	boolean_t	xsaveopt;	/* [I] XSAVEOPT for saves */
	uint64_t	xcr0;		/* [I] the components XSAVE manages */
	uint32_t	size;		/* [I] bytes of a save area */
	zone_t		zone;		/* [I] the save areas */
} fpu __hot_data;

/* The MXCSR bits FXRSTOR accepts (the save area's MXCSR_MASK). [I] */
static uint32_t fpu_mxcsr_mask = 0xffbf;
#define FX_MXCSR_MASK_OFFSET	28

/* The state a thread starts with, in the save-area format. [I] */
static uint8_t fpu_initial_state[FPU_AREA_MAX] __aligned(FPU_AREA_ALIGN);

static void
fpu_detect(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	if (!(r[3] & CPUID1_EDX_FXSR) || !(r[3] & CPUID1_EDX_SSE))
		panic("init_fpu: the CPU has no FXSAVE or no SSE; x86-64 requires both");
	fpu.xsave = (r[2] & CPUID1_ECX_XSAVE) != 0;
	fpu.xcr0 = XCR0_X87 | XCR0_SSE;
	fpu.size = FXSAVE_AREA_SIZE;
	if (fpu.xsave) {
		uint32_t d[4];

		cpuid(0xd, 0, d);
		if (r[2] & CPUID1_ECX_AVX)
			fpu.xcr0 |= XCR0_AVX;
		fpu.xcr0 &= ((uint64_t)d[3] << 32) | d[0];	/* what XCR0 may hold */
		cpuid(0xd, 1, d);
		fpu.xsaveopt = (d[0] & CPUIDD1_EAX_XSAVEOPT) != 0;
	}
	fpu.detected = TRUE;
}

void
init_fpu(void)
{
	uint64_t cr0 = get_cr0(), cr4 = get_cr4();
	boolean_t first = !fpu.detected;	/* the boot CPU: the others find the same */

	if (first)
		fpu_detect();
	cr0 &= ~(CR0_EM | CR0_TS);
	cr0 |= CR0_MP | CR0_NE;
	set_cr0(cr0);
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (fpu.xsave)
		cr4 |= CR4_OSXSAVE;
	set_cr4(cr4);
	if (fpu.xsave)
		xsetbv(0, fpu.xcr0);
	if (fpu.xsave && first) {
		uint32_t d[4];

		/* EBX: the area's size for the components XCR0 now enables. */
		cpuid(0xd, 0, d);
		if (d[1] > FPU_AREA_MAX)
			panic("init_fpu: an XSAVE area of %u bytes (more than a page)", d[1]);
		fpu.size = d[1];
	}
	__asm__ volatile("fninit" ::: "memory");
}

void
fpu_module_init(void)
{
	uint8_t *s = fpu_initial_state;

	/* What this CPU's MXCSR accepts: FXSAVE says (0 means the default 0xffbf). */
	memset(s, 0, sizeof(fpu_initial_state));
	__asm__ volatile("fxsave64 (%0)" : : "r"(s) : "memory");
	if (*(uint32_t *)(void *)(s + FX_MXCSR_MASK_OFFSET) != 0)
		fpu_mxcsr_mask = *(uint32_t *)(void *)(s + FX_MXCSR_MASK_OFFSET);
	memset(s, 0, sizeof(fpu_initial_state));
	*(uint16_t *)(void *)(s + FX_FCW_OFFSET) = FCW_INITIAL;
	*(uint32_t *)(void *)(s + FX_MXCSR_OFFSET) = MXCSR_INITIAL;
	/*
	 * XSTATE_BV: x87 and SSE come from the legacy region above (an empty
	 * x87 stack, zero XMM registers); AVX's bit is clear, so XRSTOR puts
	 * its component in its initial state: the YMM upper halves zero.
	 */
	if (fpu.xsave)
		*(uint64_t *)(void *)(s + XSAVE_HEADER_OFFSET) = XCR0_X87 | XCR0_SSE;

	/* Element sizes that are multiples of 64 keep every element 64-aligned. */
	fpu.zone = zinit((fpu.size + FPU_AREA_ALIGN - 1) & ~(uint32_t)(FPU_AREA_ALIGN - 1),
	    0, 0, "x86 fpsave state");
	if (fpu.zone == ZONE_NULL)
		panic("fpu_module_init: no memory for the FPU state zone");
	if (verbose_boot)
		printf("fpu: %s, %u-byte save areas, XCR0 0x%llx%s\n",
		    fpu.xsave ? "XSAVE" : "FXSAVE", fpu.size, (unsigned long long)fpu.xcr0,
		    fpu.xsaveopt ? ", XSAVEOPT" : "");
}

void *
fpu_state_alloc(void)
{
	void *area = zalloc(fpu.zone);

	if (area != NULL)
		memcpy(area, fpu_initial_state, fpu.size);
	return area;
}

void
fpu_state_free(void *area)
{
	zfree(fpu.zone, area);
}

static void
fpu_save(void *area)
{
	uint32_t lo = (uint32_t)fpu.xcr0, hi = (uint32_t)(fpu.xcr0 >> 32);

	if (fpu.xsaveopt)
		__asm__ volatile("xsaveopt64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
	else if (fpu.xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static void
fpu_restore(const void *area)
{
	uint32_t lo = (uint32_t)fpu.xcr0, hi = (uint32_t)(fpu.xcr0 >> 32);

	if (fpu.xsave)
		__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void
fpu_switch(thread_t old, thread_t new)
{
	struct cpu_data *cd = current_cpu_datap();

	/* A user thread leaving: its state is in the registers (it ran here). */
	if (old->machine.ifps != NULL && cd->cpu_fpu_owner == old)
		fpu_save(old->machine.ifps);
	if (new->machine.ifps == NULL)
		return;		/* a kernel thread: the registers stay as they are */
	/* Still here from when it left, and loaded nowhere else since? */
	if (cd->cpu_fpu_owner == new && new->machine.fpu_cpu == (int)cd->cpu_number)
		return;
	fpu_restore(new->machine.ifps);
	cd->cpu_fpu_owner = new;
	new->machine.fpu_cpu = (int)cd->cpu_number;
}

/*
 * The current thread's FPU state into its save area, for a signal frame:
 * its registers hold it (it is running), so save them now, with
 * interrupts off so that no switch comes between.
 */
void *
fpu_user_state_save(thread_t self)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	if (current_cpu_datap()->cpu_fpu_owner == self)
		fpu_save(self->machine.ifps);
	ml_set_interrupts_enabled(s);
	return self->machine.ifps;
}

/*
 * What XRSTOR and FXRSTOR would refuse with #GP (in the kernel: a panic)
 * is made harmless first: MXCSR's reserved bits, XSTATE_BV bits XCR0
 * lacks, a compacted-format or nonzero reserved XSAVE header.
 */
static void
fpu_sanitize(uint8_t *area)
{
	uint32_t *mxcsr = (uint32_t *)(void *)(area + FX_MXCSR_OFFSET);

	*mxcsr &= fpu_mxcsr_mask;
	if (fpu.xsave) {
		uint64_t *hdr = (uint64_t *)(void *)(area + XSAVE_HEADER_OFFSET);

		hdr[0] &= fpu.xcr0;
		for (int i = 1; i < 8; i++)
			hdr[i] = 0;
	}
}

boolean_t
fpu_user_state_load(thread_t self, const void *state)
{
	boolean_t s;

	if (self->machine.ifps == NULL)
		return FALSE;
	s = ml_set_interrupts_enabled(FALSE);
	if (state != NULL) {
		memcpy(self->machine.ifps, state, fpu.size);
		fpu_sanitize(self->machine.ifps);
	} else {
		memcpy(self->machine.ifps, fpu_initial_state, fpu.size);
	}
	fpu_restore(self->machine.ifps);
	current_cpu_datap()->cpu_fpu_owner = self;
	self->machine.fpu_cpu = (int)current_cpu_datap()->cpu_number;
	ml_set_interrupts_enabled(s);
	return TRUE;
}

void
fpu_state_dup(thread_t parent, thread_t child)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	uint32_t lo = (uint32_t)fpu.xcr0, hi = (uint32_t)(fpu.xcr0 >> 32);

	if (current_cpu_datap()->cpu_fpu_owner == parent) {
		/* Live in the registers: save them straight into the child's area. */
		if (fpu.xsave)
			__asm__ volatile("xsave64 (%0)" : : "r"(child->machine.ifps), "a"(lo),
			    "d"(hi) : "memory");
		else
			__asm__ volatile("fxsave64 (%0)" : : "r"(child->machine.ifps) : "memory");
	} else {
		memcpy(child->machine.ifps, parent->machine.ifps, fpu.size);
	}
	(void)ml_set_interrupts_enabled(s);
}

void
fpu_state_reset(thread_t thread)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	struct cpu_data *cd = current_cpu_datap();

	memcpy(thread->machine.ifps, fpu_initial_state, fpu.size);
	if (cd->cpu_fpu_owner == thread)
		fpu_restore(thread->machine.ifps);
	(void)ml_set_interrupts_enabled(s);
}

uint32_t
fpu_get_mxcsr(void)
{
	uint32_t mxcsr;

	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	return mxcsr;
}

uint16_t
fpu_get_fsw(void)
{
	uint16_t fsw;

	__asm__ volatile("fnstsw %0" : "=m"(fsw));
	return fsw;
}

boolean_t
fpu_has_xsave(void)
{
	return fpu.xsave;
}

uint64_t
fpu_xcr0(void)
{
	return fpu.xcr0;
}

uint32_t
fpu_state_size(void)
{
	return fpu.size;
}

zone_t
fpu_state_zone(void)
{
	return fpu.zone;
}
