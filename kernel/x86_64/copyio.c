/*
 * copyio.c - copyin, copyout and copyinstr (kernel/copyio.h): the range
 * checks; the copies themselves, with their fault recovery, are in
 * copyio_bytes.asm.
 */

#include "kernel/copyio.h"

#include "bsd/sys/errno.h"
#include "kernel/machine/vm_param.h"
#include "kernel/x86_64/cpu.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_map.h"

extern int	_copyio_bytes(void *dst, const void *src, size_t len);
extern int	_copyinstr_bytes(void *kdst, const void *usrc, size_t max, size_t *done);
extern int	copyio_smap;

void
copyio_init(void)
{
	copyio_smap = (get_cr4() & CR4_SMAP) != 0;
}

/*
 * [uaddr, uaddr + len) lies in the lower half, without wrapping, and the
 * thread has a user address space: a kernel thread has none (whatever
 * user pmap its CPU still has loaded is not its own), unless it borrowed
 * one with vm_map_switch.
 */
static int
user_range_ok(user_addr_t uaddr, vm_size_t len)
{
	return uaddr < VM_MAX_USER_ADDRESS && len <= VM_MAX_USER_ADDRESS - uaddr &&
	    current_thread()->map != kernel_map;
}

int
copyin(user_addr_t uaddr, void *kaddr, vm_size_t len)
{
	if (len == 0)
		return 0;
	if (!user_range_ok(uaddr, len))
		return EFAULT;
	return _copyio_bytes(kaddr, (const void *)uaddr, len);
}

int
copyout(const void *kaddr, user_addr_t uaddr, vm_size_t len)
{
	if (len == 0)
		return 0;
	if (!user_range_ok(uaddr, len))
		return EFAULT;
	return _copyio_bytes((void *)uaddr, kaddr, len);
}

int
copyinstr(user_addr_t uaddr, void *kaddr, vm_size_t max, vm_size_t *done)
{
	vm_size_t room;

	if (done != NULL)
		*done = 0;
	if (max == 0)
		return ENAMETOOLONG;
	if (!user_range_ok(uaddr, 1))
		return EFAULT;
	/* A string may end before the top of user space: copy up to it. */
	room = VM_MAX_USER_ADDRESS - uaddr;
	if (max <= room)
		return _copyinstr_bytes(kaddr, (const void *)uaddr, max, done);
	{
		int error = _copyinstr_bytes(kaddr, (const void *)uaddr, room, done);

		return error == ENAMETOOLONG ? EFAULT : error;
	}
}
