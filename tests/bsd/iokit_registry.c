/*
 * iokit_registry.c - the I/O Registry from user space: IOKitLib's calls
 * over mach/iokit.defs, what the kernel refuses, that every reference is
 * given back (the kernel's port count returns to where it was), and the
 * ioreg tool's output and options.
 */

#include <IOKit/IOKitLib.h>
#include <IOKit/iokitmig.h>
#include <mach/mach.h>
#include <stdlib.h>
#include <string.h>

#include "mach_test.h"
#include "run_program.h"
#include "tap.h"

static char out[256 * 1024];

static void
test_master_and_matching(void)
{
	mach_port_t master = MACH_PORT_NULL;
	io_iterator_t it = IO_OBJECT_NULL;
	io_service_t res, extra;
	io_name_t name, cls;
	io_string_t path;
	char *match, *xml = NULL;
	size_t len = 0;
	uint64_t id = 0;
	int n = 0;

	TAP_EQ(IOMasterPort(MACH_PORT_NULL, &master), KERN_SUCCESS, "IOMasterPort");
	TAP_OK(master != MACH_PORT_NULL, "the master port is a name");

	match = IOServiceMatching("IOResources");
	TAP_OK(match != NULL && strstr(match, "<key>IOProviderClass</key>") != NULL,
	    "IOServiceMatching writes an XML matching dictionary");
	TAP_EQ(IOServiceGetMatchingServices(master, match, &it), KERN_SUCCESS,
	    "IOServiceGetMatchingServices(IOResources)");
	res = IOIteratorNext(it);
	TAP_OK(res != IO_OBJECT_NULL, "the iterator gives IOResources");
	while ((extra = IOIteratorNext(it)) != IO_OBJECT_NULL) {
		n++;
		IOObjectRelease(extra);
	}
	TAP_EQ(n, 0, "and nothing else");
	TAP_OK(IOIteratorIsValid(it), "the iterator is valid");
	IOIteratorReset(it);
	extra = IOIteratorNext(it);
	TAP_EQ(extra, res, "after a reset the same entry again, under the same name");
	IOObjectRelease(extra);
	IOObjectRelease(it);
	free(match);

	TAP_EQ(IORegistryEntryGetName(res, name), KERN_SUCCESS, "IORegistryEntryGetName");
	TAP_OK(strcmp(name, "IOResources") == 0, "its name is IOResources");
	TAP_EQ(IOObjectGetClass(res, cls), KERN_SUCCESS, "IOObjectGetClass");
	TAP_OK(strcmp(cls, "IOResources") == 0, "its class is IOResources");
	TAP_OK(IOObjectConformsTo(res, "IOService"), "it conforms to IOService");
	TAP_OK(!IOObjectConformsTo(res, "IOWorkLoop"), "not to IOWorkLoop");
	TAP_OK(!IOObjectConformsTo(res, "NoSuchClass"), "nor to a class that does not exist");
	TAP_EQ(IORegistryEntryGetPath(res, kIOServicePlane, path), KERN_SUCCESS,
	    "IORegistryEntryGetPath");
	TAP_OK(strcmp(path, "IOService:/IOResources") == 0, "the path is IOService:/IOResources");
	if (strcmp(path, "IOService:/IOResources") != 0)
		tap_diag("path: %s\n", path);
	TAP_EQ(IORegistryEntryGetRegistryEntryID(res, &id), KERN_SUCCESS,
	    "IORegistryEntryGetRegistryEntryID");
	TAP_OK(id >= 0x100000100ull, "the id is in Apple's range");
	TAP_OK(IOObjectGetRetainCount(res) > 0, "IOObjectGetRetainCount");
	TAP_OK(IORegistryEntryInPlane(res, kIOServicePlane), "it is in the IOService plane");

	TAP_EQ(IORegistryEntryCopyPropertiesXML(res, &xml, &len), KERN_SUCCESS,
	    "IORegistryEntryCopyPropertiesXML");
	TAP_OK(xml != NULL && strstr(xml, "<key>IOName</key>") != NULL,
	    "the properties hold IOName");
	if (xml != NULL && strstr(xml, "<key>IOName</key>") == NULL)
		tap_diag("%.300s\n", xml);
	TAP_OK(xml != NULL && len == strlen(xml), "the length is the text's");
	free(xml);
	xml = NULL;
	TAP_EQ(IORegistryEntryCopyPropertyXML(res, "IOName", &xml, NULL), KERN_SUCCESS,
	    "IORegistryEntryCopyPropertyXML(IOName)");
	TAP_OK(xml != NULL && strstr(xml, "<string>IOResources</string>") != NULL,
	    "the one property is the name");
	free(xml);
	xml = NULL;
	TAP_EQ(IORegistryEntryCopyPropertyXML(res, "NoSuchKey", &xml, NULL), kIOReturnNotFound,
	    "a missing property: kIOReturnNotFound");

	extra = IOServiceGetMatchingService(kIOMasterPortDefault, match = IOServiceNameMatching(
	    "IOResources"));
	TAP_EQ(extra, res, "IOServiceNameMatching through kIOMasterPortDefault finds it too");
	free(match);
	IOObjectRelease(extra);

	extra = IORegistryEntryFromPath(master, "IOService:/IOResources");
	TAP_EQ(extra, res, "IORegistryEntryFromPath");
	IOObjectRelease(extra);
	IOObjectRelease(res);
	mach_port_deallocate(mach_task_self(), master);
}

static void
test_walk(void)
{
	io_registry_entry_t root = IORegistryGetRootEntry(kIOMasterPortDefault), child, parent;
	io_iterator_t it;
	io_name_t name;
	int n = 0, found = 0, all = 0;

	TAP_OK(root != IO_OBJECT_NULL, "IORegistryGetRootEntry");
	TAP_EQ(IORegistryEntryGetName(root, name), KERN_SUCCESS, "the root's name");
	TAP_OK(strcmp(name, "Root") == 0, "is Root");
	TAP_EQ(IORegistryEntryGetChildIterator(root, kIOServicePlane, &it), KERN_SUCCESS,
	    "IORegistryEntryGetChildIterator");
	while ((child = IOIteratorNext(it)) != IO_OBJECT_NULL) {
		n++;
		if (IORegistryEntryGetName(child, name) == KERN_SUCCESS &&
		    strcmp(name, "IOResources") == 0) {
			found = 1;
			TAP_EQ(IORegistryEntryGetParentEntry(child, kIOServicePlane, &parent),
			    KERN_SUCCESS, "IORegistryEntryGetParentEntry");
			TAP_EQ(parent, root, "IOResources' parent is the root");
			IOObjectRelease(parent);
		}
		IOObjectRelease(child);
	}
	IOObjectRelease(it);
	TAP_OK(n > 0 && found, "the root's children include IOResources");
	TAP_EQ(IORegistryEntryGetParentEntry(root, kIOServicePlane, &parent), kIOReturnNoDevice,
	    "the root has no parent");

	TAP_EQ(IORegistryCreateIterator(kIOMasterPortDefault, kIOServicePlane,
	    kIORegistryIterateRecursively, &it), KERN_SUCCESS, "IORegistryCreateIterator");
	while ((child = IOIteratorNext(it)) != IO_OBJECT_NULL) {
		all++;
		IOObjectRelease(child);
	}
	IOObjectRelease(it);
	TAP_OK(all >= n, "the recursive walk sees at least the root's children");
	IOObjectRelease(root);
}

static void
test_bad_input(void)
{
	io_registry_entry_t root = IORegistryGetRootEntry(kIOMasterPortDefault);
	io_iterator_t it = IO_OBJECT_NULL, it2 = IO_OBJECT_NULL;
	semaphore_t sem;
	io_name_t name;
	io_string_t path;
	char big[5000];

	TAP_EQ(IORegistryEntryGetName(mach_task_self(), name), kIOReturnBadArgument,
	    "a task port is not an entry");
	/* A kernel port of another kind: a semaphore's. */
	TAP_EQ(semaphore_create(mach_task_self(), &sem, SYNC_POLICY_FIFO, 0), KERN_SUCCESS,
	    "a semaphore");
	TAP_EQ(IORegistryEntryGetName(sem, name), kIOReturnBadArgument,
	    "a semaphore's port is not an entry");
	TAP_EQ(IOObjectGetClass(sem, name), kIOReturnBadArgument, "nor an I/O Kit object");
	semaphore_destroy(mach_task_self(), sem);
	TAP_EQ(IORegistryEntryGetName(mach_host_self(), name), kIOReturnBadArgument,
	    "the host port is not an entry");
	TAP_EQ(IORegistryEntryGetName(MACH_PORT_NULL, name), MACH_SEND_INVALID_DEST,
	    "MACH_PORT_NULL: MACH_SEND_INVALID_DEST");
	TAP_EQ(IOObjectGetClass(MACH_PORT_NULL, name), MACH_SEND_INVALID_DEST,
	    "IOObjectGetClass(MACH_PORT_NULL) too");
	TAP_EQ(io_registry_get_root_entry(root, &it), kIOReturnBadArgument,
	    "an entry is not the master port");

	TAP_EQ(IORegistryEntryGetChildIterator(root, kIOServicePlane, &it), KERN_SUCCESS,
	    "an iterator");
	TAP_EQ(IORegistryEntryGetName(it, name), kIOReturnBadArgument,
	    "an iterator is not an entry");
	TAP_EQ(IORegistryEntryGetPath(it, kIOServicePlane, path), kIOReturnBadArgument,
	    "nor has it a path");
	TAP_EQ(io_iterator_next(root, &it2), kIOReturnBadArgument, "an entry is not an iterator");
	TAP_EQ(IOIteratorNext(root), IO_OBJECT_NULL, "IOIteratorNext of an entry: nothing");
	IOObjectRelease(it);

	TAP_EQ(IORegistryEntryGetChildIterator(root, "NoSuchPlane", &it), kIOReturnBadArgument,
	    "an unknown plane");
	TAP_EQ(IORegistryEntryGetPath(root, "NoSuchPlane", path), kIOReturnBadArgument,
	    "an unknown plane for a path");
	TAP_EQ(IORegistryCreateIterator(kIOMasterPortDefault, "", 0, &it), kIOReturnBadArgument,
	    "no plane at all");
	TAP_EQ(IORegistryCreateIterator(kIOMasterPortDefault, kIOServicePlane, 0x100, &it),
	    kIOReturnBadArgument, "unknown iterator options");
	TAP_EQ(IORegistryEntryGetLocationInPlane(root, kIOServicePlane, name), kIOReturnNotFound,
	    "the root has no location");

	TAP_EQ(IOServiceGetMatchingServices(kIOMasterPortDefault, "<dict><key>x</key>", &it),
	    kIOReturnBadArgument, "malformed matching XML");
	TAP_EQ(IOServiceGetMatchingServices(kIOMasterPortDefault, "<array></array>", &it),
	    kIOReturnBadArgument, "matching XML that is not a dictionary");
	TAP_EQ(IOServiceGetMatchingServices(kIOMasterPortDefault, "", &it),
	    kIOReturnBadArgument, "empty matching text");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	TAP_EQ(IOServiceGetMatchingServices(kIOMasterPortDefault, big, &it), kIOReturnBadArgument,
	    "matching text of 5000 bytes");
	TAP_EQ(io_service_get_matching_services(kIOMasterPortDefault, "<dict/>", &it),
	    MACH_SEND_INVALID_DEST, "the raw call without a master port");
	TAP_EQ(io_service_get_matching_services(mach_task_self(), "<dict/>", &it),
	    kIOReturnBadArgument, "a task port is not the master port");
	IOObjectRelease(root);
}

static void
test_ioreg(void)
{
	int st;

	st = run_program((char *[]){ "/usr/sbin/ioreg", NULL }, out, sizeof(out));
	TAP_EQ(st, 0, "ioreg exits 0");
	TAP_OK(strncmp(out, "+-o Root  <class IORegistryEntry, id 0x", 39) == 0,
	    "ioreg starts with the root's line");
	TAP_OK(strstr(out, "\n  +-o IOResources  <class IOResources, id 0x") != NULL,
	    "IOResources is a child of the root, drawn as macOS draws it");
	if (st != 0 || strstr(out, "IOResources") == NULL)
		tap_diag("%.400s\n", out);

	st = run_program((char *[]){ "/usr/sbin/ioreg", "-l", "-w0", NULL }, out, sizeof(out));
	TAP_EQ(st, 0, "ioreg -l exits 0");
	TAP_OK(strstr(out, "\"IOName\" = \"IOResources\"") != NULL,
	    "ioreg -l shows IOResources' IOName");
	TAP_OK(strstr(out, "  {\n") != NULL && strstr(out, "  }\n") != NULL,
	    "properties are in braces");

	st = run_program((char *[]){ "/usr/sbin/ioreg", "-c", "IOResources", NULL }, out,
	    sizeof(out));
	TAP_EQ(st, 0, "ioreg -c IOResources exits 0");
	TAP_OK(strstr(out, "+-o Root") != NULL && strstr(out, "+-o IOResources") != NULL &&
	    strstr(out, "\"IOName\" = \"IOResources\"") != NULL,
	    "ioreg -c shows the match with its properties and its ancestor");

	st = run_program((char *[]){ "/usr/sbin/ioreg", "-r", "-n", "IOResources", NULL }, out,
	    sizeof(out));
	TAP_EQ(st, 0, "ioreg -r -n IOResources exits 0");
	TAP_OK(strncmp(out, "+-o IOResources", 15) == 0, "ioreg -r starts at the match");

	st = run_program((char *[]){ "/usr/sbin/ioreg", "-c", "NoSuchClass", NULL }, out,
	    sizeof(out));
	TAP_OK(st == 0 && out[0] == '\0', "ioreg -c with no match prints nothing");

	st = run_program((char *[]){ "/usr/sbin/ioreg", "-p", "IODeviceTree", NULL }, out,
	    sizeof(out));
	TAP_EQ(st, 0, "ioreg -p IODeviceTree exits 0");
	TAP_OK(strncmp(out, "+-o Root", 8) == 0 && strstr(out, "IOResources") == NULL,
	    "the device tree plane has the root and not IOResources");

	st = run_program((char *[]){ "/usr/sbin/ioreg", "-p", "NoSuchPlane", NULL }, out,
	    sizeof(out));
	TAP_OK(st == 1 && strstr(out, "no such plane") != NULL, "ioreg -p of an unknown plane");

	st = run_program((char *[]){ "/usr/sbin/ioreg", "-w", "20", NULL }, out, sizeof(out));
	TAP_OK(st == 0 && strchr(out, '\n') != NULL && strchr(out, '\n') - out == 20,
	    "ioreg -w 20 cuts lines at 20 columns");

	st = run_program((char *[]){ "/usr/sbin/ioreg", "-x", NULL }, out, sizeof(out));
	TAP_OK(st == 1 && strstr(out, "usage: ioreg") != NULL, "ioreg -x: usage, exit status 1");
	st = run_program((char *[]){ "/usr/sbin/ioreg", "-h", NULL }, out, sizeof(out));
	TAP_OK(st == 0 && strstr(out, "usage: ioreg") != NULL, "ioreg -h: usage, exit status 0");
}

int
main(void)
{
	int ports;

	/* Once before counting: the library's master port and the host port stay. */
	IOObjectRelease(IORegistryGetRootEntry(kIOMasterPortDefault));
	mach_host_self();
	ports = ipc_count("ports");
	test_master_and_matching();
	test_walk();
	test_bad_input();
	TAP_EQ(ipc_count("ports"), ports, "every port made for the registry went away");
	test_ioreg();
	TAP_EQ(ipc_count("ports"), ports, "and after ioreg ran too");
	return tap_done();
}
