/*
 * ipc_init.h - starting Mach IPC.
 */

#ifndef MACH_IPC_IPC_INIT_H
#define MACH_IPC_IPC_INIT_H

/*
 * ipc_bootstrap: the IPC lock, the zones of ports, sets and spaces,
 * the kernel's pseudo-space and the host port. Once, after the
 * scheduler and before any task but kernel_task is made.
 */
void	ipc_bootstrap(void);

#endif /* MACH_IPC_IPC_INIT_H */
