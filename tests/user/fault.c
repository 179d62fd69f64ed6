/*
 * fault - touch memory the program may not touch, and die of it.
 *
 *	fault [null | kernel | noncanonical | write-text]
 *
 *	null		read address 0x8 (the never-mapped first page): a page fault
 *	kernel		read the kernel's first page, 0xffffffff80000000: a
 *			protection fault from user mode
 *	noncanonical	read 0x8000000000000000: a general-protection fault
 *	write-text	write into this program's own code: a protection fault
 *
 * Expect: the program dies of EXC_BAD_ACCESS (SIGSEGV on Linux) after
 * printing "fault: <mode> at <address>". If it survives it says so and
 * exits 1; a mode it does not know exits 2.
 */

#include "lib/ulib.h"

/* Through a volatile variable, so the compiler cannot see (and optimise away) the fault. */
static volatile uintptr_t target;

static void
touch_read(void)
{
	(void)*(volatile const uint64_t *)target;
}

static void
touch_write(void)
{
	*(volatile uint8_t *)target = 0xcc;
}

int
main(int argc, char **argv, char **envp)
{
	const char *mode = argc > 1 ? argv[1] : "null";

	(void)envp;
	if (strcmp(mode, "null") == 0)
		target = 0x8;
	else if (strcmp(mode, "kernel") == 0)
		target = 0xffffffff80000000UL;
	else if (strcmp(mode, "noncanonical") == 0)
		target = 0x8000000000000000UL;
	else if (strcmp(mode, "write-text") == 0)
		target = (uintptr_t)&main;
	else {
		dprintf(2, "fault: unknown mode '%s' (null, kernel, noncanonical, write-text)\n",
		    mode);
		return 2;
	}
	printf("fault: %s at %p\n", mode, (void *)target);
	if (strcmp(mode, "write-text") == 0)
		touch_write();
	else
		touch_read();
	printf("fault: survived\n");
	return 1;
}
