/*
 * proc_fork.c - fork: it returns twice (0 in the child, the child's pid in
 * the parent); the child has its own copy of memory (copy-on-write: what
 * it writes, the parent never sees), the parent's registers, FPU state and
 * thread pointer, and a pid and parent of its own; many children in a row
 * come and go.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static int global = 1;
static char bss[3 * 4096];
static __thread int tls = 5;

/* In the child: the first failed check's number, or 0. */
static int
child_checks(pid_t parent, volatile double *d, int *stackvar)
{
	if (getppid() != parent)
		return 1;
	if (getpid() == parent)
		return 2;
	if (global != 1 || bss[4096] != 'p' || *stackvar != 11)
		return 3;
	if (*d != 2.5)
		return 4;		/* the FPU state came along */
	if (tls != 5)
		return 5;		/* the thread pointer too */
	global = 2;			/* the parent must not see these */
	bss[4096] = 'c';
	*stackvar = 12;
	tls = 6;
	return 0;
}

int
main(int argc, char **argv)
{
	pid_t parent = getpid(), pid, w;
	volatile double d = 1.25;
	int stackvar = 11, status = -1, ok;

	if (argc > 1 && strcmp(argv[1], "quiet") == 0)
		close(1);		/* the kernel tier runs it for its status alone */

	d *= 2;
	bss[4096] = 'p';
	pid = fork();
	if (pid == 0)
		_exit(child_checks(parent, &d, &stackvar));
	TAP_OK(pid > 0, "fork returns the child's pid in the parent");
	w = waitpid(pid, &status, 0);
	TAP_EQ(w, pid, "waitpid returns the child");
	TAP_OK(WIFEXITED(status), "the child exited");
	TAP_EQ(WEXITSTATUS(status), 0, "the child saw the parent's memory, registers and FPU");
	TAP_EQ(global, 1, "the child's write to data is its own");
	TAP_EQ(bss[4096], 'p', "the child's write to bss is its own");
	TAP_EQ(stackvar, 11, "the child's write to the stack is its own");
	TAP_EQ(tls, 5, "the child's thread-local write is its own");
	TAP_OK(d == 2.5, "the parent's FPU state is intact");

	/* Writing after fork in the parent: the child must keep what it had. */
	pid = fork();
	if (pid == 0) {
		for (volatile int i = 0; i < 200000; i++)
			;
		_exit(global == 1 ? 0 : 1);
	}
	global = 3;
	TAP_EQ(waitpid(pid, &status, 0), pid, "waitpid after the parent wrote");
	TAP_EQ(status, 0, "the parent's write after fork is not the child's");
	global = 1;

	/* Many in a row, each reaped: nothing piles up. */
	ok = 1;
	for (int i = 0; i < 20 && ok; i++) {
		pid = fork();
		if (pid == 0)
			_exit(i);
		ok = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) == i;
	}
	TAP_OK(ok, "twenty children, one after another, each with its status");

	/* Several at once, reaped in any order. */
	ok = 1;
	for (int i = 0; i < 5; i++) {
		pid = fork();
		if (pid == 0)
			_exit(10 + i);
		ok &= pid > 0;
	}
	for (int i = 0, mask = 0; i < 5; i++) {
		w = wait(&status);
		ok &= w > 0 && WIFEXITED(status) && WEXITSTATUS(status) >= 10 &&
		    WEXITSTATUS(status) < 15 && !(mask & (1 << (WEXITSTATUS(status) - 10)));
		mask |= 1 << (WEXITSTATUS(status) - 10);
	}
	TAP_OK(ok, "five children at once, all reaped");
	TAP_ERRNO(wait(&status), ECHILD, "and then there are none");

	/* The raw call: the child returns 0 in rax. */
	pid = (pid_t)syscall(SYS_fork);
	if (pid == 0)
		_exit(42);
	TAP_EQ(waitpid(pid, &status, 0), pid, "SYS_fork's child");
	TAP_EQ(WEXITSTATUS(status), 42, "SYS_fork's child ran on from the call");
	return tap_done();
}
