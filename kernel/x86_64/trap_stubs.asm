; trap_stubs.asm - one entry stub for each of the 256 vectors, and the common
; path that saves the registers and calls trap_dispatch().
;
; Each stub makes the stack look the same: an error code (the CPU's, or a 0
; the stub pushes for vectors that have none), then the vector number. The
; common path pushes the general registers, giving a struct x86_saved_state
; (kernel/x86_64/trap.h), and swaps GS only when the trap came from user
; mode.

%include "assym.inc"

global trap_stub_table
extern trap_dispatch

section .text

; Vectors for which the CPU pushes an error code.
%define HAS_ERR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
	(v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%assign i 0
%rep 256
align 16
trap_stub_%[i]:
%if !HAS_ERR(i)
	push	0
%endif
	push	i
	jmp	trap_common
%assign i i + 1
%endrep

align 16
trap_common:
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
	test	byte [rsp + SS_CS], 3
	jz	.from_kernel
	swapgs
.from_kernel:
	cld
	mov	rdi, rsp			; rbp is untouched: backtraces
						; taken in a handler run on
						; into the interrupted code
	call	trap_dispatch

	test	byte [rsp + SS_CS], 3
	jz	.to_kernel
	swapgs
.to_kernel:
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
	add	rsp, 16				; vector and error code
	iretq

section .rodata
align 8
trap_stub_table:
%assign i 0
%rep 256
	dq	trap_stub_%[i]
%assign i i + 1
%endrep
