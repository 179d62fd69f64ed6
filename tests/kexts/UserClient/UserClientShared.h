/*
 * UserClientShared.h - what the UserClient test kext and its user
 * program (tests/bsd/iokit_userclient.c) agree on: the selectors of
 * org_machina_test_UCUserClient and what each takes.
 */

#ifndef USERCLIENT_SHARED_H
#define USERCLIENT_SHARED_H

#define kUCDriverClass		"org_machina_test_UCDriver"
#define kUCUserClientClass	"org_machina_test_UCUserClient"

/* The connection type the user client accepts (IOServiceOpen's type). */
#define kUCConnectType		0x55430001

enum {
	kUCMethodAdd,		/* 2 scalars in, 1 out: their sum */
	kUCMethodEchoFixed,	/* a 16-byte structure in, the same 16 bytes out */
	kUCMethodFill,		/* 1 scalar n in; n bytes out (byte i is i & 0xff), any room >= n */
	kUCMethodFail,		/* nothing in or out; fails with kIOReturnDeviceError */
	kUCMethodEcho,		/* a structure of any size in; the same out, any room >= it */
	kUCMethodEmpty,		/* a table entry with no function: kIOReturnUnsupported */
	kUCMethodCount
};

#define kUCEchoFixedSize	16

#endif /* USERCLIENT_SHARED_H */
