/*
 * OSUnserializeXML_test.c - the property-list parser and serializer as
 * built for the kernel, over the real kalloc: an Info.plist read, written
 * and read again, and a broken one refused with its message (the runner
 * fails a test that leaks). The full tests are host unit tests
 * (tests/unit/libkern/test_OSUnserializeXML.c) and a fuzz target.
 */

#include "libkern/OSUnserializeXML.h"

#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSSerialize.h"
#include "libkern/OSString.h"
#include "libkern/string.h"
#include "tests/ktest.h"

static const char info_plist[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\">\n"
    "<dict>\n"
    "\t<key>CFBundleIdentifier</key>\n"
    "\t<string>com.example.driver</string>\n"
    "\t<key>IOKitPersonalities</key>\n"
    "\t<dict>\n"
    "\t\t<key>Example</key>\n"
    "\t\t<dict>\n"
    "\t\t\t<key>IOProbeScore</key>\n"
    "\t\t\t<integer>1000</integer>\n"
    "\t\t\t<key>IONameMatch</key>\n"
    "\t\t\t<array><string>pci8086,100e</string></array>\n"
    "\t\t</dict>\n"
    "\t</dict>\n"
    "\t<key>Blob</key>\n"
    "\t<data>AAEC/w==</data>\n"
    "</dict>\n"
    "</plist>\n";

KTEST(OSUnserializeXML, an_info_plist_reads_and_writes_back)
{
	char err[160];
	OSObject *o = OSUnserializeXML(info_plist, sizeof(info_plist), err, sizeof(err));
	OSDictionary *d = OSDynamicCast(OSDictionary, o), *pers, *ex;
	OSSerialize *s;
	OSObject *again;

	KT_ASSERT_TRUE(d != NULL);
	KT_EXPECT_TRUE(OSString_isEqualToCString(OSDynamicCast(OSString,
	    OSDictionary_getObject(d, "CFBundleIdentifier")), "com.example.driver"));
	pers = OSDynamicCast(OSDictionary, OSDictionary_getObject(d, "IOKitPersonalities"));
	ex = pers != NULL ? OSDynamicCast(OSDictionary, OSDictionary_getObject(pers,
	    "Example")) : NULL;
	KT_EXPECT_TRUE(ex != NULL && OSNumber_unsigned64BitValue(OSDynamicCast(OSNumber,
	    OSDictionary_getObject(ex, "IOProbeScore"))) == 1000);

	s = OSSerialize_withCapacity(512);
	KT_EXPECT_TRUE(s != NULL && OSObject_serialize(o, s));
	again = s != NULL ? OSUnserializeXML(OSSerialize_text(s), OSSerialize_getLength(s),
	    err, sizeof(err)) : NULL;
	KT_EXPECT_TRUE(again != NULL && OSObject_isEqualTo(o, again));
	if (again != NULL)
		OSObject_release(again);
	if (s != NULL)
		OSObject_release(OSOBJ(s));
	OSObject_release(o);
}

KTEST(OSUnserializeXML, a_broken_list_is_refused_with_its_line)
{
	static const char broken[] = "<plist>\n<dict>\n<key>a</key>\n<integer>12x</integer>\n";
	char err[160];

	KT_EXPECT_EQ(OSUnserializeXML(broken, strlen(broken), err, sizeof(err)), NULL);
	KT_EXPECT_STREQ(err, "line 4: <integer> \"12x\" is not a number");
}
