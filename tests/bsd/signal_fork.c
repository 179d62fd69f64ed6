/*
 * signal_fork.c - signals between processes: a child inherits handlers
 * and the mask but not pending signals; exec puts caught signals back to
 * SIG_DFL and keeps ignored ones and the mask; a parent kills, stops and
 * continues a child and wait4 sees each (WIFSIGNALED, WIFSTOPPED,
 * WIFCONTINUED); SIGCHLD comes for each, but not for stops and continues
 * with SA_NOCLDSTOP; a child dying of a fault has the core bit; kill
 * needs the same uid (EPERM).
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static volatile int usr1, chld, chld_code, chld_pid, chld_status;

static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_chld(int sig) { (void)sig; chld++; }

static void
on_chld_info(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	chld++;
	chld_code = si->si_code;
	chld_pid = si->si_pid;
	chld_status = si->si_status;
}

static void
catch(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

/* A child that waits for signals for ever. */
static pid_t
sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		for (;;)
			sigsuspend(&none);
	}
	return pid;
}

int
main(int argc, char **argv)
{
	sigset_t set, pend;
	pid_t pid;
	int st = 0;

	(void)argc, (void)argv;
	catch(SIGUSR1, on_usr1, 0);
	catch(SIGCHLD, on_chld, 0);

	/* Inheritance. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);		/* pending in the parent */
	pid = fork();
	if (pid == 0) {
		sigset_t m;

		raise(SIGUSR1);
		sigprocmask(SIG_BLOCK, NULL, &m);
		sigpending(&pend);
		_exit(usr1 == 1 && sigismember(&m, SIGUSR2) && !sigismember(&pend, SIGUSR2) ? 0 : 1);
	}
	TAP_OK(pid > 0, "fork");
	TAP_EQ(waitpid(pid, &st, 0), pid, "wait for it");
	TAP_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the child has the handler and the mask, not the pending signal");
	TAP_OK(chld >= 1, "SIGCHLD came for its exit");
	signal(SIGUSR2, SIG_IGN);	/* drop the pending one */
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	/* exec: caught back to SIG_DFL, ignored stays, the mask stays. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid = fork();
	if (pid == 0) {
		char *args[] = { "signal_kill", "exec-check", NULL };

		execve("/usr/tests/bsd/signal_kill", args, NULL);
		_exit(99);
	}
	TAP_EQ(waitpid(pid, &st, 0), pid, "wait for the exec'd child");
	TAP_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "after exec: the handler is SIG_DFL, SIG_IGN and the mask are kept");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR2, SIG_DFL);

	/* Killed. */
	pid = sleeper();
	TAP_SUCCEEDS(kill(pid, SIGTERM), "kill(child, SIGTERM)");
	TAP_EQ(waitpid(pid, &st, 0), pid, "wait for it");
	TAP_OK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && !WCOREDUMP(st),
	    "it died of SIGTERM");

	/* Stopped, continued, killed; SIGCHLD each time. */
	pid = sleeper();
	chld = 0;
	TAP_SUCCEEDS(kill(pid, SIGSTOP), "kill(child, SIGSTOP)");
	TAP_EQ(waitpid(pid, &st, WUNTRACED), pid, "wait4(WUNTRACED)");
	TAP_OK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "it stopped");
	TAP_SUCCEEDS(kill(pid, SIGCONT), "kill(child, SIGCONT)");
	TAP_EQ(waitpid(pid, &st, WCONTINUED), pid, "wait4(WCONTINUED)");
	TAP_OK(WIFCONTINUED(st), "it continued");
	TAP_OK(chld >= 2, "SIGCHLD for the stop and the continue");
	TAP_SUCCEEDS(kill(pid, SIGKILL), "kill(child, SIGKILL)");
	TAP_EQ(waitpid(pid, &st, 0), pid, "wait for it");
	TAP_OK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "it died of SIGKILL");

	/* SA_NOCLDSTOP: no SIGCHLD for a stop, wait4 still reports it. */
	catch(SIGCHLD, on_chld, SA_NOCLDSTOP);
	pid = sleeper();
	chld = 0;
	kill(pid, SIGSTOP);
	TAP_EQ(waitpid(pid, &st, WUNTRACED), pid, "SA_NOCLDSTOP: wait4 sees the stop");
	TAP_OK(WIFSTOPPED(st), "it stopped");
	TAP_EQ(chld, 0, "no SIGCHLD for it");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	TAP_OK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "SIGKILL ends a stopped child");
	TAP_EQ(chld, 1, "SIGCHLD for its death");

	/* SIGCHLD's siginfo: CLD_EXITED with the pid and the status. */
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_chld_info;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGCHLD, &sa, NULL);
	}
	chld = 0;
	pid = fork();
	if (pid == 0)
		_exit(42);
	waitpid(pid, &st, 0);
	TAP_OK(chld == 1 && chld_code == CLD_EXITED && chld_pid == pid && chld_status == 42,
	    "SIGCHLD for an exit: CLD_EXITED, the pid, the status");
	pid = sleeper();
	chld = 0;
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	TAP_OK(chld >= 1 && chld_code == CLD_KILLED && chld_pid == pid && chld_status == SIGTERM,
	    "SIGCHLD for a death: CLD_KILLED, the pid, the signal");
	pid = sleeper();
	chld = 0;
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	TAP_OK(chld >= 1 && chld_code == CLD_STOPPED && chld_pid == pid && chld_status == SIGSTOP,
	    "SIGCHLD for a stop: CLD_STOPPED, the pid, the signal");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	signal(SIGCHLD, SIG_DFL);

	/* A fault with no handler: the core bit. */
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		*(volatile int *)(uintptr_t)(argc * 16) = 1;
		_exit(3);
	}
	TAP_EQ(waitpid(pid, &st, 0), pid, "wait for a child that faults");
	TAP_OK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && WCOREDUMP(st),
	    "it died of SIGSEGV, core");

	/* Permission: another uid may not signal us. */
	pid = fork();
	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(2);
		_exit(kill(getppid(), 0) == -1 && errno == EPERM ? 0 : 1);
	}
	TAP_EQ(waitpid(pid, &st, 0), pid, "wait for a child that became uid 1000");
	TAP_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "it may not signal its root parent: EPERM");
	pid = sleeper();
	TAP_OK(pid > 0, "another sleeper");
	TAP_SUCCEEDS(kill(pid, 0), "root may signal anyone");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return tap_done();
}
