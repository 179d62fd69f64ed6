/*
 * test_user_programs.c - the user test programs (tests/user), run on the
 * build machine.
 *
 * Their class-0 system calls are Linux's own numbers, so the same static
 * binaries that go into the initrd run unmodified on a Linux host. That
 * checks the runtime (crt0's entry stack, argv, printf, exit) and each
 * program's contract before any Machina kernel runs them: the output,
 * the exit status, the fault, the endless loop. A Mach trap is not a Linux
 * call (it returns -ENOSYS here), which trap_bench is expected to survive.
 */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef USER_BUILD_DIR
#error "USER_BUILD_DIR must name the directory of the built user programs"
#endif

#define RUN_TIMEOUT_MS	10000

struct run {
	int	status;		/* from waitpid */
	bool	timed_out;	/* killed after the timeout */
	char	out[4096];
	size_t	outlen;
	char	err[4096];
	size_t	errlen;
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
drain(int fd, char *buf, size_t cap, size_t *len, bool *open)
{
	ssize_t n = read(fd, buf + *len, cap - 1 - *len);

	if (n > 0)
		*len += (size_t)n;
	else if (n == 0 || errno != EINTR)
		*open = false;
	buf[*len] = '\0';
}

static pid_t
spawn(const char *prog, char *const args[], int out[2], int err[2])
{
	char path[256];
	char *argv[8] = { path };
	char *envp[] = { "MACHINA_TEST=1", NULL };
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", USER_BUILD_DIR, prog);
	for (int i = 0; args != NULL && args[i] != NULL && i < 6; i++)
		argv[i + 1] = args[i];
	cr_assert_eq(access(path, X_OK), 0, "%s is not built", path);
	cr_assert_eq(pipe(out), 0);
	cr_assert_eq(pipe(err), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execve(path, argv, envp);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	return pid;
}

/*
 * Run prog with args, collecting its output, until it exits or until
 * stop_after_ms (then it is killed; timed_out says so). With until_text,
 * the kill comes as soon as that text has appeared on stdout and the
 * program has run on for linger_ms.
 */
static void
run_prog(const char *prog, char *const args[], struct run *r, const char *until_text,
    long linger_ms)
{
	int out[2], err[2], st;
	bool out_open = true, err_open = true;
	long start = now_ms(), seen_at = -1;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	pid = spawn(prog, args, out, err);
	while (out_open || err_open) {
		struct pollfd fds[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };

		if (until_text != NULL && seen_at < 0 && strstr(r->out, until_text) != NULL)
			seen_at = now_ms();
		if ((seen_at >= 0 && now_ms() - seen_at >= linger_ms) ||
		    now_ms() - start > RUN_TIMEOUT_MS) {
			kill(pid, SIGKILL);
			r->timed_out = true;
			break;
		}
		fds[0].fd = out_open ? out[0] : -1;
		fds[1].fd = err_open ? err[0] : -1;
		if (poll(fds, 2, 20) <= 0)
			continue;
		if (fds[0].revents)
			drain(out[0], r->out, sizeof(r->out), &r->outlen, &out_open);
		if (fds[1].revents)
			drain(err[0], r->err, sizeof(r->err), &r->errlen, &err_open);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	r->status = st;
	close(out[0]);
	close(err[0]);
}

static void
expect_exit(const struct run *r, int code)
{
	cr_assert(!r->timed_out, "timed out");
	cr_assert(WIFEXITED(r->status), "did not exit (status 0x%x); stderr: %s", r->status, r->err);
	cr_assert_eq(WEXITSTATUS(r->status), code, "exit status %d, wanted %d; stderr: %s",
	    WEXITSTATUS(r->status), code, r->err);
}

Test(user_programs, hello_prints_and_exits_0)
{
	struct run r;

	run_prog("hello", NULL, &r, NULL, 0);
	expect_exit(&r, 0);
	cr_assert_str_eq(r.out, "hello from user mode\n");
	cr_assert_str_eq(r.err, "");
}

Test(user_programs, exit_status_exits_with_its_argument)
{
	static const struct { char *arg; int code; } cases[] = {
		{ NULL, 42 }, { "0", 0 }, { "7", 7 }, { "255", 255 }, { "300", 300 & 0xff },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *args[] = { cases[i].arg, NULL };
		struct run r;

		run_prog("exit_status", args, &r, NULL, 0);
		expect_exit(&r, cases[i].code);
		cr_assert_str_eq(r.out, "");
	}
}

Test(user_programs, fault_dies_of_its_fault)
{
	static const struct { char *mode; const char *says; } cases[] = {
		{ NULL, "fault: null at 0x8\n" },
		{ "kernel", "fault: kernel at 0xffffffff80000000\n" },
		{ "noncanonical", "fault: noncanonical at 0x8000000000000000\n" },
		{ "write-text", "fault: write-text at 0x40" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *args[] = { cases[i].mode, NULL };
		struct run r;

		run_prog("fault", args, &r, NULL, 0);
		cr_assert(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGSEGV,
		    "mode %s: status 0x%x, not SIGSEGV; stdout: %s", cases[i].mode, r.status, r.out);
		cr_assert(strncmp(r.out, cases[i].says, strlen(cases[i].says)) == 0,
		    "mode %s said \"%s\"", cases[i].mode, r.out);
		cr_assert(strstr(r.out, "survived") == NULL);
	}
}

Test(user_programs, fault_refuses_an_unknown_mode)
{
	char *args[] = { "sideways", NULL };
	struct run r;

	run_prog("fault", args, &r, NULL, 0);
	expect_exit(&r, 2);
	cr_assert(strstr(r.err, "unknown mode 'sideways'") != NULL, "%s", r.err);
}

Test(user_programs, spin_keeps_running)
{
	struct run r;

	run_prog("spin", NULL, &r, "spin: spinning\n", 300);
	cr_assert(r.timed_out, "spin stopped by itself (status 0x%x)", r.status);
	cr_assert(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL);
	cr_assert_str_eq(r.out, "spin: spinning\n");
}

Test(user_programs, trap_bench_reports_name_value_unit)
{
	char *args[] = { "2000", NULL };
	regex_t line;
	struct run r;
	char *save = NULL, *l;
	int lines = 0;

	run_prog("trap_bench", args, &r, NULL, 0);
	expect_exit(&r, 0);
	cr_assert_eq(regcomp(&line, "^trap\\.mach_null [0-9]+ (cycles|ns)$", REG_EXTENDED | REG_NOSUB), 0);
	for (l = strtok_r(r.out, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save), lines++)
		cr_assert_eq(regexec(&line, l, 0, NULL, 0), 0, "not \"name value unit\": %s", l);
	regfree(&line);
	cr_assert_geq(lines, 1);
	/* Linux knows no class-1 calls: ENOSYS (38). */
	cr_assert(strstr(r.err, "# trap_bench: trap 0 returns -38") != NULL, "%s", r.err);
}

Test(user_programs, trap_bench_refuses_a_bad_count)
{
	char *args[] = { "0", NULL };
	char *args2[] = { "12x", NULL };
	struct run r;

	run_prog("trap_bench", args, &r, NULL, 0);
	expect_exit(&r, 2);
	cr_assert(strstr(r.err, "usage: trap_bench") != NULL, "%s", r.err);
	run_prog("trap_bench", args2, &r, NULL, 0);
	expect_exit(&r, 2);
}
