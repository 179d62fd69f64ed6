/*
 * SampleLibrary.c - a kext other kexts link against.
 *
 * A library kext is an ordinary kext whose Info.plist says
 * OSBundleCompatibleVersion: the oldest version whose interface this one
 * still provides. Its global symbols are then what it exports; a kext that
 * names it in OSBundleLibraries links against them (SampleClient does),
 * and the kernel loads the library first and refuses to unload it while
 * the client is loaded. Keep what you do not mean to export static.
 */

#include <IOKit/IOLib.h>
#include <mach/kmod.h>

kern_return_t SampleLibrary_start(kmod_info_t *ki, void *data);
kern_return_t SampleLibrary_stop(kmod_info_t *ki, void *data);

/* The library's interface. */
int SampleLibrary_add(int a, int b);
const char *SampleLibrary_name(void);
int SampleLibrary_calls;

static const char library_name[] = "SampleLibrary 1.2";

int
SampleLibrary_add(int a, int b)
{
	SampleLibrary_calls++;
	return a + b;
}

const char *
SampleLibrary_name(void)
{
	return library_name;
}

kern_return_t
SampleLibrary_start(kmod_info_t *ki, void *data)
{
	IOLog("SampleLibrary: ready (%s)\n", library_name);
	return KERN_SUCCESS;
}

kern_return_t
SampleLibrary_stop(kmod_info_t *ki, void *data)
{
	IOLog("SampleLibrary: %d calls served\n", SampleLibrary_calls);
	return KERN_SUCCESS;
}
