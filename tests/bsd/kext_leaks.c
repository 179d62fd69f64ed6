/*
 * kext_leaks.c - a kext that is refused, or loaded and unloaded, leaves
 * no kernel memory behind: every zone's count of elements in use (sysctl
 * vm.zones) and the kext region's pages (debug.kext_region_pages) come back
 * to where they were after rounds of loads that fail in every way the
 * loader knows (a bad plist, a truncated and a corrupt executable, an
 * unresolved symbol, a KPI not declared, a dependency cycle, a dependency
 * too old, a relocation out of range, start failing, a class clash) and of
 * good kexts loaded (with a dependency; with a work loop and its thread)
 * and unloaded.
 *
 * As in proc_leaks.c: a warm-up round, the counts, ROUNDS rounds, the
 * counts again; a zone may move by SLACK elements for reasons of its own.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <sys/sysctl.h>
#include <unistd.h>

#include "tap.h"
#include "zone_counts.h"

#define ROUNDS		4
#define SLACK		2
#define MAX_ZONES	512

#define SLE	"/System/Library/Extensions/"
#define TK	"/usr/tests/kexts/"

static struct sysctl_zone_info before[MAX_ZONES], after[MAX_ZONES];
static char msg[KEXT_MSG_MAX];

static int
zones(struct sysctl_zone_info *z)
{
	size_t len = MAX_ZONES * sizeof(*z);
	int n;

	if (sysctlbyname("vm.zones", z, &len, NULL, 0) != 0)
		return -1;
	n = (int)(len / sizeof(*z));
	for (int i = 0; i < n; i++)
		zone_cache_adjust(z[i].zi_name, &z[i].zi_elems_inuse);
	return n;
}

static int64_t
region_pages(void)
{
	int64_t v = -1;
	size_t len = sizeof v;

	sysctlbyname("debug.kext_region_pages", &v, &len, NULL, 0);
	return v;
}

static int
load_path(const char *path)
{
	struct kext_files f;
	int r;

	if (kext_files_read(path, &f, msg, sizeof msg) != 0)
		return -1;
	r = kext_load_files(&f, 0, NULL, msg, sizeof msg);
	kext_files_free(&f);
	return r;
}

/* One round; the number of steps that did not go as they should. */
static int
round_once(void)
{
	static const char bad_plist[] =
	    "<plist version=\"1.0\">\n<dict>\n<key>CFBundleIdentifier</key>\n"
	    "<string>org.example.Leak</string>\n<key>CFBundleVersion</key>\n<date>x</date>\n";
	static const char *const refused[] = {
		TK "Unresolved.kext", TK "UndeclaredKPI.kext", TK "TooNew.kext",
		TK "FarReloc.kext", TK "FailStart.kext", TK "DupClass.kext", TK "MissingDep.kext",
	};
	struct kext_files f;
	int wrong = 0;

	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		wrong += load_path(refused[i]) == 0;
	wrong += kext_load_identifier("org.machina.test.CycleA", 0, NULL, msg, sizeof msg) == 0;
	if (kext_files_read(SLE "HelloSysctl.kext", &f, msg, sizeof msg) != 0)
		return wrong + 1;
	size_t full = f.exec_len;
	f.exec_len = 300;
	wrong += kext_load_files(&f, 0, NULL, msg, sizeof msg) == 0;
	f.exec_len = full;
	memset((char *)f.exec + full - 256, 0xa5, 256);	/* where ld puts the section headers */
	wrong += kext_load_files(&f, 0, NULL, msg, sizeof msg) == 0 &&
	    kext_unload_name("org.machina.sample.HelloSysctl", 0, NULL, 0) != 0;
	free(f.plist);
	f.plist = strdup(bad_plist);
	f.plist_len = sizeof bad_plist - 1;
	wrong += kext_load_files(&f, 0, NULL, msg, sizeof msg) == 0;
	kext_files_free(&f);

	wrong += kext_load_identifier("org.machina.sample.SampleClient", 0, NULL, msg,
	    sizeof msg) != 0;
	wrong += kext_unload_name("org.machina.sample.SampleClient", 0, NULL, 0) != 0;
	wrong += kext_unload_name("org.machina.sample.SampleLibrary", 0, NULL, 0) != 0;
	wrong += load_path(SLE "HelloSysctl.kext") != 0;
	wrong += kext_unload_name("org.machina.sample.HelloSysctl", 0, NULL, 0) != 0;
	/* A work loop with its thread and event sources, made and taken down. */
	wrong += load_path(TK "WorkLoop.kext") != 0;
	wrong += kext_unload_name("org.machina.test.WorkLoop", 0, NULL, 0) != 0;
	return wrong;
}

int
main(void)
{
	int nb, na, wrong = 0;
	int64_t pages_before, pages_after;

	wrong += round_once();
	nb = zones(before);
	pages_before = region_pages();
	TAP_OK(nb > 0 && pages_before >= 0, "vm.zones and debug.kext_region_pages read");
	for (int r = 0; r < ROUNDS; r++)
		wrong += round_once();
	TAP_EQ(wrong, 0, "every load failed or succeeded as it should");
	na = zones(after);
	pages_after = region_pages();
	tap_ok(pages_after == pages_before, "the kext region's pages came back",
	    "%lld before, %lld after", (long long)pages_before, (long long)pages_after);

	char grown[400] = "";
	size_t used = 0;
	for (int i = 0; i < na; i++) {
		for (int j = 0; j < nb; j++) {
			if (strncmp(after[i].zi_name, before[j].zi_name, sizeof after[i].zi_name) != 0)
				continue;
			int64_t d = (int64_t)after[i].zi_elems_inuse - (int64_t)before[j].zi_elems_inuse;

			if ((d > SLACK || d < -SLACK) && used < sizeof grown - 64)
				used += (size_t)snprintf(grown + used, sizeof grown - used,
				    "%s%.32s %+lld", used ? ", " : "", after[i].zi_name, (long long)d);
		}
	}
	tap_ok(na > 0 && used == 0, "every zone came back (within 2 elements)",
	    "after %d rounds: %s", ROUNDS, grown);
	return tap_done();
}
