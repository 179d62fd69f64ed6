/*
 * unix_signal.c - the machine's half of signal delivery
 * (bsd/sys/signalvar.h): Linux's x86-64 rt_sigframe on the user stack,
 * and rt_sigreturn's way back from it.
 *
 * The frame, from the handler's stack pointer up:
 *
 *	pretcode	sa_restorer: the handler's return address
 *	uc		ucontext: uc_flags, uc_link, uc_stack, uc_mcontext
 *			(struct sigcontext: the registers in Linux's order,
 *			and fpstate, a pointer to the FPU image), uc_sigmask
 *	info		siginfo_t (128 bytes)
 *	...		padding
 *	FPU image	64-byte aligned: the XSAVE (or FXSAVE) area, with
 *			Linux's software bytes (FP_XSTATE_MAGIC1 at 464) and
 *			FP_XSTATE_MAGIC2 just past it when it is XSAVE's
 *	128 bytes	the interrupted code's red zone, untouched
 *
 * The handler starts with rdi = signal, rsi = &info, rdx = &uc, rax = 0,
 * rsp + 8 16-byte aligned (as after a call), the direction and trap flags
 * clear, and a fresh FPU state.
 *
 * Nothing in a frame is trusted on the way back: the segment selectors
 * are the user's whatever it says, only the flags user code may set are
 * taken, the instruction pointer is checked on the way out
 * (user_return_prepare), and the FPU image is made loadable (fpu.h).
 */

#include "bsd/sys/signalvar.h"

#include <stddef.h>

#include "bsd/sys/errno.h"
#include "bsd/sys/user.h"
#include "kernel/copyio.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/fpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/trap.h"
#include "kernel/x86_64/vm_param.h"
#include "libkern/string.h"
#include "mach/kern/thread.h"
#include "mach/kern/zalloc.h"

struct sigcontext64 {
	uint64_t	r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t	rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t	rip, eflags;
	uint16_t	cs, gs, fs, ss;
	uint64_t	err, trapno, oldmask, cr2;
	uint64_t	fpstate;	/* user address of the FPU image, or 0 */
	uint64_t	reserved1[8];
};
_Static_assert(sizeof(struct sigcontext64) == 256, "struct sigcontext is 256 bytes");

struct ucontext64 {
	uint64_t		uc_flags;
	uint64_t		uc_link;
	struct user_sigaltstack	uc_stack;
	struct sigcontext64	uc_mcontext;
	sigset_t		uc_sigmask;
};

struct rt_sigframe {
	uint64_t		pretcode;
	struct ucontext64	uc;
	struct user_siginfo	info;
};
_Static_assert(offsetof(struct rt_sigframe, uc) == 8, "uc after pretcode");
_Static_assert(offsetof(struct rt_sigframe, info) == 312, "Linux's rt_sigframe layout");

#define UC_FP_XSTATE		0x1
#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U
#define FX_SW_BYTES_OFFSET	464		/* struct _fpx_sw_bytes in the FXSAVE area */
#define XSAVE_HEADER_OFFSET	512
#define REDZONE			128

/* Linux's _fpx_sw_bytes: what the FPU image holds, for user code. */
struct fpx_sw_bytes {
	uint32_t	magic1;
	uint32_t	extended_size;	/* the image with MAGIC2 */
	uint64_t	xfeatures;
	uint32_t	xstate_size;	/* the XSAVE area */
	uint32_t	padding[7];
};
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "_fpx_sw_bytes is 48 bytes");

/* The flags a user may change through a frame (Linux's FIX_EFLAGS). */
#define RFLAGS_USER	(RFLAGS_CF | (1UL << 2) | (1UL << 4) | (1UL << 6) | (1UL << 7) | \
			 RFLAGS_TF | RFLAGS_DF | (1UL << 11) | RFLAGS_RF | RFLAGS_AC | \
			 (1UL << 21))

uint64_t
sig_user_sp(void)
{
	return current_thread()->machine.iss->rsp;
}

static boolean_t
on_sigstack(const struct uthread *ut, uint64_t sp)
{
	return ut->uu_sigstk.ss_size != 0 && sp > ut->uu_sigstk.ss_sp &&
	    sp <= ut->uu_sigstk.ss_sp + ut->uu_sigstk.ss_size;
}

/* The FPU image at fp: the thread's state and Linux's markers around it. */
static int
sendsig_fpu(thread_t self, uint64_t fp)
{
	uint32_t size = fpu_state_size(), magic2 = FP_XSTATE_MAGIC2;
	struct fpx_sw_bytes sw = {
		.magic1 = FP_XSTATE_MAGIC1,
		.extended_size = size + sizeof(magic2),
		.xfeatures = fpu_xcr0(),
		.xstate_size = size,
	};
	int error = copyout(fpu_user_state_save(self), fp, size);

	if (error == 0 && fpu_has_xsave()) {
		error = copyout(&sw, fp + FX_SW_BYTES_OFFSET, sizeof(sw));
		if (error == 0)
			error = copyout(&magic2, fp + size, sizeof(magic2));
	}
	return error;
}

static void
sendsig_context(struct sigcontext64 *sc, const struct x86_saved_state *ss)
{
	sc->r8 = ss->r8, sc->r9 = ss->r9, sc->r10 = ss->r10, sc->r11 = ss->r11;
	sc->r12 = ss->r12, sc->r13 = ss->r13, sc->r14 = ss->r14, sc->r15 = ss->r15;
	sc->rdi = ss->rdi, sc->rsi = ss->rsi, sc->rbp = ss->rbp, sc->rbx = ss->rbx;
	sc->rdx = ss->rdx, sc->rax = ss->rax, sc->rcx = ss->rcx, sc->rsp = ss->rsp;
	sc->rip = ss->rip, sc->eflags = ss->rflags;
	sc->cs = (uint16_t)ss->cs, sc->ss = (uint16_t)ss->ss;
	sc->err = ss->err;
	sc->trapno = ss->trapno < T_IRQ_BASE ? ss->trapno : 0;
}

int
sendsig(struct uthread *ut, int sig, const struct k_sigaction *ka,
    const struct ksiginfo *info, sigset_t mask)
{
	thread_t self = current_thread();
	struct x86_saved_state *ss = self->machine.iss;
	struct rt_sigframe frame;
	uint64_t sp = ss->rsp - REDZONE, fp, fsize = fpu_state_size() + sizeof(uint32_t);
	uint64_t fr, alt_base = on_sigstack(ut, ss->rsp) ? ut->uu_sigstk.ss_sp : 0;

	memset(&frame, 0, sizeof(frame));
	frame.uc.uc_stack = ut->uu_sigstk;
	frame.uc.uc_stack.ss_flags = ut->uu_sigstk.ss_size == 0 ? SS_DISABLE :
	    on_sigstack(ut, ss->rsp) ? SS_ONSTACK : (ut->uu_sigstk.ss_flags & (int32_t)SS_AUTODISARM);
	if ((ka->sa_flags & SA_ONSTACK) && ut->uu_sigstk.ss_size != 0 &&
	    !on_sigstack(ut, ss->rsp)) {
		sp = ut->uu_sigstk.ss_sp + ut->uu_sigstk.ss_size;
		alt_base = ut->uu_sigstk.ss_sp;
		if (ut->uu_sigstk.ss_flags & SS_AUTODISARM)
			memset(&ut->uu_sigstk, 0, sizeof(ut->uu_sigstk));
	}
	if (sp > VM_MAX_USER_ADDRESS || sp < fsize + sizeof(frame) + 128)
		return EFAULT;
	fp = (sp - fsize) & ~63UL;
	fr = ((fp - sizeof(frame)) & ~15UL) - 8;
	if (fr < alt_base)
		return EFAULT;		/* the alternate stack overflows: never past it */

	frame.pretcode = ka->sa_restorer;
	frame.uc.uc_flags = fpu_has_xsave() ? UC_FP_XSTATE : 0;
	sendsig_context(&frame.uc.uc_mcontext, ss);
	frame.uc.uc_mcontext.oldmask = mask;
	frame.uc.uc_mcontext.fpstate = fp;
	if (ss->trapno == T_PAGE_FAULT)
		frame.uc.uc_mcontext.cr2 = info->ksi_addr;
	frame.uc.uc_sigmask = mask;
	frame.info.si_signo = sig;
	frame.info.si_code = info->ksi_code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
		if (info->ksi_code > 0 && info->ksi_code != SI_KERNEL)
			frame.info.si_u.addr = info->ksi_addr;
	} else {
		frame.info.si_u.kill.pid = info->ksi_pid;
		frame.info.si_u.kill.uid = info->ksi_uid;
		frame.info.si_u.kill.status = info->ksi_status;
	}
	if (sendsig_fpu(self, fp) != 0 || copyout(&frame, fr, sizeof(frame)) != 0)
		return EFAULT;

	/* Into the handler, with a fresh FPU. */
	(void)fpu_user_state_load(self, NULL);
	ss->rdi = (uint64_t)sig;
	ss->rsi = fr + offsetof(struct rt_sigframe, info);
	ss->rdx = fr + offsetof(struct rt_sigframe, uc);
	ss->rax = 0;
	ss->rsp = fr;
	ss->rip = ka->sa_handler;
	ss->rflags &= ~(RFLAGS_TF | RFLAGS_DF | RFLAGS_RF | RFLAGS_AC);
	ss->cs = USER64_CS;
	ss->ss = USER_DS;
	return 0;
}

/* The FPU image a frame points at, made the thread's (0: the initial state). */
static int
sigreturn_fpu(thread_t self, uint64_t fp)
{
	uint32_t size = fpu_state_size();
	uint8_t *buf;
	int error;

	if (fp == 0) {
		(void)fpu_user_state_load(self, NULL);
		return 0;
	}
	if (fp & 63)
		return EFAULT;		/* XRSTOR's alignment: Linux refuses it too */
	buf = zalloc(fpu_state_zone());
	if (buf == NULL)
		return EFAULT;
	error = copyin(fp, buf, size);
	if (error == 0 && fpu_has_xsave()) {
		const struct fpx_sw_bytes *sw = (const void *)(buf + FX_SW_BYTES_OFFSET);

		/* A bare FXSAVE image: the XSAVE part in its initial state. */
		if (sw->magic1 != FP_XSTATE_MAGIC1) {
			memset(buf + XSAVE_HEADER_OFFSET, 0, size - XSAVE_HEADER_OFFSET);
			*(uint64_t *)(void *)(buf + XSAVE_HEADER_OFFSET) = 0x3;	/* x87, SSE */
		}
	}
	if (error == 0)
		(void)fpu_user_state_load(self, buf);
	zfree(fpu_state_zone(), buf);
	return error;
}

int
machine_sigreturn(struct uthread *ut, sigset_t *mask)
{
	thread_t self = current_thread();
	struct x86_saved_state *ss = self->machine.iss;
	struct ucontext64 uc;
	const struct sigcontext64 *sc = &uc.uc_mcontext;
	uint64_t fr = ss->rsp - 8;	/* the handler's ret popped pretcode */
	int error;

	error = copyin(fr + offsetof(struct rt_sigframe, uc), &uc, sizeof(uc));
	if (error != 0)
		return error;
	error = sigreturn_fpu(self, sc->fpstate);
	if (error != 0)
		return error;
	ss->r8 = sc->r8, ss->r9 = sc->r9, ss->r10 = sc->r10, ss->r11 = sc->r11;
	ss->r12 = sc->r12, ss->r13 = sc->r13, ss->r14 = sc->r14, ss->r15 = sc->r15;
	ss->rdi = sc->rdi, ss->rsi = sc->rsi, ss->rbp = sc->rbp, ss->rbx = sc->rbx;
	ss->rdx = sc->rdx, ss->rax = sc->rax, ss->rcx = sc->rcx, ss->rsp = sc->rsp;
	ss->rip = sc->rip;	/* user_return_prepare refuses one outside user space */
	ss->rflags = (ss->rflags & ~RFLAGS_USER) | (sc->eflags & RFLAGS_USER);
	ss->cs = USER64_CS;
	ss->ss = USER_DS;
	ss->trapno = T_SYSCALL;
	/* An alternate stack the handler's delivery disarmed comes back. */
	if ((uc.uc_stack.ss_flags & SS_AUTODISARM) && uc.uc_stack.ss_size >= MINSIGSTKSZ &&
	    uc.uc_stack.ss_sp + uc.uc_stack.ss_size > uc.uc_stack.ss_sp) {
		ut->uu_sigstk = uc.uc_stack;
		ut->uu_sigstk.ss_flags = (int32_t)SS_AUTODISARM;
	}
	*mask = uc.uc_sigmask;
	return 0;
}
