; switch.asm - switching kernel stacks between threads.
;
; Switch_context(old, new) saves the callee-saved registers and the
; stack pointer of the running thread in old->machine.kstate, loads new's,
; and returns old, now running on new's stack: the caller (thread_invoke)
; sees it return in the thread it switched to. Everything else a thread
; needs is already on its stack. Interrupts are off throughout (the
; scheduler lock is held). machine_switch_context (thread_md.c) calls it
; once the address space and the CPU's stack pointers are the new one's.
;
; A new thread's stack is laid out by machine_thread_init_stack() so that
; the ret lands in thread_start_trampoline, which passes the thread switched
; from to thread_continue_new().

%include "assym.inc"

global Switch_context
global thread_start_trampoline
extern thread_continue_new

section .text

Switch_context:
	mov	[rdi + TH_KS_RBX], rbx
	mov	[rdi + TH_KS_RBP], rbp
	mov	[rdi + TH_KS_R12], r12
	mov	[rdi + TH_KS_R13], r13
	mov	[rdi + TH_KS_R14], r14
	mov	[rdi + TH_KS_R15], r15
	mov	[rdi + TH_KS_RSP], rsp

	mov	rsp, [rsi + TH_KS_RSP]
	mov	rbx, [rsi + TH_KS_RBX]
	mov	rbp, [rsi + TH_KS_RBP]
	mov	r12, [rsi + TH_KS_R12]
	mov	r13, [rsi + TH_KS_R13]
	mov	r14, [rsi + TH_KS_R14]
	mov	r15, [rsi + TH_KS_R15]
	mov	rax, rdi			; the thread switched from
	ret

thread_start_trampoline:
	mov	rdi, rax			; previous thread
	xor	ebp, ebp			; the bottom of this thread's backtraces
	and	rsp, -16
	push	0				; a zero return address, too
	jmp	thread_continue_new		; never returns
