/*
 * tty_dev.c - the console through the file system: /dev/tty is the
 * caller's controlling terminal (the console, for a program the kernel
 * starts) and /dev/console the console; both are terminals, share the
 * console's modes and input, and honour O_NONBLOCK. A process without a
 * controlling terminal (after setsid) gets ENXIO from /dev/tty.
 *
 * Needs open(2) and devfs; where they are missing, or setsid is, those
 * checks are left out (a "#" line says so).
 */

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tap.h"

static void
skip(const char *name, const char *why)
{
	tap_diag("not checked (%s): %s\n", why, name);
}

int
main(void)
{
	struct termios t0, t1;
	char buf[64];
	int fd, cfd, n;

	fd = open("/dev/tty", O_RDWR);
	if (fd < 0 && (errno == ENOSYS || errno == ENOENT)) {
		skip("/dev/tty opens", "no /dev/tty yet");
		return tap_done();
	}
	TAP_OK(fd >= 0, "/dev/tty opens");
	TAP_OK(isatty(fd), "/dev/tty is a terminal");
	TAP_SUCCEEDS(tcgetattr(0, &t0), "tcgetattr on standard input");
	TAP_SUCCEEDS(tcgetattr(fd, &t1), "tcgetattr on /dev/tty");
	TAP_OK(t0.c_lflag == t1.c_lflag && memcmp(t0.c_cc, t1.c_cc, 19) == 0,
	    "/dev/tty has the console's modes");
	TAP_EQ(write(fd, "", 0), 0, "a write to /dev/tty");

	cfd = open("/dev/console", O_RDWR | O_NONBLOCK);
	TAP_OK(cfd >= 0 && isatty(cfd), "/dev/console opens, a terminal");
	t1 = t0;
	t1.c_lflag &= ~ECHO;
	tcsetattr(fd, TCSAFLUSH, &t1);
	ioctl(fd, TIOCSTI, "z");
	ioctl(fd, TIOCSTI, "\n");
	n = (int)read(0, buf, sizeof(buf));
	TAP_OK(n == 2 && buf[0] == 'z', "typed through /dev/tty, read on standard input");
	TAP_ERRNO(read(cfd, buf, sizeof(buf)), EAGAIN, "/dev/console opened O_NONBLOCK: EAGAIN");
	tcsetattr(fd, TCSAFLUSH, &t0);
	close(cfd);
	close(fd);

	if (setsid() < 0) {
		/* No setsid yet, or already a group leader (run by init). */
		skip("without a controlling terminal /dev/tty is ENXIO", strerror(errno));
		return tap_done();
	}
	TAP_ERRNO(open("/dev/tty", O_RDWR), ENXIO, "without a controlling terminal /dev/tty is ENXIO");
	TAP_ERRNO(ioctl(0, TIOCGPGRP, &n), ENOTTY, "TIOCGPGRP on a terminal that is not ours is ENOTTY");
	return tap_done();
}
