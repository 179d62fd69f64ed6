/*
 * vm_unix.h - where the BSD layer meets Mach IPC (XNU's bsd/vm/vm_unix.c):
 * task ports handed out by pid, and who a task is in message trailers.
 */

#ifndef BSD_VM_VM_UNIX_H
#define BSD_VM_VM_UNIX_H

/* vm_unix_init: tell Mach IPC how to name a task's sender in trailers. */
void	vm_unix_init(void);

#endif /* BSD_VM_VM_UNIX_H */
