/*
 * fuzz_bootargs.c - libFuzzer target for the boot-args line: the tokenizer
 * and lookups of kernel/bootargs.c as the kernel reaches them, through
 * kernel/pexpert.c (PE_parse_boot_argn, PE_parse_boot_arg_str,
 * PE_parse_boot_arg, PE_boot_args_check over a BOOT_ARG table).
 *
 * Each input is a boot-args line. It is put into a struct boot_args the way
 * kernel/x86_64/boot_info.c does (cut at its first NUL and at
 * BOOT_LINE_LENGTH - 1 bytes, BOOT_ARGS_CMDLINE_TRUNCATED then set), handed
 * to PE_init_platform, and every name on the line, the kernel's own names
 * and a few that are not there (one longer than any buffer) are asked for
 * as integers of 1, 2, 4 and 8 bytes and of odd sizes, as strings in
 * buffers of 0, 1, 2, 5, 64 and BOOT_LINE_LENGTH bytes, and in the old int
 * form.
 *
 * What must hold, or the target aborts:
 *   - nothing reads or writes outside the line or a buffer (ASan: every
 *     buffer is a heap block of exactly the size the call is told), or
 *     overflows where C says it must not (UBSan);
 *   - a lookup that says no leaves its buffer as it was;
 *   - a string comes back NUL-terminated inside its buffer, and is a prefix
 *     of what the line holds;
 *   - a name found as a string is found by every other form that can hold
 *     its value, and a name not found as a string is found by none;
 *   - the old int form gives 1 for a flag and the number for a number that
 *     fits, and refuses (writing nothing) anything else: text never lands
 *     in an int;
 *   - PE_boot_args_check counts what bootargs_check reports (plus a cut
 *     line), and prints when it counts a problem.
 *
 * The table: the kernel's BOOT_ARGs live in a linker section the host has
 * no symbols for; this file declares the same names in its own section,
 * fuzz_bootargs, and tests/fuzz/files.mk points __bootargs_start and
 * __bootargs_end at the linker's __start_/__stop_ symbols for it.
 */

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/fuzz/fuzz_harness.h"
#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/shim.h"

#include "kernel/machine_routines.h"
#include "kernel/pexpert.h"


/* The kernel's boot-args (kernel/debug.c, startup.c, mp.c, ...), and one of each kind more. */
#define FUZZ_BOOT_ARG(ident, name, kind, max)				\
	static const struct boot_arg_desc fuzz_desc_##ident = {		\
		(name), (kind), (max), "fuzz" };			\
	static const struct boot_arg_desc *const fuzz_bootarg_##ident	\
	    __attribute__((section("fuzz_bootargs"), used)) = &fuzz_desc_##ident

FUZZ_BOOT_ARG(debug, "debug", BOOT_ARG_NUMBER, 4);
FUZZ_BOOT_ARG(verbose, "-v", BOOT_ARG_FLAG, 0);
FUZZ_BOOT_ARG(tests, "tests", BOOT_ARG_STRING, 255);
FUZZ_BOOT_ARG(bench, "bench", BOOT_ARG_STRING, 255);
FUZZ_BOOT_ARG(cpus, "cpus", BOOT_ARG_NUMBER, 4);
FUZZ_BOOT_ARG(ioapic, "ioapic", BOOT_ARG_NUMBER, 4);
FUZZ_BOOT_ARG(kext, "kext", BOOT_ARG_STRING, 511);
FUZZ_BOOT_ARG(init, "init", BOOT_ARG_STRING, 255);
FUZZ_BOOT_ARG(byte, "byte", BOOT_ARG_NUMBER, 1);
FUZZ_BOOT_ARG(wide, "wide", BOOT_ARG_NUMBER, 8);
FUZZ_BOOT_ARG(dflt, "dflt", BOOT_ARG_NUMBER, 0);
FUZZ_BOOT_ARG(short_str, "s", BOOT_ARG_STRING, 1);
FUZZ_BOOT_ARG(nolimit, "nolimit", BOOT_ARG_STRING, 0);
FUZZ_BOOT_ARG(flag, "-s", BOOT_ARG_FLAG, 0);

static const char *const fixed_names[] = {
	"debug", "-v", "tests", "cpus", "kext", "byte", "wide", "s", "",
	("a_name_longer_than_every_buffer_it_is_looked_up_with_because_it_goes_"
	"on_and_on_well_past_sixty_four_bytes"),
};

static const int int_sizes[] = { 1, 2, 4, 8, 3, 16 };
static const int str_sizes[] = { 1, 2, 5, 64, BOOT_LINE_LENGTH };

#define MAX_LINE_NAMES	12	/* each name costs some 20 walks of the line */
#define FILL		0xa5

void
machine_poweroff(void)
{
	abort();
}

void
machine_reboot(void)
{
	abort();
}

static void
fail(const char *what, const char *name)
{
	fprintf(stderr, "fuzz_bootargs: %s (name \"%s\", line \"%s\")\n", what,
	    name != NULL ? name : "", PE_boot_args());
	abort();
}

static bool
all_fill(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != FILL)
			return false;
	}
	return true;
}

/* A heap block of exactly n bytes (one, untouched, for n == 0), filled. */
static uint8_t *
buffer(size_t n)
{
	uint8_t *p = malloc(n > 0 ? n : 1);

	if (p == NULL)
		abort();
	memset(p, FILL, n > 0 ? n : 1);
	return p;
}

/*
 * What PE_parse_boot_arg must give, worked out from the first token named
 * name: 1 for a flag or bare name, the value if it is a number that fits an
 * int (signed or unsigned 32 bits), else nothing (false).
 */
static bool
int_form(const char *name, int *out)
{
	const char *cursor = PE_boot_args();
	struct bootarg_token tok;
	uint64_t magnitude;
	bool negative;

	while (bootargs_next(&cursor, &tok)) {
		if (tok.bt_namelen != strlen(name) || memcmp(tok.bt_name, name, tok.bt_namelen) != 0)
			continue;
		if (tok.bt_value == NULL) {
			*out = 1;
			return true;
		}
		if (!bootargs_parse_number(tok.bt_value, tok.bt_valuelen, &magnitude, &negative))
			return false;
		if (negative ? magnitude > (1ULL << 31) : magnitude > UINT32_MAX)
			return false;
		*out = (int)(uint32_t)(negative ? 0 - magnitude : magnitude);
		return true;
	}
	return false;
}

/* Every way of asking for name; returns whether it is on the line. */
static bool
ask(const char *name)
{
	char *text = (char *)buffer(BOOT_LINE_LENGTH);
	bool found = PE_parse_boot_arg_str(name, text, BOOT_LINE_LENGTH);
	size_t textlen = 0;

	if (found) {
		textlen = strnlen(text, BOOT_LINE_LENGTH);
		if (textlen == BOOT_LINE_LENGTH)
			fail("a string without its NUL", name);
		if (textlen > 0 && strstr(PE_boot_args(), text) == NULL)
			fail("a value that is not on the line", name);
	} else if (!all_fill((uint8_t *)text, BOOT_LINE_LENGTH)) {
		fail("a string lookup that fails but writes", name);
	}

	for (size_t i = 0; i < sizeof(str_sizes) / sizeof(str_sizes[0]); i++) {
		int n = str_sizes[i];
		char *s = (char *)buffer((size_t)n);

		if (PE_parse_boot_arg_str(name, s, n) != found)
			fail("a string lookup depends on the buffer's size", name);
		if (found) {
			size_t len = strnlen(s, (size_t)n);

			if (len == (size_t)n)
				fail("a short string without its NUL", name);
			if (len != (textlen < (size_t)n - 1 ? textlen : (size_t)n - 1) ||
			    memcmp(s, text, len) != 0)
				fail("a short string is not the long one cut", name);
		} else if (!all_fill((uint8_t *)s, (size_t)n)) {
			fail("a string lookup that fails but writes", name);
		}
		free(s);

		/* The same size through the n form: text, or an integer. */
		s = (char *)buffer((size_t)n);
		if (PE_parse_boot_argn(name, s, n)) {
			if (!found)
				fail("argn finds a name the string form does not", name);
		} else if (!all_fill((uint8_t *)s, (size_t)n)) {
			fail("argn fails but writes", name);
		}
		free(s);
	}

	for (size_t i = 0; i < sizeof(int_sizes) / sizeof(int_sizes[0]); i++) {
		int n = int_sizes[i];
		uint8_t *v = buffer((size_t)n);

		if (PE_parse_boot_argn(name, v, n)) {
			if (!found)
				fail("argn finds a name the string form does not", name);
		} else if (!all_fill(v, (size_t)n)) {
			fail("argn fails but writes", name);
		}
		free(v);
	}

	/* Sizes 0 and below: nothing found, nothing written. */
	{
		uint8_t *z = buffer(0);

		if (PE_parse_boot_argn(name, z, 0) || PE_parse_boot_arg_str(name,
		    (char *)z, 0) || PE_parse_boot_argn(name, z, -1) || z[0] != FILL)
			fail("a lookup with no room", name);
		free(z);
	}

	{
		int *old = (int *)buffer(sizeof(int));
		int want;
		bool ok = int_form(name, &want);

		if (PE_parse_boot_arg(name, old)) {
			if (!ok)
				fail("the int form takes a value that is no int", name);
			if (*old != want)
				fail("the int form stores another value", name);
		} else if (ok) {
			fail("the int form refuses an int", name);
		} else if (!all_fill((uint8_t *)old, sizeof(int))) {
			fail("the int form fails but writes", name);
		}
		free(old);
	}
	free(text);
	return found;
}

static void
count_report(void *ctx, const char *msg)
{
	if (msg == NULL || msg[0] == '\0' || strlen(msg) >= 160)
		fail("a report without text, or longer than its buffer", NULL);
	(*(unsigned *)ctx)++;
}

/*
 * PE_boot_args_check, with the console's echo on stderr held back: its
 * count is the line's problems by bootargs_check (each reported once, with
 * text) plus one for a cut line, and it prints when it counts any.
 */
static void
check_line(void)
{
	static int devnull = -1;
	const struct boot_arg_desc *const *table;
	struct boot_arg_desc descs[64];
	size_t n = PE_boot_arg_descs(&table);
	unsigned problems, reported = 0, expected;
	int saved = dup(2);

	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY);
	if (saved < 0 || devnull < 0 || n == 0 || n > 64)
		abort();
	shim_console_clear();
	fflush(stderr);
	dup2(devnull, 2);
	problems = PE_boot_args_check();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);

	for (size_t i = 0; i < n; i++)
		descs[i] = *table[i];
	expected = bootargs_check(PE_boot_args(), descs, n, count_report, &reported);
	if (reported != expected)
		fail("bootargs_check counts other than it reports", NULL);
	if (PE_state.bootArgs->ba_flags & BOOT_ARGS_CMDLINE_TRUNCATED)
		expected++;
	if (problems != expected)
		fail("PE_boot_args_check counts other problems than bootargs_check", NULL);
	if ((problems > 0) != (strncmp(shim_console_text(), "boot-args: ", 11) == 0))
		fail("PE_boot_args_check prints other than it counts", NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_args ba;
	const char *cursor, *names_at[MAX_LINE_NAMES];
	char names[MAX_LINE_NAMES][BOOT_LINE_LENGTH];
	struct bootarg_token tok;
	size_t len = strnlen((const char *)data, size), nnames = 0;

	/* As boot_info.c fills it: NUL-terminated, cut at the line's length. */
	memset(&ba, 0, sizeof(ba));
	if (len > BOOT_LINE_LENGTH - 1) {
		len = BOOT_LINE_LENGTH - 1;
		ba.ba_flags |= BOOT_ARGS_CMDLINE_TRUNCATED;
	}
	memcpy(ba.ba_cmdline, data, len);
	PE_init_platform(&ba);

	/* The names on the line, copied out before anything else runs. */
	cursor = PE_boot_args();
	while (nnames < MAX_LINE_NAMES && bootargs_next(&cursor, &tok)) {
		if (tok.bt_namelen >= BOOT_LINE_LENGTH)
			fail("a name longer than the line", NULL);
		memcpy(names[nnames], tok.bt_name, tok.bt_namelen);
		names[nnames][tok.bt_namelen] = '\0';
		names_at[nnames] = names[nnames];
		nnames++;
	}

	for (size_t i = 0; i < nnames; i++) {
		if (!ask(names_at[i]))
			fail("a name on the line is not found", names_at[i]);
	}
	for (size_t i = 0; i < sizeof(fixed_names) / sizeof(fixed_names[0]); i++)
		(void)ask(fixed_names[i]);
	check_line();

	PE_state.initialized = FALSE;
	PE_state.bootArgs = NULL;
	return 0;
}
