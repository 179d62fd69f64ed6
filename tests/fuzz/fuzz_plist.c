/*
 * fuzz_plist.c - libFuzzer target for the XML property-list parser.
 *
 * Each input is parsed. A refusal must come with a line-numbered message.
 * An accepted list is serialised, the text parsed again, and the two
 * object graphs must be equal (isEqualTo). Everything is then released,
 * and the stand-in kalloc must have nothing outstanding and the symbol
 * table no symbol: a leak on any path is a crash here (LeakSanitizer is on
 * as well, for memory that does not come from kalloc).
 *
 * The one accepted input allowed not to serialise is one whose IDREFs
 * share objects so often that its text would pass OSSERIALIZE_MAX_LENGTH.
 */

#define _GNU_SOURCE	/* memmem */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_harness.h"
#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/shim.h"

#include "libkern/OSSerialize.h"
#include "libkern/OSSymbol.h"
#include "libkern/OSUnserializeXML.h"


static void __attribute__((noreturn))
fail(const char *what, const char *detail)
{
	fuzz_fail("fuzz_plist", what, detail);
}

static void
round_trip(const OSObject *obj, const uint8_t *data, size_t size)
{
	OSSerialize *s = OSSerialize_withCapacity(256);
	OSObject *again;
	char err[256];

	if (s == NULL)
		fail("OSSerialize_withCapacity failed", NULL);
	if (!OSObject_serialize(obj, s)) {
		if (memmem(data, size, "IDREF", 5) == NULL)
			fail("an accepted list does not serialise", NULL);
		OSObject_release(OSOBJ(s));
		return;
	}
	again = OSUnserializeXML(OSSerialize_text(s), OSSerialize_getLength(s), err,
	    sizeof(err));
	if (again == NULL)
		fail("the serialised text does not parse", err);
	if (!OSObject_isEqualTo(obj, again) || !OSObject_isEqualTo(again, obj))
		fail("the list is not equal to itself serialised and parsed again",
		    OSSerialize_text(s));
	OSObject_release(again);
	OSObject_release(OSOBJ(s));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char err[256];
	OSObject *obj;

	if (!ready) {
		OSMetaClass_init();
		ready = true;
	}
	obj = OSUnserializeXML((const char *)data, size, err, sizeof(err));
	if (obj == NULL) {
		if (strncmp(err, "line ", 5) != 0)
			fail("a refusal without a line number", err);
	} else {
		round_trip(obj, data, size);
		OSObject_release(obj);
	}
	if (shim_kalloc_outstanding() != 0)
		fail("kalloc'd memory left over", NULL);
	if (OSSymbol_tableCount() != 0)
		fail("symbols left in the table", NULL);
	return 0;
}
