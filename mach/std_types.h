/*
 * std_types.h - the integer types every Mach interface is written in
 * (XNU's mach/std_types.h and mach/machine/vm_types.h).
 *
 * natural_t and integer_t are 32 bits on x86-64, as in XNU: Mach counts
 * (mach_msg_type_number_t, the *_COUNT of an info structure) are in
 * natural_t words. Shared by the kernel and user space (installed into
 * libsystem's headers), so it needs nothing but <stdint.h>.
 */

#ifndef MACH_STD_TYPES_H
#define MACH_STD_TYPES_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/kern_return.h"

typedef unsigned int	natural_t;
typedef int		integer_t;
typedef natural_t	mach_msg_type_number_t;

#endif /* MACH_STD_TYPES_H */
