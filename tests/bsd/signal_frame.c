/*
 * signal_frame.c - the handler's frame and rt_sigreturn: registers and
 * FPU state (XMM registers, MXCSR) come back after a handler that
 * clobbered them; the handler starts with a fresh FPU and the ABI's stack
 * alignment; forged frames (kernel selectors, privileged flags, kernel
 * and non-canonical rip, garbage FPU image, unreadable frame) cannot take
 * the kernel over: the program goes on in user mode or gets SIGSEGV.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "tap.h"

static volatile uint64_t h_xmm0 = 1, h_mxcsr, probe_mod = 99;
static volatile int segv_count;
static sigjmp_buf env;
static volatile uint64_t land_cs, land_flags, land_ok;

/* A handler in assembly: how rsp is aligned at entry ((rsp + 8) % 16). */
extern void align_probe(int);
__asm__(".text\n.globl align_probe\nalign_probe:\n"
    "\tlea 8(%rsp), %rax\n\tand $15, %rax\n\tmov %rax, probe_mod(%rip)\n\tret\n");

static void
clobber(int sig)
{
	uint32_t mx;

	(void)sig;
	__asm__ volatile("movq %%xmm0, %0" : "=r"(h_xmm0));
	__asm__ volatile("stmxcsr %0" : "=m"(mx));
	h_mxcsr = mx;
	mx = 0x7f80;		/* round toward zero */
	__asm__ volatile("ldmxcsr %0\n\tpcmpeqd %%xmm0, %%xmm0\n\tpcmpeqd %%xmm8, %%xmm8\n\t"
	    "pcmpeqd %%xmm15, %%xmm15\n\tfldpi\n\tfldpi" : : "m"(mx) : "xmm0", "xmm8", "xmm15", "memory");
}

static void
on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	segv_count++;
	siglongjmp(env, 1);
}

static void __attribute__((used))
land(void)
{
	uint64_t cs, fl;

	__asm__ volatile("mov %%cs, %0\n\tpushfq\n\tpopq %1" : "=r"(cs), "=r"(fl));
	land_cs = cs;
	land_flags = fl;
	land_ok = 1;
	siglongjmp(env, 1);
}

/* rt_sigreturn with rsp at uc (the frame's pretcode would be just below). */
static void __attribute__((noreturn))
sigreturn_at(void *uc)
{
	__asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\tud2" : : "r"(uc) : "memory");
	__builtin_unreachable();
}

static char land_stack[16384] __attribute__((aligned(16)));
static char fpu_junk[8192] __attribute__((aligned(64)));
static ucontext_t forged __attribute__((aligned(16)));
static char altstack[32768];

static void
forge(uint64_t rip, uint64_t cs, uint64_t flags, void *fpstate)
{
	memset(&forged, 0, sizeof(forged));
	forged.uc_mcontext.gregs[REG_RIP] = (greg_t)rip;
	forged.uc_mcontext.gregs[REG_RSP] = (greg_t)(uintptr_t)(land_stack + sizeof(land_stack) - 8);
	forged.uc_mcontext.gregs[REG_EFL] = (greg_t)flags;
	forged.uc_mcontext.gregs[REG_CSGSFS] = (greg_t)(cs | (0x10ULL << 48));	/* ss: a kernel one */
	forged.uc_mcontext.fpregs = fpstate;
}

int
main(void)
{
	static const uint64_t pat[3] = {
		0xa0a0a0a0a0a0a0a0ULL, 0xa8a8a8a8a8a8a8a8ULL, 0xafafafafafafafafULL,
	};
	uint64_t out[8], tid = (uint64_t)syscall(SYS_gettid);
	uint32_t mx = 0x3f80, mx_after;
	struct sigaction sa;
	stack_t ss;

	/* Registers and FPU across a handler that clobbers them. */
	signal(SIGUSR1, clobber);
	__asm__ volatile("ldmxcsr %0" : : "m"(mx));
	__asm__ volatile(
	    "movq %[a], %%xmm0\n\tmovq %[b], %%xmm8\n\tmovq %[c], %%xmm15\n\t"
	    "movabs $0x1212121212121212, %%r12\n\tmovabs $0x1313131313131313, %%r13\n\t"
	    "movabs $0x1414141414141414, %%r14\n\tmovabs $0x1515151515151515, %%r15\n\t"
	    "movabs $0x0b0b0b0b0b0b0b0b, %%rbx\n\tmovabs $0x0808080808080808, %%r8\n\t"
	    "mov %[tid], %%rdi\n\tmov %[sig], %%rsi\n\tmov $200, %%eax\n\tsyscall\n\t"
	    "movq %%xmm0, 0(%[out])\n\tmovq %%xmm8, 8(%[out])\n\tmovq %%xmm15, 16(%[out])\n\t"
	    "mov %%r12, 24(%[out])\n\tmov %%r13, 32(%[out])\n\tmov %%r14, 40(%[out])\n\t"
	    "mov %%r15, 48(%[out])\n\tmov %%rbx, 56(%[out])\n\t"
	    : : [a] "m"(pat[0]), [b] "m"(pat[1]), [c] "m"(pat[2]), [tid] "m"(tid),
	      [sig] "i"(SIGUSR1), [out] "r"(out)
	    : "rax", "rcx", "rdx", "rdi", "rsi", "r8", "r11", "r12", "r13", "r14", "r15", "rbx",
	      "xmm0", "xmm8", "xmm15", "memory", "cc");
	__asm__ volatile("stmxcsr %0" : "=m"(mx_after));
	TAP_EQ(out[0], 0xa0a0a0a0a0a0a0a0ULL, "xmm0 comes back after the handler");
	TAP_EQ(out[1], 0xa8a8a8a8a8a8a8a8ULL, "xmm8 comes back");
	TAP_EQ(out[2], 0xafafafafafafafafULL, "xmm15 comes back");
	TAP_OK(out[3] == 0x1212121212121212ULL && out[4] == 0x1313131313131313ULL &&
	    out[5] == 0x1414141414141414ULL && out[6] == 0x1515151515151515ULL,
	    "r12-r15 come back");
	TAP_EQ(out[7], 0x0b0b0b0b0b0b0b0bULL, "rbx comes back");
	TAP_EQ(mx_after, 0x3f80, "MXCSR comes back");
	TAP_EQ(h_xmm0, 0, "the handler starts with zero XMM registers");
	TAP_EQ(h_mxcsr, 0x1f80, "the handler starts with the initial MXCSR");
	mx = 0x1f80;
	__asm__ volatile("ldmxcsr %0" : : "m"(mx));

	/* Alignment at entry: rsp + 8 is 16-byte aligned, as after a call. */
	signal(SIGUSR2, align_probe);
	raise(SIGUSR2);
	TAP_EQ(probe_mod, 0, "the handler's rsp + 8 is 16-byte aligned");

	/* Forged frames: SIGSEGV handled on an alternate stack. */
	ss.ss_sp = altstack;
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);

	memset(fpu_junk, 0xff, sizeof(fpu_junk));
	forge((uint64_t)(uintptr_t)land, 0x08, 0x3000 | 0x4000 | 0x200 | 0x40000 | 0x2, fpu_junk);
	land_ok = 0;
	if (sigsetjmp(env, 1) == 0)
		sigreturn_at(&forged);
	TAP_OK(land_ok, "a forged frame with kernel selectors returns to its rip");
	TAP_EQ(land_cs & 3, 3, "in ring 3");
	TAP_EQ(land_flags & 0x3000, 0, "with IOPL 0");
	TAP_EQ(land_flags & 0x4000, 0, "without NT");
	TAP_OK(land_flags & 0x200, "with interrupts on");
	TAP_OK(1, "a garbage FPU image was loaded harmlessly");
	mx = 0x1f80;
	__asm__ volatile("ldmxcsr %0" : : "m"(mx));

	segv_count = 0;
	forge(0xffffffff80001000ULL, 0x2b, 0x202, NULL);
	if (sigsetjmp(env, 1) == 0)
		sigreturn_at(&forged);
	TAP_EQ(segv_count, 1, "a frame returning into the kernel gives SIGSEGV");

	segv_count = 0;
	forge(0x0000800000000000ULL, 0x2b, 0x202, NULL);
	if (sigsetjmp(env, 1) == 0)
		sigreturn_at(&forged);
	TAP_EQ(segv_count, 1, "a frame with a non-canonical rip gives SIGSEGV");

	segv_count = 0;
	if (sigsetjmp(env, 1) == 0)
		sigreturn_at((void *)0x18);
	TAP_EQ(segv_count, 1, "an unreadable frame gives SIGSEGV");

	segv_count = 0;
	forge((uint64_t)(uintptr_t)land, 0x2b, 0x202, (void *)0x40);
	if (sigsetjmp(env, 1) == 0)
		sigreturn_at(&forged);
	TAP_EQ(segv_count, 1, "a frame with an unreadable FPU image gives SIGSEGV");
	return tap_done();
}
