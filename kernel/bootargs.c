/*
 * bootargs.c - tokenizing, looking up and checking the boot-args line.
 */

#include "kernel/bootargs.h"

#include "libkern/ctype.h"
#include "libkern/printf.h"
#include "libkern/string.h"

bool
bootargs_next(const char **cursor, struct bootarg_token *tok)
{
	const char *p = *cursor, *start;
	bool quoted = false;

	while (isspace(*p))
		p++;
	if (*p == '\0') {
		*cursor = p;
		return false;
	}
	*tok = (struct bootarg_token){ .bt_name = p };

	/* The token ends at whitespace outside quotes, or at the end. */
	for (start = p; *p != '\0' && (quoted || !isspace(*p)); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '=' && !quoted && tok->bt_value == NULL) {
			tok->bt_namelen = (size_t)(p - start);
			tok->bt_value = p + 1;
		}
	}
	tok->bt_unterminated = quoted;
	*cursor = p;

	if (tok->bt_value == NULL) {
		tok->bt_namelen = (size_t)(p - start);
		return true;
	}
	tok->bt_valuelen = (size_t)(p - tok->bt_value);
	if (tok->bt_valuelen > 0 && tok->bt_value[0] == '"') {
		/* Strip the quotes: everything up to the closing one. */
		const char *close = memchr(tok->bt_value + 1, '"', tok->bt_valuelen - 1);

		tok->bt_value++;
		tok->bt_valuelen = close != NULL ? (size_t)(close - tok->bt_value)
						 : tok->bt_valuelen - 1;
	}
	return true;
}

bool
bootargs_parse_number(const char *s, size_t len, uint64_t *magnitude, bool *negative)
{
	uint64_t v = 0, base = 10, digit;
	size_t i = 0, ndigits = 0;

	*negative = false;
	if (i < len && s[i] == '-') {
		*negative = true;
		i++;
	}
	if (len - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	for (; i < len; i++, ndigits++) {
		char c = s[i];

		if (isdigit(c))
			digit = (uint64_t)(c - '0');
		else if (base == 16 && isxdigit(c))
			digit = (uint64_t)(tolower(c) - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - digit) / base)
			return false;	/* overflow */
		v = v * base + digit;
	}
	if (ndigits == 0)
		return false;
	*magnitude = v;
	return true;
}

/* Does the number fit a max_len-byte integer, signed or unsigned? */
static bool
number_fits(uint64_t magnitude, bool negative, int max_len)
{
	unsigned bits = (unsigned)max_len * 8;

	if (bits >= 64)
		return !negative || magnitude <= (1ULL << 63);
	if (negative)
		return magnitude <= (1ULL << (bits - 1));
	return magnitude < (1ULL << bits);
}

static void
store_integer(void *ptr, int max_len, uint64_t v)
{
	switch (max_len) {
	case 1: *(uint8_t *)ptr = (uint8_t)v; break;
	case 2: *(uint16_t *)ptr = (uint16_t)v; break;
	case 4: *(uint32_t *)ptr = (uint32_t)v; break;
	case 8: *(uint64_t *)ptr = v; break;
	default: break;
	}
}

static bool
is_integer_size(int max_len)
{
	return max_len == 1 || max_len == 2 || max_len == 4 || max_len == 8;
}

static bool
token_is(const struct bootarg_token *tok, const char *name)
{
	size_t n = strlen(name);

	return tok->bt_namelen == n && memcmp(tok->bt_name, name, n) == 0;
}

/* Shaped like a number (digits only), whether or not it fits in 64 bits. */
static bool
looks_numeric(const char *s, size_t len)
{
	size_t i = 0;
	bool hex = false;

	if (i < len && s[i] == '-')
		i++;
	if (len - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		hex = true;
		i += 2;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		if (!(hex ? isxdigit(s[i]) : isdigit(s[i])))
			return false;
	}
	return true;
}

bool
bootargs_find(const char *cmdline, const char *name, void *ptr, int max_len,
    bool force_string)
{
	struct bootarg_token tok;
	uint64_t v;
	bool neg;

	if (cmdline == NULL || name == NULL || ptr == NULL || max_len <= 0)
		return false;
	while (bootargs_next(&cmdline, &tok)) {
		if (!token_is(&tok, name))
			continue;
		if (tok.bt_value == NULL) {
			/* Present without a value: 1, or "" in a string buffer. */
			if (is_integer_size(max_len) && !force_string)
				store_integer(ptr, max_len, 1);
			else
				((char *)ptr)[0] = '\0';
			return true;
		}
		if (!force_string &&
		    bootargs_parse_number(tok.bt_value, tok.bt_valuelen, &v, &neg)) {
			if (!number_fits(v, neg, max_len) || !is_integer_size(max_len))
				return false;
			store_integer(ptr, max_len, neg ? (uint64_t)0 - v : v);
			return true;
		}
		/* A number too big for 64 bits: out of range, not text. */
		if (!force_string && looks_numeric(tok.bt_value, tok.bt_valuelen))
			return false;
		{
			size_t n = MIN(tok.bt_valuelen, (size_t)max_len - 1);

			memcpy(ptr, tok.bt_value, n);
			((char *)ptr)[n] = '\0';
		}
		return true;
	}
	return false;
}

static const struct boot_arg_desc *
desc_lookup(const struct bootarg_token *tok, const struct boot_arg_desc *descs,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (token_is(tok, descs[i].bad_name))
			return &descs[i];
	}
	return NULL;
}

/* Was a token of this name already seen before cursor `upto`? */
static bool
seen_before(const char *cmdline, const char *upto, const struct bootarg_token *tok)
{
	struct bootarg_token t;

	while (cmdline < upto && bootargs_next(&cmdline, &t)) {
		if (t.bt_name >= tok->bt_name)
			break;
		if (t.bt_namelen == tok->bt_namelen &&
		    memcmp(t.bt_name, tok->bt_name, t.bt_namelen) == 0)
			return true;
	}
	return false;
}


/* The problem with tok's value for desc, or NULL. */
static const char *
value_problem(const struct bootarg_token *tok, const struct boot_arg_desc *d)
{
	uint64_t v;
	bool neg;

	switch (d->bad_kind) {
	case BOOT_ARG_FLAG:
		return tok->bt_value != NULL ? "takes no value (ignored)" : NULL;
	case BOOT_ARG_NUMBER:
		if (tok->bt_value == NULL)
			return "needs a numeric value (name=N)";
		if (!bootargs_parse_number(tok->bt_value, tok->bt_valuelen, &v, &neg))
			return looks_numeric(tok->bt_value, tok->bt_valuelen)
			    ? "is out of range; ignored"
			    : "is not a number (decimal or 0x hex); ignored";
		if (!number_fits(v, neg, d->bad_max != 0 ? (int)d->bad_max : 4))
			return "is out of range; ignored";
		return NULL;
	case BOOT_ARG_STRING:
		if (tok->bt_value == NULL)
			return "needs a value (name=text)";
		if (d->bad_max > 0 && tok->bt_valuelen > d->bad_max)
			return "is too long; truncated";
		return NULL;
	default:
		return NULL;
	}
}

unsigned
bootargs_check(const char *cmdline, const struct boot_arg_desc *descs, size_t ndescs,
    bootargs_report_t report, void *ctx)
{
	const char *cursor = cmdline;
	struct bootarg_token tok;
	unsigned problems = 0;
	char msg[160];

	if (cmdline == NULL)
		return 0;
	while (bootargs_next(&cursor, &tok)) {
		const struct boot_arg_desc *d = desc_lookup(&tok, descs, ndescs);
		int namelen = (int)MIN(tok.bt_namelen, 48);
		const char *more = tok.bt_namelen > 48 ? "..." : "";
		const char *why;

		if (tok.bt_unterminated) {
			snprintf(msg, sizeof(msg), "'%.*s%s': unterminated quote; value taken "
			    "to the end of the line", namelen, tok.bt_name, more);
			report(ctx, msg);
			problems++;
		}
		if (d == NULL) {
			snprintf(msg, sizeof(msg), "'%.*s%s': unknown boot-arg; ignored",
			    namelen, tok.bt_name, more);
			report(ctx, msg);
			problems++;
			continue;
		}
		if (seen_before(cmdline, cursor, &tok)) {
			snprintf(msg, sizeof(msg), "'%.*s%s': given more than once; the first "
			    "one counts", namelen, tok.bt_name, more);
			report(ctx, msg);
			problems++;
			continue;
		}
		why = value_problem(&tok, d);
		if (why != NULL) {
			snprintf(msg, sizeof(msg), "'%.*s%s' %s", namelen, tok.bt_name, more, why);
			report(ctx, msg);
			problems++;
		}
	}
	return problems;
}
