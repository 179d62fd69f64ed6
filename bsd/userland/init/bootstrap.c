/*
 * bootstrap.c - init's bootstrap server: services by name (bootstrap.h).
 *
 * A thread of process 1 receives on the bootstrap port and answers
 * through the generated server (servers/bootstrap.defs, serverprefix x_).
 * The table maps names to send rights the server holds. bootstrap_check_in
 * makes a port, keeps a send right and hands the receive right out;
 * bootstrap_register keeps the send right it is given. For each it asks
 * for a dead-name notification on its send right, so that a service
 * whose receive right dies is forgotten and its name is free again.
 *
 * The table lives in this thread alone: no locks.
 */

#include "bootstrap.h"

#include <mach/mach.h>
#include <mach/mig.h>
#include <pthread.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bootstrapServer.h"

#define SERVICES_MAX	256

struct service {
	char		name[BOOTSTRAP_MAX_NAME_LEN];
	mach_port_t	port;		/* a send right; MACH_PORT_NULL: free slot */
};

static struct service services[SERVICES_MAX];
static mach_port_t server_port;

static struct service *
service_find(const char *name)
{
	for (int i = 0; i < SERVICES_MAX; i++) {
		if (services[i].port != MACH_PORT_NULL && strcmp(services[i].name, name) == 0)
			return &services[i];
	}
	return NULL;
}

/* Keep a send right under name, asking to hear when its port dies. */
static kern_return_t
service_add(const char *name, mach_port_t port)
{
	mach_port_t previous;

	for (int i = 0; i < SERVICES_MAX; i++) {
		if (services[i].port == MACH_PORT_NULL) {
			if (mach_port_request_notification(mach_task_self(), port,
			    MACH_NOTIFY_DEAD_NAME, 0, server_port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
			    &previous) != KERN_SUCCESS)
				return BOOTSTRAP_NO_MEMORY;
			snprintf(services[i].name, sizeof(services[i].name), "%s", name);
			services[i].port = port;
			return BOOTSTRAP_SUCCESS;
		}
	}
	return BOOTSTRAP_NO_MEMORY;
}

static int
name_ok(const char *name)
{
	return name[0] != '\0' && memchr(name, '\0', BOOTSTRAP_MAX_NAME_LEN) != NULL;
}

kern_return_t
x_bootstrap_check_in(mach_port_t bp, char *service_name, audit_token_t caller, mach_port_t *sp)
{
	mach_port_t port;
	kern_return_t kr;

	(void)bp;
	(void)caller;
	if (!name_ok(service_name))
		return BOOTSTRAP_UNKNOWN_SERVICE;
	if (service_find(service_name) != NULL)
		return BOOTSTRAP_SERVICE_ACTIVE;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS)
		return BOOTSTRAP_NO_MEMORY;
	if (mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND) !=
	    KERN_SUCCESS) {
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
		return BOOTSTRAP_NO_MEMORY;
	}
	kr = service_add(service_name, port);
	if (kr != BOOTSTRAP_SUCCESS) {
		mach_port_destroy(mach_task_self(), port);
		return kr;
	}
	*sp = port;		/* the receive right moves out with the reply */
	return BOOTSTRAP_SUCCESS;
}

kern_return_t
x_bootstrap_register(mach_port_t bp, char *service_name, mach_port_t sp, audit_token_t caller)
{
	kern_return_t kr;

	(void)bp;
	(void)caller;
	if (!name_ok(service_name) || !MACH_PORT_VALID(sp))
		return BOOTSTRAP_UNKNOWN_SERVICE;
	if (service_find(service_name) != NULL)
		return BOOTSTRAP_SERVICE_ACTIVE;
	kr = service_add(service_name, sp);
	return kr;
}

kern_return_t
x_bootstrap_look_up(mach_port_t bp, char *service_name, mach_port_t *sp)
{
	struct service *s;

	(void)bp;
	if (!name_ok(service_name) || (s = service_find(service_name)) == NULL)
		return BOOTSTRAP_UNKNOWN_SERVICE;
	/* The reply moves a send right: one more reference for it to take. */
	if (mach_port_mod_refs(mach_task_self(), s->port, MACH_PORT_RIGHT_SEND, 1) != KERN_SUCCESS)
		return BOOTSTRAP_UNKNOWN_SERVICE;
	*sp = s->port;
	return BOOTSTRAP_SUCCESS;
}

/* A service's port died: forget it (the name holds two references now). */
static void
dead_name(mach_port_t name)
{
	for (int i = 0; i < SERVICES_MAX; i++) {
		if (services[i].port == name) {
			services[i].port = MACH_PORT_NULL;
			mach_port_deallocate(mach_task_self(), name);
			break;
		}
	}
	mach_port_deallocate(mach_task_self(), name);
}

static void *
bootstrap_main(void *arg)
{
	union {
		mach_msg_header_t	header;
		char			buf[1024];
	} in, out;

	(void)arg;
	for (;;) {
		mach_msg_return_t mr = mach_msg(&in.header, MACH_RCV_MSG |
		    MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0, sizeof(in) - 64,
		    server_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);

		if (mr != MACH_MSG_SUCCESS)
			continue;
		if (in.header.msgh_id == MACH_NOTIFY_DEAD_NAME) {
			mach_dead_name_notification_t *n = (void *)&in;

			dead_name(n->not_port);
			continue;
		}
		memset(&out, 0, sizeof(out));
		if (!bootstrap_server(&in.header, &out.header) ||
		    ((mig_reply_error_t *)&out)->RetCode != KERN_SUCCESS) {
			/* A refused request's rights are not kept. */
			mach_port_t reply = in.header.msgh_remote_port;

			in.header.msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(&in.header);
			in.header.msgh_remote_port = reply;
		}
		if (!MACH_PORT_VALID(out.header.msgh_remote_port))
			continue;
		/* A client whose reply port is full loses its answer; the server never waits. */
		if (mach_msg(&out.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.header.msgh_size,
		    0, MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			mach_msg_destroy(&out.header);
	}
	return NULL;
}

void
bootstrap_start(void)
{
	pthread_t thread;
	pthread_attr_t attr;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &server_port) !=
	    KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), server_port, server_port,
	    MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS ||
	    task_set_bootstrap_port(mach_task_self(), server_port) != KERN_SUCCESS) {
		dprintf(2, "init: no bootstrap port: services cannot be found by name\n");
		return;
	}
	bootstrap_port = server_port;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, bootstrap_main, NULL) != 0)
		dprintf(2, "init: no thread for the bootstrap server\n");
	pthread_attr_destroy(&attr);
}
