/*
 * OSSerialize.c - the text buffer of a serialisation, the XML helpers the
 * classes write themselves with, and OSObject_serialize. See OSSerialize.h.
 */

#include "libkern/OSSerialize.h"

#include "libkern/string.h"
#include "mach/kern/kalloc.h"

#define OSSERIALIZE_HEADER						\
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"			\
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "	\
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"		\
	"<plist version=\"1.0\">\n"
#define OSSERIALIZE_FOOTER	"</plist>\n"

static void
osserialize_free(OSObject *obj)
{
	OSSerialize *s = (OSSerialize *)obj;

	if (s->ser_text != NULL)
		kfree(s->ser_text, s->ser_capacity);
	s->ser_text = NULL;
}

static const struct OSObject_methods osserialize_methods = {
	.free = osserialize_free,
};
OSDefineMetaClass(OSSerialize, OSObject, &osserialize_methods);

/* Room for len more bytes and the NUL. */
static bool
osserialize_reserve(OSSerialize *s, size_t len)
{
	size_t need = (size_t)s->ser_length + len + 1;
	uint32_t newcap;
	char *text;

	if (need <= s->ser_capacity)
		return true;
	if (need > OSSERIALIZE_MAX_LENGTH)
		return false;
	newcap = s->ser_capacity < 64 ? 64 : s->ser_capacity;
	while (newcap < need)
		newcap *= 2;
	text = kalloc(newcap);
	if (text == NULL)
		return false;
	if (s->ser_text != NULL) {
		memcpy(text, s->ser_text, s->ser_length + 1);
		kfree(s->ser_text, s->ser_capacity);
	} else {
		text[0] = '\0';
	}
	s->ser_text = text;
	s->ser_capacity = newcap;
	return true;
}

OSSerialize *
OSSerialize_withCapacity(uint32_t capacity)
{
	OSSerialize *s = OSTypeAlloc(OSSerialize);

	if (s != NULL && !osserialize_reserve(s, capacity))
		OSSafeReleaseNULL(s);
	return s;
}

const char *
OSSerialize_text(const OSSerialize *s)
{
	return s->ser_text != NULL ? s->ser_text : "";
}

uint32_t
OSSerialize_getLength(const OSSerialize *s)
{
	return s->ser_length;
}

void
OSSerialize_clearText(OSSerialize *s)
{
	s->ser_length = 0;
	s->ser_depth = 0;
	s->ser_indent = 0;
	if (s->ser_text != NULL)
		s->ser_text[0] = '\0';
}

bool
OSSerialize_addBytes(OSSerialize *s, const char *bytes, size_t len)
{
	if (!osserialize_reserve(s, len))
		return false;
	memcpy(s->ser_text + s->ser_length, bytes, len);
	s->ser_length += (uint32_t)len;
	s->ser_text[s->ser_length] = '\0';
	return true;
}

bool
OSSerialize_addString(OSSerialize *s, const char *text)
{
	return OSSerialize_addBytes(s, text, strlen(text));
}

static bool
osserialize_indent(OSSerialize *s)
{
	for (uint32_t i = 0; i < s->ser_indent; i++)
		if (!OSSerialize_addBytes(s, "\t", 1))
			return false;
	return true;
}

bool
OSSerialize_addElement(OSSerialize *s, const char *element)
{
	return osserialize_indent(s) && OSSerialize_addString(s, element) &&
	    OSSerialize_addBytes(s, "\n", 1);
}

/* A tag: "<" or "</", the name, ">". */
static bool
osserialize_tag(OSSerialize *s, const char *open, const char *tag)
{
	return OSSerialize_addString(s, open) && OSSerialize_addString(s, tag) &&
	    OSSerialize_addBytes(s, ">", 1);
}

/* bytes with the characters XML gives meaning to written as references. */
static bool
osserialize_escaped(OSSerialize *s, const char *bytes, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char ref[8];
	size_t run = 0;
	uint8_t c;

	for (size_t i = 0; i < len; i++) {
		c = (uint8_t)bytes[i];
		if (c != '&' && c != '<' && c != '>' && (c >= 0x20 || c == '\t' || c == '\n'))
			continue;
		if (!OSSerialize_addBytes(s, bytes + run, i - run))
			return false;
		run = i + 1;
		if (c == '&' || c == '<' || c == '>') {
			if (!OSSerialize_addString(s, c == '&' ? "&amp;" : c == '<' ?
			    "&lt;" : "&gt;"))
				return false;
			continue;
		}
		ref[0] = '&'; ref[1] = '#'; ref[2] = 'x';
		ref[3] = hex[c >> 4]; ref[4] = hex[c & 15]; ref[5] = ';';
		if (!OSSerialize_addBytes(s, ref, 6))
			return false;
	}
	return OSSerialize_addBytes(s, bytes + run, len - run);
}

bool
OSSerialize_addLeaf(OSSerialize *s, const char *tag, const char *bytes, size_t len)
{
	return osserialize_indent(s) && osserialize_tag(s, "<", tag) &&
	    osserialize_escaped(s, bytes, len) && osserialize_tag(s, "</", tag) &&
	    OSSerialize_addBytes(s, "\n", 1);
}

bool
OSSerialize_addBase64(OSSerialize *s, const void *bytes, size_t len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const uint8_t *p = bytes;
	uint32_t v;
	char out[4];

	if (!osserialize_indent(s) || !OSSerialize_addString(s, "<data>"))
		return false;
	for (size_t i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[0] = b64[(v >> 18) & 63];
		out[1] = b64[(v >> 12) & 63];
		out[2] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[3] = i + 2 < len ? b64[v & 63] : '=';
		if (!OSSerialize_addBytes(s, out, 4))
			return false;
	}
	return OSSerialize_addString(s, "</data>\n");
}

bool
OSSerialize_beginContainer(OSSerialize *s, const char *tag)
{
	if (!osserialize_indent(s) || !osserialize_tag(s, "<", tag) ||
	    !OSSerialize_addBytes(s, "\n", 1))
		return false;
	s->ser_indent++;
	return true;
}

bool
OSSerialize_endContainer(OSSerialize *s, const char *tag)
{
	if (s->ser_indent > 0)
		s->ser_indent--;
	return osserialize_indent(s) && osserialize_tag(s, "</", tag) &&
	    OSSerialize_addBytes(s, "\n", 1);
}

bool
OSSerialize_addObject(OSSerialize *s, const OSObject *obj)
{
	const OSMetaClass *m;
	bool ok = false;

	if (obj == NULL || s->ser_depth >= OSSERIALIZE_MAX_DEPTH)
		return false;
	for (m = obj->meta; m != NULL; m = m->superClass)
		if (m->methods != NULL && m->methods->serialize != NULL)
			break;
	if (m == NULL)
		return false;
	s->ser_depth++;
	ok = m->methods->serialize(obj, s);
	s->ser_depth--;
	return ok;
}

bool
OSObject_serialize(const OSObject *obj, OSSerialize *s)
{
	if (s == NULL)
		return false;
	if (s->ser_depth > 0 || s->ser_length > 0)
		return OSSerialize_addObject(s, obj);
	return OSSerialize_addString(s, OSSERIALIZE_HEADER) &&
	    OSSerialize_addObject(s, obj) && OSSerialize_addString(s, OSSERIALIZE_FOOTER);
}
