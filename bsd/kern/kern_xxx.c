/*
 * kern_xxx.c - reboot(2): power the machine off or restart it, with
 * Linux's magic numbers and commands (XNU keeps its reboot here too).
 *
 * Nothing is synced or unmounted first: there is nothing to sync yet (the
 * root is the initrd, in memory). The machine goes the way the kernel
 * console's `poweroff` and `reboot` take it: through PEHaltRestart, which
 * first runs the drivers' shutdown hooks (iokit/Kernel/IOPlatformExpert.h).
 */

#include "bsd/sys/sysproto.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/ucred.h"
#include "kernel/console.h"
#include "kernel/pexpert.h"

#define LINUX_REBOOT_MAGIC1		0xfee1deadU
#define LINUX_REBOOT_MAGIC2		672274793U
#define LINUX_REBOOT_MAGIC2A		85072278U
#define LINUX_REBOOT_MAGIC2B		369367448U
#define LINUX_REBOOT_MAGIC2C		537993216U

#define LINUX_REBOOT_CMD_RESTART	0x01234567U
#define LINUX_REBOOT_CMD_HALT		0xcdef0123U
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdefU
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000U
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedcU

/*
 * reboot: RESTART restarts, HALT and POWER_OFF turn the machine off (there
 * is no halted-but-on state worth having under QEMU); CAD_ON and CAD_OFF
 * are accepted and change nothing (Ctrl-Alt-Del is not wired). EPERM
 * unless root; EINVAL for wrong magic numbers or another command.
 */
int
reboot(struct proc *p, struct reboot_args *uap, int64_t *retval)
{
	uint32_t magic1 = (uint32_t)uap->magic1, magic2 = (uint32_t)uap->magic2;
	uint32_t cmd = (uint32_t)uap->cmd;

	(void)p;
	*retval = 0;
	if (!kauth_cred_issuser(kauth_cred_get()))
		return EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	    magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		printf("reboot: restarting\n");
		(void)PEHaltRestart(kPERestartCPU);
		return EINVAL;	/* not reached */
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		printf("reboot: powering off\n");
		(void)PEHaltRestart(kPEHaltCPU);
		return EINVAL;	/* not reached */
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return EINVAL;
	}
}
