/*
 * ipc_mig.h - what the kernel's generated interface servers call: forced
 * into each of them at compile time (mach/ipc/files.mk), so that the
 * generated code needs no includes of its own beyond the interface's.
 *
 * A server's stub turns the request's port into the kernel object with an
 * intran conversion (a reference, or NULL for a port of the wrong kind,
 * which every routine refuses), calls the routine named in the .defs, and
 * drops the reference with the destructor. The routines are the kernel's
 * own functions of those names and arguments (XNU's).
 */

#ifndef MACH_IPC_IPC_MIG_H
#define MACH_IPC_IPC_MIG_H

#include "iokit/Kernel/iokit_rpc.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_tt.h"
#include "mach/ipc/mach_port.h"
#include "mach/kern/host.h"
#include "mach/kern/sync_sema.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/kern/thread_act.h"
#include "mach/kern/thread_policy.h"
#include "mach/task_info.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_user.h"

#endif /* MACH_IPC_IPC_MIG_H */
