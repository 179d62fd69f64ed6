/*
 * OSKextBundle.h - a kext bundle as its Info.plist describes it, checked.
 *
 * kext_bundle_create parses a bundle's Info.plist and checks every key the
 * kernel uses (DESIGN.md section 6, docs/kexts.md):
 *
 *	CFBundleIdentifier	a reverse-DNS name, at most 63 bytes
 *	CFBundleVersion		a version (libkern/OSKextVersion.h)
 *	OSBundleCompatibleVersion  a version no newer than CFBundleVersion;
 *				present only in libraries (kexts others link against)
 *	CFBundleExecutable	the file in Contents/MacOS; absent: codeless
 *	OSBundleLibraries	identifier -> the oldest version that will do;
 *				required unless the kext is codeless
 *	OSBundleRequired	Root, Local-Root, Network-Root, Console or
 *				Safe Boot: load at boot
 *	IOKitPersonalities	a dict of dicts (kept for IOKit's matching)
 *
 * A bundle that breaks a rule is refused with one message that names the
 * bundle's path and the problem ("/S/L/E/Foo.kext: Info.plist line 12:
 * ..." for a plist that does not parse). Nothing is kept on failure.
 *
 * The bundle keeps the parsed dictionary (kb_info, one reference) and
 * points into it; kb_exec and kb_exec_len are filled in by the caller, who
 * owns that memory. Not locked: a bundle belongs to whoever created it.
 */

#ifndef LIBKERN_OSKEXTBUNDLE_H
#define LIBKERN_OSKEXTBUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libkern/OSKextVersion.h"

#define KEXT_BUNDLE_ERRLEN	512
#define KEXT_BUNDLE_MAX_LIBRARIES 64

struct OSDictionary;

struct kext_library {
	const char	*kl_identifier;
	OSKextVersion	kl_version;		/* the oldest that will do */
};

struct kext_bundle {
	char		kb_path[256];
	const char	*kb_identifier;
	const char	*kb_version_str;
	OSKextVersion	kb_version;
	OSKextVersion	kb_compat;		/* -1: not a library */
	const char	*kb_executable;		/* NULL: codeless */
	struct kext_library *kb_libraries;
	uint32_t	kb_nlibraries;
	bool		kb_required;		/* OSBundleRequired: load at boot */
	struct OSDictionary *kb_info;		/* the whole Info.plist */
	const void	*kb_exec;		/* the executable's bytes (the caller's) */
	size_t		kb_exec_len;
};

/* kext_bundle_create: parse and check; NULL with the reason in err. */
struct kext_bundle *kext_bundle_create(const char *path, const void *plist, size_t len,
		    char *err, size_t errlen);
void		kext_bundle_free(struct kext_bundle *b);

/* kext_bundle_exports: the bundle's executable defines a global named name. */
bool		kext_bundle_exports(const struct kext_bundle *b, const char *name);

#endif /* LIBKERN_OSKEXTBUNDLE_H */
