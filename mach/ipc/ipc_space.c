/*
 * ipc_space.c - IPC spaces (ipc_space.h).
 */

#include "mach/ipc/ipc_space.h"

#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_right.h"
#include "mach/kern/zalloc.h"

static zone_t ipc_space_zone;
static uint32_t ipc_spaces;		/* [L] allocated, not freed */
static struct ipc_space ipc_space_kernel_data;
ipc_space_t ipc_space_kernel __hot_data = &ipc_space_kernel_data;

void
ipc_space_init(void)
{
	ipc_space_zone = zinit(sizeof(struct ipc_space), 0, 0, "ipc.spaces");
	/* The kernel's pseudo-space: it receives, it holds no names. */
	ipc_space_kernel_data.is_active = TRUE;
	ipc_space_kernel_data.is_references = 1;
}

uint32_t
ipc_space_count(void)
{
	return ipc_spaces;
}

kern_return_t
ipc_space_create(task_t task, ipc_space_t *spacep)
{
	ipc_space_t space = zalloc(ipc_space_zone);
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(space, 0, sizeof(*space));
	ipc_lock();
	kr = ipc_entry_table_init(&space->is_table, IPC_ENTRY_TABLE_MAX);
	if (kr != KERN_SUCCESS) {
		ipc_unlock();
		zfree(ipc_space_zone, space);
		return kr;
	}
	space->is_task = task;
	space->is_active = TRUE;
	space->is_references = 1;
	ipc_spaces++;
	ipc_unlock();
	*spacep = space;
	return KERN_SUCCESS;
}

void
ipc_space_terminate(ipc_space_t space)
{
	struct ipc_entry *e;
	mach_port_name_t name;
	uint32_t cursor;

	ipc_lock();
	if (!space->is_active) {
		ipc_unlock();
		return;
	}
	/*
	 * Destroy every name's rights. Port sets first, so that destroying
	 * the receive rights does not walk sets about to go anyway; each
	 * destruction may add entries to nobody's table but this one's
	 * dead names, which the next pass takes.
	 */
	cursor = 0;
	while ((name = ipc_entry_next(&space->is_table, &cursor, &e)) != MACH_PORT_NULL) {
		if (e->ie_bits & MACH_PORT_TYPE_PORT_SET)
			(void)ipc_right_destroy(space, name);
	}
	cursor = 0;
	while ((name = ipc_entry_next(&space->is_table, &cursor, &e)) != MACH_PORT_NULL)
		(void)ipc_right_destroy(space, name);
	space->is_active = FALSE;
	space->is_task = TASK_NULL;
	ipc_entry_table_destroy(&space->is_table);
	ipc_unlock();
}

void
is_reference(ipc_space_t space)
{
	space->is_references++;
}

void
is_release(ipc_space_t space)
{
	assert(space->is_references > 0);
	if (--space->is_references != 0)
		return;
	assert(!space->is_active);
	assert(space != ipc_space_kernel);
	ipc_spaces--;
	zfree(ipc_space_zone, space);
}

void
ipc_space_release(ipc_space_t space)
{
	ipc_lock();
	is_release(space);
	ipc_unlock();
}
