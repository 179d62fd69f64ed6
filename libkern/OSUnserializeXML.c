/*
 * OSUnserializeXML.c - the XML property-list parser. See OSUnserializeXML.h.
 *
 * One pass over the text, no recursion. The parser keeps a stack of the
 * containers that are open (frames); a value, once complete, is added to
 * the container on top, or becomes the root. A leaf element's text is
 * decoded (entities, CDATA) into a scratch buffer and turned into its
 * object when its end tag is read.
 *
 * Ownership while parsing: each frame owns its container (one reference)
 * and its pending key; the ID table owns a reference to each object named
 * by an ID; the root, once complete, is owned by the parser until it is
 * returned. The one exit path releases whatever is still owned, so an
 * error anywhere leaks nothing.
 *
 * An object with an ID is recorded when it is complete (a container when
 * it closes), so an IDREF can never name a container that is still open:
 * the object graph stays free of cycles.
 */

#include "libkern/OSUnserializeXML.h"

#include <stdarg.h>

#include "libkern/OSArray.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSData.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSString.h"
#include "libkern/OSSymbol.h"
#include "libkern/ctype.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"

#define XML_NAME_MAX	16	/* longest element name kept (the known ones are shorter) */
#define XML_SHOW_MAX	40	/* bytes of a bad value quoted in a message */

enum xml_kind {
	XK_UNKNOWN, XK_PLIST, XK_DICT, XK_ARRAY, XK_KEY, XK_STRING, XK_INTEGER,
	XK_REAL, XK_DATE, XK_DATA, XK_TRUE, XK_FALSE,
};

static const char *const xml_kind_names[] = {
	[XK_UNKNOWN] = "?", [XK_PLIST] = "plist", [XK_DICT] = "dict",
	[XK_ARRAY] = "array", [XK_KEY] = "key", [XK_STRING] = "string",
	[XK_INTEGER] = "integer", [XK_REAL] = "real", [XK_DATE] = "date",
	[XK_DATA] = "data", [XK_TRUE] = "true", [XK_FALSE] = "false",
};

/* A start or end tag, as read. */
struct xml_tag {
	enum xml_kind	kind;
	char		name[XML_NAME_MAX + 4];	/* as written, cut with "..." */
	bool		end;		/* </name> */
	bool		empty;		/* <name/> */
	bool		has_id, has_idref;
	uint32_t	id, idref;
	uint32_t	line;
};

/* An open container. */
struct xml_frame {
	enum xml_kind	kind;		/* XK_DICT or XK_ARRAY */
	OSObject	*obj;		/* owned */
	uint32_t	line;		/* of its start tag */
	bool		has_id;
	uint32_t	id;
	const OSSymbol	*key;		/* a dict's key awaiting its value; owned */
	uint32_t	key_line;
};

struct xml_id {
	uint32_t	id;
	OSObject	*obj;		/* owned */
};

struct xml_parser {
	const char	*buf;
	size_t		len;
	size_t		pos;
	uint32_t	line;
	char		*err;
	size_t		errlen;
	bool		failed;

	struct xml_frame frames[OSUNSERIALIZE_MAX_DEPTH];
	unsigned	depth;
	OSObject	*root;		/* owned, once complete */
	bool		seen_element;	/* any start tag yet (DOCTYPE must precede) */
	bool		in_plist, plist_closed;
	uint32_t	plist_line;

	struct xml_id	*ids;		/* kalloc'd, ids_cap slots */
	uint32_t	nids, ids_cap;

	char		*text;		/* a leaf's decoded text; text_cap bytes */
	size_t		text_len, text_cap;
};

/* --- errors -------------------------------------------------------------------- */

static bool __printflike(3, 4)
xml_error(struct xml_parser *p, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (p->failed)
		return false;
	p->failed = true;
	if (p->err == NULL || p->errlen == 0)
		return false;
	n = (size_t)snprintf(p->err, p->errlen, "line %u: ", line);
	if (n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/*
 * A bad value, quoted for a message: non-printable bytes as "?", cut to
 * XML_SHOW_MAX bytes and "...". out has XML_SHOW_MAX + 4 bytes.
 */
static const char *
xml_show(const char *bytes, size_t len, char out[XML_SHOW_MAX + 4])
{
	size_t i, n = len < XML_SHOW_MAX ? len : XML_SHOW_MAX;

	for (i = 0; i < n; i++)
		out[i] = isprint((unsigned char)bytes[i]) ? bytes[i] : '?';
	if (n < len) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* --- scanning -------------------------------------------------------------------- */

static bool
xml_at(const struct xml_parser *p, const char *s)
{
	size_t n = strlen(s);

	return p->len - p->pos >= n && memcmp(p->buf + p->pos, s, n) == 0;
}

/* Step over n bytes, counting lines. */
static void
xml_advance(struct xml_parser *p, size_t n)
{
	for (; n > 0 && p->pos < p->len; n--)
		if (p->buf[p->pos++] == '\n')
			p->line++;
}

static bool
xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
xml_skip_space(struct xml_parser *p)
{
	while (p->pos < p->len && xml_space(p->buf[p->pos]))
		xml_advance(p, 1);
}

/* Step past the next `close`; false (with the message) if the text ends first. */
static bool
xml_skip_past(struct xml_parser *p, const char *close, const char *what)
{
	uint32_t line = p->line;

	while (p->pos < p->len && !xml_at(p, close))
		xml_advance(p, 1);
	if (p->pos >= p->len)
		return xml_error(p, p->line, "the file ends inside %s opened on line %u",
		    what, line);
	xml_advance(p, strlen(close));
	return true;
}

/* <!DOCTYPE ...>, with an internal subset in [ ] if any. */
static bool
xml_skip_doctype(struct xml_parser *p)
{
	uint32_t line = p->line;
	bool subset = false;
	char c;

	if (p->seen_element)
		return xml_error(p, line, "<!DOCTYPE> after the first element");
	for (; p->pos < p->len; xml_advance(p, 1)) {
		c = p->buf[p->pos];
		if (c == '[')
			subset = true;
		else if (c == ']')
			subset = false;
		else if (c == '>' && !subset)
			break;
	}
	if (p->pos >= p->len)
		return xml_error(p, p->line, "the file ends inside <!DOCTYPE> opened on "
		    "line %u", line);
	xml_advance(p, 1);
	return true;
}

/*
 * Skip what may stand between elements: white space, comments,
 * processing instructions, a DOCTYPE. Stops at an element, other text or
 * the end.
 */
static bool
xml_skip_misc(struct xml_parser *p)
{
	for (;;) {
		xml_skip_space(p);
		if (xml_at(p, "<!--")) {
			if (!xml_skip_past(p, "-->", "a comment"))
				return false;
		} else if (xml_at(p, "<?")) {
			if (!xml_skip_past(p, "?>", "<?...?>"))
				return false;
		} else if (xml_at(p, "<!DOCTYPE")) {
			if (!xml_skip_doctype(p))
				return false;
		} else {
			return true;
		}
	}
}

static bool
xml_name_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' || c == ':' ||
	    (!first && (isdigit((unsigned char)c) || c == '-' || c == '.'));
}

static enum xml_kind
xml_kind_of(const char *name)
{
	for (size_t k = XK_PLIST; k <= XK_FALSE; k++)
		if (strcmp(name, xml_kind_names[k]) == 0)
			return (enum xml_kind)k;
	return XK_UNKNOWN;
}

/* A decimal ID or IDREF value. */
static bool
xml_parse_id(const char *v, size_t n, uint32_t *out)
{
	uint64_t x = 0;

	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return false;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = (uint32_t)x;
	return true;
}

/* One attribute, name="value"; ID and IDREF are kept, the rest ignored. */
static bool
xml_read_attribute(struct xml_parser *p, struct xml_tag *t)
{
	size_t name = p->pos, name_len, value;
	char quote;

	while (p->pos < p->len && xml_name_char(p->buf[p->pos], p->pos == name))
		xml_advance(p, 1);
	name_len = p->pos - name;
	xml_skip_space(p);
	if (name_len == 0 || p->pos >= p->len || p->buf[p->pos] != '=')
		return p->pos >= p->len ? xml_error(p, p->line, "the file ends inside "
		    "a tag") : xml_error(p, p->line, "malformed attribute in <%s>", t->name);
	xml_advance(p, 1);
	xml_skip_space(p);
	if (p->pos >= p->len)
		return xml_error(p, p->line, "the file ends inside a tag");
	quote = p->buf[p->pos];
	if (quote != '"' && quote != '\'')
		return xml_error(p, p->line, "attribute value in <%s> is not quoted", t->name);
	xml_advance(p, 1);
	value = p->pos;
	while (p->pos < p->len && p->buf[p->pos] != quote && p->buf[p->pos] != '<')
		xml_advance(p, 1);
	if (p->pos >= p->len)
		return xml_error(p, p->line, "the file ends inside a tag");
	if (p->buf[p->pos] != quote)
		return xml_error(p, p->line, "attribute value in <%s> holds \"<\"", t->name);
	if (name_len == 2 && memcmp(p->buf + name, "ID", 2) == 0) {
		t->has_id = true;
		if (!xml_parse_id(p->buf + value, p->pos - value, &t->id))
			return xml_error(p, p->line, "ID in <%s> is not a number", t->name);
	} else if (name_len == 5 && memcmp(p->buf + name, "IDREF", 5) == 0) {
		t->has_idref = true;
		if (!xml_parse_id(p->buf + value, p->pos - value, &t->idref))
			return xml_error(p, p->line, "IDREF in <%s> is not a number", t->name);
	}
	xml_advance(p, 1);
	return true;
}

/* A tag, at a "<" that starts one. */
static bool
xml_read_tag(struct xml_parser *p, struct xml_tag *t)
{
	size_t start, n;

	memset(t, 0, sizeof(*t));
	t->line = p->line;
	xml_advance(p, 1);
	if (p->pos < p->len && p->buf[p->pos] == '/') {
		t->end = true;
		xml_advance(p, 1);
	}
	start = p->pos;
	while (p->pos < p->len && xml_name_char(p->buf[p->pos], p->pos == start))
		xml_advance(p, 1);
	n = p->pos - start;
	if (p->pos >= p->len)
		return xml_error(p, t->line, "the file ends inside a tag");
	if (n == 0)
		return xml_error(p, t->line, "\"<\" does not start a tag");
	memcpy(t->name, p->buf + start, n < XML_NAME_MAX ? n : XML_NAME_MAX);
	if (n > XML_NAME_MAX)
		memcpy(t->name + XML_NAME_MAX, "...", 3);
	t->kind = n <= XML_NAME_MAX ? xml_kind_of(t->name) : XK_UNKNOWN;
	for (;;) {
		xml_skip_space(p);
		if (p->pos >= p->len)
			return xml_error(p, p->line, "the file ends inside a tag");
		if (p->buf[p->pos] == '>')
			break;
		if (p->buf[p->pos] == '/' && !t->end) {
			xml_advance(p, 1);
			if (p->pos >= p->len)
				return xml_error(p, p->line, "the file ends inside a tag");
			if (p->buf[p->pos] != '>')
				return xml_error(p, p->line, "malformed tag <%s>", t->name);
			t->empty = true;
			break;
		}
		if (t->end || !xml_name_char(p->buf[p->pos], true))
			return xml_error(p, p->line, "malformed tag %s%s>",
			    t->end ? "</" : "<", t->name);
		if (!xml_read_attribute(p, t))
			return false;
	}
	xml_advance(p, 1);
	return true;
}

/* --- leaf text --------------------------------------------------------------------- */

static bool
xml_text_append(struct xml_parser *p, const char *bytes, size_t n)
{
	size_t cap;
	char *nt;

	if (n == 0)
		return true;
	if (p->text_len + n > p->text_cap) {
		cap = p->text_cap < 64 ? 64 : p->text_cap;
		while (cap < p->text_len + n)
			cap *= 2;
		nt = kalloc(cap);
		if (nt == NULL)
			return xml_error(p, p->line, "out of memory");
		if (p->text_len > 0)
			memcpy(nt, p->text, p->text_len);
		if (p->text != NULL)
			kfree(p->text, p->text_cap);
		p->text = nt;
		p->text_cap = cap;
	}
	memcpy(p->text + p->text_len, bytes, n);
	p->text_len += n;
	return true;
}

/* A code point in UTF-8. */
static bool
xml_text_append_utf8(struct xml_parser *p, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return xml_text_append(p, u, n);
}

/* A numeric character reference's digits (after "&#"), or false. */
static bool
xml_char_ref(const char *s, size_t n, uint32_t *out)
{
	uint32_t c = 0, base = 10;
	size_t i = 0;
	int d;

	if (n > 0 && (s[0] == 'x' || s[0] == 'X')) {
		base = 16;
		i = 1;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			d = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			d = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			return false;
		c = c * base + (uint32_t)d;
		if (c > 0x10ffff)
			return false;
	}
	if (c == 0 || (c >= 0xd800 && c <= 0xdfff))
		return false;
	*out = c;
	return true;
}

/* An entity or character reference, at its "&". */
static bool
xml_read_entity(struct xml_parser *p)
{
	static const struct { const char *name; char c; } named[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' },
	};
	const char *s = p->buf + p->pos + 1;
	size_t n = 0, room = p->len - p->pos - 1;
	char shown[XML_SHOW_MAX + 4];
	uint32_t c;

	while (n < room && n < 12 && s[n] != ';' && !xml_space(s[n]) && s[n] != '<' &&
	    s[n] != '&')
		n++;
	if (n >= room || s[n] != ';')
		return xml_error(p, p->line, "\"&\" is not followed by an entity name and \";\"");
	if (n > 0 && s[0] == '#') {
		if (!xml_char_ref(s + 1, n - 1, &c))
			return xml_error(p, p->line, "bad character reference \"&%s;\"",
			    xml_show(s, n, shown));
		xml_advance(p, n + 2);
		return xml_text_append_utf8(p, c);
	}
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (strlen(named[i].name) == n && memcmp(named[i].name, s, n) == 0) {
			xml_advance(p, n + 2);
			return xml_text_append(p, &named[i].c, 1);
		}
	}
	return xml_error(p, p->line, "unknown entity \"&%s;\"",
	    xml_show(s, n, shown));
}

/*
 * The text of leaf element t (decoded into p->text) and its end tag. The
 * text may hold entities, comments and CDATA sections; no element.
 */
static bool
xml_read_leaf_text(struct xml_parser *p, const struct xml_tag *t)
{
	struct xml_tag end;
	size_t run;

	p->text_len = 0;
	if (t->empty)
		return true;
	for (;;) {
		run = p->pos;
		while (p->pos < p->len && p->buf[p->pos] != '<' && p->buf[p->pos] != '&')
			xml_advance(p, 1);
		if (!xml_text_append(p, p->buf + run, p->pos - run))
			return false;
		if (p->pos >= p->len)
			return xml_error(p, p->line, "the file ends inside <%s> opened on "
			    "line %u", t->name, t->line);
		if (p->buf[p->pos] == '&') {
			if (!xml_read_entity(p))
				return false;
		} else if (xml_at(p, "<!--")) {
			if (!xml_skip_past(p, "-->", "a comment"))
				return false;
		} else if (xml_at(p, "<![CDATA[")) {
			xml_advance(p, 9);
			run = p->pos;
			if (!xml_skip_past(p, "]]>", "a CDATA section"))
				return false;
			if (!xml_text_append(p, p->buf + run, p->pos - 3 - run))
				return false;
		} else if (xml_at(p, "</")) {
			break;
		} else {
			return xml_error(p, p->line, "<%s> holds an element", t->name);
		}
	}
	if (!xml_read_tag(p, &end))
		return false;
	if (end.kind != t->kind || strcmp(end.name, t->name) != 0)
		return xml_error(p, end.line, "</%s> closes <%s>", end.name, t->name);
	return true;
}

/* p->text without the white space around it, as (start, length). */
static const char *
xml_text_trimmed(const struct xml_parser *p, size_t *n)
{
	const char *s = p->text;
	size_t len = p->text_len;

	while (len > 0 && xml_space(*s)) {
		s++;
		len--;
	}
	while (len > 0 && xml_space(s[len - 1]))
		len--;
	*n = len;
	return s != NULL ? s : "";
}

/* --- leaf values -------------------------------------------------------------------- */

static OSObject *
xml_make_integer(struct xml_parser *p, const struct xml_tag *t)
{
	char shown[XML_SHOW_MAX + 4];
	size_t n, i = 0;
	const char *s = xml_text_trimmed(p, &n);
	bool negative = false;
	uint64_t v = 0, base = 10, d;
	OSNumber *num;

	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		negative = s[0] == '-';
		i = 1;
	}
	if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	if (i == n)
		goto bad;
	for (; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			d = (uint64_t)(s[i] - '0');
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			d = (uint64_t)(tolower((unsigned char)s[i]) - 'a' + 10);
		else
			goto bad;
		if (v > (UINT64_MAX - d) / base)
			goto huge;
		v = v * base + d;
	}
	if (negative && v > (1ULL << 63))
		goto huge;
	num = OSNumber_withNumber(negative ? (uint64_t)0 - v : v, 64);
	if (num == NULL)
		xml_error(p, t->line, "out of memory");
	return OSOBJ(num);
bad:
	xml_error(p, t->line, "<integer> \"%s\" is not a number",
	    xml_show(s, n, shown));
	return NULL;
huge:
	xml_error(p, t->line, "<integer> \"%s\" does not fit in 64 bits",
	    xml_show(s, n, shown));
	return NULL;
}

/* Digits from s[*i], at least one; how many. */
static size_t
xml_digits(const char *s, size_t n, size_t *i)
{
	size_t start = *i;

	while (*i < n && isdigit((unsigned char)s[*i]))
		(*i)++;
	return *i - start;
}

/* [+-] (digits [. digits] | . digits) [(e|E) [+-] digits], or nan, inf. */
static bool
xml_real_ok(const char *s, size_t n)
{
	size_t i = 0, mant;

	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		i = 1;
	if ((n - i == 3 && (memcmp(s + i, "inf", 3) == 0 || memcmp(s + i, "nan", 3) == 0)) ||
	    (n - i == 8 && memcmp(s + i, "infinity", 8) == 0))
		return true;
	mant = xml_digits(s, n, &i);
	if (i < n && s[i] == '.') {
		i++;
		mant += xml_digits(s, n, &i);
	}
	if (mant == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (xml_digits(s, n, &i) == 0)
			return false;
	}
	return i == n;
}

/* YYYY-MM-DDTHH:MM:SSZ, with the fields in range. */
static bool
xml_date_ok(const char *s, size_t n)
{
	static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
	int month, day, hour, minute, second;

	if (n != sizeof(pattern) - 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (pattern[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pattern[i])
			return false;
	}
#define XML_2DIGITS(k)	((s[k] - '0') * 10 + (s[(k) + 1] - '0'))
	month = XML_2DIGITS(5);
	day = XML_2DIGITS(8);
	hour = XML_2DIGITS(11);
	minute = XML_2DIGITS(14);
	second = XML_2DIGITS(17);
#undef XML_2DIGITS
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 &&
	    minute <= 59 && second <= 60;
}

/* The checked text of a <real> or <date>, as an OSString. */
static OSObject *
xml_make_checked_text(struct xml_parser *p, const struct xml_tag *t)
{
	char shown[XML_SHOW_MAX + 4];
	size_t n;
	const char *s = xml_text_trimmed(p, &n);
	OSString *str;

	if (t->kind == XK_REAL && !xml_real_ok(s, n)) {
		xml_error(p, t->line, "<real> \"%s\" is not a number",
		    xml_show(s, n, shown));
		return NULL;
	}
	if (t->kind == XK_DATE && !xml_date_ok(s, n)) {
		xml_error(p, t->line, "<date> \"%s\" is not a date as "
		    "YYYY-MM-DDTHH:MM:SSZ", xml_show(s, n, shown));
		return NULL;
	}
	str = OSString_withCStringOfLength(s, n);
	if (str == NULL)
		xml_error(p, t->line, "out of memory");
	return OSOBJ(str);
}

static int
xml_base64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 (white space ignored, padding required) into an OSData. */
static OSObject *
xml_make_data(struct xml_parser *p, const struct xml_tag *t)
{
	OSData *d = OSData_withCapacity((uint32_t)(p->text_len / 4 * 3 + 1));
	uint32_t quad = 0, nq = 0, pad = 0;
	uint8_t out[3];
	char c;
	int v;

	if (d == NULL) {
		xml_error(p, t->line, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < p->text_len; i++) {
		c = p->text[i];
		if (xml_space(c))
			continue;
		if (c == '=' && nq >= 2) {
			pad++;
			v = 0;
		} else if (pad > 0 || (v = xml_base64_value(c)) < 0) {
			goto bad;
		}
		quad = quad << 6 | (uint32_t)v;
		if (++nq < 4)
			continue;
		out[0] = (uint8_t)(quad >> 16);
		out[1] = (uint8_t)(quad >> 8);
		out[2] = (uint8_t)quad;
		if (!OSData_appendBytes(d, out, 3 - pad)) {
			xml_error(p, t->line, "out of memory");
			OSObject_release(OSOBJ(d));
			return NULL;
		}
		if (pad > 0)
			pad = 3;	/* nothing may follow the padding */
		nq = 0;
		quad = 0;
	}
	if (nq == 0)
		return OSOBJ(d);
bad:
	xml_error(p, t->line, "<data> is not valid base64");
	OSObject_release(OSOBJ(d));
	return NULL;
}

/* The object for a complete leaf element. */
static OSObject *
xml_make_leaf(struct xml_parser *p, const struct xml_tag *t)
{
	OSString *s;

	switch (t->kind) {
	case XK_STRING:
		s = OSString_withCStringOfLength(p->text != NULL ? p->text : "", p->text_len);
		if (s == NULL)
			xml_error(p, t->line, "out of memory");
		return OSOBJ(s);
	case XK_INTEGER:
		return xml_make_integer(p, t);
	case XK_REAL:
	case XK_DATE:
		return xml_make_checked_text(p, t);
	case XK_DATA:
		return xml_make_data(p, t);
	case XK_TRUE:
	case XK_FALSE:
		if (p->text_len != 0) {
			xml_error(p, t->line, "<%s> is not empty", t->name);
			return NULL;
		}
		return OSOBJ(t->kind == XK_TRUE ? kOSBooleanTrue : kOSBooleanFalse);
	default:
		xml_error(p, t->line, "unknown element <%s>", t->name);
		return NULL;
	}
}

/* --- building ------------------------------------------------------------------------ */

static struct xml_frame *
xml_top(struct xml_parser *p)
{
	return p->depth > 0 ? &p->frames[p->depth - 1] : NULL;
}

static struct xml_id *
xml_find_id(struct xml_parser *p, uint32_t id)
{
	for (uint32_t i = 0; i < p->nids; i++)
		if (p->ids[i].id == id)
			return &p->ids[i];
	return NULL;
}

/* Record obj under ID id (a reference of the table's own). */
static bool
xml_record_id(struct xml_parser *p, uint32_t id, OSObject *obj, uint32_t line)
{
	void *vec = p->ids;
	bool ok;

	if (xml_find_id(p, id) != NULL)
		return xml_error(p, line, "ID=\"%u\" is used twice", id);
	ok = OSCollection_growVector(&vec, &p->ids_cap, p->nids + 1, sizeof(struct xml_id));
	p->ids = vec;
	if (!ok)
		return xml_error(p, line, "out of memory");
	OSObject_retain(obj);
	p->ids[p->nids].id = id;
	p->ids[p->nids].obj = obj;
	p->nids++;
	return true;
}

/* Whether a value (element `name`, at line) may come here. */
static bool
xml_value_allowed(struct xml_parser *p, const char *name, uint32_t line)
{
	struct xml_frame *f = xml_top(p);

	if (p->plist_closed)
		return xml_error(p, line, "<%s> after </plist>", name);
	if (f == NULL && p->root != NULL)
		return p->in_plist ? xml_error(p, line, "<plist> holds more than one "
		    "object") : xml_error(p, line, "<%s> after the end of the property "
		    "list", name);
	if (f != NULL && f->kind == XK_DICT && f->key == NULL)
		return xml_error(p, line, "<%s> in a <dict> has no <key>", name);
	return true;
}

/* Put a complete value (owned: consumed here) where it belongs. */
static bool
xml_add_value(struct xml_parser *p, OSObject *obj, const struct xml_tag *t,
    bool has_id, uint32_t id)
{
	struct xml_frame *f = xml_top(p);
	bool ok = true;

	if (has_id && !xml_record_id(p, id, obj, t->line)) {
		OSObject_release(obj);
		return false;
	}
	if (f == NULL) {
		p->root = obj;
		return true;
	}
	if (f->kind == XK_ARRAY) {
		ok = OSArray_setObject((OSArray *)f->obj, obj);
	} else {
		ok = OSDictionary_setObjectForKey((OSDictionary *)f->obj, &f->key->sym_str, obj);
		OSSafeReleaseNULL(f->key);
	}
	OSObject_release(obj);
	return ok ? true : xml_error(p, t->line, "out of memory");
}

static bool
xml_start_container(struct xml_parser *p, const struct xml_tag *t)
{
	struct xml_frame *f;
	OSObject *obj;

	obj = t->kind == XK_DICT ? OSOBJ(OSDictionary_withCapacity(0)) :
	    OSOBJ(OSArray_withCapacity(0));
	if (obj == NULL)
		return xml_error(p, t->line, "out of memory");
	if (t->empty)
		return xml_add_value(p, obj, t, t->has_id, t->id);
	if (p->depth == OSUNSERIALIZE_MAX_DEPTH) {
		OSObject_release(obj);
		return xml_error(p, t->line, "containers nested more than %u deep",
		    OSUNSERIALIZE_MAX_DEPTH);
	}
	f = &p->frames[p->depth++];
	memset(f, 0, sizeof(*f));
	f->kind = t->kind;
	f->obj = obj;
	f->line = t->line;
	f->has_id = t->has_id;
	f->id = t->id;
	return true;
}

static bool
xml_end_tag(struct xml_parser *p, const struct xml_tag *t)
{
	struct xml_frame *f = xml_top(p), done;

	if (f == NULL) {
		if (t->kind == XK_PLIST && p->in_plist && !p->plist_closed) {
			if (p->root == NULL)
				return xml_error(p, t->line, "<plist> holds no object");
			p->plist_closed = true;
			return true;
		}
		return xml_error(p, t->line, "</%s> closes nothing", t->name);
	}
	if (t->kind != f->kind)
		return xml_error(p, t->line, "</%s> closes <%s>", t->name,
		    xml_kind_names[f->kind]);
	if (f->key != NULL)
		return xml_error(p, f->key_line, "<dict> has a <key> with no value");
	done = *f;
	p->depth--;
	return xml_add_value(p, done.obj, t, done.has_id, done.id);
}

static bool
xml_key(struct xml_parser *p, const struct xml_tag *t)
{
	struct xml_frame *f = xml_top(p);
	char shown[XML_SHOW_MAX + 4];
	const OSSymbol *key;

	if (f == NULL || f->kind != XK_DICT)
		return xml_error(p, t->line, "<key> outside a <dict>");
	if (f->key != NULL)
		return xml_error(p, f->key_line, "<dict> has a <key> with no value");
	if (!xml_read_leaf_text(p, t))
		return false;
	key = OSSymbol_withCStringOfLength(p->text != NULL ? p->text : "", p->text_len);
	if (key == NULL)
		return xml_error(p, t->line, "out of memory");
	if (OSDictionary_getObjectForKey((OSDictionary *)f->obj, &key->sym_str) != NULL) {
		OSObject_release(OSCOBJ(key));
		return xml_error(p, t->line, "key \"%s\" appears twice in one dict",
		    xml_show(p->text, p->text_len, shown));
	}
	f->key = key;
	f->key_line = t->line;
	return true;
}

/* An IDREF: the recorded object again. */
static bool
xml_idref(struct xml_parser *p, const struct xml_tag *t)
{
	struct xml_id *ref = xml_find_id(p, t->idref);

	if (!t->empty)
		return xml_error(p, t->line, "<%s IDREF=\"%u\"> is not empty", t->name,
		    t->idref);
	if (ref == NULL)
		return xml_error(p, t->line, "IDREF=\"%u\" names no object before it",
		    t->idref);
	OSObject_retain(ref->obj);
	return xml_add_value(p, ref->obj, t, false, 0);
}

static bool
xml_start_tag(struct xml_parser *p, const struct xml_tag *t)
{
	OSObject *obj;

	p->seen_element = true;
	if (t->kind == XK_UNKNOWN)
		return xml_error(p, t->line, "unknown element <%s>", t->name);
	if (t->kind == XK_PLIST) {
		if (p->in_plist || p->depth > 0 || p->root != NULL)
			return xml_error(p, t->line, "<plist> inside a property list");
		if (t->empty)
			return xml_error(p, t->line, "<plist> holds no object");
		p->in_plist = true;
		p->plist_line = t->line;
		return true;
	}
	if (t->kind == XK_KEY)
		return xml_key(p, t);
	if (!xml_value_allowed(p, t->name, t->line))
		return false;
	if (t->has_idref)
		return xml_idref(p, t);
	if (t->kind == XK_DICT || t->kind == XK_ARRAY)
		return xml_start_container(p, t);
	if (!xml_read_leaf_text(p, t))
		return false;
	obj = xml_make_leaf(p, t);
	return obj != NULL && xml_add_value(p, obj, t, t->has_id, t->id);
}

/* --- the parse ----------------------------------------------------------------------- */

static bool
xml_check_input(struct xml_parser *p)
{
	const char *nul;

	if (p->len > 0 && p->buf[p->len - 1] == '\0')
		p->len--;
	if (p->len > OSUNSERIALIZE_MAX_LENGTH)
		return xml_error(p, 1, "the text is %zu bytes, more than the %u allowed",
		    p->len, OSUNSERIALIZE_MAX_LENGTH);
	nul = memchr(p->buf, '\0', p->len);
	if (nul != NULL) {
		xml_advance(p, (size_t)(nul - p->buf));
		return xml_error(p, p->line, "a NUL byte in the text");
	}
	return true;
}

static bool
xml_parse(struct xml_parser *p)
{
	struct xml_tag t;
	char shown[XML_SHOW_MAX + 4];
	size_t run;

	if (!xml_check_input(p))
		return false;
	for (;;) {
		if (!xml_skip_misc(p))
			return false;
		if (p->pos >= p->len)
			break;
		if (p->buf[p->pos] != '<') {
			run = p->pos;
			while (run < p->len && p->buf[run] != '<' && !xml_space(p->buf[run]))
				run++;
			return xml_error(p, p->line, "text \"%s\" where an element should be",
			    xml_show(p->buf + p->pos, run - p->pos, shown));
		}
		if (xml_at(p, "<![CDATA["))
			return xml_error(p, p->line, "CDATA where an element should be");
		if (xml_at(p, "<!"))
			return xml_error(p, p->line, "unknown markup \"<!\"");
		if (!xml_read_tag(p, &t))
			return false;
		if (!(t.end ? xml_end_tag(p, &t) : xml_start_tag(p, &t)))
			return false;
	}
	if (p->depth > 0)
		return xml_error(p, p->line, "the file ends inside <%s> opened on line %u",
		    xml_kind_names[xml_top(p)->kind], xml_top(p)->line);
	if (p->in_plist && !p->plist_closed)
		return xml_error(p, p->line, "the file ends inside <plist> opened on line %u",
		    p->plist_line);
	if (p->root == NULL)
		return xml_error(p, p->line, "no property list in the text");
	return true;
}

OSObject *
OSUnserializeXML(const char *buf, size_t len, char *err, size_t errlen)
{
	struct xml_parser p;
	OSObject *root;

	memset(&p, 0, sizeof(p));
	p.buf = buf != NULL ? buf : "";
	p.len = buf != NULL ? len : 0;
	p.line = 1;
	p.err = err;
	p.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';

	xml_parse(&p);

	root = p.failed ? NULL : p.root;
	if (p.failed && p.root != NULL)
		OSObject_release(p.root);
	while (p.depth > 0) {
		p.depth--;
		OSSafeReleaseNULL(p.frames[p.depth].key);
		OSObject_release(p.frames[p.depth].obj);
	}
	for (uint32_t i = 0; i < p.nids; i++)
		OSObject_release(p.ids[i].obj);
	if (p.ids != NULL)
		kfree(p.ids, (vm_size_t)p.ids_cap * sizeof(struct xml_id));
	if (p.text != NULL)
		kfree(p.text, p.text_cap);
	return root;
}
