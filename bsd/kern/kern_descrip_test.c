/*
 * kern_descrip_test.c - descriptor tables: lowest-first allocation, dup
 * and dup2 sharing one open file, close-on-exec, fork's copy, the limit,
 * and files closed exactly once when the last descriptor goes.
 */

#include "bsd/sys/filedesc.h"

#include "bsd/kern/kern_exec.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/proc_internal.h"
#include "bsd/sys/sysproto.h"
#include "libkern/panic.h"
#include "mach/kern/task.h"
#include "tests/ktest.h"

static int closes;

static int
test_close(struct fileglob *fg, vfs_context_t ctx)
{
	(void)fg;
	(void)ctx;
	closes++;
	return 0;
}

static const struct fileops testfileops = {
	.fo_type = DTYPE_VNODE,
	.fo_close = test_close,
};

/* A process (with the console at 0, 1, 2) on a task of its own. */
static proc_t
new_proc(void)
{
	task_t task;
	proc_t p;

	if (task_create_internal(kernel_task, FALSE, &task) != KERN_SUCCESS ||
	    (p = exec_proc_create(task, "fdtest")) == PROC_NULL)
		panic("kern_descrip_test: no memory for a process");
	task_deallocate(task);		/* the process holds the task */
	return p;
}

static int
new_file(proc_t p)
{
	struct fileproc *fp;
	int fd;

	if (!KT_EXPECT_EQ(falloc(p, &testfileops, NULL, FREAD | FWRITE, &fp, &fd,
	    vfs_context_kernel()), 0))
		return -1;
	(void)fp_drop(p, fd, fp, 0);
	return fd;
}

KTEST(descrip, descriptors_are_allocated_lowest_first)
{
	proc_t p = new_proc();
	int64_t r;

	KT_EXPECT_EQ(fd_count(p), 3);			/* the console's 0, 1, 2 */
	KT_EXPECT_EQ(new_file(p), 3);
	KT_EXPECT_EQ(new_file(p), 4);
	KT_EXPECT_EQ(close(p, &(struct close_args){ 3 }, &r), 0);
	KT_EXPECT_EQ(new_file(p), 3);			/* the hole is reused */
	KT_EXPECT_EQ(close(p, &(struct close_args){ 3 }, &r), 0);
	KT_EXPECT_EQ(close(p, &(struct close_args){ 3 }, &r), EBADF);
	KT_EXPECT_EQ(close(p, &(struct close_args){ (uint64_t)-1 }, &r), EBADF);
	KT_EXPECT_EQ(close(p, &(struct close_args){ 1000000 }, &r), EBADF);
	proc_free(p);
}

KTEST(descrip, dup_shares_one_open_and_the_last_close_closes_it)
{
	proc_t p = new_proc();
	int fd, before = closes;
	int64_t r, d, d2;
	struct fileproc *a, *b;

	fd = new_file(p);
	KT_EXPECT_EQ(dup(p, &(struct dup_args){ (uint64_t)fd }, &d), 0);
	KT_EXPECT_EQ(dup2(p, &(struct dup2_args){ (uint64_t)fd, 10 }, &d2), 0);
	KT_EXPECT_EQ(d2, 10);
	KT_EXPECT_EQ(fp_lookup(p, fd, &a, 0), 0);
	KT_EXPECT_EQ(fp_lookup(p, (int)d, &b, 0), 0);
	KT_EXPECT_EQ(a->fp_glob, b->fp_glob);		/* one open, three descriptors */
	KT_EXPECT_EQ(a->fp_glob->fg_count, 3);
	(void)fp_drop(p, fd, a, 0);
	(void)fp_drop(p, (int)d, b, 0);
	KT_EXPECT_EQ(close(p, &(struct close_args){ (uint64_t)fd }, &r), 0);
	KT_EXPECT_EQ(close(p, &(struct close_args){ (uint64_t)d }, &r), 0);
	KT_EXPECT_EQ(closes, before);			/* 10 still holds it */
	/* dup2 over an open descriptor closes what it held. */
	KT_EXPECT_EQ(dup2(p, &(struct dup2_args){ 0, 10 }, &d2), 0);
	KT_EXPECT_EQ(closes, before + 1);
	KT_EXPECT_EQ(dup2(p, &(struct dup2_args){ 55, 11 }, &d2), EBADF);
	KT_EXPECT_EQ(dup3(p, &(struct dup3_args){ 0, 0, 0 }, &d2), EINVAL);
	KT_EXPECT_EQ(dup3(p, &(struct dup3_args){ 0, 12, 0x1 }, &d2), EINVAL);
	proc_free(p);
}

KTEST(descrip, fcntl_flags_and_close_on_exec)
{
	proc_t p = new_proc();
	int fd = new_file(p), before;
	int64_t r, d;

	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, F_GETFD, 0 }, &r), 0);
	KT_EXPECT_EQ(r, 0);
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, F_SETFD, FD_CLOEXEC }, &r), 0);
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, F_GETFD, 0 }, &r), 0);
	KT_EXPECT_EQ(r, FD_CLOEXEC);
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, F_GETFL, 0 }, &r), 0);
	KT_EXPECT_EQ(r, O_RDWR);
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, F_SETFL,
	    O_NONBLOCK | O_APPEND | O_RDONLY }, &r), 0);
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, F_GETFL, 0 }, &r), 0);
	KT_EXPECT_EQ(r, O_RDWR | O_NONBLOCK | O_APPEND);	/* access mode unchanged */
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, F_DUPFD, 20 }, &d), 0);
	KT_EXPECT_EQ(d, 20);
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, F_DUPFD_CLOEXEC, 20 }, &d), 0);
	KT_EXPECT_EQ(d, 21);
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ 99, F_GETFD, 0 }, &r), EBADF);
	KT_EXPECT_EQ(fcntl(p, &(struct fcntl_args){ (uint64_t)fd, 12345, 0 }, &r), EINVAL);
	/* exec closes fd and 21, keeps 20 and the console. */
	before = closes;
	fdexec(p);
	KT_EXPECT_EQ(fd_count(p), 4);
	KT_EXPECT_EQ(closes, before);			/* 20 still holds the open */
	KT_EXPECT_EQ(close(p, &(struct close_args){ 20 }, &r), 0);
	KT_EXPECT_EQ(closes, before + 1);
	proc_free(p);
}

KTEST(descrip, fork_copies_the_table_and_shares_the_opens)
{
	proc_t parent = new_proc(), child;
	task_t task;
	int fd = new_file(parent), before = closes;
	int64_t r;

	KT_ASSERT_EQ(task_create_internal(kernel_task, FALSE, &task), KERN_SUCCESS);
	child = proc_create(task, parent);
	task_deallocate(task);
	KT_ASSERT_TRUE(child != PROC_NULL);
	KT_EXPECT_EQ(fdcopy(child, parent), 0);
	KT_EXPECT_EQ(fd_count(child), 4);
	KT_EXPECT_EQ(close(parent, &(struct close_args){ (uint64_t)fd }, &r), 0);
	KT_EXPECT_EQ(closes, before);			/* the child's still holds it */
	proc_free(child);				/* its table goes with it */
	KT_EXPECT_EQ(closes, before + 1);
	proc_free(parent);
}

KTEST(descrip, the_descriptor_limit_is_enforced)
{
	proc_t p = new_proc();
	struct fileproc *fp;
	int fd, n = 0;

	p->p_rlimit[RLIMIT_NOFILE].rlim_cur = 8;
	while (falloc(p, &testfileops, NULL, FREAD, &fp, &fd, vfs_context_kernel()) == 0) {
		(void)fp_drop(p, fd, fp, 0);
		n++;
	}
	KT_EXPECT_EQ(n, 5);				/* 3 to 7 */
	KT_EXPECT_EQ(falloc(p, &testfileops, NULL, FREAD, &fp, &fd, vfs_context_kernel()),
	    EMFILE);
	proc_free(p);
}
