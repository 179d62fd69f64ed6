/*
 * test_OSKextBundle.c - libkern/OSKextBundle.c: a kext's Info.plist read
 * and checked. Good bundles give the fields the loader uses; every broken
 * one is refused with a message naming the bundle and the problem; nothing
 * is left allocated either way.
 */

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/libkern/os_test.h"

#include "libkern/OSDictionary.h"
#include "libkern/OSKextBundle.h"
#include "libkern/OSKextVersion.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n"
#define TAIL "</dict>\n</plist>\n"
#define KEY(k, v) "\t<key>" k "</key>\n\t<string>" v "</string>\n"
#define LIBS(body) "\t<key>OSBundleLibraries</key>\n\t<dict>\n" body "\t</dict>\n"
#define ID KEY("CFBundleIdentifier", "com.example.Foo")
#define VERS KEY("CFBundleVersion", "1.2.3")
#define EXE KEY("CFBundleExecutable", "Foo")
#define KPI "\t\t<key>org.machina.kpi.libkern</key>\n\t\t<string>0.1</string>\n"

static struct kext_bundle *
parse(const char *text, char *err, size_t len)
{
	return kext_bundle_create("/S/L/E/Foo.kext", text, strlen(text), err, len);
}

OSTest(OSKextBundle, reads_a_kext)
{
	char err[KEXT_BUNDLE_ERRLEN];
	struct kext_bundle *b = parse(HEAD ID VERS EXE
	    KEY("OSBundleCompatibleVersion", "1.0") KEY("OSBundleRequired", "Root")
	    LIBS(KPI "\t\t<key>com.example.Lib</key>\n\t\t<string>2.0b3</string>\n") TAIL,
	    err, sizeof err);

	cr_assert_not_null(b, "%s", err);
	cr_expect_str_eq(b->kb_identifier, "com.example.Foo");
	cr_expect_str_eq(b->kb_version_str, "1.2.3");
	cr_expect_eq(b->kb_version, OSKextParseVersionString("1.2.3"));
	cr_expect_eq(b->kb_compat, OSKextParseVersionString("1.0"));
	cr_expect_str_eq(b->kb_executable, "Foo");
	cr_expect(b->kb_required);
	cr_assert_eq(b->kb_nlibraries, 2);
	cr_expect_str_eq(b->kb_libraries[0].kl_identifier, "org.machina.kpi.libkern");
	cr_expect_str_eq(b->kb_libraries[1].kl_identifier, "com.example.Lib");
	cr_expect_eq(b->kb_libraries[1].kl_version, OSKextParseVersionString("2.0b3"));
	cr_expect_str_eq(b->kb_path, "/S/L/E/Foo.kext");
	kext_bundle_free(b);
}

OSTest(OSKextBundle, reads_a_codeless_kext)
{
	char err[KEXT_BUNDLE_ERRLEN];
	struct kext_bundle *b = parse(HEAD ID VERS
	    "\t<key>IOKitPersonalities</key>\n\t<dict>\n\t\t<key>Foo</key>\n\t\t<dict>\n"
	    "\t\t\t<key>IOClass</key>\n\t\t\t<string>FooDriver</string>\n\t\t</dict>\n\t</dict>\n"
	    TAIL, err, sizeof err);

	cr_assert_not_null(b, "%s", err);
	cr_expect_null(b->kb_executable);
	cr_expect_eq(b->kb_compat, -1);
	cr_expect_eq(b->kb_nlibraries, 0);
	cr_expect_not(b->kb_required);
	cr_expect_not_null(OSDictionary_getObject(b->kb_info, "IOKitPersonalities"));
	kext_bundle_free(b);
}

struct refusal {
	const char	*plist;
	const char	*message;	/* after "/S/L/E/Foo.kext: Info.plist: " */
};

static const struct refusal refusals[] = {
	{ "", "line 1: no property list in the text" },
	{ HEAD ID "\t<key>CFBundleVersion</key>\n\t<integer>1x</integer>\n" TAIL,
	  "line 8: <integer> \"1x\" is not a number" },
	{ "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<array/>\n</plist>\n",
	  "the top-level object is a OSArray, not a dict" },
	{ HEAD VERS EXE LIBS(KPI) TAIL, "CFBundleIdentifier is missing" },
	{ HEAD "\t<key>CFBundleIdentifier</key>\n\t<true/>\n" VERS TAIL,
	  "CFBundleIdentifier is not a string" },
	{ HEAD KEY("CFBundleIdentifier", "com..example") VERS TAIL,
	  "CFBundleIdentifier \"com..example\" is not a reverse-DNS name of at most 63 letters, "
	  "digits, '.', '-' and '_'" },
	{ HEAD KEY("CFBundleIdentifier", "com.example/Foo") VERS TAIL,
	  "CFBundleIdentifier \"com.example/Foo\" is not a reverse-DNS name of at most 63 "
	  "letters, digits, '.', '-' and '_'" },
	{ HEAD ID EXE LIBS(KPI) TAIL, "CFBundleVersion is missing" },
	{ HEAD ID KEY("CFBundleVersion", "1.2.3.4") TAIL,
	  "CFBundleVersion \"1.2.3.4\" is not a version (1.2.3, 1.2.3d4, 1.2.3fc1)" },
	{ HEAD ID VERS KEY("OSBundleCompatibleVersion", "2.0") TAIL,
	  "OSBundleCompatibleVersion 2.0 is newer than CFBundleVersion 1.2.3" },
	{ HEAD ID VERS KEY("OSBundleCompatibleVersion", "x") TAIL,
	  "OSBundleCompatibleVersion \"x\" is not a version" },
	{ HEAD ID VERS KEY("CFBundleExecutable", "../../etc/passwd") TAIL,
	  "CFBundleExecutable \"../../etc/passwd\" is not a file name" },
	{ HEAD ID VERS EXE TAIL,
	  "OSBundleLibraries is missing: a kext with code must name the KPIs it uses "
	  "(org.machina.kpi.libkern, ...)" },
	{ HEAD ID VERS EXE "\t<key>OSBundleLibraries</key>\n\t<array/>\n" TAIL,
	  "OSBundleLibraries is not a dict" },
	{ HEAD ID VERS EXE LIBS("\t\t<key>org.machina.kpi.libkern</key>\n\t\t<string>new</string>\n") TAIL,
	  "OSBundleLibraries: org.machina.kpi.libkern asks for \"new\", which is not a version" },
	{ HEAD ID VERS EXE LIBS("\t\t<key>org.machina.kpi.libkern</key>\n\t\t<integer>1</integer>\n") TAIL,
	  "OSBundleLibraries: org.machina.kpi.libkern's version is not a string" },
	{ HEAD ID VERS EXE LIBS("\t\t<key>com.example.Foo</key>\n\t\t<string>1.0</string>\n") TAIL,
	  "OSBundleLibraries names the kext itself (com.example.Foo)" },
	{ HEAD ID VERS EXE LIBS("\t\t<key>not a name</key>\n\t\t<string>1.0</string>\n") TAIL,
	  "OSBundleLibraries: \"not a name\" is not a bundle identifier" },
	{ HEAD ID VERS KEY("OSBundleRequired", "Always") TAIL,
	  "OSBundleRequired \"Always\" is not one of Root, Local-Root, Network-Root, Console, Safe Boot" },
	{ HEAD ID VERS "\t<key>IOKitPersonalities</key>\n\t<string>x</string>\n" TAIL,
	  "IOKitPersonalities is not a dict" },
	{ HEAD ID VERS "\t<key>IOKitPersonalities</key>\n\t<dict>\n\t\t<key>P</key>\n"
	  "\t\t<string>x</string>\n\t</dict>\n" TAIL,
	  "IOKitPersonalities: \"P\" is not a dict" },
	{ HEAD ID VERS "\t<key>CFBundleVersion</key>\n\t<string>2</string>\n" TAIL,
	  "line 9: key \"CFBundleVersion\" appears twice in one dict" },
};

OSTest(OSKextBundle, refuses_broken_ones_saying_why)
{
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		char err[KEXT_BUNDLE_ERRLEN], want[KEXT_BUNDLE_ERRLEN];
		struct kext_bundle *b = parse(refusals[i].plist, err, sizeof err);

		snprintf(want, sizeof want, "/S/L/E/Foo.kext: Info.plist: %s", refusals[i].message);
		cr_expect_null(b, "case %zu was accepted", i);
		if (b != NULL)
			kext_bundle_free(b);
		else
			cr_expect_str_eq(err, want, "case %zu: got [%s]", i, err);
	}
}

OSTest(OSKextBundle, cuts_messages_to_the_buffer)
{
	char err[24];

	cr_expect_null(parse(HEAD VERS TAIL, err, sizeof err));
	cr_expect_eq(strlen(err), sizeof err - 1);
	cr_expect_null(parse(HEAD VERS TAIL, NULL, 0));
}
