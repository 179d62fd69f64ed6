/*
 * boundary.c - every boundary an ordinary user may not cross, tried from
 * user space, each refusal checked for its error: kernel addresses handed
 * to system calls (EFAULT) or touched directly (the process dies of
 * SIGSEGV or SIGBUS); other tasks' memory without their port
 * (task_for_pid's KERN_FAILURE, no /dev/mem or /dev/kmem); ports without
 * rights (mach_msg, mach_port_*, semaphores); sysctl nodes it may not
 * write (EPERM, the value unchanged); kexts it may not load or unload
 * (EPERM); and device nodes without permission (EACCES).
 *
 * Run as root: the parent checks what root too is refused (read-only
 * sysctl nodes), then forks a child that gives up root for good (setgroups,
 * setgid, setuid) and makes the rest of the checks, numbering on from the
 * parent's; it hands its count back through a pipe for the plan.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/kext.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mach_test.h"
#include "run_program.h"
#include "tap.h"

#define USER		1000
#define GROUP		1000
#define PAGE		4096UL
#define LAST_USER_PAGE	0x00007ffffffff000UL
#define SLE		"/System/Library/Extensions/"
#define MADE_UP_NAME	((mach_port_name_t)0x4321503)

/* Addresses no user buffer may be at. */
static const struct {
	uintptr_t	addr;
	const char	*what;
} kaddrs[] = {
	{ 0xffffffff80000000UL, "the kernel image" },
	{ 0xffffffff80100000UL, "the kernel image + 1 MiB" },
	{ 0xffff800000000000UL, "the direct map" },
	{ 0x0000800000000000UL, "the first non-canonical address" },
	{ 0xdead000000000000UL, "a non-canonical address" },
};
#define NKADDRS	(sizeof(kaddrs) / sizeof(kaddrs[0]))

static char out[16 * 1024];

/* --- kernel addresses --------------------------------------------------------- */

static void
syscalls_refuse(uintptr_t addr, size_t len, const char *what)
{
	char name[160];
	int zero = open("/dev/zero", O_RDONLY);
	int fds[2] = { -1, -1 };
	int mib[2] = { CTL_KERN, KERN_OSTYPE };
	size_t oldlen = len;
	struct stat st;

	(void)pipe(fds);
	snprintf(name, sizeof name, "read(2) into %s: EFAULT", what);
	TAP_ERRNO(read(zero, (void *)addr, len), EFAULT, name);
	snprintf(name, sizeof name, "write(2) from %s: EFAULT", what);
	TAP_ERRNO(write(fds[1], (const void *)addr, len), EFAULT, name);
	snprintf(name, sizeof name, "stat(2) of a path at %s: EFAULT", what);
	TAP_ERRNO(stat((const char *)addr, &st), EFAULT, name);
	snprintf(name, sizeof name, "stat(2) into %s: EFAULT", what);
	TAP_ERRNO(syscall(SYS_stat, "/", (void *)addr), EFAULT, name);
	snprintf(name, sizeof name, "sysctl(2) answer into %s: EFAULT", what);
	TAP_ERRNO(sysctl(mib, 2, (void *)addr, &oldlen, NULL, 0), EFAULT, name);
	snprintf(name, sizeof name, "sysctl(2) name at %s: EFAULT", what);
	oldlen = sizeof(out);
	TAP_ERRNO(sysctl((const int *)addr, 2, out, &oldlen, NULL, 0), EFAULT, name);
	close(zero);
	close(fds[0]);
	close(fds[1]);
}

static void do_load(uintptr_t a) { (void)*(volatile uint64_t *)a; }
static void do_store(uintptr_t a) { *(volatile uint64_t *)a = 0x5eed; }
static void do_jump(uintptr_t a) { ((void (*)(void))a)(); }

/* Run fn(addr) in a process of its own: its wait status. */
static int
in_grandchild(void (*fn)(uintptr_t), uintptr_t addr)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn(addr);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void
touching_kills(void (*fn)(uintptr_t), uintptr_t addr, const char *how, const char *what)
{
	int status = in_grandchild(fn, addr);
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;

	tap_ok(sig == SIGSEGV || sig == SIGBUS, how, "%s 0x%lx: wait status 0x%x, not SIGSEGV/SIGBUS",
	    what, (unsigned long)addr, status);
}

/* Neither mmap nor vm_allocate puts anything at [addr, addr + len). */
static void
mapping_refused(uintptr_t addr, size_t len, const char *what)
{
	vm_address_t a = addr;
	char name[160];
	void *p;

	errno = 0;
	p = mmap((void *)addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	    -1, 0);
	snprintf(name, sizeof name, "mmap MAP_FIXED at %s: ENOMEM", what);
	tap_ok(p == MAP_FAILED && errno == ENOMEM, name, "got %p (%s)", p, strerror(errno));
	snprintf(name, sizeof name, "vm_allocate fixed at %s: KERN_INVALID_ADDRESS", what);
	TAP_EQ(vm_allocate(mach_task_self(), &a, len, VM_FLAGS_FIXED), KERN_INVALID_ADDRESS, name);
}

static void
test_kernel_addresses(void)
{
	char name[160];

	for (unsigned i = 0; i < NKADDRS; i++)
		syscalls_refuse(kaddrs[i].addr, 64, kaddrs[i].what);

	/*
	 * A range that starts in the last user page and runs into the kernel
	 * half. That page is never mapped: a syscall instruction at its end
	 * would return to a non-canonical address.
	 */
	syscalls_refuse(LAST_USER_PAGE + PAGE - 32, 64, "the last user page, across the top");
	mapping_refused(LAST_USER_PAGE, PAGE, "the last user page");
	mapping_refused(LAST_USER_PAGE - PAGE, 2 * PAGE, "a range ending in the last user page");
	mapping_refused(0xffffffff80000000UL, PAGE, "the kernel image");
	mapping_refused(0xffff800000000000UL, PAGE, "the direct map");

	for (unsigned i = 0; i < NKADDRS; i++) {
		snprintf(name, sizeof name, "a load from %s kills with SIGSEGV/SIGBUS", kaddrs[i].what);
		touching_kills(do_load, kaddrs[i].addr, name, "load");
		snprintf(name, sizeof name, "a store to %s kills with SIGSEGV/SIGBUS", kaddrs[i].what);
		touching_kills(do_store, kaddrs[i].addr, name, "store");
	}
	touching_kills(do_jump, kaddrs[0].addr, "a jump into the kernel image kills", "jump");
	touching_kills(do_jump, kaddrs[2].addr, "a jump into the direct map kills", "jump");
	touching_kills(do_jump, kaddrs[4].addr, "a jump to a non-canonical address kills", "jump");
}

/* --- other tasks ---------------------------------------------------------------- */

static void
test_other_tasks(void)
{
	mach_port_t self = mach_task_self(), t = MACH_PORT_NULL;
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	uint64_t word = 42;
	int fd;

	TAP_EQ(task_for_pid(self, 1, &t), KERN_FAILURE, "task_for_pid of init (pid 1): KERN_FAILURE");
	TAP_EQ(t, MACH_PORT_NULL, "and no port was given");
	TAP_EQ(task_for_pid(self, getppid(), &t), KERN_FAILURE,
	    "task_for_pid of the root parent: KERN_FAILURE");
	TAP_EQ(task_for_pid(self, 0, &t), KERN_FAILURE, "task_for_pid of the kernel: KERN_FAILURE");
	TAP_EQ(task_for_pid(self, 99999, &t), KERN_FAILURE,
	    "task_for_pid of no process: the same KERN_FAILURE");
	TAP_EQ(vm_read(MADE_UP_NAME, 0x400000, 16, &data, &count), MACH_SEND_INVALID_DEST,
	    "vm_read through a made-up task name: MACH_SEND_INVALID_DEST");
	TAP_EQ(vm_write(MADE_UP_NAME, 0x400000, (vm_offset_t)&word, sizeof word),
	    MACH_SEND_INVALID_DEST, "vm_write through a made-up task name: MACH_SEND_INVALID_DEST");
	TAP_EQ(vm_read(self, 0xffffffff80000000UL, 16, &data, &count), KERN_INVALID_ADDRESS,
	    "vm_read of the kernel through one's own task: KERN_INVALID_ADDRESS");
	TAP_EQ(vm_write(self, 0xffffffff80000000UL, (vm_offset_t)&word, sizeof word),
	    KERN_INVALID_ADDRESS, "vm_write to the kernel through one's own task: KERN_INVALID_ADDRESS");

	/* No other way into another's memory: no memory devices for a user. */
	fd = open("/dev/mem", O_RDONLY);
	tap_ok(fd < 0 && (errno == ENOENT || errno == EACCES), "/dev/mem: absent or refused",
	    "open gave %d (%s)", fd, fd < 0 ? strerror(errno) : "opened");
	fd = open("/dev/kmem", O_RDONLY);
	tap_ok(fd < 0 && (errno == ENOENT || errno == EACCES), "/dev/kmem: absent or refused",
	    "open gave %d (%s)", fd, fd < 0 ? strerror(errno) : "opened");
	fd = open("/proc/1/mem", O_RDONLY);
	tap_ok(fd < 0 && (errno == ENOENT || errno == EACCES), "/proc/1/mem: absent or refused",
	    "open gave %d (%s)", fd, fd < 0 ? strerror(errno) : "opened");
	errno = 0;
	long r = syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, 1, 0, 0);
	tap_ok(r == -1 && (errno == EPERM || errno == ENOSYS), "ptrace attach to init: refused",
	    "got %ld (%s)", r, strerror(errno));
}

/* --- ports without rights ---------------------------------------------------- */

static void
test_ports(void)
{
	mach_port_t self = mach_task_self(), rcv = MACH_PORT_NULL, dead = MACH_PORT_NULL;
	mach_port_t sem = MACH_PORT_NULL;
	struct {
		mach_msg_header_t	h;
		char			body[64];
	} m;

	memset(&m, 0, sizeof m);
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof(m.h);
	m.h.msgh_remote_port = MADE_UP_NAME;
	TAP_EQ(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	    MACH_SEND_INVALID_DEST, "mach_msg to a name not held: MACH_SEND_INVALID_DEST");

	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &rcv), KERN_SUCCESS,
	    "a receive right of one's own");
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_remote_port = rcv;
	TAP_EQ(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	    MACH_SEND_INVALID_DEST, "mach_msg copying a send right the name lacks: MACH_SEND_INVALID_DEST");
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_COPY_SEND);
	m.h.msgh_local_port = MADE_UP_NAME;
	TAP_EQ(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	    MACH_SEND_INVALID_REPLY, "a reply port not held: MACH_SEND_INVALID_REPLY");

	TAP_EQ(mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof m, self, 0,
	    MACH_PORT_NULL), MACH_RCV_INVALID_NAME,
	    "receive on a send right (the task port): MACH_RCV_INVALID_NAME");
	TAP_EQ(mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof m, MADE_UP_NAME, 0,
	    MACH_PORT_NULL), MACH_RCV_INVALID_NAME,
	    "receive on a name not held: MACH_RCV_INVALID_NAME");

	TAP_EQ(mach_port_insert_right(self, 0x5550503, MADE_UP_NAME, MACH_MSG_TYPE_COPY_SEND),
	    KERN_INVALID_NAME, "insert_right of a right under a name not held: KERN_INVALID_NAME");
	TAP_EQ(mach_port_insert_right(self, 0x5550503, rcv, MACH_MSG_TYPE_COPY_SEND),
	    KERN_INVALID_RIGHT, "insert_right copying a send right not held: KERN_INVALID_RIGHT");
	TAP_EQ(mach_port_insert_right(self, 0x5550503, self, MACH_MSG_TYPE_MOVE_RECEIVE),
	    KERN_INVALID_RIGHT, "insert_right moving the task port's receive right: KERN_INVALID_RIGHT");
	TAP_EQ(mach_port_insert_right(self, 0x5550503, self, MACH_MSG_TYPE_MAKE_SEND),
	    KERN_INVALID_RIGHT, "insert_right making a send right without the receive right: "
	    "KERN_INVALID_RIGHT");

	TAP_EQ(mach_port_deallocate(self, MADE_UP_NAME), KERN_INVALID_NAME,
	    "deallocate of a name not held: KERN_INVALID_NAME");
	TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS,
	    "a dead name");
	TAP_EQ(mach_port_deallocate(self, dead), KERN_SUCCESS, "deallocate drops its one reference");
	TAP_EQ(mach_port_deallocate(self, dead), KERN_INVALID_NAME,
	    "and then the name is invalid: KERN_INVALID_NAME");
	TAP_EQ(mach_port_destroy(self, MADE_UP_NAME), KERN_INVALID_NAME,
	    "destroy of a name not held: KERN_INVALID_NAME");
	TAP_EQ(mach_port_mod_refs(self, MADE_UP_NAME, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_NAME,
	    "mod_refs of a name not held: KERN_INVALID_NAME");

	/* Semaphore calls on what is not a semaphore. */
	TAP_EQ(semaphore_signal(self), KERN_INVALID_ARGUMENT,
	    "semaphore_signal on the task port: KERN_INVALID_ARGUMENT");
	TAP_EQ(semaphore_wait(rcv), KERN_INVALID_ARGUMENT,
	    "semaphore_wait on a receive right: KERN_INVALID_ARGUMENT");
	TAP_EQ(semaphore_signal_all(MADE_UP_NAME), KERN_INVALID_ARGUMENT,
	    "semaphore_signal_all on a name not held: KERN_INVALID_ARGUMENT");
	TAP_EQ(semaphore_create(self, &sem, SYNC_POLICY_FIFO, 0), KERN_SUCCESS, "a semaphore");
	TAP_EQ(mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof m, sem, 0,
	    MACH_PORT_NULL), MACH_RCV_INVALID_NAME,
	    "receive on a semaphore's send right: MACH_RCV_INVALID_NAME");
	TAP_EQ(semaphore_destroy(self, sem), KERN_SUCCESS, "destroyed");
	/* semaphore_destroy gives up the send right it names, semaphore or not. */
	TAP_EQ(mach_port_insert_right(self, rcv, rcv, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS,
	    "a send right to a plain port");
	TAP_EQ(semaphore_destroy(self, rcv), KERN_INVALID_ARGUMENT,
	    "semaphore_destroy of a plain port: KERN_INVALID_ARGUMENT");
	TAP_EQ(semaphore_signal(rcv), KERN_INVALID_ARGUMENT,
	    "and the port is still no semaphore: KERN_INVALID_ARGUMENT");
	TAP_EQ(mach_port_destroy(self, rcv), KERN_SUCCESS, "the receive right goes");
}

/* --- sysctl ---------------------------------------------------------------------- */

static int
get_string(const char *name, char *buf, size_t size)
{
	size_t len = size;

	memset(buf, 0, size);
	return sysctlbyname(name, buf, &len, NULL, 0);
}

static int
get_int(const char *name)
{
	int v = -1;
	size_t len = sizeof v;

	sysctlbyname(name, &v, &len, NULL, 0);
	return v;
}

/* Writing string node name (as the caller) is EPERM and leaves it as it was. */
static void
string_write_refused(const char *name)
{
	char before[128], after[128], check[200];

	get_string(name, before, sizeof before);
	snprintf(check, sizeof check, "write %s: EPERM", name);
	TAP_ERRNO(sysctlbyname(name, NULL, NULL, "boundary-test", 14), EPERM, check);
	get_string(name, after, sizeof after);
	snprintf(check, sizeof check, "%s unchanged (\"%s\")", name, before);
	TAP_OK(strcmp(before, after) == 0, check);
}

static void
int_write_refused(const char *name, int nv)
{
	int before = get_int(name);
	char check[200];

	snprintf(check, sizeof check, "write %s: EPERM", name);
	TAP_ERRNO(sysctlbyname(name, NULL, NULL, &nv, sizeof nv), EPERM, check);
	snprintf(check, sizeof check, "%s unchanged (%d)", name, before);
	TAP_EQ(get_int(name), before, check);
}

static void
test_sysctl_user(void)
{
	char check[64];

	string_write_refused("kern.hostname");
	string_write_refused("kern.domainname");
	/* The value it has: were the write let through, nothing would change. */
	int_write_refused("kern.securelevel", get_int("kern.securelevel"));
	int_write_refused("kern.securelevel", get_int("kern.securelevel") + 1);
	string_write_refused("kern.ostype");
	int_write_refused("hw.ncpu", 64);
	/* The one node anybody may write: a name to look up, never from the kernel. */
	{
		int mib[2] = { 0, 3 }, oid[CTL_MAXNAME];
		size_t len = sizeof oid;

		TAP_ERRNO(sysctl(mib, 2, oid, &len, (const void *)0xffffffff80000000UL, 16), EFAULT,
		    "sysctl.name2oid of a name at a kernel address: EFAULT");
	}
	TAP_ERRNO(sethostname("boundary", 8), EPERM, "sethostname: EPERM");
	TAP_OK(get_string("kern.hostname", check, sizeof check) == 0 &&
	    strcmp(check, "boundary") != 0, "and the host name is not it");
}

static void
test_sysctl_root(void)
{
	char before[128], after[128];

	/* Read-only nodes refuse root too. */
	string_write_refused("kern.ostype");
	string_write_refused("kern.osrelease");
	int_write_refused("hw.ncpu", 64);
	get_string("kern.hostname", before, sizeof before);
	TAP_ERRNO(sysctlbyname("kern.hostname", NULL, NULL, (const void *)0xffffffff80000000UL, 8),
	    EFAULT, "root: kern.hostname from a kernel address: EFAULT");
	get_string("kern.hostname", after, sizeof after);
	TAP_OK(strcmp(before, after) == 0, "root: kern.hostname unchanged");
}

/* --- kexts ------------------------------------------------------------------------- */

static int
loaded(const char *id)
{
	static struct kext_stat_entry list[128];
	int n = kext_stat(list, 128);

	for (int i = 0; i < n && i < 128; i++) {
		if (strcmp(list[i].name, id) == 0)
			return 1;
	}
	return 0;
}

static void
test_kexts(void)
{
	char msg[KEXT_MSG_MAX];
	struct kext_files f;
	int was = loaded("org.machina.sample.HelloSysctl");

	TAP_OK(loaded("org.machina.kernel"), "kext_stat is open to a user");
	if (kext_files_read(SLE "HelloSysctl.kext", &f, msg, sizeof msg) == 0) {
		TAP_ERRNO(kext_load_files(&f, 0, NULL, msg, sizeof msg), EPERM,
		    "kext_load of a bundle: EPERM");
		kext_files_free(&f);
	} else {
		tap_ok(0, "kext_load of a bundle: EPERM", "could not read the bundle: %s", msg);
	}
	TAP_ERRNO(kext_load_identifier("org.machina.sample.HelloSysctl", 0, NULL, msg, sizeof msg),
	    EPERM, "kext_load by identifier: EPERM");
	TAP_EQ(loaded("org.machina.sample.HelloSysctl"), was, "HelloSysctl not loaded by it");
	TAP_ERRNO(kext_unload_name("org.machina.kpi.bsd", 0, msg, sizeof msg), EPERM,
	    "kext_unload of a KPI: EPERM");
	TAP_ERRNO(kext_unload_name("org.machina.sample.HelloSysctl", 0, msg, sizeof msg), EPERM,
	    "kext_unload of a sample: EPERM");
	TAP_ERRNO(kext_unload_name(SLE "HelloSysctl.kext", KEXT_UNLOAD_BY_PATH, msg, sizeof msg),
	    EPERM, "kext_unload by path: EPERM");

	int st = run_program((char *[]){ "/usr/sbin/kextload", SLE "HelloSysctl.kext", NULL },
	    out, sizeof out);
	tap_ok(st != 0 && strstr(out, "ermi") != NULL, "kextload as a user fails, saying why",
	    "status %d: %s", st, out);
	TAP_EQ(loaded("org.machina.sample.HelloSysctl"), was, "and HelloSysctl is not loaded");
	st = run_program((char *[]){ "/usr/sbin/kextunload", "-b", "org.machina.kpi.bsd", NULL },
	    out, sizeof out);
	tap_ok(st != 0, "kextunload as a user fails", "status %d: %s", st, out);
	TAP_OK(loaded("org.machina.kpi.bsd"), "the BSD KPI is still there");
}

/* --- /dev -------------------------------------------------------------------------- */

static void
test_dev(void)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	int refused = 0, nodes = 0;
	char path[300], check[360];
	struct stat st;

	TAP_OK(d != NULL, "opendir /dev");
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/dev/%s", e->d_name);
		if (lstat(path, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
			continue;
		nodes++;
		tap_diag("%s: %c%04o uid %u gid %u\n", path, S_ISCHR(st.st_mode) ? 'c' : 'b',
		    st.st_mode & 07777, st.st_uid, st.st_gid);
		/* Disks and the console are never anybody's to write. */
		if (strncmp(e->d_name, "disk", 4) == 0 || strncmp(e->d_name, "rdisk", 5) == 0 ||
		    strcmp(e->d_name, "console") == 0) {
			snprintf(check, sizeof check, "%s is root's, not writable by others", path);
			TAP_OK(st.st_uid == 0 && !(st.st_mode & S_IWOTH), check);
		}
		if (strcmp(e->d_name, "null") == 0 || strcmp(e->d_name, "zero") == 0) {
			snprintf(check, sizeof check, "%s is 0666", path);
			TAP_EQ(st.st_mode & 07777, 0666, check);
		}
		/* Not ours, no write bit for others, not our group's: EACCES. */
		if (st.st_uid != getuid() && !(st.st_mode & S_IWOTH) &&
		    !(st.st_gid == getgid() && (st.st_mode & S_IWGRP))) {
			int fd = open(path, O_WRONLY | O_NOCTTY);

			snprintf(check, sizeof check, "open %s for writing: EACCES", path);
			tap_ok(fd < 0 && errno == EACCES, check, "got %d (%s)", fd,
			    fd < 0 ? strerror(errno) : "opened");
			if (fd >= 0)
				close(fd);
			refused++;
		}
		if (st.st_uid != getuid() && !(st.st_mode & S_IROTH) &&
		    !(st.st_gid == getgid() && (st.st_mode & S_IRGRP))) {
			int fd = open(path, O_RDONLY | O_NOCTTY);

			snprintf(check, sizeof check, "open %s for reading: EACCES", path);
			tap_ok(fd < 0 && errno == EACCES, check, "got %d (%s)", fd,
			    fd < 0 ? strerror(errno) : "opened");
			if (fd >= 0)
				close(fd);
		}
	}
	closedir(d);
	TAP_OK(nodes > 0, "/dev lists device nodes");
	TAP_OK(refused > 0, "some of them are root's alone");
	TAP_ERRNO(chmod("/dev/console", 0666), EPERM, "chmod of /dev/console: EPERM");
	TAP_ERRNO(chown("/dev/console", USER, GROUP), EPERM, "chown of /dev/console: EPERM");
	TAP_ERRNO(mknod("/dev/boundary", S_IFCHR | 0666, makedev(1, 2)), EPERM,
	    "mknod in /dev: EPERM");
}

/* --- the unprivileged child ------------------------------------------------------- */

static void
child(int report)
{
	int counts[2];

	TAP_SUCCEEDS(setgroups(0, NULL), "child: setgroups(0)");
	TAP_SUCCEEDS(setgid(GROUP), "child: setgid");
	TAP_SUCCEEDS(setuid(USER), "child: setuid");
	TAP_OK(getuid() == USER && geteuid() == USER && getgid() == GROUP && getegid() == GROUP,
	    "child: no longer root");
	TAP_ERRNO(setuid(0), EPERM, "child: and cannot be again");
	test_kernel_addresses();
	test_other_tasks();
	test_ports();
	test_sysctl_user();
	test_kexts();
	test_dev();
	counts[0] = tap_count;
	counts[1] = tap_failed;
	(void)write(report, counts, sizeof counts);
	_exit(0);
}

int
main(void)
{
	int fds[2], counts[2] = { 0, 0 }, status = -1;
	pid_t pid;

	if (getuid() != 0)
		tap_diag("not run as root: the parent's checks see a user's refusals\n");
	test_sysctl_root();
	if (pipe(fds) != 0) {
		TAP_OK(0, "pipe");
		return tap_done();
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(fds[1]);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], counts, sizeof counts);
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (n == (ssize_t)sizeof counts && counts[0] >= tap_count) {
		tap_count = counts[0];
		tap_failed = counts[1];
	}
	tap_ok(n == (ssize_t)sizeof counts && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the unprivileged child finished its checks", "read %zd, wait status 0x%x", n, status);
	return tap_done();
}
