; nofault.asm - probes that touch a kernel address and report a page fault
; instead of panicking (ml_nofault_read8, ml_nofault_write8,
; ml_nofault_call in kernel/machine_routines.h).
;
; Each sets the running thread's recovery address (machine.recover) to
; its own exit for the length of one access. trap.c's kernel_probe_fault
; resumes there only if the fault is at that access: the instruction
; labelled nofault_read_insn or nofault_write_insn, or, for the call, an
; instruction fetch at the called address itself with the call's return
; address (nofault_call_return) on top of the stack, which is then
; dropped. Any other fault panics as usual.

%include "assym.inc"

global ml_nofault_read8
global ml_nofault_write8
global ml_nofault_call
global nofault_read_insn
global nofault_write_insn
global nofault_call_recover
global nofault_call_return

section .text

; boolean_t ml_nofault_read8(uint64_t addr, uint8_t *value)
ml_nofault_read8:
	mov	r8, [gs:CPU_ACTIVE_THREAD]
	lea	rax, [rel read_fault]
	mov	[r8 + TH_RECOVER], rax
nofault_read_insn:
	movzx	eax, byte [rdi]
	mov	qword [r8 + TH_RECOVER], 0
	mov	[rsi], al
	mov	eax, 1
	ret
read_fault:
	mov	qword [r8 + TH_RECOVER], 0
	xor	eax, eax
	ret

; boolean_t ml_nofault_write8(uint64_t addr, uint8_t value)
ml_nofault_write8:
	mov	r8, [gs:CPU_ACTIVE_THREAD]
	lea	rax, [rel write_fault]
	mov	[r8 + TH_RECOVER], rax
nofault_write_insn:
	mov	[rdi], sil
	mov	qword [r8 + TH_RECOVER], 0
	mov	eax, 1
	ret
write_fault:
	mov	qword [r8 + TH_RECOVER], 0
	xor	eax, eax
	ret

; boolean_t ml_nofault_call(uint64_t addr)
; The callee follows the C convention; rbx keeps the thread across it.
ml_nofault_call:
	push	rbp
	mov	rbp, rsp
	push	rbx
	sub	rsp, 8
	mov	rbx, [gs:CPU_ACTIVE_THREAD]
	lea	rax, [rel nofault_call_recover]
	mov	[rbx + TH_RECOVER], rax
	call	rdi
nofault_call_return:
	mov	qword [rbx + TH_RECOVER], 0
	mov	eax, 1
	jmp	call_out
nofault_call_recover:
	mov	qword [rbx + TH_RECOVER], 0
	xor	eax, eax
call_out:
	add	rsp, 8
	pop	rbx
	pop	rbp
	ret
