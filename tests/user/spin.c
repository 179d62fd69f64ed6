/*
 * spin - say so, then run user code forever without a system call: the
 * test of preemption, of killing a busy process, and of time accounting.
 *
 * Expect: "spin: spinning" on fd 1, then never exits by itself.
 */

#include "lib/ulib.h"

static volatile uint64_t spins;

int
main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	printf("spin: spinning\n");
	for (;;)
		spins++;
}
