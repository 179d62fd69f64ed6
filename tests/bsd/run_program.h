/*
 * run_program.h - run a program the way a person at the shell would, and
 * keep what it printed: for the tests of the in-tree tools (sysctl, ps,
 * the kext tools).
 *
 *	static char out[64 * 1024];
 *	int status = run_program((char *[]){ "/usr/sbin/sysctl", "-a", NULL },
 *	    out, sizeof(out));
 */

#ifndef TESTS_BSD_RUN_PROGRAM_H
#define TESTS_BSD_RUN_PROGRAM_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Run argv with stdout and stderr into out (NUL-terminated, cut to size);
 * the exit status, or -1 if it could not be run or did not exit.
 */
static int __attribute__((unused))
run_program(char *const argv[], char *out, size_t size)
{
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	out[0] = '\0';
	if (pipe(fds) == -1)
		return -1;
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (len < size - 1 && (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif /* TESTS_BSD_RUN_PROGRAM_H */
