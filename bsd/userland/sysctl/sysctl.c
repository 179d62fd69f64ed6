/*
 * sysctl - get or set kernel state (the MIB).
 *
 *	sysctl [-n] [-w] name[=value] ...
 *	sysctl [-n] -a
 *
 * A name is a leaf ("kern.ostype") or a node ("kern"), which prints every
 * leaf below it; -a prints every leaf. name=value sets a leaf (root only,
 * most of them), printing "name: old -> new". -n prints values without
 * names. Integers are decimal (a value may be given in hex with 0x);
 * kern.boottime and vm.loadavg print as FreeBSD's sysctl prints them;
 * other structures (and kern.proc.*) print their format and length. -a
 * leaves out the kernel log (kern.msgbuf: see dmesg). -w is accepted and
 * changes nothing (XNU's sysctl wanted it before name=value).
 *
 * Exit status: 0, or 1 if any name could not be read or set.
 */

#include <sys/sysctl.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int nflag;

struct oidinfo {
	int		oid[CTL_MAXNAME];
	unsigned	len;
	unsigned	kind;
	char		fmt[64];
	char		name[256];
};

static void
usage(void)
{
	fprintf(stderr, "usage: sysctl [-n] [-w] name[=value] ...\n"
	    "       sysctl [-n] -a\n");
	exit(1);
}

/* The kind and format of an OID ({0, 4, oid...}). */
static int
oid_fmt(struct oidinfo *oi)
{
	int q[2 + CTL_MAXNAME] = { 0, 4 };
	char buf[sizeof(unsigned) + 64];
	size_t len = sizeof(buf);

	memcpy(q + 2, oi->oid, oi->len * sizeof(int));
	if (sysctl(q, 2 + oi->len, buf, &len, NULL, 0) == -1)
		return -1;
	memcpy(&oi->kind, buf, sizeof(unsigned));
	snprintf(oi->fmt, sizeof(oi->fmt), "%s", buf + sizeof(unsigned));
	return 0;
}

/* The dotted name of an OID ({0, 1, oid...}). */
static int
oid_name(struct oidinfo *oi)
{
	int q[2 + CTL_MAXNAME] = { 0, 1 };
	size_t len = sizeof(oi->name);

	memcpy(q + 2, oi->oid, oi->len * sizeof(int));
	return sysctl(q, 2 + oi->len, oi->name, &len, NULL, 0);
}

/* The next leaf after oid ({0, 2, oid...}); -1 at the end. */
static int
oid_next(const int *oid, unsigned len, struct oidinfo *next)
{
	int q[2 + CTL_MAXNAME] = { 0, 2 };
	size_t nlen = sizeof(next->oid);

	memcpy(q + 2, oid, len * sizeof(int));
	if (sysctl(q, 2 + len, next->oid, &nlen, NULL, 0) == -1)
		return -1;
	next->len = (unsigned)(nlen / sizeof(int));
	return 0;
}

/*
 * Values are read into static buffers (the largest, kern.msgbuf, is 64
 * KiB): nothing here needs the C library's allocator.
 */
#define VALUE_MAX	(128 * 1024)

static char valbuf[VALUE_MAX + 1], oldbuf[VALUE_MAX + 1];

/* Read a value into buf (VALUE_MAX bytes); *lenp gets its length. -1 on failure. */
static int
read_value(const struct oidinfo *oi, char *buf, size_t *lenp)
{
	size_t len = VALUE_MAX;

	if (sysctl(oi->oid, oi->len, buf, &len, NULL, 0) == -1)
		return -1;
	buf[len] = '\0';
	*lenp = len;
	return 0;
}

static void
print_value(const struct oidinfo *oi, const char *buf, size_t len)
{
	unsigned type = oi->kind & CTLTYPE;
	int is_unsigned = strchr(oi->fmt, 'U') != NULL;

	switch (type) {
	case CTLTYPE_STRING:
		fwrite(buf, 1, strnlen(buf, len), stdout);
		break;
	case CTLTYPE_INT:
		for (size_t off = 0; off + sizeof(int) <= len; off += sizeof(int)) {
			int v;

			memcpy(&v, buf + off, sizeof(v));
			printf(is_unsigned ? "%s%u" : "%s%d", off ? " " : "", v);
		}
		break;
	case CTLTYPE_QUAD:
		for (size_t off = 0; off + 8 <= len; off += 8) {
			int64_t v;

			memcpy(&v, buf + off, sizeof(v));
			if (is_unsigned)
				printf("%s%llu", off ? " " : "", (unsigned long long)v);
			else
				printf("%s%lld", off ? " " : "", (long long)v);
		}
		break;
	default:
		if (strcmp(oi->fmt, "S,timeval") == 0 && len >= 16) {
			int64_t tv[2];
			time_t t;
			char when[64] = "";

			memcpy(tv, buf, sizeof(tv));
			t = (time_t)tv[0];
			strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", gmtime(&t));
			printf("{ sec = %lld, usec = %lld } %s", (long long)tv[0],
			    (long long)tv[1], when);
		} else if (strcmp(oi->fmt, "S,loadavg") == 0 && len >= sizeof(struct loadavg)) {
			struct loadavg la;

			memcpy(&la, buf, sizeof(la));
			printf("{ %.2f %.2f %.2f }", (double)la.ldavg[0] / (double)la.fscale,
			    (double)la.ldavg[1] / (double)la.fscale,
			    (double)la.ldavg[2] / (double)la.fscale);
		} else {
			printf("Format:%s Length:%zu", oi->fmt, len);
		}
		break;
	}
}

/* Print one leaf; quiet: say nothing of failures (for -a). Returns 0 or -1. */
static int
show(struct oidinfo *oi, int quiet)
{
	size_t len;

	if (oid_fmt(oi) == -1 || oid_name(oi) == -1) {
		if (!quiet)
			fprintf(stderr, "sysctl: %s: %s\n", oi->name, strerror(errno));
		return -1;
	}
	if ((oi->kind & CTLTYPE) == CTLTYPE_NODE && strcmp(oi->fmt, "N") == 0)
		return 0;		/* a node of nodes: nothing to print by itself */
	if (read_value(oi, valbuf, &len) == -1) {
		if (!quiet)
			fprintf(stderr, "sysctl: %s: %s\n", oi->name, strerror(errno));
		return -1;
	}
	if (!nflag)
		printf("%s: ", oi->name);
	print_value(oi, valbuf, len);
	putchar('\n');
	return 0;
}

/* Every leaf under prefix (prefixlen 0: all of them). */
static int
show_all(const int *prefix, unsigned prefixlen, int skip_noisy)
{
	struct oidinfo oi;
	const int *after = prefix;
	unsigned afterlen = prefixlen;
	int last[CTL_MAXNAME];

	while (oid_next(after, afterlen, &oi) == 0) {
		if (oi.len < prefixlen || memcmp(oi.oid, prefix, prefixlen * sizeof(int)) != 0)
			break;
		memcpy(last, oi.oid, oi.len * sizeof(int));
		after = last;
		afterlen = oi.len;
		if (skip_noisy && oi.len == 2 && oi.oid[0] == CTL_KERN) {
			oid_name(&oi);
			if (strcmp(oi.name, "kern.msgbuf") == 0)
				continue;
		}
		(void)show(&oi, 1);
	}
	return 0;
}

/* Parse value for a leaf of oi's kind into buf; its length, or -1. */
static long
parse_value(const struct oidinfo *oi, const char *value, void *buf, size_t size)
{
	char *end;

	switch (oi->kind & CTLTYPE) {
	case CTLTYPE_INT: {
		long v = strtol(value, &end, 0);
		int i = (int)v;

		if (*value == '\0' || *end != '\0')
			return -1;
		memcpy(buf, &i, sizeof(i));
		return sizeof(i);
	}
	case CTLTYPE_QUAD: {
		long long v = strtoll(value, &end, 0);

		if (*value == '\0' || *end != '\0')
			return -1;
		memcpy(buf, &v, sizeof(v));
		return sizeof(v);
	}
	case CTLTYPE_STRING:
		if (strlen(value) >= size)
			return -1;
		memcpy(buf, value, strlen(value));
		return (long)strlen(value);
	default:
		return -1;
	}
}

static int
set(struct oidinfo *oi, const char *name, const char *value)
{
	char newbuf[256];
	size_t oldlen, len;
	long newlen;

	if ((oi->kind & CTLTYPE) == CTLTYPE_NODE) {
		fprintf(stderr, "sysctl: oid '%s' isn't a leaf node\n", name);
		return -1;
	}
	if (!(oi->kind & CTLFLAG_WR)) {
		fprintf(stderr, "sysctl: oid '%s' is read only\n", name);
		return -1;
	}
	newlen = parse_value(oi, value, newbuf, sizeof(newbuf));
	if (newlen < 0) {
		fprintf(stderr, "sysctl: invalid value '%s' for '%s'\n", value, name);
		return -1;
	}
	if (read_value(oi, oldbuf, &oldlen) == -1) {
		fprintf(stderr, "sysctl: %s: %s\n", name, strerror(errno));
		return -1;
	}
	if (sysctl(oi->oid, oi->len, NULL, NULL, newbuf, (size_t)newlen) == -1) {
		fprintf(stderr, "sysctl: %s=%s: %s\n", name, value, strerror(errno));
		return -1;
	}
	if (!nflag)
		printf("%s: ", oi->name);
	print_value(oi, oldbuf, oldlen);
	if (read_value(oi, valbuf, &len) == 0) {
		printf(" -> ");
		print_value(oi, valbuf, len);
	}
	putchar('\n');
	return 0;
}

/* One command-line argument: name or name=value. */
static int
do_arg(char *arg)
{
	char *eq = strchr(arg, '=');
	struct oidinfo oi;
	size_t n = CTL_MAXNAME;

	if (eq != NULL)
		*eq = '\0';
	memset(&oi, 0, sizeof(oi));
	snprintf(oi.name, sizeof(oi.name), "%s", arg);
	if (sysctlnametomib(arg, oi.oid, &n) == -1) {
		fprintf(stderr, "sysctl: unknown oid '%s'\n", arg);
		return -1;
	}
	oi.len = (unsigned)n;
	if (oid_fmt(&oi) == -1) {
		fprintf(stderr, "sysctl: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	if (eq != NULL) {
		oid_name(&oi);
		return set(&oi, arg, eq + 1);
	}
	/* A node of nodes: every leaf below it. */
	if ((oi.kind & CTLTYPE) == CTLTYPE_NODE && strcmp(oi.fmt, "N") == 0)
		return show_all(oi.oid, oi.len, 0);
	return show(&oi, 0);
}

int
main(int argc, char **argv)
{
	int aflag = 0, status = 0, c;

	while ((c = getopt(argc, argv, "anwh")) != -1) {
		switch (c) {
		case 'w':
			break;		/* XNU's old spelling of name=value */
		case 'a':
			aflag = 1;
			break;
		case 'n':
			nflag = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (aflag) {
		if (argc != 0)
			usage();
		return show_all(NULL, 0, 1);
	}
	if (argc == 0)
		usage();
	for (int i = 0; i < argc; i++) {
		if (do_arg(argv[i]) == -1)
			status = 1;
	}
	return status;
}
