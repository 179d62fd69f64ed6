/*
 * proc_threads.c - threads (clone with CLONE_THREAD, as musl's
 * pthread_create makes them): they share the process's memory and pid,
 * each has its own thread id, stack and thread-local storage, and
 * pthread_join sees them end (CLONE_CHILD_CLEARTID and its futex wake);
 * a process with threads forks, and exit_group ends every thread; exec,
 * from the main thread or another, leaves the new program alone. The
 * flag rules: CLONE_THREAD without CLONE_SIGHAND, or CLONE_SIGHAND
 * without CLONE_VM, is EINVAL.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define NTHREADS	4

static int counter;
static __thread int mine = 100;
static pid_t tids[NTHREADS];

static void *
worker(void *arg)
{
	int n = (int)(intptr_t)arg;

	tids[n] = (pid_t)syscall(SYS_gettid);
	mine = n;			/* each its own */
	for (int i = 0; i < 1000; i++)
		__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
	return (void *)(intptr_t)(mine + 10);
}

static void *
spinner(void *arg)
{
	(void)arg;
	for (;;)
		sched_yield();
	return NULL;
}

static void *
getpid_worker(void *arg)
{
	return (void *)(intptr_t)(getpid() == *(pid_t *)arg);
}

static char *self;

/* A thread that execs: the other threads end, the new program runs alone. */
static void *
exec_worker(void *arg)
{
	char *argv[] = { self, "execd", NULL };

	(void)arg;
	execve(self, argv, NULL);
	_exit(99);
}

int
main(int argc, char **argv)
{
	pthread_t t[NTHREADS];
	pid_t me = getpid(), pid;
	void *ret;
	int ok = 1, status = -1;

	self = argv[0];
	if (argc > 1 && strcmp(argv[1], "quiet") == 0)
		close(1);		/* the kernel tier runs it for its status alone */
	else if (argc > 1)
		return strcmp(argv[1], "execd") == 0 ? 0 : 1;

	for (int i = 0; i < NTHREADS; i++)
		ok &= pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0;
	TAP_OK(ok, "pthread_create, four times");
	for (int i = 0; i < NTHREADS; i++) {
		ok &= pthread_join(t[i], &ret) == 0;
		ok &= (intptr_t)ret == i + 10;
	}
	TAP_OK(ok, "pthread_join gets each thread's own value (its own TLS)");
	TAP_EQ(counter, NTHREADS * 1000, "the threads share memory");
	TAP_EQ(mine, 100, "the main thread's TLS is its own");
	ok = 1;
	for (int i = 0; i < NTHREADS; i++) {
		ok &= tids[i] > 0 && tids[i] != syscall(SYS_gettid);
		for (int j = 0; j < i; j++)
			ok &= tids[i] != tids[j];
	}
	TAP_OK(ok, "every thread has a thread id of its own");
	{
		pthread_t g;

		TAP_OK(pthread_create(&g, NULL, getpid_worker, &me) == 0 &&
		    pthread_join(g, &ret) == 0 && ret == (void *)1, "a thread's getpid is the process's");
	}

	/* A process with a thread forks: the child has one thread, and exits. */
	{
		pthread_t s;

		TAP_OK(pthread_create(&s, NULL, spinner, NULL) == 0, "a thread that never ends");
		pid = fork();
		if (pid == 0)
			_exit(counter == NTHREADS * 1000 ? 3 : 4);
		TAP_EQ(waitpid(pid, &status, 0), pid, "fork in a process with threads");
		TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "the child has the memory");
	}

	/* exit_group ends every thread: a child with a spinning thread exits. */
	pid = fork();
	if (pid == 0) {
		pthread_t s;

		if (pthread_create(&s, NULL, spinner, NULL) != 0)
			_exit(1);
		_exit(5);
	}
	TAP_EQ(waitpid(pid, &status, 0), pid, "a process with a spinning thread exits");
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 5, "with its status");

	/* exec in a process with threads, from the main thread and from another. */
	for (int from_thread = 0; from_thread < 2; from_thread++) {
		pid = fork();
		if (pid == 0) {
			pthread_t s, e;

			if (pthread_create(&s, NULL, spinner, NULL) != 0)
				_exit(1);
			if (from_thread) {
				if (pthread_create(&e, NULL, exec_worker, NULL) != 0)
					_exit(2);
				for (;;)
					sched_yield();
			}
			exec_worker(NULL);
		}
		TAP_EQ(waitpid(pid, &status, 0), pid, from_thread ? "exec from a second thread" :
		    "exec from the main thread, another one spinning");
		TAP_EQ(status, 0, "the new program ran alone and exited 0");
	}

	TAP_ERRNO(syscall(SYS_clone, CLONE_THREAD | CLONE_VM | SIGCHLD, 0, 0, 0, 0), EINVAL,
	    "CLONE_THREAD without CLONE_SIGHAND: EINVAL");
	TAP_ERRNO(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0), EINVAL,
	    "CLONE_SIGHAND without CLONE_VM: EINVAL");
	return tap_done();
}
