/*
 * ipc_tt.c - the ports of tasks, threads and the host (ipc_tt.h).
 */

#include "mach/ipc/ipc_tt.h"

#include "libkern/assert.h"
#include "libkern/panic.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_right.h"
#include "mach/ipc/ipc_space.h"
#include "mach/kern/host.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/vm/vm_map.h"

#define host_port	(realhost.host_self)

void
ipc_host_init(void)
{
	host_port = ipc_kobject_alloc_port((uintptr_t)&realhost, IKOT_HOST);
	if (host_port == IP_NULL)
		panic("ipc_host_init: no memory for the host port");
}

host_t
convert_port_to_host(ipc_port_t port)
{
	host_t host = HOST_NULL;

	ipc_lock();
	if (IP_VALID(port) && ip_active(port) &&
	    (ip_kotype(port) == IKOT_HOST || ip_kotype(port) == IKOT_HOST_PRIV))
		host = (host_t)port->ip_kobject;
	ipc_unlock();
	return host;
}

host_t
convert_port_to_host_priv(ipc_port_t port)
{
	host_t host;

	ipc_lock();
	host = (host_t)ipc_kobject_get(port, IKOT_HOST_PRIV);
	ipc_unlock();
	return host;
}

ipc_port_t
convert_host_to_port(host_t host)
{
	ipc_port_t port = IP_NULL;

	ipc_lock();
	if (host != HOST_NULL && host->host_self != IP_NULL)
		port = ipc_port_make_send(host->host_self);
	ipc_unlock();
	return port;
}

kern_return_t
ipc_task_init(task_t task, task_t parent)
{
	ipc_space_t space;
	kern_return_t kr;
	ipc_port_t self;

	kr = ipc_space_create(task, &space);
	if (kr != KERN_SUCCESS)
		return kr;
	self = ipc_kobject_alloc_port((uintptr_t)task, IKOT_TASK);
	if (self == IP_NULL) {
		ipc_space_terminate(space);
		ipc_space_release(space);
		return KERN_RESOURCE_SHORTAGE;
	}
	ipc_lock();
	task->itk_space = space;
	task->itk_self = self;
	task->itk_bootstrap = IP_NULL;
	if (parent != TASK_NULL && parent->itk_bootstrap != IP_NULL)
		task->itk_bootstrap = ipc_port_copy_send(parent->itk_bootstrap);
	ipc_unlock();
	return KERN_SUCCESS;
}

void
ipc_task_terminate(task_t task)
{
	ipc_port_t self, bootstrap;

	if (task->itk_space == IS_NULL)
		return;
	ipc_lock();
	self = task->itk_self;
	bootstrap = task->itk_bootstrap;
	task->itk_self = IP_NULL;
	task->itk_bootstrap = IP_NULL;
	ipc_port_release_send(bootstrap);
	ipc_unlock();
	ipc_kobject_destroy_port(self);
	ipc_space_terminate(task->itk_space);
}

void
ipc_task_free(task_t task)
{
	if (task->itk_space == IS_NULL)
		return;
	ipc_task_terminate(task);
	ipc_space_release(task->itk_space);
	task->itk_space = IS_NULL;
}

void
ipc_thread_free(thread_t thread)
{
	ipc_port_t self = thread->ith_self;

	thread->ith_self = IP_NULL;
	ipc_kobject_destroy_port(self);
}

/*
 * A reference on an object a kernel port points at, unless the object is
 * already on its way to being freed (its count reached 0 and its free
 * routine is about to take the port down): then the port is as good as dead.
 */
static boolean_t
reference_if_alive(uint32_t *count)
{
	uint32_t c = __atomic_load_n(count, __ATOMIC_RELAXED);

	while (c != 0) {
		if (__atomic_compare_exchange_n(count, &c, c + 1, FALSE, __ATOMIC_ACQUIRE,
		    __ATOMIC_RELAXED))
			return TRUE;
	}
	return FALSE;
}

task_t
convert_port_to_task_locked(ipc_port_t port)
{
	task_t task = (task_t)ipc_kobject_get(port, IKOT_TASK);

	if (task != TASK_NULL && !reference_if_alive(&task->ref_count))
		task = TASK_NULL;
	return task;
}

ipc_space_t
convert_port_to_space_locked(ipc_port_t port)
{
	task_t task = (task_t)ipc_kobject_get(port, IKOT_TASK);
	ipc_space_t space;

	if (task == TASK_NULL || (space = task->itk_space) == IS_NULL || !is_active(space) ||
	    __atomic_load_n(&task->ref_count, __ATOMIC_RELAXED) == 0)
		return IS_NULL;
	is_reference(space);
	return space;
}

task_t
convert_port_to_task(ipc_port_t port)
{
	task_t task;

	ipc_lock();
	task = convert_port_to_task_locked(port);
	ipc_unlock();
	return task;
}

thread_t
convert_port_to_thread(ipc_port_t port)
{
	thread_t thread;

	ipc_lock();
	thread = (thread_t)ipc_kobject_get(port, IKOT_THREAD);
	if (thread != THREAD_NULL && !reference_if_alive(&thread->ref_count))
		thread = THREAD_NULL;
	ipc_unlock();
	return thread;
}

ipc_space_t
convert_port_to_space(ipc_port_t port)
{
	ipc_space_t space;

	ipc_lock();
	space = convert_port_to_space_locked(port);
	ipc_unlock();
	return space;
}

vm_map_t
convert_port_to_map(ipc_port_t port)
{
	vm_map_t map = VM_MAP_NULL;
	task_t task;

	ipc_lock();
	task = (task_t)ipc_kobject_get(port, IKOT_TASK);
	if (task != TASK_NULL && task->map != VM_MAP_NULL &&
	    __atomic_load_n(&task->ref_count, __ATOMIC_RELAXED) != 0) {
		map = task->map;
		vm_map_reference(map);
	}
	ipc_unlock();
	return map;
}

void
space_deallocate(ipc_space_t space)
{
	if (space != IS_NULL)
		ipc_space_release(space);
}

ipc_port_t
convert_task_to_port(task_t task)
{
	ipc_port_t port = IP_NULL;

	ipc_lock();
	if (task->itk_self != IP_NULL)
		port = ipc_port_make_send(task->itk_self);
	ipc_unlock();
	task_deallocate(task);
	return port;
}

ipc_port_t
convert_thread_to_port(thread_t thread)
{
	ipc_port_t port, fresh = IP_NULL;

	if (thread->ith_self == IP_NULL)
		fresh = ipc_kobject_alloc_port((uintptr_t)thread, IKOT_THREAD);
	ipc_lock();
	if (thread->ith_self == IP_NULL) {
		thread->ith_self = fresh;
		fresh = IP_NULL;
	}
	port = ipc_port_make_send(thread->ith_self);
	ipc_unlock();
	if (fresh != IP_NULL)
		ipc_kobject_destroy_port(fresh);	/* another thread made it first */
	thread_deallocate(thread);
	return port;
}

task_t
port_name_to_task(mach_port_name_t name)
{
	ipc_space_t space = current_task()->itk_space;
	struct ipc_entry *e;
	task_t task = TASK_NULL;

	if (!MACH_PORT_VALID(name) || space == IS_NULL)
		return TASK_NULL;
	ipc_lock();
	if (ipc_right_lookup(space, name, &e) == KERN_SUCCESS &&
	    (e->ie_bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)) != 0)
		task = convert_port_to_task_locked(e->ie_object);
	ipc_unlock();
	return task;
}

thread_t
port_name_to_thread(mach_port_name_t name)
{
	ipc_space_t space = current_task()->itk_space;
	thread_t thread = THREAD_NULL;
	struct ipc_entry *e;

	if (!MACH_PORT_VALID(name) || space == IS_NULL)
		return THREAD_NULL;
	ipc_lock();
	if (ipc_right_lookup(space, name, &e) == KERN_SUCCESS &&
	    (e->ie_bits & MACH_PORT_TYPE_SEND) != 0) {
		thread = (thread_t)ipc_kobject_get(e->ie_object, IKOT_THREAD);
		if (thread != THREAD_NULL && !reference_if_alive(&thread->ref_count))
			thread = THREAD_NULL;
	}
	ipc_unlock();
	return thread;
}

kern_return_t
task_get_special_port(task_t task, int which, ipc_port_t *portp)
{
	ipc_port_t port;

	if (task == TASK_NULL)
		return KERN_INVALID_ARGUMENT;
	ipc_lock();
	switch (which) {
	case TASK_KERNEL_PORT:
		port = task->itk_self != IP_NULL ? ipc_port_make_send(task->itk_self) : IP_NULL;
		break;
	case TASK_HOST_PORT:
		port = ipc_port_make_send(host_port);
		break;
	case TASK_BOOTSTRAP_PORT:
		port = ipc_port_copy_send(task->itk_bootstrap);
		break;
	default:
		ipc_unlock();
		return KERN_INVALID_ARGUMENT;
	}
	ipc_unlock();
	*portp = port;
	return KERN_SUCCESS;
}

kern_return_t
task_set_special_port(task_t task, int which, ipc_port_t port)
{
	ipc_port_t old;

	if (task == TASK_NULL || which != TASK_BOOTSTRAP_PORT)
		return KERN_INVALID_ARGUMENT;
	ipc_lock();
	old = task->itk_bootstrap;
	task->itk_bootstrap = port;		/* the caller's send right moves in */
	ipc_port_release_send(old);
	ipc_unlock();
	return KERN_SUCCESS;
}

/* Copy a send right the kernel holds out to the current task, as a name. */
static mach_port_name_t
send_right_out(ipc_port_t port)
{
	ipc_space_t space = current_task()->itk_space;
	mach_port_name_t name = MACH_PORT_NULL;

	if (!IP_VALID(port) || space == IS_NULL)
		return MACH_PORT_NULL;
	ipc_lock();
	if (ipc_object_copyout(space, &port->ip_object, MACH_MSG_TYPE_PORT_SEND, &name) !=
	    KERN_SUCCESS) {
		ipc_port_release_send(port);
		name = MACH_PORT_NULL;
	}
	ipc_unlock();
	return name;
}

mach_port_name_t
task_self_trap(void *args)
{
	task_t task = current_task();
	ipc_port_t port = IP_NULL;

	(void)args;
	ipc_lock();
	if (task->itk_self != IP_NULL)
		port = ipc_port_make_send(task->itk_self);
	ipc_unlock();
	return send_right_out(port);
}

mach_port_name_t
thread_self_trap(void *args)
{
	thread_t thread = current_thread();

	(void)args;
	thread_reference(thread);
	return send_right_out(convert_thread_to_port(thread));
}

mach_port_name_t
host_self_trap(void *args)
{
	ipc_port_t port;

	(void)args;
	ipc_lock();
	port = ipc_port_make_send(host_port);
	ipc_unlock();
	return send_right_out(port);
}

mach_port_name_t
mach_reply_port(void *args)
{
	ipc_space_t space = current_task()->itk_space;
	mach_port_name_t name;
	ipc_port_t port;

	(void)args;
	if (space == IS_NULL)
		return MACH_PORT_NULL;
	ipc_lock();
	if (ipc_port_alloc(space, MACH_PORT_NULL, &name, &port) != KERN_SUCCESS)
		name = MACH_PORT_NULL;
	ipc_unlock();
	return name;
}
