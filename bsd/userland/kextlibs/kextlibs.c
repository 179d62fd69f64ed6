/*
 * kextlibs - the libraries a kext needs, as macOS's kextlibs(8) says them:
 * for each undefined symbol of its executable, the KPI or library kext
 * that exports it, whatever its Info.plist says now.
 *
 *	kextlibs [-xml] path.kext...
 *
 * Prints one "identifier = version" line per library (or, with -xml, the
 * OSBundleLibraries entries to paste into Info.plist), and the symbols
 * nothing exports. Exit status 0 if every symbol is found. Nothing is
 * loaded; any user may ask.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: kextlibs [-xml] path.kext...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int xml = 0, status = 0, i = 1;

	if (i < argc && strcmp(argv[i], "-xml") == 0) {
		xml = 1;
		i++;
	}
	if (i == argc || argv[i][0] == '-')
		usage();
	for (; i < argc; i++) {
		static char msg[KEXT_MSG_MAX];
		struct kext_files f;
		char *line, *save = NULL;
		int r, e;

		if (kext_files_read(argv[i], &f, msg, sizeof msg) != 0) {
			fprintf(stderr, "kextlibs: %s\n", msg);
			status = 1;
			continue;
		}
		r = kext_load_files(&f, KEXT_LOAD_LIBRARIES, NULL, msg, sizeof msg);
		e = errno;
		kext_files_free(&f);
		if (r != 0 && e != ENOENT) {
			fputs(msg, stderr);
			fprintf(stderr, "kextlibs: %s: %s\n", argv[i], strerror(e));
			status = 1;
			continue;
		}
		if (xml)
			printf("\t<key>OSBundleLibraries</key>\n\t<dict>\n");
		for (line = strtok_r(msg, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			char id[KEXT_NAME_MAX], version[KEXT_NAME_MAX];

			if (strncmp(line, "unresolved: ", 12) == 0) {
				fprintf(stderr, "%s: no library exports %s\n", argv[i], line + 12);
				status = 1;
			} else if (sscanf(line, "%63s %63s", id, version) == 2) {
				if (xml)
					printf("\t\t<key>%s</key>\n\t\t<string>%s</string>\n", id, version);
				else
					printf("%s = %s\n", id, version);
			} else {
				printf("%s\n", line);
			}
		}
		if (xml)
			printf("\t</dict>\n");
	}
	return status;
}
