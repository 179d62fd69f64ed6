/*
 * ksancov.c - /dev/ksancov, the coverage device of a kernel built with
 * KCOV=1 (bsd/sys/ksancov.h, docs/fuzzing.md): a thread's system calls
 * leave kernel PCs in the mapped buffer, and every misuse (huge sizes, a
 * second map, start without a buffer, a second thread, a second opener,
 * close while recording) is refused or handled, with nothing leaked.
 *
 * On a kernel without the device it checks only that the node is absent
 * (the user tier of make test runs it there; the kcov tier on the
 * coverage kernel).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ksancov.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "zone_counts.h"

#define DEV		"/dev/ksancov"
#define MAXPCS		65536
#define KERNEL_BASE	0xffff800000000000ULL

static uint64_t zero;

static int
kioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg);
}

/* A few system calls recorded; how many entries the kernel wrote. */
static uint64_t
record(struct ksancov_trace *t)
{
	__atomic_store_n(&t->kt_head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&t->kt_hdr.kh_enabled, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 20; i++) {
		(void)getppid();
		(void)syscall(SYS_getpid);
		(void)access("/nonexistent", F_OK);
	}
	__atomic_store_n(&t->kt_hdr.kh_enabled, 0, __ATOMIC_RELEASE);
	return __atomic_load_n(&t->kt_head, __ATOMIC_ACQUIRE);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
distinct(const struct ksancov_trace *t, uint64_t n, int *all_kernel)
{
	uint64_t *v = malloc(n * sizeof(*v)), d = 0;

	*all_kernel = 1;
	if (v == NULL)
		return 0;
	memcpy(v, t->kt_entries, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_u64);
	for (uint64_t i = 0; i < n; i++) {
		if (v[i] < KERNEL_BASE)
			*all_kernel = 0;
		if (i == 0 || v[i] != v[i - 1])
			d++;
	}
	free(v);
	return d;
}

static int thread_fd, thread_start_errno, thread_stop_errno;

static void *
second_thread(void *arg)
{
	(void)arg;
	thread_start_errno = kioctl(thread_fd, KSANCOV_IOC_START, &zero) == 0 ? 0 : errno;
	thread_stop_errno = kioctl(thread_fd, KSANCOV_IOC_STOP, &zero) == 0 ? 0 : errno;
	return NULL;
}

static uint64_t
free_pages(void)
{
	uint64_t v = 0;
	size_t len = sizeof(v);

	(void)zone_sysctl_byname("vm.page_free_count", &v, &len);
	return v;
}

/* open, a buffer of maxpcs, map, start, record, close: the whole life. */
static int
cycle(uint64_t maxpcs, int unmap)
{
	struct ksancov_buf_desc mc = { 0, 0 };
	int fd = open(DEV, O_RDWR), ok;

	if (fd < 0)
		return 0;
	ok = kioctl(fd, KSANCOV_IOC_TRACE, &maxpcs) == 0 && kioctl(fd, KSANCOV_IOC_MAP, &mc) == 0 &&
	    kioctl(fd, KSANCOV_IOC_START, &zero) == 0;
	if (ok)
		ok = record((struct ksancov_trace *)(uintptr_t)mc.ptr) > 0;
	close(fd);		/* while recording */
	if (mc.ptr && unmap)
		munmap((void *)(uintptr_t)mc.ptr, mc.sz);
	return ok;
}

int
main(void)
{
	struct ksancov_buf_desc mc = { 0, 0 };
	struct ksancov_trace *t;
	uint64_t v, n, before, after;
	int fd, fd2, all_kernel;
	pthread_t th;
	pid_t pid;
	int status;

	fd = open(DEV, O_RDWR);
	if (fd < 0 && errno == ENOENT) {
		TAP_OK(1, "no " DEV ": a kernel built without KCOV=1");
		return tap_done();
	}
	TAP_OK(fd >= 0, "open " DEV);
	if (fd < 0)
		return tap_done();
	tap_diag("ksancov: the coverage kernel\n");
	TAP_ERRNO(open(DEV, O_RDWR), EBUSY, "a second opener is refused");
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_START, &zero), EINVAL, "start without a buffer is EINVAL");
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_MAP, &mc), EINVAL, "map without a buffer is EINVAL");
	v = 0;
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_TRACE, &v), EINVAL, "a buffer of 0 PCs is EINVAL");
	v = KSANCOV_MAX_PCS + 1ULL;
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_TRACE, &v), EINVAL, "a buffer over the limit is EINVAL");
	v = 1ULL << 61;
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_TRACE, &v), EINVAL, "a huge buffer is EINVAL");
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_TRACE, (void *)8), EFAULT, "a bad argument is EFAULT");
	TAP_ERRNO(kioctl(fd, 0x4b63, NULL), ENOTTY, "an unknown command is ENOTTY");
	v = MAXPCS;
	TAP_SUCCEEDS(kioctl(fd, KSANCOV_IOC_TRACE, &v), "trace mode, 65536 PCs");
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_TRACE, &v), EBUSY, "a second buffer is EBUSY");
	TAP_SUCCEEDS(kioctl(fd, KSANCOV_IOC_MAP, &mc), "map the buffer");
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_MAP, &mc), EBUSY, "a second map is EBUSY");
	t = (struct ksancov_trace *)(uintptr_t)mc.ptr;
	TAP_OK(mc.ptr != 0 && mc.sz >= sizeof(*t) + MAXPCS * sizeof(uint64_t),
	    "the mapping holds the header and every entry");
	if (mc.ptr == 0)
		return tap_done();
	TAP_EQ(t->kt_hdr.kh_magic, KSANCOV_TRACE_MAGIC, "the header's magic");
	TAP_EQ(t->kt_maxent, MAXPCS, "the header's size");
	TAP_EQ(record(t), 0, "nothing is recorded before start");
	v = 1;
	TAP_ERRNO(kioctl(fd, KSANCOV_IOC_START, &v), EINVAL, "start with a nonzero argument is EINVAL");
	TAP_SUCCEEDS(kioctl(fd, KSANCOV_IOC_START, &zero), "start on this thread");
	n = record(t);
	TAP_OK(n > 100 && n <= MAXPCS, "system calls leave kernel PCs");
	n = n > MAXPCS ? MAXPCS : n;
	v = distinct(t, n, &all_kernel);
	tap_diag("ksancov: %llu entries, %llu distinct PCs\n", (unsigned long long)n,
	    (unsigned long long)v);
	TAP_OK(v > 20, "many distinct PCs");
	TAP_OK(all_kernel, "every entry is a kernel address");
	__atomic_store_n(&t->kt_head, 0, __ATOMIC_RELAXED);
	(void)getppid();
	TAP_EQ(t->kt_head, 0, "nothing is recorded while disabled");

	/* A lying header: the kernel keeps to its own bound. */
	t->kt_maxent = UINT64_MAX;
	__atomic_store_n(&t->kt_head, MAXPCS - 2, __ATOMIC_RELAXED);
	t->kt_hdr.kh_enabled = 1;
	(void)getppid();
	(void)getppid();
	t->kt_hdr.kh_enabled = 0;
	TAP_OK(t->kt_head > MAXPCS, "a full buffer drops PCs (and the process lives)");
	t->kt_maxent = MAXPCS;

	thread_fd = fd;
	pthread_create(&th, NULL, second_thread, NULL);
	pthread_join(th, NULL);
	TAP_EQ(thread_start_errno, EBUSY, "a second thread cannot start on the buffer");
	TAP_EQ(thread_stop_errno, EINVAL, "nor stop another thread's recording");
	TAP_SUCCEEDS(kioctl(fd, KSANCOV_IOC_STOP, &zero), "stop");
	TAP_EQ(record(t), 0, "nothing is recorded after stop");

	/* A child shares the mapping and records on its own thread. */
	pid = fork();
	if (pid == 0) {
		if (kioctl(fd, KSANCOV_IOC_START, &zero) != 0)
			_exit(1);
		_exit(record(t) > 100 ? 0 : 2);
	}
	TAP_OK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "a forked child records into the shared mapping");
	TAP_OK(t->kt_head > 100, "and the parent sees what it wrote");
	TAP_SUCCEEDS(kioctl(fd, KSANCOV_IOC_START, &zero), "the parent starts again once it ended");
	TAP_SUCCEEDS(close(fd), "close while recording");
	TAP_EQ(record(t), 0, "nothing is recorded after the close");
	TAP_EQ(t->kt_hdr.kh_magic, KSANCOV_TRACE_MAGIC, "the mapping stays readable");
	fd2 = open(DEV, O_RDWR);
	TAP_OK(fd2 >= 0, "the device opens again once closed");
	close(fd2);
	munmap(t, mc.sz);

	/* The buffers and their pages go with the descriptor and mapping. */
	(void)cycle(KSANCOV_MAX_PCS, 1);
	before = free_pages();
	int ok = 1;
	for (int i = 0; i < 8; i++)
		ok &= cycle(KSANCOV_MAX_PCS, 1);
	after = free_pages();
	TAP_OK(ok, "eight cycles of open, 8 MiB buffer, map, start, close");
	tap_ok(before <= after + 64, "their pages are freed", "free pages %llu before, %llu after",
	    (unsigned long long)before, (unsigned long long)after);
	return tap_done();
}
