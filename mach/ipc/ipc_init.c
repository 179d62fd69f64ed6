/*
 * ipc_init.c - starting Mach IPC (ipc_init.h).
 */

#include "mach/ipc/ipc_init.h"

#include "mach/ipc/ipc_kmsg.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_pset.h"
#include "mach/ipc/ipc_space.h"
#include "mach/ipc/ipc_tt.h"

void
ipc_bootstrap(void)
{
	ipc_lock_init();
	ipc_kmsg_init();
	ipc_port_init();
	ipc_pset_init();
	ipc_space_init();
	ipc_host_init();
}
