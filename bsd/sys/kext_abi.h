/*
 * kext_abi.h - what kextload, kextunload, kextstat and kextutil and the
 * kernel exchange: three BSD calls (class 2, docs/syscalls.md) and their
 * records. Installed into user space as <sys/kext_abi.h>, so one copy
 * describes both sides: it needs nothing but <stdint.h>.
 *
 *	kext_load(struct kext_load_request *)	root only
 *	kext_unload(struct kext_unload_request *)	root only
 *	kext_stat(struct kext_stat_entry *buf, uint32_t max)
 *		fills up to max records; returns how many kexts are loaded
 *
 * The user tools read a bundle's files themselves and hand the kernel
 * their bytes (as XNU's kextload does), so the kernel needs no file
 * system to load a kext; a kext in the kernel's catalog (the initrd's
 * /System/Library/Extensions) can instead be named by identifier.
 * Pointers are user addresses, as 64-bit integers; lengths are bytes.
 * Each call writes its report (why it failed, or what check-only found)
 * to msg, NUL-terminated and cut to msg_len, and returns -1 with errno
 * set on failure: EPERM (not root), EINVAL (a malformed bundle or
 * argument), EEXIST (already loaded), ENOENT (not found: the kext, a
 * dependency or a symbol), EBUSY (unload refused), ENOMEM, EFAULT, EIO
 * (start or stop failed), E2BIG (a file over the limits below).
 */

#ifndef BSD_SYS_KEXT_ABI_H
#define BSD_SYS_KEXT_ABI_H

#include <stdint.h>

#define KEXT_NAME_MAX		64		/* identifier or version, with the NUL */
#define KEXT_PATH_MAX		256		/* a bundle's path, with the NUL */
#define KEXT_PLIST_MAX		(1u << 20)	/* largest Info.plist */
#define KEXT_EXEC_MAX		(32u << 20)	/* largest executable */
#define KEXT_MSG_MAX		4096		/* the most report the kernel writes */
#define KEXT_STAT_MAX_DEPS	16		/* dependencies listed per record */

/* kext_load flags */
#define KEXT_LOAD_BY_ID		0x1	/* identifier names a catalog kext; no files given */
#define KEXT_LOAD_CHECK_ONLY	0x2	/* check and link on paper; load nothing */
#define KEXT_LOAD_LIBRARIES	0x4	/* list the libraries its symbols come from; load nothing */

/* kext_unload flags */
#define KEXT_UNLOAD_BY_PATH	0x1	/* identifier is the bundle path it was loaded from */
#define KEXT_UNLOAD_TERMINATE	0x2	/* first terminate its I/O Kit services, remove its personalities */
#define KEXT_UNLOAD_PERSONALITIES_ONLY 0x4 /* ... and stop there: the kext stays loaded */

struct kext_load_request {
	uint64_t	path;		/* the bundle's path (for records and messages) */
	uint64_t	identifier;	/* KEXT_LOAD_BY_ID: the CFBundleIdentifier */
	uint64_t	plist;		/* Info.plist's bytes */
	uint64_t	plist_len;
	uint64_t	exec;		/* the executable's bytes; 0 for a codeless kext */
	uint64_t	exec_len;
	uint64_t	msg;		/* out: the report */
	uint64_t	msg_len;
	uint32_t	flags;
	uint32_t	tag;		/* out: the load tag */
};

struct kext_unload_request {
	uint64_t	identifier;	/* or the bundle path, with KEXT_UNLOAD_BY_PATH */
	uint64_t	msg;
	uint64_t	msg_len;
	uint32_t	flags;
	uint32_t	reserved;
};

/* kext_stat_entry.flags */
#define KEXT_STAT_KERNEL	0x1	/* the kernel itself (tag 0) */
#define KEXT_STAT_KPI		0x2	/* a KPI bundle: symbols, no code of its own */
#define KEXT_STAT_CODELESS	0x4	/* Info.plist only */
#define KEXT_STAT_STOPPED	0x8	/* stop ran but unload was refused */

struct kext_stat_entry {
	uint32_t	tag;		/* kextstat's Index */
	int32_t		refs;		/* loaded kexts linked against it */
	uint64_t	address;	/* 0 for the KPIs and codeless kexts */
	uint64_t	size;
	uint64_t	wired;
	uint32_t	flags;
	uint32_t	ndeps;		/* dependencies, all of them */
	uint32_t	deps[KEXT_STAT_MAX_DEPS];	/* their tags, the first ones */
	char		name[KEXT_NAME_MAX];
	char		version[KEXT_NAME_MAX];
	char		path[KEXT_PATH_MAX];
};

#endif /* BSD_SYS_KEXT_ABI_H */
