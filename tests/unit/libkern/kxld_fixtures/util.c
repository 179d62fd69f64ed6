/*
 * util.c - the kext linker's fixture kext, second object: functions that
 * main.c calls across the object boundary, a constructor with a priority,
 * and a COMMON symbol (built with -fcommon, so fixture_common stays
 * SHN_COMMON through ld -r).
 */

#include "kxld_fixture.h"

int fixture_common;		/* COMMON */
static const int util_table[4] = { 1, 2, 3, 4 };

/* Runs before main.c's constructor (see there). */
__attribute__((constructor(200))) static void
fixture_ctor_early(void)
{
	fixture_ctor_ran = 1;
}

int
fixture_util_twice(int x)
{
	return 2 * x + util_table[x & 3];
}

int
fixture_util_add(int a, int b)
{
	return kernel_add(a, b);
}

int
fixture_util_store(int x)
{
	fixture_common += x;
	return fixture_common;
}
