/*
 * aslr.c - user address-space layout randomisation (bsd/kern/kern_aslr.h):
 * each exec puts the stack, the mmap area and a static PIE's image
 * somewhere new, within their ranges; fork keeps the parent's layout.
 *
 * This program is built as a static PIE (tests/bsd/files.mk), so that its
 * own text moves too. It runs itself again ("layout") to see where a
 * fresh exec put things, a few times over, and compares.
 *
 * Booted with -disable_aslr (the boot tier runs it so, as init), every
 * run must find the fixed layout instead: the stack ending at USRSTACK64,
 * the first mapping at MMAP_BASE, the image at ELF_PIE_BASE.
 */

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define SELF		"/usr/tests/bsd/aslr"
#define RUNS		6

/* The kernel's constants (kernel/x86_64/vm_param.h, kern_aslr.h, elf_loader.h). */
#define USRSTACK64	0x00007ffeefc00000ULL
#define MMAP_BASE	0x00007f0000000000ULL
#define ELF_PIE_BASE	0x0000555555554000ULL
#define STACK_RANGE	((1ULL << 16) * 4096)
#define MMAP_RANGE	((1ULL << 24) * 4096)
#define PIE_RANGE	((1ULL << 24) * 4096)
#define STACK_MAX	(64ULL << 20)	/* MAXSSIZ: the most a stack may be */

struct layout {
	uint64_t	stack;		/* a local of main's */
	uint64_t	map;		/* the first anonymous mmap */
	uint64_t	text;		/* main itself */
};

static struct layout
here(void)
{
	volatile int local = 0;
	struct layout l;
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	l.stack = (uint64_t)(uintptr_t)&local;
	l.map = m == MAP_FAILED ? 0 : (uint64_t)(uintptr_t)m;
	l.text = (uint64_t)(uintptr_t)&here;
	return l;
}

/* Run SELF layout; its answer in *out. 0 on success. */
static int
exec_layout(struct layout *out)
{
	char *argv[] = { SELF, "layout", NULL };
	char buf[128];
	int fd[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fd) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(SELF, argv);
		_exit(127);
	}
	close(fd[1]);
	while (got < (ssize_t)sizeof(buf) - 1 &&
	    (n = read(fd[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return sscanf(buf, "%lx %lx %lx", (unsigned long *)&out->stack,
	    (unsigned long *)&out->map, (unsigned long *)&out->text) == 3 ? 0 : -1;
}

static int
booted_without_aslr(void)
{
	char line[1024];
	size_t len = sizeof(line);

	if (sysctlbyname("kern.bootargs", line, &len, NULL, 0) != 0)
		return 0;
	line[sizeof(line) - 1] = '\0';
	for (char *w = strtok(line, " "); w != NULL; w = strtok(NULL, " ")) {
		if (strcmp(w, "-disable_aslr") == 0)
			return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct layout l[RUNS], mine, child;
	int ok = 1, fixed = booted_without_aslr();
	int stacks = 1, maps = 1, texts = 1;
	int fd[2], status;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "layout") == 0) {
		mine = here();
		printf("%lx %lx %lx\n", (unsigned long)mine.stack, (unsigned long)mine.map,
		    (unsigned long)mine.text);
		return 0;
	}
	tap_diag("booted %s -disable_aslr\n", fixed ? "with" : "without");

	for (int i = 0; i < RUNS; i++) {
		if (exec_layout(&l[i]) != 0) {
			ok = 0;
			break;
		}
		tap_diag("run %d: stack 0x%lx, mmap 0x%lx, text 0x%lx\n", i,
		    (unsigned long)l[i].stack, (unsigned long)l[i].map, (unsigned long)l[i].text);
	}
	TAP_OK(ok, "the program runs itself and reports its layout");
	if (!ok)
		return tap_done();

	/* Each address within its range, whatever the slide. */
	for (int i = 0; i < RUNS; i++) {
		ok &= l[i].stack < USRSTACK64 && l[i].stack > USRSTACK64 - STACK_RANGE - STACK_MAX;
		ok &= l[i].map >= MMAP_BASE - MMAP_RANGE && l[i].map < MMAP_BASE + (1ULL << 30);
		ok &= l[i].text >= ELF_PIE_BASE && l[i].text < ELF_PIE_BASE + PIE_RANGE + (1ULL << 30);
	}
	TAP_OK(ok, "the stack, the mmap area and the image lie within their ranges");

	for (int i = 1; i < RUNS; i++) {
		int s = 1, m = 1, t = 1;

		for (int j = 0; j < i; j++) {
			s &= l[i].stack != l[j].stack;
			m &= l[i].map != l[j].map;
			t &= l[i].text != l[j].text;
		}
		stacks += s;
		maps += m;
		texts += t;
	}
	if (fixed) {
		TAP_EQ(stacks + maps + texts, 3, "without ASLR every exec gets the same layout");
		TAP_OK(l[0].stack < USRSTACK64 && l[0].stack > USRSTACK64 - (1ULL << 20),
		    "the stack ends at USRSTACK64");
		TAP_EQ(l[0].map, MMAP_BASE, "the first mapping is at MMAP_BASE");
		TAP_OK(l[0].text - ELF_PIE_BASE < (16ULL << 20), "the image is at ELF_PIE_BASE");
	} else {
		/*
		 * Two of six equal draws out of 2^16 stack positions happen once
		 * in about 4,000 runs: so at least half must differ, which fails
		 * only if ASLR is off.
		 */
		TAP_OK(stacks >= RUNS / 2, "the stack moves from exec to exec");
		TAP_OK(maps >= RUNS / 2, "the mmap area moves from exec to exec");
		TAP_OK(texts >= RUNS / 2, "a static PIE's image moves from exec to exec");
	}

	/* fork keeps the layout: the child maps where the parent would. */
	mine = here();
	munmap((void *)(uintptr_t)mine.map, 4096);
	if (pipe(fd) != 0)
		return tap_done();
	pid = fork();
	if (pid == 0) {
		child = here();
		_exit(write(fd[1], &child, sizeof(child)) == sizeof(child) ? 0 : 1);
	}
	close(fd[1]);
	memset(&child, 0, sizeof(child));
	ok = read(fd[0], &child, sizeof(child)) == sizeof(child);
	close(fd[0]);
	ok &= waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	TAP_OK(ok && child.text == mine.text && child.map == mine.map,
	    "a forked child keeps its parent's layout");
	return tap_done();
}
