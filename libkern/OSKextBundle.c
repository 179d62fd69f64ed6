/*
 * OSKextBundle.c - read and check a kext's Info.plist.
 *
 * Every rule the kernel relies on is checked here, once, so the loader can
 * trust a kext_bundle: strings are strings, versions parse, the library
 * list is well-formed. Messages start with the bundle's path.
 */

#include "libkern/OSKextBundle.h"

#include "libkern/OSDictionary.h"
#include "libkern/OSMetaClass.h"
#include "libkern/OSString.h"
#include "libkern/OSUnserializeXML.h"
#include "libkern/elf.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"

#define IDENTIFIER_MAX	63

static const char *const required_values[] = {
	"Root", "Local-Root", "Network-Root", "Console", "Safe Boot",
};

static bool
identifier_ok(const char *s)
{
	size_t n = strlen(s);
	bool seg_empty = true;

	if (n == 0 || n > IDENTIFIER_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (seg_empty)
				return false;
			seg_empty = true;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_') {
			seg_empty = false;
		} else {
			return false;
		}
	}
	return !seg_empty;
}

/* A printable, bounded quote of s for messages. */
static const char *
quote(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* The value of key, which must be a string if present; *bad on a wrong type. */
static const char *
get_string(const OSDictionary *d, const char *key, bool *bad)
{
	OSObject *o = OSDictionary_getObject(d, key);
	OSString *s;

	if (o == NULL)
		return NULL;
	s = OSDynamicCast(OSString, o);
	if (s == NULL) {
		*bad = true;
		return NULL;
	}
	return OSString_getCStringNoCopy(s);
}

static void
fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
    __printflike(4, 5);

static void
fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return;
	n = snprintf(err, errlen, "%s: Info.plist: ", path);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

void
kext_bundle_free(struct kext_bundle *b)
{
	if (b == NULL)
		return;
	if (b->kb_libraries != NULL)
		kfree(b->kb_libraries, b->kb_nlibraries * sizeof(b->kb_libraries[0]));
	if (b->kb_info != NULL)
		OSObject_release((OSObject *)b->kb_info);
	kfree(b, sizeof(*b));
}

struct kext_bundle *
kext_bundle_create(const char *path, const void *plist, size_t len, char *err, size_t errlen)
{
	char perr[256], q[80], v[80];
	struct kext_bundle *b;
	OSDictionary *info, *libs;
	OSObject *root, *o;
	const char *s;
	bool bad = false;

	if (err != NULL && errlen != 0)
		err[0] = '\0';
	if (path == NULL || path[0] == '\0')
		path = "(unnamed bundle)";
	root = OSUnserializeXML(plist, len, perr, sizeof perr);
	if (root == NULL) {
		fail(err, errlen, path, "%s", perr);
		return NULL;
	}
	info = OSDynamicCast(OSDictionary, root);
	if (info == NULL) {
		fail(err, errlen, path, "the top-level object is a %s, not a dict",
		    OSObject_getClassName(root));
		OSObject_release(root);
		return NULL;
	}
	b = kalloc(sizeof(*b));
	if (b == NULL) {
		fail(err, errlen, path, "out of memory");
		OSObject_release(root);
		return NULL;
	}
	memset(b, 0, sizeof(*b));
	b->kb_info = info;
	b->kb_compat = -1;
	strlcpy(b->kb_path, path, sizeof b->kb_path);

	b->kb_identifier = get_string(info, "CFBundleIdentifier", &bad);
	if (b->kb_identifier == NULL) {
		fail(err, errlen, path, "CFBundleIdentifier is %s", bad ? "not a string" : "missing");
		goto refuse;
	}
	if (!identifier_ok(b->kb_identifier)) {
		fail(err, errlen, path, "CFBundleIdentifier \"%s\" is not a reverse-DNS name "
		    "of at most %d letters, digits, '.', '-' and '_'",
		    quote(b->kb_identifier, q, sizeof q), IDENTIFIER_MAX);
		goto refuse;
	}
	b->kb_version_str = get_string(info, "CFBundleVersion", &bad);
	if (b->kb_version_str == NULL) {
		fail(err, errlen, path, "CFBundleVersion is %s", bad ? "not a string" : "missing");
		goto refuse;
	}
	b->kb_version = OSKextParseVersionString(b->kb_version_str);
	if (b->kb_version < 0) {
		fail(err, errlen, path, "CFBundleVersion \"%s\" is not a version (1.2.3, "
		    "1.2.3d4, 1.2.3fc1)", quote(b->kb_version_str, q, sizeof q));
		goto refuse;
	}
	s = get_string(info, "OSBundleCompatibleVersion", &bad);
	if (bad) {
		fail(err, errlen, path, "OSBundleCompatibleVersion is not a string");
		goto refuse;
	}
	if (s != NULL) {
		b->kb_compat = OSKextParseVersionString(s);
		if (b->kb_compat < 0) {
			fail(err, errlen, path, "OSBundleCompatibleVersion \"%s\" is not a version",
			    quote(s, q, sizeof q));
			goto refuse;
		}
		if (b->kb_compat > b->kb_version) {
			fail(err, errlen, path, "OSBundleCompatibleVersion %s is newer than "
			    "CFBundleVersion %s", quote(s, q, sizeof q),
			    quote(b->kb_version_str, v, sizeof v));
			goto refuse;
		}
	}
	b->kb_executable = get_string(info, "CFBundleExecutable", &bad);
	if (bad) {
		fail(err, errlen, path, "CFBundleExecutable is not a string");
		goto refuse;
	}
	if (b->kb_executable != NULL && (b->kb_executable[0] == '\0' ||
	    strchr(b->kb_executable, '/') != NULL || strcmp(b->kb_executable, "..") == 0 ||
	    strcmp(b->kb_executable, ".") == 0 || strlen(b->kb_executable) > IDENTIFIER_MAX)) {
		fail(err, errlen, path, "CFBundleExecutable \"%s\" is not a file name",
		    quote(b->kb_executable, q, sizeof q));
		goto refuse;
	}
	s = get_string(info, "OSBundleRequired", &bad);
	if (bad) {
		fail(err, errlen, path, "OSBundleRequired is not a string");
		goto refuse;
	}
	if (s != NULL) {
		size_t i;

		for (i = 0; i < sizeof required_values / sizeof required_values[0]; i++) {
			if (strcmp(s, required_values[i]) == 0)
				break;
		}
		if (i == sizeof required_values / sizeof required_values[0]) {
			fail(err, errlen, path, "OSBundleRequired \"%s\" is not one of Root, "
			    "Local-Root, Network-Root, Console, Safe Boot", quote(s, q, sizeof q));
			goto refuse;
		}
		b->kb_required = true;
	}
	o = OSDictionary_getObject(info, "IOKitPersonalities");
	if (o != NULL) {
		OSDictionary *p = OSDynamicCast(OSDictionary, o);

		if (p == NULL) {
			fail(err, errlen, path, "IOKitPersonalities is not a dict");
			goto refuse;
		}
		for (uint32_t i = 0; i < OSDictionary_getCount(p); i++) {
			if (OSDynamicCast(OSDictionary, OSDictionary_getObjectAtIndex(p, i)) == NULL) {
				fail(err, errlen, path, "IOKitPersonalities: \"%s\" is not a dict",
				    quote(OSString_getCStringNoCopy(OSDictionary_getKeyAtIndex(p, i)),
				    q, sizeof q));
				goto refuse;
			}
		}
	}
	o = OSDictionary_getObject(info, "OSBundleLibraries");
	if (o == NULL) {
		if (b->kb_executable != NULL) {
			fail(err, errlen, path, "OSBundleLibraries is missing: a kext with code "
			    "must name the KPIs it uses (org.machina.kpi.libkern, ...)");
			goto refuse;
		}
		return b;
	}
	libs = OSDynamicCast(OSDictionary, o);
	if (libs == NULL) {
		fail(err, errlen, path, "OSBundleLibraries is not a dict");
		goto refuse;
	}
	b->kb_nlibraries = OSDictionary_getCount(libs);
	if (b->kb_nlibraries > KEXT_BUNDLE_MAX_LIBRARIES) {
		fail(err, errlen, path, "OSBundleLibraries names %u libraries; at most %d",
		    b->kb_nlibraries, KEXT_BUNDLE_MAX_LIBRARIES);
		b->kb_nlibraries = 0;
		goto refuse;
	}
	if (b->kb_nlibraries != 0) {
		b->kb_libraries = kalloc(b->kb_nlibraries * sizeof(b->kb_libraries[0]));
		if (b->kb_libraries == NULL) {
			fail(err, errlen, path, "out of memory");
			b->kb_nlibraries = 0;
			goto refuse;
		}
	}
	for (uint32_t i = 0; i < b->kb_nlibraries; i++) {
		struct kext_library *l = &b->kb_libraries[i];
		const char *id = OSString_getCStringNoCopy(OSDictionary_getKeyAtIndex(libs, i));
		OSString *ver = OSDynamicCast(OSString, OSDictionary_getObjectAtIndex(libs, i));

		l->kl_identifier = id;
		if (!identifier_ok(id)) {
			fail(err, errlen, path, "OSBundleLibraries: \"%s\" is not a bundle identifier",
			    quote(id, q, sizeof q));
			goto refuse;
		}
		if (strcmp(id, b->kb_identifier) == 0) {
			fail(err, errlen, path, "OSBundleLibraries names the kext itself (%s)", id);
			goto refuse;
		}
		if (ver == NULL) {
			fail(err, errlen, path, "OSBundleLibraries: %s's version is not a string", id);
			goto refuse;
		}
		l->kl_version = OSKextParseVersionString(OSString_getCStringNoCopy(ver));
		if (l->kl_version < 0) {
			fail(err, errlen, path, "OSBundleLibraries: %s asks for \"%s\", which is "
			    "not a version", id, quote(OSString_getCStringNoCopy(ver), q, sizeof q));
			goto refuse;
		}
	}
	return b;

refuse:
	kext_bundle_free(b);
	return NULL;
}

bool
kext_bundle_exports(const struct kext_bundle *b, const char *name)
{
	struct elf_rel rel;
	struct elf_symbol sym;

	if (b->kb_exec == NULL ||
	    elf_rel_open(&rel, b->kb_exec, b->kb_exec_len, NULL, 0) != KERN_SUCCESS)
		return false;
	return elf_rel_find_symbol(&rel, name, &sym) && sym.esym_kind == ELF_SYM_DEFINED &&
	    sym.esym_visibility != STV_HIDDEN && sym.esym_visibility != STV_INTERNAL;
}
