/*
 * bootargs_test.c - the boot-args as the running kernel sees them. The
 * parser's many edge cases are host unit tests (tests/unit); these check the
 * PE_* calls on the kernel's real line, which holds at least tests=.
 */

#include "kernel/pexpert.h"

#include "tests/ktest.h"

KTEST(bootargs, the_tests_glob_is_on_the_line)
{
	char globs[256];

	KT_ASSERT_TRUE(PE_parse_boot_arg_str("tests", globs, sizeof(globs)));
	KT_EXPECT_TRUE(strlen(globs) > 0);
	KT_EXPECT_TRUE(strstr(PE_boot_args(), "tests=") != NULL);
}

KTEST(bootargs, text_never_lands_in_an_int)
{
	int v = 12345;

	/* tests= holds a glob, not a number: the old int form refuses it. */
	KT_EXPECT_FALSE(PE_parse_boot_arg("tests", &v));
	KT_EXPECT_EQ(v, 12345);
}

KTEST(bootargs, absent_names_are_not_found)
{
	int v = 7;

	KT_EXPECT_FALSE(PE_parse_boot_argn("no_such_boot_arg", &v, sizeof(v)));
	KT_EXPECT_EQ(v, 7);
}

KTEST(bootargs, the_kernel_declares_what_it_reads)
{
	const struct boot_arg_desc *const *descs;
	size_t n = PE_boot_arg_descs(&descs);
	bool debug = false, tests = false, verbose = false;

	for (size_t i = 0; i < n; i++) {
		debug |= strcmp(descs[i]->bad_name, "debug") == 0;
		tests |= strcmp(descs[i]->bad_name, "tests") == 0;
		verbose |= strcmp(descs[i]->bad_name, "-v") == 0;
	}
	KT_EXPECT_TRUE(debug);
	KT_EXPECT_TRUE(tests);
	KT_EXPECT_TRUE(verbose);
}
