/*
 * kextload - load kexts into the kernel (root only), as macOS's kextload(8).
 *
 *	kextload [-v] [-d dependency.kext]... path.kext...
 *	kextload [-v] -b identifier...
 *
 * A path is a bundle anywhere (its files are read here and handed to the
 * kernel); -b names a kext in the kernel's catalog (the initrd's
 * /System/Library/Extensions). Dependencies are loaded first: from the
 * catalog by the kernel, or from the bundles given with -d, which are
 * loaded before the others (one already loaded is fine). The kernel's
 * report says what went wrong; the exit status is 0 only if every kext
 * loaded (or already was, for -d).
 */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <unistd.h>

static int verbose;

static void
usage(void)
{
	fprintf(stderr, "usage: kextload [-v] [-d dependency.kext]... path.kext...\n"
	    "       kextload [-v] -b identifier...\n");
	exit(2);
}

static void
report(const char *msg)
{
	size_t n = strlen(msg);

	if (n != 0)
		fprintf(stderr, "%s%s", msg, msg[n - 1] == '\n' ? "" : "\n");
}

static int
load_path(const char *path, int dependency)
{
	char msg[KEXT_MSG_MAX];
	struct kext_files f;
	uint32_t tag;
	int r;

	if (kext_files_read(path, &f, msg, sizeof msg) != 0) {
		fprintf(stderr, "kextload: %s\n", msg);
		return 1;
	}
	r = kext_load_files(&f, 0, &tag, msg, sizeof msg);
	kext_files_free(&f);
	if (r != 0) {
		if (dependency && errno == EEXIST)
			return 0;
		report(msg);
		fprintf(stderr, "kextload: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (verbose)
		report(msg);
	printf("%s loaded (index %u)\n", path, tag);
	return 0;
}

static int
load_identifier(const char *id)
{
	char msg[KEXT_MSG_MAX];
	uint32_t tag;

	if (kext_load_identifier(id, 0, &tag, msg, sizeof msg) != 0) {
		report(msg);
		fprintf(stderr, "kextload: %s: %s\n", id, strerror(errno));
		return 1;
	}
	if (verbose)
		report(msg);
	printf("%s loaded (index %u)\n", id, tag);
	return 0;
}

int
main(int argc, char **argv)
{
	char **deps = calloc((size_t)argc, sizeof(char *));
	int ndeps = 0, by_id = 0, status = 0, opt;

	while ((opt = getopt(argc, argv, "vbd:h")) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'b':
			by_id = 1;
			break;
		case 'd':
			deps[ndeps++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind == argc || (by_id && ndeps != 0))
		usage();
	for (int i = 0; i < ndeps; i++)
		status |= load_path(deps[i], 1);
	for (int i = optind; i < argc && status == 0; i++)
		status |= by_id ? load_identifier(argv[i]) : load_path(argv[i], 0);
	free(deps);
	return status;
}
