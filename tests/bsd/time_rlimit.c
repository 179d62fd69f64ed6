/*
 * time_rlimit.c - resource limits round trip through getrlimit,
 * setrlimit and prlimit64, and are refused as Linux refuses them;
 * getrusage, times and sysinfo report something sensible; the real-time
 * interval timer (setitimer, getitimer, alarm) is kept and disarmed
 * before it could fire (delivering SIGALRM is the signal code's).
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tap.h"

#define BAD	((void *)8)

/* Root may raise hard limits there (a Linux container may not let it). */
static int
on_machina(void)
{
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.sysname, "Machina") == 0;
}

static void
test_rlimits(void)
{
	struct rlimit r, saved, back;

	TAP_SUCCEEDS(syscall(SYS_getrlimit, RLIMIT_NOFILE, &saved), "getrlimit(RLIMIT_NOFILE)");
	TAP_OK(saved.rlim_cur > 2 && saved.rlim_cur <= saved.rlim_max, "a sensible limit");
	r.rlim_cur = saved.rlim_cur - 1, r.rlim_max = saved.rlim_max;
	TAP_SUCCEEDS(syscall(SYS_setrlimit, RLIMIT_NOFILE, &r), "lower the soft limit");
	TAP_SUCCEEDS(syscall(SYS_getrlimit, RLIMIT_NOFILE, &back), "read it back");
	TAP_OK(back.rlim_cur == r.rlim_cur && back.rlim_max == r.rlim_max, "it round-trips");
	TAP_SUCCEEDS(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &saved, &back), "prlimit64 sets and gets");
	TAP_OK(back.rlim_cur == r.rlim_cur, "prlimit64 gave the old value");
	TAP_SUCCEEDS(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &back), "prlimit64 gets");
	TAP_OK(back.rlim_cur == saved.rlim_cur, "the limit is back");
	r.rlim_cur = 10, r.rlim_max = 5;
	TAP_ERRNO(syscall(SYS_setrlimit, RLIMIT_NOFILE, &r), EINVAL, "soft above hard is EINVAL");
	TAP_ERRNO(syscall(SYS_setrlimit, 99, &saved), EINVAL, "an unknown resource is EINVAL");
	TAP_ERRNO(syscall(SYS_getrlimit, 99, &r), EINVAL, "getrlimit of an unknown resource");
	r.rlim_cur = saved.rlim_cur, r.rlim_max = RLIM_INFINITY;
	TAP_ERRNO(syscall(SYS_setrlimit, RLIMIT_NOFILE, &r), EPERM,
	    "an unlimited RLIMIT_NOFILE is EPERM");
	TAP_ERRNO(syscall(SYS_getrlimit, RLIMIT_NOFILE, BAD), EFAULT, "getrlimit to a bad pointer");
	TAP_ERRNO(syscall(SYS_setrlimit, RLIMIT_NOFILE, BAD), EFAULT, "setrlimit from a bad pointer");
	TAP_ERRNO(syscall(SYS_prlimit64, 99998, RLIMIT_NOFILE, NULL, &r), ESRCH,
	    "prlimit64 of nobody is ESRCH");
	TAP_SUCCEEDS(syscall(SYS_getrlimit, RLIMIT_STACK, &r), "getrlimit(RLIMIT_STACK)");
	r.rlim_cur = r.rlim_max;
	TAP_SUCCEEDS(syscall(SYS_setrlimit, RLIMIT_CORE, &(struct rlimit){ 0, 0 }),
	    "lower RLIMIT_CORE to 0");
	TAP_SUCCEEDS(syscall(SYS_getrlimit, RLIMIT_CORE, &r), "read RLIMIT_CORE");
	TAP_OK(r.rlim_cur == 0 && r.rlim_max == 0, "it is 0");
	if (getuid() == 0 && on_machina())
		TAP_SUCCEEDS(syscall(SYS_setrlimit, RLIMIT_CORE, &(struct rlimit){ 0, 1 << 20 }),
		    "root raises a hard limit");
}

static void
test_usage(void)
{
	struct rusage ru;
	struct tms t;
	struct sysinfo si;
	long ticks;

	memset(&ru, 0xff, sizeof(ru));
	TAP_SUCCEEDS(syscall(SYS_getrusage, RUSAGE_SELF, &ru), "getrusage(RUSAGE_SELF)");
	TAP_OK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 && ru.ru_maxrss > 0,
	    "CPU time and a resident size");
	TAP_SUCCEEDS(syscall(SYS_getrusage, RUSAGE_CHILDREN, &ru), "getrusage(RUSAGE_CHILDREN)");
	TAP_SUCCEEDS(syscall(SYS_getrusage, RUSAGE_THREAD, &ru), "getrusage(RUSAGE_THREAD)");
	TAP_ERRNO(syscall(SYS_getrusage, 5, &ru), EINVAL, "getrusage of who 5 is EINVAL");
	TAP_ERRNO(syscall(SYS_getrusage, RUSAGE_SELF, BAD), EFAULT, "getrusage to a bad pointer");
	ticks = syscall(SYS_times, &t);
	TAP_OK(ticks > 0 && t.tms_utime >= 0, "times");
	TAP_ERRNO(syscall(SYS_times, BAD), EFAULT, "times to a bad pointer");
	TAP_SUCCEEDS(syscall(SYS_sysinfo, &si), "sysinfo");
	TAP_OK(si.totalram > 0 && si.freeram <= si.totalram && si.mem_unit > 0 && si.procs > 0,
	    "memory and processes");
	TAP_ERRNO(syscall(SYS_sysinfo, BAD), EFAULT, "sysinfo to a bad pointer");
}

static void
test_itimer(void)
{
	struct itimerval it = { { 0, 0 }, { 100, 0 } }, old, now;
	long left;

	TAP_SUCCEEDS(syscall(SYS_setitimer, ITIMER_REAL, &it, &old), "setitimer(ITIMER_REAL, 100 s)");
	TAP_OK(old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0, "nothing was armed before");
	TAP_SUCCEEDS(syscall(SYS_getitimer, ITIMER_REAL, &now), "getitimer");
	TAP_OK(now.it_value.tv_sec <= 100 && (now.it_value.tv_sec > 0 || now.it_value.tv_usec > 0),
	    "some of the 100 s are left");
	left = syscall(SYS_alarm, 50);
	TAP_OK(left >= 1 && left <= 100, "alarm replaces it and says what was left");
	left = syscall(SYS_alarm, 0);
	TAP_OK(left >= 1 && left <= 50, "alarm(0) disarms it");
	TAP_SUCCEEDS(syscall(SYS_getitimer, ITIMER_REAL, &now), "getitimer again");
	TAP_OK(now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0, "nothing is armed");
	it.it_value.tv_usec = 1000000;
	TAP_ERRNO(syscall(SYS_setitimer, ITIMER_REAL, &it, NULL), EINVAL, "tv_usec of 1 s is EINVAL");
	TAP_ERRNO(syscall(SYS_setitimer, 7, &it, NULL), EINVAL, "an unknown timer is EINVAL");
	TAP_ERRNO(syscall(SYS_setitimer, ITIMER_REAL, BAD, NULL), EFAULT, "setitimer from a bad pointer");
	TAP_ERRNO(syscall(SYS_getitimer, ITIMER_REAL, BAD), EFAULT, "getitimer to a bad pointer");
}

int
main(void)
{
	test_rlimits();
	test_usage();
	test_itimer();
	return tap_done();
}
