/*
 * cdefs.h - compiler attributes and helpers used all over the kernel.
 *
 * The names follow the BSDs' and XNU's <sys/cdefs.h>, so code read from those
 * trees reads the same here. Nothing in here may depend on the kernel: libkern
 * also compiles on the host for unit tests.
 */

#ifndef LIBKERN_CDEFS_H
#define LIBKERN_CDEFS_H

#define __unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __dead2			__attribute__((__noreturn__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __section(s)		__attribute__((__section__(s)))
#define __printflike(f, a)	__attribute__((__format__(__printf__, f, a)))
#define __noinline		__attribute__((__noinline__))
#define __always_inline		inline __attribute__((__always_inline__))
#define __unreachable()		__builtin_unreachable()

/*
 * Only for the kernel image (XNU_KERNEL_PRIVATE), whose linker.ld places
 * these sections; kexts, which see this header through the SDK, do not get
 * them.
 *
 * __hot_data, __hot_rodata, __hot_lock: globals the kernel's hottest paths
 * (a trap, a context switch, a Mach message) touch every time, kept
 * together at the start of .data and of .rodata (linker.ld) so that those
 * paths touch few pages: under QEMU's TCG each page touched after a CR3
 * load costs a software page walk (docs/performance.md). __hot_lock is for
 * the locks among them: each on cache lines of its own, after the rest,
 * so that taking one does not take the line of what other CPUs only read.
 */
#if defined(XNU_KERNEL_PRIVATE)
#define CACHE_LINE_SIZE		64
#define __hot_data		__section(".data.hot")
#define __hot_rodata		__section(".rodata.hot")
#define __hot_lock		__section(".data.hot.lock") __aligned(CACHE_LINE_SIZE)
#endif

#define __predict_true(x)	__builtin_expect(!!(x), 1)
#define __predict_false(x)	__builtin_expect(!!(x), 0)

#define __STRING(x)		#x
#define __XSTRING(x)		__STRING(x)
#define __CONCAT1(a, b)		a##b
#define __CONCAT(a, b)		__CONCAT1(a, b)

#define nitems(a)		(sizeof(a) / sizeof((a)[0]))

#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))

/* Power-of-two alignment. */
#define ROUNDUP(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ROUNDDOWN(x, a)		((x) & ~((__typeof__(x))(a) - 1))

#define container_of(p, type, field) \
	((type *)(void *)((char *)(p) - __builtin_offsetof(type, field)))

#endif /* LIBKERN_CDEFS_H */
