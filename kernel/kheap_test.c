/*
 * kheap_test.c - the kernel heap on real pages.
 */

#include "kernel/kheap.h"

#include "mach/vm/vm_phys.h"
#include "tests/ktest.h"

KTEST(kheap, small_blocks_are_aligned_and_distinct)
{
	void *p[32];

	for (int i = 0; i < 32; i++) {
		p[i] = kheap_alloc(&kernel_heap, (size_t)i * 7 + 1);
		KT_ASSERT_TRUE(p[i] != NULL);
		KT_EXPECT_EQ((uintptr_t)p[i] % KHEAP_ALIGN, 0);
		memset(p[i], i, (size_t)i * 7 + 1);
	}
	for (int i = 0; i < 32; i++) {
		unsigned char *b = p[i];

		KT_EXPECT_EQ(b[0], i);
		KT_EXPECT_EQ(b[i * 7], i);
		KT_EXPECT_GE(kheap_size(&kernel_heap, p[i]), (size_t)i * 7 + 1);
		kheap_free(&kernel_heap, p[i]);
	}
}

KTEST(kheap, large_blocks_come_from_vm_phys_and_go_back)
{
	uint64_t before = vm_phys_free_pages(&vm_phys_kernel);
	void *p = kheap_alloc(&kernel_heap, 100 * 1024);

	KT_ASSERT_TRUE(p != NULL);
	KT_EXPECT_LE(vm_phys_free_pages(&vm_phys_kernel), before - 25);
	memset(p, 0xa5, 100 * 1024);
	kheap_free(&kernel_heap, p);
	KT_EXPECT_EQ(vm_phys_free_pages(&vm_phys_kernel), before);
}

KTEST(kheap, freed_space_is_reused)
{
	void *a = kheap_alloc(&kernel_heap, 512);
	void *b;

	KT_ASSERT_TRUE(a != NULL);
	kheap_free(&kernel_heap, a);
	b = kheap_alloc(&kernel_heap, 512);
	KT_EXPECT_TRUE(b == a);
	kheap_free(&kernel_heap, b);
}

KTEST(kheap, free_of_null_is_harmless)
{
	kheap_free(&kernel_heap, NULL);
	KT_EXPECT_TRUE(true);
}

KTEST(kheap, impossible_sizes_fail_cleanly)
{
	KT_EXPECT_TRUE(kheap_alloc(&kernel_heap, SIZE_MAX) == NULL);
	KT_EXPECT_TRUE(kheap_alloc(&kernel_heap, (size_t)1 << 40) == NULL);
}
