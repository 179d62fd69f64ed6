/*
 * proc_exec.c - execve: a new program in the same process (the same pid),
 * with the argv and envp it was given; #! scripts (an interpreter with
 * one argument, nested ones, a loop of them); errors that leave the
 * caller's image as it was (ENOENT, EACCES, ENOEXEC, ELOOP, E2BIG,
 * EFAULT); vfork and exec; clone(CLONE_VM | CLONE_VFORK) on a stack of its
 * own, as posix_spawn does; posix_spawn itself.
 *
 * The program runs itself again for the children's side: "child PID ARG"
 * checks what exec gave it and exits 0 if all is as expected.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define SCRIPT		"/usr/share/tests/proc/script"
#define SCRIPT2		"/usr/share/tests/proc/script2"
#define LOOP		"/usr/share/tests/proc/loop"
#define NOTEXEC		"/usr/share/tests/proc/notexec"
#define NOEXEC		"/usr/share/tests/proc/noexec"
#define NOINT		"/usr/share/tests/proc/noint"

extern char **environ;
static const char *self;
static volatile int shared;

/* The children's side. Exit status: the first check that failed, or 0. */
static int
child_main(int argc, char **argv)
{
	if (strcmp(argv[1], "child") == 0) {
		/* argv: self child PID x y; envp: FOO=bar ONE=1 */
		if (argc != 5 || strcmp(argv[3], "x") != 0 || strcmp(argv[4], "y") != 0)
			return 1;
		if (getpid() != atoi(argv[2]))
			return 2;		/* exec keeps the pid */
		if (getenv("FOO") == NULL || strcmp(getenv("FOO"), "bar") != 0 ||
		    getenv("ONE") == NULL || environ[2] != NULL)
			return 3;
		if (getauxval(AT_PAGESZ) != 4096 || getauxval(AT_RANDOM) == 0 ||
		    getauxval(AT_EXECFN) == 0 || strcmp((char *)getauxval(AT_EXECFN), self) != 0)
			return 4;
		if (getauxval(AT_UID) != getuid() || getauxval(AT_EUID) != geteuid() ||
		    getauxval(AT_GID) != getgid() || getauxval(AT_EGID) != getegid())
			return 5;
		if (getauxval(AT_PHDR) == 0 || getauxval(AT_ENTRY) == 0 || getauxval(AT_PHNUM) == 0)
			return 6;
		return 0;
	}
	if (strcmp(argv[1], "script-arg") == 0) {
		/* argv: self script-arg SCRIPT [SCRIPT2] z */
		int i = 2;

		if (strcmp(argv[i++], SCRIPT) != 0)
			return 11;
		if (argc == 5 && strcmp(argv[i++], SCRIPT2) != 0)
			return 12;
		if (i != argc - 1 || strcmp(argv[i], "z") != 0)
			return 13;
		return 0;
	}
	if (strcmp(argv[1], "plain") == 0)
		return argc == 2 ? 0 : 21;
	if (strcmp(argv[1], "empty-env") == 0)
		return environ[0] == NULL ? 0 : 31;
	return 99;
}

static int
wait_status(pid_t pid)
{
	int status = -1;

	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* fork, exec path with argv and envp in the child, wait; the status. */
static int
fork_exec(const char *path, char *const argv[], char *const envp[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(100 + errno);
	}
	return wait_status(pid);
}

/* Is path there? (access(2) may not exist yet: exec it and see.) */
static int
have(const char *path)
{
	char *argv[] = { (char *)path, "z", NULL };
	int status = fork_exec(path, argv, environ);

	return !(WIFEXITED(status) && WEXITSTATUS(status) == 100 + ENOENT);
}

/* A check that cannot be made here: a diagnostic line, no result. */
static void
skip(const char *name, const char *why)
{
	tap_diag("%s: not checked: %s\n", name, why);
}

static char clone_stack[64 * 1024] __attribute__((aligned(16)));
static char big[100 * 1024];
static char *bigv[32];

static int
clone_child(void *arg)
{
	char *argv[] = { (char *)self, "plain", NULL };

	shared = 42;			/* the parent's memory: it sees this */
	if (arg != NULL)
		execve(self, argv, environ);
	return 7;
}

int
main(int argc, char **argv)
{
	char pidbuf[16];
	char *env[] = { "FOO=bar", "ONE=1", NULL };
	char *empty[] = { NULL };
	pid_t pid;
	int status;

	self = argv[0];
	if (argc > 1 && strcmp(argv[1], "quiet") == 0)
		close(1);		/* the kernel tier runs it for its status alone */
	else if (argc > 1)
		return child_main(argc, argv);

	/* exec keeps the pid, passes argv and envp, builds the auxiliary vector. */
	pid = fork();
	if (pid == 0) {
		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		char *cargv[] = { (char *)self, "child", pidbuf, "x", "y", NULL };
		execve(self, cargv, env);
		_exit(100 + errno);
	}
	status = wait_status(pid);
	TAP_EQ(status, 0, "exec: same pid, argv, envp and auxv as given");
	{
		char *pargv[] = { (char *)self, "plain", NULL };
		TAP_EQ(fork_exec(self, pargv, empty), 0, "exec with an empty environment");
		char *eargv[] = { (char *)self, "empty-env", NULL };
		TAP_EQ(fork_exec(self, eargv, NULL), 0, "exec with a null envp");
	}

	/* Scripts. */
	if (have(SCRIPT)) {
		char *sargv[] = { SCRIPT, "z", NULL };
		char *s2argv[] = { SCRIPT2, "z", NULL };
		char *largv[] = { LOOP, NULL };
		char *nargv[] = { NOINT, NULL };

		TAP_EQ(fork_exec(SCRIPT, sargv, env), 0, "#! runs the interpreter with its argument and the script");
		TAP_EQ(fork_exec(SCRIPT2, s2argv, env), 0, "a script whose interpreter is a script");
		TAP_ERRNO(execve(LOOP, largv, env), ELOOP, "a loop of scripts: ELOOP");
		TAP_ERRNO(execve(NOINT, nargv, env), ENOENT, "a script with a missing interpreter: ENOENT");
		TAP_ERRNO(execve(NOTEXEC, nargv, env), ENOEXEC, "neither a program nor a script: ENOEXEC");
		TAP_ERRNO(execve(NOEXEC, nargv, env), EACCES, "a file without execute permission: EACCES");
	} else {
		skip("scripts", "no " SCRIPT " here");
	}

	/* Errors leave the caller as it was. */
	{
		char *nargv[] = { "x", NULL };
		char *badv[] = { "x", (char *)8, NULL };

		TAP_ERRNO(execve("/nonexistent/program", nargv, env), ENOENT, "a missing file: ENOENT");
		TAP_ERRNO(execve("", nargv, env), ENOENT, "an empty path: ENOENT");
		TAP_ERRNO(syscall(SYS_execve, (char *)8, nargv, env), EFAULT, "a bad path pointer: EFAULT");
		TAP_ERRNO(syscall(SYS_execve, self, (char **)8, env), EFAULT, "a bad argv pointer: EFAULT");
		TAP_ERRNO(execve(self, badv, env), EFAULT, "a bad argv string: EFAULT");
		TAP_ERRNO(syscall(SYS_execve, self, nargv, (char **)8), EFAULT, "a bad envp pointer: EFAULT");
	}
	{
		memset(big, 'a', 100 * 1024 - 1);
		big[100 * 1024 - 1] = '\0';
		bigv[0] = (char *)self;
		for (int i = 1; i < 31; i++)
			bigv[i] = big;		/* 3 MiB in all */
		bigv[31] = NULL;
		TAP_ERRNO(execve(self, bigv, env), E2BIG, "3 MiB of arguments: E2BIG");
		bigv[1] = NULL;
		TAP_ERRNO(execve(self, bigv, bigv + 2), E2BIG, "3 MiB of environment: E2BIG");
	}
	TAP_EQ(strcmp(argv[0], self), 0, "after the failures the old image runs on");

	/* vfork: the parent waits until the child execs, or exits. */
	pid = vfork();
	if (pid == 0) {
		char *pargv[] = { (char *)self, "plain", NULL };
		execve(self, pargv, env);
		_exit(127);
	}
	TAP_OK(pid > 0, "vfork returns the child's pid");
	TAP_EQ(wait_status(pid), 0, "vfork and exec");
	pid = vfork();
	if (pid == 0)
		_exit(5);
	TAP_EQ(WEXITSTATUS(wait_status(pid)), 5, "vfork and _exit");

	/* clone(CLONE_VM | CLONE_VFORK) on a stack of its own, as posix_spawn does. */
	shared = 0;
	pid = clone(clone_child, clone_stack + sizeof(clone_stack), CLONE_VM | CLONE_VFORK | SIGCHLD,
	    NULL);
	TAP_OK(pid > 0, "clone(CLONE_VM|CLONE_VFORK)");
	TAP_EQ(shared, 42, "the child wrote to the parent's memory before the parent went on");
	status = wait_status(pid);
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "the child's return value is its status");
	pid = clone(clone_child, clone_stack + sizeof(clone_stack), CLONE_VM | CLONE_VFORK | SIGCHLD,
	    (void *)1);
	TAP_EQ(wait_status(pid), 0, "clone(CLONE_VM|CLONE_VFORK) and exec");
	TAP_ERRNO(syscall(SYS_clone, CLONE_THREAD | SIGCHLD, clone_stack + sizeof(clone_stack), 0, 0, 0),
	    EINVAL, "CLONE_THREAD without CLONE_SIGHAND: EINVAL");

	/* posix_spawn (musl's needs pipe2 to report an exec failure). */
	{
		int fds[2];

		if (pipe2(fds, O_CLOEXEC) == 0) {
			char *pargv[] = { (char *)self, "plain", NULL };
			close(fds[0]);
			close(fds[1]);
			TAP_EQ(posix_spawn(&pid, self, NULL, NULL, pargv, env), 0, "posix_spawn");
			TAP_EQ(wait_status(pid), 0, "the spawned program ran");
			TAP_EQ(posix_spawn(&pid, "/nonexistent", NULL, NULL, pargv, env), ENOENT,
			    "posix_spawn of a missing file: ENOENT");
		} else {
			skip("posix_spawn", "no pipe2 yet");
		}
	}
	return tap_done();
}
