/*
 * kern.h - the kernel's C-library-named functions, as tests call them.
 *
 * Include this after the system headers and before any kernel header. It
 * declares libkern's string, formatting and character functions and the
 * console's printf under their host names (kern_memcpy, kern_snprintf,
 * kern_isdigit, kern_printf, ...; see kern_names.h), then restores the
 * standard names, so a test can hold the kernel's strlen up against
 * glibc's in the same expression.
 *
 * glibc's <sys/cdefs.h> defines __always_inline and __CONCAT too, with the
 * same meaning but other spellings; the kernel's definitions replace them
 * here, which is why the system headers must come first.
 */

#ifndef TESTS_UNIT_SHIM_KERN_H
#define TESTS_UNIT_SHIM_KERN_H

#undef __always_inline
#undef __CONCAT

#include "tests/unit/shim/kern_names.h"

#include "kernel/console.h"
#include "libkern/ctype.h"
#include "libkern/printf.h"
#include "libkern/string.h"

#include "tests/unit/shim/kern_names_undo.h"

#endif /* TESTS_UNIT_SHIM_KERN_H */
