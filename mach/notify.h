/*
 * notify.h - the notifications the kernel sends about ports (XNU's
 * mach/notify.h; message ids and layouts are XNU's).
 *
 * A task asks for one with mach_port_request_notification, naming a
 * send-once right (usually made from a receive right it holds) where the
 * notification is to go:
 *   MACH_NOTIFY_DEAD_NAME	a send or send-once right it holds became a
 *				dead name (the receive right was destroyed);
 *				the name is in not_port. The dead name gains
 *				a user reference the notification carries.
 *   MACH_NOTIFY_NO_SENDERS	the last send right to a port whose receive
 *				right it holds went away; not_count is the
 *				make-send count at that moment.
 *   MACH_NOTIFY_PORT_DESTROYED	a receive right it armed was about to be
 *				destroyed: the right itself arrives in
 *				not_port instead (in a port descriptor).
 *   MACH_NOTIFY_SEND_POSSIBLE	a full queue has room again.
 *   MACH_NOTIFY_SEND_ONCE	a send-once right was destroyed unused
 *				(sent to its port by the kernel).
 *   MACH_NOTIFY_PORT_DELETED	a name it asked about was deleted.
 *
 * Shared by the kernel and user space.
 */

#ifndef MACH_NOTIFY_H
#define MACH_NOTIFY_H

#include "mach/message.h"
#include "mach/ndr.h"

#define MACH_NOTIFY_FIRST		0100
#define MACH_NOTIFY_PORT_DELETED	(MACH_NOTIFY_FIRST + 001)
#define MACH_NOTIFY_SEND_POSSIBLE	(MACH_NOTIFY_FIRST + 002)
#define MACH_NOTIFY_PORT_DESTROYED	(MACH_NOTIFY_FIRST + 005)
#define MACH_NOTIFY_NO_SENDERS		(MACH_NOTIFY_FIRST + 006)
#define MACH_NOTIFY_SEND_ONCE		(MACH_NOTIFY_FIRST + 007)
#define MACH_NOTIFY_DEAD_NAME		(MACH_NOTIFY_FIRST + 010)
#define MACH_NOTIFY_LAST		(MACH_NOTIFY_FIRST + 015)

#define MACH_NOTIFY_MSGID_VALID(id) \
	((id) == MACH_NOTIFY_PORT_DELETED || (id) == MACH_NOTIFY_SEND_POSSIBLE || \
	 (id) == MACH_NOTIFY_PORT_DESTROYED || (id) == MACH_NOTIFY_NO_SENDERS || \
	 (id) == MACH_NOTIFY_SEND_ONCE || (id) == MACH_NOTIFY_DEAD_NAME)

#pragma pack(push, 4)

typedef struct {
	mach_msg_header_t	not_header;
	NDR_record_t		NDR;
	mach_port_name_t	not_port;	/* the name deleted */
	mach_msg_format_0_trailer_t trailer;
} mach_port_deleted_notification_t;

typedef struct {
	mach_msg_header_t	not_header;
	NDR_record_t		NDR;
	mach_port_name_t	not_port;	/* the name that has room again */
	mach_msg_format_0_trailer_t trailer;
} mach_send_possible_notification_t;

typedef struct {
	mach_msg_header_t	not_header;
	mach_msg_body_t		not_body;
	mach_msg_port_descriptor_t not_port;	/* the receive right itself */
	mach_msg_format_0_trailer_t trailer;
} mach_port_destroyed_notification_t;

typedef struct {
	mach_msg_header_t	not_header;
	NDR_record_t		NDR;
	mach_port_mscount_t	not_count;	/* make-send count then */
	mach_msg_format_0_trailer_t trailer;
} mach_no_senders_notification_t;

typedef struct {
	mach_msg_header_t	not_header;
	mach_msg_format_0_trailer_t trailer;
} mach_send_once_notification_t;

typedef struct {
	mach_msg_header_t	not_header;
	NDR_record_t		NDR;
	mach_port_name_t	not_port;	/* the name that died */
	mach_msg_format_0_trailer_t trailer;
} mach_dead_name_notification_t;

#pragma pack(pop)

#endif /* MACH_NOTIFY_H */
