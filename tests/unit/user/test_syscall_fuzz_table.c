/*
 * test_syscall_fuzz_table.c - the system-call fuzzer's table
 * (tools/makesyscalls.py --fuzz-table, docs/fuzzing.md) against the
 * kernel's own: every BSD call of the dispatch tables (syscall_table.inc,
 * generated from the same master file) is in it with its number and
 * argument count, every Mach trap has a kind for each argument, and the
 * kinds read from the prototypes are the expected ones for a few calls
 * (a descriptor, a pointer paired with its length, a path, a port).
 */

#include <criterion/criterion.h>
#include <stddef.h>
#include <string.h>

#include "syscall_fuzz_table.h"

struct sysent_name {
	const char	*name;
	int		narg;
};

#define SYSENT(fn, n)	{ #fn, (n) }
static const struct sysent_name unix_calls[] = { SYSCALLS_UNIX };
static const struct sysent_name bsd_calls[] = { SYSCALLS_BSD };
#undef SYSENT

static const struct fuzz_call *
find(int cls, const char *name)
{
	for (size_t i = 0; i < FUZZ_CALL_COUNT; i++)
		if (fuzz_calls[i].cls == cls && strcmp(fuzz_calls[i].name, name) == 0)
			return &fuzz_calls[i];
	return NULL;
}

static void
every_call_of(int cls, const struct sysent_name *calls, size_t n)
{
	for (size_t num = 0; num < n; num++) {
		const struct fuzz_call *c;
		int found = 0;

		if (calls[num].name == NULL)
			continue;
		for (size_t i = 0; i < FUZZ_CALL_COUNT; i++) {
			c = &fuzz_calls[i];
			if (c->cls == cls && c->number == num) {
				cr_expect_str_eq(c->name, calls[num].name);
				cr_expect_eq(c->nargs, calls[num].narg, "%s", c->name);
				found = 1;
			}
		}
		cr_expect(found, "class %d call %zu (%s) is not in the fuzzer's table", cls, num,
		    calls[num].name);
	}
}

Test(syscall_fuzz_table, has_every_bsd_call)
{
	every_call_of(0, unix_calls, sizeof(unix_calls) / sizeof(unix_calls[0]));
	every_call_of(2, bsd_calls, sizeof(bsd_calls) / sizeof(bsd_calls[0]));
}

Test(syscall_fuzz_table, kinds_and_pairs)
{
	const struct fuzz_call *c;

	for (size_t i = 0; i < FUZZ_CALL_COUNT; i++) {
		c = &fuzz_calls[i];
		cr_expect(c->nargs <= FUZZ_ARGS_MAX, "%s", c->name);
		for (int a = 0; a < c->nargs; a++) {
			cr_expect(c->kind[a] < FK_COUNT, "%s argument %d", c->name, a);
			cr_expect(c->size_arg[a] < c->nargs, "%s argument %d", c->name, a);
		}
	}
	cr_assert_not_null(c = find(0, "read"));
	cr_expect_eq(c->kind[0], FK_FD);
	cr_expect_eq(c->kind[1], FK_PTR);
	cr_expect_eq(c->kind[2], FK_LEN);
	cr_expect_eq(c->size_arg[1], 2, "read's buffer is sized by nbyte");
	cr_assert_not_null(c = find(0, "openat"));
	cr_expect_eq(c->kind[0], FK_FD);
	cr_expect_eq(c->kind[1], FK_PATH);
	cr_expect_eq(c->kind[2], FK_FLAGS);
	cr_assert_not_null(c = find(0, "kill"));
	cr_expect_eq(c->kind[0], FK_PID);
	cr_expect_eq(c->kind[1], FK_SIG);
	cr_assert_not_null(c = find(2, "sysctlbyname"));
	cr_expect_eq(c->kind[0], FK_PTR, "a counted name, not a path");
	cr_expect_eq(c->size_arg[0], 1);
}

Test(syscall_fuzz_table, mach_traps)
{
	const struct fuzz_call *c;

	cr_assert_not_null(c = find(1, "mach_msg_trap"));
	cr_expect_eq(c->number, 31);
	cr_expect_eq(c->nargs, 7);
	cr_expect_eq(c->kind[0], FK_MSG);
	cr_expect_eq(c->kind[4], FK_PORT);
	cr_assert_not_null(c = find(1, "mach_msg_overwrite_trap"));
	cr_expect_eq(c->nargs, 8, "the eighth argument on the stack is in the table");
	cr_assert_not_null(c = find(1, "_kernelrpc_mach_port_allocate_trap"));
	cr_expect_eq(c->number, 16);
	cr_expect_eq(c->kind[0], FK_PORT);
	cr_assert_not_null(find(1, "task_self_trap"));
	/* The traps not yet there (kern_invalid) are not listed. */
	cr_expect_null(find(1, "_kernelrpc_mach_vm_allocate_trap"));
}
