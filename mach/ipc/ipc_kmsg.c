/*
 * ipc_kmsg.c - messages inside the kernel (ipc_kmsg.h).
 *
 * Out-of-line memory travels as a vm_map_copy (mach/vm/vm_map_copy.h):
 * copy-on-write for regions above two pages, so a megabyte costs page
 * table work rather than a megabyte of copying, and a kernel buffer for
 * small ones; it lands in fresh memory of the receiver's map
 * (vm_map_copyout). An out-of-line port array is an array of rights in
 * the kernel, written to fresh memory of the receiver's on receipt.
 */

#include "mach/ipc/ipc_kmsg.h"

#include "kernel/copyio.h"
#include "kernel/machine_routines.h"
#include "libkern/assert.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/ipc/ipc_right.h"
#include "mach/ipc/ipc_space.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/processor.h"
#include "mach/kern/task.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/vm_map.h"
#include "mach/vm/vm_map_copy.h"
#include "mach/vm/vm_user.h"

/* Largest out-of-line region one descriptor may carry. */
#define IKM_OOL_MAX		(1024u * 1024u * 1024u)

static uint32_t ipc_kmsgs;			/* [a] allocated, not freed */
static zone_t ipc_kmsg_zone;			/* [I] IKM_SAVED_MSG_SIZE kmsgs */

void
ipc_kmsg_init(void)
{
	ipc_kmsg_zone = zinit(sizeof(struct ipc_kmsg) + IKM_SAVED_MSG_SIZE + MAX_TRAILER_SIZE,
	    0, 0, "ipc.kmsgs");
}

uint32_t
ipc_kmsg_count(void)
{
	return __atomic_load_n(&ipc_kmsgs, __ATOMIC_RELAXED);
}

uint32_t
ipc_kmsg_cached(void)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < processor_count; i++)
		n += __atomic_load_n(&processor_array[i].ikm_cache, __ATOMIC_RELAXED) != IKM_NULL;
	return n;
}

/*
 * This CPU's kept kmsg, taken (IKM_NULL if it has none), and keeping one
 * there (FALSE if it keeps one already). Atomic, so that a thread moved to
 * another CPU meanwhile, or ipc_kmsg_collect on another, is still right.
 */
static ipc_kmsg_t
ikm_cache_take(void)
{
	return __atomic_exchange_n(&current_processor()->ikm_cache, IKM_NULL,
	    __ATOMIC_ACQUIRE);
}

static boolean_t
ikm_cache_put(ipc_kmsg_t kmsg)
{
	ipc_kmsg_t none = IKM_NULL;

	return __atomic_compare_exchange_n(&current_processor()->ikm_cache, &none, kmsg,
	    FALSE, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

void
ipc_kmsg_collect(void)
{
	for (unsigned i = 0; i < processor_count; i++) {
		ipc_kmsg_t kmsg = __atomic_exchange_n(&processor_array[i].ikm_cache, IKM_NULL,
		    __ATOMIC_ACQUIRE);

		if (kmsg != IKM_NULL)
			zfree(ipc_kmsg_zone, kmsg);
	}
}

ipc_kmsg_t
ipc_kmsg_alloc(mach_msg_size_t user_size)
{
	mach_msg_size_t size = user_size + (mach_msg_size_t)IKM_HEADER_GROWTH;
	ipc_kmsg_t kmsg;

	/* Room for a trailer after the message, which kernel servers read there. */
	if (size <= IKM_SAVED_MSG_SIZE) {
		size = IKM_SAVED_MSG_SIZE;
		kmsg = ikm_cache_take();
		if (kmsg == IKM_NULL)
			kmsg = zalloc(ipc_kmsg_zone);
	} else {
		kmsg = kalloc(sizeof(*kmsg) + size + MAX_TRAILER_SIZE);
	}
	if (kmsg == IKM_NULL)
		return IKM_NULL;
	memset(kmsg, 0, sizeof(*kmsg));
	kmsg->ikm_alloc = size;
	kmsg->ikm_user_size = user_size;
	kmsg->ikm_header = (mach_msg_header_t *)(kmsg + 1);
	kmsg->ikm_state = IKM_RIGHTS;
	__atomic_add_fetch(&ipc_kmsgs, 1, __ATOMIC_RELAXED);
	return kmsg;
}

void
ipc_kmsg_free(ipc_kmsg_t kmsg)
{
	__atomic_sub_fetch(&ipc_kmsgs, 1, __ATOMIC_RELAXED);
	if (kmsg->ikm_alloc != IKM_SAVED_MSG_SIZE)
		kfree(kmsg, sizeof(*kmsg) + kmsg->ikm_alloc + MAX_TRAILER_SIZE);
	else if (!ikm_cache_put(kmsg))
		zfree(ipc_kmsg_zone, kmsg);
}

mach_msg_size_t
ipc_kmsg_trailer_size(mach_msg_option_t option)
{
	return REQUESTED_TRAILER_SIZE(option);
}

void
ipc_kmsg_set_sender(ipc_kmsg_t kmsg, task_t task)
{
	mach_msg_max_trailer_t *t = &kmsg->ikm_trailer;

	t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	task_get_tokens(task, &t->msgh_sender, &t->msgh_audit);
}

/*
 * Descriptors. The body's count and each descriptor's type were checked
 * by ipc_kmsg_get; these walk a kmsg known to be well formed.
 */
static mach_msg_body_t *
kmsg_body(ipc_kmsg_t kmsg)
{
	return (mach_msg_body_t *)(kmsg->ikm_header + 1);
}

static mach_msg_size_t
desc_size(const mach_msg_descriptor_t *d)
{
	return d->type.type == MACH_MSG_PORT_DESCRIPTOR ?
	    (mach_msg_size_t)sizeof(mach_msg_port_descriptor_t) :
	    (mach_msg_size_t)sizeof(mach_msg_ool_descriptor_t);
}

static mach_msg_descriptor_t *
desc_next(mach_msg_descriptor_t *d)
{
	return (mach_msg_descriptor_t *)((char *)d + desc_size(d));
}

static mach_msg_descriptor_t *
desc_first(ipc_kmsg_t kmsg)
{
	return (mach_msg_descriptor_t *)(kmsg_body(kmsg) + 1);
}

static mach_msg_size_t
desc_count(ipc_kmsg_t kmsg)
{
	if (!MACH_MSGH_BITS_IS_COMPLEX(kmsg->ikm_header->msgh_bits))
		return 0;
	return kmsg_body(kmsg)->msgh_descriptor_count;
}

#define NAME_OF(ptr)	((mach_port_name_t)(uintptr_t)(ptr))
#define AS_PTR(name)	((void *)(uintptr_t)(name))

/* Free the kernel buffers of descriptors [0, n) (no rights in them). */
static void
desc_free_buffers(ipc_kmsg_t kmsg, mach_msg_size_t n, boolean_t names)
{
	mach_msg_descriptor_t *d = desc_first(kmsg);

	for (mach_msg_size_t i = 0; i < n; i++, d = desc_next(d)) {
		if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			vm_size_t each = names ? sizeof(mach_port_name_t) : sizeof(ipc_object_t);

			if (d->ool_ports.address != NULL)
				kfree(d->ool_ports.address, d->ool_ports.count * each);
			d->ool_ports.address = NULL;
		} else if (d->type.type != MACH_MSG_PORT_DESCRIPTOR) {
			if (d->out_of_line.address != NULL)
				vm_map_copy_discard(d->out_of_line.address);
			d->out_of_line.address = NULL;
		}
	}
}

mach_msg_return_t
ipc_kmsg_get(user_addr_t msg_addr, mach_msg_size_t send_size, ipc_kmsg_t *kmsgp)
{
	mach_msg_user_header_t uh;
	mach_msg_header_t *h;
	mach_msg_size_t n, i, left;
	mach_msg_descriptor_t *d;
	ipc_kmsg_t kmsg;
	char *end;
	struct { uint64_t addr, size; } *deallocs = NULL;
	mach_msg_size_t ndeallocs = 0;

	if (send_size < sizeof(mach_msg_user_header_t) || (send_size & 3) != 0)
		return MACH_SEND_MSG_TOO_SMALL;
	if (send_size > MACH_MSG_SIZE_MAX)
		return MACH_SEND_TOO_LARGE;
	kmsg = ipc_kmsg_alloc(send_size);
	if (kmsg == IKM_NULL)
		return MACH_SEND_NO_BUFFER;
	h = kmsg->ikm_header;
	if (copyin(msg_addr, (char *)h + IKM_HEADER_GROWTH, send_size) != 0) {
		ipc_kmsg_free(kmsg);
		return MACH_SEND_INVALID_DATA;
	}
	memcpy(&uh, (char *)h + IKM_HEADER_GROWTH, sizeof(uh));
	h->msgh_bits = uh.msgh_bits & MACH_MSGH_BITS_USER;
	h->msgh_size = send_size + (mach_msg_size_t)IKM_HEADER_GROWTH;
	h->msgh_remote_port = AS_PTR(uh.msgh_remote_port);
	h->msgh_local_port = AS_PTR(uh.msgh_local_port);
	h->msgh_voucher_port = uh.msgh_voucher_port;
	h->msgh_id = uh.msgh_id;
	kmsg->ikm_state = IKM_NAMES;

	if (!MACH_MSGH_BITS_IS_COMPLEX(h->msgh_bits)) {
		*kmsgp = kmsg;
		return MACH_MSG_SUCCESS;
	}

	/* The descriptors must fit, be of known types, and their memory be readable. */
	end = (char *)h + h->msgh_size;
	if ((char *)(kmsg_body(kmsg) + 1) > end) {
		h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
		ipc_kmsg_free(kmsg);
		return MACH_SEND_MSG_TOO_SMALL;
	}
	n = kmsg_body(kmsg)->msgh_descriptor_count;
	if (n > MACH_MSG_DESCRIPTOR_MAX) {
		h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
		ipc_kmsg_free(kmsg);
		return MACH_SEND_TOO_LARGE;
	}
	if (n != 0 && (deallocs = kalloc(n * sizeof(*deallocs))) == NULL) {
		h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
		ipc_kmsg_free(kmsg);
		return MACH_SEND_NO_BUFFER;
	}
	d = desc_first(kmsg);
	for (i = 0; i < n; i++, d = desc_next(d)) {
		mach_msg_return_t mr = MACH_MSG_SUCCESS;

		left = (mach_msg_size_t)(end - (char *)d);
		if (left < sizeof(mach_msg_type_descriptor_t)) {
			mr = MACH_SEND_MSG_TOO_SMALL;
		} else {
			switch (d->type.type) {
			case MACH_MSG_PORT_DESCRIPTOR: {
				mach_msg_user_port_descriptor_t up;

				memcpy(&up, d, sizeof(up));
				if (!MACH_MSG_TYPE_PORT_ANY(up.disposition)) {
					mr = MACH_SEND_INVALID_TYPE;
					break;
				}
				d->port.name = AS_PTR(up.name);
				d->port.disposition = up.disposition;
				d->port.type = MACH_MSG_PORT_DESCRIPTOR;
				d->port.pad2 = 0;
				break;
			}
			case MACH_MSG_OOL_DESCRIPTOR:
			case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
				mach_msg_user_ool_descriptor_t uo;
				vm_map_copy_t copy = VM_MAP_COPY_NULL;
				kern_return_t kr;

				if (left < sizeof(uo)) {
					mr = MACH_SEND_MSG_TOO_SMALL;
					break;
				}
				memcpy(&uo, d, sizeof(uo));
				d->out_of_line.address = NULL;
				d->out_of_line.type = MACH_MSG_OOL_DESCRIPTOR;
				if (uo.size > IKM_OOL_MAX) {
					mr = MACH_SEND_TOO_LARGE;
					break;
				}
				kr = vm_map_copyin(current_task()->map, uo.address, uo.size, FALSE,
				    &copy);
				if (kr != KERN_SUCCESS) {
					mr = kr == KERN_RESOURCE_SHORTAGE ? MACH_SEND_NO_BUFFER :
					    MACH_SEND_INVALID_MEMORY;
					break;
				}
				d->out_of_line.address = copy;
				d->out_of_line.deallocate = 0;
				if (uo.deallocate && uo.size != 0) {
					deallocs[ndeallocs].addr = uo.address;
					deallocs[ndeallocs].size = uo.size;
					ndeallocs++;
				}
				break;
			}
			case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
				mach_msg_user_ool_ports_descriptor_t up;
				mach_port_name_t *names = NULL;

				if (left < sizeof(up)) {
					mr = MACH_SEND_MSG_TOO_SMALL;
					break;
				}
				memcpy(&up, d, sizeof(up));
				d->ool_ports.address = NULL;
				if (!MACH_MSG_TYPE_PORT_ANY(up.disposition) ||
				    up.disposition == MACH_MSG_TYPE_MOVE_RECEIVE) {
					d->ool_ports.count = 0;
					mr = MACH_SEND_INVALID_TYPE;
					break;
				}
				if (up.count > MACH_MSG_OOL_PORTS_MAX) {
					d->ool_ports.count = 0;
					mr = MACH_SEND_TOO_LARGE;
					break;
				}
				if (up.count != 0) {
					names = kalloc(up.count * sizeof(*names));
					if (names == NULL) {
						d->ool_ports.count = 0;
						mr = MACH_SEND_NO_BUFFER;
						break;
					}
					if (copyin(up.address, names, up.count * sizeof(*names)) != 0) {
						kfree(names, up.count * sizeof(*names));
						d->ool_ports.count = 0;
						mr = MACH_SEND_INVALID_MEMORY;
						break;
					}
				}
				d->ool_ports.address = names;
				d->ool_ports.deallocate = 0;
				if (up.deallocate && up.count != 0) {
					deallocs[ndeallocs].addr = up.address;
					deallocs[ndeallocs].size = up.count * sizeof(*names);
					ndeallocs++;
				}
				break;
			}
			default:
				mr = MACH_SEND_INVALID_TYPE;
				break;
			}
		}
		if (mr != MACH_MSG_SUCCESS) {
			desc_free_buffers(kmsg, i, TRUE);
			h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
			ipc_kmsg_free(kmsg);
			if (deallocs != NULL)
				kfree(deallocs, n * sizeof(*deallocs));
			return mr;
		}
	}
	if ((char *)d > end) {
		desc_free_buffers(kmsg, n, TRUE);
		h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
		ipc_kmsg_free(kmsg);
		if (deallocs != NULL)
			kfree(deallocs, n * sizeof(*deallocs));
		return MACH_SEND_MSG_TOO_SMALL;
	}
	/*
	 * Deallocate-on-send: the sender's copies go now, as in XNU (the
	 * data is the message's from here on, whatever becomes of the send).
	 */
	for (i = 0; i < ndeallocs; i++) {
		uint64_t start = trunc_page(deallocs[i].addr);
		uint64_t stop = round_page(deallocs[i].addr + deallocs[i].size);

		(void)mach_vm_deallocate(current_task()->map, start, stop - start);
	}
	if (deallocs != NULL)
		kfree(deallocs, n * sizeof(*deallocs));
	*kmsgp = kmsg;
	return MACH_MSG_SUCCESS;
}

/*
 * Copyin keeps a log of the rights it has taken, in order: header
 * destination, header reply, then every port of every descriptor. A
 * failure takes them back, newest first, under the names they came from;
 * success writes them into the message.
 */
struct copyin_log {
	mach_port_name_t	name;
	mach_msg_type_name_t	disposition;
	ipc_object_t		object;
};

static void
log_undo(ipc_space_t space, struct copyin_log *log, mach_msg_size_t count)
{
	while (count-- > 0) {
		if (IO_VALID(log[count].object))
			ipc_right_copyin_undo(space, log[count].name, log[count].object,
			    log[count].disposition);
	}
}

/* Take one right for the log: IO_NULL for MACH_PORT_NULL, IO_DEAD for MACH_PORT_DEAD. */
static kern_return_t
log_copyin(ipc_space_t space, struct copyin_log *entry, mach_port_name_t name,
    mach_msg_type_name_t disposition)
{
	entry->name = name;
	entry->disposition = disposition;
	entry->object = name == MACH_PORT_DEAD ? IO_DEAD : IO_NULL;
	if (!MACH_PORT_VALID(name))
		return KERN_SUCCESS;
	return ipc_right_copyin(space, name, disposition, &entry->object);
}

mach_msg_return_t
ipc_kmsg_copyin(ipc_kmsg_t kmsg, ipc_space_t space, vm_map_t map, mach_msg_option_t option)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_type_name_t dest_type = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t reply_type = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	mach_port_name_t dest_name = NAME_OF(h->msgh_remote_port);
	mach_port_name_t reply_name = NAME_OF(h->msgh_local_port);
	mach_msg_size_t n = desc_count(kmsg), i, nlog = 0, logged = 0;
	struct copyin_log small_log[8], *log = NULL;
	ipc_object_t **arrays = NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mach_msg_descriptor_t *d;
	ipc_port_t dport;

	(void)map;
	(void)option;
	assert(kmsg->ikm_state == IKM_NAMES);

	/* The header's shape; its rights are checked as they are taken (and given back). */
	if (MACH_MSGH_BITS_VOUCHER(h->msgh_bits) != 0 && MACH_PORT_VALID(h->msgh_voucher_port))
		return MACH_SEND_INVALID_VOUCHER;
	h->msgh_voucher_port = MACH_PORT_NULL;
	if (!MACH_MSG_TYPE_PORT_ANY_SEND(dest_type))
		return MACH_SEND_INVALID_HEADER;
	if (reply_name == MACH_PORT_NULL)
		reply_type = 0;
	else if (!MACH_MSG_TYPE_PORT_ANY(reply_type) ||
	    (reply_name == MACH_PORT_DEAD && !MACH_MSG_TYPE_PORT_ANY_SEND(reply_type)))
		return MACH_SEND_INVALID_HEADER;
	if (!MACH_PORT_VALID(dest_name))
		return MACH_SEND_INVALID_DEST;

	/* Room for the log and the port arrays, before any right moves. */
	nlog = 2;
	d = desc_first(kmsg);
	for (i = 0; i < n; i++, d = desc_next(d)) {
		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR)
			nlog++;
		else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
			nlog += d->ool_ports.count;
	}
	/* A message with a few rights (most) keeps its log on the stack. */
	log = nlog <= 8 ? small_log : kalloc(nlog * sizeof(*log));
	if (n != 0)
		arrays = kalloc(n * sizeof(*arrays));
	if (arrays != NULL)
		memset(arrays, 0, n * sizeof(*arrays));
	if (log == NULL || (n != 0 && arrays == NULL)) {
		mr = MACH_SEND_NO_BUFFER;
		goto out;
	}
	d = desc_first(kmsg);
	for (i = 0; i < n; i++, d = desc_next(d)) {
		if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR && d->ool_ports.count != 0 &&
		    (arrays[i] = kalloc(d->ool_ports.count * sizeof(ipc_object_t))) == NULL) {
			mr = MACH_SEND_NO_BUFFER;
			goto out;
		}
	}

	/* The header's rights. */
	if (log_copyin(space, &log[logged], dest_name, dest_type) != KERN_SUCCESS ||
	    log[logged].object == IO_DEAD) {
		/* A dead name as destination: the user reference moved is spent. */
		mr = MACH_SEND_INVALID_DEST;
		goto out;
	}
	dport = (ipc_port_t)log[logged++].object;
	if (log_copyin(space, &log[logged], reply_name, reply_type) != KERN_SUCCESS) {
		mr = MACH_SEND_INVALID_REPLY;
		goto undo;
	}
	if (reply_type == MACH_MSG_TYPE_MOVE_RECEIVE &&
	    ipc_port_check_circularity((ipc_port_t)log[logged].object, dport)) {
		logged++;
		mr = MACH_SEND_INVALID_REPLY;
		goto undo;
	}
	logged++;

	/* The descriptors' rights, in order. */
	d = desc_first(kmsg);
	for (i = 0; i < n && mr == MACH_MSG_SUCCESS; i++, d = desc_next(d)) {
		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
			mach_msg_type_name_t t = d->port.disposition;

			if (log_copyin(space, &log[logged], NAME_OF(d->port.name), t) !=
			    KERN_SUCCESS) {
				mr = MACH_SEND_INVALID_RIGHT;
				break;
			}
			logged++;
			if (t == MACH_MSG_TYPE_MOVE_RECEIVE && IO_VALID(log[logged - 1].object) &&
			    ipc_port_check_circularity((ipc_port_t)log[logged - 1].object, dport))
				mr = MACH_SEND_INVALID_RIGHT;
		} else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			mach_port_name_t *names = d->ool_ports.address;

			for (mach_msg_size_t j = 0; j < d->ool_ports.count; j++) {
				if (log_copyin(space, &log[logged], names[j],
				    d->ool_ports.disposition) != KERN_SUCCESS) {
					mr = MACH_SEND_INVALID_RIGHT;
					break;
				}
				logged++;
			}
		}
	}
	if (mr != MACH_MSG_SUCCESS)
		goto undo;

	/* All in: the message holds the rights from here on. */
	logged = 0;
	h->msgh_remote_port = (ipc_port_t)log[logged++].object;
	h->msgh_local_port = (ipc_port_t)log[logged++].object;
	if (reply_type == MACH_MSG_TYPE_MOVE_RECEIVE && IO_VALID(log[1].object)) {
		((ipc_port_t)log[1].object)->ip_destination = dport;
		ip_reference(dport);
	}
	h->msgh_bits = MACH_MSGH_BITS_SET(ipc_object_copyin_type(dest_type),
	    reply_name == MACH_PORT_NULL ? 0 : ipc_object_copyin_type(reply_type), 0,
	    MACH_MSGH_BITS_OTHER(h->msgh_bits));
	d = desc_first(kmsg);
	for (i = 0; i < n; i++, d = desc_next(d)) {
		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
			ipc_object_t obj = log[logged++].object;

			if (d->port.disposition == MACH_MSG_TYPE_MOVE_RECEIVE && IO_VALID(obj)) {
				((ipc_port_t)obj)->ip_destination = dport;
				ip_reference(dport);
			}
			d->port.name = (ipc_port_t)obj;
			d->port.disposition = ipc_object_copyin_type(d->port.disposition);
		} else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			mach_msg_size_t count = d->ool_ports.count;

			for (mach_msg_size_t j = 0; j < count; j++)
				arrays[i][j] = log[logged++].object;
			if (count != 0)
				kfree(d->ool_ports.address, count * sizeof(mach_port_name_t));
			d->ool_ports.address = arrays[i];
			arrays[i] = NULL;
			d->ool_ports.disposition = ipc_object_copyin_type(d->ool_ports.disposition);
		}
	}
	kmsg->ikm_state = IKM_RIGHTS;
	goto out;

undo:
	log_undo(space, log, logged);
out:
	if (arrays != NULL) {
		d = desc_first(kmsg);
		for (i = 0; i < n; i++, d = desc_next(d)) {
			if (arrays[i] != NULL)
				kfree(arrays[i], d->ool_ports.count * sizeof(ipc_object_t));
		}
		kfree(arrays, n * sizeof(*arrays));
	}
	if (log != NULL && log != small_log)
		kfree(log, nlog * sizeof(*log));
	return mr;
}

void
ipc_kmsg_free_names(ipc_kmsg_t kmsg)
{
	assert(kmsg->ikm_state == IKM_NAMES);
	desc_free_buffers(kmsg, desc_count(kmsg), TRUE);
	ipc_kmsg_free(kmsg);
}

mach_msg_return_t
ipc_kmsg_copyout(ipc_kmsg_t kmsg, ipc_space_t space, vm_map_t map, mach_msg_option_t option)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_type_name_t dest_type = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t reply_type = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	ipc_port_t dest = h->msgh_remote_port;
	ipc_object_t reply = (ipc_object_t)h->msgh_local_port;
	mach_port_name_t dest_name, reply_name = MACH_PORT_NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mach_msg_descriptor_t *d;
	mach_msg_size_t n;

	(void)map;
	(void)option;
	assert(kmsg->ikm_state == IKM_RIGHTS);

	/* The destination right was spent getting here; the receiver knows the port by its receive right. */
	dest_name = (IP_VALID(dest) && dest->ip_receiver == space) ? dest->ip_receiver_name :
	    MACH_PORT_NULL;
	if (IP_VALID(dest)) {
		if (dest_type == MACH_MSG_TYPE_PORT_SEND) {
			ipc_port_release_send(dest);
		} else {
			dest->ip_sorights--;
			ip_release(dest);
		}
	}

	if (reply != IO_NULL &&
	    ipc_object_copyout(space, reply, reply_type, &reply_name) != KERN_SUCCESS) {
		ipc_object_destroy(reply, reply_type);
		reply_name = MACH_PORT_NULL;
		mr = MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE;
	}

	n = desc_count(kmsg);
	d = desc_first(kmsg);
	for (mach_msg_size_t i = 0; i < n; i++, d = desc_next(d)) {
		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
			mach_port_name_t name = MACH_PORT_NULL;
			ipc_object_t obj = (ipc_object_t)d->port.name;

			if (obj != IO_NULL &&
			    ipc_object_copyout(space, obj, d->port.disposition, &name) != KERN_SUCCESS) {
				ipc_object_destroy(obj, d->port.disposition);
				name = MACH_PORT_NULL;
				if (mr == MACH_MSG_SUCCESS)
					mr = MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE;
			}
			d->port.name = AS_PTR(name);
		} else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			ipc_object_t *objs = d->ool_ports.address;
			mach_port_name_t *names = NULL;
			mach_msg_size_t count = d->ool_ports.count;

			if (count == 0)
				continue;
			names = kalloc(count * sizeof(*names));
			for (mach_msg_size_t j = 0; j < count; j++) {
				mach_port_name_t name = MACH_PORT_NULL;

				if (objs[j] != IO_NULL && (names == NULL ||
				    ipc_object_copyout(space, objs[j], d->ool_ports.disposition,
				    &name) != KERN_SUCCESS)) {
					ipc_object_destroy(objs[j], d->ool_ports.disposition);
					name = MACH_PORT_NULL;
					if (mr == MACH_MSG_SUCCESS)
						mr = MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE;
				}
				if (names != NULL)
					names[j] = name;
			}
			kfree(objs, count * sizeof(*objs));
			d->ool_ports.address = names;
			if (names == NULL)
				d->ool_ports.count = 0;
		}
	}

	h->msgh_remote_port = AS_PTR(reply_name);
	h->msgh_local_port = AS_PTR(dest_name);
	h->msgh_bits = MACH_MSGH_BITS_SET(reply_type, dest_type, 0, MACH_MSGH_BITS_OTHER(h->msgh_bits));
	kmsg->ikm_state = IKM_COPIED_OUT;
	return mr;
}

mach_msg_return_t
ipc_kmsg_put(ipc_kmsg_t kmsg, user_addr_t msg_addr, mach_msg_option_t option,
    boolean_t trailer, mach_msg_size_t *sizep)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mach_msg_size_t n = desc_count(kmsg);
	mach_msg_descriptor_t *d = desc_first(kmsg);
	mach_msg_user_header_t uh;
	mach_msg_size_t tsize;
	vm_map_t map = current_task()->map;

	assert(kmsg->ikm_state == IKM_COPIED_OUT);

	/* Out-of-line data lands in fresh memory of the receiver's. */
	for (mach_msg_size_t i = 0; i < n; i++, d = desc_next(d)) {
		mach_vm_address_t addr = 0;

		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
			mach_msg_user_port_descriptor_t up = {
				.name = NAME_OF(d->port.name),
				.disposition = d->port.disposition,
				.type = MACH_MSG_PORT_DESCRIPTOR,
			};

			memcpy(d, &up, sizeof(up));
		} else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			mach_port_name_t *names = d->ool_ports.address;
			vm_size_t size = d->ool_ports.count * sizeof(mach_port_name_t);

			if (names != NULL && size != 0) {
				if (mach_vm_allocate(map, &addr, round_page(size), VM_FLAGS_ANYWHERE) !=
				    KERN_SUCCESS) {
					addr = 0;
					mr = MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
				} else if (copyout(names, addr, size) != 0) {
					(void)mach_vm_deallocate(map, addr, round_page(size));
					addr = 0;
					mr = MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
				}
				kfree(names, size);
			}
			mach_msg_user_ool_ports_descriptor_t up = {
				.address = addr,
				.deallocate = 0,
				.copy = d->ool_ports.copy,
				.disposition = d->ool_ports.disposition,
				.type = MACH_MSG_OOL_PORTS_DESCRIPTOR,
				.count = addr != 0 ? d->ool_ports.count : 0,
			};

			memcpy(d, &up, sizeof(up));
		} else {
			vm_map_copy_t copy = d->out_of_line.address;
			mach_msg_size_t size = d->out_of_line.size;

			if (copy != VM_MAP_COPY_NULL &&
			    vm_map_copyout(map, &addr, copy) != KERN_SUCCESS) {
				vm_map_copy_discard(copy);
				addr = 0;
				mr = MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
			}
			mach_msg_user_ool_descriptor_t uo = {
				.address = addr,
				.deallocate = 0,
				.copy = MACH_MSG_VIRTUAL_COPY,
				.type = MACH_MSG_OOL_DESCRIPTOR,
				.size = addr != 0 ? size : 0,
			};

			memcpy(d, &uo, sizeof(uo));
		}
	}

	uh.msgh_bits = h->msgh_bits;
	uh.msgh_size = kmsg->ikm_user_size;
	uh.msgh_remote_port = NAME_OF(h->msgh_remote_port);
	uh.msgh_local_port = NAME_OF(h->msgh_local_port);
	uh.msgh_voucher_port = MACH_PORT_NULL;
	uh.msgh_id = h->msgh_id;
	memcpy((char *)h + IKM_HEADER_GROWTH, &uh, sizeof(uh));

	tsize = trailer ? ipc_kmsg_trailer_size(option) : 0;
	kmsg->ikm_trailer.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	kmsg->ikm_trailer.msgh_trailer_size = tsize;
	if (copyout((char *)h + IKM_HEADER_GROWTH, msg_addr, kmsg->ikm_user_size) != 0 ||
	    copyout(&kmsg->ikm_trailer, msg_addr + kmsg->ikm_user_size, tsize) != 0)
		mr = MACH_RCV_INVALID_DATA;
	*sizep = kmsg->ikm_user_size;
	ipc_kmsg_free(kmsg);
	return mr;
}

void
ipc_kmsg_destroy(ipc_kmsg_t kmsg)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_descriptor_t *d;
	mach_msg_size_t n;

	if (kmsg->ikm_state == IKM_NAMES) {
		ipc_kmsg_free_names(kmsg);
		return;
	}
	assert(kmsg->ikm_state == IKM_RIGHTS);
	ipc_object_destroy((ipc_object_t)h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	ipc_object_destroy((ipc_object_t)h->msgh_local_port, MACH_MSGH_BITS_LOCAL(h->msgh_bits));
	n = desc_count(kmsg);
	d = desc_first(kmsg);
	for (mach_msg_size_t i = 0; i < n; i++, d = desc_next(d)) {
		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
			ipc_port_t port = d->port.name;

			if (d->port.disposition == MACH_MSG_TYPE_PORT_RECEIVE && IP_VALID(port) &&
			    port->ip_destination != IP_NULL) {
				ip_release(port->ip_destination);
				port->ip_destination = IP_NULL;
			}
			ipc_object_destroy((ipc_object_t)port, d->port.disposition);
		} else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			ipc_object_t *objs = d->ool_ports.address;

			for (mach_msg_size_t j = 0; j < d->ool_ports.count && objs != NULL; j++)
				ipc_object_destroy(objs[j], d->ool_ports.disposition);
			if (objs != NULL)
				kfree(objs, d->ool_ports.count * sizeof(*objs));
		} else if (d->out_of_line.address != NULL) {
			vm_map_copy_discard(d->out_of_line.address);
		}
	}
	ipc_kmsg_free(kmsg);
}

/*
 * Messages to destroy, and whether a destruction is under way. Destroying
 * a message may destroy a port whose queue holds more messages, which may
 * hold more ports: a user can nest receive rights in messages as deep as it
 * likes, so the work goes on this queue and the outermost call empties it,
 * in a loop rather than a recursion. [L]
 */
static struct ipc_kmsg_queue ipc_kmsg_reap = TAILQ_HEAD_INITIALIZER(ipc_kmsg_reap);
static boolean_t ipc_kmsg_reaping;

void
ipc_kmsg_queue_destroy(struct ipc_kmsg_queue *queue)
{
	ipc_kmsg_t kmsg;

	while ((kmsg = TAILQ_FIRST(queue)) != IKM_NULL) {
		TAILQ_REMOVE(queue, kmsg, ikm_link);
		TAILQ_INSERT_TAIL(&ipc_kmsg_reap, kmsg, ikm_link);
	}
	if (ipc_kmsg_reaping)
		return;		/* the outermost call takes them */
	ipc_kmsg_reaping = TRUE;
	while ((kmsg = TAILQ_FIRST(&ipc_kmsg_reap)) != IKM_NULL) {
		TAILQ_REMOVE(&ipc_kmsg_reap, kmsg, ikm_link);
		ipc_kmsg_destroy(kmsg);
	}
	ipc_kmsg_reaping = FALSE;
}
