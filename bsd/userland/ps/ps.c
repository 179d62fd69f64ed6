/*
 * ps - the processes, from kern.proc (struct kinfo_proc).
 *
 *	ps [-alx] [-p pid]
 *
 * BSD's selection: by default, this user's processes that have a
 * controlling terminal; -a adds other users' processes (with a terminal),
 * -x adds processes without one, so -ax is every process (kernel_task,
 * pid 0, included). BSD-style "ps ax" (no dash) is taken too. -p pid
 * shows just that one, whatever the rest says. Columns:
 *
 *	PID PPID STAT TIME COMMAND
 *
 * STAT is I (being made), R (running or able to), T (stopped), Z
 * (zombie), with s for a session leader and E for one exiting; TIME is
 * the CPU time used, minutes:seconds.hundredths. -l adds UID, PGID, SID,
 * THR (threads), VSZ and RSS (KiB).
 */

#include <sys/sysctl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: ps [-alx] [-p pid]\n");
	exit(1);
}

/* Room for this many processes; nothing here needs the C library's allocator. */
#define PROCS_MAX	2048

static struct kinfo_proc procs[PROCS_MAX];

/* The records for mib, into procs; -1 on failure. */
static int
get_procs(const int *mib, unsigned miblen, size_t *count)
{
	size_t len = sizeof(procs);

	if (sysctl(mib, miblen, procs, &len, NULL, 0) == -1)
		return -1;
	*count = len / sizeof(procs[0]);
	return 0;
}

static void
stat_string(const struct kinfo_proc *p, char *buf)
{
	int i = 0;

	switch (p->kp_stat) {
	case SIDL:
		buf[i++] = 'I';
		break;
	case SSTOP:
		buf[i++] = 'T';
		break;
	case SZOMB:
		buf[i++] = 'Z';
		break;
	default:
		buf[i++] = 'R';
		break;
	}
	if (p->kp_sid == p->kp_pid && p->kp_pid != 0)
		buf[i++] = 's';
	if (p->kp_flag & KP_EXITING)
		buf[i++] = 'E';
	buf[i] = '\0';
}

static void
print_proc(const struct kinfo_proc *p, int lflag)
{
	unsigned long long cs = p->kp_runtime_ns / 10000000ULL;	/* hundredths */
	char st[8];

	stat_string(p, st);
	if (lflag)
		printf("%5u %5d %5d %5d %5d %3d %8llu %7llu ", p->kp_uid, p->kp_pid, p->kp_ppid,
		    p->kp_pgid, p->kp_sid, p->kp_nthreads,
		    (unsigned long long)(p->kp_vsize / 1024), (unsigned long long)(p->kp_rssize / 1024));
	else
		printf("%5d %5d ", p->kp_pid, p->kp_ppid);
	printf("%-4s %3llu:%02llu.%02llu %s\n", st, cs / 6000, cs / 100 % 60, cs % 100,
	    p->kp_comm);
}

int
main(int argc, char **argv)
{
	int aflag = 0, xflag = 0, lflag = 0, pid = -1, c;
	int mib[4] = { CTL_KERN, KERN_PROC, KERN_PROC_ALL, 0 };
	unsigned miblen = 3;
	size_t n;
	uid_t me = geteuid();

	/* BSD style: "ps ax" means "ps -ax". */
	if (argc == 2 && argv[1][0] != '-' && strspn(argv[1], "alx") == strlen(argv[1])) {
		aflag = strchr(argv[1], 'a') != NULL;
		xflag = strchr(argv[1], 'x') != NULL;
		lflag = strchr(argv[1], 'l') != NULL;
		argc = 1;
	}
	while ((c = getopt(argc, argv, "alxp:h")) != -1) {
		switch (c) {
		case 'a':
			aflag = 1;
			break;
		case 'l':
			lflag = 1;
			break;
		case 'x':
			xflag = 1;
			break;
		case 'p':
			pid = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (pid >= 0) {
		mib[2] = KERN_PROC_PID;
		mib[3] = pid;
		miblen = 4;
	}
	if (get_procs(mib, miblen, &n) == -1) {
		fprintf(stderr, "ps: kern.proc: %s\n", strerror(errno));
		return 1;
	}
	if (lflag)
		printf("  UID   PID  PPID  PGID   SID THR      VSZ     RSS STAT      TIME COMMAND\n");
	else
		printf("  PID  PPID STAT      TIME COMMAND\n");
	for (size_t i = 0; i < n; i++) {
		const struct kinfo_proc *p = &procs[i];

		if (pid < 0) {
			if (!aflag && p->kp_uid != me)
				continue;
			if (!xflag && !(p->kp_flag & KP_CONTROLT))
				continue;
		}
		print_proc(p, lflag);
	}
	return pid >= 0 && n == 0 ? 1 : 0;
}
