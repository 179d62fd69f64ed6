/*
 * tty_canon.c - the console tty's line discipline, typed into with
 * TIOCSTI: canonical mode (a line is readable only once it ends; erase,
 * word erase and kill edit it; VEOF ends a partial line or reads as end
 * of file; ICRNL), ISIG's ^C flushing the line, non-canonical reads with
 * VMIN and VTIME, O_NONBLOCK, poll and FIONREAD, termios and window size
 * round trips, the job-control ioctls' errors, and ENOTTY elsewhere.
 *
 * Standard input must be a terminal that TIOCSTI may type into (Machina's
 * console; on Linux, a terminal and legacy TIOCSTI). Echo is off while
 * typing, so nothing typed shows on the console; the modes are restored
 * at the end. SIGINT is ignored, since ^C is typed.
 */

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "tap.h"

#define BAD_PTR ((void *)8)

/* Type s into the terminal, as if from its keyboard. */
static int
type(const char *s)
{
	for (; *s != '\0'; s++) {
		if (ioctl(0, TIOCSTI, s) != 0)
			return -1;
	}
	return 0;
}

static int
readable(void)
{
	int n = -1;

	return ioctl(0, FIONREAD, &n) == 0 ? n : -1;
}

/* Read what a read(2) of size gives, NUL-terminated, into buf. */
static ssize_t
rd(char *buf, size_t size)
{
	ssize_t n = read(0, buf, size);

	buf[n >= 0 ? n : 0] = '\0';
	return n;
}

int
main(void)
{
	struct termios orig, t, t2;
	struct winsize ws, ws2;
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char buf[256];
	int fds[2], n;
	pid_t pg = -1;

	signal(SIGINT, SIG_IGN);
	TAP_OK(isatty(0), "standard input is a terminal");
	if (!isatty(0))
		return tap_done();
	TAP_SUCCEEDS(tcgetattr(0, &orig), "tcgetattr (TCGETS)");
	TAP_OK((orig.c_lflag & (ICANON | ISIG)) == (ICANON | ISIG), "canonical mode and ISIG by default");
	TAP_OK(orig.c_cc[VINTR] == 3 && orig.c_cc[VERASE] == 0x7f && orig.c_cc[VKILL] == 0x15 &&
	    orig.c_cc[VEOF] == 4, "default ^C, ^?, ^U, ^D");
	TAP_ERRNO(syscall(SYS_ioctl, 0, TCGETS, BAD_PTR), EFAULT, "TCGETS to a bad pointer is EFAULT");
	TAP_ERRNO(syscall(SYS_ioctl, 0, TCSETS, BAD_PTR), EFAULT, "TCSETS from a bad pointer is EFAULT");

	t = orig;
	t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	t.c_cc[VWERASE] = 0x17;
	TAP_SUCCEEDS(tcsetattr(0, TCSAFLUSH, &t), "tcsetattr (TCSETSF): echo off");
	TAP_SUCCEEDS(tcgetattr(0, &t2), "tcgetattr again");
	TAP_OK(t.c_iflag == t2.c_iflag && t.c_oflag == t2.c_oflag && t.c_cflag == t2.c_cflag &&
	    t.c_lflag == t2.c_lflag && memcmp(t.c_cc, t2.c_cc, 19) == 0, "termios round trip");

	/* Canonical mode. */
	TAP_SUCCEEDS(tcflush(0, TCIFLUSH), "tcflush (TCFLSH)");
	TAP_SUCCEEDS(type("abc"), "TIOCSTI types characters");
	TAP_EQ(readable(), 0, "a line being typed is not readable");
	TAP_EQ(poll(&pfd, 1, 0), 0, "poll: not readable yet");
	TAP_SUCCEEDS(type("\n"), "type the newline");
	TAP_EQ(readable(), 4, "FIONREAD counts the whole line");
	TAP_EQ(poll(&pfd, 1, 0), 1, "poll: readable");
	TAP_EQ(rd(buf, sizeof(buf)), 4, "read returns the line");
	TAP_OK(strcmp(buf, "abc\n") == 0, "... as typed");

	type("abx\x7f" "c\n");
	TAP_EQ(rd(buf, sizeof(buf)), 4, "erase (^?)");
	TAP_OK(strcmp(buf, "abc\n") == 0, "^? took the x out");
	type("abx\bc\n");
	rd(buf, sizeof(buf));
	TAP_OK(strcmp(buf, "abc\n") == 0, "^H erases too");
	type("garbage\x15ok\n");
	rd(buf, sizeof(buf));
	TAP_OK(strcmp(buf, "ok\n") == 0, "kill (^U) drops the line");
	type("one two \x17three\n");
	rd(buf, sizeof(buf));
	TAP_OK(strcmp(buf, "one three\n") == 0, "word erase (^W)");
	type("\x7f\x7fx\n");
	rd(buf, sizeof(buf));
	TAP_OK(strcmp(buf, "x\n") == 0, "erase on an empty line does nothing");
	type("partial\x04");
	TAP_EQ(rd(buf, sizeof(buf)), 7, "VEOF ends a partial line");
	TAP_OK(strcmp(buf, "partial") == 0, "... without a newline");
	type("\x04");
	TAP_EQ(rd(buf, sizeof(buf)), 0, "VEOF alone reads as end of file");
	type("hello\n");
	TAP_EQ(rd(buf, 2), 2, "a short read takes part of a line");
	TAP_EQ(rd(buf, sizeof(buf)), 4, "the next read the rest");
	TAP_OK(strcmp(buf, "llo\n") == 0, "... in order");
	type("one\ntwo\n");
	TAP_EQ(rd(buf, sizeof(buf)), 4, "a read returns one line at a time");
	TAP_EQ(rd(buf, sizeof(buf)), 4, "then the next");
	type("cr\r");
	rd(buf, sizeof(buf));
	TAP_OK(strcmp(buf, "cr\n") == 0, "ICRNL: a carriage return ends the line as a newline");

	/* ^C flushes the line; without ISIG it is data. */
	type("lost\x03" "kept\n");
	rd(buf, sizeof(buf));
	TAP_OK(strcmp(buf, "kept\n") == 0, "ISIG: ^C discards the line typed before it");
	t2 = t;
	t2.c_lflag &= ~ISIG;
	tcsetattr(0, TCSANOW, &t2);
	type("\x03\n");
	TAP_EQ(rd(buf, sizeof(buf)), 2, "without ISIG ^C is read as data");
	TAP_EQ(buf[0], 3, "... the character itself");

	/* O_NONBLOCK */
	tcsetattr(0, TCSANOW, &t);
	n = fcntl(0, F_GETFL);
	fcntl(0, F_SETFL, n | O_NONBLOCK);
	TAP_ERRNO(read(0, buf, sizeof(buf)), EAGAIN, "nonblocking with no line is EAGAIN");
	type("half");
	TAP_ERRNO(read(0, buf, sizeof(buf)), EAGAIN, "nonblocking with half a line is EAGAIN");
	fcntl(0, F_SETFL, n);
	tcflush(0, TCIFLUSH);

	/* Non-canonical: VMIN and VTIME. */
	t2 = t;
	t2.c_lflag &= ~ICANON;
	t2.c_cc[VMIN] = 3;
	t2.c_cc[VTIME] = 0;
	TAP_SUCCEEDS(tcsetattr(0, TCSANOW, &t2), "non-canonical, VMIN 3");
	type("xy");
	TAP_EQ(readable(), 2, "characters are readable at once");
	TAP_EQ(poll(&pfd, 1, 0), 1, "poll: readable");
	type("z");
	TAP_EQ(rd(buf, sizeof(buf)), 3, "read returns once VMIN characters are there");
	TAP_OK(strcmp(buf, "xyz") == 0, "... all of them");
	type("ab\x7f\n");
	TAP_EQ(rd(buf, sizeof(buf)), 4, "no editing in non-canonical mode");
	TAP_OK(memcmp(buf, "ab\x7f\n", 4) == 0, "... erase is data");
	type("abcde");
	TAP_EQ(rd(buf, 2), 2, "a read smaller than VMIN gets what it asked for");
	TAP_EQ(rd(buf, sizeof(buf)), 3, "the rest is left");
	t2.c_cc[VMIN] = 0;
	tcsetattr(0, TCSANOW, &t2);
	TAP_EQ(rd(buf, sizeof(buf)), 0, "VMIN 0, VTIME 0: nothing there, read returns 0");
	t2.c_cc[VTIME] = 1;
	tcsetattr(0, TCSANOW, &t2);
	TAP_EQ(rd(buf, sizeof(buf)), 0, "VMIN 0, VTIME 1: read times out with 0");
	type("q");
	TAP_EQ(rd(buf, sizeof(buf)), 1, "VMIN 0, VTIME 1: a character comes at once");
	tcsetattr(0, TCSANOW, &t);

	/* Window size. */
	TAP_SUCCEEDS(ioctl(0, TIOCGWINSZ, &ws), "TIOCGWINSZ");
	ws2 = (struct winsize){ .ws_row = 33, .ws_col = 99 };
	TAP_SUCCEEDS(ioctl(0, TIOCSWINSZ, &ws2), "TIOCSWINSZ");
	memset(&ws2, 0, sizeof(ws2));
	ioctl(0, TIOCGWINSZ, &ws2);
	TAP_OK(ws2.ws_row == 33 && ws2.ws_col == 99, "window size round trip");
	ioctl(0, TIOCSWINSZ, &ws);
	TAP_ERRNO(ioctl(0, TIOCGWINSZ, BAD_PTR), EFAULT, "TIOCGWINSZ to a bad pointer is EFAULT");

	/* Job control's ioctls. */
	TAP_SUCCEEDS(ioctl(0, TIOCGPGRP, &pg), "TIOCGPGRP on the controlling terminal");
	TAP_SUCCEEDS(ioctl(0, TIOCSPGRP, &pg), "TIOCSPGRP to the foreground group it has");
	n = 99998;
	TAP_ERRNO(ioctl(0, TIOCSPGRP, &n), ESRCH, "TIOCSPGRP to no such group is ESRCH");
	n = -5;
	TAP_ERRNO(ioctl(0, TIOCSPGRP, &n), EINVAL, "TIOCSPGRP to a negative group is EINVAL");
	TAP_SUCCEEDS(ioctl(0, TIOCGSID, &n), "TIOCGSID");
	if (getsid(0) == getpid())	/* run by init: its own session, the console its terminal */
		TAP_SUCCEEDS(ioctl(0, TIOCSCTTY, 0), "TIOCSCTTY by the leader whose terminal it is already");
	else
		TAP_ERRNO(ioctl(0, TIOCSCTTY, 0), EPERM,
		    "TIOCSCTTY by a process that leads no session is EPERM");
	TAP_ERRNO(ioctl(0, TIOCSTI, BAD_PTR), EFAULT, "TIOCSTI from a bad pointer is EFAULT");
	TAP_ERRNO(ioctl(0, TCFLSH, 7), EINVAL, "TCFLSH with a bad queue is EINVAL");
	TAP_SUCCEEDS(ioctl(0, TCSBRK, 1), "TCSBRK is accepted");
	TAP_SUCCEEDS(ioctl(0, TCXONC, TCOON), "TCXONC is accepted");

	/* Not a terminal. */
	TAP_SUCCEEDS(pipe(fds), "pipe");
	TAP_ERRNO(tcgetattr(fds[0], &t2), ENOTTY, "tcgetattr on a pipe is ENOTTY");
	TAP_ERRNO(ioctl(fds[0], TIOCGWINSZ, &ws), ENOTTY, "TIOCGWINSZ on a pipe is ENOTTY");
	TAP_ERRNO(ioctl(fds[0], TIOCSTI, "x"), ENOTTY, "TIOCSTI on a pipe is ENOTTY");
	close(fds[0]);
	close(fds[1]);

	TAP_SUCCEEDS(tcsetattr(0, TCSAFLUSH, &orig), "the modes are put back");
	return tap_done();
}
