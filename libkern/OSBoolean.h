/*
 * OSBoolean.h - true and false: two shared, immortal objects.
 *
 * There are exactly two OSBooleans, kOSBooleanTrue and kOSBooleanFalse,
 * statically allocated; retain and release leave them alone, so code may
 * compare pointers (value == kOSBooleanTrue) and need not balance its
 * references to them, though balancing is harmless. Serialised as <true/>
 * and <false/>.
 */

#ifndef LIBKERN_OSBOOLEAN_H
#define LIBKERN_OSBOOLEAN_H

#include <stdbool.h>

#include "libkern/OSObject.h"

struct OSBoolean {
	OSObject	bool_os;
	bool		bool_value;	/* [I] */
};
OSDeclareDefaultStructors(OSBoolean);

extern OSBoolean *const kOSBooleanTrue;
extern OSBoolean *const kOSBooleanFalse;

/* OSBoolean_withBoolean: kOSBooleanTrue or kOSBooleanFalse. */
OSBoolean	*OSBoolean_withBoolean(bool value);
bool		OSBoolean_isTrue(const OSBoolean *b);
bool		OSBoolean_isFalse(const OSBoolean *b);
bool		OSBoolean_getValue(const OSBoolean *b);

#endif /* LIBKERN_OSBOOLEAN_H */
