/*
 * proc_wait.c - wait4 and its statuses: exit codes (only the low byte),
 * deaths by a fault, WNOHANG with a child running and with one exited,
 * waiting for a given pid, for any child, for the caller's own process
 * group and for another group, ECHILD, EINVAL, EFAULT, rusage; waitid
 * with WNOWAIT, WNOHANG, its siginfo, its errors; a child stopped by
 * SIGSTOP and continued (WUNTRACED, WCONTINUED).
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

/* Burn time without a system call (no sleep(2) yet). */
static void
spin(long n)
{
	for (volatile long i = 0; i < n; i++)
		;
}

static volatile uintptr_t bad_address = 8;

static pid_t
child_exiting(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

int
main(void)
{
	pid_t pid, pid2, w;
	int status = -1;
	struct rusage ru;

	pid = child_exiting(300);
	TAP_EQ(waitpid(pid, &status, 0), pid, "waitpid for a pid");
	TAP_OK(WIFEXITED(status) && !WIFSIGNALED(status), "WIFEXITED");
	TAP_EQ(WEXITSTATUS(status), 300 & 0xff, "only the status's low byte is kept");
	TAP_EQ(status, (300 & 0xff) << 8, "the encoding is (code & 0xff) << 8");

	pid = fork();
	if (pid == 0) {
		*(volatile int *)bad_address = 1;		/* dies of SIGSEGV */
		_exit(0);
	}
	TAP_EQ(waitpid(pid, &status, 0), pid, "waitpid for a child that faults");
	TAP_OK(WIFSIGNALED(status), "WIFSIGNALED after a fault");
	TAP_EQ(WTERMSIG(status), SIGSEGV, "a bad access is SIGSEGV");

	/* WNOHANG: a child still running is not waited for. */
	pid = fork();
	if (pid == 0) {
		spin(30000000);
		_exit(9);
	}
	TAP_EQ(waitpid(pid, &status, WNOHANG), 0, "WNOHANG with the child still running");
	TAP_EQ(waitpid(pid, &status, 0), pid, "then waiting for it");
	TAP_EQ(WEXITSTATUS(status), 9, "its status");

	/* WNOHANG finds an exited child once it is a zombie. */
	pid = child_exiting(4);
	w = 0;
	for (long i = 0; i < 100000000 && w == 0; i++)
		w = waitpid(pid, &status, WNOHANG);
	TAP_EQ(w, pid, "WNOHANG returns an exited child");
	TAP_EQ(WEXITSTATUS(status), 4, "with its status");

	/* Any child, with a null status and an rusage. */
	pid = child_exiting(1);
	memset(&ru, 0xff, sizeof(ru));
	TAP_EQ(wait4(-1, NULL, 0, &ru), pid, "wait4(-1) with no status pointer");
	TAP_OK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000,
	    "the rusage is filled in");

	/* Process groups: 0 is the caller's own, -pgid another one. */
	pid = child_exiting(5);
	TAP_EQ(waitpid(0, &status, 0), pid, "waitpid(0) finds a child in the caller's group");
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		spin(1000000);
		_exit(6);
	}
	setpgid(pid, pid);		/* both sides, so neither has to go first */
	pid2 = child_exiting(7);	/* in the caller's group */
	TAP_EQ(waitpid(-pid, &status, 0), pid, "waitpid(-pgid) finds the child in that group");
	TAP_EQ(WEXITSTATUS(status), 6, "with its status");
	TAP_ERRNO(waitpid(-pid, &status, 0), ECHILD, "and then that group has no child");
	TAP_EQ(waitpid(0, &status, 0), pid2, "waitpid(0) leaves the other group alone");

	/* Stopped and continued children (WUNTRACED, WCONTINUED). */
	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGSTOP);
		_exit(8);		/* once continued */
	}
	TAP_EQ(waitpid(pid, &status, WUNTRACED), pid, "WUNTRACED reports a stopped child");
	TAP_OK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, "WIFSTOPPED, by SIGSTOP");
	TAP_EQ(waitpid(pid, &status, WUNTRACED | WNOHANG), 0, "a stop is reported once");
	TAP_SUCCEEDS(kill(pid, SIGCONT), "SIGCONT to the stopped child");
	w = waitpid(pid, &status, WCONTINUED);
	TAP_OK(w == pid && (WIFCONTINUED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 8)),
	    "WCONTINUED reports it continued (or already exited)");
	if (w == pid && WIFCONTINUED(status))
		w = waitpid(pid, &status, 0);
	TAP_OK(w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 8, "then it exits");

	/* waitid. */
	{
		siginfo_t si;

		pid = child_exiting(12);
		memset(&si, 0xff, sizeof(si));
		TAP_SUCCEEDS(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), "waitid(WNOWAIT)");
		TAP_OK(si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_pid == pid &&
		    si.si_status == 12 && si.si_uid == getuid(), "waitid's siginfo for an exit");
		TAP_SUCCEEDS(waitid(P_ALL, 0, &si, WEXITED), "waitid again: WNOWAIT left it waitable");
		TAP_EQ(si.si_pid, pid, "the same child");
		TAP_ERRNO(waitid(P_PID, pid, &si, WEXITED), ECHILD, "and now it is reaped");
		pid = fork();
		if (pid == 0) {
			*(volatile int *)bad_address = 1;
			_exit(0);
		}
		TAP_SUCCEEDS(waitid(P_PGID, 0, &si, WEXITED), "waitid(P_PGID, 0) for a child that faults");
		TAP_OK(si.si_pid == pid && (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED) &&
		    si.si_status == SIGSEGV, "the siginfo says SIGSEGV");
		pid = fork();
		if (pid == 0) {
			spin(30000000);
			_exit(0);
		}
		memset(&si, 0xff, sizeof(si));
		TAP_SUCCEEDS(waitid(P_PID, pid, &si, WEXITED | WNOHANG), "waitid(WNOHANG) with the child running");
		TAP_EQ(si.si_pid, 0, "the siginfo is zeroed");
		TAP_SUCCEEDS(waitid(P_PID, pid, &si, WEXITED), "then waiting for it");
		TAP_ERRNO(waitid(P_ALL, 0, &si, WNOHANG), EINVAL, "waitid without WEXITED, WSTOPPED or WCONTINUED: EINVAL");
		TAP_ERRNO(waitid(7, 0, &si, WEXITED), EINVAL, "waitid with a bad idtype: EINVAL");
		TAP_ERRNO(waitid(P_ALL, 0, &si, WEXITED), ECHILD, "waitid with no children: ECHILD");
		pid = child_exiting(0);
		TAP_ERRNO(waitid(P_PID, pid, (siginfo_t *)8, WEXITED), EFAULT, "waitid to a bad siginfo: EFAULT");
	}

	/* Errors. */
	TAP_ERRNO(waitpid(-1, &status, 0), ECHILD, "no children: ECHILD");
	TAP_ERRNO(waitpid(-1, &status, WNOHANG), ECHILD, "no children with WNOHANG: ECHILD");
	TAP_ERRNO(waitpid(1, &status, 0), ECHILD, "a process that is not a child: ECHILD");
	pid = child_exiting(0);
	TAP_ERRNO(waitpid(pid, &status, 0x1000), EINVAL, "unknown options: EINVAL");
	TAP_ERRNO(syscall(SYS_wait4, pid, (void *)8, 0, NULL), EFAULT, "a bad status pointer: EFAULT");
	TAP_ERRNO(waitpid(pid, &status, WNOHANG), ECHILD, "the child was reaped all the same");
	return tap_done();
}
