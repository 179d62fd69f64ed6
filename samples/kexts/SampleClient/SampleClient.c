/*
 * SampleClient.c - a kext that links against another kext (SampleLibrary).
 *
 * Its Info.plist names org.machina.sample.SampleLibrary 1.1 in
 * OSBundleLibraries, so loading it loads SampleLibrary first (from
 * /System/Library/Extensions) and links SampleLibrary_add to it. The sum
 * it computed at start is readable as debug.sampleclient_sum.
 */

#include <IOKit/IOLib.h>
#include <mach/kmod.h>
#include <sys/sysctl.h>

kern_return_t SampleClient_start(kmod_info_t *ki, void *data);
kern_return_t SampleClient_stop(kmod_info_t *ki, void *data);

/* SampleLibrary's interface (a real library would ship a header). */
extern int SampleLibrary_add(int a, int b);
extern const char *SampleLibrary_name(void);

static int client_sum;

SYSCTL_INT(_debug, OID_AUTO, sampleclient_sum, CTLFLAG_RD | CTLFLAG_LOCKED, &client_sum, 0,
    "what SampleClient got from SampleLibrary_add(40, 2)");

kern_return_t
SampleClient_start(kmod_info_t *ki, void *data)
{
	client_sum = SampleLibrary_add(40, 2);
	sysctl_register_oid(&sysctl__debug_sampleclient_sum);
	IOLog("SampleClient: %s says 40 + 2 = %d\n", SampleLibrary_name(), client_sum);
	return KERN_SUCCESS;
}

kern_return_t
SampleClient_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_sampleclient_sum);
	return KERN_SUCCESS;
}
