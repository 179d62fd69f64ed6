/* MissingDep: needs org.machina.test.NoSuchLibrary, which exists nowhere: refused. */
#include <mach/kmod.h>

kern_return_t MissingDep_start(kmod_info_t *ki, void *data);
kern_return_t MissingDep_stop(kmod_info_t *ki, void *data);

kern_return_t
MissingDep_start(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}

kern_return_t
MissingDep_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
