/*
 * kconsole.h - the kernel console: a small command line on the console,
 * for the time before there is a user space and a shell to run. `help`
 * lists the commands.
 */

#ifndef KERNEL_KCONSOLE_H
#define KERNEL_KCONSOLE_H

#include "libkern/cdefs.h"

void	kconsole_main(void) __dead2;

/*
 * kconsole_execute: run one command line; returns 0, or -1 if the command
 * is unknown. Exposed for the tests.
 */
int	kconsole_execute(char *line);

#endif /* KERNEL_KCONSOLE_H */
