/*
 * sysctl_tools.c - the programs: sysctl(8), ps and dmesg, run with their
 * output read through a pipe; and the MIB's refusals for a user who is
 * not root (a child that gives up root with setuid first).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_program.h"
#include "tap.h"

#define SYS_xnu_sysctlbyname	(0x2000000 + 274)

static char out[160 * 1024];	/* more than the kernel log (64 KiB) */

/* run_program into out. */
static int
run(char *const argv[])
{
	return run_program(argv, out, sizeof(out));
}

static void
test_sysctl(void)
{
	TAP_EQ(run((char *[]){ "/usr/sbin/sysctl", "kern.ostype", "hw.pagesize", NULL }), 0,
	    "sysctl kern.ostype hw.pagesize");
	TAP_OK(strcmp(out, "kern.ostype: Machina\nhw.pagesize: 4096\n") == 0,
	    "prints name: value lines");
	TAP_EQ(run((char *[]){ "/usr/sbin/sysctl", "-n", "kern.ostype", NULL }), 0, "sysctl -n");
	TAP_OK(strcmp(out, "Machina\n") == 0, "prints the value alone");
	TAP_EQ(run((char *[]){ "/usr/sbin/sysctl", "-a", NULL }), 0, "sysctl -a");
	TAP_OK(strstr(out, "kern.ostype: Machina\n") != NULL && strstr(out, "hw.ncpu: ") != NULL &&
	    strstr(out, "vm.loadavg: { ") != NULL && strstr(out, "kern.msgbuf") == NULL &&
	    strstr(out, "sysctl.") == NULL, "lists the leaves, not the log or sysctl.*");
	TAP_EQ(run((char *[]){ "/usr/sbin/sysctl", "kern.hostname=tools-test", NULL }), 0,
	    "sysctl kern.hostname=tools-test");
	TAP_OK(strstr(out, "kern.hostname: ") == out && strstr(out, " -> tools-test\n") != NULL,
	    "prints the old and the new value");
	TAP_EQ(run((char *[]){ "/usr/sbin/sysctl", "kern.hostname=machina", NULL }), 0,
	    "and back");
	TAP_EQ(run((char *[]){ "/usr/sbin/sysctl", "no.such.name", NULL }), 1, "an unknown name: exit 1");
	TAP_OK(strcmp(out, "sysctl: unknown oid 'no.such.name'\n") == 0, "... saying so");
	TAP_EQ(run((char *[]){ "/usr/sbin/sysctl", "kern.ostype=x", NULL }), 1,
	    "setting a read-only name: exit 1");
	TAP_OK(strstr(out, "read only") != NULL, "... saying so");
	TAP_EQ(run((char *[]){ "/usr/sbin/sysctl", "-q", NULL }), 1, "an unknown option: exit 1");
	TAP_OK(strstr(out, "usage: sysctl") != NULL, "... with the usage");
}

static void
test_ps_dmesg(void)
{
	char self[64];

	TAP_EQ(run((char *[]){ "/bin/ps", "-ax", NULL }), 0, "ps -ax");
	TAP_OK(strncmp(out, "  PID  PPID STAT      TIME COMMAND\n", 35) == 0, "the header");
	snprintf(self, sizeof(self), "\n%5d ", (int)getpid());
	TAP_OK(strstr(out, self) != NULL && strstr(out, "sysctl_tools\n") != NULL,
	    "lists this process");
	TAP_OK(strstr(out, "kernel_task\n") != NULL && strstr(out, " ps\n") != NULL,
	    "and the kernel's, and itself");
	snprintf(self, sizeof(self), "%d", (int)getpid());
	TAP_EQ(run((char *[]){ "/bin/ps", "-l", "-p", self, NULL }), 0, "ps -l -p <self>");
	TAP_OK(strstr(out, "  UID   PID") == out && strstr(out, "sysctl_tools") != NULL &&
	    strchr(strchr(out, '\n') + 1, '\n') == out + strlen(out) - 1, "one line, long form");
	TAP_EQ(run((char *[]){ "/bin/ps", "-p", "99998", NULL }), 1, "ps -p of nobody: exit 1");
	TAP_EQ(run((char *[]){ "/sbin/dmesg", NULL }), 0, "dmesg");
	/*
	 * The console's output is in the log, this test's lines too. (Not the
	 * banner: by now a full run of the user tests has wrapped the ring.)
	 */
	tap_ok(strstr(out, "ps -p of nobody: exit 1\n") != NULL,
	    "has what this test just printed on the console", "dmesg ends: %s",
	    strlen(out) > 300 ? out + strlen(out) - 300 : out);
	TAP_OK(strstr(out, "Machina Kernel Version") != NULL || strlen(out) > 60 * 1024,
	    "and the kernel's banner, unless the log has wrapped");
}

/* The child's side of the non-root checks: the first that failed, or 0. */
static int
as_nobody(void)
{
	struct rlimit r;
	struct timeval tv;
	int v = 1;

	if (setuid(1000) == -1 || getuid() != 1000)
		return 1;
	if (syscall(SYS_xnu_sysctlbyname, "kern.hostname", 13, NULL, NULL, "x", 1) != -1 ||
	    errno != EPERM)
		return 2;
	if (syscall(SYS_xnu_sysctlbyname, "kern.securelevel", 16, NULL, NULL, &v, sizeof(v)) != -1 ||
	    errno != EPERM)
		return 3;
	if (sethostname("x", 1) != -1 || errno != EPERM)
		return 4;
	if (setdomainname("x", 1) != -1 || errno != EPERM)
		return 5;
	gettimeofday(&tv, NULL);
	if (settimeofday(&tv, NULL) != -1 || errno != EPERM)
		return 6;
	if (getrlimit(RLIMIT_NOFILE, &r) == -1)
		return 7;
	r.rlim_max++;
	if (setrlimit(RLIMIT_NOFILE, &r) != -1 || errno != EPERM)
		return 8;
	r.rlim_max -= 2;
	r.rlim_cur = r.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &r) == -1)
		return 9;		/* lowering is anyone's */
	if (syscall(SYS_prlimit64, getppid(), RLIMIT_NOFILE, NULL, &r) != -1 || errno != EPERM)
		return 10;		/* the parent: root's */
	if (syscall(SYS_xnu_sysctlbyname, "kern.ostype", 11, NULL, NULL, "x", 1) != -1 ||
	    errno != EPERM)
		return 11;
	return 0;
}

static void
test_nobody(void)
{
	int status = -1;
	pid_t pid;

	if (getuid() != 0) {
		tap_diag("not root: the refusals to others are left out\n");
		return;
	}
	pid = fork();
	if (pid == 0)
		_exit(as_nobody());
	TAP_OK(pid > 0 && waitpid(pid, &status, 0) == pid, "a child that is not root");
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "is refused writes to the MIB, host names, the time and hard limits (EPERM)");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		tap_diag("the child's check %d failed\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int
main(void)
{
	test_sysctl();
	test_ps_dmesg();
	test_nobody();
	return tap_done();
}
