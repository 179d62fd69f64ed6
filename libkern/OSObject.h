/*
 * OSObject.h - the root of libkern's classes: an object is its class and a
 * reference count, followed by its subclasses' fields.
 *
 * Reference counting (Apple's rules):
 *   - an object is created with one reference, owned by its creator
 *     (OSTypeAlloc, Class_withSomething: "create" hands over a reference);
 *   - OSObject_retain adds one, OSObject_release drops one; the release
 *     that drops the last runs the class's free methods, subclass first,
 *     gives the memory back (kfree) and lowers the class's instance count;
 *   - a get (OSArray_getObject, OSDictionary_getObject) lends a
 *     reference: the caller retains it to keep it past the container's
 *     next change; a container retains what it is given and releases it
 *     when it lets go.
 *
 * A release of an object whose count is already zero (or that is not an
 * object at all) is a kernel bug and panics, naming the class. Objects
 * allocated statically by libkern (kOSBooleanTrue, kOSBooleanFalse) are
 * immortal: retain and release leave them as they are.
 *
 * Locks: none; the count is atomic. Objects are not locked (XNU's are not
 * either): whoever shares a mutable object serialises its changes.
 */

#ifndef LIBKERN_OSOBJECT_H
#define LIBKERN_OSOBJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "libkern/OSMetaClass.h"

struct OSObject {
	const OSMetaClass	*meta;		/* [I] the object's class */
	volatile int32_t	retainCount;	/* [a] references */
};

/* The retain count of immortal (statically allocated) objects. */
#define OSOBJECT_IMMORTAL	0x7fffffff

extern OSMetaClass OSObject_metaClass;

/*
 * OSObject_alloc: a new zero-filled object of class meta, with one
 * reference; NULL if out of memory. The class's own init fills it.
 */
OSObject	*OSObject_alloc(const OSMetaClass *meta);

void		OSObject_retain(const OSObject *obj);
void		OSObject_release(const OSObject *obj);
int32_t		OSObject_getRetainCount(const OSObject *obj);

/* OSObject_isEqualTo: through the class's isEqualTo; pointer equality at the root. */
bool		OSObject_isEqualTo(const OSObject *obj, const OSObject *other);

/*
 * OSObject_serialize: append obj to s as an XML property list (the whole
 * document when s is empty: libkern/OSSerialize.h). False if obj's class
 * cannot be serialised or memory ran out.
 */
bool		OSObject_serialize(const OSObject *obj, OSSerialize *s);

const char	*OSObject_getClassName(const OSObject *obj);

/* Release and clear a pointer to an object, if it is not NULL. */
#define OSSafeReleaseNULL(ptr)						\
	do {								\
		if ((ptr) != NULL) {					\
			OSObject_release((const OSObject *)(ptr));	\
			(ptr) = NULL;					\
		}							\
	} while (0)

/* Casts between an object of any class and its root. */
#define OSOBJ(obj)	((OSObject *)(obj))
#define OSCOBJ(obj)	((const OSObject *)(obj))

#endif /* LIBKERN_OSOBJECT_H */
