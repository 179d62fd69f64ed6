/*
 * mach_msg.c - mach_msg, mach_msg_overwrite and mach_msg_destroy
 * (mach/message.h), as XNU's libsystem has them.
 *
 * An interrupted send or receive (a signal arrived while it waited) is
 * restarted here unless the caller asked to see it (MACH_SEND_INTERRUPT,
 * MACH_RCV_INTERRUPT); a restarted receive does not send again.
 */

#include <mach/message.h>

#include <mach/mach_init.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <stddef.h>
#include <sys/mman.h>

mach_msg_return_t
mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
    mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
    mach_port_name_t notify)
{
	mach_msg_return_t mr;

	mr = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
	if (mr == MACH_MSG_SUCCESS)
		return mr;
	if ((option & MACH_SEND_INTERRUPT) == 0) {
		while (mr == MACH_SEND_INTERRUPTED)
			mr = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout,
			    notify);
	}
	if ((option & MACH_RCV_INTERRUPT) == 0) {
		while (mr == MACH_RCV_INTERRUPTED)
			mr = mach_msg_trap(msg, option & ~MACH_SEND_MSG, 0, rcv_size, rcv_name,
			    timeout, notify);
	}
	return mr;
}

mach_msg_return_t
mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
    mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
    mach_port_name_t notify, mach_msg_header_t *rcv_msg, mach_msg_size_t rcv_limit)
{
	mach_msg_return_t mr;

	(void)notify;
	(void)rcv_limit;
	mr = mach_msg_overwrite_trap(msg, option, send_size, rcv_size, rcv_name, timeout, 0,
	    rcv_msg);
	if (mr == MACH_MSG_SUCCESS)
		return mr;
	if ((option & MACH_SEND_INTERRUPT) == 0) {
		while (mr == MACH_SEND_INTERRUPTED)
			mr = mach_msg_overwrite_trap(msg, option, send_size, rcv_size, rcv_name,
			    timeout, 0, rcv_msg);
	}
	if ((option & MACH_RCV_INTERRUPT) == 0) {
		while (mr == MACH_RCV_INTERRUPTED)
			mr = mach_msg_overwrite_trap(msg, option & ~MACH_SEND_MSG, 0, rcv_size,
			    rcv_name, timeout, 0, rcv_msg);
	}
	return mr;
}

static void
destroy_port(mach_port_name_t port, mach_msg_type_name_t type)
{
	if (!MACH_PORT_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		(void)mach_port_deallocate(mach_task_self(), port);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		(void)mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
		/* A right made from a receive right: there is nothing to give back. */
		break;
	default:
		break;
	}
}

static void
free_pages(uint64_t address, uint64_t size)
{
	uint64_t start = address & ~4095ull;
	uint64_t end = (address + size + 4095) & ~4095ull;

	if (size != 0 && address != 0)
		(void)munmap((void *)(uintptr_t)start, end - start);
}

/*
 * mach_msg_destroy: release what a received message carries: the reply
 * right, every right in its descriptors and its out-of-line memory. (The
 * destination right was spent by the receive.)
 */
void
mach_msg_destroy(mach_msg_header_t *msg)
{
	mach_msg_bits_t bits = msg->msgh_bits;
	mach_msg_body_t *body;
	char *p;

	destroy_port(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits));
	if (!MACH_MSGH_BITS_IS_COMPLEX(bits))
		return;
	body = (mach_msg_body_t *)(msg + 1);
	p = (char *)(body + 1);
	for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;

		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			destroy_port(d->port.name, d->port.disposition);
			p += sizeof(mach_msg_port_descriptor_t);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			free_pages((uint64_t)(uintptr_t)d->out_of_line.address, d->out_of_line.size);
			p += sizeof(mach_msg_ool_descriptor_t);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_port_name_t *names = d->ool_ports.address;

			for (mach_msg_size_t j = 0; names != NULL && j < d->ool_ports.count; j++)
				destroy_port(names[j], d->ool_ports.disposition);
			free_pages((uint64_t)(uintptr_t)names,
			    d->ool_ports.count * sizeof(mach_port_name_t));
			p += sizeof(mach_msg_ool_ports_descriptor_t);
			break;
		}
		default:
			return;
		}
	}
}
