/*
 * OSUnserializeXML.h - reads an XML property list (Apple's format, as
 * Apple's tools, OSSerialize and Python's plistlib write it) into libkern
 * objects: a kext's Info.plist, IOKit personalities, properties.
 *
 *	char err[160];
 *	OSObject *o = OSUnserializeXML(text, len, err, sizeof(err));
 *	OSDictionary *d = OSDynamicCast(OSDictionary, o);
 *
 *	if (o == NULL)
 *		refuse, saying err: "line 12: <integer> \"12x\" is not a number"
 *
 * What is accepted (docs/libkern.md has the whole list, with every message):
 *   - an XML declaration, a DOCTYPE, comments and processing instructions
 *     around the root; <plist version="1.0"> holding one object, or that
 *     object alone as the root;
 *   - <dict> (each <key> followed by its value; keys become OSSymbols, a
 *     key twice in one dict is refused), <array>, <string> (OSString),
 *     <integer> (decimal, negative, or 0x hex: a 64-bit OSNumber holding
 *     the two's complement; -2^63 .. 2^64-1), <true/> and <false/>
 *     (kOSBooleanTrue, kOSBooleanFalse), <data> (base64, whitespace
 *     allowed: OSData), and the empty forms <string/>, <dict/>, <array/>;
 *   - <real> and <date> become an OSString holding their text, checked:
 *     the kernel has no floating point and no calendar type, and a text
 *     keeps the value exactly (a float would round it); they serialise
 *     back as <string>;
 *   - the entities &lt; &gt; &amp; &quot; &apos;, character references
 *     &#NN; and &#xNN; (written in UTF-8; NUL is refused), CDATA sections;
 *   - Apple's ID="n" on any value and IDREF="n" on an empty element, for
 *     an object that appears more than once (the same object, retained).
 *
 * Limits, so that hostile text cannot exhaust the kernel: OSUNSERIALIZE_MAX_DEPTH
 * containers open at once (the parser keeps its own stack and never
 * recurses), OSUNSERIALIZE_MAX_LENGTH bytes of text. One NUL at the very
 * end of buf is allowed (a C string with its terminator); any other NUL
 * byte is refused.
 *
 * Returns the root object (one reference, the caller's), or NULL with the
 * reason in err (if err is not NULL and errlen > 0), beginning with the
 * line it was found on. Nothing is kept on failure.
 *
 * Locks: none of its own; it takes the symbol table's and allocates.
 */

#ifndef LIBKERN_OSUNSERIALIZEXML_H
#define LIBKERN_OSUNSERIALIZEXML_H

#include <stddef.h>

#include "libkern/OSObject.h"

#define OSUNSERIALIZE_MAX_DEPTH		64		/* containers open at once */
#define OSUNSERIALIZE_MAX_LENGTH	(16u << 20)	/* bytes of text */

OSObject	*OSUnserializeXML(const char *buf, size_t len, char *err, size_t errlen);

#endif /* LIBKERN_OSUNSERIALIZEXML_H */
