/*
 * ipc_object.h - what ports and port sets have in common, and the lock
 * that covers all of Mach IPC.
 *
 * Every IPC object (struct ipc_port, struct ipc_pset) begins with a
 * struct ipc_object: its kind, whether it is still active, the kind of
 * kernel object a port stands for, and a reference count. References are
 * held by: each space entry that names the object (one per entry, however
 * many user references it has), each right to it carried in a message or
 * held by the kernel (a task's bootstrap port, a notification request),
 * and whoever is using it for the moment (a receiver waiting on it). The
 * object is freed when the count reaches zero, which can only happen once
 * it is inactive: a live port is named by its receive right.
 *
 * The IPC lock. One mutex covers every space, entry, port, port set and
 * queued message. Mach as Mach 3 and XNU have it locks each space and each
 * port, with a careful order between them; Machina runs on one or two CPUs,
 * where one lock held for a short time costs nothing measurable, and it
 * makes the transfer of a right (two spaces, two ports and a queue changing
 * at once) atomic without any ordering rules. It is a sleeping lock: user
 * memory is never touched with it held (messages are copied in before and
 * out after), but kalloc may block under it. Waiters (receivers, senders
 * on a full queue) sleep with lck_mtx_sleep on it.
 *
 * Lock order: the IPC lock, then a task's lock, a map's lock, the
 * scheduler lock. Nothing that holds another of those calls into IPC.
 */

#ifndef MACH_IPC_IPC_OBJECT_H
#define MACH_IPC_IPC_OBJECT_H

#include <stdint.h>

#include "mach/boolean.h"
#include "mach/ipc/ipc_types.h"
#include "mach/kern/kern_types.h"

struct ipc_object {
	uint32_t	io_bits;	/* [L] IO_BITS_* */
	uint32_t	io_references;	/* [L] */
};

#define IO_BITS_KOTYPE		0x00000fffu	/* the kernel object's type (ipc_kobject.h) */
#define IO_BITS_OTYPE		0x7fff0000u	/* IOT_PORT or IOT_PORT_SET */
#define IO_BITS_ACTIVE		0x80000000u	/* not yet destroyed */
#define IOT_PORT		0x00000000u
#define IOT_PORT_SET		0x00010000u

#define io_otype(io)		((io)->io_bits & IO_BITS_OTYPE)
#define io_active(io)		(((io)->io_bits & IO_BITS_ACTIVE) != 0)
#define io_kotype(io)		((io)->io_bits & IO_BITS_KOTYPE)

/* ipc_lock_init: once, at IPC bootstrap. */
void		ipc_lock_init(void);
void		ipc_lock(void);
void		ipc_unlock(void);

/*
 * ipc_sleep: with the IPC lock held, wait for event (until deadline in
 * mach absolute time; 0 for none), interruptibly; the lock is released
 * while asleep and held again on return.
 */
wait_result_t	ipc_sleep(event_t event, uint64_t deadline);
void		ipc_wakeup(event_t event);

/* References; the lock is held. io_release frees the object on the last. */
void		io_reference(ipc_object_t object);
void		io_release(ipc_object_t object);

#endif /* MACH_IPC_IPC_OBJECT_H */
