/*
 * elf_loader.h - loading a static ELF64 executable into a task: its
 * segments, its stack, and the System V process-entry stack (argc, argv,
 * envp, the auxiliary vector) that its _start expects.
 *
 * This is XNU's load_machfile for the ELF files Machina runs: the parsing
 * and every check of the file are libkern/elf.c's (elf_exec_parse); this
 * file turns the checked description into VM objects and map entries:
 *
 *   each PT_LOAD segment	an object holding the segment's file bytes (a
 *				page is allocated only where the file has
 *				bytes; the rest is zero-fill on demand),
 *				mapped at its pages with its protection,
 *				maximum VM_PROT_ALL, inherited by copy;
 *   the stack			DFLSSIZ (or PT_GNU_STACK's size) of anonymous
 *				memory ending at USRSTACK64, read-write (and
 *				executable only if PT_GNU_STACK says so),
 *				with a guard page below it that can never be
 *				made accessible;
 *   the entry stack		at the top of the stack, 16-byte aligned:
 *				argc, argv[], NULL, envp[], NULL, then the
 *				auxiliary vector (AT_PHDR, AT_PHENT, AT_PHNUM,
 *				AT_PAGESZ, AT_ENTRY, AT_RANDOM, AT_EXECFN,
 *				AT_UID and kin, AT_SECURE, AT_HWCAP,
 *				AT_CLKTCK), then the strings
 *				and AT_RANDOM's 16 bytes above.
 *
 * A static PIE (ET_DYN without PT_INTERP) is placed at ELF_PIE_BASE.
 *
 * The task's map must hold nothing where the image and the stack go. On
 * failure, whatever the loader mapped is removed again, and err says why
 * (the file's fault, from elf.c, or the loader's: no memory, arguments too
 * large).
 *
 * Locks: takes the task's map lock; none may be held by the caller. The
 * calling thread borrows the task's map to write the entry stack.
 */

#ifndef BSD_KERN_ELF_LOADER_H
#define BSD_KERN_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "mach/kern/kern_types.h"
#include "mach/kern_return.h"

/* Where a static PIE is put, before its slide (load_params). */
#define ELF_PIE_BASE	0x0000555555554000ULL

/*
 * The most the entry stack's argv and envp may hold together, strings and
 * pointers: execve's ARG_MAX (2 MiB) and room for what exec adds (an
 * interpreter's name and argument, the file's name for AT_EXECFN).
 */
#define ELF_ARG_MAX	(2 * 1024 * 1024 + 64 * 1024)

/*
 * Who the program runs as, and its file's name, for the auxiliary vector;
 * and where it goes (kern_aslr.h): both slides page-aligned, the stack's
 * below ASLR_STACK_PAGES pages, a PIE's below ASLR_PIE_PAGES.
 */
struct load_params {
	const char	*lp_execfn;	/* AT_EXECFN's string; NULL: argv[0] */
	uint32_t	lp_uid, lp_euid, lp_gid, lp_egid;
	int		lp_secure;	/* AT_SECURE */
	uint64_t	lp_stack_slide;	/* the stack ends this far below USRSTACK64 */
	uint64_t	lp_pie_slide;	/* a static PIE starts this far above ELF_PIE_BASE */
};

struct load_result {
	uint64_t	lr_entry;	/* where the first user instruction is */
	uint64_t	lr_user_stack;	/* rsp at entry: it points at argc */
	uint64_t	lr_stack_base;	/* the stack's lowest address (above its guard) */
	uint64_t	lr_stack_size;
	uint64_t	lr_image_start;	/* the lowest page of the image */
	uint64_t	lr_image_end;	/* past its highest */
};

/*
 * load_elf_executable: map the executable image[0, len) into task and
 * build its entry stack from argv and envp (NULL-terminated; argv may be
 * NULL for none, and then argv[0] is "prog"). The image may be freed
 * once this returns: everything is copied.
 * Returns KERN_SUCCESS with *result filled;
 *   KERN_INVALID_ARGUMENT	a malformed file, or arguments over ELF_ARG_MAX;
 *   KERN_NOT_SUPPORTED		a file Machina does not run (dynamic, 32-bit,
 *				another machine);
 *   KERN_INVALID_ADDRESS	segments outside user space;
 *   KERN_NO_SPACE		the task's map already uses those addresses;
 *   KERN_RESOURCE_SHORTAGE	no memory.
 */
kern_return_t	load_elf_executable(task_t task, const void *image, size_t len,
		    const char *const *argv, const char *const *envp,
		    struct load_result *result, char *err, size_t errlen);

/*
 * load_elf_map: the same into map (a new map no thread runs in yet: exec
 * builds the new image there before it gives up the old one), with the
 * ids, file name and slides of params (NULL: root, argv[0], no slides).
 * load_elf_executable slides nothing.
 */
kern_return_t	load_elf_map(vm_map_t map, const void *image, size_t len,
		    const char *const *argv, const char *const *envp,
		    const struct load_params *params, struct load_result *result, char *err,
		    size_t errlen);

#endif /* BSD_KERN_ELF_LOADER_H */
