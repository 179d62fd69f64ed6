/*
 * pipe_poll.c - poll, ppoll, select and pselect on pipes within one
 * process: readiness for reading and writing, hang-up, timeouts (only
 * that they end, never how long they take), POLLNVAL and EBADF, and bad
 * arguments.
 */

#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define BAD_PTR ((void *)8)

int
main(void)
{
	int fds[2];
	struct pollfd pfd[3];
	fd_set rset, wset;
	struct timeval tv;
	struct timespec ts;
	char buf[16];

	signal(SIGPIPE, SIG_IGN);
	TAP_SUCCEEDS(pipe(fds), "pipe");

	pfd[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = fds[1], .events = POLLOUT };
	TAP_EQ(poll(pfd, 2, 0), 1, "poll: only the write end is ready");
	TAP_EQ(pfd[0].revents, 0, "an empty read end has no events");
	TAP_EQ(pfd[1].revents, POLLOUT, "the write end is POLLOUT");
	TAP_EQ(poll(pfd, 1, 30), 0, "poll on an empty pipe times out");
	TAP_EQ(write(fds[1], "x", 1), 1, "write a byte");
	TAP_EQ(poll(pfd, 1, -1), 1, "poll without a timeout returns once readable");
	TAP_EQ(pfd[0].revents, POLLIN, "the read end is POLLIN");

	pfd[2] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 7 };
	TAP_EQ(poll(&pfd[2], 1, 0), 0, "a negative descriptor is skipped");
	TAP_EQ(pfd[2].revents, 0, "... and its revents cleared");
	pfd[2] = (struct pollfd){ .fd = 999, .events = POLLIN };
	TAP_EQ(poll(&pfd[2], 1, 0), 1, "a closed descriptor counts");
	TAP_EQ(pfd[2].revents, POLLNVAL, "... as POLLNVAL");
	TAP_ERRNO(poll(BAD_PTR, 1, 0), EFAULT, "poll on a bad pointer is EFAULT");
	TAP_ERRNO(poll(pfd, 1u << 20, 0), EINVAL, "poll with nfds over RLIMIT_NOFILE is EINVAL");
	TAP_EQ(poll(NULL, 0, 10), 0, "poll of nothing sleeps and returns 0");

	ts = (struct timespec){ 0, 20 * 1000 * 1000 };
	pfd[0].revents = 0;
	TAP_EQ(ppoll(pfd, 1, &ts, NULL), 1, "ppoll sees the readable end");
	TAP_EQ(read(fds[0], buf, sizeof(buf)), 1, "drain it");
	TAP_EQ(ppoll(pfd, 1, &ts, NULL), 0, "ppoll times out when empty");
	ts = (struct timespec){ 0, 2000000000L };
	TAP_ERRNO(ppoll(pfd, 1, &ts, NULL), EINVAL, "ppoll with tv_nsec too big is EINVAL");
	{
		sigset_t mask;

		sigemptyset(&mask);
		ts = (struct timespec){ 0, 0 };
		TAP_EQ(ppoll(pfd, 1, &ts, &mask), 0, "ppoll with a signal mask");
		TAP_ERRNO(syscall(SYS_ppoll, pfd, 1, &ts, &mask, 4), EINVAL,
		    "ppoll with a wrong sigsetsize is EINVAL");
	}

	/* select */
	FD_ZERO(&rset);
	FD_ZERO(&wset);
	FD_SET(fds[0], &rset);
	FD_SET(fds[1], &wset);
	tv = (struct timeval){ 0, 0 };
	TAP_EQ(select(fds[1] + 1, &rset, &wset, NULL, &tv), 1, "select: one ready");
	TAP_OK(!FD_ISSET(fds[0], &rset) && FD_ISSET(fds[1], &wset),
	    "the write end, not the empty read end");
	FD_ZERO(&rset);
	FD_SET(fds[0], &rset);
	tv = (struct timeval){ 0, 20000 };
	TAP_EQ(select(fds[0] + 1, &rset, NULL, NULL, &tv), 0, "select times out");
	TAP_OK(!FD_ISSET(fds[0], &rset), "... with an empty set");
	TAP_EQ(write(fds[1], "y", 1), 1, "write a byte");
	FD_SET(fds[0], &rset);
	TAP_EQ(select(fds[0] + 1, &rset, NULL, NULL, NULL), 1, "select without a timeout");
	TAP_OK(FD_ISSET(fds[0], &rset), "... says the read end is readable");
	FD_ZERO(&rset);
	FD_SET(20, &rset);
	tv = (struct timeval){ 0, 0 };
	TAP_ERRNO(select(21, &rset, NULL, NULL, &tv), EBADF, "select on a closed descriptor is EBADF");
	tv = (struct timeval){ -1, 0 };
	FD_ZERO(&rset);
	TAP_ERRNO(syscall(SYS_select, 1, &rset, NULL, NULL, &tv), EINVAL,
	    "select with a negative timeout is EINVAL");
	tv = (struct timeval){ 0, 1500000 };
	TAP_EQ(syscall(SYS_select, 1, &rset, NULL, NULL, &tv), 0,
	    "select takes tv_usec over a second, as Linux does");
	TAP_ERRNO(select(-1, NULL, NULL, NULL, NULL), EINVAL, "select with nfds < 0 is EINVAL");
	tv = (struct timeval){ 0, 0 };
	TAP_ERRNO(select(fds[0] + 1, BAD_PTR, NULL, NULL, &tv), EFAULT,
	    "select with a bad set is EFAULT");
	FD_ZERO(&rset);
	FD_SET(fds[0], &rset);
	ts = (struct timespec){ 0, 0 };
	TAP_EQ(pselect(fds[0] + 1, &rset, NULL, NULL, &ts, NULL), 1, "pselect sees the byte");

	/* Hang-up. */
	TAP_SUCCEEDS(close(fds[1]), "close the write end");
	pfd[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	TAP_EQ(poll(pfd, 1, 0), 1, "the read end has events");
	TAP_OK(pfd[0].revents & POLLHUP, "POLLHUP once the writer is gone");
	TAP_EQ(read(fds[0], buf, sizeof(buf)), 1, "the byte is still there");
	TAP_EQ(read(fds[0], buf, sizeof(buf)), 0, "then end of file");
	FD_ZERO(&rset);
	FD_SET(fds[0], &rset);
	tv = (struct timeval){ 5, 0 };
	TAP_EQ(select(fds[0] + 1, &rset, NULL, NULL, &tv), 1, "select: end of file is readable");
	close(fds[0]);

	TAP_SUCCEEDS(pipe(fds), "another pipe");
	close(fds[0]);
	pfd[1] = (struct pollfd){ .fd = fds[1], .events = POLLOUT };
	TAP_EQ(poll(&pfd[1], 1, 0), 1, "the write end with no reader has events");
	TAP_OK(pfd[1].revents & POLLERR, "POLLERR once the reader is gone");
	close(fds[1]);
	return tap_done();
}
