/*
 * kext.c - the kext calls (class 2, 600-602) and reading a bundle
 * (<sys/kext.h>).
 */

#include <sys/kext.h>

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/bsdsyscall.h>
#include <sys/stat.h>
#include <unistd.h>

int
kext_load(struct kext_load_request *req)
{
	return (int)__bsd_syscall(MACHINA_SYS_kext_load, req);
}

int
kext_unload(struct kext_unload_request *req)
{
	return (int)__bsd_syscall(MACHINA_SYS_kext_unload, req);
}

int
kext_stat(struct kext_stat_entry *buf, unsigned max)
{
	return (int)__bsd_syscall(MACHINA_SYS_kext_stat, buf, max);
}

/* Read a whole file of at most max bytes into fresh memory. */
static int
read_file(const char *path, size_t max, void **out, size_t *len, char *msg, size_t msglen)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		snprintf(msg, msglen, "%s: %s", path, S_ISREG(st.st_mode) ?
		    "too large" : "not a regular file");
		close(fd);
		errno = S_ISREG(st.st_mode) ? E2BIG : EINVAL;
		return -1;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		close(fd);
		snprintf(msg, msglen, "%s: out of memory", path);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			snprintf(msg, msglen, "%s: %s", path, n < 0 ? strerror(errno) : "short read");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	*out = buf;
	*len = got;
	return 0;
}

/*
 * The executable's name from the plist text: the <string> after
 * <key>CFBundleExecutable</key>. The kernel parses the plist properly; this
 * only finds the file to send.
 */
static int
plist_executable(const char *plist, size_t len, char *name, size_t namelen)
{
	static const char key[] = "<key>CFBundleExecutable</key>";
	const char *p, *end = plist + len, *q;

	for (p = plist; p + sizeof key - 1 <= end; p++) {
		if (memcmp(p, key, sizeof key - 1) != 0)
			continue;
		p += sizeof key - 1;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (end - p < 8 || memcmp(p, "<string>", 8) != 0)
			return -1;
		p += 8;
		for (q = p; q < end && *q != '<'; q++)
			;
		if (q == end || (size_t)(q - p) >= namelen || q == p)
			return -1;
		memcpy(name, p, (size_t)(q - p));
		name[q - p] = '\0';
		return strchr(name, '/') == NULL ? 0 : -1;
	}
	return -1;
}

int
kext_files_read(const char *path, struct kext_files *f, char *msg, size_t msglen)
{
	char file[PATH_MAX], dir[PATH_MAX];
	struct stat st;

	memset(f, 0, sizeof(*f));
	if (realpath(path, f->path) == NULL && strlen(path) < sizeof f->path)
		strcpy(f->path, path);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(msg, msglen, "%s: %s", path, stat(path, &st) != 0 ? strerror(errno) :
		    "not a kext bundle (a directory ending in .kext)");
		if (errno == 0)
			errno = EINVAL;
		return -1;
	}
	snprintf(file, sizeof file, "%s/Contents/Info.plist", path);
	if (read_file(file, KEXT_PLIST_MAX, &f->plist, &f->plist_len, msg, msglen) != 0)
		return -1;
	snprintf(dir, sizeof dir, "%s/Contents/MacOS", path);
	if (plist_executable(f->plist, f->plist_len, f->exec_name, sizeof f->exec_name) != 0) {
		/* None named: codeless, unless MacOS holds exactly one file. */
		DIR *d = opendir(dir);
		struct dirent *e;
		int n = 0;

		while (d != NULL && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			n++;
			if (strlen(e->d_name) < sizeof f->exec_name)
				strcpy(f->exec_name, e->d_name);
			else
				n++;	/* a name too long to be an executable's: ambiguous */
		}
		if (d != NULL)
			closedir(d);
		if (n != 1)
			return 0;
	}
	if ((size_t)snprintf(file, sizeof file, "%s/%.63s", dir, f->exec_name) >= sizeof file ||
	    stat(file, &st) != 0) {
		/* Let the kernel say that the named executable is missing. */
		f->exec_name[0] = '\0';
		return 0;
	}
	if (read_file(file, KEXT_EXEC_MAX, &f->exec, &f->exec_len, msg, msglen) != 0) {
		kext_files_free(f);
		return -1;
	}
	return 0;
}

void
kext_files_free(struct kext_files *f)
{
	free(f->plist);
	free(f->exec);
	f->plist = f->exec = NULL;
}

int
kext_load_files(const struct kext_files *f, uint32_t flags, uint32_t *tag, char *msg,
    size_t msglen)
{
	struct kext_load_request req;
	int r;

	memset(&req, 0, sizeof req);
	req.path = (uint64_t)(uintptr_t)f->path;
	req.plist = (uint64_t)(uintptr_t)f->plist;
	req.plist_len = f->plist_len;
	req.exec = (uint64_t)(uintptr_t)f->exec;
	req.exec_len = f->exec_len;
	req.msg = (uint64_t)(uintptr_t)msg;
	req.msg_len = msglen;
	req.flags = flags;
	if (msglen != 0)
		msg[0] = '\0';
	r = kext_load(&req);
	if (r == 0 && tag != NULL)
		*tag = req.tag;
	return r;
}

int
kext_load_identifier(const char *identifier, uint32_t flags, uint32_t *tag, char *msg,
    size_t msglen)
{
	struct kext_load_request req;
	int r;

	memset(&req, 0, sizeof req);
	req.identifier = (uint64_t)(uintptr_t)identifier;
	req.msg = (uint64_t)(uintptr_t)msg;
	req.msg_len = msglen;
	req.flags = flags | KEXT_LOAD_BY_ID;
	if (msglen != 0)
		msg[0] = '\0';
	r = kext_load(&req);
	if (r == 0 && tag != NULL)
		*tag = req.tag;
	return r;
}

int
kext_unload_name(const char *name, uint32_t flags, char *msg, size_t msglen)
{
	struct kext_unload_request req;

	memset(&req, 0, sizeof req);
	req.identifier = (uint64_t)(uintptr_t)name;
	req.msg = (uint64_t)(uintptr_t)msg;
	req.msg_len = msglen;
	req.flags = flags;
	if (msglen != 0)
		msg[0] = '\0';
	return kext_unload(&req);
}
