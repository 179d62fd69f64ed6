/*
 * proc_ids.c - who a process is: pid, parent, process group and session
 * (getpgid, setpgid, setsid, getsid and their errors), and its
 * credentials (the uid and gid calls, supplementary groups) with the
 * rules for changing them: root may become anyone; a process that gave
 * up root (uid 65534, "nobody", in a child) cannot get it back. reboot
 * is refused to all but root, and with the wrong magic numbers (and
 * carried out with an argument: see reboot_main).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define NOBODY	65534

static int
wait_status(pid_t pid)
{
	int status = -1;

	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* In a child: a new session and group. The first failed check, or 0. */
static int
session_child(void)
{
	pid_t me = getpid();

	if (getpgrp() == me)
		return 1;		/* a child starts in its parent's group */
	if (setsid() != me)
		return 2;
	if (getsid(0) != me || getpgrp() != me || getpgid(0) != me)
		return 3;
	if (setsid() != -1 || errno != EPERM)
		return 4;		/* a group leader cannot */
	if (setpgid(0, 0) != -1 || errno != EPERM)
		return 5;		/* nor can a session leader change group */
	return 0;
}

/* In a child: give up root and try to get it back. */
static int
nobody_child(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	if (setgroups(0, NULL) != 0)
		return 1;
	if (setgid(NOBODY) != 0 || getgid() != NOBODY || getegid() != NOBODY)
		return 2;
	if (setuid(NOBODY) != 0 || getuid() != NOBODY || geteuid() != NOBODY)
		return 3;
	if (getresuid(&r, &e, &s) != 0 || r != NOBODY || e != NOBODY || s != NOBODY)
		return 4;
	if (getresgid(&gr, &ge, &gs) != 0 || gr != NOBODY || ge != NOBODY || gs != NOBODY)
		return 5;
	if (setuid(0) != -1 || errno != EPERM)
		return 6;
	if (setresuid(-1, 0, -1) != -1 || errno != EPERM)
		return 7;
	if (setreuid(0, -1) != -1 || errno != EPERM)
		return 8;
	if (setgid(0) != -1 || errno != EPERM)
		return 9;
	if (setresgid(0, 0, 0) != -1 || errno != EPERM)
		return 10;
	if (setgroups(0, NULL) != -1 || errno != EPERM)
		return 11;
	if (setuid(NOBODY) != 0 || setresuid(-1, NOBODY, -1) != 0 || setreuid(NOBODY, NOBODY) != 0)
		return 12;		/* to ids it already has: allowed */
	if (syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0) != -1 || errno != EPERM)
		return 13;
	if (geteuid() != NOBODY)
		return 14;
	return 0;
}

/* Root moves its effective uid away and back through the saved one. */
static int
saved_uid_child(void)
{
	uid_t r, e, s;

	if (setresuid(0, NOBODY, 0) != 0 || geteuid() != NOBODY)
		return 1;
	if (getresuid(&r, &e, &s) != 0 || r != 0 || s != 0)
		return 2;
	if (setgroups(0, NULL) != -1 || errno != EPERM)
		return 3;		/* not root while the effective uid is not 0 */
	if (seteuid(0) != 0 || geteuid() != 0)
		return 4;		/* back, through the real and saved ids */
	if (setreuid(-1, 1000) != 0 || getresuid(&r, &e, &s) != 0 || e != 1000 || s != 1000)
		return 5;		/* the saved id follows a new effective one */
	return 0;
}

/*
 * proc_ids poweroff|restart: reboot(2) for real, for the boot tier (from
 * the kernel console: `run /usr/tests/bsd/proc_ids poweroff`). Never run
 * this way on a machine you care about.
 */
static int
reboot_main(const char *how)
{
	unsigned cmd = strcmp(how, "poweroff") == 0 ? 0x4321fedc :
	    strcmp(how, "restart") == 0 ? 0x01234567 : 0;

	if (cmd == 0)
		return 2;
	syscall(SYS_reboot, 0xfee1dead, 672274793, cmd, 0);
	return 1;		/* still here: it failed */
}

int
main(int argc, char **argv)
{
	pid_t pid, pgrp;
	gid_t groups[32], two[2] = { 7, 8 };
	uid_t r, e, s;
	int root = geteuid() == 0;

	if (argc > 1)
		return reboot_main(argv[1]);

	TAP_OK(getpid() > 0, "getpid");
	TAP_OK(getppid() >= 0, "getppid");
	TAP_EQ(syscall(SYS_getpid), getpid(), "the raw getpid");
	pgrp = getpgrp();
	TAP_EQ(getpgid(0), pgrp, "getpgid(0) is getpgrp()");
	TAP_EQ(getpgid(getpid()), pgrp, "getpgid(getpid())");
	TAP_OK(getsid(0) >= 0, "getsid(0)");
	TAP_ERRNO(getpgid(99998), ESRCH, "getpgid of no process: ESRCH");
	TAP_ERRNO(getsid(99998), ESRCH, "getsid of no process: ESRCH");
	TAP_ERRNO(setpgid(99998, 0), ESRCH, "setpgid of a process that is no child: ESRCH");
	TAP_ERRNO(setpgid(0, -1), EINVAL, "setpgid to a negative group: EINVAL");
	TAP_ERRNO(setpgid(0, 99998), EPERM, "setpgid to a group that does not exist: EPERM");

	/* A child in its own group, made from both sides. */
	pid = fork();
	if (pid == 0) {
		int ok = setpgid(0, 0) == 0 && getpgrp() == getpid();
		_exit(ok ? 0 : 1);
	}
	TAP_OK(setpgid(pid, pid) == 0 || errno == EACCES || errno == ESRCH,
	    "setpgid(child, child) in the parent");
	TAP_EQ(wait_status(pid), 0, "setpgid(0, 0) makes a group of the child");

	pid = fork();
	if (pid == 0)
		_exit(session_child());
	TAP_EQ(wait_status(pid), 0, "setsid in a child: a new session and group, then EPERM");

	/* Credentials. */
	TAP_SUCCEEDS(getresuid(&r, &e, &s), "getresuid");
	TAP_OK(r == getuid() && e == geteuid(), "getresuid agrees with getuid and geteuid");
	TAP_ERRNO(getresuid((uid_t *)8, &e, &s), EFAULT, "getresuid to a bad pointer: EFAULT");
	TAP_ERRNO(syscall(SYS_getresgid, &r, &e, 8), EFAULT, "getresgid to a bad pointer: EFAULT");
	TAP_OK(getgroups(0, NULL) >= 0, "getgroups(0) counts");
	TAP_ERRNO(getgroups(-1, groups), EINVAL, "getgroups with a negative size: EINVAL");
	if (!root) {
		tap_diag("root's checks: not made: not root\n");
		return tap_done();
	}
	TAP_SUCCEEDS(setgroups(2, two), "setgroups as root");
	TAP_EQ(getgroups(0, NULL), 2, "getgroups counts them");
	TAP_EQ(getgroups(32, groups), 2, "getgroups returns them");
	TAP_OK(groups[0] == 7 && groups[1] == 8, "the same groups");
	TAP_ERRNO(getgroups(1, groups), EINVAL, "getgroups with too small a buffer: EINVAL");
	TAP_ERRNO(syscall(SYS_setgroups, 2, 8), EFAULT, "setgroups from a bad pointer: EFAULT");
	TAP_ERRNO(syscall(SYS_getgroups, 2, 8), EFAULT, "getgroups to a bad pointer: EFAULT");
	TAP_SUCCEEDS(setresuid(-1, -1, -1), "setresuid(-1, -1, -1) changes nothing");
	TAP_EQ(geteuid(), 0, "still root");
	TAP_ERRNO(syscall(SYS_reboot, 0x12345678, 672274793, 0x4321fedc, 0), EINVAL,
	    "reboot with the wrong magic: EINVAL");
	TAP_ERRNO(syscall(SYS_reboot, 0xfee1dead, 672274793, 0x11111111, 0), EINVAL,
	    "reboot with an unknown command: EINVAL");

	pid = fork();
	if (pid == 0)
		_exit(nobody_child());
	TAP_EQ(wait_status(pid), 0, "a child that became nobody cannot become root again");
	pid = fork();
	if (pid == 0)
		_exit(saved_uid_child());
	TAP_EQ(wait_status(pid), 0, "root gets its effective uid back through the saved one");
	TAP_EQ(geteuid(), 0, "the children's ids were their own");
	return tap_done();
}
