; usermode_test_programs.asm - small user programs for usermode_test.c.
;
; Each program is position-independent code between utp_NAME and
; utp_NAME_end, copied into a user task's code pages by ktest_user.c. A
; program finds the task's data page in rdi (the test sets it) and keeps it
; in r15; its other inputs are in rsi and rdx. Results go to the data page
; at the offsets usermode_test.c reads, in 8-byte slots.
;
; System calls: rax = number, arguments in rdi, rsi, rdx, r10, r8, r9;
; rcx and r11 are lost. Mach traps are 0x1000000 + n (class 1), Linux
; numbers are class 0.

bits 64
default rel

%define MACH_TRAP(n)		(0x1000000 + (n))
%define SYS_write		1
%define SYS_exit		60
%define SYS_exit_group		231

%macro EXIT_GROUP 1
	mov	eax, SYS_exit_group
	mov	edi, %1
	syscall
	ud2				; not reached
%endmacro

%macro SYSCALL_STORE 2			; number, slot: rax after the call to [r15 + 8*slot]
	mov	eax, %1
	syscall
	mov	[r15 + 8 * (%2)], rax
%endmacro

section .rodata

global utp_traps, utp_traps_end
global utp_write, utp_write_end
global utp_ud2, utp_ud2_end
global utp_gp, utp_gp_end
global utp_de, utp_de_end
global utp_bad_read, utp_bad_read_end
global utp_code_write, utp_code_write_end
global utp_kernel_read, utp_kernel_read_end
global utp_int3, utp_int3_end
global utp_int80, utp_int80_end
global utp_sse_div0, utp_sse_div0_end
global utp_x87_div0, utp_x87_div0_end
global utp_bad_trap, utp_bad_trap_end
global utp_spin, utp_spin_end
global utp_spin_bad_rsp, utp_spin_bad_rsp_end
global utp_wait_forever, utp_wait_forever_end
global utp_exit_thread, utp_exit_thread_end
global utp_regs, utp_regs_end
global utp_bench, utp_bench_end

; --- Mach traps -------------------------------------------------------------
; Slots: 0 kern_invalid (trap 0), 1 mach_timebase_info, 2 the timebase
; {numer, denom}, 3 mach_timebase_info to a kernel address, 4
; mach_wait_until(0), 5 swtch, 6 swtch_pri, 7-10 thread_switch with NONE,
; DEPRESS 5 ms, WAIT 5 ms and an unknown option, 11 registers kept across a
; call (1 if all were). Then exit_group(42).
utp_traps:
	mov	r15, rdi
	SYSCALL_STORE MACH_TRAP(0), 0
	lea	rdi, [r15 + 16]
	SYSCALL_STORE MACH_TRAP(89), 1
	mov	rdi, 0xffffffff80000000
	SYSCALL_STORE MACH_TRAP(89), 3
	xor	edi, edi
	SYSCALL_STORE MACH_TRAP(90), 4
	SYSCALL_STORE MACH_TRAP(60), 5
	SYSCALL_STORE MACH_TRAP(59), 6
	xor	edi, edi
	xor	esi, esi
	xor	edx, edx
	SYSCALL_STORE MACH_TRAP(61), 7
	mov	esi, 1
	mov	edx, 5
	SYSCALL_STORE MACH_TRAP(61), 8
	mov	esi, 2
	mov	edx, 5
	SYSCALL_STORE MACH_TRAP(61), 9
	mov	esi, 7
	xor	edx, edx
	SYSCALL_STORE MACH_TRAP(61), 10
	; Every register but rax, rcx and r11 comes back as it went in.
	mov	rbx, 0x1111111111111111
	mov	rbp, 0x2222222222222222
	mov	rdx, 0x3333333333333333
	mov	rsi, 0x4444444444444444
	mov	rdi, 0x5555555555555555
	mov	r8, 0x6666666666666666
	mov	r9, 0x7777777777777777
	mov	r10, 0x8888888888888888
	mov	r12, 0x9999999999999999
	mov	r13, 0xaaaaaaaaaaaaaaaa
	mov	r14, 0xbbbbbbbbbbbbbbbb
	mov	eax, MACH_TRAP(0)
	syscall
	xor	eax, eax
	mov	rcx, 0x1111111111111111
	cmp	rbx, rcx
	jne	.regs_done
	mov	rcx, 0x2222222222222222
	cmp	rbp, rcx
	jne	.regs_done
	mov	rcx, 0x3333333333333333
	cmp	rdx, rcx
	jne	.regs_done
	mov	rcx, 0x4444444444444444
	cmp	rsi, rcx
	jne	.regs_done
	mov	rcx, 0x5555555555555555
	cmp	rdi, rcx
	jne	.regs_done
	mov	rcx, 0x6666666666666666
	cmp	r8, rcx
	jne	.regs_done
	mov	rcx, 0x7777777777777777
	cmp	r9, rcx
	jne	.regs_done
	mov	rcx, 0x8888888888888888
	cmp	r10, rcx
	jne	.regs_done
	mov	rcx, 0x9999999999999999
	cmp	r12, rcx
	jne	.regs_done
	mov	rcx, 0xaaaaaaaaaaaaaaaa
	cmp	r13, rcx
	jne	.regs_done
	mov	rcx, 0xbbbbbbbbbbbbbbbb
	cmp	r14, rcx
	jne	.regs_done
	mov	eax, 1
.regs_done:
	mov	[r15 + 8 * 11], rax
	EXIT_GROUP 42
utp_traps_end:

; --- write and the classes ----------------------------------------------------
; Slots: 0 write(1, msg), 1 write(2, msg2), 2 write from page zero, 3 write
; from a kernel address, 4 write to fd 3, 5 an unknown class, 6 class 2
; number 4, 7 an unknown Linux number, 8 a number with high bits set,
; 9 a write of 0 bytes from a bad address. Then exit_group(0).
utp_write:
	mov	r15, rdi
	mov	edi, 1
	lea	rsi, [.msg]
	mov	edx, .msg_end - .msg
	SYSCALL_STORE SYS_write, 0
	mov	edi, 2
	lea	rsi, [.msg2]
	mov	edx, .msg2_end - .msg2
	SYSCALL_STORE SYS_write, 1
	mov	edi, 1
	mov	esi, 0x10
	mov	edx, 8
	SYSCALL_STORE SYS_write, 2
	mov	edi, 1
	mov	rsi, 0xffffffff80000000
	mov	edx, 8
	SYSCALL_STORE SYS_write, 3
	mov	edi, 3
	lea	rsi, [.msg]
	mov	edx, 1
	SYSCALL_STORE SYS_write, 4
	SYSCALL_STORE 0x7000000, 5
	SYSCALL_STORE 0x2000004, 6
	SYSCALL_STORE 999, 7
	mov	rax, 0x100000001
	syscall
	mov	[r15 + 8 * 8], rax
	mov	edi, 1
	mov	esi, 0x10
	xor	edx, edx
	SYSCALL_STORE SYS_write, 9
	EXIT_GROUP 0
.msg:	db	"usermode: hello from user space", 10
.msg_end:
.msg2:	db	"usermode: and from its stderr", 10
.msg2_end:
utp_write_end:

; --- exceptions ---------------------------------------------------------------
; Each does one thing the machine refuses; none comes back.
utp_ud2:
	ud2
utp_ud2_end:

utp_gp:
	cli				; privileged: #GP(0)
	EXIT_GROUP 1
utp_gp_end:

utp_de:
	xor	ecx, ecx
	xor	edx, edx
	mov	eax, 1
	div	ecx
	EXIT_GROUP 1
utp_de_end:

utp_bad_read:
	mov	rax, [abs 0x10]
	EXIT_GROUP 1
utp_bad_read_end:

utp_code_write:
	lea	rax, [utp_code_write]
	mov	[rax], eax		; the code page is read-only
	EXIT_GROUP 1
utp_code_write_end:

utp_kernel_read:
	mov	rax, 0xffffffff80000000
	mov	rax, [rax]		; a supervisor page
	EXIT_GROUP 1
utp_kernel_read_end:

utp_int3:
	int3
	EXIT_GROUP 1
utp_int3_end:

utp_int80:
	int	0x80			; a gate user code may not use: #GP
	EXIT_GROUP 1
utp_int80_end:

utp_sse_div0:
	sub	rsp, 8
	mov	dword [rsp], 0x1f80 & ~(1 << 9)	; divide-by-zero unmasked
	ldmxcsr	[rsp]
	mov	eax, 0x3f800000			; 1.0f
	movd	xmm0, eax
	xorps	xmm1, xmm1
	divss	xmm0, xmm1			; #XM
	stmxcsr	[rdi]				; (a CPU that did not fault)
	EXIT_GROUP 1
utp_sse_div0_end:

utp_x87_div0:
	sub	rsp, 8
	mov	word [rsp], 0x037f & ~(1 << 2)	; zero divide unmasked
	fldcw	[rsp]
	fld1
	fldz
	fdivp	st1, st0			; pending
	fwait					; #MF
	EXIT_GROUP 1
utp_x87_div0_end:

utp_bad_trap:
	mov	eax, MACH_TRAP(500)		; past the table: EXC_SYSCALL
	syscall
	EXIT_GROUP 1
utp_bad_trap_end:

; --- running on -----------------------------------------------------------------
; Count in slot 0, forever.
utp_spin:
	mov	r15, rdi
.loop:
	inc	qword [r15]
	jmp	.loop
utp_spin_end:

; The same with a stack pointer outside user space: every return to it
; after an interrupt has to cope.
utp_spin_bad_rsp:
	mov	r15, rdi
	mov	rsp, 0x8000000000000000
.loop:
	inc	qword [r15]
	jmp	.loop
utp_spin_bad_rsp_end:

; Slot 0 set to 1, then mach_wait_until a deadline that never comes;
; slot 1 gets what it returns (it should not).
utp_wait_forever:
	mov	r15, rdi
	mov	qword [r15], 1
	mov	rdi, 0x7fffffffffffffff
	SYSCALL_STORE MACH_TRAP(90), 1
	EXIT_GROUP 3
utp_wait_forever_end:

; exit (one thread): with rsi the status.
utp_exit_thread:
	mov	edi, esi
	mov	eax, SYS_exit
	syscall
	ud2
utp_exit_thread_end:

; --- registers across switches -----------------------------------------------
; rdi: data page; rsi: a seed; rdx: nonzero if the CPU has AVX; r10: how
; many rounds. First the state it starts with: slot 0 FCW, 1 MXCSR,
; 0x100.. 0x2ff the 16 vector registers as found (32 bytes each, the upper
; halves too with AVX). Then the registers are set from the seed, and each
; round yields (swtch) and spins a little (so that timer interrupts come
; too) and checks them all. Slot 2: rounds done; slot 3: 1 on success,
; 2 on a mismatch (and slot 4 the round). Then exit_group.
%define R_PAT	0x400			; 16 x 32 bytes: the vector pattern
%define R_DUMP	0x600			; 16 x 32 bytes: the registers read back
%define R_INIT	0x100

%macro FOR_VREGS 1			; %1: a macro taking the register number
%assign r 0
%rep 16
	%1 r
%assign r r + 1
%endrep
%endmacro

%macro STORE_YMM 1
	vmovdqu	[r15 + R_DUMP + 32 * %1], ymm%1
%endmacro
%macro LOAD_YMM 1
	vmovdqu	ymm%1, [r15 + R_PAT + 32 * %1]
%endmacro
%macro STORE_XMM 1
	movdqu	[r15 + R_DUMP + 32 * %1], xmm%1
%endmacro
%macro LOAD_XMM 1
	movdqu	xmm%1, [r15 + R_PAT + 32 * %1]
%endmacro
%macro STORE_YMM_INIT 1
	vmovdqu	[r15 + R_INIT + 32 * %1], ymm%1
%endmacro
%macro STORE_XMM_INIT 1
	movdqu	[r15 + R_INIT + 32 * %1], xmm%1
%endmacro

%macro CHECK_GPR 2			; register, offset from the seed
	lea	rax, [r12 + %2]
	cmp	%1, rax
	jne	.fail
%endmacro

utp_regs:
	mov	r15, rdi
	mov	r12, rsi			; the seed, kept
	mov	r13, rdx			; AVX?
	mov	r14, r10			; rounds
	fnstcw	[r15]
	stmxcsr	[r15 + 8]
	test	r13, r13
	jz	.init_sse
	FOR_VREGS STORE_YMM_INIT
	jmp	.pattern
.init_sse:
	FOR_VREGS STORE_XMM_INIT
.pattern:
	; 64 qwords: seed * (i + 1) + i, the upper halves zero without AVX.
	xor	ecx, ecx
.fill:
	lea	rax, [rcx + 1]
	imul	rax, r12
	add	rax, rcx
	test	r13, r13
	jnz	.fill_store
	test	ecx, 2				; qwords 2, 3 of each 4: upper half
	jz	.fill_store
	xor	eax, eax
.fill_store:
	mov	[r15 + R_PAT + 8 * rcx], rax
	inc	ecx
	cmp	ecx, 64
	jb	.fill
	test	r13, r13
	jz	.load_sse
	FOR_VREGS LOAD_YMM
	jmp	.gprs
.load_sse:
	FOR_VREGS LOAD_XMM
.gprs:
	lea	rbx, [r12 + 1]
	lea	rbp, [r12 + 2]
	lea	rdx, [r12 + 3]
	lea	rsi, [r12 + 4]
	lea	rdi, [r12 + 5]
	lea	r8, [r12 + 6]
	lea	r9, [r12 + 7]
	lea	r10, [r12 + 8]
.round:
	mov	eax, MACH_TRAP(60)		; swtch
	syscall
	mov	ecx, 5000
.spin:
	dec	ecx
	jnz	.spin
	CHECK_GPR rbx, 1
	CHECK_GPR rbp, 2
	CHECK_GPR rdx, 3
	CHECK_GPR rsi, 4
	CHECK_GPR rdi, 5
	CHECK_GPR r8, 6
	CHECK_GPR r9, 7
	CHECK_GPR r10, 8
	test	r13, r13
	jz	.dump_sse
	FOR_VREGS STORE_YMM
	jmp	.compare
.dump_sse:
	FOR_VREGS STORE_XMM
.compare:
	xor	ecx, ecx
.cmp:
	mov	rax, [r15 + R_PAT + 8 * rcx]
	cmp	rax, [r15 + R_DUMP + 8 * rcx]
	jne	.fail
	inc	ecx
	cmp	ecx, 64
	jb	.cmp
	inc	qword [r15 + 16]
	dec	r14
	jnz	.round
	mov	qword [r15 + 24], 1
	EXIT_GROUP 0
.fail:
	mov	qword [r15 + 24], 2
	mov	rax, [r15 + 16]
	mov	[r15 + 32], rax
	EXIT_GROUP 1
utp_regs_end:

; --- the null trap's round trip ------------------------------------------------
; rsi: calls per batch; rdx: batches. Slot 0: the fewest TSC cycles a batch
; of kern_invalid traps took; slot 1: the same for a Linux number that
; answers ENOSYS. The batches alternate, after one of each to warm up (the
; first calls pay for TCG's translation). Then exit_group.
%macro TIMED_BATCH 2			; number, slot for the minimum
	mov	r12, r14
	rdtsc
	shl	rdx, 32
	or	rax, rdx
	mov	r13, rax
%%loop:
	mov	eax, %1
	syscall
	dec	r12
	jnz	%%loop
	rdtsc
	shl	rdx, 32
	or	rax, rdx
	sub	rax, r13
	cmp	rax, [r15 + 8 * (%2)]
	jae	%%done
	mov	[r15 + 8 * (%2)], rax
%%done:
%endmacro

utp_bench:
	mov	r15, rdi
	mov	r14, rsi
	lea	rbx, [rdx + 1]
	mov	qword [r15], -1
	mov	qword [r15 + 8], -1
	TIMED_BATCH MACH_TRAP(0), 2	; the warm-up, into a slot nobody reads
	TIMED_BATCH 999, 2
.batch:
	TIMED_BATCH MACH_TRAP(0), 0
	TIMED_BATCH 999, 1
	dec	rbx
	jnz	.batch
	EXIT_GROUP 0
utp_bench_end:
