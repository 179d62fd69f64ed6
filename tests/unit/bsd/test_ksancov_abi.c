/*
 * test_ksancov_abi.c - the coverage device's interface (bsd/sys/ksancov.h,
 * docs/fuzzing.md) against what the ioctl system call reads from a
 * command (bsd/kern/sys_generic.c: Linux's _IOC encoding, direction in
 * bits 30-31, argument size in bits 16-29): each command's encoded size
 * is its argument's, in the direction the driver needs, within
 * IOCTL_ARG_MAX; and the mapped buffer's layout is what user space and the
 * hook both assume.
 */

#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>

#include "bsd/sys/ioctl.h"
#include "bsd/sys/ksancov.h"

static unsigned
ioc_dir(unsigned long cmd)
{
	return (unsigned)(cmd >> 30) & 3;
}

static size_t
ioc_size(unsigned long cmd)
{
	return (cmd >> 16) & 0x3fff;
}

Test(ksancov_abi, commands_carry_their_argument_sizes)
{
	cr_assert_eq(ioc_size(KSANCOV_IOC_TRACE), sizeof(uint64_t));
	cr_assert_eq(ioc_size(KSANCOV_IOC_MAP), sizeof(struct ksancov_buf_desc));
	cr_assert_eq(ioc_size(KSANCOV_IOC_START), sizeof(uint64_t));
	cr_assert_eq(ioc_size(KSANCOV_IOC_STOP), sizeof(uint64_t));
	cr_assert_leq(sizeof(struct ksancov_buf_desc), IOCTL_ARG_MAX);
}

Test(ksancov_abi, directions_copy_what_the_driver_reads_and_writes)
{
	cr_assert_eq(ioc_dir(KSANCOV_IOC_TRACE), 1, "in");
	cr_assert_eq(ioc_dir(KSANCOV_IOC_MAP), 3, "in and out: the address comes back");
	cr_assert_eq(ioc_dir(KSANCOV_IOC_START), 1, "in");
	cr_assert_eq(ioc_dir(KSANCOV_IOC_STOP), 1, "in");
}

Test(ksancov_abi, commands_are_distinct_and_not_the_terminal_ones)
{
	const unsigned long c[] = { KSANCOV_IOC_TRACE, KSANCOV_IOC_MAP, KSANCOV_IOC_START,
		KSANCOV_IOC_STOP };

	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq((c[i] >> 8) & 0xff, 'K');
		cr_assert_neq(c[i] & 0xffff, TCGETS & 0xffff);
		for (size_t j = i + 1; j < 4; j++)
			cr_assert_neq(c[i], c[j]);
		cr_assert_leq(c[i], 0xffffffffUL, "the system call keeps 32 bits of a command");
	}
}

Test(ksancov_abi, the_buffer_layout)
{
	cr_assert_eq(sizeof(struct ksancov_header), 8);
	cr_assert_eq(offsetof(struct ksancov_trace, kt_entries) % sizeof(uint64_t), 0,
	    "entries never straddle a page");
	cr_assert_eq(offsetof(struct ksancov_trace, kt_maxent), 8);
	cr_assert_eq(offsetof(struct ksancov_trace, kt_head), 16);
	cr_assert_lt(offsetof(struct ksancov_trace, kt_entries) +
	    (uint64_t)KSANCOV_MAX_PCS * sizeof(uint64_t), 16ULL << 20, "the largest buffer");
}
