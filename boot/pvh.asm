; pvh.asm - the QEMU -kernel way in: a PVH ELF note and its 32-bit entry.
;
; QEMU refuses ELF64 images through its multiboot loader, but boots any ELF
; that carries XEN_ELFNOTE_PHYS32_ENTRY: it loads the segments at their
; physical addresses and enters at the note's address in 32-bit protected mode,
; paging off, with ebx pointing at a struct hvm_start_info.
;
; QEMU reads the note's value as a pointer-sized word located with the note
; segment's alignment, so the note is 4-aligned and its value is 8 bytes wide.

%include "boot/boot.inc"

%define XEN_ELFNOTE_PHYS32_ENTRY	18

extern boot_common32
global pvh_entry

section .note.Xen note alloc noexec nowrite align=4
	dd 4				; namesz: "Xen\0"
	dd 8				; descsz
	dd XEN_ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dq pvh_entry

section .boot.text progbits alloc exec nowrite align=16
bits 32
pvh_entry:
	mov	esi, BOOT_LOADER_PVH
	mov	edi, ebx
	jmp	boot_common32
