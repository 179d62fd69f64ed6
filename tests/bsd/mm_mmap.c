/*
 * mm_mmap.c - mmap, munmap, mprotect, madvise and msync on anonymous
 * memory: placement (anywhere, hint, MAP_FIXED, MAP_FIXED_NOREPLACE),
 * zero fill, protections and SIGSEGV on PROT_NONE, the maximum
 * protection, MADV_DONTNEED zeroing, and the errors.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG 4096

static sigjmp_buf env;
static volatile int segv, armed;
static volatile uintptr_t segv_addr;

static void
on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	segv++;
	segv_addr = (uintptr_t)si->si_addr;
	if (!armed) {
		tap_printf("# unexpected SIGSEGV at %p\n", si->si_addr);
		_exit(99);
	}
	armed = 0;
	siglongjmp(env, 1);
}

/* Does touching p (reading, or writing if write) fault? */
static int
faults(volatile char *p, int write)
{
	segv = 0;
	if (sigsetjmp(env, 1) == 0) {
		armed = 1;
		if (write)
			*p = 1;
		else
			(void)*p;
	}
	armed = 0;
	return segv != 0;
}

static void *
anon(void *hint, size_t len, int prot, int flags)
{
	return mmap(hint, len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

int
main(void)
{
	struct sigaction sa;
	char *a, *b, *c;
	int zero = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);

	a = anon(NULL, 8 * PG, PROT_READ | PROT_WRITE, 0);
	TAP_OK(a != MAP_FAILED, "mmap anonymous, anywhere");
	TAP_EQ((uintptr_t)a % PG, 0, "page-aligned");
	for (int i = 0; i < 8 * PG; i++)
		if (a[i] != 0)
			zero = 0;
	TAP_OK(zero, "zero-filled");
	memset(a, 0x5a, 8 * PG);
	TAP_EQ(a[8 * PG - 1], 0x5a, "writable");

	/* mprotect: read-only, none, back. */
	TAP_SUCCEEDS(mprotect(a + PG, PG, PROT_READ), "mprotect one page read-only");
	TAP_OK(!faults(a + PG, 0), "it can be read");
	TAP_OK(faults(a + PG + 5, 1), "a write to it faults");
	TAP_EQ(segv_addr, (uintptr_t)(a + PG + 5), "at the address written");
	TAP_OK(!faults(a, 1) && !faults(a + 2 * PG, 1), "its neighbours stay writable");
	TAP_SUCCEEDS(mprotect(a + PG, PG, PROT_NONE), "mprotect PROT_NONE");
	TAP_OK(faults(a + PG, 0), "PROT_NONE: a read faults");
	TAP_SUCCEEDS(mprotect(a + PG, PG, PROT_READ | PROT_WRITE), "mprotect back to read-write");
	TAP_OK(!faults(a + PG, 1) && a[PG + 1] == 0x5a, "the contents are still there");

	/* munmap a hole. */
	TAP_SUCCEEDS(munmap(a + 3 * PG, PG), "munmap one page in the middle");
	TAP_OK(faults(a + 3 * PG, 0), "it is gone");
	TAP_OK(!faults(a + 4 * PG, 0), "the rest stays");
	c = anon(NULL, 3 * PG, PROT_READ | PROT_WRITE, 0);
	munmap(c + PG, PG);
	TAP_ERRNO(mprotect(c, 3 * PG, PROT_READ), ENOMEM, "mprotect over a hole is ENOMEM");
	munmap(c, 3 * PG);
	TAP_SUCCEEDS(munmap(a + 3 * PG, PG), "munmap of nothing mapped succeeds");

	/* MAP_FIXED into the hole; MAP_FIXED_NOREPLACE refuses a used range. */
	b = anon(a + 3 * PG, PG, PROT_READ | PROT_WRITE, MAP_FIXED);
	TAP_OK(b == a + 3 * PG, "MAP_FIXED maps exactly there");
	TAP_EQ(b[0], 0, "fresh memory");
	b = anon(a, PG, PROT_READ | PROT_WRITE, MAP_FIXED);
	TAP_OK(b == a && a[0] == 0, "MAP_FIXED over a mapping replaces it");
	TAP_ERRNO((long)anon(a, PG, PROT_READ, MAP_FIXED_NOREPLACE), EEXIST,
	    "MAP_FIXED_NOREPLACE over a mapping is EEXIST");
	TAP_ERRNO((long)anon(a + 1, PG, PROT_READ, MAP_FIXED), EINVAL, "MAP_FIXED unaligned is EINVAL");

	/* A hint: taken if free. */
	c = anon((void *)0x500000000000ULL, PG, PROT_READ | PROT_WRITE, 0);
	TAP_OK(c == (void *)0x500000000000ULL, "a free hint is taken");
	b = anon(c, PG, PROT_READ | PROT_WRITE, 0);
	TAP_OK(b != MAP_FAILED && b != c, "a used hint is not");
	munmap(b, PG);
	munmap(c, PG);

	/* MADV_DONTNEED: private anonymous memory reads back as zeros. */
	memset(a, 0x77, 2 * PG);
	a[2 * PG] = 0x33;
	TAP_SUCCEEDS(madvise(a, 2 * PG, MADV_DONTNEED), "madvise(MADV_DONTNEED)");
	TAP_OK(a[0] == 0 && a[2 * PG - 1] == 0, "the range reads back as zeros");
	TAP_EQ(a[2 * PG], 0x33, "the page after it is untouched");
	TAP_SUCCEEDS(madvise(a, PG, MADV_WILLNEED), "madvise(MADV_WILLNEED) is accepted");
	TAP_ERRNO(madvise(a + 1, PG, MADV_DONTNEED), EINVAL, "madvise unaligned is EINVAL");
	TAP_ERRNO(madvise(a, PG, 12345), EINVAL, "madvise with bad advice is EINVAL");
	TAP_SUCCEEDS(msync(a, PG, MS_SYNC), "msync");
	TAP_ERRNO(msync(a, PG, MS_SYNC | MS_ASYNC), EINVAL, "msync(MS_SYNC | MS_ASYNC) is EINVAL");
	TAP_ERRNO(msync((void *)0x600000000000ULL, PG, MS_SYNC), ENOMEM, "msync of unmapped memory is ENOMEM");

	/* Errors. */
	TAP_ERRNO((long)anon(NULL, 0, PROT_READ, 0), EINVAL, "mmap of length 0 is EINVAL");
	TAP_ERRNO((long)mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL,
	    "mmap without MAP_PRIVATE or MAP_SHARED is EINVAL");
	TAP_ERRNO((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1), EINVAL,
	    "mmap at an unaligned offset is EINVAL");
	TAP_ERRNO((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 12345, 0), EBADF,
	    "mmap of a bad descriptor is EBADF");
	TAP_ERRNO((long)anon(NULL, (size_t)1 << 47, PROT_READ, MAP_NORESERVE), ENOMEM,
	    "mmap of more than the address space is ENOMEM");
	TAP_ERRNO((long)anon((void *)0x7ffffffff000ULL, 2 * PG, PROT_READ, MAP_FIXED), ENOMEM,
	    "MAP_FIXED past the end of user space is ENOMEM");
	TAP_ERRNO(munmap(a + 1, PG), EINVAL, "munmap unaligned is EINVAL");
	TAP_ERRNO(munmap(a, 0), EINVAL, "munmap of length 0 is EINVAL");
	TAP_ERRNO(munmap((void *)0xffff800000000000ULL, PG), EINVAL, "munmap of the kernel is EINVAL");
	TAP_ERRNO(syscall(SYS_mprotect, a + 1, PG, PROT_READ), EINVAL, "mprotect unaligned is EINVAL");
	TAP_ERRNO(mprotect(a, PG, 0x100), EINVAL, "mprotect with a bad protection is EINVAL");
	TAP_SUCCEEDS(mprotect(a, 0, PROT_READ), "mprotect of length 0");

	/* Big and sparse: MAP_NORESERVE, only touched pages cost. */
	c = anon(NULL, (size_t)1 << 32, PROT_READ | PROT_WRITE, MAP_NORESERVE);
	TAP_OK(c != MAP_FAILED, "mmap 4 GiB MAP_NORESERVE");
	if (c != MAP_FAILED) {
		c[0] = 1;
		c[((size_t)1 << 32) - 1] = 2;
		TAP_OK(c[0] == 1 && c[((size_t)1 << 32) - 1] == 2, "its ends are usable");
		TAP_SUCCEEDS(munmap(c, (size_t)1 << 32), "and unmapped");
	}
	TAP_SUCCEEDS(munmap(a, 8 * PG), "munmap the lot");
	TAP_OK(faults(a + 2 * PG, 0), "gone");
	return tap_done();
}
