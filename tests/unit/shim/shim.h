/*
 * shim.h - the machine, as far as the kernel sources under test need one.
 *
 * Kernel code expects its environment to provide panic(), the ml_* routines
 * of kernel/machine_routines.h, the direct map of mach/vm/pmap.h and the
 * console's printf. On the host they come from shim.c:
 *
 *   panic()		prints "panic: <message>" on stderr and calls abort(),
 *			so a test expects a panic with .signal = SIGABRT;
 *			shim_expect_panic() also pins down which panic
 *   ml_*, cpu_number	one CPU; the interrupt flag is a variable that tests
 *			can read back (every lock holder must restore it)
 *   phystokv & co.	"physical memory" is fake RAM: host buffers that a
 *			test places at physical addresses of its choosing;
 *			kvtophys of any other address is 0, as for an
 *			unmapped one in the kernel
 *   kmem_alloc & co.	kernel_map is host memory (shim/kmem.c), unless a
 *			test links the real vm_kern.c (the shim's are weak)
 *   kalloc, kfree	host memory with the size checked (shim/kalloc.c),
 *			unless a test links the real kalloc.c (weak too)
 *   printf		appends to a capture buffer the test can read
 *   lck_*, IOLog, the kext manager's catalog and loads
 *			what the I/O Kit's sources need (shim/iokit.c)
 *
 * Each Criterion test runs in its own process, so none of this state leaks
 * from one test into the next.
 */

#ifndef TESTS_UNIT_SHIM_SHIM_H
#define TESTS_UNIT_SHIM_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "mach/boolean.h"

/* The exit status of a test whose panic was not the one it expected. */
#define SHIM_EXIT_WRONG_PANIC	86

/*
 * shim_expect_panic: the next panic must mention `what` (a substring of the
 * formatted message); any other panic fails the test instead of raising the
 * SIGABRT it waits for.
 */
void		shim_expect_panic(const char *what);

/*
 * fake_ram_add: back [pa, pa+len) with a fresh, zero-filled host buffer,
 * page-aligned, sized exactly (so ASan sees accesses past the end), and
 * return it. Windows must not overlap. fake_ram_reset frees them all.
 */
#define FAKE_RAM_MAX_WINDOWS	64
void		*fake_ram_add(uint64_t pa, size_t len);
void		fake_ram_reset(void);

/*
 * The stand-in kernel_map (shim/kmem.c): bytes kmem_alloc has handed out
 * and kmem_free not yet taken back; and a limit on them, past which
 * kmem_alloc fails with KERN_RESOURCE_SHORTAGE (0: none).
 */
size_t		shim_kmem_outstanding(void);
void		shim_kmem_set_limit(size_t bytes);

/*
 * The stand-in kalloc (shim/kalloc.c): bytes and blocks outstanding, and
 * a failure injected: after n more successful calls, kalloc returns NULL
 * (n = -1, the default: never).
 */
size_t		shim_kalloc_outstanding(void);
size_t		shim_kalloc_blocks(void);
void		shim_kalloc_fail_after(long n);

/*
 * The I/O Kit's environment (shim/iokit.c): single-threaded locks that
 * panic on a recursion, IOLog into the console capture, an empty kext
 * catalog. shim_last_kext_request: the identifier the last
 * OSKextLoadKextWithIdentifier asked for ("" if none), which always fails.
 */
const char	*shim_last_kext_request(void);

/* Everything the kernel printed since the start or the last clear. */
const char	*shim_console_text(void);
void		shim_console_clear(void);

#endif /* TESTS_UNIT_SHIM_SHIM_H */
