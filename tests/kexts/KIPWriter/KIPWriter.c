/*
 * KIPWriter: after boot, the kernel's text and read-only data are locked
 * (Kernel Integrity Protection), and a kext is no exception. At start it
 * tries to write a byte of the kernel's text (sysctl_register_oid's first
 * instruction) and of its read-only data (the version string), each
 * through the fault-catching probe, and of its own data as a control; it
 * reports in debug.kipwriter: bit 0 text refused, bit 1 rodata refused,
 * bit 2 its own data written.
 */
#include <kernel/machine_routines.h>
#include <kernel/version.h>
#include <mach/kmod.h>
#include <sys/sysctl.h>

kern_return_t KIPWriter_start(kmod_info_t *ki, void *data);
kern_return_t KIPWriter_stop(kmod_info_t *ki, void *data);

static int result;
static volatile unsigned char scratch = 1;
SYSCTL_INT(_debug, OID_AUTO, kipwriter, CTLFLAG_RD | CTLFLAG_LOCKED, &result, 0,
    "what KIPWriter's writes did");

kern_return_t
KIPWriter_start(kmod_info_t *ki, void *data)
{
	uint8_t byte;

	if (ml_nofault_read8((uint64_t)(uintptr_t)&sysctl_register_oid, &byte) &&
	    !ml_nofault_write8((uint64_t)(uintptr_t)&sysctl_register_oid, byte))
		result |= 1;
	if (ml_nofault_read8((uint64_t)(uintptr_t)&version[0], &byte) &&
	    !ml_nofault_write8((uint64_t)(uintptr_t)&version[0], byte))
		result |= 2;
	if (ml_nofault_write8((uint64_t)(uintptr_t)&scratch, 2) && scratch == 2)
		result |= 4;
	sysctl_register_oid(&sysctl__debug_kipwriter);
	return KERN_SUCCESS;
}

kern_return_t
KIPWriter_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_kipwriter);
	return KERN_SUCCESS;
}
