/*
 * assert.h - invariant checks.
 *
 *   assert(e)		 debug builds only (MACHINA_DEBUG); free otherwise
 *   assert3u(a, op, b)	 the same, printing both values when it fails
 *   release_assert(e)	 always compiled in: for checks cheap enough to keep
 *   static_assert(e, m) compile time (C11), for layouts shared with assembly,
 *			 hardware or a boot protocol
 *
 * A failed assertion is a kernel bug, so it panics naming the file, line and
 * expression.
 */

#ifndef LIBKERN_ASSERT_H
#define LIBKERN_ASSERT_H

#include "libkern/panic.h"

#ifndef static_assert
#define static_assert	_Static_assert
#endif

#define release_assert(e)						\
	((e) ? (void)0							\
	     : panic("%s:%d: assertion failed: %s", __FILE__, __LINE__, #e))

#define release_assert3u(a, op, b)					\
	do {								\
		unsigned long long __a = (a), __b = (b);		\
		if (!(__a op __b))					\
			panic("%s:%d: assertion failed: %s %s %s "	\
			    "(0x%llx %s 0x%llx)", __FILE__, __LINE__,	\
			    #a, #op, #b, __a, #op, __b);		\
	} while (0)

#if MACHINA_DEBUG
#define assert(e)		release_assert(e)
#define assert3u(a, op, b)	release_assert3u(a, op, b)
#define __assert_only
#else
#define assert(e)		((void)0)
#define assert3u(a, op, b)	((void)0)
#define __assert_only		__unused
#endif

#endif /* LIBKERN_ASSERT_H */
