/*
 * vfs_flock.c - flock(2): shared and exclusive locks held by open files,
 * LOCK_NB's EWOULDBLOCK, conversion, release by LOCK_UN and by the last
 * close, a dup'd descriptor sharing its open file's lock, a child that
 * waits for the parent's lock, and the errors (EBADF, EINVAL).
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define TDIR	"/tmp/vfs_flock"
#define F	TDIR "/f"

int
main(void)
{
	int a, b, d, status;
	pid_t pid;

	mkdir("/tmp", 01777);
	unlink(F);
	rmdir(TDIR);
	TAP_SUCCEEDS(mkdir(TDIR, 0755), "mkdir");
	a = open(F, O_RDWR | O_CREAT, 0644);
	b = open(F, O_RDWR);
	TAP_OK(a >= 0 && b >= 0, "two opens of one file");
	TAP_SUCCEEDS(flock(a, LOCK_EX), "an exclusive lock");
	TAP_SUCCEEDS(flock(a, LOCK_EX), "asked again: still held");
	TAP_ERRNO(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "another open cannot have it");
	TAP_ERRNO(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "nor a shared one");
	TAP_SUCCEEDS(flock(a, LOCK_UN), "LOCK_UN");
	TAP_SUCCEEDS(flock(b, LOCK_SH | LOCK_NB), "now a shared lock");
	TAP_SUCCEEDS(flock(a, LOCK_SH | LOCK_NB), "and another shared one");
	TAP_ERRNO(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK, "no exclusive lock while shared");
	TAP_SUCCEEDS(close(b), "the last close lets its lock go");
	TAP_SUCCEEDS(flock(a, LOCK_EX | LOCK_NB), "so the other becomes exclusive");
	d = dup(a);
	TAP_SUCCEEDS(flock(d, LOCK_UN), "a dup shares the open file's lock");
	b = open(F, O_RDONLY);
	TAP_SUCCEEDS(flock(b, LOCK_EX | LOCK_NB), "which LOCK_UN on the dup let go");
	close(b);
	close(d);
	TAP_ERRNO(flock(-1, LOCK_SH), EBADF, "flock of -1");
	TAP_ERRNO(flock(a, 0), EINVAL, "no operation");
	TAP_ERRNO(flock(a, LOCK_SH | LOCK_EX), EINVAL, "two at once");
	TAP_ERRNO(flock(a, LOCK_NB), EINVAL, "LOCK_NB alone");

	/* A child waits for the parent's exclusive lock. */
	TAP_SUCCEEDS(flock(a, LOCK_EX), "the parent locks");
	pid = fork();
	if (pid == 0) {
		int c;

		close(a);	/* the inherited descriptor shares the parent's lock */
		c = open(F, O_RDWR);
		_exit(c >= 0 && flock(c, LOCK_EX) == 0 ? 0 : 1);	/* waits for the parent */
	}
	TAP_OK(pid > 0, "fork");
	TAP_SUCCEEDS(close(a), "the parent closes: its lock goes");
	TAP_EQ(waitpid(pid, &status, 0), pid, "wait");
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child got the lock");

	TAP_SUCCEEDS(unlink(F), "unlink");
	TAP_SUCCEEDS(rmdir(TDIR), "cleaned up");
	return tap_done();
}
