; trap_stubs.asm - the kernel's ways in and out: one entry stub for each of
; the 256 vectors and the common paths that save the registers and call
; trap_dispatch(); the syscall entry; and return_from_trap, the one way
; back to user mode.
;
; Each vector stub makes the stack look the same: an error code (the CPU's,
; or a 0 the stub pushes for vectors that have none), then the vector
; number. The common path pushes the general registers, giving a struct
; x86_saved_state (kernel/x86_64/trap.h). The syscall entry builds the same
; struct by hand. From user mode, the CPU (or the syscall entry) starts at
; the top of the thread's kernel stack, so a user thread's saved state is
; always at the same place: thread->machine.iss.
;
; GS. In the kernel GS points at the CPU's cpu_data; in user mode it is
; the user's (swapgs exchanges the two). An entry from user mode swaps on
; the way in and return_from_trap swaps back just before sysret or iretq.
; Two kinds of entry need more care:
;   - NMI, double fault and machine check come on their own IST stacks and
;     can land anywhere, even between the syscall instruction and its
;     swapgs, or between the last swapgs and the sysret: their stubs
;     (paranoid_common) decide from the GS base MSR itself, not from CS;
;   - a fault on the iretq to user mode itself comes from kernel mode with
;     the user's GS already loaded: trap_common recognizes it by its rip
;     (iret_to_user) and sends it to trap_bad_iret, which makes it the
;     thread's exception.
; Every entry from user mode also closes the user window (clac, with SMAP)
; in case user code left RFLAGS.AC set, and clears rbp so that a kernel
; backtrace ends at the boundary. With -no_shared_cr3 it loads the kernel's
; own page tables (cpu_kernel_cr3; kernel/x86_64/pmap_md.h) once the
; registers are saved: until then only the kernel stack and cpu_data are
; touched, which every address space maps. user_return_prepare loads the
; user's again.

%include "assym.inc"

global trap_stub_table
global hi64_syscall
global hi32_syscall
global return_from_trap
global thread_exception_return
global iret_to_user
extern trap_dispatch
extern trap_bad_iret
extern x86_syscall64
extern user_return_prepare
extern copyio_smap

section .text

; Vectors for which the CPU pushes an error code.
%define HAS_ERR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
	(v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

; Vectors on IST stacks, which may come with either GS loaded.
%define PARANOID(v) ((v) == 2 || (v) == 8 || (v) == 18)

%macro PUSH_GPRS 0
	push	rax
	push	rbx
	push	rcx
	push	rdx
	push	rsi
	push	rdi
	push	rbp
	push	r8
	push	r9
	push	r10
	push	r11
	push	r12
	push	r13
	push	r14
	push	r15
%endmacro

%macro POP_GPRS 0
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	r11
	pop	r10
	pop	r9
	pop	r8
	pop	rbp
	pop	rdi
	pop	rsi
	pop	rdx
	pop	rcx
	pop	rbx
	pop	rax
%endmacro

; With SMAP, the kernel never runs with the user window open by accident.
%macro CLAC_IF_SMAP 0
	cmp	dword [rel copyio_smap], 0
	je	%%skip
	clac
%%skip:
%endmacro

; -no_shared_cr3: the kernel's page tables, on an entry from user mode.
; Kernel GS loaded; rax saved (it is clobbered).
%macro KERNEL_CR3 0
	mov	rax, [gs:CPU_KERNEL_CR3]
	test	rax, rax
	jz	%%skip
	mov	cr3, rax
%%skip:
%endmacro

%assign i 0
%rep 256
align 16
trap_stub_%[i]:
%if !HAS_ERR(i)
	push	0
%endif
	push	i
%if PARANOID(i)
	jmp	paranoid_common
%else
	jmp	trap_common
%endif
%assign i i + 1
%endrep

align 16
trap_common:
	PUSH_GPRS
	test	byte [rsp + SS_CS], 3
	jnz	.from_user
	lea	rax, [rel iret_to_user]		; rax is saved: free to use
	cmp	[rsp + SS_RIP], rax
	je	.bad_iret
	CLAC_IF_SMAP
	cld
	mov	rdi, rsp			; rbp is untouched: backtraces
						; taken in a handler run on
						; into the interrupted code
	call	trap_dispatch
	POP_GPRS
	add	rsp, 16				; vector and error code
	iretq

.from_user:
	swapgs
	KERNEL_CR3
	CLAC_IF_SMAP
	cld
	xor	ebp, ebp
	mov	rdi, rsp			; == the thread's machine.iss
	call	trap_dispatch
	jmp	return_from_trap

	; The iretq to user mode faulted, after return_from_trap's swapgs.
.bad_iret:
	swapgs
	KERNEL_CR3
	CLAC_IF_SMAP
	cld
	xor	ebp, ebp
	mov	rdi, rsp
	call	trap_bad_iret			; returns the thread's iss
	mov	rsp, rax
	jmp	return_from_trap

; NMI, double fault, machine check: the kernel's GS base is a kernel
; address (negative), the user's never is. rbx (saved) remembers the swap,
; r12 (saved) the CR3 to go back to: with -no_shared_cr3 an entry from user
; mode runs on the kernel's tables, and one that lands inside the kernel
; keeps whatever it found (the user's, in a copy or on the way out).
align 16
paranoid_common:
	PUSH_GPRS
	cld
	mov	r12, cr3
	mov	ecx, MSR_GS_BASE
	rdmsr
	xor	ebx, ebx
	test	edx, edx
	js	.kernel_gs
	swapgs
	mov	ebx, 1
	KERNEL_CR3
.kernel_gs:
	CLAC_IF_SMAP
	mov	rdi, rsp
	call	trap_dispatch
	test	ebx, ebx
	jz	.no_swap
	cmp	qword [gs:CPU_KERNEL_CR3], 0
	je	.same_cr3
	mov	cr3, r12
.same_cr3:
	swapgs
.no_swap:
	POP_GPRS
	add	rsp, 16
	iretq

; The syscall instruction: rcx = the user rip, r11 = the user rflags, rsp
; still the user's, interrupts off (SFMASK), CS and SS the kernel's. Until
; the stack is switched nothing here may fault: no exception can come
; (TF, AC and IF are masked) but NMI and machine check, on their own stacks.
; The frame is the one the CPU would have pushed for a trap from cs.
%macro SYSCALL_ENTRY 2			; the caller's cs, trapno
	swapgs
	mov	[gs:CPU_UBER_TMP], rsp
	mov	rsp, [gs:CPU_KERNEL_STACK]
	push	qword USER_DS			; ss
	push	qword [gs:CPU_UBER_TMP]		; rsp
	push	r11				; rflags
	push	qword %1			; cs
	push	rcx				; rip
	push	qword 0				; err
	push	qword %2			; trapno
	PUSH_GPRS
	KERNEL_CR3
	xor	ebp, ebp
	sti
	mov	rdi, rsp			; == the thread's machine.iss
	call	x86_syscall64
	jmp	return_from_trap
%endmacro

align 16
hi64_syscall:
	SYSCALL_ENTRY USER64_CS, T_SYSCALL

; The same from compatibility mode (a 32-bit code segment): the call is
; refused (x86_syscall64 sees T_SYSCALL32) and the return is an iretq,
; which goes back to the 32-bit code segment.
align 16
hi32_syscall:
	SYSCALL_ENTRY USER32_CS, T_SYSCALL32

; The way back to user mode, with rsp = the thread's user state (its iss).
; user_return_prepare acts on ASTs (it may block, or end the thread) and
; says whether sysret can restore the state exactly; from its return to the
; sysret or iretq interrupts stay off.
align 16
return_from_trap:
	cli
	mov	rdi, rsp
	call	user_return_prepare
	test	eax, eax
	jz	.iret
	mov	rcx, [rsp + SS_RIP]
	mov	r11, [rsp + SS_RFLAGS]
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	add	rsp, 8				; r11: the rflags, loaded above
	pop	r10
	pop	r9
	pop	r8
	pop	rbp
	pop	rdi
	pop	rsi
	pop	rdx
	add	rsp, 8				; rcx: the rip, loaded above
	pop	rbx
	pop	rax
	mov	rsp, [rsp + SS_RSP - SS_TRAPNO]
	swapgs
	o64 sysret
.iret:
	POP_GPRS
	add	rsp, 16				; trapno and err
	swapgs
iret_to_user:
	iretq

; thread_exception_return: leave the kernel for the current thread's user
; state (a new user thread's first run goes here). Never returns.
align 16
thread_exception_return:
	cli
	mov	rax, [gs:CPU_ACTIVE_THREAD]
	mov	rsp, [rax + TH_ISS]
	jmp	return_from_trap

section .rodata
align 8
trap_stub_table:
%assign i 0
%rep 256
	dq	trap_stub_%[i]
%assign i i + 1
%endrep
