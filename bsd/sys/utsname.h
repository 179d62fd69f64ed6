/*
 * utsname.h - who this machine is: its host and domain names, and the
 * struct utsname uname(2) fills (Linux's layout: six 65-byte fields).
 *
 * The host name starts as "machina" and the domain name as "(none)"
 * (Linux's default); root changes them with
 * sethostname/setdomainname or the sysctls kern.hostname and
 * kern.domainname. The rest of the kernel reads them with
 * bsd_hostname_get (a copy; never a pointer into the live buffer).
 *
 * Locks: one leaf spin lock (interrupts off) covers both names; nothing
 * is taken inside it, and it is never held across a copyin or copyout.
 */

#ifndef BSD_SYS_UTSNAME_H
#define BSD_SYS_UTSNAME_H

#include <stddef.h>

#define _UTSNAME_LENGTH	65
#define MAXHOSTNAMELEN	64	/* bytes of a name, without the NUL (Linux's HOST_NAME_MAX) */

struct utsname {
	char	sysname[_UTSNAME_LENGTH];	/* "Machina" */
	char	nodename[_UTSNAME_LENGTH];	/* the host name */
	char	release[_UTSNAME_LENGTH];	/* kern.osrelease */
	char	version[_UTSNAME_LENGTH];	/* kern.version, cut to fit */
	char	machine[_UTSNAME_LENGTH];	/* "x86_64" */
	char	domainname[_UTSNAME_LENGTH];	/* the domain name */
};

_Static_assert(sizeof(struct utsname) == 390, "struct utsname is user ABI");

/*
 * bsd_hostname_get: copy the host name, NUL-terminated, into buf (size
 * bytes, cut to fit). Returns the name's full length.
 */
size_t	bsd_hostname_get(char *buf, size_t size);

/* bsd_hostname_set: the host name becomes name[0..len). EINVAL if len > MAXHOSTNAMELEN. */
int	bsd_hostname_set(const char *name, size_t len);

size_t	bsd_domainname_get(char *buf, size_t size);
int	bsd_domainname_set(const char *name, size_t len);

#endif /* BSD_SYS_UTSNAME_H */
