/*
 * pexpert.c - PE_state and the PE_parse_boot_arg* calls.
 */

#include "kernel/pexpert.h"

#include "kernel/console.h"
#include "kernel/machine_routines.h"
#include "libkern/string.h"

PE_state_t PE_state;

extern const struct boot_arg_desc *const __bootargs_start[];
extern const struct boot_arg_desc *const __bootargs_end[];

void
PE_init_platform(struct boot_args *args)
{
	PE_state.bootArgs = args;
	PE_state.initialized = TRUE;
}

const char *
PE_boot_args(void)
{
	return PE_state.initialized ? PE_state.bootArgs->ba_cmdline : "";
}

boolean_t
PE_parse_boot_argn(const char *arg_string, void *arg_ptr, int max_arg)
{
	return bootargs_find(PE_boot_args(), arg_string, arg_ptr, max_arg, false);
}

boolean_t
PE_parse_boot_arg_str(const char *arg_string, char *arg_ptr, int size)
{
	return bootargs_find(PE_boot_args(), arg_string, arg_ptr, size, true);
}

/* The first token named name on the line: the one every lookup uses. */
static bool
first_token(const char *name, struct bootarg_token *tok)
{
	const char *cursor = PE_boot_args();
	size_t n = strlen(name);

	while (bootargs_next(&cursor, tok)) {
		if (tok->bt_namelen == n && memcmp(tok->bt_name, name, n) == 0)
			return true;
	}
	return false;
}

boolean_t
PE_parse_boot_arg(const char *arg_string, void *arg_ptr)
{
	struct bootarg_token tok;
	uint64_t magnitude;
	bool negative;
	int v;

	/*
	 * Numbers and flags only: text must not land in an int. The whole
	 * value decides (a copy cut to a buffer may look like a number), and
	 * "name=" with nothing after it is not a number either.
	 */
	if (arg_string == NULL || !first_token(arg_string, &tok))
		return FALSE;
	if (tok.bt_value != NULL &&
	    !bootargs_parse_number(tok.bt_value, tok.bt_valuelen, &magnitude, &negative))
		return FALSE;
	if (!PE_parse_boot_argn(arg_string, &v, sizeof(v)))
		return FALSE;
	*(int *)arg_ptr = v;
	return TRUE;
}

size_t
PE_boot_arg_descs(const struct boot_arg_desc *const **out)
{
	*out = __bootargs_start;
	return (size_t)(__bootargs_end - __bootargs_start);
}

static void
report_to_console(void *ctx, const char *msg)
{
	(void)ctx;
	printf("boot-args: %s\n", msg);
}

unsigned
PE_boot_args_check(void)
{
	const struct boot_arg_desc *const *table;
	size_t n = PE_boot_arg_descs(&table);
	struct boot_arg_desc descs[64];
	unsigned problems = 0;

	/* bootargs_check wants an array of descriptors, not of pointers. */
	if (n > nitems(descs))
		n = nitems(descs);
	for (size_t i = 0; i < n; i++)
		descs[i] = *table[i];
	if (PE_state.initialized &&
	    (PE_state.bootArgs->ba_flags & BOOT_ARGS_CMDLINE_TRUNCATED)) {
		printf("boot-args: the line is longer than %d characters; the rest "
		    "was cut off\n", BOOT_LINE_LENGTH - 1);
		problems++;
	}
	return problems + bootargs_check(PE_boot_args(), descs, n, report_to_console,
	    NULL);
}

/* Set once by the I/O Kit's platform expert as it starts; read at shutdown. */
void (*PE_halt_restart_notify)(unsigned int type);

int
PEHaltRestart(unsigned int type)
{
	void (*notify)(unsigned int) = __atomic_load_n(&PE_halt_restart_notify, __ATOMIC_ACQUIRE);

	if (type != kPEHaltCPU && type != kPERestartCPU)
		return -1;
	if (notify != NULL)
		notify(type);
	if (type == kPERestartCPU)
		machine_reboot();
	machine_poweroff();
}
