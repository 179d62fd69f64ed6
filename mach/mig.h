/*
 * mig.h - what interface-generated code (tools/mig/mig.py) needs from the
 * system: the error codes a stub returns, the reply that carries only an
 * error, the shape of a server's routine table, and (user space) the
 * runtime that hands out reply ports (XNU's mach/mig.h and mig_errors.h;
 * the values are XNU's).
 *
 * A subsystem's routine table (struct mig_subsystem) is what a dispatcher
 * reads: routine[msgh_id - start].stub_routine unpacks a request, calls the
 * server's routine and packs the reply; maxsize is the largest reply.
 *
 * Shared by the kernel and user space (installed into libsystem's
 * headers).
 */

#ifndef MACH_MIG_H
#define MACH_MIG_H

#include <stddef.h>

#include "mach/mach_types.h"
#include "mach/message.h"
#include "mach/ndr.h"

/* What a generated stub returns besides kern_return_t and mach_msg_return_t. */
#define MIG_TYPE_ERROR		-300	/* the reply is not what the interface says */
#define MIG_REPLY_MISMATCH	-301	/* the reply answers another request */
#define MIG_REMOTE_ERROR	-302	/* the server found an error */
#define MIG_BAD_ID		-303	/* the server knows no such message id */
#define MIG_BAD_ARGUMENTS	-304	/* the request is malformed */
#define MIG_NO_REPLY		-305	/* the server replies later, or never */
#define MIG_EXCEPTION		-306
#define MIG_ARRAY_TOO_LARGE	-307	/* more elements than the caller has room for */
#define MIG_SERVER_DIED		-308	/* the reply right was destroyed unanswered */
#define MIG_TRAILER_ERROR	-309	/* the request lacks the trailer asked for */

/* A message's size rounded up to the 4-byte unit messages are made of. */
#define MIG_ROUND4(x)		((mach_msg_size_t)(((x) + 3u) & ~3u))

#pragma pack(push, 4)

/* The reply of a routine that failed: a header and the code, nothing else. */
typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	kern_return_t		RetCode;
} mig_reply_error_t;

#pragma pack(pop)

/* A stub: unpack InHeadP, call the server's routine, pack OutHeadP. */
typedef void (*mig_routine_t)(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
/* A subsystem's lookup: the stub for a request's msgh_id, or 0. */
typedef mig_routine_t (*mig_server_routine_t)(mach_msg_header_t *InHeadP);
/* Unused (0): XNU's direct entry to the server's routine. */
typedef kern_return_t (*mig_impl_routine_t)(void);

/* One routine of a subsystem; a skipped id has no stub_routine. */
struct routine_descriptor {
	mig_impl_routine_t	impl_routine;
	mig_routine_t		stub_routine;
	unsigned int		argc;		/* parameters of the server's routine */
	unsigned int		descr_count;	/* descriptors in request and reply */
	void			*arg_descr;	/* unused */
	unsigned int		max_reply_msg;	/* the routine's reply, at most */
};
typedef struct routine_descriptor *routine_descriptor_t;
typedef struct routine_descriptor mig_routine_descriptor;

/*
 * Every generated <name>_subsystem starts like this; routine[] has end -
 * start entries there.
 */
struct mig_subsystem {
	mig_server_routine_t	server;
	mach_msg_id_t		start;		/* the first message id */
	mach_msg_id_t		end;		/* one past the last */
	mach_msg_size_t		maxsize;	/* the largest reply */
	vm_address_t		reserved;
	mig_routine_descriptor	routine[1];
};
typedef struct mig_subsystem *mig_subsystem_t;

#ifndef KERNEL
/*
 * The user-space runtime (libsystem): a reply port per thread, made on
 * first use; mig_dealloc_reply_port destroys it after a failed exchange
 * (a late reply could arrive), mig_put_reply_port gives it back unused.
 */
mach_port_t	mig_get_reply_port(void);
void		mig_dealloc_reply_port(mach_port_t reply_port);
void		mig_put_reply_port(mach_port_t reply_port);
/* strncpy that always terminates; returns the length with the NUL. */
int		mig_strncpy(char *dest, const char *src, int len);
/* Memory for out-of-line data, from and back to the task's map. */
void		mig_allocate(vm_address_t *addr, vm_size_t size);
void		mig_deallocate(vm_address_t addr, vm_size_t size);
#endif

#endif /* MACH_MIG_H */
