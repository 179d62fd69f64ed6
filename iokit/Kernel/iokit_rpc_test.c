/*
 * iokit_rpc_test.c - I/O Kit objects and connections behind ports, and the
 * routines of mach/iokit.defs called as the generated server calls them:
 * one port per object, the object released when its last send right
 * goes; a connection port of its own kind, its client closed by the
 * reaper when the last right goes unclosed; and every kind of bad
 * argument refused.
 */

#include "iokit/Kernel/iokit_rpc.h"

#include "iokit/Kernel/IORegistryEntry.h"
#include "iokit/Kernel/IOLib.h"
#include "iokit/Kernel/IOService.h"
#include "iokit/Kernel/IOUserClient.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
#include "mach/kern/task.h"
#include "mach/vm/vm_map_copy.h"
#include "tests/ktest.h"

static IORegistryEntry *
test_entry(const char *name)
{
	IORegistryEntry *e = OSTypeAlloc(IORegistryEntry);

	if (e != NULL && (!IORegistryEntry_init(e, NULL) || !IORegistryEntry_setName(e, name, NULL)))
		OSSafeReleaseNULL(e);
	return e;
}

static void
release_send(ipc_port_t port)
{
	ipc_lock();
	ipc_port_release_send(port);
	ipc_unlock();
}

KTEST(iokit_rpc, one_port_per_object_released_on_no_senders)
{
	IORegistryEntry *e = test_entry("ucport");
	uint32_t ports = iokit_object_port_count();
	ipc_port_t p1, p2;
	io_object_t back;

	KT_ASSERT_TRUE(e != NULL);
	OSObject_retain(OSOBJ(e));			/* the port takes this one */
	p1 = iokit_make_object_port(OSOBJ(e));
	KT_ASSERT_TRUE(IP_VALID(p1));
	KT_EXPECT_EQ(iokit_object_port_count(), ports + 1);
	KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(e)), 2);
	OSObject_retain(OSOBJ(e));			/* consumed: the port has its own */
	p2 = iokit_make_object_port(OSOBJ(e));
	KT_EXPECT_EQ(p1, p2);
	KT_EXPECT_EQ(iokit_object_port_count(), ports + 1);
	KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(e)), 2);

	back = iokit_lookup_object_port(p1);
	KT_EXPECT_EQ(back, OSOBJ(e));
	iokit_remove_reference(back);

	release_send(p2);
	KT_EXPECT_EQ(iokit_object_port_count(), ports + 1);
	release_send(p1);				/* the last: no-senders */
	KT_EXPECT_EQ(iokit_object_port_count(), ports);
	KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(e)), 1);
	OSObject_release(OSOBJ(e));
}

KTEST(iokit_rpc, other_ports_are_not_objects)
{
	ipc_port_t master = iokit_master_port();

	KT_ASSERT_TRUE(IP_VALID(master));
	KT_EXPECT_EQ(iokit_lookup_object_port(master), NULL);
	KT_EXPECT_EQ(iokit_lookup_object_port(IP_NULL), NULL);
	KT_EXPECT_EQ(iokit_make_object_port(NULL), IP_NULL);
}

KTEST(iokit_rpc, routines_refuse_the_wrong_objects)
{
	IORegistryEntry *root = IORegistryEntry_getRegistryRoot();
	ipc_port_t master = iokit_master_port();
	io_object_t it = NULL, obj = NULL;
	io_name_t name;
	io_string_t path;
	boolean_t b;

	KT_EXPECT_EQ(is_io_registry_entry_get_name(NULL, name), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_object_get_class(NULL, name), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_registry_get_root_entry(IP_NULL, &obj), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_registry_entry_get_path(OSOBJ(root), "NoSuchPlane", path),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_registry_entry_get_path(OSOBJ(root), "", path), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_registry_entry_get_child_iterator(OSOBJ(root), "Nope", &it),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_registry_create_iterator(master, kIOServicePlane, 0x40, &it),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_iterator_next(OSOBJ(root), &obj), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_iterator_is_valid(OSOBJ(root), &b), kIOReturnBadArgument);

	KT_ASSERT_EQ(is_io_registry_entry_get_child_iterator(OSOBJ(root), kIOServicePlane, &it),
	    kIOReturnSuccess);
	KT_EXPECT_EQ(is_io_registry_entry_get_name(it, name), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_registry_entry_get_registry_entry_id(it, &(uint64_t){ 0 }),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_object_get_class(it, name), kIOReturnSuccess);
	KT_EXPECT_STREQ(name, "IORegistryIterator");
	OSObject_release(it);

	KT_EXPECT_EQ(is_io_service_get_matching_services(master, "<dict><key>a</key>", &it),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_service_get_matching_services(master, "<string>x</string>", &it),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_service_get_matching_services(master, "", &it), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_service_get_matching_services(IP_NULL, "<dict/>", &it),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_registry_entry_get_location_in_plane(OSOBJ(root), "", name),
	    kIOReturnNotFound);
}

KTEST(iokit_rpc, matching_and_properties_for_IOResources)
{
	ipc_port_t master = iokit_master_port();
	io_object_t it = NULL, obj = NULL;
	io_buf_ptr_t props = NULL;
	mach_msg_type_number_t count = 0;
	io_string_t path;
	boolean_t conforms = FALSE;

	KT_ASSERT_EQ(is_io_service_get_matching_services(master,
	    "<dict><key>IOProviderClass</key><string>IOResources</string></dict>", &it),
	    kIOReturnSuccess);
	KT_ASSERT_EQ(is_io_iterator_next(it, &obj), kIOReturnSuccess);
	KT_EXPECT_EQ(obj, OSOBJ(IOService_getResourceService()));
	KT_EXPECT_EQ(is_io_object_conforms_to(obj, "IOService", &conforms), kIOReturnSuccess);
	KT_EXPECT_TRUE(conforms);
	KT_EXPECT_EQ(is_io_registry_entry_get_path(obj, kIOServicePlane, path), kIOReturnSuccess);
	KT_EXPECT_STREQ(path, "IOService:/IOResources");
	KT_EXPECT_EQ(is_io_registry_entry_get_properties(obj, &props, &count), kIOReturnSuccess);
	KT_EXPECT_GT(count, 0u);
	if (props != NULL)
		vm_map_copy_discard((vm_map_copy_t)(void *)props);
	KT_EXPECT_EQ(is_io_registry_entry_get_property(obj, "NoSuchKey", &props, &count),
	    kIOReturnNotFound);
	OSObject_release(obj);
	KT_EXPECT_EQ(is_io_iterator_next(it, &obj), kIOReturnNoDevice);
	OSObject_release(it);
}

/* --- connections ------------------------------------------------------------------- */

static IOReturn
rpc_test_add(OSObject *target __unused, void *ref __unused, IOExternalMethodArguments *a)
{
	a->scalarOutput[0] = a->scalarInput[0] + a->scalarInput[1];
	return kIOReturnSuccess;
}

static const IOExternalMethodDispatch rpc_test_methods[] = {
	{ rpc_test_add, 2, 0, 1, 0 },
};

static IOUserClient *
test_client(void)
{
	IOUserClient *uc = OSTypeAlloc(IOUserClient);

	if (uc != NULL && !IOUserClient_initWithTask(uc, kernel_task, kernel_task, 0, NULL))
		OSSafeReleaseNULL(uc);
	if (uc != NULL)
		IOUserClient_setExternalMethods(uc, rpc_test_methods, 1);
	return uc;
}

/* Wait (a bounded while) for the reaper to have nothing left to do. */
static bool
reaper_idle(void)
{
	for (int i = 0; i < 2000 && iokit_reaper_pending() != 0; i++)
		IOSleep(1);
	return iokit_reaper_pending() == 0;
}

KTEST(iokit_rpc, connection_ports_are_their_own_kind)
{
	IOUserClient *uc = test_client();
	IORegistryEntry *e = test_entry("ucother");
	uint32_t connects = iokit_connect_port_count();
	ipc_port_t cp, op;

	KT_ASSERT_TRUE(uc != NULL && e != NULL);
	OSObject_retain(OSOBJ(uc));			/* the port takes this one */
	cp = iokit_make_connect_port(OSOBJ(uc));
	KT_ASSERT_TRUE(IP_VALID(cp));
	KT_EXPECT_EQ(iokit_connect_port_count(), connects + 1);
	KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(uc)), 2);
	OSObject_retain(OSOBJ(e));
	op = iokit_make_object_port(OSOBJ(e));
	KT_ASSERT_TRUE(IP_VALID(op));

	KT_EXPECT_EQ(iokit_lookup_object_port(cp), NULL);
	KT_EXPECT_EQ(iokit_lookup_connect_port(op), NULL);
	KT_EXPECT_EQ(iokit_lookup_connect_port(iokit_master_port()), NULL);
	KT_EXPECT_EQ(iokit_lookup_connect_port(cp), OSOBJ(uc));
	iokit_remove_connect_reference(OSOBJ(uc));
	/* An entry where a connection is needed, and the other way round. */
	KT_EXPECT_EQ(is_io_service_close(OSOBJ(e)), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_connect_get_service(OSOBJ(e), &(io_object_t){ NULL }),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_service_open(OSOBJ(e), kernel_task, 0, &(io_connect_t){ NULL }),
	    kIOReturnBadArgument);

	/* Closed, then the last right goes: the reaper drops the port's reference. */
	KT_EXPECT_EQ(is_io_service_close(OSOBJ(uc)), kIOReturnSuccess);
	KT_EXPECT_EQ(is_io_service_close(OSOBJ(uc)), kIOReturnNotOpen);
	release_send(cp);
	KT_EXPECT_EQ(iokit_connect_port_count(), connects);
	KT_EXPECT_TRUE(reaper_idle());
	KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(uc)), 1);
	release_send(op);
	OSObject_release(OSOBJ(uc));
	OSObject_release(OSOBJ(e));
}

KTEST(iokit_rpc, an_abandoned_connection_is_reaped)
{
	IOUserClient *uc = test_client();
	ipc_port_t cp;

	KT_ASSERT_TRUE(uc != NULL);
	OSObject_retain(OSOBJ(uc));
	cp = iokit_make_connect_port(OSOBJ(uc));
	KT_ASSERT_TRUE(IP_VALID(cp));
	release_send(cp);				/* unclosed: to the reaper */
	KT_EXPECT_TRUE(reaper_idle());
	KT_EXPECT_TRUE(IOUserClient_isClosed(uc));	/* clientDied ran */
	KT_EXPECT_TRUE(IOService_isInactive(&uc->uc_service));
	KT_EXPECT_EQ(OSObject_getRetainCount(OSOBJ(uc)), 1);
	OSObject_release(OSOBJ(uc));
}

KTEST(iokit_rpc, connect_method_checks_what_arrives)
{
	IOUserClient *uc = test_client();
	io_scalar_inband64_t in = { 40, 2 }, out = { 0 };
	static io_struct_inband_t inband, outband;
	mach_msg_type_number_t nout, bout;
	mach_vm_size_t ool_out;

	KT_ASSERT_TRUE(uc != NULL);
	nout = 1, bout = 0, ool_out = 0;
	KT_EXPECT_EQ(is_io_connect_method(OSOBJ(uc), 0, in, 2, inband, 0, 0, 0, outband, &bout,
	    out, &nout, 0, &ool_out), kIOReturnSuccess);
	KT_EXPECT_EQ(out[0], 42u);
	KT_EXPECT_EQ(nout, 1u);
	nout = 1;
	KT_EXPECT_EQ(is_io_connect_method(NULL, 0, in, 2, inband, 0, 0, 0, outband, &bout, out,
	    &nout, 0, &ool_out), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_connect_method(OSOBJ(uc), 0, in, kIOUCScalarMax + 1, inband, 0, 0, 0,
	    outband, &bout, out, &nout, 0, &ool_out), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_connect_method(OSOBJ(uc), 0, in, 2, inband, 8, 0x10000, 8, outband,
	    &bout, out, &nout, 0, &ool_out), kIOReturnBadArgument);
	KT_EXPECT_EQ(is_io_connect_method(OSOBJ(uc), 0, in, 2, inband, 0, 0x10000,
	    (mach_vm_size_t)kIOUCStructOOLMax + 1, outband, &bout, out, &nout, 0, &ool_out),
	    kIOReturnBadArgument);
	ool_out = 8;
	KT_EXPECT_EQ(is_io_connect_method(OSOBJ(uc), 0, in, 2, inband, 0, 0, 0, outband, &bout,
	    out, &nout, 0, &ool_out), kIOReturnBadArgument);	/* a size without an address */
	ool_out = 0;
	KT_EXPECT_EQ(is_io_connect_method(OSOBJ(uc), 1, in, 2, inband, 0, 0, 0, outband, &bout,
	    out, &nout, 0, &ool_out), kIOReturnUnsupported);
	KT_EXPECT_EQ(IOUserClient_closeOnce(uc, false), kIOReturnSuccess);
	KT_EXPECT_EQ(is_io_connect_method(OSOBJ(uc), 0, in, 2, inband, 0, 0, 0, outband, &bout,
	    out, &nout, 0, &ool_out), kIOReturnNotOpen);
	OSObject_release(OSOBJ(uc));
}
