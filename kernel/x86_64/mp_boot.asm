; mp_boot.asm - the application processors' way in.
;
; An AP starts in 16-bit real mode at the page its startup IPI names. This
; code is copied to that page (below 1 MiB) by mp.c, which also fills the
; data at its end: the page-table root, the EFER bits, the stack, the
; per-CPU block and the 64-bit entry point. It is written to run wherever
; it is copied: real-mode offsets are relative to its start (CS = page),
; and ebx keeps its linear base from there on.
;
; Real mode -> protected mode (its own GDT) -> long mode (a temporary
; page table that also identity-maps this page) -> the higher half, where
; x86_64_ap_start(cpu_data) takes over.

global mp_trampoline_start
global mp_trampoline_end
global mp_trampoline_data

%define T(label)	((label) - mp_trampoline_start)

section .rodata
align 16
mp_trampoline_start:
bits 16
	cli
	cld
	mov	ax, cs
	mov	ds, ax
	xor	ebx, ebx
	mov	bx, ax
	shl	ebx, 4				; ebx = linear base, kept from here on
	lgdt	[T(tr_gdtr)]
	mov	eax, cr0
	or	eax, 1
	mov	cr0, eax
	jmp	dword far [T(tr_pm32_ptr)]

bits 32
tr_pm32:
	mov	ax, 0x10
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	eax, cr4
	or	eax, 1 << 5			; PAE
	mov	cr4, eax
	mov	eax, [ebx + T(tr_cr3)]
	mov	cr3, eax
	mov	ecx, 0xc0000080			; EFER
	rdmsr
	or	eax, [ebx + T(tr_efer)]		; LME, and NXE if the BSP has it
	wrmsr
	mov	eax, cr0
	or	eax, (1 << 31) | (1 << 16)	; PG, WP
	mov	cr0, eax
	jmp	far [ebx + T(tr_lm_ptr)]

bits 64
tr_lm64:
	mov	ebx, ebx			; zero the upper half
	mov	rsp, [rbx + T(tr_stack)]
	mov	rdi, [rbx + T(tr_cpu_data)]
	xor	ebp, ebp
	push	0
	mov	rax, [rbx + T(tr_entry)]
	jmp	rax

align 8
tr_gdt:
	dq	0
	dq	0x00cf9a000000ffff		; 0x08: 32-bit code
	dq	0x00cf92000000ffff		; 0x10: data
	dq	0x00af9a000000ffff		; 0x18: 64-bit code
tr_gdt_end:

; Filled by mp.c (struct mp_trampoline_data): keep the layouts equal.
align 8
mp_trampoline_data:
tr_gdtr:	dw	tr_gdt_end - tr_gdt - 1
		dd	0				; base + T(tr_gdt)
		dw	0				; pad
tr_pm32_ptr:	dd	0				; base + T(tr_pm32)
		dw	0x08
		dw	0
tr_lm_ptr:	dd	0				; base + T(tr_lm64)
		dw	0x18
		dw	0
tr_cr3:		dd	0
tr_efer:	dd	0
tr_stack:	dq	0
tr_cpu_data:	dq	0
tr_entry:	dq	0
mp_trampoline_end:

global mp_trampoline_offsets
mp_trampoline_offsets:
	dd	T(tr_gdt)
	dd	T(tr_pm32)
	dd	T(tr_lm64)
	dd	T(mp_trampoline_data)
