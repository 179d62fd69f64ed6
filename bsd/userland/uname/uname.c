/*
 * uname - print what the system is (uname(2)), as POSIX's uname.
 *
 *	uname [-amnrsv]
 *
 *	-s	the system's name ("Machina"; the default)
 *	-n	the host's name (kern.hostname)
 *	-r	the release (kern.osrelease)
 *	-v	the version (kern.version's first line)
 *	-m	the machine ("x86_64")
 *	-a	all of them, in that order
 *
 * Several letters print their fields in the order above, separated by a
 * space, whatever order they were given in. Exit status 1 on a bad option
 * or if uname(2) fails.
 */

#include <sys/utsname.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { F_SYSNAME = 1, F_NODENAME = 2, F_RELEASE = 4, F_VERSION = 8, F_MACHINE = 16,
	F_ALL = 31 };

static void
usage(void)
{
	fprintf(stderr, "usage: uname [-amnrsv]\n");
}

int
main(int argc, char **argv)
{
	struct utsname u;
	const char *field[5];
	int want = 0, c, first = 1;

	while ((c = getopt(argc, argv, "amnrsv")) != -1) {
		switch (c) {
		case 'a': want |= F_ALL; break;
		case 'm': want |= F_MACHINE; break;
		case 'n': want |= F_NODENAME; break;
		case 'r': want |= F_RELEASE; break;
		case 's': want |= F_SYSNAME; break;
		case 'v': want |= F_VERSION; break;
		default:
			usage();
			return 1;
		}
	}
	if (optind != argc) {
		usage();
		return 1;
	}
	if (want == 0)
		want = F_SYSNAME;
	if (uname(&u) == -1) {
		fprintf(stderr, "uname: %s\n", strerror(errno));
		return 1;
	}
	field[0] = u.sysname;
	field[1] = u.nodename;
	field[2] = u.release;
	field[3] = u.version;
	field[4] = u.machine;
	for (int i = 0; i < 5; i++) {
		if (want & (1 << i)) {
			printf("%s%s", first ? "" : " ", field[i]);
			first = 0;
		}
	}
	putchar('\n');
	return 0;
}
