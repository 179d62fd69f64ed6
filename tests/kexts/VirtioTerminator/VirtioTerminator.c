/*
 * VirtioTerminator: terminates every IOVirtioDevice when root writes 1 to
 * debug.virtio_terminate, so that tests/iokit/test_virtio.py can show the
 * virtio family and its drivers let go of everything they hold: the
 * drivers' stop runs, their instances go, and kextunload of VirtioRNG and
 * of IOVirtioFamily then succeeds (it is refused while an instance of
 * their classes lives, and the family's allocation tag reports blocks
 * still outstanding when it is freed). The sysctl reads back how many
 * devices the last write terminated.
 */
#include <IOKit/IOLib.h>
#include <IOKit/IOService.h>
#include <libkern/OSCollectionIterator.h>
#include <libkern/OSDictionary.h>
#include <mach/kmod.h>
#include <stddef.h>
#include <sys/sysctl.h>

kern_return_t VirtioTerminator_start(kmod_info_t *ki, void *data);
kern_return_t VirtioTerminator_stop(kmod_info_t *ki, void *data);

static int terminated;

static int
terminate_all(void)
{
	OSDictionary *match = IOService_serviceMatching("IOVirtioDevice", NULL);
	OSCollectionIterator *it = match != NULL ? IOService_getMatchingServices(match) : NULL;
	OSObject *o;
	int n = 0;

	while (it != NULL && (o = OSCollectionIterator_getNextObject(it)) != NULL) {
		IOService *s = OSDynamicCast(IOService, o);

		if (s != NULL && IOService_terminate(s, 0))
			n++;
	}
	OSSafeReleaseNULL(it);
	OSSafeReleaseNULL(match);
	IOLog("VirtioTerminator: terminated %d virtio device%s\n", n, n == 1 ? "" : "s");
	return n;
}

static int
virtio_terminate SYSCTL_HANDLER_ARGS
{
	int v = terminated, error;

	error = sysctl_handle_int(oidp, &v, 0, req);
	if (error != 0 || req->newptr == 0)
		return error;
	if (v == 1)
		terminated = terminate_all();
	return 0;
}

SYSCTL_PROC(_debug, OID_AUTO, virtio_terminate, CTLTYPE_INT | CTLFLAG_RW, NULL, 0,
    virtio_terminate, "I", "write 1 to terminate every virtio device");

kern_return_t
VirtioTerminator_start(kmod_info_t *ki, void *data)
{
	sysctl_register_oid(&sysctl__debug_virtio_terminate);
	return KERN_SUCCESS;
}

kern_return_t
VirtioTerminator_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_virtio_terminate);
	return KERN_SUCCESS;
}
