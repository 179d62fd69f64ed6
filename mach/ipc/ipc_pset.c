/*
 * ipc_pset.c - port sets (ipc_pset.h).
 */

#include "mach/ipc/ipc_pset.h"

#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_space.h"
#include "mach/kern/zalloc.h"

static zone_t ipc_pset_zone;
static uint32_t ipc_psets;		/* [L] allocated, not freed */

void
ipc_pset_init(void)
{
	ipc_pset_zone = zinit(sizeof(struct ipc_pset), 0, 0, "ipc.port_sets");
}

uint32_t
ipc_pset_count(void)
{
	return ipc_psets;
}

static ipc_pset_t
pset_create(ipc_space_t space)
{
	ipc_pset_t pset = zalloc(ipc_pset_zone);

	if (pset == IPS_NULL)
		return IPS_NULL;
	memset(pset, 0, sizeof(*pset));
	pset->ips_object.io_bits = IOT_PORT_SET | IO_BITS_ACTIVE;
	pset->ips_object.io_references = 1;	/* its entry's */
	pset->ips_space = space;
	TAILQ_INIT(&pset->ips_members);
	ipc_psets++;
	return pset;
}

kern_return_t
ipc_pset_alloc(ipc_space_t space, mach_port_name_t name, mach_port_name_t *namep,
    ipc_pset_t *psetp)
{
	struct ipc_entry *e;
	ipc_pset_t pset;
	kern_return_t kr;

	if (!is_active(space))
		return KERN_INVALID_TASK;
	if ((pset = pset_create(space)) == IPS_NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = ipc_entry_claim(&space->is_table, name, namep, &e);
	if (kr != KERN_SUCCESS) {
		pset->ips_object.io_bits &= ~IO_BITS_ACTIVE;
		io_release(&pset->ips_object);
		return kr;
	}
	e->ie_object = pset;
	e->ie_bits = MACH_PORT_TYPE_PORT_SET;
	pset->ips_name = *namep;
	*psetp = pset;
	return KERN_SUCCESS;
}

void
ipc_pset_add(ipc_pset_t pset, ipc_port_t port)
{
	assert(port->ip_pset == IPS_NULL);
	assert(port->ip_receiver == pset->ips_space);
	port->ip_pset = pset;
	TAILQ_INSERT_TAIL(&pset->ips_members, port, ip_pset_link);
	/* A receiver on the set may take what already waits here. */
	if (!TAILQ_EMPTY(&port->ip_messages))
		ipc_wakeup(&pset->ips_members);
	/* A receiver on the port itself now finds it in a set. */
	ipc_wakeup(&port->ip_messages);
}

void
ipc_pset_remove(ipc_port_t port)
{
	ipc_pset_t pset = port->ip_pset;

	if (pset == IPS_NULL)
		return;
	TAILQ_REMOVE(&pset->ips_members, port, ip_pset_link);
	port->ip_pset = IPS_NULL;
}

void
ipc_pset_destroy(ipc_pset_t pset)
{
	while (!TAILQ_EMPTY(&pset->ips_members))
		ipc_pset_remove(TAILQ_FIRST(&pset->ips_members));
	pset->ips_object.io_bits &= ~IO_BITS_ACTIVE;
	ipc_wakeup(&pset->ips_members);
	io_release(&pset->ips_object);		/* its entry's reference */
}

ipc_port_t
ipc_pset_first_message(ipc_pset_t pset)
{
	ipc_port_t port;

	TAILQ_FOREACH(port, &pset->ips_members, ip_pset_link) {
		if (!TAILQ_EMPTY(&port->ip_messages))
			return port;
	}
	return IP_NULL;
}

void
ipc_pset_free(ipc_pset_t pset)
{
	assert(TAILQ_EMPTY(&pset->ips_members));
	ipc_psets--;
	zfree(ipc_pset_zone, pset);
}
