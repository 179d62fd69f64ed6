/*
 * mig_adder_types.h - the C types of tests/bsd/mig_adder.defs.
 */

#ifndef TESTS_BSD_MIG_ADDER_TYPES_H
#define TESTS_BSD_MIG_ADDER_TYPES_H

#include <stdint.h>

typedef int32_t	*int32_list_t;
typedef char	label_t[64];
typedef uint8_t	*blob_t;

#endif /* TESTS_BSD_MIG_ADDER_TYPES_H */
