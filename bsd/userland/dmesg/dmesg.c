/*
 * dmesg - print the kernel log (kern.msgbuf), oldest first, as far back
 * as the kernel's ring keeps it.
 *
 *	dmesg
 *
 * Exit status 1 if the log cannot be read.
 */

#include <sys/sysctl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The kernel keeps 64 KiB; room for more. Nothing here needs malloc. */
static char buf[256 * 1024];

int
main(int argc, char **argv)
{
	size_t len = sizeof(buf);

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: dmesg\n");
		return 1;
	}
	if (sysctlbyname("kern.msgbuf", buf, &len, NULL, 0) == -1) {
		fprintf(stderr, "dmesg: kern.msgbuf: %s\n", strerror(errno));
		return 1;
	}
	fwrite(buf, 1, len, stdout);
	if (len > 0 && buf[len - 1] != '\n')
		putchar('\n');
	return 0;
}
