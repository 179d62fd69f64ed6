/*
 * sysctl_mib.c - the MIB through XNU's two calls, sysctl (class 2, 202)
 * and sysctlbyname (274): reading by number and by name, the sysctl.*
 * interface (name2oid, name, next, oidfmt), size queries and short
 * buffers, writing kern.hostname, kern.proc, the hw and vm nodes, and
 * every way a call can be refused (EPERM, EINVAL, ENOENT, ENOTDIR,
 * EFAULT, ENAMETOOLONG, ENOMEM).
 *
 * Runs as root (the console's programs do); sysctl_tools.c checks what is
 * refused to others. Machina only: Linux has neither call.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define SYS_xnu_sysctl		(0x2000000 + 202)
#define SYS_xnu_sysctlbyname	(0x2000000 + 274)
#define BAD			((void *)8)

/* bsd/sys/sysctl.h's struct kinfo_proc. */
struct kinfo_proc {
	int32_t		kp_pid, kp_ppid, kp_pgid, kp_sid;
	uint32_t	kp_uid, kp_ruid, kp_gid, kp_rgid;
	int32_t		kp_stat, kp_nthreads, kp_flag, kp_xstat;
	int64_t		kp_start_sec, kp_start_usec;
	uint64_t	kp_runtime_ns, kp_vsize, kp_rssize;
	char		kp_comm[24];
};

static long
mib(const int *name, unsigned namelen, void *old, size_t *oldlenp, const void *new, size_t newlen)
{
	return syscall(SYS_xnu_sysctl, name, namelen, old, oldlenp, new, newlen);
}

static long
byname(const char *name, void *old, size_t *oldlenp, const void *new, size_t newlen)
{
	return syscall(SYS_xnu_sysctlbyname, name, strlen(name), old, oldlenp, new, newlen);
}

static void
test_read(void)
{
	int ostype[2] = { 1, 1 }, oid[12], q[14];
	char buf[64];
	size_t len = sizeof(buf);
	unsigned kind;

	TAP_SUCCEEDS(mib(ostype, 2, buf, &len, NULL, 0), "kern.ostype by number");
	TAP_OK(strcmp(buf, "Machina") == 0 && len == 8, "kern.ostype is Machina, 8 bytes");
	len = sizeof(buf);
	memset(buf, 0, sizeof(buf));
	TAP_SUCCEEDS(byname("kern.ostype", buf, &len, NULL, 0), "kern.ostype by name");
	TAP_OK(strcmp(buf, "Machina") == 0, "the same by name");

	q[0] = 0, q[1] = 3;
	len = sizeof(oid);
	TAP_SUCCEEDS(mib(q, 2, oid, &len, "kern.ostype", 11), "sysctl.name2oid");
	TAP_OK(len == 2 * sizeof(int) && oid[0] == 1 && oid[1] == 1, "kern.ostype is {1, 1}");
	q[1] = 1, q[2] = 1, q[3] = 1;
	len = sizeof(buf);
	TAP_SUCCEEDS(mib(q, 4, buf, &len, NULL, 0), "sysctl.name");
	TAP_OK(strcmp(buf, "kern.ostype") == 0, "{1, 1} is kern.ostype");
	q[1] = 4;
	len = sizeof(buf);
	TAP_SUCCEEDS(mib(q, 4, buf, &len, NULL, 0), "sysctl.oidfmt");
	memcpy(&kind, buf, sizeof(kind));
	TAP_OK((kind & 0xf) == 3 && strcmp(buf + 4, "A") == 0, "kern.ostype is a string, format A");

	len = 0;
	TAP_SUCCEEDS(mib(ostype, 2, NULL, &len, NULL, 0), "a size query");
	TAP_EQ(len, 8, "needs 8 bytes");
	len = 3;
	memset(buf, 0, sizeof(buf));
	TAP_ERRNO(mib(ostype, 2, buf, &len, NULL, 0), ENOMEM, "a short buffer is ENOMEM");
	TAP_EQ(len, 8, "... and says the length needed");
	TAP_OK(memcmp(buf, "Mac", 3) == 0 && buf[3] == 0, "... after filling what fits");
}

/* Compare two OIDs as paths: <0, 0, >0. */
static int
oid_cmp(const int *a, unsigned alen, const int *b, unsigned blen)
{
	for (unsigned i = 0; i < alen && i < blen; i++) {
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	return (int)alen - (int)blen;
}

static void
test_list(void)
{
	int q[14] = { 0, 2 }, next[12];
	unsigned qlen = 2, count = 0;
	int sorted = 1, saw_ostype = 0, saw_ncpu = 0;
	size_t len;
	long r;
	int err = 0;

	for (;;) {
		len = sizeof(next);
		r = mib(q, qlen, next, &len, NULL, 0);
		err = errno;
		if (r != 0 || count > 5000)
			break;
		count++;
		unsigned n = (unsigned)(len / sizeof(int));
		/* Each one comes after the one before. */
		if (count > 1 && oid_cmp(next, n, q + 2, qlen - 2) <= 0)
			sorted = 0;
		if (n == 2 && next[0] == 1 && next[1] == 1)
			saw_ostype = 1;
		if (n == 2 && next[0] == 6 && next[1] == 3)
			saw_ncpu = 1;
		memcpy(q + 2, next, len);
		qlen = 2 + n;
	}
	TAP_OK(r == -1 && err == ENOENT, "sysctl.next ends with ENOENT");
	TAP_OK(count > 30, "the listing has the standard nodes");
	TAP_OK(sorted, "the listing is in OID order");
	TAP_OK(saw_ostype && saw_ncpu, "kern.ostype and hw.ncpu are listed");
	tap_diag("%u OIDs listed\n", count);
}

static void
test_hostname(void)
{
	char saved[80], buf[80];
	struct utsname u;
	size_t len = sizeof(saved), slen;

	TAP_SUCCEEDS(byname("kern.hostname", saved, &len, NULL, 0), "read kern.hostname");
	slen = len;
	len = sizeof(buf);
	TAP_SUCCEEDS(byname("kern.hostname", buf, &len, "sysctl-test", 11), "write kern.hostname as root");
	TAP_OK(strcmp(buf, saved) == 0, "the write gave back the old name");
	TAP_SUCCEEDS(uname(&u), "uname");
	TAP_OK(strcmp(u.nodename, "sysctl-test") == 0, "uname's nodename is the new name");
	TAP_ERRNO(byname("kern.hostname", NULL, NULL,
	    "0123456789012345678901234567890123456789012345678901234567890123456789", 70),
	    EINVAL, "a host name of 70 bytes is EINVAL");
	TAP_SUCCEEDS(byname("kern.hostname", NULL, NULL, saved, slen - 1), "put the name back");
}

static void
test_refusals(void)
{
	int ostype[2] = { 1, 1 }, name[13] = { 1, 1 }, nope[2] = { 1, 9999 }, deep[3] = { 1, 1, 5 };
	int kern[1] = { 1 }, level = -1;
	char buf[64];
	size_t len = sizeof(buf);
	char longname[400];

	TAP_ERRNO(mib(ostype, 2, NULL, NULL, "x", 1), EPERM, "writing read-only kern.ostype is EPERM");
	TAP_ERRNO(byname("kern.securelevel", NULL, NULL, &level, sizeof(level)), EPERM,
	    "lowering kern.securelevel is EPERM");
	TAP_ERRNO(mib(name, 0, buf, &len, NULL, 0), EINVAL, "namelen 0 is EINVAL");
	TAP_ERRNO(mib(name, 13, buf, &len, NULL, 0), EINVAL, "namelen 13 is EINVAL");
	TAP_ERRNO(mib(nope, 2, buf, &len, NULL, 0), ENOENT, "an unknown OID is ENOENT");
	TAP_ERRNO(mib(kern, 1, buf, &len, NULL, 0), ENOENT, "a node without a handler is ENOENT");
	TAP_ERRNO(mib(deep, 3, buf, &len, NULL, 0), ENOTDIR, "going on past a leaf is ENOTDIR");
	TAP_ERRNO(byname("kern.no_such_thing", buf, &len, NULL, 0), ENOENT, "an unknown name is ENOENT");
	memset(longname, 'k', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	TAP_ERRNO(byname(longname, buf, &len, NULL, 0), ENAMETOOLONG, "a 399-byte name is ENAMETOOLONG");
	TAP_ERRNO(syscall(SYS_xnu_sysctlbyname, "kern.ostype", 0, buf, &len, NULL, 0), EINVAL,
	    "sysctlbyname with namelen 0 is EINVAL");
	TAP_ERRNO(mib(BAD, 2, buf, &len, NULL, 0), EFAULT, "a bad name pointer is EFAULT");
	TAP_ERRNO(syscall(SYS_xnu_sysctlbyname, BAD, 11, buf, &len, NULL, 0), EFAULT,
	    "a bad name string is EFAULT");
	len = sizeof(buf);
	TAP_ERRNO(mib(ostype, 2, BAD, &len, NULL, 0), EFAULT, "a bad old buffer is EFAULT");
	TAP_ERRNO(mib(ostype, 2, buf, BAD, NULL, 0), EFAULT, "a bad oldlenp is EFAULT");
	TAP_ERRNO(byname("kern.hostname", NULL, NULL, BAD, 4), EFAULT, "a bad new value is EFAULT");
	TAP_ERRNO(mib((int *)0xffff800000000000ULL, 2, buf, &len, NULL, 0), EFAULT,
	    "a kernel address as the name is EFAULT");
}

/*
 * This process's pid: getpid() once the process calls exist, else found
 * by its name in kern.proc.all.
 */
static pid_t
self_pid(void)
{
	struct kinfo_proc kp[64];
	int all[3] = { 1, 14, 0 };
	size_t len = sizeof(kp);
	long pid = syscall(SYS_getpid);

	if (pid > 0)
		return (pid_t)pid;
	if (mib(all, 3, kp, &len, NULL, 0) != 0)
		return -1;
	for (size_t i = 0; i < len / sizeof(kp[0]); i++) {
		if (strcmp(kp[i].kp_comm, "sysctl_mib") == 0)
			return kp[i].kp_pid;
	}
	return -1;
}

static void
test_proc(void)
{
	struct kinfo_proc kp[64];
	pid_t me = self_pid();
	int oid[4] = { 1, 14, 1, (int)me }, all[3] = { 1, 14, 0 };
	char name[40];
	size_t len = sizeof(kp);
	int self = 0, kernel = 0;

	TAP_EQ(sizeof(struct kinfo_proc), 112, "struct kinfo_proc is 112 bytes");
	TAP_OK(me > 0, "this process is in kern.proc.all");
	TAP_SUCCEEDS(mib(oid, 4, kp, &len, NULL, 0), "kern.proc.pid.<self>");
	TAP_EQ(len, sizeof(kp[0]), "one record");
	TAP_EQ(kp[0].kp_pid, me, "kp_pid is this process's pid");
	if (syscall(SYS_getppid) >= 0)
		TAP_EQ(kp[0].kp_ppid, getppid(), "kp_ppid is getppid()");
	if (syscall(SYS_getuid) >= 0)
		TAP_EQ(kp[0].kp_uid, getuid(), "kp_uid is getuid()");
	TAP_OK(strncmp(kp[0].kp_comm, "sysctl_mib", 10) == 0, "kp_comm names the program");
	TAP_OK(kp[0].kp_nthreads >= 1 && kp[0].kp_stat == 2, "running, with a thread");
	TAP_OK(kp[0].kp_vsize > 0 && kp[0].kp_rssize > 0, "it has memory mapped and resident");
	snprintf(name, sizeof(name), "kern.proc.pid.%d", (int)me);
	len = sizeof(kp);
	TAP_SUCCEEDS(byname(name, kp, &len, NULL, 0), "kern.proc.pid.<self> by name");
	TAP_OK(len == sizeof(kp[0]) && kp[0].kp_pid == me, "the same record");
	oid[3] = 99998;
	len = sizeof(kp);
	TAP_SUCCEEDS(mib(oid, 4, kp, &len, NULL, 0), "kern.proc.pid of nobody");
	TAP_EQ(len, 0, "gives no record");
	len = 0;
	TAP_SUCCEEDS(mib(all, 3, NULL, &len, NULL, 0), "kern.proc.all size query");
	TAP_OK(len >= 2 * sizeof(kp[0]) && len % sizeof(kp[0]) == 0, "room for whole records");
	len = sizeof(kp);
	TAP_SUCCEEDS(mib(all, 3, kp, &len, NULL, 0), "kern.proc.all");
	for (size_t i = 0; i < len / sizeof(kp[0]); i++) {
		if (kp[i].kp_pid == me)
			self = 1;
		if (kp[i].kp_pid == 0 && (kp[i].kp_flag & 1))
			kernel = 1;
	}
	TAP_OK(self && kernel, "it lists this process and the kernel's");
	TAP_ERRNO(mib(all, 2, kp, &len, NULL, 0), ENOENT, "kern.proc alone is ENOENT");
	oid[3] = 1;
	TAP_ERRNO(mib(oid, 3, kp, &len, NULL, 0), EINVAL, "kern.proc.pid without a pid is EINVAL");
}

static void
test_nodes(void)
{
	int ncpu = 0, pagesize = 0, level = -2;
	int64_t memsize = 0;
	uint64_t free_pages = 0;
	struct { int64_t sec, usec; } boot = { 0, 0 };
	struct { uint32_t ldavg[3], pad; int64_t fscale; } loadavg;
	char buf[256];
	size_t len;

	len = sizeof(ncpu);
	TAP_SUCCEEDS(byname("hw.ncpu", &ncpu, &len, NULL, 0), "hw.ncpu");
	TAP_OK(ncpu >= 1, "at least one CPU");
	len = sizeof(pagesize);
	TAP_SUCCEEDS(byname("hw.pagesize", &pagesize, &len, NULL, 0), "hw.pagesize");
	TAP_EQ(pagesize, 4096, "4 KiB pages");
	len = sizeof(memsize);
	TAP_SUCCEEDS(byname("hw.memsize", &memsize, &len, NULL, 0), "hw.memsize");
	TAP_OK(memsize > 16 << 20 && len == 8, "more than 16 MiB, as a quad");
	len = sizeof(buf);
	TAP_SUCCEEDS(byname("hw.machine", buf, &len, NULL, 0), "hw.machine");
	TAP_OK(strcmp(buf, "x86_64") == 0, "x86_64");
	len = sizeof(free_pages);
	TAP_SUCCEEDS(byname("vm.page_free_count", &free_pages, &len, NULL, 0), "vm.page_free_count");
	TAP_OK(free_pages > 0 && (int64_t)free_pages * 4096 <= memsize, "some pages are free");
	len = sizeof(boot);
	TAP_SUCCEEDS(byname("kern.boottime", &boot, &len, NULL, 0), "kern.boottime");
	TAP_OK(len == 16 && boot.sec > 0 && boot.sec <= time(NULL), "the boot was before now");
	len = 0;
	TAP_SUCCEEDS(byname("kern.msgbuf", NULL, &len, NULL, 0), "kern.msgbuf size");
	TAP_OK(len > 0, "the kernel log has something in it");
	len = sizeof(buf);
	TAP_ERRNO(byname("kern.msgbuf", buf, &len, NULL, 0), ENOMEM, "a 256-byte buffer is short");
	len = 0;
	TAP_SUCCEEDS(byname("vm.zones", NULL, &len, NULL, 0), "vm.zones size");
	TAP_OK(len > 0 && len % 128 == 0, "whole zone records");
	len = 0;
	TAP_SUCCEEDS(byname("debug.lock_stats", NULL, &len, NULL, 0), "debug.lock_stats size");
	TAP_OK(len > 0 && len % 152 == 0, "whole lock-group records");
	len = sizeof(loadavg);
	TAP_SUCCEEDS(byname("vm.loadavg", &loadavg, &len, NULL, 0), "vm.loadavg");
	TAP_OK(len == 24 && loadavg.fscale == 2048, "three averages and fscale 2048");
	len = sizeof(level);
	TAP_SUCCEEDS(byname("kern.securelevel", &level, &len, NULL, 0), "kern.securelevel");
	TAP_EQ(level, 0, "the security level is 0");
	len = sizeof(buf);
	TAP_SUCCEEDS(byname("kern.osrelease", buf, &len, NULL, 0), "kern.osrelease");
	TAP_OK(len > 1, "is not empty");
}

int
main(void)
{
	test_read();
	test_list();
	test_hostname();
	test_refusals();
	test_proc();
	test_nodes();
	return tap_done();
}
