/*
 * mach/mach_init.h - the ports every Mach program starts with (XNU's
 * mach_init.h).
 *
 *	mach_task_self()	a send right to the calling task's own port
 *				(held for the life of the process: never
 *				deallocate it)
 *	mach_thread_self()	a send right to the calling thread's port (each
 *				call adds a user reference: deallocate it)
 *	mach_host_self()	a send right to the host's port
 *	bootstrap_port		the task's bootstrap port (servers/bootstrap.h)
 *
 * mach_task_self() is read from mach_task_self_, set when the program
 * starts and again in the child after fork (a child's space is new).
 */

#ifndef _MACH_MACH_INIT_H_
#define _MACH_MACH_INIT_H_

#include <mach/message.h>

extern mach_port_t	mach_task_self_;
mach_port_t		mach_task_self(void);
#define mach_task_self()	mach_task_self_

mach_port_t		mach_thread_self(void);
mach_port_t		mach_host_self(void);

/*
 * The reply port of the calling thread for interface-generated calls (a
 * receive right made on first use and kept); mig_dealloc_reply_port
 * destroys it after a failed call, so the next gets a fresh one.
 */
mach_port_t		mig_get_reply_port(void);
void			mig_dealloc_reply_port(mach_port_t reply_port);
void			mig_put_reply_port(mach_port_t reply_port);

#endif /* _MACH_MACH_INIT_H_ */
