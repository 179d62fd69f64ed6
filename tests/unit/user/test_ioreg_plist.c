/*
 * test_ioreg_plist.c - ioreg's XML property-list reader
 * (bsd/userland/ioreg/plist.c), compiled into the test with the host's C
 * library as ioreg is with musl's.
 *
 * - What the kernel's serializer (libkern/OSSerialize.c) writes for every
 *   kind of value reads back as the same values.
 * - Hand-written lists: the root without <plist>, entities, empty forms.
 * - Broken lists are refused with a message naming the line, never a crash;
 *   nesting past PLIST_MAX_DEPTH is refused.
 * ASan and LeakSanitizer check that nothing is touched out of bounds or left.
 */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/libkern/os_test.h"

#include "libkern/OSArray.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSData.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSSerialize.h"
#include "libkern/OSString.h"

#include "bsd/userland/ioreg/plist.c"

static struct plist *
parse_ok(const char *text)
{
	char err[160];
	struct plist *p = plist_parse(text, strlen(text), err, sizeof(err));

	cr_assert_not_null(p, "refused: %s\n%s", err, text);
	return p;
}

static void
parse_fails(const char *text, const char *want)
{
	char err[160];
	struct plist *p = plist_parse(text, strlen(text), err, sizeof(err));

	cr_assert_null(p, "accepted: %s", text);
	cr_assert(strstr(err, want) != NULL, "message \"%s\" lacks \"%s\"", err, want);
	cr_assert(strncmp(err, "line ", 5) == 0, "message \"%s\" names no line", err);
}

static const struct plist *
member(const struct plist *d, const char *key)
{
	for (size_t i = 0; i < d->count; i++)
		if (strcmp(d->keys[i], key) == 0)
			return d->values[i];
	cr_assert_fail("no key %s", key);
	return NULL;
}

OSTest(ioreg_plist, reads_what_OSSerialize_writes)
{
	OSDictionary *d = OSDictionary_withCapacity(8);
	OSArray *a = OSArray_withCapacity(2);
	OSString *s = OSString_withCString("a <b> & \"c\"");
	OSNumber *n = OSNumber_withNumber(1234567890123ull, 64);
	OSData *data = OSData_withBytes("\x01\x02\xff", 3);
	OSSerialize *ser = OSSerialize_withCapacity(256);
	const struct plist *v;
	struct plist *p;

	cr_assert(d && a && s && n && data && ser);
	OSArray_setObject(a, OSOBJ(s));
	OSArray_setObject(a, OSOBJ(kOSBooleanFalse));
	OSDictionary_setObject(d, "string", OSOBJ(s));
	OSDictionary_setObject(d, "number", OSOBJ(n));
	OSDictionary_setObject(d, "yes", OSOBJ(kOSBooleanTrue));
	OSDictionary_setObject(d, "data", OSOBJ(data));
	OSDictionary_setObject(d, "array", OSOBJ(a));
	cr_assert(OSObject_serialize(OSOBJ(d), ser));
	p = parse_ok(OSSerialize_text(ser));
	cr_assert_eq(p->type, PLIST_DICT);
	cr_assert_eq(p->count, 5u);
	v = member(p, "string");
	cr_assert_eq(v->type, PLIST_STRING);
	cr_assert_str_eq(v->text, "a <b> & \"c\"");
	v = member(p, "number");
	cr_assert_eq(v->type, PLIST_INTEGER);
	cr_assert_str_eq(v->text, "1234567890123");
	cr_assert_eq(member(p, "yes")->type, PLIST_TRUE);
	v = member(p, "data");
	cr_assert_eq(v->type, PLIST_DATA);
	cr_assert_eq(v->len, 3u);
	cr_assert(memcmp(v->text, "\x01\x02\xff", 3) == 0);
	v = member(p, "array");
	cr_assert_eq(v->type, PLIST_ARRAY);
	cr_assert_eq(v->count, 2u);
	cr_assert_eq(v->values[1]->type, PLIST_FALSE);
	plist_free(p);
	OSSafeReleaseNULL(ser);
	OSSafeReleaseNULL(d);
	OSSafeReleaseNULL(a);
	OSSafeReleaseNULL(s);
	OSSafeReleaseNULL(n);
	OSSafeReleaseNULL(data);
}

OSTest(ioreg_plist, hand_written_forms)
{
	struct plist *p;

	p = parse_ok("<dict><key>a</key><string/><key>b</key><dict/><key>c</key>"
	    "<array/><key>d</key><string>&#65;&#x42;&apos;</string></dict>");
	cr_assert_eq(p->count, 4u);
	cr_assert_str_eq(member(p, "a")->text, "");
	cr_assert_eq(member(p, "b")->type, PLIST_DICT);
	cr_assert_eq(member(p, "c")->count, 0u);
	cr_assert_str_eq(member(p, "d")->text, "AB'");
	plist_free(p);
	p = parse_ok("<?xml version=\"1.0\"?>\n<!-- a comment -->\n<plist version=\"1.0\">\n"
	    "<integer>-5</integer>\n</plist>\n");
	cr_assert_eq(p->type, PLIST_INTEGER);
	cr_assert_str_eq(p->text, "-5");
	plist_free(p);
}

OSTest(ioreg_plist, broken_text_is_refused_with_its_line)
{
	char deep[64 * 8 + 64 * 9 + 1];

	parse_fails("", "expected a tag");
	parse_fails("<dict><key>a</key>", "expected a tag");
	parse_fails("<dict>\n<string>x</string></dict>", "where a <key> belongs");
	parse_fails("<dict><key>a</key></dict>", "without a value");
	parse_fails("<string>abc", "without </string>");
	parse_fails("<string>a &bogus; b</string>", "unknown entity");
	parse_fails("<data>!!!</data>", "not base64");
	parse_fails("<plist><true/>", "expected a tag");
	parse_fails("<true/><false/>", "text after the root");
	parse_fails("<blob/>", "unexpected <blob>");
	parse_fails("<array></dict>", "</dict> inside <array>");
	parse_fails("<!-- never closed", "unterminated comment");
	parse_fails("<string", "unterminated <string>");
	parse_fails("\n\n<dict><key>a</key><string>x</string><key>b</key></dict>", "line 3");
	deep[0] = '\0';
	for (int i = 0; i < 65; i++)
		strcat(deep, "<array>");
	for (int i = 0; i < 65; i++)
		strcat(deep, "</array>");
	parse_fails(deep, "nested more than 64");
}
