/*
 * IOUserClient_test.c - I/O Kit objects behind ports, and the routines of
 * mach/iokit.defs called as the generated server calls them: one port per
 * object, the object released when its last send right goes, and every
 * kind of bad argument refused.
 */

#include "iokit/Kernel/IOUserClient.h"

#include "iokit/Kernel/IORegistryEntry.h"
#include "iokit/Kernel/IOService.h"
#include "libkern/string.h"
#include "mach/ipc/ipc_kobject.h"
#include "mach/ipc/ipc_object.h"
#include "mach/ipc/ipc_port.h"
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

KTEST(IOUserClient, one_port_per_object_released_on_no_senders)
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

KTEST(IOUserClient, other_ports_are_not_objects)
{
	ipc_port_t master = IOUserClient_masterPort();

	KT_ASSERT_TRUE(IP_VALID(master));
	KT_EXPECT_EQ(iokit_lookup_object_port(master), NULL);
	KT_EXPECT_EQ(iokit_lookup_object_port(IP_NULL), NULL);
	KT_EXPECT_EQ(iokit_make_object_port(NULL), IP_NULL);
}

KTEST(IOUserClient, routines_refuse_the_wrong_objects)
{
	IORegistryEntry *root = IORegistryEntry_getRegistryRoot();
	ipc_port_t master = IOUserClient_masterPort();
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

KTEST(IOUserClient, matching_and_properties_for_IOResources)
{
	ipc_port_t master = IOUserClient_masterPort();
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
