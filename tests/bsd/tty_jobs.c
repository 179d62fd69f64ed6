/*
 * tty_jobs.c - job control on the console tty: a process that moves to a
 * process group of its own (setpgid) is in the background; its reads
 * fail with EIO while it blocks SIGTTIN, and its writes go on while it
 * blocks SIGTTOU even with TOSTOP; TIOCSPGRP brings its group to the
 * foreground, where it reads again, and gives the foreground back.
 *
 * Needs setpgid and rt_sigprocmask; without them the checks are left out
 * (a "#" line says so).
 */

#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

int
main(void)
{
	struct termios orig, t;
	sigset_t set;
	pid_t fg = -1, me;
	char buf[16];

	TAP_OK(isatty(0), "standard input is a terminal");
	if (ioctl(0, TIOCGPGRP, &fg) == 0 && getpgrp() == getpid()) {
		/*
		 * Started as a group leader (init runs each test as a job of
		 * its own): a leader cannot leave its group, so a child does
		 * the rest, and its status is the test's.
		 */
		int status;
		pid_t child = fork();

		if (child > 0) {
			if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
				return 1;
			return WEXITSTATUS(status);
		}
	}
	if (ioctl(0, TIOCGPGRP, &fg) != 0 || setpgid(0, 0) != 0) {
		tap_diag("not checked (no setpgid yet): background reads and writes\n");
		return tap_done();
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTTIN);
	sigaddset(&set, SIGTTOU);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
		tap_diag("not checked (no rt_sigprocmask yet): background reads and writes\n");
		setpgid(0, fg);
		return tap_done();
	}
	me = getpgrp();
	TAP_OK(me != fg, "setpgid(0, 0) makes a group of its own");
	TAP_ERRNO(read(0, buf, sizeof(buf)), EIO, "a background read blocking SIGTTIN is EIO");
	tcgetattr(0, &orig);
	t = orig;
	t.c_lflag |= TOSTOP;
	t.c_lflag &= ~ECHO;
	tcsetattr(0, TCSANOW, &t);
	TAP_EQ(write(1, "", 0), 0, "a background write blocking SIGTTOU goes on with TOSTOP");
	TAP_SUCCEEDS(ioctl(0, TIOCSPGRP, &me), "TIOCSPGRP: its group to the foreground");
	ioctl(0, TIOCSTI, "a");
	ioctl(0, TIOCSTI, "\n");
	TAP_EQ(read(0, buf, sizeof(buf)), 2, "in the foreground it reads");
	tcsetattr(0, TCSAFLUSH, &orig);
	TAP_SUCCEEDS(ioctl(0, TIOCSPGRP, &fg), "TIOCSPGRP: the foreground given back");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return tap_done();
}
