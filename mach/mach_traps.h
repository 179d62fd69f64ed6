/*
 * mach_traps.h - the Mach traps' argument structures (XNU's
 * mach/mach_traps.h).
 *
 * A trap is called with a pointer to its arguments, each in a 64-bit slot
 * in the order user space passed them (the first six in rdi, rsi, rdx,
 * r10, r8, r9; the rest copied in from the user stack): the machine's
 * dispatch (mach_call_munger64) fills a struct mach_call_args and the
 * trap reads it through its own structure below, whose fields are all
 * 64 bits wide to match. A field's real type is the low bits of its slot.
 *
 * The table of traps is mach/kern/syscall_sw.c.
 */

#ifndef MACH_MACH_TRAPS_H
#define MACH_MACH_TRAPS_H

#include <stdint.h>

#include "mach/kern_return.h"

#define MACH_TRAP_ARGS_MAX	9	/* mach_msg_overwrite_trap has 8 */

struct mach_call_args {
	uint64_t	arg[MACH_TRAP_ARGS_MAX];
};

struct kern_invalid_args {
	uint64_t	dummy;
};

/* 89: mach_timebase_info_trap(mach_timebase_info_t info) */
struct mach_timebase_info_trap_args {
	uint64_t	info;		/* user address of a mach_timebase_info */
};

/* 90: mach_wait_until_trap(uint64_t deadline) */
struct mach_wait_until_trap_args {
	uint64_t	deadline;	/* mach absolute time */
};

/* 59: swtch_pri(int pri) */
struct swtch_pri_args {
	uint64_t	pri;
};

/* 60: swtch(void) */
struct swtch_args {
	uint64_t	dummy;
};

/* 61: thread_switch(mach_port_name_t thread_name, int option, mach_msg_timeout_t option_time) */
struct thread_switch_args {
	uint64_t	thread_name;
	uint64_t	option;
	uint64_t	option_time;	/* ms */
};

/*
 * Mach IPC (mach/ipc). Names are mach_port_name_t, user addresses
 * user_addr_t; "target" names the task whose space the call works on
 * (a send right to its task port in the caller's space).
 */

/* 31: mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, priority) */
/* 32: mach_msg_overwrite_trap(the same, rcv_msg) */
struct mach_msg_overwrite_trap_args {
	uint64_t	msg;		/* user address of the message */
	uint64_t	option;		/* MACH_SEND_MSG | MACH_RCV_MSG | ... */
	uint64_t	send_size;
	uint64_t	rcv_size;
	uint64_t	rcv_name;
	uint64_t	timeout;	/* ms, with MACH_SEND_TIMEOUT / MACH_RCV_TIMEOUT */
	uint64_t	priority;	/* unused (was notify) */
	uint64_t	rcv_msg;	/* where to receive, if not msg (32 only) */
};

/* 16: _kernelrpc_mach_port_allocate_trap(target, right, name *) */
struct _kernelrpc_mach_port_allocate_args {
	uint64_t	target;
	uint64_t	right;
	uint64_t	name;		/* user address of a mach_port_name_t */
};

/* 17: ..._destroy_trap(target, name); 18: ..._deallocate_trap(target, name) */
struct _kernelrpc_mach_port_name_args {
	uint64_t	target;
	uint64_t	name;
};

/* 19: _kernelrpc_mach_port_mod_refs_trap(target, name, right, delta) */
struct _kernelrpc_mach_port_mod_refs_args {
	uint64_t	target;
	uint64_t	name;
	uint64_t	right;
	uint64_t	delta;
};

/* 20: ..._move_member_trap(target, member, after); 22: ..._insert_member_trap(target,
 * name, pset); 23: ..._extract_member_trap(target, name, pset) */
struct _kernelrpc_mach_port_member_args {
	uint64_t	target;
	uint64_t	name;
	uint64_t	pset;
};

/* 21: _kernelrpc_mach_port_insert_right_trap(target, name, poly, polyPoly) */
struct _kernelrpc_mach_port_insert_right_args {
	uint64_t	target;
	uint64_t	name;		/* the name it gets in target's space */
	uint64_t	poly;		/* the right, named in the caller's space */
	uint64_t	polyPoly;	/* its disposition */
};

/* 40: _kernelrpc_mach_port_get_attributes_trap(target, name, flavor, info *, count *) */
struct _kernelrpc_mach_port_get_attributes_args {
	uint64_t	target;
	uint64_t	name;
	uint64_t	flavor;
	uint64_t	info;		/* user address of integer_t[*count] */
	uint64_t	count;		/* user address of a mach_msg_type_number_t */
};

/* 76: _kernelrpc_mach_port_type_trap(target, name, ptype *) */
struct _kernelrpc_mach_port_type_args {
	uint64_t	target;
	uint64_t	name;
	uint64_t	ptype;		/* user address of a mach_port_type_t */
};

/* 77: _kernelrpc_mach_port_request_notification_trap(target, name, msgid, sync,
 * notify, notifyPoly, previous *) */
struct _kernelrpc_mach_port_request_notification_args {
	uint64_t	target;
	uint64_t	name;
	uint64_t	msgid;
	uint64_t	sync;
	uint64_t	notify;		/* a name in the caller's space */
	uint64_t	notifyPoly;	/* MAKE_SEND_ONCE or MOVE_SEND_ONCE */
	uint64_t	previous;	/* user address: the replaced request's send-once right */
};

/* 45: task_for_pid(target_tport, pid, t *) (bsd/vm/vm_unix.c) */
struct task_for_pid_args {
	uint64_t	target_tport;	/* the caller's own task port */
	uint64_t	pid;
	uint64_t	t;		/* user address: the name of the task's port */
};

/* 46: pid_for_task(t, pid *) */
struct pid_for_task_args {
	uint64_t	t;
	uint64_t	pid;		/* user address of an int */
};

/* 33: semaphore_signal_trap(name); 34: ..._signal_all_trap(name); 36: ..._wait_trap(name) */
struct semaphore_signal_trap_args {
	uint64_t	name;		/* a send right to the semaphore's port */
};

/* 35: semaphore_signal_thread_trap(name, thread_name) */
struct semaphore_signal_thread_trap_args {
	uint64_t	name;
	uint64_t	thread_name;	/* MACH_PORT_NULL: any waiter */
};

/* 37: semaphore_wait_signal_trap(wait_name, signal_name) */
struct semaphore_wait_signal_trap_args {
	uint64_t	wait_name;
	uint64_t	signal_name;
};

/* 38: semaphore_timedwait_trap(name, sec, nsec) */
struct semaphore_timedwait_trap_args {
	uint64_t	name;
	uint64_t	sec;
	uint64_t	nsec;
};

/* 39: semaphore_timedwait_signal_trap(wait_name, signal_name, sec, nsec) */
struct semaphore_timedwait_signal_trap_args {
	uint64_t	wait_name;
	uint64_t	signal_name;
	uint64_t	sec;
	uint64_t	nsec;
};

kern_return_t	kern_invalid(struct kern_invalid_args *args);
kern_return_t	task_for_pid(struct task_for_pid_args *args);
kern_return_t	pid_for_task(struct pid_for_task_args *args);
kern_return_t	mach_msg_trap(struct mach_msg_overwrite_trap_args *args);
kern_return_t	mach_msg_overwrite_trap(struct mach_msg_overwrite_trap_args *args);
kern_return_t	_kernelrpc_mach_port_allocate_trap(struct _kernelrpc_mach_port_allocate_args *args);
kern_return_t	_kernelrpc_mach_port_destroy_trap(struct _kernelrpc_mach_port_name_args *args);
kern_return_t	_kernelrpc_mach_port_deallocate_trap(struct _kernelrpc_mach_port_name_args *args);
kern_return_t	_kernelrpc_mach_port_mod_refs_trap(struct _kernelrpc_mach_port_mod_refs_args *args);
kern_return_t	_kernelrpc_mach_port_move_member_trap(struct _kernelrpc_mach_port_member_args *args);
kern_return_t	_kernelrpc_mach_port_insert_member_trap(struct _kernelrpc_mach_port_member_args *args);
kern_return_t	_kernelrpc_mach_port_extract_member_trap(struct _kernelrpc_mach_port_member_args *args);
kern_return_t	_kernelrpc_mach_port_insert_right_trap(
		    struct _kernelrpc_mach_port_insert_right_args *args);
kern_return_t	_kernelrpc_mach_port_get_attributes_trap(
		    struct _kernelrpc_mach_port_get_attributes_args *args);
kern_return_t	_kernelrpc_mach_port_type_trap(struct _kernelrpc_mach_port_type_args *args);
kern_return_t	_kernelrpc_mach_port_request_notification_trap(
		    struct _kernelrpc_mach_port_request_notification_args *args);
kern_return_t	mach_timebase_info_trap(struct mach_timebase_info_trap_args *args);
kern_return_t	mach_wait_until_trap(struct mach_wait_until_trap_args *args);

#endif /* MACH_MACH_TRAPS_H */
