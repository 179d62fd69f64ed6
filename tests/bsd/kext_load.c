/*
 * kext_load.c - loading, listing, using and unloading kexts: the samples
 * (samples/kexts) and the broken test kexts (tests/kexts), through the
 * kext calls (<sys/kext.h>) and the tools (kextstat, kextload, kextunload,
 * kextutil). Every refusal is checked by what its message names.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kext.h>
#include <sys/stat.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_program.h"
#include "tap.h"

#define SLE	"/System/Library/Extensions/"
#define TK	"/usr/tests/kexts/"

static char msg[KEXT_MSG_MAX];
static char out[64 * 1024];

/* Load the bundle at path; 0 or errno. The kernel's report is in msg. */
static int
load(const char *path, uint32_t *tag)
{
	struct kext_files f;

	msg[0] = '\0';
	if (kext_files_read(path, &f, msg, sizeof msg) != 0)
		return errno;
	int r = kext_load_files(&f, 0, tag, msg, sizeof msg);
	int e = errno;

	kext_files_free(&f);
	return r == 0 ? 0 : e;
}

static int
load_id(const char *id, uint32_t flags, uint32_t *tag)
{
	return kext_load_identifier(id, flags, tag, msg, sizeof msg) == 0 ? 0 : errno;
}

static int
unload(const char *name, uint32_t flags)
{
	return kext_unload_name(name, flags, msg, sizeof msg) == 0 ? 0 : errno;
}

/* The loaded record for id, or NULL; list is refreshed each call. */
static struct kext_stat_entry list[128];
static int nlist;

static const struct kext_stat_entry *
find(const char *id)
{
	nlist = kext_stat(list, 128);
	for (int i = 0; i < nlist && i < 128; i++) {
		if (strcmp(list[i].name, id) == 0)
			return &list[i];
	}
	return NULL;
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
sysctl_int(const char *name, int *v)
{
	size_t len = sizeof(*v);

	return sysctlbyname(name, v, &len, NULL, 0) == 0 ? 0 : errno;
}

/* run_program into out. */
static int
run(char *const argv[])
{
	return run_program(argv, out, sizeof(out));
}

static int
has(const char *haystack, const char *needle)
{
	return strstr(haystack, needle) != NULL;
}

/* A check that also wants the kernel's report to say s. */
#define SAYS(cond, s, name)	tap_ok((cond) && has(msg, s), name, "the report: %s", msg)

static void
test_listing(void)
{
	const struct kext_stat_entry *k = find("org.machina.kernel");

	TAP_OK(k != NULL && k->tag == 0 && (k->flags & KEXT_STAT_KERNEL), "kextstat: the kernel is index 0");
	k = find("org.machina.kpi.libkern");
	TAP_OK(k != NULL && (k->flags & KEXT_STAT_KPI) && k->address == 0, "kextstat: the libkern KPI");
	TAP_OK(find("org.machina.kpi.bsd") && find("org.machina.kpi.mach") &&
	    find("org.machina.kpi.iokit") && find("org.machina.kpi.unsupported"),
	    "kextstat: every KPI bundle");
	TAP_EQ(kext_stat(NULL, 0) >= 6, 1, "kext_stat with no room counts");
	errno = 0;
	TAP_ERRNO(kext_stat((void *)16, 4), EFAULT, "kext_stat to a bad address");
}

static void
test_hello(void)
{
	int64_t pages = region_pages();
	const struct kext_stat_entry *k;
	uint32_t tag = 0, tag2 = 0;
	char greeting[128];
	size_t len = sizeof greeting;
	int v = 0, nv = 7;

	tap_ok(load(SLE "HelloSysctl.kext", &tag) == 0, "load HelloSysctl", "%s", msg);
	k = find("org.machina.sample.HelloSysctl");
	tap_ok(k != NULL && k->tag == tag && k->address != 0 && k->size != 0,
	    "kextstat lists HelloSysctl with its image", "%s", msg);
	tap_ok(k != NULL && k->ndeps == 3 && strcmp(k->version, "1.0.0") == 0,
	    "linked against three KPIs, version 1.0.0", "ndeps %u", k ? k->ndeps : 0);
	tap_ok(sysctl_int("debug.hello.count", &v) == 0 && v == 42, "debug.hello.count reads 42",
	    "got %d", v);
	TAP_OK(sysctlbyname("debug.hello.count", NULL, NULL, &nv, sizeof nv) == 0 &&
	    sysctl_int("debug.hello.count", &v) == 0 && v == 7, "debug.hello.count set to 7");
	tap_ok(sysctlbyname("debug.hello.greeting", greeting, &len, NULL, 0) == 0 &&
	    has(greeting, "hello from a kext"), "debug.hello.greeting from the kext's handler",
	    "%s", strerror(errno));
	SAYS(load(SLE "HelloSysctl.kext", NULL) == EEXIST,
	    "already loaded", "loading it again: EEXIST");
	SAYS(load(TK "DupHello.kext", NULL) == EEXIST,
	    "org.machina.sample.HelloSysctl is already loaded", "another bundle, same identifier: EEXIST");
	tap_ok(unload(SLE "HelloSysctl.kext", KEXT_UNLOAD_BY_PATH) == 0, "unload by path", "%s", msg);
	TAP_OK(find("org.machina.sample.HelloSysctl") == NULL, "gone from kextstat");
	TAP_EQ(sysctl_int("debug.hello.count", &v), ENOENT, "its sysctl nodes are gone");
	tap_ok(load_id("org.machina.sample.HelloSysctl", 0, &tag2) == 0 && tag2 > tag,
	    "loads again, by identifier, with a new index", "%s", msg);
	tap_ok(sysctl_int("debug.hello.count", &v) == 0 && v == 42, "fresh data: count is 42 again",
	    "got %d", v);
	tap_ok(unload("org.machina.sample.HelloSysctl", 0) == 0, "unload by identifier", "%s", msg);
	SAYS(unload("org.machina.sample.HelloSysctl", 0) == ENOENT,
	    "is not loaded", "unload of what is not loaded");
	SAYS(unload("org.machina.kpi.bsd", 0) == EPERM,
	    "part of the kernel", "a KPI cannot be unloaded");
	tap_ok(region_pages() == pages, "two loads and unloads: every page back",
	    "%lld pages before, %lld after", (long long)pages, (long long)region_pages());
}

static void
test_dependencies(void)
{
	const struct kext_stat_entry *lib, *client;
	uint32_t lib_tag = 0, client_tag = 0;
	int sum = 0;

	tap_ok(load_id("org.machina.sample.SampleClient", 0, &client_tag) == 0,
	    "load SampleClient, which needs SampleLibrary", "%s", msg);
	lib = find("org.machina.sample.SampleLibrary");
	lib_tag = lib != NULL ? lib->tag : 0;
	tap_ok(lib != NULL && lib_tag < client_tag, "SampleLibrary was loaded first",
	    "library %u, client %u", lib_tag, client_tag);
	client = find("org.machina.sample.SampleClient");
	tap_ok(client != NULL && lib != NULL && find("org.machina.sample.SampleLibrary")->refs == 1,
	    "the library's Refs is 1", "%s", "");
	client = find("org.machina.sample.SampleClient");
	int linked = 0;
	for (unsigned i = 0; client != NULL && i < client->ndeps; i++)
		linked |= client->deps[i] == lib_tag;
	TAP_OK(linked, "the client's Linked Against names the library");
	tap_ok(sysctl_int("debug.sampleclient_sum", &sum) == 0 && sum == 42,
	    "the client called into the library", "sum %d", sum);
	SAYS(unload("org.machina.sample.SampleLibrary", 0) == EBUSY,
	    "org.machina.sample.SampleClient", "unloading the library while the client is loaded: EBUSY");
	TAP_OK(unload("org.machina.sample.SampleClient", 0) == 0 &&
	    unload("org.machina.sample.SampleLibrary", 0) == 0, "client, then library, unload");
	SAYS(load(TK "MissingDep.kext", NULL) == ENOENT,
	    "needs org.machina.test.NoSuchLibrary 0.1.0, which is not loaded and not in "
	    "/System/Library/Extensions/", "a missing dependency: ENOENT, naming it");
	SAYS(load(TK "TooNew.kext", NULL) == ENOENT,
	    "needs org.machina.sample.SampleLibrary 2.0.0", "a dependency too old: ENOENT");
	TAP_OK(find("org.machina.sample.SampleLibrary") == NULL,
	    "the failed load left no library behind");
	SAYS(load_id("org.machina.test.CycleA", 0, NULL) == EINVAL,
	    "dependency cycle: org.machina.test.CycleA -> org.machina.test.CycleB -> org.machina.test.CycleA", "a dependency cycle: EINVAL");
	TAP_OK(find("org.machina.test.CycleA") == NULL && find("org.machina.test.CycleB") == NULL,
	    "neither half of the cycle stays loaded");
}

static void
test_refusals(void)
{
	uint32_t tag;

	SAYS(load(TK "Unresolved.kext", NULL) == ENOENT,
	    "machina_no_such_function", "unresolved symbols: ENOENT");
	tap_ok(has(msg, "machina_no_such_variable") &&
	    has(msg, "not exported by any KPI or loaded kext"), "both symbols named", "%s", msg);
	SAYS(load(TK "UndeclaredKPI.kext", NULL) == ENOENT,
	    "sysctl_register_oid is exported by org.machina.kpi.bsd, which OSBundleLibraries does not name", "a KPI not declared: ENOENT");
	SAYS(load(TK "FarReloc.kext", NULL) == EINVAL,
	    "R_X86_64_32", "a relocation out of range: EINVAL");
	int64_t pages = region_pages();
	SAYS(load(TK "FailStart.kext", NULL) == EIO,
	    "start routine failed", "start fails: EIO");
	TAP_OK(find("org.machina.test.FailStart") == NULL, "a failed start leaves no kext loaded");
	tap_ok(pages >= 0 && region_pages() == pages, "and not a page of it",
	    "%lld pages before, %lld after", (long long)pages, (long long)region_pages());
	tap_ok(load(TK "LeakySysctl.kext", &tag) == 0, "LeakySysctl loads", "%s", msg);
	SAYS(unload("org.machina.test.LeakySysctl", 0) == EBUSY,
	    "sysctl debug.leaky", "its stop leaves a sysctl registered: unload refused");
	const struct kext_stat_entry *k = find("org.machina.test.LeakySysctl");
	TAP_OK(k != NULL && (k->flags & KEXT_STAT_STOPPED), "it stays loaded, stopped");
	tap_ok(load(TK "FailStop.kext", NULL) == 0, "FailStop loads", "%s", msg);
	SAYS(unload("org.machina.test.FailStop", 0) == EBUSY,
	    "its stop routine failed (0x5); it stays loaded", "stop fails: unload refused");
	k = find("org.machina.test.FailStop");
	TAP_OK(k != NULL && !(k->flags & KEXT_STAT_STOPPED), "it stays loaded, running");
	tap_ok(unload("org.machina.test.FailStop", 0) == 0, "the second stop succeeds", "%s", msg);
	tap_ok(load(TK "Codeless.kext", &tag) == 0, "a codeless kext loads as data", "%s", msg);
	k = find("org.machina.test.Codeless");
	TAP_OK(k != NULL && k->address == 0 && (k->flags & KEXT_STAT_CODELESS), "no image");
	tap_ok(unload(TK "Codeless.kext", KEXT_UNLOAD_BY_PATH) == 0, "and unloads", "%s", msg);
}

/* Bundles made here from bytes: what a damaged file looks like to the kernel. */
static void
test_bad_bundles(void)
{
	struct kext_files f;
	struct kext_load_request req;
	static const char bad_plist[] =
	    "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n"
	    "\t<key>CFBundleIdentifier</key>\n\t<string>org.example.Bad</string>\n"
	    "\t<key>CFBundleVersion</key>\n\t<integer>1x</integer>\n</dict>\n</plist>\n";
	static const char garbage[] = "\177ELF this is not an object file at all";

	if (kext_files_read(SLE "HelloSysctl.kext", &f, msg, sizeof msg) != 0) {
		tap_ok(0, "read HelloSysctl.kext", "%s", msg);
		return;
	}
	size_t full = f.exec_len;
	f.exec_len = 200;
	SAYS(kext_load_files(&f, 0, NULL, msg, sizeof msg) != 0 && errno == EINVAL,
	    "HelloSysctl.kext: its executable is not a kext object", "a truncated executable: EINVAL");
	f.exec_len = full;
	memcpy(f.exec, garbage, sizeof garbage);
	SAYS(kext_load_files(&f, 0, NULL, msg, sizeof msg) != 0 && errno == EINVAL,
	    "not a kext object", "a corrupt executable: EINVAL");
	void *exec = f.exec;
	f.exec = NULL;
	f.exec_len = 0;
	SAYS(kext_load_files(&f, 0, NULL, msg, sizeof msg) != 0 && errno == EINVAL,
	    "which is missing", "a missing executable: EINVAL");
	f.exec = exec;
	f.exec_len = full;
	free(f.plist);
	f.plist = strdup(bad_plist);
	f.plist_len = strlen(bad_plist);
	SAYS(kext_load_files(&f, 0, NULL, msg, sizeof msg) != 0 && errno == EINVAL,
	    "line 7", "a bad plist: EINVAL, with its line");
	f.plist_len = 0;
	SAYS(kext_load_files(&f, 0, NULL, msg, sizeof msg) != 0 && errno == EINVAL,
	    "HelloSysctl.kext: Info.plist is empty", "an empty Info.plist: EINVAL");
	kext_files_free(&f);

	memset(&req, 0, sizeof req);
	req.path = (uint64_t)(uintptr_t)"/x.kext";
	req.plist = 8;
	req.plist_len = 100;
	TAP_ERRNO(kext_load(&req), EFAULT, "a plist at a bad address: EFAULT");
	req.plist_len = KEXT_PLIST_MAX + 1;
	TAP_ERRNO(kext_load(&req), E2BIG, "a plist over the limit: E2BIG");
	TAP_ERRNO(kext_load((void *)8), EFAULT, "a request at a bad address: EFAULT");
	req.flags = 0x80;
	TAP_ERRNO(kext_load(&req), EINVAL, "unknown flags: EINVAL");

	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(3);
		if (load(SLE "HelloSysctl.kext", NULL) != EPERM)
			_exit(1);
		if (unload("org.machina.kpi.bsd", 0) != EPERM)
			_exit(2);
		_exit(0);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "not root: EPERM to load and unload");
}

static void
test_classes(void)
{
	const struct kext_stat_entry *k = find("org.machina.test.BootLoaded");
	int v = 0, one = 1;

	tap_ok(k != NULL && sysctl_int("debug.bootloaded", &v) == 0 && v == 1,
	    "OSBundleRequired: BootLoaded was loaded and started at boot", "v %d", v);
	tap_ok(load(TK "ClassHolder.kext", NULL) == 0, "ClassHolder loads", "%s", msg);
	SAYS(unload("org.machina.test.ClassHolder", 0) == EBUSY,
	    "class org_machina_test_Held has 1 instance", "unload refused while an instance lives");
	TAP_OK(sysctlbyname("debug.classholder_release", NULL, NULL, &one, sizeof one) == 0,
	    "let the instance go");
	tap_ok(unload("org.machina.test.ClassHolder", 0) == 0, "then it unloads", "%s", msg);
	tap_ok(load(TK "KIPWriter.kext", NULL) == 0 && sysctl_int("debug.kipwriter", &v) == 0 &&
	    v == 7, "a kext's writes to kernel text and rodata fault; to its own data they do not",
	    "debug.kipwriter %d (bits: 1 text refused, 2 rodata refused, 4 own data written)", v);
	tap_ok(unload("org.machina.test.KIPWriter", 0) == 0, "KIPWriter unloads", "%s", msg);
	SAYS(load(TK "DupClass.kext", NULL) == EINVAL, "OSString",
	    "a class name already taken: EINVAL, naming it");
	TAP_OK(find("org.machina.test.DupClass") == NULL, "and it is not loaded");
}

static void
test_thread(void)
{
	int before = -1, after = -1;
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	tap_ok(load(SLE "SampleThread.kext", NULL) == 0, "load SampleThread", "%s", msg);
	sysctl_int("debug.samplethread_ticks", &before);
	nanosleep(&ts, NULL);
	sysctl_int("debug.samplethread_ticks", &after);
	tap_ok(before >= 0 && after > before, "its kernel thread runs", "ticks %d then %d", before, after);
	tap_ok(unload("org.machina.sample.SampleThread", 0) == 0, "unload stops it", "%s", msg);
	TAP_EQ(sysctl_int("debug.samplethread_ticks", &after), ENOENT, "its node is gone");
	tap_ok(load(SLE "SampleThread.kext", NULL) == 0 &&
	    unload("org.machina.sample.SampleThread", 0) == 0, "and it loads and unloads again",
	    "%s", msg);
	/* A work loop's thread: its start checks the actions ran, in the gate. */
	int64_t pages = region_pages();
	tap_ok(load(TK "WorkLoop.kext", NULL) == 0, "WorkLoop: interrupts, a timeout and a "
	    "command reach a kext's work loop", "%s", msg);
	tap_ok(unload("org.machina.test.WorkLoop", 0) == 0, "its stop releases the loop and it "
	    "unloads", "%s", msg);
	tap_ok(load(TK "WorkLoop.kext", NULL) == 0 &&
	    unload("org.machina.test.WorkLoop", 0) == 0, "and it loads and unloads again", "%s", msg);
	tap_ok(pages >= 0 && region_pages() == pages, "leaving no kext page behind",
	    "%lld pages before, %lld after", (long long)pages, (long long)region_pages());
}

static void
test_tools(void)
{
	char *stat_argv[] = { "/usr/sbin/kextstat", NULL };
	char *load_argv[] = { "/usr/sbin/kextload", SLE "HelloSysctl.kext", NULL };
	char *stat_b_argv[] = { "/usr/sbin/kextstat", "-l", "-b", "org.machina.sample.HelloSysctl", NULL };
	char *unload_argv[] = { "/usr/sbin/kextunload", "-b", "org.machina.sample.HelloSysctl", NULL };
	char *check_argv[] = { "/usr/bin/kextutil", "-n", TK "UndeclaredKPI.kext", NULL };
	char *check_ok_argv[] = { "/usr/bin/kextutil", "-n", SLE "HelloSysctl.kext", NULL };
	char *unload_bad_argv[] = { "/usr/sbin/kextunload", "-b", "org.machina.kpi.mach", NULL };
	char *libs_argv[] = { "/usr/bin/kextlibs", TK "UndeclaredKPI.kext", NULL };
	char *libs_bad_argv[] = { "/usr/bin/kextlibs", TK "Unresolved.kext", NULL };
	char *libs_client_argv[] = { "/usr/bin/kextlibs", "-xml", SLE "SampleClient.kext", NULL };

	tap_ok(run(stat_argv) == 0 && has(out, "Index Refs Address            Size       Wired      Name (Version) <Linked Against>") &&
	    has(out, "    0 ") && has(out, "org.machina.kernel ("), "kextstat: macOS's layout", "%s", out);
	tap_ok(run(load_argv) == 0 && has(out, "loaded"), "kextload path", "%s", out);
	tap_ok(run(stat_b_argv) == 0 && has(out, "org.machina.sample.HelloSysctl (1.0.0) <") &&
	    has(out, "0xffffffff") && !has(out, "Index"), "kextstat -l -b shows it alone", "%s", out);
	tap_ok(run(unload_argv) == 0 && has(out, "unloaded"), "kextunload -b", "%s", out);
	tap_ok(run(unload_bad_argv) == 1 && has(out, "part of the kernel"), "kextunload says why not",
	    "%s", out);
	tap_ok(run(check_argv) == 1 && has(out, "sysctl_register_oid is exported by org.machina.kpi.bsd"),
	    "kextutil -n: the KPI to add", "%s", out);
	tap_ok(run(libs_argv) == 0 && has(out, "org.machina.kpi.bsd = ") &&
	    !has(out, "org.machina.kpi.iokit"), "kextlibs: the KPIs its symbols come from", "%s", out);
	tap_ok(run(libs_bad_argv) == 1 && has(out, "no library exports machina_no_such_function") &&
	    has(out, "org.machina.kpi.iokit = "), "kextlibs: and what nothing exports", "%s", out);
	tap_ok(run(libs_client_argv) == 0 &&
	    has(out, "<key>org.machina.sample.SampleLibrary</key>\n\t\t<string>1.2.0</string>"),
	    "kextlibs -xml: a library kext from the catalog, as Info.plist wants it", "%s", out);
	tap_ok(run(check_ok_argv) == 0 && has(out, "links") && has(out, "org.machina.kpi.bsd: ") &&
	    find("org.machina.sample.HelloSysctl") == NULL,
	    "kextutil -n of a good kext: links, nothing loaded", "%s", out);
}

int
main(void)
{
	test_listing();
	test_hello();
	test_dependencies();
	test_refusals();
	test_bad_bundles();
	test_classes();
	test_thread();
	test_tools();
	return tap_done();
}
