/*
 * elf_loader_test.c - in-kernel tests of the ELF loader, with the user
 * test programs of the initrd (/usr/tests/...): where everything lands,
 * what the entry stack holds, and that a failure leaves the map as it was.
 */

#include "bsd/kern/elf_loader.h"

#include "bsd/kern/kern_aslr.h"
#include "kernel/copyio.h"
#include "kernel/initrd.h"
#include "kernel/kheap.h"
#include "kernel/machine/vm_param.h"
#include "libkern/elf.h"
#include "libkern/panic.h"
#include "mach/kern/task.h"
#include "mach/vm/vm_map.h"
#include "tests/ktest.h"

static task_t
new_task(void)
{
	task_t task = TASK_NULL;

	if (task_create_internal(kernel_task, FALSE, &task) != KERN_SUCCESS)
		panic("elf_loader_test: no memory for a task");
	return task;
}

static uint64_t
peek64(vm_map_t map, uint64_t addr)
{
	vm_map_t old = vm_map_switch(map);
	uint64_t v = ~0ULL;

	(void)copyin(addr, &v, sizeof(v));
	(void)vm_map_switch(old);
	return v;
}

static bool
string_at(vm_map_t map, uint64_t addr, const char *want)
{
	vm_map_t old = vm_map_switch(map);
	char buf[64];
	vm_size_t done;
	int error = copyinstr(addr, buf, sizeof(buf), &done);

	(void)vm_map_switch(old);
	return error == 0 && strcmp(buf, want) == 0;
}

static struct vm_region_basic_info_64
region_at(vm_map_t map, uint64_t addr, uint64_t *start, uint64_t *size)
{
	struct vm_region_basic_info_64 b = { 0 };
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;

	*start = addr;
	KT_EXPECT_EQ(vm_map_region(map, start, size, VM_REGION_BASIC_INFO_64,
	    (vm_region_info_t)&b, &count), KERN_SUCCESS);
	return b;
}

/* The value of auxiliary vector entry type, starting at auxv; ~0 if absent. */
static uint64_t
auxv_get(vm_map_t map, uint64_t auxv, uint64_t type)
{
	for (unsigned i = 0; i < 64; i++, auxv += 16) {
		uint64_t t = peek64(map, auxv);

		if (t == type)
			return peek64(map, auxv + 8);
		if (t == 0)
			break;
	}
	return ~0ULL;
}

KTEST(elf_loader, a_program_lands_with_its_entry_stack)
{
	static const char *const argv[] = { "hello", "one", NULL };
	static const char *const envp[] = { "TERM=vt100", NULL };
	struct cpio_entry ce;
	struct elf_exec_info *info = kheap_alloc(&kernel_heap, sizeof(*info));
	struct load_result lr;
	char err[ELF_ERRLEN];
	task_t task = new_task();
	vm_map_t map = task->map;
	struct vm_region_basic_info_64 b;
	uint64_t start, size, sp, auxv, tail;

	KT_ASSERT_TRUE(info != NULL);
	KT_ASSERT_EQ(initrd_lookup("/usr/tests/hello", &ce), 0);
	KT_ASSERT_EQ(elf_exec_parse(ce.ce_data, ce.ce_size, MACH_VM_MIN_ADDRESS,
	    MACH_VM_MAX_ADDRESS, info, err, sizeof(err)), KERN_SUCCESS);
	KT_ASSERT_EQ(load_elf_executable(task, ce.ce_data, ce.ce_size, argv, envp, &lr, err,
	    sizeof(err)), KERN_SUCCESS);
	KT_EXPECT_EQ(lr.lr_entry, info->ei_entry);
	KT_EXPECT_EQ(lr.lr_image_start, info->ei_start);

	/* Each segment with its protection, and the file's bytes in place. */
	for (unsigned i = 0; i < info->ei_nsegments; i++) {
		const struct elf_segment *es = &info->ei_segments[i];

		b = region_at(map, es->es_vaddr, &start, &size);
		KT_EXPECT_EQ(start, trunc_page(es->es_vaddr));
		KT_EXPECT_EQ(b.protection, es->es_prot);
		if (es->es_filesz >= 8)
			KT_EXPECT_EQ(peek64(map, es->es_vaddr), *(const uint64_t *)(const void *)
			    ((const uint8_t *)ce.ce_data + es->es_offset));
		/* Around the file's bytes, in their first and last pages: zeros. */
		if ((es->es_vaddr & PAGE_MASK) >= 8)
			KT_EXPECT_EQ(peek64(map, trunc_page(es->es_vaddr)), 0);
		tail = (es->es_vaddr + es->es_filesz + 7) & ~7ULL;
		if (tail + 8 <= round_page(es->es_vaddr + es->es_memsz))
			KT_EXPECT_EQ(peek64(map, tail), 0);
	}
	/* The stack, read-write, with a guard below that can never be opened. */
	b = region_at(map, lr.lr_stack_base - PAGE_SIZE, &start, &size);
	KT_EXPECT_EQ(start, lr.lr_stack_base - PAGE_SIZE);
	KT_EXPECT_EQ(b.max_protection, VM_PROT_NONE);
	b = region_at(map, lr.lr_stack_base, &start, &size);
	KT_EXPECT_EQ(b.protection, VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_EQ(start + size, USRSTACK64);

	/* argc, argv, envp, auxv, as _start expects them. */
	sp = lr.lr_user_stack;
	KT_EXPECT_EQ(sp % 16, 0);
	KT_EXPECT_EQ(peek64(map, sp), 2);
	KT_EXPECT_TRUE(string_at(map, peek64(map, sp + 8), "hello"));
	KT_EXPECT_TRUE(string_at(map, peek64(map, sp + 16), "one"));
	KT_EXPECT_EQ(peek64(map, sp + 24), 0);
	KT_EXPECT_TRUE(string_at(map, peek64(map, sp + 32), "TERM=vt100"));
	KT_EXPECT_EQ(peek64(map, sp + 40), 0);
	auxv = sp + 48;
	KT_EXPECT_EQ(auxv_get(map, auxv, 6), PAGE_SIZE);		/* AT_PAGESZ */
	KT_EXPECT_EQ(auxv_get(map, auxv, 9), lr.lr_entry);		/* AT_ENTRY */
	KT_EXPECT_EQ(auxv_get(map, auxv, 5), info->ei_phnum);	/* AT_PHNUM */
	KT_EXPECT_TRUE(string_at(map, auxv_get(map, auxv, 31), "hello"));	/* AT_EXECFN */
	KT_EXPECT_GT(auxv_get(map, auxv, 25), sp);			/* AT_RANDOM */
	KT_EXPECT_LT(auxv_get(map, auxv, 25), USRSTACK64);
	KT_EXPECT_EQ(vm_map_verify(map), 0);
	task_deallocate(task);
	kheap_free(&kernel_heap, info);
}

KTEST(elf_loader, a_failure_leaves_the_map_as_it_was)
{
	struct cpio_entry ce;
	struct load_result lr;
	char err[ELF_ERRLEN];
	task_t task = new_task();
	uint8_t *copy;
	uint64_t entries;

	KT_ASSERT_EQ(initrd_lookup("/usr/tests/hello", &ce), 0);
	/* Truncated: refused with the reader's message, nothing mapped. */
	err[0] = '\0';
	KT_EXPECT_EQ(load_elf_executable(task, ce.ce_data, 40, NULL, NULL, &lr, err,
	    sizeof(err)), KERN_INVALID_ARGUMENT);
	KT_EXPECT_NE(err[0], '\0');
	KT_EXPECT_EQ(vm_map_entry_count(task->map), 0);

	/* Another machine. */
	copy = kheap_alloc(&kernel_heap, ce.ce_size);
	KT_ASSERT_TRUE(copy != NULL);
	memcpy(copy, ce.ce_data, ce.ce_size);
	copy[18] = 3;		/* e_machine = EM_386 */
	KT_EXPECT_EQ(load_elf_executable(task, copy, ce.ce_size, NULL, NULL, &lr, err,
	    sizeof(err)), KERN_NOT_SUPPORTED);
	kheap_free(&kernel_heap, copy);

	/* Loaded once; a second load on top is refused and the first survives. */
	KT_ASSERT_EQ(load_elf_executable(task, ce.ce_data, ce.ce_size, NULL, NULL, &lr, err,
	    sizeof(err)), KERN_SUCCESS);
	entries = vm_map_entry_count(task->map);
	KT_EXPECT_EQ(load_elf_executable(task, ce.ce_data, ce.ce_size, NULL, NULL, &lr, err,
	    sizeof(err)), KERN_NO_SPACE);
	KT_EXPECT_EQ(vm_map_entry_count(task->map), entries);
	KT_EXPECT_EQ(peek64(task->map, lr.lr_user_stack), 1);	/* argc of the first */
	task_deallocate(task);
}

KTEST(elf_loader, oversized_arguments_are_refused)
{
	enum { N = 2200 };
	const char **argv = kheap_alloc(&kernel_heap, (N + 1) * sizeof(*argv));
	char *big = kheap_alloc(&kernel_heap, 1024);
	struct cpio_entry ce;
	struct load_result lr;
	char err[ELF_ERRLEN];
	task_t task = new_task();

	KT_ASSERT_TRUE(argv != NULL && big != NULL);
	memset(big, 'a', 1023);
	big[1023] = '\0';
	for (int i = 0; i < N; i++)
		argv[i] = big;		/* 2.2 MiB in all */
	argv[N] = NULL;
	KT_ASSERT_EQ(initrd_lookup("/usr/tests/hello", &ce), 0);
	KT_EXPECT_EQ(load_elf_executable(task, ce.ce_data, ce.ce_size, argv, NULL, &lr, err,
	    sizeof(err)), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(vm_map_entry_count(task->map), 0);
	task_deallocate(task);
	kheap_free(&kernel_heap, big);
	kheap_free(&kernel_heap, argv);
}

KTEST(elf_loader, the_stack_moves_by_its_slide)
{
	struct load_params lp = { .lp_stack_slide = 1234 * PAGE_SIZE };
	struct cpio_entry ce;
	struct load_result lr;
	char err[ELF_ERRLEN];
	task_t task = new_task();
	struct vm_region_basic_info_64 b;
	uint64_t start, size;

	KT_ASSERT_EQ(initrd_lookup("/usr/tests/hello", &ce), 0);
	KT_ASSERT_EQ(load_elf_map(task->map, ce.ce_data, ce.ce_size, NULL, NULL, &lp, &lr,
	    err, sizeof(err)), KERN_SUCCESS);
	b = region_at(task->map, lr.lr_stack_base, &start, &size);
	KT_EXPECT_EQ(b.protection, VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_EQ(start + size, USRSTACK64 - 1234 * PAGE_SIZE);
	KT_EXPECT_LT(lr.lr_user_stack, USRSTACK64 - 1234 * PAGE_SIZE);
	KT_EXPECT_EQ(peek64(task->map, lr.lr_user_stack), 1);	/* argc */
	/* A non-PIE image stays where its headers put it. */
	KT_EXPECT_EQ(lr.lr_image_start, 0x400000);
	task_deallocate(task);
}

KTEST(elf_loader, slides_out_of_range_are_refused)
{
	static const struct load_params bad[] = {
		{ .lp_stack_slide = 100 },			/* not page-aligned */
		{ .lp_stack_slide = ASLR_STACK_PAGES * PAGE_SIZE },
		{ .lp_pie_slide = PAGE_SIZE + 8 },
		{ .lp_pie_slide = ~0ULL & ~(uint64_t)PAGE_MASK },
	};
	struct cpio_entry ce;
	struct load_result lr;
	char err[ELF_ERRLEN];
	task_t task = new_task();

	KT_ASSERT_EQ(initrd_lookup("/usr/tests/hello", &ce), 0);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		KT_EXPECT_EQ(load_elf_map(task->map, ce.ce_data, ce.ce_size, NULL, NULL, &bad[i],
		    &lr, err, sizeof(err)), KERN_INVALID_ARGUMENT);
		KT_EXPECT_NE(err[0], '\0');
		KT_EXPECT_EQ(vm_map_entry_count(task->map), 0);
	}
	task_deallocate(task);
}

KTEST(elf_loader, aslr_slides_are_page_aligned_in_range_and_vary)
{
	struct aslr_slides s[8];
	bool stack_varies = false, mmap_varies = false, pie_varies = false;

	if (!aslr_enabled()) {
		for (unsigned i = 0; i < 2; i++) {
			aslr_choose(&s[0]);
			KT_EXPECT_EQ(s[0].as_stack | s[0].as_mmap | s[0].as_pie, 0);
		}
		return;
	}
	for (unsigned i = 0; i < 8; i++) {
		aslr_choose(&s[i]);
		KT_EXPECT_EQ(s[i].as_stack & PAGE_MASK, 0);
		KT_EXPECT_EQ(s[i].as_mmap & PAGE_MASK, 0);
		KT_EXPECT_EQ(s[i].as_pie & PAGE_MASK, 0);
		KT_EXPECT_LT(s[i].as_stack, ASLR_STACK_PAGES * PAGE_SIZE);
		KT_EXPECT_LT(s[i].as_mmap, ASLR_MMAP_PAGES * PAGE_SIZE);
		KT_EXPECT_LT(s[i].as_pie, ASLR_PIE_PAGES * PAGE_SIZE);
		stack_varies |= s[i].as_stack != s[0].as_stack;
		mmap_varies |= s[i].as_mmap != s[0].as_mmap;
		pie_varies |= s[i].as_pie != s[0].as_pie;
	}
	/* Eight equal draws out of 2^16 or more happen once in 2^112 runs. */
	KT_EXPECT_TRUE(stack_varies);
	KT_EXPECT_TRUE(mmap_varies);
	KT_EXPECT_TRUE(pie_varies);
}
