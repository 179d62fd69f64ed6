/*
 * kextunload - unload kexts (root only), as macOS's kextunload(8).
 *
 *	kextunload [-v] path.kext...
 *	kextunload [-v] -b identifier...
 *
 * A path names the kext loaded from that bundle. The kernel refuses while
 * another loaded kext links against it, while instances of its classes
 * live, when its stop routine fails, or while something it registered (a
 * sysctl node) still points into it; its report says which.
 */

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: kextunload [-v] path.kext...\n"
	    "       kextunload [-v] -b identifier...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int by_id = 0, verbose = 0, status = 0, opt;

	while ((opt = getopt(argc, argv, "vbh")) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'b':
			by_id = 1;
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
		if (kext_unload_name(name, by_id ? 0 : KEXT_UNLOAD_BY_PATH, msg, sizeof msg) != 0) {
			fputs(msg, stderr);
			fprintf(stderr, "kextunload: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (verbose)
			fputs(msg, stdout);
		printf("%s unloaded\n", argv[i]);
	}
	return status;
}
