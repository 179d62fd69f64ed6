/*
 * mach/mach.h - everything Mach a Machina user program can call.
 */

#ifndef _MACH_MACH_H_
#define _MACH_MACH_H_

#include <mach/kern_return.h>
#include <mach/mach_host.h>
#include <mach/mach_init.h>
#include <mach/mach_port.h>
#include <mach/mach_time.h>
#include <mach/mach_traps.h>
#include <mach/mach_vm.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>
#include <mach/semaphore.h>
#include <mach/task.h>
#include <mach/thread_act.h>
#include <mach/thread_switch.h>
#include <mach/vm_map.h>

#endif /* _MACH_MACH_H_ */
