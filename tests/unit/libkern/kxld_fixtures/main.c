/*
 * main.c - the kext linker's fixture kext, first object: its kmod_info,
 * start and stop, constructors and a destructor, a switch with a jump table, string
 * literals, function pointers in data, static data, .bss, and calls and
 * references into the kernel and into util.c (linked with ld -r into one
 * relocatable object, as a kext build does; see tests/unit/files.mk).
 */

#include "kxld_fixture.h"

static int main_static = 5;		/* .data, a local symbol */
static int main_bss[16];		/* .bss */
int fixture_ctor_ran;			/* .bss, global */

int (*const fixture_ops[3])(int) = {	/* R_X86_64_64 against local and global code */
	fixture_util_twice,
	fixture_classify,
	fixture_util_store,
};

struct fixture_kmod_info kmod_info = {
	"org.machina.test.fixture",
	0x10203,
	fixture_start,
	fixture_stop,
};

/*
 * Constructors in two sections: this one in .init_array, util.c's with a
 * priority in .init_array.00200 (clang: .init_array.200), which ld -r puts
 * after this one. The one with a priority must run first, or the value
 * says so. The destructor goes to .fini_array.
 */
__attribute__((constructor)) static void
fixture_ctor(void)
{
	fixture_ctor_ran = fixture_ctor_ran == 1 ? 0x600d : 0xbad;
}

__attribute__((destructor)) static void
fixture_dtor(void)
{
	fixture_ctor_ran = 0xdead;
}

const char *
fixture_greeting(void)
{
	return "hello from the fixture kext";
}

/* A dense switch: gcc and clang make a jump table in .rodata. */
int
fixture_classify(int x)
{
	switch (x) {
	case 0: return 11;
	case 1: return kernel_add(x, 21);
	case 2: return 33;
	case 3: return 44 + main_static;
	case 4: return 55;
	case 5: return 66;
	case 6: return kernel_counter;
	case 7: return 88;
	default: return -1;
	}
}

int
fixture_sum_table(void)
{
	int sum = 0;

	for (int i = 0; i < 3; i++)
		sum += fixture_ops[i](i + 1);
	return sum;
}

int
fixture_bss_sum(void)
{
	int sum = 0;

	for (int i = 0; i < 16; i++)
		sum += main_bss[i];
	main_bss[3] = 1;
	return sum;
}

int
fixture_call_optional(int x)
{
	if (kernel_optional)
		return kernel_optional(x);
	return -2;
}

int
fixture_start(int arg)
{
	kernel_last_string = fixture_greeting();
	kernel_counter += arg;
	return kernel_log("fixture started", arg + main_static);
}

int
fixture_stop(int arg)
{
	return fixture_util_add(arg, fixture_ctor_ran);
}
