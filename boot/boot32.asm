; boot32.asm - the switch to long mode, shared by both ways in.
;
; Entered from mb2_entry or pvh_entry in 32-bit protected mode, paging off,
; interrupts off, with esi = the loader kind and edi = the physical address of
; the loader's boot information. It:
;
;   1. checks for CPUID and long mode (a message on COM1 and VGA if absent);
;   2. records the TSC at kernel entry (the first boot milestone);
;   3. builds early page tables: 0-4 GiB identity-mapped and aliased at the
;      direct map (PHYSMAP_BASE), and the first 2 GiB at KERNEL_BASE, all with
;      2 MiB pages;
;   4. turns on PAE, long mode, NX (when the CPU has it), paging and
;      write-protect;
;   5. jumps to 64-bit code, moves to the boot stack in the higher half and
;      calls x86_64_boot_start(loader, info_phys), which never returns.
;
; The early tables live only until pmap_bootstrap() builds the kernel's own.

%include "boot/boot.inc"

%define CR0_PE		(1 << 0)
%define CR0_WP		(1 << 16)
%define CR0_PG		(1 << 31)
%define CR4_PAE		(1 << 5)
%define MSR_EFER	0xc0000080
%define EFER_LME	(1 << 8)
%define EFER_NXE	(1 << 11)
%define CPUID_EXT_LM	(1 << 29)
%define CPUID_EXT_NX	(1 << 20)
%define PTE_P		(1 << 0)
%define PTE_W		(1 << 1)
%define PTE_PS		(1 << 7)

%define BOOT_STACK_SIZE	(16 * 1024)

global boot_common32
global boot_fail32
global boot_tsc_entry
global boot_loader_kind
global boot_info_phys
global boot_cpuid_ext_edx
global boot_stack_guard
global boot_stack_bottom
global boot_stack_top
extern x86_64_boot_start

section .boot.bss nobits alloc noexec write align=4096
boot_pml4:	resb 4096
boot_pdpt_low:	resb 4096
boot_pdpt_high:	resb 4096
boot_pd:	resb 4096 * 4		; 4 x 512 x 2 MiB = 0-4 GiB
boot_stack32:	resb 4096
boot_stack32_top:

; The 64-bit boot stack, in the higher half. The page below it is a guard:
; pmap_bootstrap() leaves it unmapped, so an overflow faults (and, with no
; stack left to push on, becomes a double fault on its own IST stack).
section .bss.stack nobits alloc noexec write align=4096
boot_stack_guard:	resb 4096
boot_stack_bottom:	resb BOOT_STACK_SIZE
boot_stack_top:

section .boot.data progbits alloc noexec write align=8
boot_tsc_entry:		dq 0
boot_loader_kind:	dd 0
boot_info_phys:		dd 0
boot_cpuid_ext_edx:	dd 0

align 8
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff		; 0x08: 64-bit code, DPL 0
	dq 0x00cf92000000ffff		; 0x10: data, DPL 0
boot_gdt_end:
boot_gdtr:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt

no_cpuid_msg:	db "Machina: this CPU has no CPUID; Machina needs an x86-64 CPU", 0
no_lm_msg:	db "Machina: this CPU has no long mode; Machina needs an x86-64 CPU", 0

section .boot.text progbits alloc exec nowrite align=16
bits 32

boot_common32:
	cld
	mov	[boot_loader_kind], esi
	mov	[boot_info_phys], edi
	mov	esp, boot_stack32_top

	; CPUID exists if EFLAGS.ID can be toggled.
	pushfd
	pop	eax
	mov	ecx, eax
	xor	eax, 1 << 21
	push	eax
	popfd
	pushfd
	pop	eax
	push	ecx
	popfd
	cmp	eax, ecx
	mov	esi, no_cpuid_msg
	je	boot_fail32

	mov	eax, 0x80000000
	cpuid
	cmp	eax, 0x80000001
	mov	esi, no_lm_msg
	jb	boot_fail32
	mov	eax, 0x80000001
	cpuid
	mov	[boot_cpuid_ext_edx], edx
	test	edx, CPUID_EXT_LM
	jz	boot_fail32

	rdtsc
	mov	[boot_tsc_entry], eax
	mov	[boot_tsc_entry + 4], edx

	; Zero the early tables (7 pages).
	mov	edi, boot_pml4
	mov	ecx, (7 * 4096) / 4
	xor	eax, eax
	rep stosd

	; 2048 2 MiB pages covering 0-4 GiB.
	mov	edi, boot_pd
	mov	eax, PTE_P | PTE_W | PTE_PS
	mov	ecx, 2048
.fill_pd:
	mov	[edi], eax
	add	eax, 0x200000
	add	edi, 8
	loop	.fill_pd

	; pdpt_low[0..3] -> the four PDs: 0-4 GiB.
	mov	edi, boot_pdpt_low
	mov	eax, boot_pd + (PTE_P | PTE_W)
	mov	ecx, 4
.fill_pdpt:
	mov	[edi], eax
	add	eax, 4096
	add	edi, 8
	loop	.fill_pdpt

	; pml4[0] (identity) and pml4[256] (PHYSMAP_BASE) share pdpt_low;
	; pml4[511] -> pdpt_high, whose last two entries map the first 2 GiB at
	; KERNEL_BASE (-2 GiB).
	mov	dword [boot_pml4 + 0 * 8], boot_pdpt_low + (PTE_P | PTE_W)
	mov	dword [boot_pml4 + 256 * 8], boot_pdpt_low + (PTE_P | PTE_W)
	mov	dword [boot_pml4 + 511 * 8], boot_pdpt_high + (PTE_P | PTE_W)
	mov	dword [boot_pdpt_high + 510 * 8], boot_pd + (PTE_P | PTE_W)
	mov	dword [boot_pdpt_high + 511 * 8], boot_pd + 4096 + (PTE_P | PTE_W)

	mov	eax, cr4
	or	eax, CR4_PAE
	mov	cr4, eax

	mov	eax, boot_pml4
	mov	cr3, eax

	mov	ecx, MSR_EFER
	rdmsr
	or	eax, EFER_LME
	test	dword [boot_cpuid_ext_edx], CPUID_EXT_NX
	jz	.no_nx
	or	eax, EFER_NXE
.no_nx:
	wrmsr

	mov	eax, cr0
	or	eax, CR0_PG | CR0_WP | CR0_PE
	mov	cr0, eax

	lgdt	[boot_gdtr]
	jmp	0x08:long_mode_entry

; boot_fail32: print the NUL-terminated message at esi on COM1 and the VGA
; text screen, then stop. For CPUs and loaders Machina cannot run on.
boot_fail32:
	; COM1: 115200 8N1, FIFOs on.
	mov	dx, COM1 + 1
	xor	al, al
	out	dx, al
	mov	dx, COM1 + 3
	mov	al, 0x80
	out	dx, al
	mov	dx, COM1
	mov	al, 1
	out	dx, al
	mov	dx, COM1 + 1
	xor	al, al
	out	dx, al
	mov	dx, COM1 + 3
	mov	al, 3
	out	dx, al
	mov	dx, COM1 + 2
	mov	al, 0xc7
	out	dx, al
	mov	edi, 0xb8000
.next:
	lodsb
	test	al, al
	jz	.done
	mov	ah, 0x4f			; white on red
	mov	[edi], ax
	add	edi, 2
	call	.putc
	jmp	.next
.done:
	mov	al, 13
	call	.putc
	mov	al, 10
	call	.putc
.halt:
	cli
	hlt
	jmp	.halt
.putc:					; al -> COM1, waiting for room
	mov	bl, al
	mov	dx, COM1 + 5
	mov	ecx, 100000
.wait:
	in	al, dx
	test	al, 0x20
	loopz	.wait
	mov	dx, COM1
	mov	al, bl
	out	dx, al
	ret

bits 64
long_mode_entry:
	mov	ax, 0x10
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	xor	eax, eax
	mov	fs, ax
	mov	gs, ax

	mov	rsp, boot_stack_top
	xor	ebp, ebp			; a zero frame pointer and a zero
	push	0				; return address end every backtrace
	mov	edi, [boot_loader_kind]
	mov	esi, [boot_info_phys]
	mov	rax, x86_64_boot_start
	jmp	rax				; never returns
.hang:
	cli
	hlt
	jmp	.hang
