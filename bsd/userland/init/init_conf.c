/*
 * init_conf.c - the text decisions of /sbin/init (init_conf.h).
 */

#include "init_conf.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

/* Copy len bytes of s into buf as a string, truncated to fit. */
static void
copy_bounded(char *buf, size_t size, const char *s, size_t len)
{
	if (size == 0)
		return;
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
}

/*
 * next_token: the token at *cursor: its name (up to '=' or a space) and its
 * value (after '=', quotes stripped; an unterminated quote runs to the end).
 * False at the end of the line.
 */
static bool
next_token(const char **cursor, const char **name, size_t *namelen,
    const char **value, size_t *valuelen)
{
	const char *p = *cursor;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p == '\0')
		return false;
	*name = p;
	while (*p != '\0' && *p != '=' && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	*namelen = (size_t)(p - *name);
	*value = NULL;
	*valuelen = 0;
	if (*p == '=') {
		p++;
		if (*p == '"') {
			*value = ++p;
			while (*p != '\0' && *p != '"')
				p++;
			*valuelen = (size_t)(p - *value);
			if (*p == '"')
				p++;
		} else {
			*value = p;
			while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
				p++;
			*valuelen = (size_t)(p - *value);
		}
	}
	*cursor = p;
	return true;
}

bool
init_bootarg(const char *line, const char *name, char *buf, size_t size)
{
	const char *cursor = line, *tname, *value;
	size_t tlen, vlen;

	copy_bounded(buf, size, "", 0);
	if (line == NULL)
		return false;
	while (next_token(&cursor, &tname, &tlen, &value, &vlen)) {
		if (tlen == strlen(name) && memcmp(tname, name, tlen) == 0) {
			copy_bounded(buf, size, value != NULL ? value : "", vlen);
			return true;
		}
	}
	return false;
}

/* Append the len bytes at s to the comma list in globs (size bytes). */
static void
append_glob(char *globs, size_t size, const char *s, size_t len)
{
	size_t used = strlen(globs);

	if (used != 0 && used + 1 < size)
		globs[used++] = ',';
	copy_bounded(globs + used, size - used, s, len);
}

bool
init_user_tests(const char *line, char *globs, size_t size)
{
	char value[1024];
	const char *p, *end;

	copy_bounded(globs, size, "", 0);
	if (!init_bootarg(line, "tests", value, sizeof(value)) ||
	    strncmp(value, "user", 4) != 0)
		return false;
	for (p = value; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (end - p == 4 && strncmp(p, "user", 4) == 0)
			append_glob(globs, size, "*", 1);
		else if (end - p > 5 && strncmp(p, "user.", 5) == 0)
			append_glob(globs, size, p + 5, (size_t)(end - p - 5));
		else if (end - p > 6 && strncmp(p, "-user.", 6) == 0) {
			/* An exclusion: kept with its '-' (init_globs_match). */
			append_glob(globs, size, "-", 1);
			copy_bounded(globs + strlen(globs), size - strlen(globs), p + 6,
			    (size_t)(end - p - 6));
		}
	}
	return true;
}

bool
init_glob_match(const char *pattern, const char *name)
{
	const char *star = NULL, *resume = NULL;

	/* Backtrack to the last '*' on a mismatch: linear in practice. */
	while (*name != '\0') {
		if (*pattern == '*') {
			star = ++pattern;
			resume = name;
		} else if (*pattern == '?' || *pattern == *name) {
			pattern++;
			name++;
		} else if (star != NULL) {
			pattern = star;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

bool
init_globs_match(const char *globs, const char *name)
{
	char one[256];
	const char *p, *end;
	bool matched = false;

	for (p = globs; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p || (size_t)(end - p) >= sizeof(one))
			continue;
		copy_bounded(one, sizeof(one), p, (size_t)(end - p));
		if (one[0] == '-' && init_glob_match(one + 1, name))
			return false;		/* excluded, wherever it stands */
		if (one[0] != '-' && init_glob_match(one, name))
			matched = true;
	}
	return matched;
}

/* Linux's numbering, the first 31. */
static const char *const signal_names[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG", [24] = "SIGXCPU",
	[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
};

const char *
init_signal_name(int sig, char *buf, size_t size)
{
	if (sig > 0 && (size_t)sig < sizeof(signal_names) / sizeof(signal_names[0]))
		return signal_names[sig];
	snprintf(buf, size, "signal %d", sig);
	return buf;
}

void
init_describe_status(int status, char *buf, size_t size)
{
	char name[32];

	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "died of %s%s",
		    init_signal_name(WTERMSIG(status), name, sizeof(name)),
		    WCOREDUMP(status) ? ", core dumped" : "");
	else
		snprintf(buf, size, "changed state (status 0x%x)", (unsigned)status);
}
