/*
 * OSKextVersion.h - kext version strings as numbers that compare in order
 * (XNU's OSKextParseVersionString).
 *
 * A bundle's CFBundleVersion and OSBundleCompatibleVersion, and the
 * minimum versions in its OSBundleLibraries, are strings of the form
 *
 *	MAJOR[.MINOR[.REVISION]][STAGE[LEVEL]]
 *
 * MAJOR is 1-4 digits, MINOR and REVISION 1-2 digits each (missing ones
 * are 0); STAGE is d (development), a (alpha), b (beta) or fc (final
 * candidate), with a LEVEL of 1-3 digits up to 255; no stage means a
 * release. "1.2.3" > "1.2.3fc1" > "1.2.3b9" > "1.2.3a2" > "1.2.3d40" >
 * "1.2.2". Leading zeros are allowed, spaces and anything else are not.
 *
 * An OSKextVersion is the string as one number, ordered as the versions
 * are: compare two with < and ==. -1 means "not a version".
 */

#ifndef LIBKERN_OSKEXTVERSION_H
#define LIBKERN_OSKEXTVERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t OSKextVersion;

#define kOSKextVersionMaxLength	20	/* "9999.99.99fc255" and a NUL, rounded up */

/* OSKextParseVersionString: the version, or -1 if s is not one. */
OSKextVersion	OSKextParseVersionString(const char *s);

/*
 * OSKextVersionGetString: write the canonical form of v ("1.2.3",
 * "1.0.0d4"; MINOR and REVISION always shown) to buf; false if v is not a
 * version or buf is shorter than its text.
 */
bool		OSKextVersionGetString(OSKextVersion v, char *buf, size_t len);

#endif /* LIBKERN_OSKEXTVERSION_H */
