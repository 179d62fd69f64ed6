; copyio_bytes.asm - the byte copies behind copyin, copyout and copyinstr.
;
; Each opens the user window (stac), copies, and closes it (clac). The
; running thread's recovery address (machine.recover) points at the
; routine's own exit for the length of the copy: a page fault on a user
; address that the VM system cannot resolve resumes there (trap.c), with
; the window closed and EFAULT returned. copyio.c checks the ranges first;
; these never see a kernel address as the user side.
;
; The stac and clac are only executed when the CPU has SMAP (copyio_smap
; is patched to 1 by copyio_init); without it they would be #UD.

%include "assym.inc"

global _copyio_bytes
global _copyinstr_bytes
global copyio_smap

section .data.hot progbits alloc noexec write align=4	; with the hot globals (cdefs.h)
copyio_smap:	dd 0

section .text

%macro USER_WINDOW_OPEN 0
	cmp	dword [rel copyio_smap], 0
	je	%%skip
	stac
%%skip:
%endmacro

%macro USER_WINDOW_CLOSE 0
	cmp	dword [rel copyio_smap], 0
	je	%%skip
	clac
%%skip:
%endmacro

; int _copyio_bytes(void *dst, const void *src, size_t len)
_copyio_bytes:
	mov	r8, [gs:CPU_ACTIVE_THREAD]
	lea	rax, [rel .fault]
	mov	[r8 + TH_RECOVER], rax
	USER_WINDOW_OPEN
	mov	rcx, rdx
	rep movsb
	USER_WINDOW_CLOSE
	mov	qword [r8 + TH_RECOVER], 0
	xor	eax, eax
	ret
.fault:
	USER_WINDOW_CLOSE
	mov	qword [r8 + TH_RECOVER], 0
	mov	eax, EFAULT_VALUE
	ret

; int _copyinstr_bytes(void *kdst, const void *usrc, size_t max, size_t *done)
; Copies up to max bytes, stopping after a NUL; *done counts the bytes
; copied (the NUL included). ENAMETOOLONG if max bytes held no NUL.
_copyinstr_bytes:
	mov	r8, [gs:CPU_ACTIVE_THREAD]
	lea	rax, [rel .fault]
	mov	[r8 + TH_RECOVER], rax
	xor	r9, r9				; bytes copied
	USER_WINDOW_OPEN
.loop:
	cmp	r9, rdx
	je	.toolong
	mov	al, [rsi + r9]
	mov	[rdi + r9], al
	inc	r9
	test	al, al
	jnz	.loop
	USER_WINDOW_CLOSE
	xor	eax, eax
	jmp	.out
.toolong:
	USER_WINDOW_CLOSE
	mov	eax, ENAMETOOLONG_VALUE
	jmp	.out
.fault:
	USER_WINDOW_CLOSE
	mov	eax, EFAULT_VALUE
.out:
	mov	qword [r8 + TH_RECOVER], 0
	test	rcx, rcx
	jz	.nodone
	mov	[rcx], r9
.nodone:
	ret
