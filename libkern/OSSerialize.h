/*
 * OSSerialize.h - writes objects as an XML property list, the format
 * OSUnserializeXML reads and Apple's tools and Python's plistlib write.
 *
 *	OSSerialize *s = OSSerialize_withCapacity(4096);
 *
 *	if (s != NULL && OSObject_serialize(OSOBJ(dict), s))
 *		use OSSerialize_text(s): "<?xml ...?>\n<!DOCTYPE ...>\n<plist ...
 *	OSSafeReleaseNULL(s);
 *
 * OSObject_serialize on an empty OSSerialize writes a whole document: the
 * XML declaration, the DOCTYPE, <plist version="1.0">, the object, and
 * </plist>. Each class writes itself through its serialize method, which
 * calls the helpers below; a class without one (OSCollectionIterator,
 * OSSerialize, a kext's class that sets none) cannot be serialised, and
 * neither can a nest of objects deeper than OSSERIALIZE_MAX_DEPTH (which
 * is also what stops a collection that contains itself).
 *
 * What each class writes: OSString, OSSymbol: <string>, with &, <, > as
 * entities and control characters other than tab and newline as &#xN;
 * (plistlib refuses those as it refuses to write them); OSNumber:
 * <integer> in decimal (64-bit values signed); OSBoolean: <true/> or
 * <false/>; OSData: <data> in base64 on one line; OSArray and OSSet:
 * <array>; OSDictionary: <dict> with each <key> before its value. One
 * element per line, indented by tabs, as plistlib writes them. No ID or
 * IDREF is written: an object reached twice is written twice.
 *
 * A failed serialisation leaves partial text; OSSerialize_clearText
 * empties the buffer for another try.
 *
 * Locks: none; an OSSerialize belongs to whoever is writing into it.
 */

#ifndef LIBKERN_OSSERIALIZE_H
#define LIBKERN_OSSERIALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libkern/OSObject.h"

#define OSSERIALIZE_MAX_DEPTH	128		/* objects nested in objects */
#define OSSERIALIZE_MAX_LENGTH	(64u << 20)	/* bytes of text */

struct OSSerialize {
	OSObject	ser_os;
	char		*ser_text;	/* ser_capacity bytes; NUL-terminated */
	uint32_t	ser_length;	/* not counting the NUL */
	uint32_t	ser_capacity;
	uint32_t	ser_depth;	/* objects being written */
	uint32_t	ser_indent;	/* containers open */
};
OSDeclareDefaultStructors(OSSerialize);

/* A new, empty serializer; NULL if out of memory. */
OSSerialize	*OSSerialize_withCapacity(uint32_t capacity);

/* The text so far, NUL-terminated ("" when empty); good until the next add. */
const char	*OSSerialize_text(const OSSerialize *s);
uint32_t	OSSerialize_getLength(const OSSerialize *s);
void		OSSerialize_clearText(OSSerialize *s);

/* --- for classes' serialize methods --------------------------------------- */

/* Write obj, nested, through its class's serialize method. */
bool		OSSerialize_addObject(OSSerialize *s, const OSObject *obj);
/* Raw text, as it is. */
bool		OSSerialize_addString(OSSerialize *s, const char *text);
bool		OSSerialize_addBytes(OSSerialize *s, const char *bytes, size_t len);
/* A whole element on a line of its own ("<true/>"), indented. */
bool		OSSerialize_addElement(OSSerialize *s, const char *element);
/* <tag>bytes, escaped</tag> on a line of its own. */
bool		OSSerialize_addLeaf(OSSerialize *s, const char *tag, const char *bytes,
		    size_t len);
/* <data>base64 of bytes</data> on a line of its own. */
bool		OSSerialize_addBase64(OSSerialize *s, const void *bytes, size_t len);
/* <tag> and </tag> around a container's members. */
bool		OSSerialize_beginContainer(OSSerialize *s, const char *tag);
bool		OSSerialize_endContainer(OSSerialize *s, const char *tag);

#endif /* LIBKERN_OSSERIALIZE_H */
