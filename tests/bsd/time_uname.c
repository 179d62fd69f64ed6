/*
 * time_uname.c - uname's fields, and the host and domain names set with
 * sethostname/setdomainname (as root) read back through uname; the
 * refusals (EINVAL, EFAULT). Machina's own values are checked only when
 * running on Machina.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tap.h"

#define BAD	((void *)8)

int
main(void)
{
	struct utsname u, saved;
	char longname[80];

	TAP_SUCCEEDS(uname(&u), "uname");
	saved = u;
	if (strcmp(u.sysname, "Linux") != 0) {
		TAP_OK(strcmp(u.sysname, "Machina") == 0, "sysname is Machina");
		TAP_OK(u.release[0] >= '0' && u.release[0] <= '9', "release is a version number");
		TAP_OK(strstr(u.version, "Machina") != NULL, "version names the kernel");
	}
	TAP_OK(strcmp(u.machine, "x86_64") == 0, "machine is x86_64");
	TAP_OK(strlen(u.nodename) < sizeof(u.nodename), "nodename is terminated");
	TAP_ERRNO(syscall(SYS_uname, BAD), EFAULT, "uname to a bad pointer");

	if (getuid() != 0) {
		tap_diag("not root: the set calls are left out\n");
		return tap_done();
	}
	TAP_SUCCEEDS(sethostname("machina-test", 12), "sethostname");
	TAP_SUCCEEDS(setdomainname("example.org", 11), "setdomainname");
	uname(&u);
	TAP_OK(strcmp(u.nodename, "machina-test") == 0, "uname has the new host name");
	TAP_OK(strcmp(u.domainname, "example.org") == 0, "uname has the new domain name");
	memset(longname, 'x', sizeof(longname));
	TAP_ERRNO(sethostname(longname, 65), EINVAL, "a 65-byte host name is EINVAL");
	TAP_ERRNO(syscall(SYS_sethostname, longname, -1L), EINVAL, "a negative length is EINVAL");
	TAP_ERRNO(syscall(SYS_sethostname, BAD, 5), EFAULT, "a bad name is EFAULT");
	TAP_SUCCEEDS(sethostname(longname, 64), "a 64-byte host name");
	uname(&u);
	TAP_EQ(strlen(u.nodename), 64, "is kept whole");
	TAP_SUCCEEDS(sethostname(saved.nodename, strlen(saved.nodename)), "put the host name back");
	TAP_SUCCEEDS(setdomainname(saved.domainname, strlen(saved.domainname)),
	    "put the domain name back");
	return tap_done();
}
