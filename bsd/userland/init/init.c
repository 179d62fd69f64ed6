/*
 * init.c - /sbin/init, process 1.
 *
 * What it does, in order (docs/userland.md):
 *   1. makes sure descriptors 0, 1 and 2 are open (on /dev/console if the
 *      kernel gave none), ignores the job-control and terminal signals
 *      (SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGPIPE), and
 *      takes busybox's shutdown requests (SIGTERM reboot, SIGUSR1 halt,
 *      SIGUSR2 power off: what `reboot`, `halt` and `poweroff` send);
 *   2. mounts devfs on /dev (EBUSY, already mounted, is fine), and starts
 *      the bootstrap server on a thread of its own (bootstrap.c): its port
 *      becomes init's bootstrap port, which every process inherits;
 *   3. reads the boot-args (sysctl kern.bootargs, then init's own
 *      arguments, as more boot-args after the kernel's). With tests=user or
 *      tests=user.GLOB[,user.GLOB...] it runs every /usr/tests/bsd/<name>
 *      whose name matches, one at a time, from a runner child that leads
 *      a session on the console (each program a process group of its own
 *      in the foreground, as a shell's job), prints "# user tests: N
 *      passed, M failed" and powers the machine off;
 *   4. otherwise runs /etc/rc with /bin/sh if it exists, then keeps a login
 *      shell (/bin/sh -l) on the console: in a new session, /dev/console
 *      as descriptors 0, 1 and 2 and its controlling terminal, in the
 *      foreground. When the shell ends another one starts; one that ends
 *      at once is restarted after a pause, so a broken shell never spins.
 *
 * Process 1 also reaps every orphan: whatever it waits for, it waits with
 * wait4(-1), so a child reparented to it never stays a zombie.
 *
 * Every step that fails says so once on the console and the boot goes on:
 * init must never exit (the kernel falls back to its own console if it
 * does).
 */

#include "init_conf.h"

#include "bootstrap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/bsdsyscall.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONSOLE		"/dev/console"
#define SHELL		"/bin/sh"
#define RC		"/etc/rc"
#define TEST_DIR	"/usr/tests/bsd"
#define TEST_TIMEOUT_S	120		/* a user test that takes longer is killed */
#define TEST_MAX	512
#define QUICK_DEATH_S	2		/* a shell that lived less died "at once" */
#define QUICK_DEATHS	5		/* after this many in a row, pause longer */

static char *const child_env[] = {
	"PATH=/sbin:/bin:/usr/sbin:/usr/bin",
	"HOME=/root",
	"SHELL=/bin/sh",
	"TERM=vt100",
	"USER=root",
	"LOGNAME=root",
	NULL,
};

/* The signals init ignores; its children get them back at their default. */
static const int ignored_signals[] = {
	SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGPIPE,
};
static const int shutdown_signals[] = { SIGTERM, SIGUSR1, SIGUSR2 };

static volatile sig_atomic_t shutdown_signal;	/* set by the handler */

/* say: one line on the console, unbuffered (safe around fork). */
static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
}

static void
on_shutdown_signal(int sig)
{
	shutdown_signal = sig;
}

static void
init_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof(ignored_signals) / sizeof(ignored_signals[0]); i++)
		(void)sigaction(ignored_signals[i], &sa, NULL);
	/* No SA_RESTART: the wait in progress ends with EINTR and init acts. */
	sa.sa_handler = on_shutdown_signal;
	for (size_t i = 0; i < sizeof(shutdown_signals) / sizeof(shutdown_signals[0]); i++)
		(void)sigaction(shutdown_signals[i], &sa, NULL);
}

/* In a new child: every signal init changed back to its default, none blocked. */
static void
child_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof(ignored_signals) / sizeof(ignored_signals[0]); i++)
		(void)sigaction(ignored_signals[i], &sa, NULL);
	for (size_t i = 0; i < sizeof(shutdown_signals) / sizeof(shutdown_signals[0]); i++)
		(void)sigaction(shutdown_signals[i], &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Descriptors 0-2 open: on the console if the kernel left any of them closed. */
static void
init_stdio(void)
{
	int fd;

	if (fcntl(0, F_GETFD) != -1 && fcntl(1, F_GETFD) != -1 && fcntl(2, F_GETFD) != -1)
		return;
	fd = open(CONSOLE, O_RDWR | O_NOCTTY);
	if (fd == -1)
		return;		/* nowhere to say so either */
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) == -1)
			(void)dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void
mount_devfs(void)
{
	if (mount("devfs", "/dev", "devfs", 0, NULL) == -1 && errno != EBUSY)
		say("init: mount devfs on /dev: %s\n", strerror(errno));
}

/* The boot-args line from sysctl kern.bootargs (class 2, XNU's sysctlbyname). */
static void
read_bootargs(char *buf, size_t size)
{
	static const char name[] = "kern.bootargs";
	size_t len = size - 1;

	memset(buf, 0, size);
	if (__bsd_syscall(XNU_SYS_sysctlbyname, name, sizeof(name) - 1, buf, &len,
	    NULL, 0) == -1) {
		say("init: sysctl kern.bootargs: %s; going on without boot-args\n",
		    strerror(errno));
		buf[0] = '\0';
		return;
	}
	buf[len < size ? len : size - 1] = '\0';
}

/*
 * child_console: in a new child, a session of its own with the console as
 * descriptors 0-2, its controlling terminal, and its process group in the
 * foreground. If the console cannot be opened the inherited descriptors
 * stay, and it says so.
 */
static void
child_console(void)
{
	int fd;

	(void)setsid();
	fd = open(CONSOLE, O_RDWR);
	if (fd == -1) {
		say("init: %s: %s; using the descriptors init was given\n", CONSOLE,
		    strerror(errno));
	} else {
		for (int i = 0; i < 3; i++)
			(void)dup2(fd, i);
		if (fd > 2)
			close(fd);
	}
	if (ioctl(0, TIOCSCTTY, 0) == -1)
		(void)ioctl(0, TIOCSCTTY, 1);	/* take it over from a session that is gone */
	(void)tcsetpgrp(0, getpid());
}

enum spawn_console {
	SPAWN_SESSION,		/* a new session, the console as stdio, no terminal */
	SPAWN_TERMINAL,		/* the console as controlling terminal, in front */
};

/* spawn: path with argv in a new child set up as how says; its pid, or -1. */
static pid_t
spawn(const char *path, char *const argv[], enum spawn_console how)
{
	pid_t pid = fork();

	if (pid == -1) {
		say("init: fork for %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (pid != 0)
		return pid;
	child_signals();
	if (how == SPAWN_SESSION)
		(void)setsid();
	else
		child_console();
	if (strcmp(path, SHELL) == 0 && chdir("/root") == -1)
		(void)chdir("/");
	execve(path, argv, child_env);
	say("init: %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Milliseconds on the monotonic clock; -1 if there is none. */
static long
monotonic_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return -1;
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum reap {
	REAPED,			/* pid has ended; *status says how */
	REAP_TIMED_OUT,		/* still running after timeout_s */
	REAP_FAILED,		/* wait4 failed (errno), or a shutdown request came */
};

/*
 * reap_until: wait for pid to end, reaping any other child (an orphan) on
 * the way; *status gets pid's wait status. timeout_s 0 waits for ever in
 * wait4; otherwise it polls (WNOHANG, naps of up to 64 ms, no signals
 * involved) and gives up after that long on the monotonic clock (or of
 * naps, without one).
 */
static enum reap
reap_until(pid_t pid, unsigned timeout_s, int *status)
{
	struct timespec nap = { 0, 1000000 };	/* 1 ms, doubling to 64 ms */
	long start_ms = monotonic_ms(), napped_ms = 0, waited_ms;
	long timeout_ms = (long)timeout_s * 1000;
	pid_t r;

	for (;;) {
		r = wait4(-1, status, timeout_ms != 0 ? WNOHANG : 0, NULL);
		if (r == pid)
			return REAPED;
		if (r > 0)
			continue;			/* an orphan, reaped */
		if (r == -1 && errno == EINTR) {
			if (shutdown_signal != 0)
				return REAP_FAILED;
			continue;
		}
		if (r == -1)
			return REAP_FAILED;
		/* r == 0: nothing ended yet; nap, if there is a limit to it. */
		waited_ms = start_ms >= 0 ? monotonic_ms() - start_ms : napped_ms;
		if (waited_ms >= timeout_ms)
			return REAP_TIMED_OUT;
		if (nanosleep(&nap, NULL) == -1 && errno != EINTR)
			timeout_ms = 0;			/* no sleeping: just block */
		napped_ms += nap.tv_nsec / 1000000;
		if (nap.tv_nsec < 64000000)
			nap.tv_nsec *= 2;
	}
}

/* --- shutting down ----------------------------------------------------------- */

static void __attribute__((noreturn))
shut_down(int howto, const char *what)
{
	struct timespec grace = { 1, 0 };
	int status;

	say("init: %s\n", what);
	(void)kill(-1, SIGTERM);
	(void)nanosleep(&grace, NULL);
	(void)kill(-1, SIGKILL);
	while (wait4(-1, &status, WNOHANG, NULL) > 0)
		continue;
	sync();
	if (reboot(howto) == -1)
		say("init: reboot: %s\n", strerror(errno));
	/* Nothing more to do; process 1 must not end. */
	for (;;)
		pause();
}

static void
check_shutdown(void)
{
	switch (shutdown_signal) {
	case SIGTERM:
		shut_down(RB_AUTOBOOT, "rebooting");
	case SIGUSR1:
		shut_down(RB_HALT_SYSTEM, "halting");
	case SIGUSR2:
		shut_down(RB_POWER_OFF, "powering off");
	default:
		break;
	}
}

/* --- the user tests ---------------------------------------------------------- */

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list_tests: the sorted names in TEST_DIR matching globs; count, or -1. */
static int
list_tests(const char *globs, char **names, int max)
{
	char path[512];
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int n = 0;

	dir = opendir(TEST_DIR);
	if (dir == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL && n < max) {
		if (d->d_name[0] == '.' || !init_globs_match(globs, d->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", TEST_DIR, d->d_name);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		names[n] = strdup(d->d_name);
		if (names[n] != NULL)
			n++;
	}
	closedir(dir);
	qsort(names, (size_t)n, sizeof(names[0]), compare_names);
	return n;
}

/* In a test's child: every signal at its default, none blocked. */
static void
default_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig <= 64; sig++)
		(void)sigaction(sig, &sa, NULL);	/* SIGKILL, SIGSTOP: refused, fine */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * run_test: one program, as a shell runs a job: forked by the runner into
 * a process group of its own, put in the foreground; true if it exited 0.
 */
static bool
run_test(const char *name)
{
	char path[512], how[96];
	char *argv[2];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", TEST_DIR, name);
	argv[0] = path;
	argv[1] = NULL;
	say("[running %s]\n", path);
	pid = fork();
	if (pid == -1) {
		say("[%s could not start]\n", path);
		return false;
	}
	if (pid == 0) {
		default_signals();
		(void)setpgid(0, 0);
		(void)tcsetpgrp(0, getpid());
		execve(path, argv, child_env);
		say("init: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	/* Both sides, so that neither has to wait for the other, as shells do. */
	(void)setpgid(pid, pid);
	(void)tcsetpgrp(0, pid);
	switch (reap_until(pid, TEST_TIMEOUT_S, &status)) {
	case REAPED:
		break;
	case REAP_TIMED_OUT:
		(void)kill(-pid, SIGKILL);	/* the test's process group */
		(void)kill(pid, SIGKILL);	/* if it never got one */
		(void)reap_until(pid, 0, &status);
		(void)tcsetpgrp(0, getpgrp());
		say("[%s timed out after %d s; killed]\n", path, TEST_TIMEOUT_S);
		return false;
	case REAP_FAILED:
		say("[%s could not be waited for: %s]\n", path, strerror(errno));
		return false;
	}
	/* A test may have moved the foreground; the runner takes it back. */
	(void)tcsetpgrp(0, getpgrp());
	init_describe_status(status, how, sizeof(how));
	say("[%s %s]\n", path, how);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * test_runner: the child of init that runs the tests, as a login shell runs
 * its jobs: it leads a session with the console as controlling terminal,
 * and ignores every signal it can (SIGCHLD aside; SIGTTOU so that it may
 * take the foreground back). Each test is a process group of its own in
 * the foreground, in the runner's session: it leads a group, not a
 * session. Exits with the number of programs that failed (at most 255),
 * after the summary.
 */
static void __attribute__((noreturn))
test_runner(const char *globs)
{
	static char *names[TEST_MAX];
	struct sigaction sa;
	int n, fd, passed = 0, failed = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGCHLD)
			(void)sigaction(sig, &sa, NULL);
	(void)setsid();
	fd = open(CONSOLE, O_RDWR);
	if (fd != -1) {
		for (int i = 0; i < 3; i++)
			(void)dup2(fd, i);
		if (fd > 2)
			close(fd);
	}
	if (ioctl(0, TIOCSCTTY, 0) == -1)
		(void)ioctl(0, TIOCSCTTY, 1);
	(void)tcsetpgrp(0, getpgrp());

	n = list_tests(globs, names, TEST_MAX);
	if (n == -1) {
		say("# user tests: cannot list %s: %s\n", TEST_DIR, strerror(errno));
		failed = 1;
	} else if (n == 0) {
		say("# user tests: no program in %s matches \"%s\"\n", TEST_DIR, globs);
	}
	for (int i = 0; i < n; i++) {
		if (run_test(names[i]))
			passed++;
		else
			failed++;
	}
	say("# user tests: %d passed, %d failed\n", passed, failed);
	_exit(failed > 255 ? 255 : failed);
}

/* run_user_tests: the runner in a child; then power off. */
static void __attribute__((noreturn))
run_user_tests(const char *globs)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == -1) {
		say("init: fork for the user tests: %s\n", strerror(errno));
		say("# user tests: 0 passed, 1 failed\n");
	} else if (pid == 0) {
		test_runner(globs);
	} else if (reap_until(pid, 0, &status) != REAPED) {
		check_shutdown();
		say("init: waiting for the user tests: %s\n", strerror(errno));
	}
	shut_down(RB_POWER_OFF, "user tests done; powering off");
}

/* --- the console shell ------------------------------------------------------- */

static void
run_rc(void)
{
	char *argv[] = { "sh", RC, NULL };
	char how[96];
	int status;
	pid_t pid;

	if (access(RC, R_OK) == -1)
		return;
	pid = spawn(SHELL, argv, SPAWN_SESSION);
	if (pid == -1 || reap_until(pid, 0, &status) != REAPED)
		return;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		init_describe_status(status, how, sizeof(how));
		say("init: %s %s\n", RC, how);
	}
}

/* Seconds on the monotonic clock; 0 if there is none. */
static time_t
uptime_s(void)
{
	struct timespec ts;

	return clock_gettime(CLOCK_MONOTONIC, &ts) == 0 ? ts.tv_sec : 0;
}

static void __attribute__((noreturn))
run_console_shell(void)
{
	char *argv[] = { "sh", "-l", NULL };
	struct timespec pause_for = { 0, 0 };
	int status = 0, quick = 0;
	char how[96];
	time_t started;
	pid_t pid;

	for (;;) {
		check_shutdown();
		started = uptime_s();
		pid = spawn(SHELL, argv, SPAWN_TERMINAL);
		if (pid != -1) {
			if (reap_until(pid, 0, &status) != REAPED) {
				check_shutdown();
				/* Waiting itself fails: starting more shells would pile them up. */
				say("init: waiting for %s: %s; no more shells\n", SHELL,
				    strerror(errno));
				for (;;)
					pause();
			}
			init_describe_status(status, how, sizeof(how));
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				say("init: %s %s\n", SHELL, how);
		}
		if (pid != -1 && uptime_s() - started >= QUICK_DEATH_S) {
			quick = 0;
			continue;
		}
		/* It died at once (or never started): not faster than once a second. */
		if (++quick == QUICK_DEATHS)
			say("init: %s keeps ending at once; trying every 10 s\n", SHELL);
		pause_for.tv_sec = quick >= QUICK_DEATHS ? 10 : 1;
		(void)nanosleep(&pause_for, NULL);
	}
}

/* Append init's own arguments to the boot-args line: the kernel's come first. */
static void
append_args(char *line, size_t size, int argc, char **argv)
{
	size_t used = strlen(line);

	for (int i = 1; i < argc; i++) {
		int n = snprintf(line + used, size - used, "%s%s", used != 0 ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= size - used) {
			line[used] = '\0';	/* one that does not fit is left out whole */
			break;
		}
		used += (size_t)n;
	}
}

int
main(int argc, char **argv)
{
	char bootargs[2048], globs[1024];

	init_stdio();
	/* Started by the kernel (parent 0), or as process 1; never from a shell. */
	if (getpid() != 1 && getppid() != 0) {
		say("init: must be process 1\n");
		return 1;
	}
	init_signals();
	mount_devfs();
	bootstrap_start();
	read_bootargs(bootargs, sizeof(bootargs));
	append_args(bootargs, sizeof(bootargs), argc, argv);
	if (init_user_tests(bootargs, globs, sizeof(globs)))
		run_user_tests(globs);
	run_rc();
	run_console_shell();
}
