/*
 * syscall_sw.c - the Mach trap table (syscall_sw.h), and kern_invalid.
 *
 * Every slot is one of:
 *   MACH_TRAP(fn, argc)		a trap that works;
 *   MACH_TRAP_LATER(name, argc, who)	XNU's trap of that number, not yet here:
 *					kern_invalid answers until the work named
 *					brings it (VM: the VM system, issue 3; IPC:
 *					Mach IPC, issue 5; BSD: the BSD layer, issue 4,
 *					with IPC; IOKit: user clients, issue 7);
 *   MACH_TRAP_INVALID			no trap has this number.
 * The names are kept for the later ones so that traces and debuggers can
 * already say what a program asked for.
 */

#include "mach/kern/syscall_sw.h"

#include "mach/ipc/ipc_tt.h"
#include "mach/kern/sync_sema.h"
#include "mach/kern/syscall_subr.h"

#define MACH_TRAP(fn, argc) \
	{ (mach_trap_function_t)(void (*)(void))(fn), (argc), #fn }
#define MACH_TRAP_LATER(name, argc, who) \
	{ (mach_trap_function_t)(void (*)(void))kern_invalid, 0, #name }
#define MACH_TRAP_INVALID \
	{ (mach_trap_function_t)(void (*)(void))kern_invalid, 0, "kern_invalid" }

const struct mach_trap mach_trap_table[MACH_TRAP_TABLE_COUNT] __hot_rodata = {
/* 0 */	MACH_TRAP_INVALID,
/* 1 */	MACH_TRAP_INVALID,
/* 2 */	MACH_TRAP_INVALID,
/* 3 */	MACH_TRAP_INVALID,
/* 4 */	MACH_TRAP_INVALID,
/* 5 */	MACH_TRAP_INVALID,
/* 6 */	MACH_TRAP_INVALID,
/* 7 */	MACH_TRAP_INVALID,
/* 8 */	MACH_TRAP_INVALID,
/* 9 */	MACH_TRAP_INVALID,
/* 10 */	MACH_TRAP_LATER(_kernelrpc_mach_vm_allocate_trap, 4, VM),
/* 11 */	MACH_TRAP_INVALID,
/* 12 */	MACH_TRAP_LATER(_kernelrpc_mach_vm_deallocate_trap, 3, VM),
/* 13 */	MACH_TRAP_INVALID,
/* 14 */	MACH_TRAP_LATER(_kernelrpc_mach_vm_protect_trap, 5, VM),
/* 15 */	MACH_TRAP_LATER(_kernelrpc_mach_vm_map_trap, 6, VM),
/* 16 */	MACH_TRAP(_kernelrpc_mach_port_allocate_trap, 3),
/* 17 */	MACH_TRAP(_kernelrpc_mach_port_destroy_trap, 2),
/* 18 */	MACH_TRAP(_kernelrpc_mach_port_deallocate_trap, 2),
/* 19 */	MACH_TRAP(_kernelrpc_mach_port_mod_refs_trap, 4),
/* 20 */	MACH_TRAP(_kernelrpc_mach_port_move_member_trap, 3),
/* 21 */	MACH_TRAP(_kernelrpc_mach_port_insert_right_trap, 4),
/* 22 */	MACH_TRAP(_kernelrpc_mach_port_insert_member_trap, 3),
/* 23 */	MACH_TRAP(_kernelrpc_mach_port_extract_member_trap, 3),
/* 24 */	MACH_TRAP_LATER(_kernelrpc_mach_port_construct_trap, 4, IPC),
/* 25 */	MACH_TRAP_LATER(_kernelrpc_mach_port_destruct_trap, 4, IPC),
/* 26 */	MACH_TRAP(mach_reply_port, 0),
/* 27 */	MACH_TRAP(thread_self_trap, 0),
/* 28 */	MACH_TRAP(task_self_trap, 0),
/* 29 */	MACH_TRAP(host_self_trap, 0),
/* 30 */	MACH_TRAP_INVALID,
/* 31 */	MACH_TRAP(mach_msg_trap, 7),
/* 32 */	MACH_TRAP(mach_msg_overwrite_trap, 8),
/* 33 */	MACH_TRAP(semaphore_signal_trap, 1),
/* 34 */	MACH_TRAP(semaphore_signal_all_trap, 1),
/* 35 */	MACH_TRAP(semaphore_signal_thread_trap, 2),
/* 36 */	MACH_TRAP(semaphore_wait_trap, 1),
/* 37 */	MACH_TRAP(semaphore_wait_signal_trap, 2),
/* 38 */	MACH_TRAP(semaphore_timedwait_trap, 3),
/* 39 */	MACH_TRAP(semaphore_timedwait_signal_trap, 4),
/* 40 */	MACH_TRAP(_kernelrpc_mach_port_get_attributes_trap, 5),
/* 41 */	MACH_TRAP_LATER(_kernelrpc_mach_port_guard_trap, 4, IPC),
/* 42 */	MACH_TRAP_LATER(_kernelrpc_mach_port_unguard_trap, 3, IPC),
/* 43 */	MACH_TRAP_INVALID,
/* 44 */	MACH_TRAP_LATER(task_name_for_pid, 3, BSD),
/* 45 */	MACH_TRAP(task_for_pid, 3),
/* 46 */	MACH_TRAP(pid_for_task, 2),
/* 47 */	MACH_TRAP_LATER(mach_msg2_trap, 8, IPC),
/* 48 */	MACH_TRAP_INVALID,
/* 49 */	MACH_TRAP_INVALID,
/* 50 */	MACH_TRAP_LATER(thread_get_special_reply_port, 0, IPC),
/* 51 */	MACH_TRAP_INVALID,
/* 52 */	MACH_TRAP_INVALID,
/* 53 */	MACH_TRAP_INVALID,
/* 54 */	MACH_TRAP_INVALID,
/* 55 */	MACH_TRAP_INVALID,
/* 56 */	MACH_TRAP_INVALID,
/* 57 */	MACH_TRAP_INVALID,
/* 58 */	MACH_TRAP_INVALID,
/* 59 */	MACH_TRAP(swtch_pri, 0),
/* 60 */	MACH_TRAP(swtch, 0),
/* 61 */	MACH_TRAP(thread_switch, 3),
/* 62 */	MACH_TRAP_LATER(clock_sleep_trap, 5, IPC),
/* 63 */	MACH_TRAP_INVALID,
/* 64 */	MACH_TRAP_INVALID,
/* 65 */	MACH_TRAP_INVALID,
/* 66 */	MACH_TRAP_INVALID,
/* 67 */	MACH_TRAP_INVALID,
/* 68 */	MACH_TRAP_INVALID,
/* 69 */	MACH_TRAP_INVALID,
/* 70 */	MACH_TRAP_INVALID,
/* 71 */	MACH_TRAP_INVALID,
/* 72 */	MACH_TRAP_INVALID,
/* 73 */	MACH_TRAP_INVALID,
/* 74 */	MACH_TRAP_INVALID,
/* 75 */	MACH_TRAP_INVALID,
/* 76 */	MACH_TRAP(_kernelrpc_mach_port_type_trap, 3),
/* 77 */	MACH_TRAP(_kernelrpc_mach_port_request_notification_trap, 7),
/* 78 */	MACH_TRAP_INVALID,
/* 79 */	MACH_TRAP_INVALID,
/* 80 */	MACH_TRAP_INVALID,
/* 81 */	MACH_TRAP_INVALID,
/* 82 */	MACH_TRAP_INVALID,
/* 83 */	MACH_TRAP_INVALID,
/* 84 */	MACH_TRAP_INVALID,
/* 85 */	MACH_TRAP_INVALID,
/* 86 */	MACH_TRAP_INVALID,
/* 87 */	MACH_TRAP_INVALID,
/* 88 */	MACH_TRAP_INVALID,
/* 89 */	MACH_TRAP(mach_timebase_info_trap, 1),
/* 90 */	MACH_TRAP(mach_wait_until_trap, 1),
/* 91 */	MACH_TRAP_LATER(mk_timer_create_trap, 0, IPC),
/* 92 */	MACH_TRAP_LATER(mk_timer_destroy_trap, 1, IPC),
/* 93 */	MACH_TRAP_LATER(mk_timer_arm_trap, 2, IPC),
/* 94 */	MACH_TRAP_LATER(mk_timer_cancel_trap, 2, IPC),
/* 95 */	MACH_TRAP_LATER(mk_timer_arm_leeway_trap, 4, IPC),
/* 96 */	MACH_TRAP_LATER(debug_control_port_for_pid, 3, BSD),
/* 97 */	MACH_TRAP_INVALID,
/* 98 */	MACH_TRAP_INVALID,
/* 99 */	MACH_TRAP_INVALID,
/* 100 */	MACH_TRAP_LATER(iokit_user_client_trap, 8, IOKit),
/* 101 */	MACH_TRAP_INVALID,
/* 102 */	MACH_TRAP_INVALID,
/* 103 */	MACH_TRAP_INVALID,
/* 104 */	MACH_TRAP_INVALID,
/* 105 */	MACH_TRAP_INVALID,
/* 106 */	MACH_TRAP_INVALID,
/* 107 */	MACH_TRAP_INVALID,
/* 108 */	MACH_TRAP_INVALID,
/* 109 */	MACH_TRAP_INVALID,
/* 110 */	MACH_TRAP_INVALID,
/* 111 */	MACH_TRAP_INVALID,
/* 112 */	MACH_TRAP_INVALID,
/* 113 */	MACH_TRAP_INVALID,
/* 114 */	MACH_TRAP_INVALID,
/* 115 */	MACH_TRAP_INVALID,
/* 116 */	MACH_TRAP_INVALID,
/* 117 */	MACH_TRAP_INVALID,
/* 118 */	MACH_TRAP_INVALID,
/* 119 */	MACH_TRAP_INVALID,
/* 120 */	MACH_TRAP_INVALID,
/* 121 */	MACH_TRAP_INVALID,
/* 122 */	MACH_TRAP_INVALID,
/* 123 */	MACH_TRAP_INVALID,
/* 124 */	MACH_TRAP_INVALID,
/* 125 */	MACH_TRAP_INVALID,
/* 126 */	MACH_TRAP_INVALID,
/* 127 */	MACH_TRAP_INVALID,
};

kern_return_t
kern_invalid(struct kern_invalid_args *args)
{
	(void)args;
	return KERN_INVALID_ARGUMENT;
}
