/*
 * plist.c - the XML property-list reader of ioreg (plist.h).
 */

#include "plist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const char	*start, *p, *end;
	char		*err;
	size_t		errlen;
	int		failed;
};

/* The line (from 1) that r has reached. */
static int
line_of(const struct reader *r)
{
	int line = 1;

	for (const char *s = r->start; s < r->p; s++)
		if (*s == '\n')
			line++;
	return line;
}

static void __attribute__((format(printf, 2, 3)))
fail(struct reader *r, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (r->failed)
		return;
	r->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->err != NULL && r->errlen > 0)
		snprintf(r->err, r->errlen, "line %d: %s", line_of(r), msg);
}

static void
skip_space(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int
starts(struct reader *r, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(r->end - r->p) >= n && memcmp(r->p, s, n) == 0;
}

/* Skip to just past the string s; false if it never comes. */
static int
skip_past(struct reader *r, const char *s)
{
	size_t n = strlen(s);

	while ((size_t)(r->end - r->p) >= n) {
		if (memcmp(r->p, s, n) == 0) {
			r->p += n;
			return 1;
		}
		r->p++;
	}
	return 0;
}

/* Skip declarations, DOCTYPEs and comments. */
static int
skip_misc(struct reader *r)
{
	for (;;) {
		skip_space(r);
		if (starts(r, "<?")) {
			if (!skip_past(r, "?>"))
				return fail(r, "unterminated <?...?>"), 0;
		} else if (starts(r, "<!--")) {
			if (!skip_past(r, "-->"))
				return fail(r, "unterminated comment"), 0;
		} else if (starts(r, "<!")) {
			if (!skip_past(r, ">"))
				return fail(r, "unterminated <!...>"), 0;
		} else {
			return 1;
		}
	}
}

/* A tag: <name ...>, </name>, <name/>. name gets up to 15 characters. */
struct tag {
	char	name[16];
	int	closing, empty;
};

static int
read_tag(struct reader *r, struct tag *t)
{
	size_t n = 0;

	if (!skip_misc(r))
		return 0;
	if (r->p >= r->end || *r->p != '<')
		return fail(r, "expected a tag"), 0;
	r->p++;
	t->closing = r->p < r->end && *r->p == '/';
	if (t->closing)
		r->p++;
	while (r->p < r->end && *r->p != '>' && *r->p != '/' && *r->p != ' ' && *r->p != '\t' &&
	    *r->p != '\n') {
		if (n + 1 >= sizeof(t->name))
			return fail(r, "tag name too long"), 0;
		t->name[n++] = *r->p++;
	}
	t->name[n] = '\0';
	if (n == 0)
		return fail(r, "empty tag"), 0;
	while (r->p < r->end && *r->p != '>')
		r->p++;			/* attributes (version="1.0") are skipped */
	if (r->p >= r->end)
		return fail(r, "unterminated <%s>", t->name), 0;
	t->empty = r->p[-1] == '/';
	r->p++;
	return 1;
}

/* The text up to </name>, entities decoded, into a malloc'd string. */
static char *
read_text(struct reader *r, const char *name, size_t *lenp)
{
	char close[24];
	const char *start = r->p, *stop;
	char *out, *o;

	snprintf(close, sizeof(close), "</%s>", name);
	if (!skip_past(r, close))
		return fail(r, "<%s> without %s", name, close), NULL;
	stop = r->p - strlen(close);
	if ((out = malloc((size_t)(stop - start) + 1)) == NULL)
		return fail(r, "out of memory"), NULL;
	o = out;
	for (const char *s = start; s < stop; s++) {
		if (*s == '<') {
			free(out);
			return fail(r, "markup inside <%s>", name), NULL;
		}
		if (*s != '&') {
			*o++ = *s;
			continue;
		}
		const char *semi = memchr(s, ';', (size_t)(stop - s));
		size_t n = semi != NULL ? (size_t)(semi - s) : 0;
		if (n == 3 && memcmp(s, "&lt", 3) == 0)
			*o++ = '<';
		else if (n == 3 && memcmp(s, "&gt", 3) == 0)
			*o++ = '>';
		else if (n == 4 && memcmp(s, "&amp", 4) == 0)
			*o++ = '&';
		else if (n == 5 && memcmp(s, "&quot", 5) == 0)
			*o++ = '"';
		else if (n == 5 && memcmp(s, "&apos", 5) == 0)
			*o++ = '\'';
		else if (n >= 3 && n < 10 && s[1] == '#') {
			char num[12];
			long v;

			memcpy(num, s + 2, n - 2);
			num[n - 2] = '\0';
			v = num[0] == 'x' ? strtol(num + 1, NULL, 16) : strtol(num, NULL, 10);
			*o++ = v > 0 && v < 128 ? (char)v : '?';
		} else {
			free(out);
			return fail(r, "unknown entity in <%s>", name), NULL;
		}
		s = semi;
	}
	*o = '\0';
	*lenp = (size_t)(o - out);
	return out;
}

static int
b64(int c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/* Decode base64 text in place; false if it is not base64. */
static int
decode_base64(char *s, size_t *lenp)
{
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;

	for (size_t i = 0; i < *lenp; i++) {
		int v = b64((unsigned char)s[i]);

		if (s[i] == '=' || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			continue;
		if (v < 0)
			return 0;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			s[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	*lenp = n;
	return 1;
}

static struct plist *read_value(struct reader *r, const struct tag *t, int depth);

static int
append(struct reader *r, struct plist *p, char *key, struct plist *v)
{
	char **keys = p->keys;
	struct plist **values = realloc(p->values, (p->count + 1) * sizeof(*values));

	if (values == NULL)
		return fail(r, "out of memory"), 0;
	p->values = values;
	if (p->type == PLIST_DICT) {
		keys = realloc(p->keys, (p->count + 1) * sizeof(*keys));
		if (keys == NULL)
			return fail(r, "out of memory"), 0;
		p->keys = keys;
		keys[p->count] = key;
	}
	values[p->count++] = v;
	return 1;
}

static struct plist *
read_container(struct reader *r, struct plist *p, int depth)
{
	const char *name = p->type == PLIST_DICT ? "dict" : "array";
	struct tag t;

	if (depth >= PLIST_MAX_DEPTH) {
		fail(r, "containers nested more than %d deep", PLIST_MAX_DEPTH);
		plist_free(p);
		return NULL;
	}
	for (;;) {
		char *key = NULL;
		struct plist *v;
		size_t klen;

		if (!read_tag(r, &t))
			break;
		if (t.closing) {
			if (strcmp(t.name, name) == 0)
				return p;
			fail(r, "</%s> inside <%s>", t.name, name);
			break;
		}
		if (p->type == PLIST_DICT) {
			if (strcmp(t.name, "key") != 0) {
				fail(r, "<%s> where a <key> belongs", t.name);
				break;
			}
			if (t.empty)
				key = strdup("");
			else
				key = read_text(r, "key", &klen);
			if (key == NULL)
				break;
			if (!read_tag(r, &t) || t.closing) {
				if (t.closing)
					fail(r, "<key> without a value");
				free(key);
				break;
			}
		}
		v = read_value(r, &t, depth + 1);
		if (v == NULL || !append(r, p, key, v)) {
			free(key);
			plist_free(v);
			break;
		}
	}
	plist_free(p);
	return NULL;
}

static struct plist *
read_value(struct reader *r, const struct tag *t, int depth)
{
	static const struct { const char *name; enum plist_type type; } kinds[] = {
		{ "dict", PLIST_DICT }, { "array", PLIST_ARRAY }, { "string", PLIST_STRING },
		{ "integer", PLIST_INTEGER }, { "real", PLIST_REAL }, { "date", PLIST_DATE },
		{ "data", PLIST_DATA }, { "true", PLIST_TRUE }, { "false", PLIST_FALSE },
	};
	struct plist *p;
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(t->name, kinds[i].name) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]) || t->closing) {
		fail(r, "unexpected <%s%s>", t->closing ? "/" : "", t->name);
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		fail(r, "out of memory");
		return NULL;
	}
	p->type = kinds[i].type;
	if (p->type == PLIST_TRUE || p->type == PLIST_FALSE) {
		if (!t->empty) {
			struct tag close;

			if (!read_tag(r, &close) || !close.closing || strcmp(close.name, t->name) != 0) {
				fail(r, "<%s> is not empty", t->name);
				plist_free(p);
				return NULL;
			}
		}
		return p;
	}
	if (t->empty) {
		if (p->type != PLIST_DICT && p->type != PLIST_ARRAY && (p->text = strdup("")) == NULL) {
			fail(r, "out of memory");
			plist_free(p);
			return NULL;
		}
		return p;
	}
	if (p->type == PLIST_DICT || p->type == PLIST_ARRAY)
		return read_container(r, p, depth);
	p->text = read_text(r, t->name, &p->len);
	if (p->text == NULL) {
		plist_free(p);
		return NULL;
	}
	if (p->type == PLIST_DATA && !decode_base64(p->text, &p->len)) {
		fail(r, "<data> is not base64");
		plist_free(p);
		return NULL;
	}
	return p;
}

struct plist *
plist_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct reader r = { text, text, text + len, err, errlen, 0 };
	struct plist *p;
	struct tag t;
	int wrapped;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (memchr(text, '\0', len) != NULL)
		r.end = text + strlen(text);
	if (!read_tag(&r, &t))
		return NULL;
	wrapped = !t.closing && strcmp(t.name, "plist") == 0;
	if (wrapped && !read_tag(&r, &t))
		return NULL;
	if ((p = read_value(&r, &t, 0)) == NULL)
		return NULL;
	if (wrapped && (!read_tag(&r, &t) || !t.closing || strcmp(t.name, "plist") != 0)) {
		fail(&r, "expected </plist>");
		plist_free(p);
		return NULL;
	}
	skip_space(&r);
	if (r.p < r.end) {
		fail(&r, "text after the root value");
		plist_free(p);
		return NULL;
	}
	return p;
}

void
plist_free(struct plist *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->count; i++) {
		if (p->keys != NULL)
			free(p->keys[i]);
		plist_free(p->values[i]);
	}
	free(p->keys);
	free(p->values);
	free(p->text);
	free(p);
}
