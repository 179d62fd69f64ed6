; multiboot2.asm - the GRUB way in: a multiboot2 header and its 32-bit entry.
;
; GRUB loads the ELF segments at their physical addresses and jumps to the ELF
; entry point (mb2_entry) in 32-bit protected mode, paging off, with the
; multiboot2 magic in eax and the physical address of the boot information in
; ebx. The header must sit in the first 32 KiB of the file, 8-byte aligned; the
; linker script puts .multiboot2 first.

%include "boot/boot.inc"

%define MB2_HEADER_MAGIC	0xe85250d6
%define MB2_BOOTLOADER_MAGIC	0x36d76289
%define MB2_ARCH_I386		0

extern boot_common32
extern boot_fail32
global mb2_entry

section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
	dd MB2_HEADER_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	; Information request (optional: flag 1): command line, loader name,
	; modules, memory map, framebuffer, both ACPI RSDP copies.
	align 8
.info_req:
	dw 1, 1
	dd .info_req_end - .info_req
	dd 1, 2, 3, 6, 8, 14, 15
.info_req_end:

	; Modules page-aligned, so the initrd never shares a page with anything.
	align 8
	dw 6, 0
	dd 8

	; End tag.
	align 8
	dw 0, 0
	dd 8
mb2_header_end:

section .boot.text progbits alloc exec nowrite align=16
bits 32
mb2_entry:
	cmp	eax, MB2_BOOTLOADER_MAGIC
	jne	.bad_magic
	mov	esi, BOOT_LOADER_MULTIBOOT2
	mov	edi, ebx
	jmp	boot_common32
.bad_magic:
	mov	esi, mb2_bad_magic_msg
	jmp	boot_fail32

section .boot.data progbits alloc noexec write align=8
mb2_bad_magic_msg:
	db "Machina: entered at the multiboot2 entry without the multiboot2 magic in eax", 0
