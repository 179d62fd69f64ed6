/*
 * message.h - Mach messages as user space sends and receives them (XNU's
 * mach/message.h: the layouts, bits, options and return codes are XNU's,
 * for 64-bit tasks).
 *
 * A message is a header, then for a complex message (MACH_MSGH_BITS_COMPLEX)
 * a body giving a count of descriptors and the descriptors themselves,
 * then plain data. The kernel appends a trailer on receipt. Everything is
 * packed to 4 bytes, as in XNU, so an out-of-line descriptor's 64-bit
 * address may sit at an offset that is not a multiple of 8.
 *
 * The header's port fields carry names in the sender's space when sent and
 * names in the receiver's space when received (in a kernel server's
 * message, the ports themselves); msgh_bits says what kind of
 * right each one carries (the disposition on send, the resulting right on
 * receipt: MACH_MSG_TYPE_PORT_SEND and so on).
 *
 * Shared by the kernel and user space (installed into libsystem's
 * headers): nothing here may depend on kernel-only headers.
 */

#ifndef MACH_MESSAGE_H
#define MACH_MESSAGE_H

#include "mach/port.h"

typedef natural_t	mach_msg_timeout_t;	/* milliseconds */
#define MACH_MSG_TIMEOUT_NONE	((mach_msg_timeout_t)0)

/* msgh_bits */
typedef unsigned int	mach_msg_bits_t;
#define MACH_MSGH_BITS_ZERO		0x00000000u
#define MACH_MSGH_BITS_REMOTE_MASK	0x0000001fu
#define MACH_MSGH_BITS_LOCAL_MASK	0x00001f00u
#define MACH_MSGH_BITS_VOUCHER_MASK	0x001f0000u
#define MACH_MSGH_BITS_PORTS_MASK \
	(MACH_MSGH_BITS_REMOTE_MASK | MACH_MSGH_BITS_LOCAL_MASK | MACH_MSGH_BITS_VOUCHER_MASK)
#define MACH_MSGH_BITS_COMPLEX		0x80000000u	/* a body of descriptors follows */
#define MACH_MSGH_BITS_USER		0x801f1f1fu	/* the bits user space may set */
#define MACH_MSGH_BITS_RAISEIMP		0x20000000u	/* not used */
#define MACH_MSGH_BITS_DENAP		MACH_MSGH_BITS_RAISEIMP
#define MACH_MSGH_BITS_IMPHOLDASRT	0x10000000u	/* not used */
#define MACH_MSGH_BITS_DENAPHOLDASRT	MACH_MSGH_BITS_IMPHOLDASRT
#define MACH_MSGH_BITS_CIRCULAR		0x10000000u	/* kernel only */

#define MACH_MSGH_BITS(remote, local)	((remote) | ((local) << 8))
#define MACH_MSGH_BITS_SET_PORTS(remote, local, voucher) \
	(((remote) & MACH_MSGH_BITS_REMOTE_MASK) | \
	 (((local) << 8) & MACH_MSGH_BITS_LOCAL_MASK) | \
	 (((voucher) << 16) & MACH_MSGH_BITS_VOUCHER_MASK))
#define MACH_MSGH_BITS_SET(remote, local, voucher, other) \
	(MACH_MSGH_BITS_SET_PORTS((remote), (local), (voucher)) | \
	 ((other) & ~MACH_MSGH_BITS_PORTS_MASK))
#define MACH_MSGH_BITS_REMOTE(bits)	((bits) & MACH_MSGH_BITS_REMOTE_MASK)
#define MACH_MSGH_BITS_LOCAL(bits)	(((bits) & MACH_MSGH_BITS_LOCAL_MASK) >> 8)
#define MACH_MSGH_BITS_VOUCHER(bits)	(((bits) & MACH_MSGH_BITS_VOUCHER_MASK) >> 16)
#define MACH_MSGH_BITS_PORTS(bits)	((bits) & MACH_MSGH_BITS_PORTS_MASK)
#define MACH_MSGH_BITS_OTHER(bits)	((bits) & ~MACH_MSGH_BITS_PORTS_MASK)
#define MACH_MSGH_BITS_HAS_REMOTE(bits)	(MACH_MSGH_BITS_REMOTE(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HAS_LOCAL(bits)	(MACH_MSGH_BITS_LOCAL(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HAS_VOUCHER(bits) (MACH_MSGH_BITS_VOUCHER(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_IS_COMPLEX(bits)	(((bits) & MACH_MSGH_BITS_COMPLEX) != 0)

typedef natural_t	mach_msg_size_t;
typedef integer_t	mach_msg_id_t;
typedef unsigned int	mach_msg_type_name_t;
typedef unsigned int	mach_msg_copy_options_t;
typedef unsigned int	mach_msg_descriptor_type_t;
typedef unsigned int	mach_msg_trailer_type_t;
typedef unsigned int	mach_msg_trailer_size_t;
typedef integer_t	mach_msg_option_t;
typedef kern_return_t	mach_msg_return_t;
typedef natural_t	mach_msg_priority_t;

/* Dispositions: what a send does with the sender's right. */
#define MACH_MSG_TYPE_PORT_NAME		15	/* a bare name, no right moves */
#define MACH_MSG_TYPE_MOVE_RECEIVE	16
#define MACH_MSG_TYPE_MOVE_SEND		17
#define MACH_MSG_TYPE_MOVE_SEND_ONCE	18
#define MACH_MSG_TYPE_COPY_SEND		19
#define MACH_MSG_TYPE_MAKE_SEND		20
#define MACH_MSG_TYPE_MAKE_SEND_ONCE	21
#define MACH_MSG_TYPE_COPY_RECEIVE	22	/* not allowed */
#define MACH_MSG_TYPE_DISPOSE_RECEIVE	24
#define MACH_MSG_TYPE_DISPOSE_SEND	25
#define MACH_MSG_TYPE_DISPOSE_SEND_ONCE	26
/* ... and the right the receiver gets for each. */
#define MACH_MSG_TYPE_PORT_RECEIVE	MACH_MSG_TYPE_MOVE_RECEIVE
#define MACH_MSG_TYPE_PORT_SEND		MACH_MSG_TYPE_MOVE_SEND
#define MACH_MSG_TYPE_PORT_SEND_ONCE	MACH_MSG_TYPE_MOVE_SEND_ONCE
#define MACH_MSG_TYPE_LAST		22
#define MACH_MSG_TYPE_POLYMORPHIC	((mach_msg_type_name_t)-1)

#define MACH_MSG_TYPE_PORT_ANY(x) \
	((x) >= MACH_MSG_TYPE_MOVE_RECEIVE && (x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define MACH_MSG_TYPE_PORT_ANY_SEND(x) \
	((x) >= MACH_MSG_TYPE_MOVE_SEND && (x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define MACH_MSG_TYPE_PORT_ANY_RIGHT(x) \
	((x) >= MACH_MSG_TYPE_MOVE_RECEIVE && (x) <= MACH_MSG_TYPE_MOVE_SEND_ONCE)

/* Descriptor types and out-of-line copy options. */
#define MACH_MSG_PORT_DESCRIPTOR		0
#define MACH_MSG_OOL_DESCRIPTOR			1
#define MACH_MSG_OOL_PORTS_DESCRIPTOR		2
#define MACH_MSG_OOL_VOLATILE_DESCRIPTOR	3
#define MACH_MSG_GUARDED_PORT_DESCRIPTOR	4

#define MACH_MSG_PHYSICAL_COPY	0	/* copy the bytes now */
#define MACH_MSG_VIRTUAL_COPY	1	/* copy-on-write where it pays */
#define MACH_MSG_ALLOCATE	2
#define MACH_MSG_OVERWRITE	3	/* obsolete */

#pragma pack(push, 4)

/*
 * The header and the descriptors that carry ports are declared with
 * mach_port_t: names in user space; in the kernel, port pointers (port.h).
 * A message in the kernel (an ipc_kmsg) is held in that layout: the header
 * grows from 24 to 32 bytes on copyin and shrinks back on copyout, while
 * each descriptor keeps its size (a port descriptor's name and padding
 * become one pointer). The mach_msg_user_* types below are the user
 * layout, for the kernel's copyin and copyout.
 */
typedef struct {
	mach_msg_bits_t		msgh_bits;
	mach_msg_size_t		msgh_size;	/* header, body and data; no trailer */
	mach_port_t		msgh_remote_port; /* send: destination; receive: reply */
	mach_port_t		msgh_local_port;  /* send: reply port; receive: destination */
	mach_port_name_t	msgh_voucher_port;
	mach_msg_id_t		msgh_id;
} mach_msg_header_t;

#define msgh_reserved		msgh_voucher_port
#define MACH_MSG_NULL		((mach_msg_header_t *)0)

typedef struct {
	mach_msg_size_t		msgh_descriptor_count;
} mach_msg_body_t;

typedef struct {
	natural_t			pad1;
	mach_msg_size_t			pad2;
	unsigned int			pad3 : 24;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_type_descriptor_t;

typedef struct {
	mach_port_t			name;
#ifndef KERNEL
	mach_msg_size_t			pad1;
#endif
	unsigned int			pad2 : 16;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_port_descriptor_t;

typedef struct {
	void				*address;	/* in the kernel, a vm_map_copy */
	boolean_t			deallocate : 8;	/* unmap from the sender */
	mach_msg_copy_options_t		copy : 8;
	unsigned int			pad1 : 8;
	mach_msg_descriptor_type_t	type : 8;
	mach_msg_size_t			size;
} mach_msg_ool_descriptor_t;

typedef struct {
	void				*address;	/* an array of mach_port_t */
	boolean_t			deallocate : 8;
	mach_msg_copy_options_t		copy : 8;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
	mach_msg_size_t			count;
} mach_msg_ool_ports_descriptor_t;

typedef union {
	mach_msg_port_descriptor_t	port;
	mach_msg_ool_descriptor_t	out_of_line;
	mach_msg_ool_ports_descriptor_t	ool_ports;
	mach_msg_type_descriptor_t	type;
} mach_msg_descriptor_t;

/* The user layout, whatever the code at hand is compiled for. */
typedef struct {
	mach_msg_bits_t		msgh_bits;
	mach_msg_size_t		msgh_size;
	mach_port_name_t	msgh_remote_port;
	mach_port_name_t	msgh_local_port;
	mach_port_name_t	msgh_voucher_port;
	mach_msg_id_t		msgh_id;
} mach_msg_user_header_t;

typedef struct {
	mach_port_name_t		name;
	mach_msg_size_t			pad1;
	unsigned int			pad2 : 16;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_user_port_descriptor_t;

typedef struct {
	uint64_t			address;
	boolean_t			deallocate : 8;
	mach_msg_copy_options_t		copy : 8;
	unsigned int			pad1 : 8;
	mach_msg_descriptor_type_t	type : 8;
	mach_msg_size_t			size;
} mach_msg_user_ool_descriptor_t;

typedef struct {
	uint64_t			address;	/* an array of names */
	boolean_t			deallocate : 8;
	mach_msg_copy_options_t		copy : 8;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
	mach_msg_size_t			count;
} mach_msg_user_ool_ports_descriptor_t;

typedef mach_msg_user_ool_descriptor_t	mach_msg_ool_descriptor64_t;
typedef mach_msg_user_ool_ports_descriptor_t mach_msg_ool_ports_descriptor64_t;

typedef struct {
	mach_msg_header_t	header;
	mach_msg_body_t		body;
} mach_msg_base_t;

/* Trailers, appended by the kernel on receipt. */
#define MACH_MSG_TRAILER_FORMAT_0	0

typedef struct {
	mach_msg_trailer_type_t	msgh_trailer_type;
	mach_msg_trailer_size_t	msgh_trailer_size;
} mach_msg_trailer_t;

typedef struct {
	mach_msg_trailer_type_t	msgh_trailer_type;
	mach_msg_trailer_size_t	msgh_trailer_size;
	mach_port_seqno_t	msgh_seqno;
} mach_msg_seqno_trailer_t;

/* The sender's effective uid and gid, as the kernel saw them. */
typedef struct {
	unsigned int	val[2];
} security_token_t;

/*
 * Who sent a message: val[0] audit user id, [1] euid, [2] egid, [3] ruid,
 * [4] rgid, [5] pid, [6] audit session id, [7] pid version. Read it with
 * audit_token_to_pid() and friends (libsystem's <bsm/libbsm.h>).
 */
typedef struct {
	unsigned int	val[8];
} audit_token_t;

typedef struct {
	mach_msg_trailer_type_t	msgh_trailer_type;
	mach_msg_trailer_size_t	msgh_trailer_size;
	mach_port_seqno_t	msgh_seqno;
	security_token_t	msgh_sender;
} mach_msg_security_trailer_t;

typedef struct {
	mach_msg_trailer_type_t	msgh_trailer_type;
	mach_msg_trailer_size_t	msgh_trailer_size;
	mach_port_seqno_t	msgh_seqno;
	security_token_t	msgh_sender;
	audit_token_t		msgh_audit;
} mach_msg_audit_trailer_t;

typedef struct {
	mach_msg_trailer_type_t	msgh_trailer_type;
	mach_msg_trailer_size_t	msgh_trailer_size;
	mach_port_seqno_t	msgh_seqno;
	security_token_t	msgh_sender;
	audit_token_t		msgh_audit;
	uint64_t		msgh_context;
} mach_msg_context_trailer_t;

typedef mach_msg_context_trailer_t	mach_msg_max_trailer_t;
#define MAX_TRAILER_SIZE	((mach_msg_size_t)sizeof(mach_msg_max_trailer_t))
typedef mach_msg_security_trailer_t	mach_msg_format_0_trailer_t;

/* An empty message, to send or to receive into with room for any trailer. */
typedef struct {
	mach_msg_header_t	header;
} mach_msg_empty_send_t;

typedef struct {
	mach_msg_header_t	header;
	mach_msg_trailer_t	trailer;
} mach_msg_empty_rcv_t;

typedef union {
	mach_msg_empty_send_t	send;
	mach_msg_empty_rcv_t	rcv;
} mach_msg_empty_t;

#pragma pack(pop)

#define MACH_MSG_BODY_NULL		((mach_msg_body_t *)0)
#define MACH_MSG_DESCRIPTOR_NULL	((mach_msg_descriptor_t *)0)

#define KERNEL_SECURITY_TOKEN_VALUE	{ { 0, 1 } }
#define KERNEL_AUDIT_TOKEN_VALUE	{ { 0, 0, 0, 0, 0, 0, 0, 0 } }

/* The largest message the kernel accepts, header to end of data. */
#define MACH_MSG_SIZE_MAX	(1024u * 1024u)	/* inline; more goes out of line */
/* Descriptors in one message at most. */
#define MACH_MSG_DESCRIPTOR_MAX	(16u * 1024u)
/* Port names in one out-of-line port array at most. */
#define MACH_MSG_OOL_PORTS_MAX	(16u * 1024u)

/* Which trailer the receiver asks for (in the receive options). */
#define MACH_RCV_TRAILER_NULL		0
#define MACH_RCV_TRAILER_SEQNO		1
#define MACH_RCV_TRAILER_SENDER		2
#define MACH_RCV_TRAILER_AUDIT		3
#define MACH_RCV_TRAILER_CTX		4
#define MACH_RCV_TRAILER_TYPE(x)	(((x) & 0xf) << 28)
#define MACH_RCV_TRAILER_ELEMENTS(x)	(((x) & 0xf) << 24)
#define MACH_RCV_TRAILER_MASK		((0xf << 24))
#define GET_RCV_ELEMENTS(y)		(((y) >> 24) & 0xf)
#define REQUESTED_TRAILER_SIZE(y) \
	((mach_msg_trailer_size_t) \
	 (GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_NULL ? sizeof(mach_msg_trailer_t) : \
	  GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SEQNO ? sizeof(mach_msg_seqno_trailer_t) : \
	  GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SENDER ? sizeof(mach_msg_security_trailer_t) : \
	  GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AUDIT ? sizeof(mach_msg_audit_trailer_t) : \
	  sizeof(mach_msg_context_trailer_t)))

/* mach_msg options */
#define MACH_MSG_OPTION_NONE	0x00000000
#define MACH_SEND_MSG		0x00000001
#define MACH_RCV_MSG		0x00000002
#define MACH_RCV_LARGE		0x00000004	/* too large: leave it queued, say how big */
#define MACH_RCV_LARGE_IDENTITY	0x00000008
#define MACH_SEND_TIMEOUT	0x00000010
#define MACH_SEND_OVERRIDE	0x00000020
#define MACH_SEND_INTERRUPT	0x00000040	/* don't restart an interrupted send */
#define MACH_SEND_NOTIFY	0x00000080	/* queue one over the limit, then send-possible */
#define MACH_SEND_ALWAYS	0x00010000	/* kernel only: ignore the queue limit */
#define MACH_SEND_TRAILER	0x00020000
#define MACH_SEND_NOIMPORTANCE	0x00040000
#define MACH_SEND_NODENAP	MACH_SEND_NOIMPORTANCE
#define MACH_SEND_IMPORTANCE	0x00080000
#define MACH_SEND_SYNC_OVERRIDE	0x00100000
#define MACH_SEND_PROPAGATE_QOS	0x00200000
#define MACH_SEND_KERNEL	0x00400000
#define MACH_RCV_TIMEOUT	0x00000100
#define MACH_RCV_NOTIFY		0x00000000	/* obsolete */
#define MACH_RCV_INTERRUPT	0x00000400	/* don't restart an interrupted receive */
#define MACH_RCV_VOUCHER	0x00000800
#define MACH_RCV_OVERWRITE	0x00000000	/* obsolete */
#define MACH_RCV_SYNC_WAIT	0x00004000

#define MACH_SEND_USER	(MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_SEND_NOTIFY | \
			 MACH_SEND_OVERRIDE | MACH_SEND_TRAILER | MACH_SEND_NOIMPORTANCE | \
			 MACH_SEND_SYNC_OVERRIDE | MACH_SEND_INTERRUPT | MACH_SEND_PROPAGATE_QOS)
#define MACH_RCV_USER	(MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE | \
			 MACH_RCV_LARGE_IDENTITY | MACH_RCV_VOUCHER | MACH_RCV_INTERRUPT | \
			 MACH_RCV_SYNC_WAIT | MACH_RCV_TRAILER_MASK | (0xf << 28))

/* mach_msg return codes */
#define MACH_MSG_SUCCESS		0x00000000

#define MACH_MSG_MASK			0x00003e00	/* extra bits on a send error: */
#define MACH_MSG_IPC_SPACE		0x00002000	/* no room in the space for a right */
#define MACH_MSG_VM_SPACE		0x00001000	/* no room in the map for OOL data */
#define MACH_MSG_IPC_KERNEL		0x00000800	/* kernel resources for rights ran out */
#define MACH_MSG_VM_KERNEL		0x00000400	/* kernel resources for memory ran out */

#define MACH_SEND_IN_PROGRESS		0x10000001
#define MACH_SEND_INVALID_DATA		0x10000002	/* bad message buffer */
#define MACH_SEND_INVALID_DEST		0x10000003	/* no such destination right */
#define MACH_SEND_TIMED_OUT		0x10000004
#define MACH_SEND_INVALID_VOUCHER	0x10000005
#define MACH_SEND_INTERRUPTED		0x10000007
#define MACH_SEND_MSG_TOO_SMALL		0x10000008
#define MACH_SEND_INVALID_REPLY		0x10000009
#define MACH_SEND_INVALID_RIGHT		0x1000000a	/* a descriptor names a right not held */
#define MACH_SEND_INVALID_NOTIFY	0x1000000b
#define MACH_SEND_INVALID_MEMORY	0x1000000c	/* out-of-line memory unreadable */
#define MACH_SEND_NO_BUFFER		0x1000000d
#define MACH_SEND_TOO_LARGE		0x1000000e
#define MACH_SEND_INVALID_TYPE		0x1000000f	/* bad descriptor type or disposition */
#define MACH_SEND_INVALID_HEADER	0x10000010
#define MACH_SEND_INVALID_TRAILER	0x10000011
#define MACH_SEND_INVALID_CONTEXT	0x10000012
#define MACH_SEND_INVALID_RT_OOL_SIZE	0x10000015
#define MACH_SEND_NO_GRANT_DEST		0x10000016

#define MACH_RCV_IN_PROGRESS		0x10004001
#define MACH_RCV_INVALID_NAME		0x10004002
#define MACH_RCV_TIMED_OUT		0x10004003
#define MACH_RCV_TOO_LARGE		0x10004004
#define MACH_RCV_INTERRUPTED		0x10004005
#define MACH_RCV_PORT_CHANGED		0x10004006
#define MACH_RCV_INVALID_NOTIFY		0x10004007
#define MACH_RCV_INVALID_DATA		0x10004008	/* bad receive buffer */
#define MACH_RCV_PORT_DIED		0x10004009
#define MACH_RCV_IN_SET			0x1000400a
#define MACH_RCV_HEADER_ERROR		0x1000400b
#define MACH_RCV_BODY_ERROR		0x1000400c
#define MACH_RCV_INVALID_TYPE		0x1000400d
#define MACH_RCV_SCATTER_SMALL		0x1000400e
#define MACH_RCV_INVALID_TRAILER	0x1000400f
#define MACH_RCV_IN_PROGRESS_TIMED	0x10004011

#ifndef KERNEL
mach_msg_return_t	mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			    mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			    mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			    mach_port_name_t notify);
mach_msg_return_t	mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
			    mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			    mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			    mach_port_name_t notify, mach_msg_header_t *rcv_msg,
			    mach_msg_size_t rcv_limit);
void			mach_msg_destroy(mach_msg_header_t *msg);
#endif

#endif /* MACH_MESSAGE_H */
