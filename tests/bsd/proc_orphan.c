/*
 * proc_orphan.c - a process whose parent exits is given to init (pid 1),
 * or, with no init (the kernel console starting the tests), to the kernel
 * (getppid 0), and it still runs, exits and is reaped; a parent that exits
 * without waiting leaves no zombie to its own parent.
 *
 * The grandchild reports its own check (the next TAP number); this
 * program waits until the grandchild is gone (getpgid fails with ESRCH
 * once it was reaped) before it goes on.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

int
main(int argc, char **argv)
{
	pid_t child, grandchild, w;
	int status = -1;
	long i;

	if (argc > 1 && strcmp(argv[1], "quiet") == 0)
		close(1);		/* the kernel tier runs it for its status alone */

	child = fork();
	if (child == 0) {
		pid_t me = getpid();

		grandchild = fork();
		if (grandchild == 0) {
			pid_t ppid = getppid();

			/* Until our parent is gone. */
			for (i = 0; i < 200000000 && ppid == me; i++)
				ppid = getppid();
			tap_count = 2;	/* the grandparent's checks before this one */
			tap_ok(ppid == 0 || ppid == 1, "the orphan's parent is init or the kernel",
			    "getppid() is %d", (int)ppid);
			_exit(0);
		}
		/* The distance between the two pids, for the grandparent to find it. */
		_exit(grandchild > me && grandchild - me < 256 ? grandchild - me : 255);
	}
	w = waitpid(child, &status, 0);
	TAP_EQ(w, child, "the middle process exited");
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) != 255, "it had a grandchild");
	grandchild = child + WEXITSTATUS(status);
	for (i = 0; i < 200000000 && getpgid(grandchild) != -1; i++)
		;
	tap_count++;			/* the grandchild's check */
	TAP_ERRNO(getpgid(grandchild), ESRCH, "the orphan ended and was reaped");
	TAP_ERRNO(waitpid(-1, &status, WNOHANG), ECHILD, "the grandchild is not ours to wait for");

	/* A parent exiting with an unwaited zombie child: the zombie goes too. */
	child = fork();
	if (child == 0) {
		grandchild = fork();
		if (grandchild == 0)
			_exit(0);
		for (volatile long j = 0; j < 10000000; j++)
			;		/* long enough for the grandchild to be a zombie */
		_exit(grandchild - getpid() > 0 && grandchild - getpid() < 256 ?
		    grandchild - getpid() : 255);
	}
	TAP_EQ(waitpid(child, &status, 0), child, "a parent that left a zombie exited");
	grandchild = child + WEXITSTATUS(status);
	for (i = 0; i < 100000000 && getpgid(grandchild) != -1; i++)
		;
	TAP_ERRNO(getpgid(grandchild), ESRCH, "its zombie child was reaped for it");
	return tap_done();
}
