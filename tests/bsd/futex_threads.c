/*
 * futex_threads.c - futex and signals between threads (pthreads, which
 * clone with CLONE_THREAD and CLONE_CHILD_CLEARTID): FUTEX_WAKE wakes a
 * thread waiting in FUTEX_WAIT and says how many it woke; pthread_join
 * returns (musl waits on the thread's tid word, which the thread's end
 * clears and wakes); a contended mutex keeps a count right; pthread_kill
 * runs the handler in the thread it names; a signal for the process goes
 * to a thread that does not block it. Where threads cannot be made the
 * checks are left out and the program says so.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define FUTEX_WAIT	0
#define FUTEX_WAKE	1

static uint32_t word;
static volatile long waiter_result = -2;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static volatile pthread_t handled_in;
static volatile int handled;

static long
futex(uint32_t *addr, int op, uint32_t val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void
nap(void)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static void *
waiter(void *arg)
{
	(void)arg;
	waiter_result = futex(&word, FUTEX_WAIT, 0);
	return NULL;
}

static void *
adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mtx);
		counter++;
		pthread_mutex_unlock(&mtx);
	}
	return NULL;
}

static void
on_usr1(int sig)
{
	(void)sig;
	handled_in = pthread_self();
	handled++;
}

static volatile int go_on;

static void *
idler(void *arg)
{
	sigset_t set;

	if (arg != NULL) {
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
	}
	while (!go_on)
		nap();
	return NULL;
}

int
main(void)
{
	pthread_t t, ts[4];
	long woken = 0;
	int r;

	r = pthread_create(&t, NULL, waiter, NULL);
	if (r != 0) {
		tap_diag("pthread_create: %s: no threads yet, checks left out\n", strerror(r));
		TAP_OK(1, "threads are not there yet: skipped");
		return tap_done();
	}
	for (int i = 0; i < 5000 && woken == 0; i++) {
		woken = futex(&word, FUTEX_WAKE, 1);
		if (woken == 0)
			nap();
	}
	TAP_EQ(woken, 1, "FUTEX_WAKE woke the waiting thread");
	TAP_EQ(pthread_join(t, NULL), 0, "pthread_join (the tid word cleared and woken)");
	TAP_EQ(waiter_result, 0, "its FUTEX_WAIT returned 0");

	for (int i = 0; i < 4; i++)
		pthread_create(&ts[i], NULL, adder, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(ts[i], NULL);
	TAP_EQ(counter, 80000, "a contended mutex keeps the count");

	signal(SIGUSR1, on_usr1);
	go_on = 0;
	pthread_create(&t, NULL, idler, NULL);
	handled = 0;
	TAP_EQ(pthread_kill(t, SIGUSR1), 0, "pthread_kill");
	for (int i = 0; i < 5000 && !handled; i++)
		nap();
	TAP_OK(handled == 1 && pthread_equal(handled_in, t), "the handler ran in that thread");
	go_on = 1;
	pthread_join(t, NULL);

	/* A signal for the process: the thread that does not block it takes it. */
	{
		sigset_t set;

		/* The thread starts with SIGUSR1 blocked: it inherits main's mask. */
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		go_on = 0;
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		pthread_create(&t, NULL, idler, (void *)1);	/* keeps it blocked */
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		handled = 0;
		kill(getpid(), SIGUSR1);
		for (int i = 0; i < 5000 && !handled; i++)
			nap();
		TAP_OK(handled == 1 && pthread_equal(handled_in, pthread_self()),
		    "a process signal goes to the thread that does not block it");
		/* Now main blocks it too, and unblocks: taken then. */
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		handled = 0;
		kill(getpid(), SIGUSR1);
		nap();
		TAP_EQ(handled, 0, "blocked by every thread, it waits");
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		TAP_EQ(handled, 1, "and runs when one unblocks it");
		go_on = 1;
		pthread_join(t, NULL);
	}
	return tap_done();
}
