/*
 * tty_signals.c - the console tty's ISIG characters post signals to the
 * foreground process group (this program's): ^C SIGINT, ^\ SIGQUIT, ^Z
 * SIGTSTP, and a new window size SIGWINCH. Each signal is blocked first,
 * so it stays pending where sigpending can see it, and is then discarded
 * by ignoring it before it is unblocked.
 *
 * Needs rt_sigprocmask and rt_sigpending; where the kernel does not have
 * them yet, those checks are left out (a "#" line says so).
 */

#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tap.h"

static int
posted_by(const char *typed, int sig, const char *name)
{
	sigset_t set, pending;
	char what[96];

	snprintf(what, sizeof(what), "%s is posted to the foreground group", name);
	sigemptyset(&set);
	sigaddset(&set, sig);
	signal(sig, SIG_DFL);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
		tap_diag("not checked (no rt_sigprocmask yet): %s\n", what);
		return 0;
	}
	if (typed != NULL) {
		for (const char *c = typed; *c != '\0'; c++)
			ioctl(0, TIOCSTI, c);
	} else {
		struct winsize ws;

		ioctl(0, TIOCGWINSZ, &ws);
		ws.ws_row++;
		ioctl(0, TIOCSWINSZ, &ws);
		ws.ws_row--;
		ioctl(0, TIOCSWINSZ, &ws);
	}
	sigemptyset(&pending);
	if (sigpending(&pending) != 0) {
		tap_diag("not checked (no rt_sigpending yet): %s\n", what);
	} else {
		TAP_OK(sigismember(&pending, sig), what);
	}
	signal(sig, SIG_IGN);		/* discards it */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return 0;
}

int
main(void)
{
	struct termios orig, t;

	TAP_OK(isatty(0), "standard input is a terminal");
	if (!isatty(0))
		return tap_done();
	tcgetattr(0, &orig);
	t = orig;
	t.c_lflag &= ~(ECHO | ECHOCTL);
	tcsetattr(0, TCSAFLUSH, &t);
	posted_by("\003", SIGINT, "^C: SIGINT");
	posted_by("\034", SIGQUIT, "^\\: SIGQUIT");
	posted_by("\032", SIGTSTP, "^Z: SIGTSTP");
	posted_by(NULL, SIGWINCH, "a new window size: SIGWINCH");
	TAP_SUCCEEDS(tcsetattr(0, TCSAFLUSH, &orig), "the modes are put back");
	return tap_done();
}
