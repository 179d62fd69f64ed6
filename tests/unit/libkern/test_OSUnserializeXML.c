/*
 * test_OSUnserializeXML.c - the XML property-list parser and the
 * serializer (libkern/OSUnserializeXML.c, libkern/OSSerialize.c).
 *
 * - Files Python's plistlib wrote (plist_fixtures/, made by
 *   make_fixtures.py) parse to the objects it says (a one-line dump of
 *   each, compared with NAME.expected); serialising them and parsing the
 *   text again gives equal objects; and plistlib reads the serializer's
 *   text back to the same objects (make_fixtures.py --check).
 * - Hand-written lists exercise what plistlib never writes: IDs, hex,
 *   comments, CDATA, character references, a root without <plist>.
 * - A corpus of broken lists is refused, each with its exact message.
 * - Running out of memory at every allocation of a parse fails cleanly.
 * Every test ends with nothing left allocated (os_test.h).
 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/libkern/os_test.h"

#include "libkern/OSArray.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSCollectionIterator.h"
#include "libkern/OSData.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSSerialize.h"
#include "libkern/OSSet.h"
#include "libkern/OSString.h"
#include "libkern/OSSymbol.h"
#include "libkern/OSUnserializeXML.h"

#ifndef PLIST_FIXTURE_DIR
#define PLIST_FIXTURE_DIR "tests/unit/libkern/plist_fixtures"
#endif

/* --- the dump (the format make_fixtures.py writes) ---------------------------------- */

struct dumpbuf {
	char	*text;
	size_t	len, cap;
};

static void
put(struct dumpbuf *d, const char *s, size_t n)
{
	if (d->len + n + 1 > d->cap) {
		d->cap = (d->len + n + 1) * 2;
		d->text = realloc(d->text, d->cap);
		cr_assert_not_null(d->text);
	}
	memcpy(d->text + d->len, s, n);
	d->len += n;
	d->text[d->len] = '\0';
}

static void
put_quoted(struct dumpbuf *d, const char *s, size_t n)
{
	char esc[8];

	put(d, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			put(d, (const char *)&c, 1);
		} else {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			put(d, esc, 4);
		}
	}
	put(d, "\"", 1);
}

static void
dump_into(struct dumpbuf *d, const OSObject *o)
{
	const OSString *s;
	const OSNumber *n;
	const OSData *data;
	const OSArray *a;
	const OSDictionary *dict;
	char num[32];

	if ((s = OSDynamicCast(OSString, o)) != NULL) {
		put_quoted(d, OSString_getCStringNoCopy(s), OSString_getLength(s));
	} else if ((n = OSDynamicCast(OSNumber, o)) != NULL) {
		snprintf(num, sizeof(num), "i%lld", (long long)OSNumber_unsigned64BitValue(n));
		put(d, num, strlen(num));
	} else if (o == OSCOBJ(kOSBooleanTrue) || o == OSCOBJ(kOSBooleanFalse)) {
		put(d, o == OSCOBJ(kOSBooleanTrue) ? "true" : "false", o ==
		    OSCOBJ(kOSBooleanTrue) ? 4 : 5);
	} else if ((data = OSDynamicCast(OSData, o)) != NULL) {
		put(d, "d", 1);
		for (uint32_t i = 0; i < OSData_getLength(data); i++) {
			snprintf(num, sizeof(num), "%02x",
			    ((const uint8_t *)OSData_getBytesNoCopy(data))[i]);
			put(d, num, 2);
		}
	} else if ((a = OSDynamicCast(OSArray, o)) != NULL) {
		put(d, "[", 1);
		for (uint32_t i = 0; i < OSArray_getCount(a); i++) {
			if (i > 0)
				put(d, ",", 1);
			dump_into(d, OSArray_getObject(a, i));
		}
		put(d, "]", 1);
	} else if ((dict = OSDynamicCast(OSDictionary, o)) != NULL) {
		put(d, "{", 1);
		for (uint32_t i = 0; i < OSDictionary_getCount(dict); i++) {
			s = OSDictionary_getKeyAtIndex(dict, i);
			if (i > 0)
				put(d, ",", 1);
			put_quoted(d, OSString_getCStringNoCopy(s), OSString_getLength(s));
			put(d, ":", 1);
			dump_into(d, OSDictionary_getObjectAtIndex(dict, i));
		}
		put(d, "}", 1);
	} else {
		cr_assert_fail("an object of class %s in a parse", OSObject_getClassName(o));
	}
}

/* The dump of o; the caller frees it. */
static char *
dump(const OSObject *o)
{
	struct dumpbuf d = { 0 };

	put(&d, "", 0);
	dump_into(&d, o);
	return d.text;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static OSObject *
parse(const char *text, char *err, size_t errlen)
{
	return OSUnserializeXML(text, strlen(text), err, errlen);
}

/* Serialise o to its text (malloc'd). */
static char *
serialize(const OSObject *o)
{
	OSSerialize *s = OSSerialize_withCapacity(16);
	char *text;

	cr_assert_not_null(s);
	cr_assert(OSObject_serialize(o, s), "serialize a %s", OSObject_getClassName(o));
	text = strdup(OSSerialize_text(s));
	OSObject_release(OSOBJ(s));
	return text;
}

/* --- plistlib's files ------------------------------------------------------------------ */

static void
check_fixture(const char *name)
{
	char path[512], err[160], tmp[] = "/tmp/machina-plist-XXXXXX", cmd[1024];
	char *text, *expected, *got, *again_text;
	size_t len, elen;
	OSObject *o, *again;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.plist", PLIST_FIXTURE_DIR, name);
	text = read_file(path, &len);
	snprintf(path, sizeof(path), "%s/%s.expected", PLIST_FIXTURE_DIR, name);
	expected = read_file(path, &elen);
	if (elen > 0 && expected[elen - 1] == '\n')
		expected[elen - 1] = '\0';

	o = OSUnserializeXML(text, len, err, sizeof(err));
	cr_assert_not_null(o, "%s: %s", name, err);
	cr_assert_str_eq(err, "");
	got = dump(o);
	cr_assert_str_eq(got, expected, "%s parsed to something else", name);

	/* Serialise, parse again: equal. */
	again_text = serialize(o);
	again = parse(again_text, err, sizeof(err));
	cr_assert_not_null(again, "%s serialised does not parse: %s\n%s", name, err,
	    again_text);
	cr_assert(OSObject_isEqualTo(o, again), "%s: not equal after a round trip", name);

	/* And plistlib reads the serialised text as the same objects. */
	fd = mkstemp(tmp);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, again_text, strlen(again_text)), (ssize_t)strlen(again_text));
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 %s/make_fixtures.py --check %s %s",
	    PLIST_FIXTURE_DIR, tmp, name);
	cr_assert_eq(system(cmd), 0, "%s: plistlib does not read back:\n%s", name,
	    again_text);
	unlink(tmp);

	OSObject_release(o);
	OSObject_release(again);
	free(text);
	free(expected);
	free(got);
	free(again_text);
}

#define FIXTURE_TEST(name)						\
	OSTest(plist_fixture, name) { check_fixture(#name); }

FIXTURE_TEST(info_plist)
FIXTURE_TEST(scalars)
FIXTURE_TEST(data)
FIXTURE_TEST(real_and_date)
FIXTURE_TEST(empty)
FIXTURE_TEST(deep)
FIXTURE_TEST(root_string)
FIXTURE_TEST(root_integer)
FIXTURE_TEST(many_keys)
FIXTURE_TEST(unicode_keys)

OSTest(plist_fixture, an_info_plist_is_read_as_a_kext_manager_would)
{
	char path[512], err[160];
	size_t len;
	char *text;
	OSDictionary *d, *pers, *driver;
	OSObject *o;

	snprintf(path, sizeof(path), "%s/info_plist.plist", PLIST_FIXTURE_DIR);
	text = read_file(path, &len);
	o = OSUnserializeXML(text, len + 1, err, sizeof(err));	/* with its NUL */
	d = OSDynamicCast(OSDictionary, o);
	cr_assert_not_null(d, "%s", err);
	cr_assert(OSString_isEqualToCString(OSDynamicCast(OSString,
	    OSDictionary_getObject(d, "CFBundleIdentifier")),
	    "com.example.driver.ExampleDriver"));
	pers = OSDynamicCast(OSDictionary, OSDictionary_getObject(d, "IOKitPersonalities"));
	driver = OSDynamicCast(OSDictionary, OSDictionary_getObject(pers, "ExampleDriver"));
	cr_assert_eq(OSNumber_unsigned32BitValue(OSDynamicCast(OSNumber,
	    OSDictionary_getObject(driver, "IOProbeScore"))), 1000u);
	cr_assert_not_null(OSDynamicCast(OSSymbol, OSDictionary_getKeyAtIndex(d, 0)),
	    "keys are symbols");
	OSObject_release(o);
	free(text);
}

/* --- hand-written lists ----------------------------------------------------------------- */

struct good_case {
	const char	*text;
	const char	*dump;
};

/* ID and IDREF: the same objects more than once. */
static const char ids_text[] =
    "<array><string ID=\"1\">shared</string><string IDREF=\"1\"/>"
    "<dict ID=\"2\"><key>k</key><integer IDREF=\"1\"/></dict><dict IDREF=\"2\"/>"
    "</array>";

static const struct good_case good_cases[] = {
	/* A root without <plist>, as Apple's kernel accepts. */
	{ "<dict><key>a</key><integer>1</integer></dict>", "{\"a\":i1}" },
	{ "<string>x</string>", "\"x\"" },
	/* Integers: hex, signs, white space, the extremes. */
	{ "<array><integer>0x10</integer><integer>0XfF</integer><integer>-0x1</integer>"
	  "<integer>+7</integer><integer> 42\n</integer><integer>-9223372036854775808"
	  "</integer><integer>18446744073709551615</integer><integer>0xffffffffffffffff"
	  "</integer></array>", "[i16,i255,i-1,i7,i42,i-9223372036854775808,i-1,i-1]" },
	/* Entities and character references, in strings and keys. */
	{ "<dict><key>&lt;k&gt;</key><string>&amp;&quot;&apos;&#65;&#x42;&#x20AC;&#128512;"
	  "</string></dict>", "{\"<k>\":\"&\\x22'AB\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80\"}" },
	/* Comments and CDATA inside a string; comments and PIs between elements. */
	{ "<?xml version=\"1.0\"?>\n<!-- before -->\n<plist version='1.0'>\n<!-- in -->"
	  "<array><?pi x?><string>a<!-- gone -->b<![CDATA[<&>]]>c</string></array>\n"
	  "</plist>\n<!-- after -->\n", "[\"ab<&>c\"]" },
	/* A DOCTYPE with an internal subset. */
	{ "<!DOCTYPE plist [ <!ENTITY x \"y\"> ]><plist><true/></plist>", "true" },
	/* Empty forms. */
	{ "<array><string/><dict/><array/><data/><data></data><true></true></array>",
	  "[\"\",{},[],d,d,true]" },
	/* Base64 with white space and padding. */
	{ "<array><data>\n\tYWJj\n\tZA==\n</data><data>YWI=</data><data> </data></array>",
	  "[d61626364,d6162,d]" },
	/* ID and IDREF: the same object twice. */
	{ ids_text, "[\"shared\",\"shared\",{\"k\":\"shared\"},{\"k\":\"shared\"}]" },
	/* Reals and dates are kept as their text. */
	{ "<array><real> -1.5e3 </real><real>.5</real><real>nan</real><date>"
	  "2001-12-31T23:59:60Z</date></array>", "[\"-1.5e3\",\".5\",\"nan\","
	  "\"2001-12-31T23:59:60Z\"]" },
	/* CR LF line ends. */
	{ "<plist>\r\n<dict>\r\n<key>a</key>\r\n<false/>\r\n</dict>\r\n</plist>\r\n",
	  "{\"a\":false}" },
	/* A key may be empty. */
	{ "<dict><key/><string>v</string></dict>", "{\"\":\"v\"}" },
};

OSTest(plist_handwritten, parse_to_the_objects_they_say)
{
	char err[160], *got;
	OSObject *o;

	for (size_t i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		o = parse(good_cases[i].text, err, sizeof(err));
		cr_assert_not_null(o, "case %zu: %s", i, err);
		got = dump(o);
		cr_assert_str_eq(got, good_cases[i].dump, "case %zu", i);
		free(got);
		OSObject_release(o);
	}
}

OSTest(plist_handwritten, idref_gives_the_same_object)
{
	char err[160];
	OSArray *a = OSDynamicCast(OSArray, parse(ids_text, err, sizeof(err)));

	cr_assert_not_null(a, "%s", err);
	cr_assert_eq(OSArray_getObject(a, 0), OSArray_getObject(a, 1));
	cr_assert_eq(OSArray_getObject(a, 2), OSArray_getObject(a, 3));
	cr_assert_eq(OSObject_getRetainCount(OSArray_getObject(a, 0)), 3,
	    "twice in the array, once in the dict");
	OSObject_release(OSOBJ(a));
}

OSTest(plist_handwritten, nesting_to_the_limit_is_accepted)
{
	char text[2048] = "", err[160];
	OSObject *o;

	for (int i = 0; i < OSUNSERIALIZE_MAX_DEPTH; i++)
		strcat(text, "<array>");
	for (int i = 0; i < OSUNSERIALIZE_MAX_DEPTH; i++)
		strcat(text, "</array>");
	o = parse(text, err, sizeof(err));
	cr_assert_not_null(o, "%s", err);
	OSObject_release(o);
}

/* --- broken lists ------------------------------------------------------------------------- */

struct bad_case {
	const char	*name;
	const char	*text;
	const char	*message;
};

#define HDR	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n"

static const struct bad_case bad_cases[] = {
	{ "empty", "", "line 1: no property list in the text" },
	{ "only white space", "  \n\n ", "line 3: no property list in the text" },
	{ "garbage", "hello world", "line 1: text \"hello\" where an element should be" },
	{ "non-plist root", "<html><body/></html>", "line 1: unknown element <html>" },
	{ "unknown element", HDR "<dict>\n<key>a</key>\n<float>1</float>\n</dict>\n</plist>\n",
	  "line 5: unknown element <float>" },
	{ "unclosed dict", HDR "<dict>\n<key>a</key>\n<string>b</string>\n",
	  "line 6: the file ends inside <dict> opened on line 3" },
	{ "unclosed plist", HDR "<true/>\n", "line 4: the file ends inside <plist> opened "
	  "on line 2" },
	{ "wrong nesting", HDR "<array>\n<dict>\n</array>\n</dict>\n</plist>\n",
	  "line 5: </array> closes <dict>" },
	{ "wrong end of a leaf", HDR "<string>abc</integer>\n</plist>\n",
	  "line 3: </integer> closes <string>" },
	{ "end tag of nothing", "<true/></array>", "line 1: </array> closes nothing" },
	{ "bad integer", HDR "<dict>\n<key>n</key>\n<integer>12x</integer>\n</dict>\n</plist>\n",
	  "line 5: <integer> \"12x\" is not a number" },
	{ "empty integer", "<integer></integer>", "line 1: <integer> \"\" is not a number" },
	{ "hex without digits", "<integer>0x</integer>", "line 1: <integer> \"0x\" is not a "
	  "number" },
	{ "huge integer", "<integer>18446744073709551616</integer>",
	  "line 1: <integer> \"18446744073709551616\" does not fit in 64 bits" },
	{ "huge negative integer", "<integer>-9223372036854775809</integer>",
	  "line 1: <integer> \"-9223372036854775809\" does not fit in 64 bits" },
	{ "huge hex integer", "<integer>0x10000000000000000</integer>",
	  "line 1: <integer> \"0x10000000000000000\" does not fit in 64 bits" },
	{ "long bad integer is cut", "<integer>123456789012345678901234567890123456789012345"
	  "</integer>", "line 1: <integer> \"1234567890123456789012345678901234567890...\" "
	  "does not fit in 64 bits" },
	{ "bad real", "<real>1.2.3</real>", "line 1: <real> \"1.2.3\" is not a number" },
	{ "bad date", "<date>2024-13-01T00:00:00Z</date>", "line 1: <date> "
	  "\"2024-13-01T00:00:00Z\" is not a date as YYYY-MM-DDTHH:MM:SSZ" },
	{ "bad base64 character", HDR "<data>\nYW*j\n</data>\n</plist>\n",
	  "line 3: <data> is not valid base64" },
	{ "base64 without padding", "<data>YWI</data>", "line 1: <data> is not valid base64" },
	{ "base64 after padding", "<data>YQ==YWJj</data>", "line 1: <data> is not valid "
	  "base64" },
	{ "base64 padding too early", "<data>Y===</data>", "line 1: <data> is not valid "
	  "base64" },
	{ "duplicate key", HDR "<dict>\n<key>CFBundleVersion</key>\n<string>1</string>\n"
	  "<key>CFBundleVersion</key>\n<string>2</string>\n</dict>\n</plist>\n",
	  "line 6: key \"CFBundleVersion\" appears twice in one dict" },
	{ "key without value at the end", HDR "<dict>\n<key>a</key>\n<true/>\n<key>b</key>\n"
	  "</dict>\n</plist>\n", "line 6: <dict> has a <key> with no value" },
	{ "key after key", "<dict>\n<key>a</key>\n<key>b</key><true/></dict>",
	  "line 2: <dict> has a <key> with no value" },
	{ "value without key", "<dict>\n<string>v</string>\n</dict>",
	  "line 2: <string> in a <dict> has no <key>" },
	{ "key outside a dict", "<array><key>a</key></array>", "line 1: <key> outside a <dict>" },
	{ "two roots in plist", HDR "<true/>\n<false/>\n</plist>\n",
	  "line 4: <plist> holds more than one object" },
	{ "two bare roots", "<true/><false/>", "line 1: <false> after the end of the property "
	  "list" },
	{ "element after plist", HDR "<true/>\n</plist>\n<true/>\n", "line 5: <true> after "
	  "</plist>" },
	{ "text after plist", HDR "<true/>\n</plist>\nxyz\n", "line 5: text \"xyz\" where an "
	  "element should be" },
	{ "empty plist", HDR "</plist>\n", "line 3: <plist> holds no object" },
	{ "empty plist element", "<plist/>", "line 1: <plist> holds no object" },
	{ "plist in plist", HDR "<plist>\n", "line 3: <plist> inside a property list" },
	{ "text in a container", "<array>\nloose text\n</array>",
	  "line 2: text \"loose\" where an element should be" },
	{ "element in a string", "<string>a<b>c</b></string>", "line 1: <string> holds an "
	  "element" },
	{ "true with text", "<true>yes</true>", "line 1: <true> is not empty" },
	{ "unknown entity", "<string>a &nbsp; b</string>", "line 1: unknown entity \"&nbsp;\"" },
	{ "bare ampersand", "<string>fish & chips</string>", "line 1: \"&\" is not followed "
	  "by an entity name and \";\"" },
	{ "NUL character reference", "<string>&#0;</string>", "line 1: bad character "
	  "reference \"&#0;\"" },
	{ "surrogate reference", "<string>&#xD800;</string>", "line 1: bad character "
	  "reference \"&#xD800;\"" },
	{ "reference beyond Unicode", "<string>&#x110000;</string>", "line 1: bad character "
	  "reference \"&#x110000;\"" },
	{ "reference without digits", "<string>&#x;</string>", "line 1: bad character "
	  "reference \"&#x;\"" },
	{ "truncated in a tag name", HDR "<dic", "line 3: the file ends inside a tag" },
	{ "truncated in attributes", "<plist version=\"1.0", "line 1: the file ends inside "
	  "a tag" },
	{ "truncated after an attribute name", "<plist version", "line 1: the file ends "
	  "inside a tag" },
	{ "truncated in a string", HDR "<string>abc\ndef", "line 4: the file ends inside "
	  "<string> opened on line 3" },
	{ "truncated in an end tag", HDR "<string>abc</str", "line 3: the file ends inside "
	  "a tag" },
	{ "truncated in a comment", "<!-- never\nclosed", "line 2: the file ends inside a "
	  "comment opened on line 1" },
	{ "truncated in a DOCTYPE", "<!DOCTYPE plist [\n", "line 2: the file ends inside "
	  "<!DOCTYPE> opened on line 1" },
	{ "truncated in CDATA", "<string><![CDATA[abc", "line 1: the file ends inside a "
	  "CDATA section opened on line 1" },
	{ "truncated in an entity", "<string>&am", "line 1: \"&\" is not followed by an "
	  "entity name and \";\"" },
	{ "truncated after a self-closing slash", "<true/", "line 1: the file ends inside "
	  "a tag" },
	{ "truncated in an array", "<array>\n<integer>1</integer>\n",
	  "line 3: the file ends inside <array> opened on line 1" },
	{ "unquoted attribute", "<plist version=1.0><true/></plist>", "line 1: attribute "
	  "value in <plist> is not quoted" },
	{ "attribute without value", "<plist version><true/></plist>", "line 1: malformed "
	  "attribute in <plist>" },
	{ "attribute in an end tag", "<array></array x=\"1\">", "line 1: malformed tag "
	  "</array>" },
	{ "not a tag", "< dict>", "line 1: \"<\" does not start a tag" },
	{ "DOCTYPE after the root", "<plist><!DOCTYPE x><true/></plist>",
	  "line 1: <!DOCTYPE> after the first element" },
	{ "unknown markup", "<!ELEMENT x>", "line 1: unknown markup \"<!\"" },
	{ "IDREF to nothing", "<array><string IDREF=\"7\"/></array>",
	  "line 1: IDREF=\"7\" names no object before it" },
	{ "IDREF to an open container", "<array ID=\"1\"><array IDREF=\"1\"/></array>",
	  "line 1: IDREF=\"1\" names no object before it" },
	{ "ID used twice", "<array><true ID=\"1\"/><false ID=\"1\"/></array>",
	  "line 1: ID=\"1\" is used twice" },
	{ "ID not a number", "<true ID=\"x\"/>", "line 1: ID in <true> is not a number" },
	{ "IDREF with content", "<array><string ID=\"1\">a</string><string IDREF=\"1\">b"
	  "</string></array>", "line 1: <string IDREF=\"1\"> is not empty" },
	{ "long element name is cut", "<abcdefghijklmnopqrstuvwxyz/>",
	  "line 1: unknown element <abcdefghijklmnop...>" },
};

OSTest(plist_broken, each_is_refused_with_its_message)
{
	char err[200];
	OSObject *o;

	cr_assert_geq(sizeof(bad_cases) / sizeof(bad_cases[0]), 25u);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		memset(err, 'X', sizeof(err));
		o = parse(bad_cases[i].text, err, sizeof(err));
		cr_expect_null(o, "%s: accepted", bad_cases[i].name);
		if (o != NULL)
			OSObject_release(o);
		cr_expect_str_eq(err, bad_cases[i].message, "%s", bad_cases[i].name);
	}
}

OSTest(plist_broken, nesting_beyond_the_limit)
{
	char text[2048] = "", err[160], want[160];

	for (int i = 0; i <= OSUNSERIALIZE_MAX_DEPTH; i++)
		strcat(text, i % 2 ? "<array>\n" : "<dict><key>k</key>");
	cr_assert_null(parse(text, err, sizeof(err)));
	snprintf(want, sizeof(want), "line %d: containers nested more than %d deep",
	    OSUNSERIALIZE_MAX_DEPTH / 2 + 1, OSUNSERIALIZE_MAX_DEPTH);
	cr_assert_str_eq(err, want);
}

OSTest(plist_broken, a_nul_byte_inside)
{
	static const char text[] = "<array>\n<string>a\0b</string>\n</array>";
	char err[160];

	cr_assert_null(OSUnserializeXML(text, sizeof(text) - 1, err, sizeof(err)));
	cr_assert_str_eq(err, "line 2: a NUL byte in the text");
	cr_assert_null(OSUnserializeXML("\0<true/>", 8, err, sizeof(err)));
	cr_assert_str_eq(err, "line 1: a NUL byte in the text");
}

OSTest(plist_broken, too_long_a_text)
{
	size_t len = OSUNSERIALIZE_MAX_LENGTH + 1;
	char *text = malloc(len), err[160];

	memset(text, ' ', len);
	cr_assert_null(OSUnserializeXML(text, len, err, sizeof(err)));
	cr_assert_str_eq(err, "line 1: the text is 16777217 bytes, more than the 16777216 "
	    "allowed");
	free(text);
}

OSTest(plist_broken, the_message_buffer_may_be_small_or_absent)
{
	char err[12];

	cr_assert_null(parse("<integer>x</integer>", err, sizeof(err)));
	cr_assert_str_eq(err, "line 1: <in");
	cr_assert_null(parse("<integer>x</integer>", NULL, 0));
	cr_assert_null(OSUnserializeXML(NULL, 10, err, sizeof(err)));
	cr_assert_str_eq(err, "line 1: no ");
}

/* --- out of memory ------------------------------------------------------------------------ */

OSTest(plist_oom, every_allocation_may_fail)
{
	char path[512], err[160];
	size_t len;
	char *text;
	OSObject *o;
	long i;

	snprintf(path, sizeof(path), "%s/info_plist.plist", PLIST_FIXTURE_DIR);
	text = read_file(path, &len);
	for (i = 0;; i++) {
		shim_kalloc_fail_after(i);
		o = OSUnserializeXML(text, len, err, sizeof(err));
		shim_kalloc_fail_after(-1);
		if (o != NULL)
			break;
		cr_assert(strstr(err, "out of memory") != NULL, "after %ld: %s", i, err);
		cr_assert_eq(shim_kalloc_outstanding(), 0u, "after %ld allocations", i);
		cr_assert_eq(OSSymbol_tableCount(), 0u);
	}
	cr_assert_gt(i, 20);
	OSObject_release(o);
	free(text);
}

OSTest(plist_oom, a_good_parse_with_ids_leaves_nothing)
{
	char err[160];
	OSObject *o;
	long i;

	for (i = 0;; i++) {
		shim_kalloc_fail_after(i);
		o = parse(ids_text, err, sizeof(err));
		shim_kalloc_fail_after(-1);
		if (o != NULL)
			break;
		cr_assert_eq(shim_kalloc_outstanding(), 0u, "after %ld allocations", i);
	}
	OSObject_release(o);
}

/* --- the serializer ------------------------------------------------------------------------ */

OSTest(OSSerialize, writes_what_plistlib_writes)
{
	OSDictionary *d = OSDictionary_withCapacity(0);
	OSArray *a = OSArray_withCapacity(0);
	OSNumber *n8 = OSNumber_withNumber(200, 8), *n64 = OSNumber_withNumber(-5, 64);
	OSString *s = OSString_withCString("a<b>&c\r\x01");
	OSData *data = OSData_withBytes("abcd", 4);
	char *text;

	OSArray_setObject(a, OSOBJ(n8));
	OSArray_setObject(a, OSOBJ(n64));
	OSArray_setObject(a, OSOBJ(kOSBooleanTrue));
	OSDictionary_setObject(d, "list", OSOBJ(a));
	OSDictionary_setObject(d, "str", OSOBJ(s));
	OSDictionary_setObject(d, "bytes", OSOBJ(data));
	OSDictionary_setObject(d, "none", OSOBJ(OSDictionary_withCapacity(0)));
	OSObject_release(OSDictionary_getObject(d, "none"));
	text = serialize(OSOBJ(d));
	cr_assert_str_eq(text,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
	    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
	    "<plist version=\"1.0\">\n"
	    "<dict>\n"
	    "\t<key>list</key>\n"
	    "\t<array>\n"
	    "\t\t<integer>200</integer>\n"
	    "\t\t<integer>-5</integer>\n"
	    "\t\t<true/>\n"
	    "\t</array>\n"
	    "\t<key>str</key>\n"
	    "\t<string>a&lt;b&gt;&amp;c&#x0d;&#x01;</string>\n"
	    "\t<key>bytes</key>\n"
	    "\t<data>YWJjZA==</data>\n"
	    "\t<key>none</key>\n"
	    "\t<dict/>\n"
	    "</dict>\n"
	    "</plist>\n");
	free(text);
	OSObject_release(OSOBJ(d));
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(n8));
	OSObject_release(OSOBJ(n64));
	OSObject_release(OSOBJ(s));
	OSObject_release(OSOBJ(data));
}

OSTest(OSSerialize, a_set_becomes_an_array_and_reads_back)
{
	OSSet *set = OSSet_withCapacity(0);
	OSString *s = OSString_withCString("only");
	char *text, err[160];
	OSObject *o;

	OSSet_setObject(set, OSOBJ(s));
	text = serialize(OSOBJ(set));
	o = parse(text, err, sizeof(err));
	cr_assert_not_null(OSDynamicCast(OSArray, o), "%s", err);
	cr_assert(OSObject_isEqualTo(OSArray_getObject((OSArray *)o, 0), OSOBJ(s)));
	free(text);
	OSObject_release(o);
	OSObject_release(OSOBJ(s));
	OSObject_release(OSOBJ(set));
}

OSTest(OSSerialize, what_cannot_be_written_is_refused)
{
	OSArray *a = OSArray_withCapacity(0), *loop = OSArray_withCapacity(0);
	OSCollectionIterator *it = OSCollectionIterator_withCollection(&a->arr_coll);
	OSSerialize *s = OSSerialize_withCapacity(0), *small = OSSerialize_withCapacity(0);

	cr_assert_not(OSObject_serialize(OSOBJ(it), s), "an iterator has no serialize");
	OSSerialize_clearText(s);
	cr_assert_str_eq(OSSerialize_text(s), "");
	cr_assert_not(OSObject_serialize(NULL, s));
	cr_assert_not(OSObject_serialize(OSOBJ(a), NULL));

	/* A collection that holds itself stops at the depth limit. */
	OSArray_setObject(loop, OSOBJ(loop));
	OSSerialize_clearText(s);
	cr_assert_not(OSObject_serialize(OSOBJ(loop), s));
	OSArray_removeObject(loop, 0);

	shim_kalloc_fail_after(0);
	cr_assert_not(OSObject_serialize(OSOBJ(a), small), "no memory for the text");
	shim_kalloc_fail_after(-1);
	OSObject_release(OSOBJ(small));

	OSObject_release(OSOBJ(it));
	OSObject_release(OSOBJ(a));
	OSObject_release(OSOBJ(loop));
	OSObject_release(OSOBJ(s));
}
