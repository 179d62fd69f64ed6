/*
 * ksancov.h - kernel coverage for fuzzers: /dev/ksancov and the hook that
 * gcc's -fsanitize-coverage=trace-pc calls at every basic block of the
 * code built with it (XNU's ksancov; docs/fuzzing.md). Only a kernel built
 * with KCOV=1 (KSANCOV=1 to the compiler) has either; the interface user
 * space sees is bsd/sys/ksancov.h.
 *
 * A device (struct ksancov_dev, private to ksancov.c) is made by the open
 * of /dev/ksancov, one at a time; KSANCOV_IOC_TRACE gives it a buffer (a
 * VM object of wired-in pages, written by the kernel through the direct
 * map), KSANCOV_IOC_MAP maps that object into the caller, and
 * KSANCOV_IOC_START attaches the calling thread (thread->th_kcov): from
 * then on the hook appends the PC of every instrumented block that thread
 * runs, outside interrupt handlers, while the buffer's header says
 * enabled.
 *
 * Invariants
 *   - a thread records into its own device only (th_kcov), and only that
 *     thread ever attaches or detaches itself, so the hook never races a
 *     detach of its own thread;
 *   - a device is freed when its descriptor is closed for the last time
 *     and no thread is attached to it: an attached thread holds a
 *     reference, dropped when it detaches (KSANCOV_IOC_STOP, its own
 *     close, a new START, or its end in thread_terminate_self), so the
 *     pages the hook writes live as long as anyone can write them;
 *   - the hook writes only below the kernel's own copy of the buffer's
 *     size, never a bound read from the mapped header.
 *
 * Locks: ksancov_lock (a mutex) over the open device and every device's
 * fields but the hook's; the hook takes none. Lock order: ksancov_lock,
 * then the VM's (vm_map, object, page) locks.
 */

#ifndef SAN_KSANCOV_H
#define SAN_KSANCOV_H

#include "mach/kern/kern_types.h"

/* ksancov_init: register the driver and make /dev/ksancov. Once, from bsd_init. */
void	ksancov_init(void);

/*
 * ksancov_thread_exit: detach thread, which is ending (the current
 * thread, from thread_terminate_self), from its device, if any.
 */
void	ksancov_thread_exit(thread_t thread);

/* The hook gcc calls at every basic block of instrumented code. */
void	__sanitizer_cov_trace_pc(void);

#endif /* SAN_KSANCOV_H */
