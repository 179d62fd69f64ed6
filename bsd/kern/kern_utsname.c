/*
 * kern_utsname.c - the host and domain names (bsd/sys/utsname.h): their
 * accessors, uname, sethostname, setdomainname, and the sysctls
 * kern.hostname and kern.domainname.
 */

#include "bsd/sys/utsname.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/sysctl.h"
#include "bsd/sys/sysproto.h"
#include "bsd/sys/ucred.h"
#include "kernel/copyio.h"
#include "kernel/machine_routines.h"
#include "kernel/version.h"
#include "libkern/cdefs.h"
#include "libkern/string.h"
#include "mach/kern/simple_lock.h"

static struct {
	hw_lock_data_t	lock;
	char		hostname[MAXHOSTNAMELEN + 1];	/* [lock] */
	char		domainname[MAXHOSTNAMELEN + 1];	/* [lock] */
} uts = { HW_LOCK_INITIALIZER, "machina", "(none)" };

static size_t
uts_get(const char *src, char *buf, size_t size)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	size_t len;

	hw_lock_lock(&uts.lock);
	len = strlcpy(buf, src, size);
	hw_lock_unlock(&uts.lock);
	ml_set_interrupts_enabled(s);
	return len;
}

static int
uts_set(char *dst, const char *name, size_t len)
{
	boolean_t s;

	if (len > MAXHOSTNAMELEN)
		return EINVAL;
	s = ml_set_interrupts_enabled(FALSE);
	hw_lock_lock(&uts.lock);
	memcpy(dst, name, len);
	dst[len] = '\0';
	hw_lock_unlock(&uts.lock);
	ml_set_interrupts_enabled(s);
	return 0;
}

size_t bsd_hostname_get(char *buf, size_t size) { return uts_get(uts.hostname, buf, size); }
int bsd_hostname_set(const char *name, size_t len) { return uts_set(uts.hostname, name, len); }
size_t bsd_domainname_get(char *buf, size_t size) { return uts_get(uts.domainname, buf, size); }
int bsd_domainname_set(const char *name, size_t len) { return uts_set(uts.domainname, name, len); }

/* uname(2): Linux's struct utsname. EFAULT for a bad pointer. */
int
uname(struct proc *p, struct uname_args *uap, int64_t *retval)
{
	struct utsname u;

	(void)p;
	*retval = 0;
	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, ostype, sizeof(u.sysname));
	bsd_hostname_get(u.nodename, sizeof(u.nodename));
	strlcpy(u.release, osrelease, sizeof(u.release));
	strlcpy(u.version, version, sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	bsd_domainname_get(u.domainname, sizeof(u.domainname));
	return copyout(&u, uap->name, sizeof(u));
}

/* sethostname and setdomainname: root only (EPERM), at most MAXHOSTNAMELEN bytes (EINVAL). */
static int
uts_set_from_user(user_addr_t uname, uint64_t ulen, int (*set)(const char *, size_t))
{
	char buf[MAXHOSTNAMELEN];
	int64_t len = (int64_t)ulen;

	if (!kauth_cred_issuser(kauth_cred_get()))
		return EPERM;
	if (len < 0 || len > MAXHOSTNAMELEN)
		return EINVAL;
	if (copyin(uname, buf, (size_t)len) != 0)
		return EFAULT;
	return set(buf, (size_t)len);
}

int
sethostname(struct proc *p, struct sethostname_args *uap, int64_t *retval)
{
	(void)p;
	*retval = 0;
	return uts_set_from_user(uap->name, uap->len, bsd_hostname_set);
}

int
setdomainname(struct proc *p, struct setdomainname_args *uap, int64_t *retval)
{
	(void)p;
	*retval = 0;
	return uts_set_from_user(uap->name, uap->len, bsd_domainname_set);
}

/* kern.hostname, kern.domainname: arg2 says which. A new value stops at its first NUL. */
static int
sysctl_uts_name SYSCTL_HANDLER_ARGS
{
	char buf[MAXHOSTNAMELEN + 1];
	size_t len, newlen;
	int error;

	(void)oidp;
	(void)arg1;
	len = arg2 == KERN_HOSTNAME ? bsd_hostname_get(buf, sizeof(buf)) :
	    bsd_domainname_get(buf, sizeof(buf));
	error = SYSCTL_OUT(req, buf, MIN(len, sizeof(buf) - 1) + 1);
	if (error != 0 || req->newptr == USER_ADDR_NULL)
		return error;
	newlen = req->newlen - req->newidx;
	if (newlen > MAXHOSTNAMELEN)
		return EINVAL;
	error = SYSCTL_IN(req, buf, newlen);
	if (error != 0)
		return error;
	newlen = strnlen(buf, newlen);
	return arg2 == KERN_HOSTNAME ? bsd_hostname_set(buf, newlen) :
	    bsd_domainname_set(buf, newlen);
}

SYSCTL_PROC(_kern, KERN_HOSTNAME, hostname, CTLTYPE_STRING | CTLFLAG_RW | CTLFLAG_LOCKED,
    NULL, KERN_HOSTNAME, sysctl_uts_name, "A", "the host name");
SYSCTL_PROC(_kern, KERN_DOMAINNAME, domainname, CTLTYPE_STRING | CTLFLAG_RW | CTLFLAG_LOCKED,
    NULL, KERN_DOMAINNAME, sysctl_uts_name, "A", "the domain name");
