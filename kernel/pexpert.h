/*
 * pexpert.h - the platform expert's view of boot: the boot_args and the
 * boot-args line, with XNU's calls for reading it.
 *
 *	int debug = 0;
 *	if (PE_parse_boot_argn("debug", &debug, sizeof(debug)))
 *		...
 *	char tests[256];
 *	if (PE_parse_boot_arg_str("tests", tests, sizeof(tests)))
 *		...
 *	if (PE_parse_boot_argn("-v", &verbose, sizeof(verbose)))
 *		...
 *
 * Every boot-arg the kernel reads is declared once, beside the code that
 * reads it, with BOOT_ARG(); PE_boot_args_check() reports names nobody
 * declared and values that do not suit their declaration, so a typo on the
 * line gets a message instead of silence.
 */

#ifndef KERNEL_PEXPERT_H
#define KERNEL_PEXPERT_H

#include "kernel/boot_args.h"
#include "kernel/bootargs.h"
#include "libkern/cdefs.h"
#include "mach/boolean.h"

typedef struct PE_state {
	boolean_t		initialized;
	struct boot_args	*bootArgs;
} PE_state_t;

extern PE_state_t PE_state;

/* PE_init_platform: take the boot_args; the line is readable from here on. */
void		PE_init_platform(struct boot_args *args);

/* PE_init_printf: add the screen to the console (the machine decides how). */
void		PE_init_printf(void);

/* PE_boot_args: the boot-args line ("" before PE_init_platform). */
const char	*PE_boot_args(void);

/*
 * PE_parse_boot_argn: look up arg_string ("-v", "debug") and store its value
 * in arg_ptr, an integer of max_arg bytes or a string buffer of max_arg
 * bytes (see bootargs_find for the rules). TRUE if found and stored.
 */
boolean_t	PE_parse_boot_argn(const char *arg_string, void *arg_ptr, int max_arg);

/* PE_parse_boot_arg_str: the value as text, even if it looks like a number. */
boolean_t	PE_parse_boot_arg_str(const char *arg_string, char *arg_ptr, int size);

/* PE_parse_boot_arg: the old form; arg_ptr is an int. Prefer the n form. */
boolean_t	PE_parse_boot_arg(const char *arg_string, void *arg_ptr);

/* PE_boot_args_check: print what is wrong with the line; returns the count. */
unsigned	PE_boot_args_check(void);

/*
 * BOOT_ARG: declare a boot-arg the kernel reads.
 *	BOOT_ARG(debug, "debug", BOOT_ARG_NUMBER, 4, "debug flags (DB_*)");
 * The section holds pointers, so the descriptors' own size and alignment
 * never matter to the walk.
 */
#define BOOT_ARG(ident, name, kind, max, help)				\
	static const struct boot_arg_desc __bootarg_desc_##ident = {	\
		(name), (kind), (max), (help) };			\
	static const struct boot_arg_desc *const __bootarg_##ident	\
	    __section(".bootargs") __used = &__bootarg_desc_##ident

/*
 * Halting and restarting, as XNU names them. PEHaltRestart(kPEHaltCPU)
 * powers the machine off, PEHaltRestart(kPERestartCPU) restarts it; first,
 * if the I/O Kit's platform expert has set PE_halt_restart_notify, it is
 * called with the type (it tells the drivers that asked: their shutdown
 * hooks, iokit/Kernel/IOPlatformExpert.h) and must return, however the
 * drivers behave. Never returns for these types; any other type is
 * refused (-1). reboot(2) and the kernel console's poweroff and reboot
 * come here; a panic does not (it calls no driver).
 */
#define kPEHaltCPU	0
#define kPERestartCPU	1

int		PEHaltRestart(unsigned int type);
extern void	(*PE_halt_restart_notify)(unsigned int type);

/* The registered boot-args, for PE_boot_args_check and `bootargs` listings. */
size_t		PE_boot_arg_descs(const struct boot_arg_desc *const **out);

#endif /* KERNEL_PEXPERT_H */
