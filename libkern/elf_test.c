/*
 * elf_test.c - the ELF reader as built for the kernel, on the user test
 * programs in the initrd (/usr/tests/...), found through the kernel's own
 * initrd lookup. The malformed-file cases are host unit tests
 * (tests/unit/libkern/test_elf.c); here the point is that the kernel build
 * of the reader accepts what the build put in the initrd, in place (a
 * member of a cpio archive is only 4-byte aligned), and refuses clearly.
 */

#include "libkern/elf.h"

#include "kernel/initrd.h"
#include "kernel/machine/vm_param.h"
#include "tests/ktest.h"

#define USER_TESTS_DIR	"usr/tests/"

static kern_return_t
parse_user(const struct cpio_entry *e, struct elf_exec_info *info, char *err, size_t errlen)
{
	return elf_exec_parse(e->ce_data, e->ce_size, MACH_VM_MIN_ADDRESS, MACH_VM_MAX_ADDRESS,
	    info, err, errlen);
}

KTEST(elf, hello_from_the_initrd_is_a_static_executable)
{
	struct cpio_entry e;
	struct elf_exec_info info;
	const struct elf_segment *text = NULL;
	char err[ELF_ERRLEN] = "";
	Elf64_Ehdr eh;
	kern_return_t kr;

	KT_ASSERT_TRUE(initrd_present());
	KT_ASSERT_EQ(initrd_lookup("/usr/tests/hello", &e), 0);
	kr = parse_user(&e, &info, err, sizeof(err));
	KT_ASSERT_TRUE(ktest_check(kr == KERN_SUCCESS, __FILE__, __LINE__,
	    "elf_exec_parse refused /usr/tests/hello: %s", err));
	KT_EXPECT_EQ(info.ei_type, ET_EXEC);
	KT_EXPECT_EQ(info.ei_start, 0x400000);
	KT_EXPECT_LE(info.ei_end, MACH_VM_MAX_ADDRESS);
	KT_EXPECT_GE(info.ei_nsegments, 2);
	for (unsigned i = 0; i < info.ei_nsegments; i++) {
		const struct elf_segment *es = &info.ei_segments[i];

		if (info.ei_entry >= es->es_vaddr && info.ei_entry < es->es_vaddr + es->es_filesz)
			text = es;
		KT_EXPECT_NE(es->es_prot & (VM_PROT_WRITE | VM_PROT_EXECUTE),
		    VM_PROT_WRITE | VM_PROT_EXECUTE);
	}
	KT_ASSERT_TRUE(text != NULL);
	KT_EXPECT_EQ(text->es_prot, VM_PROT_READ | VM_PROT_EXECUTE);
	KT_EXPECT_TRUE(info.ei_gnu_stack);
	KT_EXPECT_EQ(info.ei_stack_prot, VM_PROT_READ | VM_PROT_WRITE);
	KT_EXPECT_EQ(info.ei_phdr, 0x400000 + sizeof(Elf64_Ehdr));
	memcpy(&eh, e.ce_data, sizeof(eh));	/* the archive aligns members to 4 bytes only */
	KT_EXPECT_EQ(info.ei_phnum, eh.e_phnum);
}

struct user_scan {
	unsigned	us_found;
	unsigned	us_refused;
};

static void
scan_one(const struct cpio_entry *e, void *ctx)
{
	struct user_scan *scan = ctx;
	struct elf_exec_info info;
	char err[ELF_ERRLEN];

	if ((e->ce_mode & CPIO_S_IFMT) != CPIO_S_IFREG ||
	    strncmp(e->ce_name, USER_TESTS_DIR, strlen(USER_TESTS_DIR)) != 0 ||
	    strstr(e->ce_name, ".kext/") != NULL)	/* test kexts: bundles, not programs */
		return;
	scan->us_found++;
	if (parse_user(e, &info, err, sizeof(err)) != KERN_SUCCESS) {
		scan->us_refused++;
		ktest_check(false, __FILE__, __LINE__, "%s: %s", e->ce_name, err);
	}
}

KTEST(elf, every_user_test_program_is_accepted)
{
	struct user_scan scan = { 0, 0 };

	KT_ASSERT_TRUE(initrd_present());
	initrd_foreach(scan_one, &scan);
	KT_EXPECT_GE(scan.us_found, 5);
	KT_EXPECT_EQ(scan.us_refused, 0);
}

KTEST(elf, truncated_program_is_refused_with_a_reason)
{
	struct cpio_entry e;
	struct elf_exec_info info;
	char err[ELF_ERRLEN] = "";

	KT_ASSERT_EQ(initrd_lookup("/usr/tests/hello", &e), 0);
	KT_EXPECT_EQ(parse_user(&(struct cpio_entry){ e.ce_name, e.ce_data, 40, e.ce_mode },
	    &info, err, sizeof(err)), KERN_INVALID_ARGUMENT);
	KT_EXPECT_STREQ(err, "the file is 40 bytes, too short for the ELF header (64 bytes)");
	/* Cut inside the program header table. */
	KT_EXPECT_EQ(parse_user(&(struct cpio_entry){ e.ce_name, e.ce_data, 100, e.ce_mode },
	    &info, err, sizeof(err)), KERN_INVALID_ARGUMENT);
	KT_EXPECT_TRUE(strstr(err, "program header table") != NULL);
	KT_EXPECT_TRUE(strstr(err, "runs past the end of the file (0x64 bytes)") != NULL);
}

KTEST(elf, executable_is_not_a_relocatable_object)
{
	struct cpio_entry e;
	struct elf_rel rel;
	char err[ELF_ERRLEN] = "";

	KT_ASSERT_EQ(initrd_lookup("/usr/tests/exit_status", &e), 0);
	KT_EXPECT_EQ(elf_rel_open(&rel, e.ce_data, e.ce_size, err, sizeof(err)),
	    KERN_INVALID_ARGUMENT);
	KT_EXPECT_STREQ(err, "e_type 2 (ET_EXEC): not a relocatable object (ET_REL)");
}

KTEST(elf, kernel_half_is_outside_user_space)
{
	struct cpio_entry e;
	struct elf_exec_info info;
	char err[ELF_ERRLEN] = "";

	/* The same program, allowed only the kernel's half: refused by address. */
	KT_ASSERT_EQ(initrd_lookup("/usr/tests/hello", &e), 0);
	KT_EXPECT_EQ(elf_exec_parse(e.ce_data, e.ce_size, 0xffff800000000000UL,
	    0xfffffffffffff000UL, &info, err, sizeof(err)), KERN_INVALID_ADDRESS);
	KT_EXPECT_TRUE(strstr(err, "lies outside the allowed range") != NULL);
}
