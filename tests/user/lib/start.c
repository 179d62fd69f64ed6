/*
 * start.c - process start for the user test programs: from the entry stack
 * to main() and back out through exit().
 */

#include "ulib.h"

char		**environ;
const uint64_t	*ulib_auxv;

void
ulib_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p != NULL)
		p++;
	environ = envp;
	ulib_auxv = (const uint64_t *)(p + 1);
	exit(main(argc, argv, envp));
}
