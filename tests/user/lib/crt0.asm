; crt0.asm - where a user test program starts: _start, the ELF entry point.
;
; The kernel enters _start with the System V process stack (AMD64 psABI,
; "Initial Stack and Register State"):
;
;	rsp ->	argc
;		argv[0] ... argv[argc - 1], NULL
;		envp[0] ... NULL
;		auxv pairs (a_type, a_val) ... AT_NULL
;
; _start marks the outermost frame (rbp = 0, so backtraces stop), hands that
; stack pointer to ulib_start() in C, and keeps rsp 16-byte aligned at the
; call, as the ABI wants of every call. ulib_start() never returns; if it
; did, ud2 would stop the program with an invalid-opcode fault.

	bits	64
	default	rel

	section	.text
	global	_start
	extern	ulib_start

_start:
	xor	ebp, ebp
	mov	rdi, rsp
	and	rsp, -16
	call	ulib_start
	ud2

	section	.note.GNU-stack noalloc noexec nowrite progbits
