/*
 * servers/bootstrap.h - finding services by name (launchd's interface,
 * served by init: docs/ipc.md).
 *
 * Every task is born with a send right to the bootstrap server's port,
 * bootstrap_port (inherited from its parent; TASK_BOOTSTRAP_PORT).
 *
 *	bootstrap_check_in(bootstrap_port, "org.example.echo", &rcv)
 *		the receive right of a new service of that name, for the
 *		task that serves it;
 *	bootstrap_look_up(bootstrap_port, "org.example.echo", &send)
 *		a send right to it, for its clients;
 *	bootstrap_register(bootstrap_port, "org.example.echo", send)
 *		advertise a send right the caller already has.
 *
 * A name is free again once its service's receive right dies. Errors are
 * launchd's BOOTSTRAP_* codes (or a kern_return_t / mach_msg_return_t
 * from the exchange itself).
 */

#ifndef _SERVERS_BOOTSTRAP_H_
#define _SERVERS_BOOTSTRAP_H_

#include <mach/mach_types.h>
#include <mach/message.h>

#define BOOTSTRAP_MAX_NAME_LEN		128

#define BOOTSTRAP_SUCCESS		0
#define BOOTSTRAP_NOT_PRIVILEGED	1100
#define BOOTSTRAP_NAME_IN_USE		1101
#define BOOTSTRAP_UNKNOWN_SERVICE	1102
#define BOOTSTRAP_SERVICE_ACTIVE	1103
#define BOOTSTRAP_BAD_COUNT		1104
#define BOOTSTRAP_NO_MEMORY		1105
#define BOOTSTRAP_NO_CHILDREN		1106

typedef char	name_t[BOOTSTRAP_MAX_NAME_LEN];

extern mach_port_t	bootstrap_port;

kern_return_t	bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp);
kern_return_t	bootstrap_register(mach_port_t bp, const char *service_name, mach_port_t sp);
kern_return_t	bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp);

/* bootstrap_strerror: what a BOOTSTRAP_* (or other) code means. */
const char	*bootstrap_strerror(kern_return_t r);

#endif /* _SERVERS_BOOTSTRAP_H_ */
