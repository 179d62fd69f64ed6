/*
 * cpu.h - x86-64 instructions as inline functions: port I/O, MSRs, control
 * registers, CPUID, TSC, descriptor tables. Only code in kernel/x86_64 may
 * include this; everything else goes through kernel/machine_routines.h.
 */

#ifndef KERNEL_X86_64_CPU_H
#define KERNEL_X86_64_CPU_H

#include <stdint.h>

#define CR0_PE		(1UL << 0)
#define CR0_MP		(1UL << 1)
#define CR0_EM		(1UL << 2)
#define CR0_TS		(1UL << 3)
#define CR0_NE		(1UL << 5)
#define CR0_WP		(1UL << 16)
#define CR0_PG		(1UL << 31)
#define CR4_PAE		(1UL << 5)
#define CR4_PGE		(1UL << 7)
#define CR4_OSFXSR	(1UL << 9)
#define CR4_OSXMMEXCPT	(1UL << 10)
#define CR4_OSXSAVE	(1UL << 18)
#define CR4_SMEP	(1UL << 20)
#define CR4_SMAP	(1UL << 21)

#define MSR_APIC_BASE		0x1b		/* bit 8: this is the bootstrap processor */
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081	/* syscall/sysret selectors */
#define MSR_LSTAR		0xc0000082	/* 64-bit syscall entry */
#define MSR_CSTAR		0xc0000083	/* compatibility-mode syscall entry */
#define MSR_SFMASK		0xc0000084	/* RFLAGS bits syscall clears */
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define EFER_SCE		(1UL << 0)	/* syscall/sysret enabled */
#define EFER_NXE		(1UL << 11)

#define RFLAGS_CF	(1UL << 0)
#define RFLAGS_RESERVED	(1UL << 1)	/* always 1 */
#define RFLAGS_TF	(1UL << 8)
#define RFLAGS_IF	(1UL << 9)
#define RFLAGS_DF	(1UL << 10)
#define RFLAGS_IOPL	(3UL << 12)
#define RFLAGS_NT	(1UL << 14)
#define RFLAGS_RF	(1UL << 16)
#define RFLAGS_VM	(1UL << 17)
#define RFLAGS_AC	(1UL << 18)
#define RFLAGS_VIF	(1UL << 19)
#define RFLAGS_VIP	(1UL << 20)

/* CPUID feature bits the kernel looks at. */
#define CPUID1_ECX_XSAVE	(1u << 26)
#define CPUID1_ECX_AVX		(1u << 28)
#define CPUID1_EDX_FXSR		(1u << 24)
#define CPUID1_EDX_SSE		(1u << 25)
#define CPUIDD1_EAX_XSAVEOPT	(1u << 0)

/* XCR0: the state components XSAVE manages. */
#define XCR0_X87	(1ULL << 0)
#define XCR0_SSE	(1ULL << 1)
#define XCR0_AVX	(1ULL << 2)

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t
xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
xsetbv(uint32_t xcr, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t
rdtsc64(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	    : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(subleaf));
}

#define DEFINE_CR(n)							\
	static inline uint64_t get_cr##n(void)				\
	{								\
		uint64_t v;						\
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));	\
		return v;						\
	}								\
	static inline void set_cr##n(uint64_t v)			\
	{								\
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline uint64_t
get_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void
invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

struct __attribute__((packed)) x86_desc_ptr {
	uint16_t	limit;
	uint64_t	base;
};

static inline void
lgdt(const struct x86_desc_ptr *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p));
}

static inline void
lidt(const struct x86_desc_ptr *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p));
}

static inline void
ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel));
}

static inline void
cpu_halt(void)
{
	__asm__ volatile("hlt");
}

#endif /* KERNEL_X86_64_CPU_H */
