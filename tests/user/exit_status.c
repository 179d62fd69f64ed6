/*
 * exit_status - exit with the status given as the first argument, or 42.
 *
 * Expect: exit status argv[1] (taken modulo 256 by the kernel, as wait(2)
 * reports it), or 42 with no argument. Nothing is printed.
 */

#include "lib/ulib.h"

#define DEFAULT_STATUS	42

int
main(int argc, char **argv, char **envp)
{
	(void)envp;
	return argc > 1 ? atoi(argv[1]) : DEFAULT_STATUS;
}
