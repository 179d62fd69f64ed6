/*
 * ClassHolder: defines a class and keeps one instance of it alive until
 * root writes 1 to debug.classholder_release. Unload is refused while the
 * instance lives, naming the class and the count.
 */
#include <IOKit/IOLib.h>
#include <libkern/OSMetaClass.h>
#include <libkern/OSObject.h>
#include <mach/kmod.h>
#include <stddef.h>
#include <sys/sysctl.h>

kern_return_t ClassHolder_start(kmod_info_t *ki, void *data);
kern_return_t ClassHolder_stop(kmod_info_t *ki, void *data);

struct org_machina_test_Held {
	OSObject	held_os;
	int		held_value;
};
OSDeclareDefaultStructors(org_machina_test_Held);
OSDefineMetaClassAndStructors(org_machina_test_Held, OSObject);

static org_machina_test_Held *held;

static int
classholder_release SYSCTL_HANDLER_ARGS
{
	int v = held != NULL, error;

	error = sysctl_handle_int(oidp, &v, 0, req);
	if (error != 0 || req->newptr == 0)
		return error;
	if (v == 1 && held != NULL) {
		OSObject_release(&held->held_os);
		held = NULL;
	}
	return 0;
}
SYSCTL_PROC(_debug, OID_AUTO, classholder_release, CTLTYPE_INT | CTLFLAG_RW, NULL, 0,
    classholder_release, "I", "write 1 to let the instance go");

kern_return_t
ClassHolder_start(kmod_info_t *ki, void *data)
{
	held = OSTypeAlloc(org_machina_test_Held);
	if (held == NULL)
		return KERN_RESOURCE_SHORTAGE;
	held->held_value = 42;
	sysctl_register_oid(&sysctl__debug_classholder_release);
	return KERN_SUCCESS;
}

kern_return_t
ClassHolder_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_classholder_release);
	if (held != NULL)
		OSObject_release(&held->held_os);
	held = NULL;
	return KERN_SUCCESS;
}
