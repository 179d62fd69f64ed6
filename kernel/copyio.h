/*
 * copyio.h - moving bytes between the kernel and the current thread's user
 * address space (XNU's copyin family).
 *
 * A user address is a user_addr_t, never a pointer the kernel dereferences:
 * these calls check that the whole range is below the end of user space,
 * open the user window (SMAP's stac/clac) only for the copy, and take a
 * fault on an unmapped or protected page as an answer, not a crash: the
 * fault handler resolves it through the thread's map if it can (zero fill,
 * copy-on-write), and otherwise resumes at the copy's recovery point,
 * which returns EFAULT.
 *
 * Returns 0 or EFAULT (bsd/sys/errno.h); copyinstr also ENAMETOOLONG when
 * no NUL was found within max bytes (*done then counts max bytes copied).
 * A length of 0 always succeeds (copyinstr: max 0 is ENAMETOOLONG).
 *
 * Locks: may fault, so may block: not with interrupts or preemption off,
 * and not holding a lock the fault handler takes (a map or object lock).
 */

#ifndef KERNEL_COPYIO_H
#define KERNEL_COPYIO_H

#include <stddef.h>

#include "mach/vm_types.h"

int	copyin(user_addr_t uaddr, void *kaddr, vm_size_t len);
int	copyout(const void *kaddr, user_addr_t uaddr, vm_size_t len);
int	copyinstr(user_addr_t uaddr, void *kaddr, vm_size_t max, vm_size_t *done);

/* copyio_init: on the boot CPU, once its protections (SMAP) are set. */
void	copyio_init(void);

#endif /* KERNEL_COPYIO_H */
