/*
 * HelloSysctl.c - the Kernel Programming Guide's sysctl example, as a kext.
 *
 * Adds a node debug.hello with two leaves:
 *
 *	debug.hello.count	an int anyone may read and root may set
 *	debug.hello.greeting	a string made by a handler (SYSCTL_PROC)
 *
 * registered in start and unregistered in stop, children before their
 * parent going in, after it going out. A kext must unregister what it
 * registered: the kernel refuses to unload a kext while a sysctl node
 * still points into it.
 */

#include <IOKit/IOLib.h>
#include <libkern/libkern.h>
#include <mach/kmod.h>
#include <sys/sysctl.h>

kern_return_t HelloSysctl_start(kmod_info_t *ki, void *data);
kern_return_t HelloSysctl_stop(kmod_info_t *ki, void *data);

static int hello_count = 42;
static int hello_reads;

/* The guide's handler shape: make a value, SYSCTL_OUT it. */
static int
hello_greeting SYSCTL_HANDLER_ARGS
{
	char buf[64];

	hello_reads++;
	snprintf(buf, sizeof buf, "hello from a kext, read %d times", hello_reads);
	return SYSCTL_OUT(req, buf, strlen(buf) + 1);
}

SYSCTL_NODE(_debug, OID_AUTO, hello, CTLFLAG_RW, NULL, "the HelloSysctl sample kext");
SYSCTL_INT(_debug_hello, OID_AUTO, count, CTLFLAG_RW | CTLFLAG_LOCKED, &hello_count, 0,
    "a number to read and set");
SYSCTL_PROC(_debug_hello, OID_AUTO, greeting, CTLTYPE_STRING | CTLFLAG_RD, NULL, 0,
    hello_greeting, "A", "a string made on each read");

kern_return_t
HelloSysctl_start(kmod_info_t *ki, void *data)
{
	sysctl_register_oid(&sysctl__debug_hello);
	sysctl_register_oid(&sysctl__debug_hello_count);
	sysctl_register_oid(&sysctl__debug_hello_greeting);
	IOLog("HelloSysctl: debug.hello registered (count = %d)\n", hello_count);
	return KERN_SUCCESS;
}

kern_return_t
HelloSysctl_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_hello_greeting);
	sysctl_unregister_oid(&sysctl__debug_hello_count);
	sysctl_unregister_oid(&sysctl__debug_hello);
	IOLog("HelloSysctl: debug.hello unregistered\n");
	return KERN_SUCCESS;
}
