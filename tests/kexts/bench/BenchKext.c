/*
 * BenchKext__N__.c - one of the twenty small kexts `make bench` loads at
 * boot (kext=org.machina.bench.*) to time what loading kexts adds to boot:
 * a sysctl-free start and stop that only count, the size of a small driver.
 */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>

kern_return_t BenchKext__N___start(kmod_info_t *ki, void *data);
kern_return_t BenchKext__N___stop(kmod_info_t *ki, void *data);

int BenchKext__N___starts;

kern_return_t
BenchKext__N___start(kmod_info_t *ki, void *data)
{
	BenchKext__N___starts++;
	return KERN_SUCCESS;
}

kern_return_t
BenchKext__N___stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
