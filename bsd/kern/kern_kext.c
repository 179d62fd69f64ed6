/*
 * kern_kext.c - the kext calls: kext_load, kext_unload, kext_stat (class
 * 2, Machina's own numbers 600-602, above XNU's last; bsd/sys/kext_abi.h).
 *
 * They copy the user's arguments in and hand them to the kext manager
 * (libkern/OSKext.c), which does the work and writes the report; the
 * report is copied out whatever the result. Loading and unloading need
 * root. The BSD layer also tells the manager what of its own may still
 * point into a kext being unloaded: registered sysctl nodes.
 */

#include "bsd/kern/kern_kext.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/kext_abi.h"
#include "bsd/sys/proc.h"
#include "bsd/sys/sysctl.h"
#include "bsd/sys/sysproto.h"
#include "kernel/copyio.h"
#include "libkern/OSKext.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/vm/kext_region.h"

static int
kext_errno(kern_return_t kr)
{
	switch (kr) {
	case KERN_SUCCESS:
		return 0;
	case KERN_INVALID_ARGUMENT:
		return EINVAL;
	case KERN_NAME_EXISTS:
		return EEXIST;
	case KERN_NOT_FOUND:
		return ENOENT;
	case KERN_RESOURCE_SHORTAGE:
		return ENOMEM;
	case KERN_NO_ACCESS:
		return EPERM;
	case KERN_FAILURE:
	default:
		return EBUSY;
	}
}

/* Copy in len bytes at uaddr into fresh kernel memory. */
static int
copyin_buffer(user_addr_t uaddr, uint64_t len, uint64_t max, void **out)
{
	void *buf;

	*out = NULL;
	if (uaddr == 0 || len == 0)
		return EINVAL;
	if (len > max)
		return E2BIG;
	buf = kalloc((vm_size_t)len);
	if (buf == NULL)
		return ENOMEM;
	if (copyin(uaddr, buf, (vm_size_t)len) != 0) {
		kfree(buf, (vm_size_t)len);
		return EFAULT;
	}
	*out = buf;
	return 0;
}

/* Say why a file's bytes could not be taken in. */
static void
kext_arg_message(char *msg, const char *path, const char *what, int error)
{
	switch (error) {
	case EINVAL:
		snprintf(msg, KEXT_MSG_MAX, "%s: %s is empty\n", path, what);
		break;
	case E2BIG:
		snprintf(msg, KEXT_MSG_MAX, "%s: %s is larger than the kernel takes (%u bytes)\n",
		    path, what, what[0] == 'I' ? KEXT_PLIST_MAX : KEXT_EXEC_MAX);
		break;
	case EFAULT:
		snprintf(msg, KEXT_MSG_MAX, "%s: %s's bytes are not readable\n", path, what);
		break;
	default:
		snprintf(msg, KEXT_MSG_MAX, "%s: %s cannot be read in (errno %d)\n", path, what,
		    error);
		break;
	}
}

static int
copyout_msg(uint64_t uaddr, uint64_t ulen, const char *msg)
{
	size_t n;

	if (uaddr == 0 || ulen == 0)
		return 0;
	n = strlen(msg) + 1;
	if (n > ulen)
		n = (size_t)ulen;
	if (copyout(msg, uaddr, n - 1) != 0 || copyout("", uaddr + n - 1, 1) != 0)
		return EFAULT;
	return 0;
}

/*
 * kext_load (600): load a bundle from the bytes of its files, or a catalog
 * kext by identifier; or only check it (KEXT_LOAD_CHECK_ONLY) or list the
 * libraries it needs (KEXT_LOAD_LIBRARIES), which any user may.
 */
int
kext_load(struct proc *p, struct kext_load_args *uap, int64_t *retval)
{
	struct kext_load_request req;
	char path[KEXT_PATH_MAX], id[KEXT_NAME_MAX];
	void *plist = NULL, *exec = NULL;
	char *msg;
	vm_size_t done;
	kern_return_t kr;
	uint32_t tag = 0;
	int error;

	*retval = 0;
	if (copyin(uap->args, &req, sizeof req) != 0)
		return EFAULT;
	if (!(req.flags & (KEXT_LOAD_CHECK_ONLY | KEXT_LOAD_LIBRARIES)) && !proc_suser(p))
		return EPERM;
	if (req.flags & ~(KEXT_LOAD_BY_ID | KEXT_LOAD_CHECK_ONLY | KEXT_LOAD_LIBRARIES))
		return EINVAL;
	msg = kalloc(KEXT_MSG_MAX);
	if (msg == NULL)
		return ENOMEM;
	msg[0] = '\0';
	if (req.flags & KEXT_LOAD_BY_ID) {
		error = copyinstr(req.identifier, id, sizeof id, &done);
		if (error != 0)
			goto out;
		kr = OSKextLoadKextWithIdentifier(id, req.flags, &tag, msg, KEXT_MSG_MAX);
	} else {
		error = copyinstr(req.path, path, sizeof path, &done);
		if (error != 0)
			goto out;
		error = copyin_buffer(req.plist, req.plist_len, KEXT_PLIST_MAX, &plist);
		if (error != 0) {
			kext_arg_message(msg, path, "Info.plist", error);
			goto out;
		}
		if (req.exec != 0 || req.exec_len != 0) {
			error = copyin_buffer(req.exec, req.exec_len, KEXT_EXEC_MAX, &exec);
			if (error != 0) {
				kext_arg_message(msg, path, "the executable", error);
				goto out;
			}
		}
		kr = OSKextLoadFromData(path, plist, (size_t)req.plist_len, exec,
		    (size_t)req.exec_len, req.flags, &tag, msg, KEXT_MSG_MAX);
	}
	error = kext_errno(kr);
	if (kr == KERN_FAILURE)
		error = EIO;		/* start failed */
	if (error == 0 && copyout(&tag, uap->args + offsetof(struct kext_load_request, tag),
	    sizeof tag) != 0)
		error = EFAULT;
out:
	if (copyout_msg(req.msg, req.msg_len, msg) != 0 && error == 0)
		error = EFAULT;
	if (plist != NULL)
		kfree(plist, (vm_size_t)req.plist_len);
	if (exec != NULL)
		kfree(exec, (vm_size_t)req.exec_len);
	kfree(msg, KEXT_MSG_MAX);
	return error;
}

/* kext_unload (601): unload a kext by identifier or by the path it came from. */
int
kext_unload(struct proc *p, struct kext_unload_args *uap, int64_t *retval)
{
	struct kext_unload_request req;
	char name[KEXT_PATH_MAX];
	vm_size_t done;
	kern_return_t kr;
	char *msg;
	int error;

	*retval = 0;
	if (copyin(uap->args, &req, sizeof req) != 0)
		return EFAULT;
	if (!proc_suser(p))
		return EPERM;
	if (req.flags & ~(KEXT_UNLOAD_BY_PATH | KEXT_UNLOAD_TERMINATE | KEXT_UNLOAD_PERSONALITIES_ONLY))
		return EINVAL;
	error = copyinstr(req.identifier, name, sizeof name, &done);
	if (error != 0)
		return error;
	msg = kalloc(KEXT_MSG_MAX);
	if (msg == NULL)
		return ENOMEM;
	kr = OSKextUnloadKextWithIdentifier(name, req.flags, msg, KEXT_MSG_MAX);
	error = kext_errno(kr);
	if (copyout_msg(req.msg, req.msg_len, msg) != 0 && error == 0)
		error = EFAULT;
	kfree(msg, KEXT_MSG_MAX);
	return error;
}

/* kext_stat (602): up to max records into buf; returns how many kexts are loaded. */
int
kext_stat(struct proc *p, struct kext_stat_args *uap, int64_t *retval)
{
	uint32_t max = uap->max, total, n;
	struct kext_stat_entry *buf = NULL;
	vm_size_t size;
	int error = 0;

	(void)p;
	if (max > 1024)
		max = 1024;
	size = (vm_size_t)max * sizeof(*buf);
	if (max != 0) {
		if (uap->buf == 0)
			return EFAULT;
		buf = kalloc(size);
		if (buf == NULL)
			return ENOMEM;
	}
	total = OSKextCopyLoadedInfo(buf, max);
	n = total < max ? total : max;
	if (n != 0 && copyout(buf, uap->buf, n * sizeof(*buf)) != 0)
		error = EFAULT;
	if (buf != NULL)
		kfree(buf, size);
	*retval = total;
	return error;
}

/* debug.kext_region_pages: pages the kext region has mapped (tests: nothing leaks). */
static int
sysctl_kext_region_pages SYSCTL_HANDLER_ARGS
{
	struct kext_region_stats st;
	int64_t pages;

	kext_region_get_stats(&st);
	pages = (int64_t)st.krs_pages;
	return SYSCTL_OUT(req, &pages, sizeof pages);
}
SYSCTL_PROC(_debug, OID_AUTO, kext_region_pages, CTLTYPE_QUAD | CTLFLAG_RD | CTLFLAG_LOCKED,
    NULL, 0, sysctl_kext_region_pages, "Q", "pages mapped in the kext region");

/* What of the BSD layer may still point into a kext: its sysctl nodes. */
static bool
kext_bsd_unload_check(uintptr_t lo, uintptr_t hi, char *buf, size_t len)
{
	return sysctl_oid_in_range(lo, hi, buf, len);
}

void
kern_kext_init(void)
{
	OSKextInit();
	OSKextRegisterUnloadCheck(kext_bsd_unload_check);
	OSKextInitCatalog();
}
