/*
 * proc_leaks.c - a process that exits with everything open leaves no
 * kernel memory behind: children that hold files, a directory, pipes,
 * anonymous and file mappings, a grown heap, a pending signal and a child
 * of their own end without closing anything, and every zone's count of
 * elements in use (sysctl vm.zones) comes back to where it was.
 *
 * One round is warm-up (caches such as the name cache fill once); then the
 * counts are taken, ROUNDS more rounds run, and they are taken again, each
 * time once the system has settled (settle()). A
 * leak of one element a round shows as a zone grown by ROUNDS; a zone may
 * differ by a little for reasons of its own (another kernel thread), so
 * the check allows a difference of SLACK elements and names every zone
 * that moved more.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "zone_counts.h"

#define ROUNDS		16
#define SLACK		2
/* What a child leaves open when it exits. */
static void
child(void)
{
	int p[2], q[2];
	char *anon, *file, *heap;
	int fd, dfd;

	fd = open("/etc/motd", O_RDONLY);
	dfd = open("/etc", O_RDONLY | O_DIRECTORY);
	(void)dup(fd);
	if (pipe(p) != 0 || pipe(q) != 0)
		_exit(2);
	(void)write(p[1], "unread", 6);
	anon = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon != MAP_FAILED)
		memset(anon, 1, 8 * 4096);
	file = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file != MAP_FAILED)
		(void)*(volatile char *)file;
	heap = sbrk(64 * 1024);
	if (heap != (void *)-1)
		memset(heap, 2, 64 * 1024);
	signal(SIGUSR1, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);			/* pending when it exits */
	if (fork() == 0)		/* a grandchild, reparented when we go */
		_exit(0);
	(void)dfd;
	_exit(0);
}

static int
round_once(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		child();
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

/*
 * Let the round's leftovers go: the orphans (init reaps them, when it gets
 * to it), then one plain fork and wait. Copy-on-write chains shorten at a
 * fork or fault once nobody else needs a level, and an orphan that was
 * still a zombie at the last fork kept its level then: this fork lets the
 * chains be what they would have been had init reaped at once.
 */
static void
settle(void)
{
	pid_t pid;

	usleep(200000);
	if ((pid = fork()) == 0)
		_exit(0);
	if (pid > 0)
		(void)waitpid(pid, NULL, 0);
	usleep(50000);
}

int
main(void)
{
	static struct zone_count before[ZONE_MAX], after[ZONE_MAX];
	int nb, na, ok = 1, failed = 0;

	TAP_EQ(round_once(), 0, "warm-up round");
	settle();
	nb = zone_counts(before);
	TAP_OK(nb > 0, "vm.zones read");
	for (int i = 0; i < ROUNDS; i++) {
		if (round_once() != 0)
			failed++;
	}
	TAP_EQ(failed, 0, "every round's child exited 0");
	settle();
	na = zone_counts(after);
	TAP_OK(na > 0, "vm.zones read again");
	for (int i = 0; i < na && nb > 0; i++) {
		int64_t was = 0;

		for (int j = 0; j < nb; j++) {
			if (strcmp(before[j].name, after[i].name) == 0) {
				was = (int64_t)before[j].inuse;
				break;
			}
		}
		if ((int64_t)after[i].inuse - was > SLACK) {
			tap_diag("zone %s: %lld elements in use before, %lld after %d rounds\n",
			    after[i].name, (long long)was, (long long)after[i].inuse, ROUNDS);
			ok = 0;
		}
	}
	TAP_OK(ok, "no zone grew with the rounds");
	return tap_done();
}
