/*
 * port.h - port names, rights and port attributes as user space and the
 * kernel exchange them (XNU's mach/port.h; the values are XNU's).
 *
 * A port name is a task's 32-bit handle for a right it holds: the index of
 * an entry in the task's IPC space in the upper 24 bits and a generation
 * number in the low 8, bumped each time the entry is reused, so a stale
 * name does not silently denote a new right. The same port has unrelated
 * names in different tasks. MACH_PORT_NULL (0) names nothing and
 * MACH_PORT_DEAD (~0) stands for a right whose port died.
 *
 * Shared by the kernel and user space (installed into libsystem's
 * headers): nothing here may depend on kernel-only headers.
 */

#ifndef MACH_PORT_H
#define MACH_PORT_H

#include "mach/std_types.h"

typedef natural_t	mach_port_name_t;
typedef mach_port_name_t *mach_port_name_array_t;

/*
 * mach_port_t is a port as the code at hand holds it: in user space its
 * name, inside the kernel the port object itself (XNU's convention, so one
 * interface definition yields both sides: a kernel server's message carries
 * port pointers where the user's carried names).
 */
#ifdef KERNEL
struct ipc_port;
typedef struct ipc_port	*mach_port_t;
#else
typedef mach_port_name_t mach_port_t;
#endif
typedef mach_port_t	*mach_port_array_t;

#define MACH_PORT_NULL		0u
#define MACH_PORT_DEAD		(~0u)
#define MACH_PORT_VALID(name)	((name) != MACH_PORT_NULL && (name) != MACH_PORT_DEAD)

#define MACH_PORT_INDEX(name)		((name) >> 8)
#define MACH_PORT_GEN(name)		(((name) & 0xffu) << 24)
#define MACH_PORT_MAKE(index, gen)	(((index) << 8) | ((gen) >> 24))

/* The kinds of right (mach_port_allocate, mach_port_mod_refs). */
typedef natural_t	mach_port_right_t;
#define MACH_PORT_RIGHT_SEND		((mach_port_right_t)0)
#define MACH_PORT_RIGHT_RECEIVE		((mach_port_right_t)1)
#define MACH_PORT_RIGHT_SEND_ONCE	((mach_port_right_t)2)
#define MACH_PORT_RIGHT_PORT_SET	((mach_port_right_t)3)
#define MACH_PORT_RIGHT_DEAD_NAME	((mach_port_right_t)4)
#define MACH_PORT_RIGHT_LABELH		((mach_port_right_t)5)	/* obsolete */
#define MACH_PORT_RIGHT_NUMBER		((mach_port_right_t)6)

/* What a name denotes (mach_port_type): one bit per kind of right. */
typedef natural_t	mach_port_type_t;
typedef mach_port_type_t *mach_port_type_array_t;
#define MACH_PORT_TYPE(right)		((mach_port_type_t)(1u << ((right) + 16)))
#define MACH_PORT_TYPE_NONE		((mach_port_type_t)0)
#define MACH_PORT_TYPE_SEND		MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND)
#define MACH_PORT_TYPE_RECEIVE		MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE)
#define MACH_PORT_TYPE_SEND_ONCE	MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_SET		MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET)
#define MACH_PORT_TYPE_DEAD_NAME	MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME)
#define MACH_PORT_TYPE_SEND_RECEIVE	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_SEND_RIGHTS	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_RIGHTS	(MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_PORT_OR_DEAD	(MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME)
#define MACH_PORT_TYPE_ALL_RIGHTS	(MACH_PORT_TYPE_PORT_OR_DEAD | MACH_PORT_TYPE_PORT_SET)
/* Requests outstanding on a name, also reported by mach_port_type. */
#define MACH_PORT_TYPE_DNREQUEST	0x80000000u
#define MACH_PORT_TYPE_SPREQUEST	0x40000000u
#define MACH_PORT_TYPE_SPREQUEST_DELAYED 0x20000000u

typedef natural_t	mach_port_urefs_t;	/* user references on a name */
typedef integer_t	mach_port_delta_t;	/* a change in them */
typedef natural_t	mach_port_seqno_t;	/* a receive right's sequence number */
typedef natural_t	mach_port_mscount_t;	/* its make-send count */
typedef natural_t	mach_port_msgcount_t;	/* messages queued on it */
typedef natural_t	mach_port_rights_t;	/* send-once rights outstanding */
typedef unsigned int	mach_port_srights_t;	/* whether send rights exist */

/* The most user references one name may carry for one kind of right. */
#define MACH_PORT_UREFS_MAX	((mach_port_urefs_t)0xffff)

/* Queue limits (mach_port_set_attributes with MACH_PORT_LIMITS_INFO). */
#define MACH_PORT_QLIMIT_ZERO		0
#define MACH_PORT_QLIMIT_BASIC		5
#define MACH_PORT_QLIMIT_SMALL		16
#define MACH_PORT_QLIMIT_LARGE		1024
#define MACH_PORT_QLIMIT_KERNEL		65534
#define MACH_PORT_QLIMIT_MIN		MACH_PORT_QLIMIT_ZERO
#define MACH_PORT_QLIMIT_DEFAULT	MACH_PORT_QLIMIT_BASIC
#define MACH_PORT_QLIMIT_MAX		MACH_PORT_QLIMIT_LARGE

/* mach_port_get_attributes / mach_port_set_attributes flavors. */
typedef int		mach_port_flavor_t;
typedef integer_t	*mach_port_info_t;
#define MACH_PORT_LIMITS_INFO		1
#define MACH_PORT_RECEIVE_STATUS	2
#define MACH_PORT_DNREQUESTS_SIZE	3

typedef struct mach_port_limits {
	mach_port_msgcount_t	mpl_qlimit;
} mach_port_limits_t;
#define MACH_PORT_LIMITS_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(mach_port_limits_t) / sizeof(natural_t)))

typedef struct mach_port_status {
	mach_port_name_t	mps_pset;	/* the set it is in, or MACH_PORT_NULL */
	mach_port_seqno_t	mps_seqno;
	mach_port_mscount_t	mps_mscount;
	mach_port_msgcount_t	mps_qlimit;
	mach_port_msgcount_t	mps_msgcount;
	mach_port_rights_t	mps_sorights;
	boolean_t		mps_srights;
	boolean_t		mps_pdrequest;	/* a port-destroyed request is armed */
	boolean_t		mps_nsrequest;	/* a no-senders request is armed */
	natural_t		mps_flags;
} mach_port_status_t;
#define MACH_PORT_RECEIVE_STATUS_COUNT \
	((mach_msg_type_number_t)(sizeof(mach_port_status_t) / sizeof(natural_t)))
#define MACH_PORT_DNREQUESTS_SIZE_COUNT	1

#endif /* MACH_PORT_H */
