/*
 * kextutil - check kexts without loading them, as macOS's `kextutil -n`
 * and kextlibs(8) do.
 *
 *	kextutil -n path.kext...
 *	kextutil -n -b identifier...
 *
 * The kernel reads the bundle as it would to load it, resolves its
 * dependencies and links it on paper: it reports a malformed Info.plist,
 * missing or too-old dependencies, every unresolved symbol and the KPI
 * that exports it if OSBundleLibraries forgot one, and how many symbols
 * each library it names provides (a library that provides none can go).
 * Nothing is loaded. Exit status 0 if every kext would load.
 */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: kextutil -n path.kext...\n"
	    "       kextutil -n -b identifier...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int by_id = 0, no_load = 0, status = 0, opt;

	while ((opt = getopt(argc, argv, "nbh")) != -1) {
		switch (opt) {
		case 'n':
			no_load = 1;
			break;
		case 'b':
			by_id = 1;
			break;
		default:
			usage();
		}
	}
	if (!no_load || optind == argc)
		usage();	/* loading is kextload's job */
	for (int i = optind; i < argc; i++) {
		char msg[KEXT_MSG_MAX];
		int r;

		msg[0] = '\0';
		if (by_id) {
			r = kext_load_identifier(argv[i], KEXT_LOAD_CHECK_ONLY, NULL, msg, sizeof msg);
		} else {
			struct kext_files f;

			if (kext_files_read(argv[i], &f, msg, sizeof msg) != 0) {
				fprintf(stderr, "kextutil: %s\n", msg);
				status = 1;
				continue;
			}
			r = kext_load_files(&f, KEXT_LOAD_CHECK_ONLY, NULL, msg, sizeof msg);
			kext_files_free(&f);
		}
		fputs(msg, r == 0 ? stdout : stderr);
		if (r != 0) {
			fprintf(stderr, "kextutil: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
