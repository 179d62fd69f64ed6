/*
 * vm_unix.h - where the BSD layer meets Mach IPC (XNU's bsd/vm/vm_unix.c):
 * task ports handed out by pid, and who a task is in message trailers.
 */

#ifndef BSD_VM_VM_UNIX_H
#define BSD_VM_VM_UNIX_H

#include "bsd/sys/proc.h"

/*
 * set_security_token: tell p's task who p is (its pid and credential), for
 * the security and audit tokens of the messages it sends (task_set_tokens;
 * XNU's name). Called when p gets its pid and on every credential swap,
 * with p's credential lock held, so that two swaps reach the task in the
 * order they were made.
 */
void	set_security_token(proc_t p);

#endif /* BSD_VM_VM_UNIX_H */
