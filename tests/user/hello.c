/*
 * hello - the first user-mode program: one line on standard output, exit 0.
 *
 * Expect: "hello from user mode" on fd 1, exit status 0.
 */

#include "lib/ulib.h"

int
main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	printf("hello from user mode\n");
	return 0;
}
