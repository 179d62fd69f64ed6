/*
 * UndeclaredKPI: uses sysctl_register_oid (org.machina.kpi.bsd) but its
 * OSBundleLibraries names only org.machina.kpi.iokit: refused, and the
 * message says which KPI to add.
 */
#include <IOKit/IOLib.h>
#include <mach/kmod.h>
#include <sys/sysctl.h>

kern_return_t UndeclaredKPI_start(kmod_info_t *ki, void *data);
kern_return_t UndeclaredKPI_stop(kmod_info_t *ki, void *data);
static int value;
SYSCTL_INT(_debug, OID_AUTO, undeclared_kpi, CTLFLAG_RD, &value, 0, "never registered");

kern_return_t
UndeclaredKPI_start(kmod_info_t *ki, void *data)
{
	sysctl_register_oid(&sysctl__debug_undeclared_kpi);
	return KERN_SUCCESS;
}

kern_return_t
UndeclaredKPI_stop(kmod_info_t *ki, void *data)
{
	sysctl_unregister_oid(&sysctl__debug_undeclared_kpi);
	return KERN_SUCCESS;
}
