/*
 * test_mkinitrd.c - tools/mkinitrd.sh and tools/busybox-links.sh, run on
 * the build machine, their archives read back with the kernel's own cpio
 * reader (libkern/cpio.c): files, symbolic links stored as links, empty
 * directories with their modes, a later spec replacing an earlier one, and
 * entries in sorted order, and every malformed spec refused with a
 * message and no archive.
 *
 * Runs from the top of the tree (tests/unit/run_unit.py's working
 * directory), where the scripts are.
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/shim/kern.h"

#include "libkern/cpio.h"

static char dir[64];
static char archive[128];
static char *data;
static size_t len;

static void
setup(void)
{
	FILE *f;
	char path[128];

	strcpy(dir, "/tmp/test_mkinitrd.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/src", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/src/etc", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/src/etc/motd", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("hello\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/prog", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	snprintf(archive, sizeof(archive), "%s/out.cpio", dir);
	data = NULL;
}

static void
teardown(void)
{
	char cmd[128];

	free(data);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
}

/* pack: mkinitrd.sh src archive SPECS (shell words); its exit status. */
static int
pack(const char *specs)
{
	char cmd[1024], top[512];
	int status;

	cr_assert_not_null(getcwd(top, sizeof(top)));
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s/tools/mkinitrd.sh' src out.cpio %s 2>err.txt",
	    dir, top, specs);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
load(void)
{
	FILE *f = fopen(archive, "rb");
	long n;

	cr_assert_not_null(f, "no archive");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n);
	cr_assert_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	len = (size_t)n;
}

static struct cpio_entry
entry(const char *path)
{
	struct cpio_entry e;

	cr_assert_eq(cpio_find(data, len, path, &e), 0, "%s is not in the archive", path);
	return e;
}

static bool
stderr_says(const char *text)
{
	char path[128], buf[512] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/err.txt", dir);
	f = fopen(path, "r");
	if (f == NULL)
		return false;
	(void)!fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	return strstr(buf, text) != NULL;
}

TestSuite(mkinitrd, .init = setup, .fini = teardown);

Test(mkinitrd, files_links_and_directories)
{
	struct cpio_entry e;

	cr_assert_eq(pack("usr/bin/prog=prog bin/sh@/bin/busybox tmp/:1777 dev/ "
	    "etc/motd@/elsewhere etc/motd=prog"), 0);
	load();
	e = entry("etc/motd");
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFREG, "a later spec replaces the link");
	cr_assert_eq(e.ce_size, 10);
	e = entry("usr/bin/prog");
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFREG);
	cr_assert_eq(memcmp(e.ce_data, "#!/bin/sh\n", 10), 0);
	e = entry("usr/bin");
	cr_assert_eq(e.ce_mode & CPIO_S_IFMT, CPIO_S_IFDIR, "leading directories are made");
	e = entry("bin/sh");
	cr_assert_eq(e.ce_mode, CPIO_S_IFLNK | 0777);
	cr_assert_eq(e.ce_size, strlen("/bin/busybox"));
	cr_assert_eq(memcmp(e.ce_data, "/bin/busybox", e.ce_size), 0, "the target, not followed");
	e = entry("tmp");
	cr_assert_eq(e.ce_mode, CPIO_S_IFDIR | 01777);
	e = entry("dev");
	cr_assert_eq(e.ce_mode, CPIO_S_IFDIR | 0755);
}

Test(mkinitrd, entries_come_sorted)
{
	struct cpio_iter it;
	struct cpio_entry e;
	char last[256] = "";

	cr_assert_eq(pack("z@/x a/ m=prog b/c=prog"), 0);
	load();
	cpio_iter_init(&it, data, len);
	while (cpio_next(&it, &e) == CPIO_ENTRY) {
		cr_expect_gt(strcmp(e.ce_name, last), 0, "%s after %s", e.ce_name, last);
		snprintf(last, sizeof(last), "%s", e.ce_name);
	}
}

Test(mkinitrd, bad_specs_are_refused)
{
	static const struct {
		const char *spec, *says;
	} bad[] = {
		{ "/etc/x=prog", "relative DEST" },
		{ "../x=prog", "relative DEST" },
		{ "a/../../x@/y", "relative DEST" },
		{ "x=missing", "missing: no such file" },
		{ "x@", "a link needs a target" },
		{ "=prog", "relative DEST" },
		{ "d/:12z", "the mode must be octal" },
		{ "justaword", "want DEST=FILE" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char quoted[64];

		snprintf(quoted, sizeof(quoted), "'%s'", bad[i].spec);
		cr_expect_neq(pack(quoted), 0, "%s was accepted", bad[i].spec);
		cr_expect(stderr_says(bad[i].says), "%s: not refused with \"%s\"", bad[i].spec,
		    bad[i].says);
		cr_expect_neq(access(archive, F_OK), 0, "%s left an archive", bad[i].spec);
	}
}

Test(mkinitrd, busybox_links_leave_in_tree_names_out)
{
	char cmd[512], line[256];
	bool sh = false, ps = false, init = false, busybox = false, other = true;
	FILE *p;

	if (access("/bin/busybox", X_OK) != 0)
		cr_skip_test("no /bin/busybox here");
	snprintf(cmd, sizeof(cmd), "tools/busybox-links.sh /bin/busybox init ps");
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof(line), p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		sh |= strcmp(line, "bin/sh@/bin/busybox") == 0;
		ps |= strstr(line, "/ps@") != NULL;
		init |= strstr(line, "/init@") != NULL;
		busybox |= strcmp(line, "bin/busybox=/bin/busybox") == 0;
		other &= strchr(line, '/') != NULL;
	}
	cr_assert_eq(pclose(p), 0);
	cr_expect(sh, "no link for sh");
	cr_expect(busybox, "no bin/busybox spec");
	cr_expect(!ps && !init, "an in-tree program's name got a link");
	cr_expect(other, "a spec outside any directory (linuxrc)");
}
