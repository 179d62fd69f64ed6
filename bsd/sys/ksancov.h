/*
 * ksancov.h - the kernel coverage device's interface, shared by the kernel
 * and user space (installed as <sys/ksancov.h>; docs/fuzzing.md).
 *
 * A kernel built with KCOV=1 is compiled with gcc's
 * -fsanitize-coverage=trace-pc and has a character device, /dev/ksancov
 * (XNU's name and shape), through which a thread has the program counters
 * of the kernel code it runs written into a buffer its process has mapped:
 *
 *	fd = open("/dev/ksancov", O_RDWR);
 *	uint64_t maxpcs = 65536;
 *	ioctl(fd, KSANCOV_IOC_TRACE, &maxpcs);		a buffer of maxpcs PCs
 *	struct ksancov_buf_desc mc = { 0 };
 *	ioctl(fd, KSANCOV_IOC_MAP, &mc);		mapped at mc.ptr, mc.sz bytes
 *	struct ksancov_trace *t = (void *)mc.ptr;
 *	ioctl(fd, KSANCOV_IOC_START, &zero);		the calling thread records
 *	t->kt_head = 0; t->kt_hdr.kh_enabled = 1;
 *	... system calls ...
 *	t->kt_hdr.kh_enabled = 0;
 *	for (i = 0; i < min(t->kt_head, t->kt_maxent); i++) t->kt_entries[i] ...
 *
 * Layout of the mapped buffer: struct ksancov_trace, then kt_maxent
 * entries. The kernel writes kt_entries and advances kt_head; user space
 * sets kh_enabled and resets kt_head. The kernel never trusts the mapped
 * header: the bound it writes within is its own copy of kt_maxent.
 *
 * The device has one opener at a time (EBUSY), the opener's children
 * sharing its descriptor; a mapping of the buffer is shared with the
 * children a fork makes (VM_INHERIT_SHARE), so that a fuzzer's parent can
 * map it once and each child start recording on its own thread.
 */

#ifndef BSD_SYS_KSANCOV_H
#define BSD_SYS_KSANCOV_H

#include <stdint.h>

/* Linux's _IOC encoding, which the ioctl system call reads sizes from. */
#define KSANCOV_IOC(dir, nr, size) \
	((unsigned long)(((dir) << 30) | ((size) << 16) | ('K' << 8) | (nr)))
#define KSANCOV_IOC_W		1u
#define KSANCOV_IOC_R		2u

/* Choose trace mode with a buffer of *(uint64_t *)arg program counters. */
#define KSANCOV_IOC_TRACE	KSANCOV_IOC(KSANCOV_IOC_W, 1, 8u)
/* Map the buffer into the caller: struct ksancov_buf_desc, filled in. */
#define KSANCOV_IOC_MAP		KSANCOV_IOC(KSANCOV_IOC_W | KSANCOV_IOC_R, 8, 16u)
/* Record the calling thread (the argument, a uint64_t, must be 0). */
#define KSANCOV_IOC_START	KSANCOV_IOC(KSANCOV_IOC_W, 10, 8u)
/* Stop recording the calling thread (the argument must be 0). */
#define KSANCOV_IOC_STOP	KSANCOV_IOC(KSANCOV_IOC_W, 11, 8u)

/* The most program counters a buffer holds (8 MiB of them). */
#define KSANCOV_MAX_PCS		(1u << 20)

#define KSANCOV_TRACE_MAGIC	0x4b434f56u	/* "KCOV" */

struct ksancov_buf_desc {
	uint64_t	ptr;		/* out: where the buffer is mapped */
	uint64_t	sz;		/* out: its size in bytes */
};

struct ksancov_header {
	uint32_t	kh_magic;	/* KSANCOV_TRACE_MAGIC */
	uint32_t	kh_enabled;	/* user: nonzero to record */
};

struct ksancov_trace {
	struct ksancov_header	kt_hdr;
	uint64_t		kt_maxent;	/* entries the buffer holds */
	uint64_t		kt_head;	/* entries written (may pass kt_maxent:
						   those past it were dropped) */
	uint64_t		kt_reserved;
	uint64_t		kt_entries[];	/* kernel program counters */
};

#endif /* BSD_SYS_KSANCOV_H */
