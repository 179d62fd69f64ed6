/*
 * PanicKext: panics in its start routine, two calls deep, on purpose. The
 * boot tier loads it at boot (kext=org.machina.test.PanicKext) and checks
 * that the panic report names the kext in the backtrace's frames, with
 * its version and offsets, and lists it among the kexts in the backtrace.
 * Never loaded otherwise.
 */
#include <libkern/panic.h>
#include <mach/kmod.h>

kern_return_t PanicKext_start(kmod_info_t *ki, void *data);
kern_return_t PanicKext_stop(kmod_info_t *ki, void *data);
void PanicKext_inner(void);
void PanicKext_outer(void);

void __attribute__((noinline))
PanicKext_inner(void)
{
	panic("PanicKext: panicking on purpose");
}

void __attribute__((noinline))
PanicKext_outer(void)
{
	PanicKext_inner();
	__asm__ volatile("");	/* no tail call: keep the frame */
}

kern_return_t
PanicKext_start(kmod_info_t *ki, void *data)
{
	PanicKext_outer();
	return KERN_SUCCESS;
}

kern_return_t
PanicKext_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
