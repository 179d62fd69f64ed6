/*
 * mach_init.c - the ports a Mach program starts with (mach/mach_init.h),
 * and the per-thread reply port of interface-generated calls.
 */

#include <mach/mach_init.h>

#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/task.h>
#include <pthread.h>
#include <servers/bootstrap.h>

mach_port_t mach_task_self_;
mach_port_t bootstrap_port;

/* The thread's reply port; 0 until its first interface call. */
static __thread mach_port_t mig_reply_port;

static void
mach_init_ports(void)
{
	mach_task_self_ = task_self_trap();
	bootstrap_port = MACH_PORT_NULL;
	(void)task_get_special_port(mach_task_self_, TASK_BOOTSTRAP_PORT, &bootstrap_port);
}

static void
mach_init_child(void)
{
	/* A forked child's space is new: none of the parent's names are in it. */
	mig_reply_port = MACH_PORT_NULL;
	mach_init_ports();
}

__attribute__((constructor)) static void
mach_init(void)
{
	mach_init_ports();
	(void)pthread_atfork(NULL, NULL, mach_init_child);
}

#undef mach_task_self
mach_port_t
mach_task_self(void)
{
	return mach_task_self_;
}

mach_port_t
mach_thread_self(void)
{
	return thread_self_trap();
}

mach_port_t
mach_host_self(void)
{
	return host_self_trap();
}

mach_port_t
mig_get_reply_port(void)
{
	if (mig_reply_port == MACH_PORT_NULL)
		mig_reply_port = mach_reply_port();
	return mig_reply_port;
}

void
mig_dealloc_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
	if (mig_reply_port != MACH_PORT_NULL) {
		(void)mach_port_mod_refs(mach_task_self(), mig_reply_port,
		    MACH_PORT_RIGHT_RECEIVE, -1);
		mig_reply_port = MACH_PORT_NULL;
	}
}

void
mig_put_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
}
