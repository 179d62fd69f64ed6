/*
 * ioreg - show the I/O Registry, as macOS's ioreg(8) does.
 *
 *	ioreg [-lr] [-c class] [-n name] [-p plane] [-w width] [-h]
 *
 *	+-o Root  <class IORegistryEntry, id 0x100000100, retain 6>
 *	  +-o IOResources  <class IOResources, id 0x100000101, retain 8>
 *
 * One line per entry, drawn as macOS draws the tree: an entry's children
 * two columns to the right, a "|" in the column of an entry that has
 * siblings still to come. An entry is shown as name@location when it has
 * a location.
 *
 *   -l        show every shown entry's properties ("key" = value lines:
 *             strings quoted, numbers in decimal, booleans Yes/No, data as
 *             <hex>, arrays as (a,b), dictionaries as {"k"=v,...})
 *   -p plane  walk this plane (default IOService)
 *   -c class  show only the entries of that class (or a subclass), with
 *             their properties, and their ancestors
 *   -n name   the same for entries of that name (with -c: both must hold)
 *   -r        with -c or -n: show the subtree under each match instead,
 *             the match at the top
 *   -w width  cut lines at width columns; 0: never. The default is the
 *             terminal's width when standard output is a terminal (80 if
 *             it cannot be learned), and no cut otherwise
 *   -h        this usage, on standard output
 *
 * An unknown option prints the usage on standard error and exits with 1.
 * Properties come from the kernel as XML and are read by plist.c; text
 * that does not parse is reported on standard error and makes the exit
 * status 1, the rest of the tree is still shown.
 */

#include <IOKit/IOKitLib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "plist.h"

#define IOREG_MAX_DEPTH	128

struct node {
	io_registry_entry_t	obj;
	char			name[2 * sizeof(io_name_t) + 1];	/* name@location */
	io_name_t		class_name;
	uint64_t		id;
	uint32_t		retain;
	int			match, show;
	size_t			nkids;
	struct node		**kids;
};

static const char *opt_plane = kIOServicePlane;
static const char *opt_class, *opt_name;
static int opt_props, opt_subtrees;
static long opt_width = -1;
static int status;

static void
usage(FILE *f, int code)
{
	fprintf(f, "usage: ioreg [-lr] [-c class] [-n name] [-p plane] [-w width] [-h]\n"
	    "  -c class  show entries of this class (and subclasses), with their ancestors\n"
	    "  -h        show this message\n"
	    "  -l        show properties of every shown entry\n"
	    "  -n name   show entries of this name, with their ancestors\n"
	    "  -p plane  walk this registry plane (default IOService)\n"
	    "  -r        show subtrees rooted at the entries -c and -n match\n"
	    "  -w width  cut lines at width columns (0: no cut)\n");
	exit(code);
}

/* --- the tree --------------------------------------------------------------------------- */

static struct node *
build(io_registry_entry_t obj, int depth)
{
	struct node *n = calloc(1, sizeof(*n));
	io_name_t name, location;
	io_iterator_t it;
	io_object_t child;

	if (n == NULL) {
		fprintf(stderr, "ioreg: out of memory\n");
		exit(1);
	}
	n->obj = obj;
	if (IORegistryEntryGetNameInPlane(obj, opt_plane, name) != KERN_SUCCESS)
		strcpy(name, "<unnamed>");
	if (IORegistryEntryGetLocationInPlane(obj, opt_plane, location) == KERN_SUCCESS)
		snprintf(n->name, sizeof(n->name), "%s@%s", name, location);
	else
		snprintf(n->name, sizeof(n->name), "%s", name);
	if (IOObjectGetClass(obj, n->class_name) != KERN_SUCCESS)
		strcpy(n->class_name, "?");
	(void)IORegistryEntryGetRegistryEntryID(obj, &n->id);
	n->retain = IOObjectGetRetainCount(obj);
	n->match = (opt_class != NULL || opt_name != NULL) &&
	    (opt_class == NULL || IOObjectConformsTo(obj, opt_class)) &&
	    (opt_name == NULL || strcmp(name, opt_name) == 0);
	if (depth >= IOREG_MAX_DEPTH ||
	    IORegistryEntryGetChildIterator(obj, opt_plane, &it) != KERN_SUCCESS)
		return n;
	while ((child = IOIteratorNext(it)) != IO_OBJECT_NULL) {
		struct node **kids = realloc(n->kids, (n->nkids + 1) * sizeof(*kids));

		if (kids == NULL) {
			fprintf(stderr, "ioreg: out of memory\n");
			exit(1);
		}
		n->kids = kids;
		n->kids[n->nkids++] = build(child, depth + 1);
	}
	IOObjectRelease(it);
	return n;
}

/* show: the node matches or has a descendant that does. */
static int
mark(struct node *n)
{
	n->show = n->match;
	for (size_t i = 0; i < n->nkids; i++)
		n->show |= mark(n->kids[i]);
	return n->show;
}

static void
free_tree(struct node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		free_tree(n->kids[i]);
	IOObjectRelease(n->obj);
	free(n->kids);
	free(n);
}

/* --- output ------------------------------------------------------------------------------- */

/* A growing string. */
struct buf {
	char	*s;
	size_t	len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (p == NULL) {
			fprintf(stderr, "ioreg: out of memory\n");
			exit(1);
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
puts_buf(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
emit(const char *prefix, const char *text)
{
	struct buf line = { 0 };

	puts_buf(&line, prefix);
	puts_buf(&line, text);
	if (opt_width > 0 && line.len > (size_t)opt_width)
		line.s[opt_width] = '\0';
	printf("%s\n", line.s);
	free(line.s);
}

/* A value as macOS's ioreg writes it. */
static void
format_value(struct buf *b, const struct plist *v)
{
	char num[32];

	switch (v->type) {
	case PLIST_STRING:
		puts_buf(b, "\"");
		put(b, v->text, v->len);
		puts_buf(b, "\"");
		break;
	case PLIST_INTEGER:
		if (v->text[0] == '-')
			snprintf(num, sizeof(num), "%lld", strtoll(v->text, NULL, 0));
		else
			snprintf(num, sizeof(num), "%llu", strtoull(v->text, NULL, 0));
		puts_buf(b, num);
		break;
	case PLIST_REAL:
	case PLIST_DATE:
		put(b, v->text, v->len);
		break;
	case PLIST_TRUE:
		puts_buf(b, "Yes");
		break;
	case PLIST_FALSE:
		puts_buf(b, "No");
		break;
	case PLIST_DATA:
		puts_buf(b, "<");
		for (size_t i = 0; i < v->len; i++) {
			snprintf(num, sizeof(num), "%02x", (unsigned char)v->text[i]);
			puts_buf(b, num);
		}
		puts_buf(b, ">");
		break;
	case PLIST_ARRAY:
		puts_buf(b, "(");
		for (size_t i = 0; i < v->count; i++) {
			if (i > 0)
				puts_buf(b, ",");
			format_value(b, v->values[i]);
		}
		puts_buf(b, ")");
		break;
	case PLIST_DICT:
		puts_buf(b, "{");
		for (size_t i = 0; i < v->count; i++) {
			if (i > 0)
				puts_buf(b, ",");
			puts_buf(b, "\"");
			puts_buf(b, v->keys[i]);
			puts_buf(b, "\"=");
			format_value(b, v->values[i]);
		}
		puts_buf(b, "}");
		break;
	}
}

static void
show_properties(const struct node *n, const char *prefix)
{
	char *xml = NULL, err[160];
	struct plist *p;
	size_t len = 0;
	kern_return_t kr;

	kr = IORegistryEntryCopyPropertiesXML(n->obj, &xml, &len);
	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "ioreg: %s: cannot read the properties (0x%x)\n", n->name, kr);
		status = 1;
		return;
	}
	p = plist_parse(xml, len, err, sizeof(err));
	free(xml);
	if (p == NULL || p->type != PLIST_DICT) {
		fprintf(stderr, "ioreg: %s: the properties do not parse: %s\n", n->name,
		    p == NULL ? err : "not a dictionary");
		plist_free(p);
		status = 1;
		return;
	}
	emit(prefix, "{");
	for (size_t i = 0; i < p->count; i++) {
		struct buf b = { 0 };

		puts_buf(&b, "  \"");
		puts_buf(&b, p->keys[i]);
		puts_buf(&b, "\" = ");
		format_value(&b, p->values[i]);
		emit(prefix, b.s);
		free(b.s);
	}
	emit(prefix, "}");
	emit(prefix, "");
	plist_free(p);
}

/*
 * One entry and what is shown below it. prefix draws the columns to its
 * left; last: no shown sibling follows it; all: show every descendant
 * (not only those marked).
 */
static void
show(const struct node *n, const char *prefix, int last, int all)
{
	char line[sizeof(n->name) + sizeof(n->class_name) + 96];
	struct buf below = { 0 };
	size_t shown = 0, seen = 0;

	snprintf(line, sizeof(line), "+-o %s  <class %s, id 0x%llx, retain %u>", n->name,
	    n->class_name, (unsigned long long)n->id, n->retain);
	emit(prefix, line);
	puts_buf(&below, prefix);
	puts_buf(&below, last ? "  " : "| ");
	if (opt_props || n->match)
		show_properties(n, below.s);
	for (size_t i = 0; i < n->nkids; i++)
		shown += all || n->kids[i]->show;
	for (size_t i = 0; i < n->nkids; i++) {
		if (!all && !n->kids[i]->show)
			continue;
		show(n->kids[i], below.s, ++seen == shown, all);
	}
	free(below.s);
}

/* -r: each match's subtree, the match at the top; matches inside one are not repeated. */
static void
show_subtrees(const struct node *n)
{
	if (n->match) {
		show(n, "", 1, 1);
		return;
	}
	for (size_t i = 0; i < n->nkids; i++)
		show_subtrees(n->kids[i]);
}

int
main(int argc, char **argv)
{
	io_registry_entry_t root;
	io_iterator_t it;
	struct node *tree;
	char *end;
	int c;

	while ((c = getopt(argc, argv, "c:hln:p:rw:")) != -1) {
		switch (c) {
		case 'c':
			opt_class = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		case 'l':
			opt_props = 1;
			break;
		case 'n':
			opt_name = optarg;
			break;
		case 'p':
			opt_plane = optarg;
			break;
		case 'r':
			opt_subtrees = 1;
			break;
		case 'w':
			opt_width = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || opt_width < 0) {
				fprintf(stderr, "ioreg: bad width: %s\n", optarg);
				usage(stderr, 1);
			}
			break;
		default:
			usage(stderr, 1);
		}
	}
	if (optind != argc)
		usage(stderr, 1);
	root = IORegistryGetRootEntry(kIOMasterPortDefault);
	if (root == IO_OBJECT_NULL) {
		fprintf(stderr, "ioreg: cannot reach the I/O Registry\n");
		return 1;
	}
	/* An unknown plane is refused by the first iterator in it. */
	if (opt_plane[0] == '\0' ||
	    IORegistryEntryGetChildIterator(root, opt_plane, &it) != KERN_SUCCESS) {
		fprintf(stderr, "ioreg: no such plane: %s\n", opt_plane);
		return 1;
	}
	IOObjectRelease(it);
	if (opt_width < 0) {
		struct winsize ws;

		opt_width = 0;
		if (isatty(1))
			opt_width = ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
	}
	tree = build(root, 0);
	if (opt_class == NULL && opt_name == NULL)
		show(tree, "", 1, 1);
	else if (opt_subtrees)
		show_subtrees(tree);
	else if (mark(tree))
		show(tree, "", 1, 0);
	free_tree(tree);
	return status;
}
