/*
 * sys/kext.h - loading, unloading and listing kexts from user space: the
 * kernel's kext calls (<sys/kext_abi.h>, docs/kexts.md) and the reading of
 * a bundle from disk that kextload, kextutil and kextunload share.
 *
 *	struct kext_files f;
 *	char msg[KEXT_MSG_MAX];
 *	if (kext_files_read("/usr/tests/kexts/Foo.kext", &f, msg, sizeof msg) != 0)
 *		errx(1, "%s", msg);
 *	if (kext_load_files(&f, 0, NULL, msg, sizeof msg) != 0)
 *		errx(1, "%s", msg);
 *	kext_files_free(&f);
 */

#ifndef _SYS_KEXT_H_
#define _SYS_KEXT_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/kext_abi.h>

/* The system calls: -1 and errno on failure. */
int	kext_load(struct kext_load_request *req);
int	kext_unload(struct kext_unload_request *req);
/* kext_stat: fills up to max records; returns the number of loaded kexts. */
int	kext_stat(struct kext_stat_entry *buf, unsigned max);

/* A bundle's files, read into memory. */
struct kext_files {
	char	path[KEXT_PATH_MAX];	/* absolute */
	void	*plist;
	size_t	plist_len;
	void	*exec;			/* NULL: codeless */
	size_t	exec_len;
	char	exec_name[KEXT_NAME_MAX];
};

/*
 * kext_files_read: read PATH/Contents/Info.plist and the executable in
 * PATH/Contents/MacOS (the one CFBundleExecutable names, else the only
 * file there). 0, or -1 with errno and a message in msg.
 */
int	kext_files_read(const char *path, struct kext_files *f, char *msg, size_t msglen);
void	kext_files_free(struct kext_files *f);

/* kext_load_files: kext_load of the files (flags: KEXT_LOAD_CHECK_ONLY, ...). */
int	kext_load_files(const struct kext_files *f, uint32_t flags, uint32_t *tag,
	    char *msg, size_t msglen);

/* kext_load_identifier: kext_load of a catalog kext (KEXT_LOAD_BY_ID added). */
int	kext_load_identifier(const char *identifier, uint32_t flags, uint32_t *tag,
	    char *msg, size_t msglen);

/* kext_unload_name: kext_unload by identifier, or by path with KEXT_UNLOAD_BY_PATH. */
int	kext_unload_name(const char *name, uint32_t flags, char *msg, size_t msglen);

#endif /* _SYS_KEXT_H_ */
