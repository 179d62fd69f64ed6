/* Unresolved: calls a function and reads a variable no KPI exports; refused, naming both. */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>

kern_return_t Unresolved_start(kmod_info_t *ki, void *data);
kern_return_t Unresolved_stop(kmod_info_t *ki, void *data);
extern int machina_no_such_function(void);
extern int machina_no_such_variable;

kern_return_t
Unresolved_start(kmod_info_t *ki, void *data)
{
	IOLog("Unresolved: %d\n", machina_no_such_function() + machina_no_such_variable);
	return KERN_SUCCESS;
}

kern_return_t
Unresolved_stop(kmod_info_t *ki, void *data)
{
	return KERN_SUCCESS;
}
