/*
 * elf_loader.c - loading a static ELF64 executable into a task
 * (elf_loader.h).
 */

#include "bsd/kern/elf_loader.h"

#include <stdbool.h>

#include "bsd/kern/kern_aslr.h"
#include "kernel/copyio.h"
#include "kernel/kheap.h"
#include "kernel/machine_routines.h"
#include "kernel/machine/vm_param.h"
#include "kernel/random.h"
#include "libkern/elf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_page.h"

/* The auxiliary vector's types (the System V ABI's numbers). */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31

#define NAUXV		17	/* the entries built below, AT_NULL included */

static kern_return_t
fail(kern_return_t kr, char *err, size_t errlen, const char *fmt, const char *what)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, fmt, what);
	return kr;
}

/*
 * An object holding segment es's file bytes, page by page, for the pages
 * [start, end) it is mapped at; pages with no file bytes are left out (they
 * read as zeros). NULL if memory ran out.
 */
static vm_object_t
segment_object(const uint8_t *image, const struct elf_segment *es, uint64_t start,
    uint64_t end)
{
	vm_object_t object = vm_object_allocate(end - start);
	uint64_t file_end = es->es_vaddr + es->es_filesz;

	if (object == VM_OBJECT_NULL)
		return VM_OBJECT_NULL;
	vm_object_lock(object);
	for (uint64_t page = start; page < end && page < file_end; page += PAGE_SIZE) {
		uint64_t from = page > es->es_vaddr ? page : es->es_vaddr;
		uint64_t to = page + PAGE_SIZE < file_end ? page + PAGE_SIZE : file_end;
		struct vm_page *m;
		uint8_t *kva;

		if (to <= from)
			continue;
		m = vm_page_grab(VM_PAGE_USE_OBJECT);
		if (m == NULL) {
			vm_object_unlock(object);
			vm_object_deallocate(object);
			return VM_OBJECT_NULL;
		}
		kva = phystokv(vm_page_to_phys(m));
		/* The file's bytes, and zeros around them: each byte written once. */
		memset(kva, 0, from - page);
		memcpy(kva + (from - page), image + es->es_offset + (from - es->es_vaddr),
		    to - from);
		memset(kva + (to - page), 0, page + PAGE_SIZE - to);
		vm_object_page_insert(object, m, page - start);
	}
	vm_object_unlock(object);
	return object;
}

static kern_return_t
map_segment(vm_map_t map, const uint8_t *image, const struct elf_segment *es)
{
	mach_vm_address_t start = trunc_page(es->es_vaddr);
	uint64_t end = round_page(es->es_vaddr + es->es_memsz);
	vm_object_t object = segment_object(image, es, start, end);
	kern_return_t kr;

	if (object == VM_OBJECT_NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = vm_map_enter(map, &start, end - start, 0, VM_FLAGS_FIXED, object, 0, FALSE,
	    es->es_prot, VM_PROT_ALL, VM_INHERIT_COPY);
	vm_object_deallocate(object);	/* the map holds its own reference */
	return kr;
}

/* Copy str with its NUL to dst; returns the byte after it. */
static char *
put_string(char *dst, const char *str)
{
	size_t n = strlen(str) + 1;

	memcpy(dst, str, n);
	return dst + n;
}

static size_t
count_strings(const char *const *v, size_t *bytes)
{
	size_t n = 0;

	for (; v != NULL && v[n] != NULL; n++)
		*bytes += strlen(v[n]) + 1;
	return n;
}

/*
 * Build the entry stack in a kernel buffer that mirrors [sp, top) and copy
 * it out into the task's map. Returns the user rsp in *sp_out.
 */
static kern_return_t
build_entry_stack(vm_map_t map, uint64_t top, const struct elf_exec_info *info,
    const char *const *argv, const char *const *envp, const struct load_params *lp,
    uint64_t *sp_out, char *err, size_t errlen)
{
	static const char *const default_argv[] = { "prog", NULL };
	static const struct load_params root = { NULL, 0, 0, 0, 0, 0, 0, 0 };
	size_t strbytes = 0, argc, envc, words, size;
	uint64_t strings, random, sp, execfn, *w;
	uint8_t *buf;
	char *s;
	vm_map_t old;
	int error;

	if (argv == NULL || argv[0] == NULL)
		argv = default_argv;
	if (lp == NULL)
		lp = &root;
	argc = count_strings(argv, &strbytes);
	envc = count_strings(envp, &strbytes);
	if (lp->lp_execfn != NULL)
		strbytes += strlen(lp->lp_execfn) + 1;
	words = 1 + (argc + 1) + (envc + 1) + 2 * NAUXV;
	if (strbytes + words * sizeof(uint64_t) > ELF_ARG_MAX)
		return fail(KERN_INVALID_ARGUMENT, err, errlen,
		    "%s: the arguments and environment are larger than ELF_ARG_MAX", "exec");

	strings = (top - strbytes) & ~15ULL;
	random = strings - 16;
	sp = (random - words * sizeof(uint64_t)) & ~15ULL;
	size = top - sp;
	buf = kheap_alloc(&kernel_heap, size);
	if (buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(buf, 0, size);

#define AT(uaddr)	(buf + ((uaddr) - sp))
	w = (uint64_t *)AT(sp);
	s = (char *)AT(strings);
	*w++ = argc;
	for (size_t i = 0; i < argc; i++) {
		*w++ = strings + (uint64_t)(s - (char *)AT(strings));
		s = put_string(s, argv[i]);
	}
	*w++ = 0;
	for (size_t i = 0; i < envc; i++) {
		*w++ = strings + (uint64_t)(s - (char *)AT(strings));
		s = put_string(s, envp[i]);
	}
	*w++ = 0;
	execfn = strings;		/* argv[0]'s string comes first */
	if (lp->lp_execfn != NULL) {
		execfn = strings + (uint64_t)(s - (char *)AT(strings));
		s = put_string(s, lp->lp_execfn);
	}
	read_random(AT(random), 16);
	{
		const uint64_t auxv[NAUXV][2] = {
			{ AT_PHDR, info->ei_phdr },
			{ AT_PHENT, info->ei_phentsize },
			{ AT_PHNUM, info->ei_phnum },
			{ AT_PAGESZ, PAGE_SIZE },
			{ AT_BASE, 0 },
			{ AT_FLAGS, 0 },
			{ AT_ENTRY, info->ei_entry },
			{ AT_UID, lp->lp_uid },
			{ AT_EUID, lp->lp_euid },
			{ AT_GID, lp->lp_gid },
			{ AT_EGID, lp->lp_egid },
			{ AT_HWCAP, ml_cpu_hwcap() },
			{ AT_CLKTCK, 100 },
			{ AT_SECURE, (uint64_t)lp->lp_secure },
			{ AT_RANDOM, random },
			{ AT_EXECFN, execfn },
			{ AT_NULL, 0 },
		};

		memcpy(w, auxv, sizeof(auxv));
	}
#undef AT

	old = vm_map_switch(map);
	error = copyout(buf, sp, size);
	(void)vm_map_switch(old);
	kheap_free(&kernel_heap, buf);
	if (error != 0)
		return KERN_RESOURCE_SHORTAGE;
	*sp_out = sp;
	return KERN_SUCCESS;
}

kern_return_t
load_elf_executable(task_t task, const void *image, size_t len, const char *const *argv,
    const char *const *envp, struct load_result *result, char *err, size_t errlen)
{
	return load_elf_map(task->map, image, len, argv, envp, NULL, result, err, errlen);
}

kern_return_t
load_elf_map(vm_map_t map, const void *image, size_t len, const char *const *argv,
    const char *const *envp, const struct load_params *params, struct load_result *result,
    char *err, size_t errlen)
{
	struct elf_exec_info *info;
	mach_vm_address_t guard = 0, stack = 0, stack_top = USRSTACK64;
	uint64_t stack_size, pie_slide = 0;
	vm_prot_t stack_prot;
	unsigned mapped = 0;		/* segments mapped so far */
	boolean_t guard_mapped = FALSE, stack_mapped = FALSE;
	kern_return_t kr;

	/* Slides the caller could not have drawn are refused, not trusted. */
	if (params != NULL) {
		if ((params->lp_stack_slide & PAGE_MASK) != 0 ||
		    params->lp_stack_slide >= ASLR_STACK_PAGES * PAGE_SIZE ||
		    (params->lp_pie_slide & PAGE_MASK) != 0 ||
		    params->lp_pie_slide >= ASLR_PIE_PAGES * PAGE_SIZE)
			return fail(KERN_INVALID_ARGUMENT, err, errlen,
			    "%s: a layout slide out of range", "exec");
		stack_top -= params->lp_stack_slide;
		pie_slide = params->lp_pie_slide;
	}
	info = kheap_alloc(&kernel_heap, sizeof(*info));
	if (info == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = elf_exec_parse(image, len, MACH_VM_MIN_ADDRESS, MACH_VM_MAX_ADDRESS, info, err,
	    errlen);
	if (kr == KERN_SUCCESS && info->ei_type == ET_DYN)
		kr = elf_exec_slide(info, ELF_PIE_BASE + pie_slide - info->ei_start,
		    MACH_VM_MIN_ADDRESS, MACH_VM_MAX_ADDRESS, err, errlen);
	if (kr != KERN_SUCCESS)
		goto out;

	stack_size = info->ei_stack_size != 0 ? round_page(info->ei_stack_size) : DFLSSIZ;
	if (stack_size > MAXSSIZ)
		stack_size = MAXSSIZ;
	stack = stack_top - stack_size;
	guard = stack - PAGE_SIZE;
	if (info->ei_end > guard) {
		kr = fail(KERN_NO_SPACE, err, errlen,
		    "%s: the image reaches into the stack's place", "exec");
		goto out;
	}
	for (; mapped < info->ei_nsegments; mapped++) {
		kr = map_segment(map, image, &info->ei_segments[mapped]);
		if (kr != KERN_SUCCESS) {
			(void)fail(kr, err, errlen, "%s: could not map the image's segments",
			    "exec");
			goto undo;
		}
	}

	/* The stack, with a guard below it that no vm_protect can open. */
	stack_prot = VM_PROT_READ | VM_PROT_WRITE | (info->ei_stack_prot & VM_PROT_EXECUTE);
	kr = vm_map_enter(map, &guard, PAGE_SIZE, 0, VM_FLAGS_FIXED |
	    VM_MAKE_TAG(VM_MEMORY_GUARD), VM_OBJECT_NULL, 0, FALSE, VM_PROT_NONE, VM_PROT_NONE,
	    VM_INHERIT_COPY);
	guard_mapped = kr == KERN_SUCCESS;
	if (kr == KERN_SUCCESS) {
		kr = vm_map_enter(map, &stack, stack_size, 0, VM_FLAGS_FIXED |
		    VM_MAKE_TAG(VM_MEMORY_STACK), VM_OBJECT_NULL, 0, FALSE, stack_prot,
		    VM_PROT_ALL, VM_INHERIT_COPY);
		stack_mapped = kr == KERN_SUCCESS;
	}
	if (kr != KERN_SUCCESS) {
		(void)fail(kr, err, errlen, "%s: could not map the stack", "exec");
		goto undo;
	}
	kr = build_entry_stack(map, stack_top, info, argv, envp, params,
	    &result->lr_user_stack, err, errlen);
	if (kr != KERN_SUCCESS)
		goto undo;
	result->lr_entry = info->ei_entry;
	result->lr_stack_base = stack;
	result->lr_stack_size = stack_size;
	result->lr_image_start = info->ei_start;
	result->lr_image_end = info->ei_end;
	goto out;
undo:
	/* Only what this call mapped: the map may hold other things. */
	while (mapped-- > 0) {
		const struct elf_segment *es = &info->ei_segments[mapped];

		(void)vm_map_remove(map, trunc_page(es->es_vaddr),
		    round_page(es->es_vaddr + es->es_memsz));
	}
	if (stack_mapped)
		(void)vm_map_remove(map, stack, stack + stack_size);
	if (guard_mapped)
		(void)vm_map_remove(map, guard, guard + PAGE_SIZE);
out:
	kheap_free(&kernel_heap, info);
	return kr;
}
