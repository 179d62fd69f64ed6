/*
 * kxld_fixture.h - what the kext linker's fixture kext and its test agree
 * on: the names the kext imports from "the kernel" (the test's resolver
 * supplies them), the names it exports, and its kmod_info-like record.
 */

#ifndef KXLD_FIXTURE_H
#define KXLD_FIXTURE_H

/* The fixture's own kmod_info: a name, a version and two entry points. */
struct fixture_kmod_info {
	char	name[32];
	int	version;
	int	(*start)(int arg);
	int	(*stop)(int arg);
};

/* Imported from the kernel. */
extern int kernel_counter;			/* external data */
extern const char *kernel_last_string;		/* written through, read back */
extern int kernel_log(const char *msg, int value);	/* external function */
extern int kernel_add(int a, int b);
extern int kernel_optional(int x) __attribute__((weak));	/* may be absent */

/* Exported by the kext (main.c and util.c). */
extern struct fixture_kmod_info kmod_info;
extern int fixture_ctor_ran;
extern int (*const fixture_ops[3])(int);
int fixture_start(int arg);
int fixture_stop(int arg);
int fixture_classify(int x);
int fixture_sum_table(void);
int fixture_bss_sum(void);
int fixture_call_optional(int x);
const char *fixture_greeting(void);
int fixture_util_twice(int x);
int fixture_util_add(int a, int b);
int fixture_util_store(int x);

#endif /* KXLD_FIXTURE_H */
