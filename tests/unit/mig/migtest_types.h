/*
 * migtest_types.h - the C types migtest.defs names (test_mig.c).
 */

#ifndef TESTS_UNIT_MIG_MIGTEST_TYPES_H
#define TESTS_UNIT_MIG_MIGTEST_TYPES_H

#include <stdint.h>

#include <mach/mach_types.h>

typedef int *int_fixed_t;
typedef int *int_var_t;
typedef char *bytes_var_t;
typedef int *int_ool_t;
typedef char name_t[32];
typedef char vname_t[24];

typedef struct {
	int	x, y, z;
} point_t;

typedef struct {
	int16_t	lo, hi;
} short_pair_t;

typedef point_t *point_array_t;

#endif /* TESTS_UNIT_MIG_MIGTEST_TYPES_H */
