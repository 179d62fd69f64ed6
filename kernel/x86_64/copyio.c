/*
 * copyio.c - copyin, copyout and copyinstr (kernel/copyio.h): the range
 * checks; the copies themselves, with their fault recovery, are in
 * copyio_bytes.asm.
 */

#include "kernel/copyio.h"

#include "bsd/sys/errno.h"
#include "kernel/machine/vm_param.h"
#include "kernel/machine_routines.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/pmap_md.h"
#include "mach/kern/thread.h"
#include "mach/vm/pmap.h"
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

/*
 * -no_shared_cr3 (pmap_md.h): the thread's user pmap is loaded for the
 * length of a copy, and the kernel's again after it. The window is the
 * thread's, not the CPU's: a copy that faults and blocks may resume on
 * another CPU, whose switch to the thread loads the user pmap again
 * (pmap_load_cr3_for). The count goes up before the load and down before
 * the unload, so a switch in between always loads what the thread needs.
 */
static void
copy_window_open(void)
{
	thread_t self = current_thread();
	boolean_t s;

	if (!pmap_no_shared_cr3)
		return;
	s = ml_set_interrupts_enabled(FALSE);
	pmap_switch(vm_map_pmap(self->map));	/* already so, but for a borrowed map */
	self->machine.copyio_window++;
	pmap_load_cr3_for(self);
	(void)ml_set_interrupts_enabled(s);
}

static void
copy_window_close(void)
{
	thread_t self = current_thread();
	boolean_t s;

	if (!pmap_no_shared_cr3)
		return;
	s = ml_set_interrupts_enabled(FALSE);
	self->machine.copyio_window--;
	pmap_load_cr3_for(self);
	(void)ml_set_interrupts_enabled(s);
}

static int
copy_bytes(void *dst, const void *src, vm_size_t len)
{
	int error;

	copy_window_open();
	error = _copyio_bytes(dst, src, len);
	copy_window_close();
	return error;
}

static int
copy_string(void *kdst, const void *usrc, vm_size_t max, vm_size_t *done)
{
	int error;

	copy_window_open();
	error = _copyinstr_bytes(kdst, usrc, max, done);
	copy_window_close();
	return error;
}

int
copyin(user_addr_t uaddr, void *kaddr, vm_size_t len)
{
	if (len == 0)
		return 0;
	if (!user_range_ok(uaddr, len))
		return EFAULT;
	return copy_bytes(kaddr, (const void *)uaddr, len);
}

int
copyout(const void *kaddr, user_addr_t uaddr, vm_size_t len)
{
	if (len == 0)
		return 0;
	if (!user_range_ok(uaddr, len))
		return EFAULT;
	return copy_bytes((void *)uaddr, kaddr, len);
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
		return copy_string(kaddr, (const void *)uaddr, max, done);
	{
		int error = copy_string(kaddr, (const void *)uaddr, room, done);

		return error == ENAMETOOLONG ? EFAULT : error;
	}
}
