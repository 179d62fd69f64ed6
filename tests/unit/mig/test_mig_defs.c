/*
 * test_mig_defs.c - the kernel's interfaces (MIG_KERNEL_DEFS in
 * tools/mig/mig.mk) as tools/mig/mig.py generates them into BUILD/gen:
 * each server compiles with the kernel's flags (against declarations of
 * the conversion functions it calls, tests/unit/mig/kernel_server_env.h,
 * which the kernel will provide with Mach IPC), and each user side
 * compiles with musl-gcc against libsystem's headers.
 *
 * The flags come from a file the build writes (tests/unit/files.mk):
 * the kernel's CFLAGS, the user compiler and its flags, the .defs files,
 * the directory they were generated into and the one of migtest.defs,
 * one line each.
 */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN	8192

static char kernel_cflags[LINE_MAX_LEN], user_cc[LINE_MAX_LEN], defs[LINE_MAX_LEN], gendir[LINE_MAX_LEN];
static char migtest_dir[LINE_MAX_LEN];

static void
read_line(FILE *f, char *buf)
{
	cr_assert_not_null(fgets(buf, LINE_MAX_LEN, f), "short flags file " MIG_DEFS_FLAGS);
	buf[strcspn(buf, "\n")] = '\0';
}

static void
load_flags(void)
{
	FILE *f = fopen(MIG_DEFS_FLAGS, "r");

	cr_assert_not_null(f, "cannot read " MIG_DEFS_FLAGS);
	read_line(f, kernel_cflags);
	read_line(f, user_cc);
	read_line(f, defs);
	read_line(f, gendir);
	read_line(f, migtest_dir);
	fclose(f);
}

/* Run cmd; its exit status, and the tail of its output in out. */
static int
run(const char *cmd, char *out, size_t outlen)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, got;
	char chunk[1024];

	cr_assert_not_null(p);
	out[0] = '\0';
	while ((got = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		if (n + got >= outlen)
			n = 0;
		memcpy(out + n, chunk, got);
		n += got;
		out[n] = '\0';
	}
	return pclose(p);
}

/* Compile the generated sides of one .defs (a/b/name.defs). */
static void
compile_defs(const char *path)
{
	char dir[256], name[128], out[8192];
	static char cmd[8 * LINE_MAX_LEN];
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');

	cr_assert(slash != NULL && dot != NULL && dot > slash);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	snprintf(name, sizeof(name), "%.*s", (int)(dot - slash - 1), slash + 1);

	snprintf(cmd, sizeof(cmd), "gcc %s -include tests/unit/mig/kernel_server_env.h "
	    "-c %s/%s/%sServer.c -o /dev/null 2>&1", kernel_cflags, gendir, dir, name);
	cr_expect_eq(run(cmd, out, sizeof(out)), 0, "%s: the server does not compile in the kernel:\n%s",
	    path, out);
	snprintf(cmd, sizeof(cmd), "%s -I%s/user/%s -c %s/user/%s/%sUser.c -o /dev/null 2>&1", user_cc,
	    gendir, dir, gendir, dir, name);
	cr_expect_eq(run(cmd, out, sizeof(out)), 0, "%s: the user side does not compile with musl:\n%s",
	    path, out);
}

Test(mig_defs, kernel_interfaces_compile, .timeout = 120)
{
	char *save = NULL, *d;
	int n = 0;

	load_flags();
	for (d = strtok_r(defs, " ", &save); d != NULL; d = strtok_r(NULL, " ", &save), n++)
		compile_defs(d);
	cr_assert_geq(n, 6, "every kernel interface is listed");
}

/*
 * The same generated source serves both layouts: migtest.defs (every
 * feature) compiles for the kernel too, where ports are pointers and the
 * header is 32 bytes.
 */
Test(mig_defs, migtest_server_compiles_for_the_kernel, .timeout = 60)
{
	static char cmd[8 * LINE_MAX_LEN];
	char out[8192];

	load_flags();
	snprintf(cmd, sizeof(cmd), "gcc %s -I%s -c %s/migtestServer.c -o /dev/null 2>&1", kernel_cflags,
	    migtest_dir, migtest_dir);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s", out);
}

/* A KernelUser subsystem's stubs: the kernel as a client. */
Test(mig_defs, kernel_user_stubs_compile_for_the_kernel, .timeout = 60)
{
	static char cmd[8 * LINE_MAX_LEN];
	char out[8192];

	load_flags();
	snprintf(cmd, sizeof(cmd), "gcc %s -include tests/unit/mig/kernel_server_env.h -I%s "
	    "-c %s/kuserUser.c -o /dev/null 2>&1", kernel_cflags, migtest_dir, migtest_dir);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s", out);
}

/* Whether file holds text. */
static int
file_has(const char *path, const char *text)
{
	static char buf[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "cannot read %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, text) != NULL;
}

/*
 * A kernel server moves the send rights it returns (made by its outtran
 * functions) where a user server would copy them; the user side of the
 * same interface still copies.
 */
Test(mig_defs, kernel_servers_move_the_rights_they_return)
{
	char path[2 * LINE_MAX_LEN];

	load_flags();
	snprintf(path, sizeof(path), "%s/mach/taskServer.c", gendir);
	cr_assert(file_has(path, "special_port.disposition = MACH_MSG_TYPE_MOVE_SEND;"));
	cr_assert(file_has(path, "act_list.disposition = MACH_MSG_TYPE_MOVE_SEND;"));
	cr_assert(file_has(path, "convert_task_to_port") || file_has(path, "convert_port_to_task"));
	snprintf(path, sizeof(path), "%s/user/mach/taskUser.c", gendir);
	cr_assert(file_has(path, "special_port.disposition = MACH_MSG_TYPE_COPY_SEND;"));
}
