/*
 * bootstrap.c - bootstrap_strerror (servers/bootstrap.h); the calls are
 * the generated stubs of servers/bootstrap.defs.
 */

#include <servers/bootstrap.h>

#include <mach/mig.h>

const char *
bootstrap_strerror(kern_return_t r)
{
	switch (r) {
	case BOOTSTRAP_SUCCESS:
		return "Success";
	case BOOTSTRAP_NOT_PRIVILEGED:
		return "Permission denied";
	case BOOTSTRAP_NAME_IN_USE:
	case BOOTSTRAP_SERVICE_ACTIVE:
		return "Service is already active";
	case BOOTSTRAP_UNKNOWN_SERVICE:
		return "Unknown service name";
	case BOOTSTRAP_BAD_COUNT:
		return "Too many lookups were requested in one request";
	case BOOTSTRAP_NO_MEMORY:
		return "Out of memory";
	case MIG_SERVER_DIED:
		return "The bootstrap server went away";
	default:
		return "Unknown error";
	}
}
