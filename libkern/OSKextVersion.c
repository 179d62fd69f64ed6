/*
 * OSKextVersion.c - parse and print kext versions.
 *
 * The number is MAJOR * 10^8 + MINOR * 10^6 + REVISION * 10^4 + STAGE *
 * 10^3 + LEVEL, with STAGE 1 (d), 3 (a), 5 (b), 7 (fc) or 9 (release), so
 * that comparing numbers compares versions and a release sorts above every
 * pre-release of itself.
 */

#include "libkern/OSKextVersion.h"

#include "libkern/printf.h"

enum {
	STAGE_DEVELOPMENT = 1,
	STAGE_ALPHA = 3,
	STAGE_BETA = 5,
	STAGE_CANDIDATE = 7,
	STAGE_RELEASE = 9,
};

/* Read 1..maxdigits decimal digits at *sp; -1 if there are none or too many. */
static int64_t
read_number(const char **sp, int maxdigits)
{
	const char *s = *sp;
	int64_t n = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9') {
		if (++digits > maxdigits)
			return -1;
		n = n * 10 + (*s - '0');
		s++;
	}
	if (digits == 0)
		return -1;
	*sp = s;
	return n;
}

OSKextVersion
OSKextParseVersionString(const char *s)
{
	int64_t part[3] = { 0, 0, 0 };
	int64_t stage = STAGE_RELEASE, level = 0;
	static const int width[3] = { 4, 2, 2 };

	if (s == NULL)
		return -1;
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (*s != '.')
				break;
			s++;
		}
		part[i] = read_number(&s, width[i]);
		if (part[i] < 0)
			return -1;
	}
	switch (*s) {
	case '\0':
		break;
	case 'd':
		stage = STAGE_DEVELOPMENT;
		s++;
		break;
	case 'a':
		stage = STAGE_ALPHA;
		s++;
		break;
	case 'b':
		stage = STAGE_BETA;
		s++;
		break;
	case 'f':
		if (s[1] != 'c')
			return -1;
		stage = STAGE_CANDIDATE;
		s += 2;
		break;
	default:
		return -1;
	}
	if (stage != STAGE_RELEASE) {
		level = read_number(&s, 3);
		if (level < 0 || level > 255)
			return -1;
	}
	if (*s != '\0')
		return -1;
	return part[0] * 100000000 + part[1] * 1000000 + part[2] * 10000 +
	    stage * 1000 + level;
}

bool
OSKextVersionGetString(OSKextVersion v, char *buf, size_t len)
{
	static const char *const stages[10] = {
		[STAGE_DEVELOPMENT] = "d", [STAGE_ALPHA] = "a", [STAGE_BETA] = "b",
		[STAGE_CANDIDATE] = "fc",
	};
	int64_t major, minor, rev, stage, level;
	int n;

	if (v < 0 || buf == NULL)
		return false;
	major = v / 100000000;
	minor = v / 1000000 % 100;
	rev = v / 10000 % 100;
	stage = v / 1000 % 10;
	level = v % 1000;
	if (major > 9999 || level > 255 ||
	    (stage != STAGE_RELEASE && stages[stage] == NULL) ||
	    (stage == STAGE_RELEASE && level != 0))
		return false;
	if (stage == STAGE_RELEASE)
		n = snprintf(buf, len, "%d.%d.%d", (int)major, (int)minor, (int)rev);
	else
		n = snprintf(buf, len, "%d.%d.%d%s%d", (int)major, (int)minor,
		    (int)rev, stages[stage], (int)level);
	return n >= 0 && (size_t)n < len;
}
