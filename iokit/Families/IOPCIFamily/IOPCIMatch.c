/*
 * IOPCIMatch.c - parsing and comparing the PCI family's match strings
 * (IOPCIMatch.h). No library calls: the file compiles unchanged for the
 * kernel and for the host.
 */

#include "iokit/Families/IOPCIFamily/IOPCIMatch.h"

#include <stdbool.h>
#include <stddef.h>

#define MAX_DIGITS	8

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * parse_hex: one number at *p ("0x" optional, 1 to 8 digits), *p moved past
 * it. NULL on success, else why it is not one.
 */
static const char *
parse_hex(const char **p, uint32_t *value)
{
	const char *s = *p;
	unsigned digits = 0;
	uint32_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; hex_digit(*s) >= 0; s++) {
		if (++digits > MAX_DIGITS)
			return "a number has more than 8 hexadecimal digits";
		v = (v << 4) | (uint32_t)hex_digit(*s);
	}
	if (digits == 0)
		return "a word is not a hexadecimal number";
	*p = s;
	*value = v;
	return NULL;
}

/* parse_word: "value[&mask]" at *p, ending at a blank or the end. */
static const char *
parse_word(const char **p, uint32_t *value, uint32_t *mask)
{
	const char *why;

	*mask = 0xffffffffu;
	if ((why = parse_hex(p, value)) != NULL)
		return why;
	if (**p == '&') {
		(*p)++;
		if ((why = parse_hex(p, mask)) != NULL)
			return why;
	}
	if (**p != '\0' && !is_blank(**p))
		return "a word has text after its number (only \"value&mask\" is allowed)";
	return NULL;
}

int
IOPCIMatchString(const char *s, const uint32_t *values, unsigned count,
    const char **why, unsigned *at)
{
	const char *p = s, *problem = NULL;
	bool matched = false, any = false;
	uint32_t value, mask;

	if (s == NULL) {
		problem = "the match string is missing";
		goto malformed;
	}
	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if ((problem = parse_word(&p, &value, &mask)) != NULL)
			goto malformed;
		any = true;
		for (unsigned i = 0; i < count; i++) {
			if ((values[i] & mask) == (value & mask))
				matched = true;
		}
	}
	if (!any) {
		problem = "the match string has no words";
		goto malformed;
	}
	return matched ? kIOPCIMatchYes : kIOPCIMatchNo;
malformed:
	if (why != NULL)
		*why = problem;
	if (at != NULL)
		*at = s != NULL ? (unsigned)(p - s) : 0;
	return kIOPCIMatchMalformed;
}
