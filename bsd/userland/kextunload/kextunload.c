/*
 * kextunload - unload kexts (root only), as macOS's kextunload(8).
 *
 *	kextunload [-v] [-p] path.kext...
 *	kextunload [-v] [-p] -b identifier...
 *
 * A path names the kext loaded from that bundle. As on macOS, the I/O
 * Kit first terminates the kext's driver instances and takes its
 * personalities out of the catalogue (loading the kext by hand again puts
 * them back); with -p it stops there and the kext stays loaded. The
 * kernel then refuses while another loaded kext links against it, while
 * instances of its classes still live (a user client's connection still
 * open, say), when its stop routine fails, or while something it
 * registered (a sysctl node) still points into it; its report says which.
 */

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: kextunload [-v] [-p] path.kext...\n"
	    "       kextunload [-v] [-p] -b identifier...\n"
	    "  -b  the arguments are bundle identifiers, not paths\n"
	    "  -p  only terminate the kext's services and remove its personalities\n"
	    "  -v  print the kernel's report\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int by_id = 0, verbose = 0, status = 0, opt;
	uint32_t flags = KEXT_UNLOAD_TERMINATE;

	while ((opt = getopt(argc, argv, "vbph")) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'b':
			by_id = 1;
			break;
		case 'p':
			flags |= KEXT_UNLOAD_PERSONALITIES_ONLY;
			break;
		default:
			usage();
		}
	}
	if (optind == argc)
		usage();
	for (int i = optind; i < argc; i++) {
		char msg[KEXT_MSG_MAX], path[PATH_MAX];
		const char *name = argv[i];

		if (!by_id && realpath(name, path) != NULL)
			name = path;
		if (kext_unload_name(name, flags | (by_id ? 0 : KEXT_UNLOAD_BY_PATH), msg,
		    sizeof msg) != 0) {
			fputs(msg, stderr);
			fprintf(stderr, "kextunload: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (verbose)
			fputs(msg, stdout);
		if (flags & KEXT_UNLOAD_PERSONALITIES_ONLY)
			printf("%s: services terminated, personalities removed\n", argv[i]);
		else
			printf("%s unloaded\n", argv[i]);
	}
	return status;
}
