/*
 * test_kpi.c - tools/mkkpi.py and libkern/kpi.c: a table generated from
 * the lists in kpi_fixtures/ (tests/unit/files.mk makes it) is found as
 * the lists say, with this program's own addresses; and the generator
 * refuses, naming file, line and symbol, every list the build must not
 * accept.
 *
 * Runs from the top of the tree (tests/unit/run_unit.py's working
 * directory), where the generator and the fixtures are.
 */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/shim/kern.h"

#include "libkern/kpi.h"

#define FIXTURES	"tests/unit/libkern/kpi_fixtures"

/* What the fixture lists export: this program defines them. */
void kpi_fixture_apple(void);
void kpi_fixture_banana(void);
void kpi_fixture_cherry(void);
void kpi_fixture_Zeta(void);
void kpi_fixture_local(void);
extern int kpi_fixture_data;

void kpi_fixture_apple(void) {}
void kpi_fixture_banana(void) {}
void kpi_fixture_cherry(void) {}
void kpi_fixture_Zeta(void) {}
void kpi_fixture_local(void) {}
int kpi_fixture_data = 7;

Test(kpi, bundles_sorted_with_versions)
{
	const struct kpi_bundle *a = kpi_bundle_lookup("org.example.kpi.alpha");
	const struct kpi_bundle *b = kpi_bundle_lookup("org.example.kpi.beta");

	cr_assert_eq(kpi_bundle_count(), 2);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_eq(kpi_bundle_at(0), a);
	cr_expect_eq(kpi_bundle_at(1), b);
	cr_expect_null(kpi_bundle_at(2));
	cr_expect_str_eq(a->kb_version, "9.8.7");
	cr_expect_str_eq(a->kb_compatible_version, "1.0.0");
	cr_expect_str_eq(b->kb_compatible_version, "1.2");
	cr_expect_eq(a->kb_nsymbols, 3);
	cr_expect_eq(b->kb_nsymbols, 2);
	cr_expect_null(kpi_bundle_lookup("org.example.kpi"));
	cr_expect_null(kpi_bundle_lookup(""));
}

Test(kpi, symbols_resolve_to_their_addresses)
{
	const struct kpi_bundle *a = kpi_bundle_lookup("org.example.kpi.alpha");
	const struct kpi_bundle *b = kpi_bundle_lookup("org.example.kpi.beta");
	uint64_t addr = 0;

	cr_assert(kpi_bundle_symbol(a, "kpi_fixture_apple", &addr));
	cr_expect_eq(addr, (uint64_t)(uintptr_t)kpi_fixture_apple);
	cr_assert(kpi_bundle_symbol(a, "kpi_fixture_cherry", &addr));
	cr_expect_eq(addr, (uint64_t)(uintptr_t)kpi_fixture_cherry);
	cr_assert(kpi_bundle_symbol(a, "kpi_fixture_data", &addr));
	cr_expect_eq(addr, (uint64_t)(uintptr_t)&kpi_fixture_data);
	cr_expect_eq(*(int *)(uintptr_t)addr, 7);
	/* Upper case sorts first (C order): the search agrees with the generator. */
	cr_assert(kpi_bundle_symbol(b, "kpi_fixture_Zeta", &addr));
	cr_expect_eq(addr, (uint64_t)(uintptr_t)kpi_fixture_Zeta);
	cr_expect(kpi_bundle_symbol(b, "kpi_fixture_banana", NULL));
}

Test(kpi, unlisted_symbols_are_not_found)
{
	const struct kpi_bundle *a = kpi_bundle_lookup("org.example.kpi.alpha");

	cr_expect_not(kpi_bundle_symbol(a, "kpi_fixture_banana", NULL));	/* beta's */
	cr_expect_not(kpi_bundle_symbol(a, "kpi_fixture_local", NULL));
	cr_expect_not(kpi_bundle_symbol(a, "kpi_fixture_appl", NULL));
	cr_expect_not(kpi_bundle_symbol(a, "kpi_fixture_apples", NULL));
	cr_expect_not(kpi_bundle_symbol(a, "", NULL));
	cr_expect_not(kpi_bundle_symbol(a, "zzz", NULL));
	cr_expect_null(kpi_symbol_bundle("kpi_fixture_local"));
	cr_expect_null(kpi_symbol_bundle("kpi_fixture_undefined"));
}

Test(kpi, each_symbol_names_its_bundle)
{
	cr_expect_str_eq(kpi_symbol_bundle("kpi_fixture_data")->kb_identifier,
	    "org.example.kpi.alpha");
	cr_expect_str_eq(kpi_symbol_bundle("kpi_fixture_Zeta")->kb_identifier,
	    "org.example.kpi.beta");
}

/*
 * mkkpi: run the generator on a list whose beta file has the given body
 * (alpha as in the fixtures); its exit status, and its standard error
 * in err.
 */
static int
mkkpi(const char *beta, const char *listline, char *err, size_t errsize)
{
	char dir[] = "/tmp/test_kpi.XXXXXX", cmd[1024], path[256];
	FILE *f;
	size_t n;
	int status;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp %s/Alpha.exports %s/globals.nm '%s'", FIXTURES,
	    FIXTURES, dir);
	cr_assert_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/kpi.list", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fprintf(f, "org.example.kpi.alpha Alpha.exports 1.0\n%s\n", listline);
	fclose(f);
	snprintf(path, sizeof(path), "%s/Beta.exports", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(beta, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 tools/mkkpi.py --list '%s/kpi.list' --version "
	    "1.0 --nm '%s/globals.nm' -o '%s/out.c' 2>'%s/err.txt'", dir, dir, dir, dir);
	status = system(cmd);
	snprintf(path, sizeof(path), "%s/err.txt", dir);
	cr_assert_not_null(f = fopen(path, "r"));
	n = fread(err, 1, errsize - 1, f);
	err[n] = '\0';
	fclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define BETA_LINE	"org.example.kpi.beta Beta.exports 1.0"

Test(kpi_generator, accepts_a_good_list)
{
	char err[2048];

	cr_expect_eq(mkkpi("kpi_fixture_banana\n", BETA_LINE, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(err, "");
}

static void
expect_refused(const char *beta, const char *listline, const char *message)
{
	char err[2048];

	cr_expect_eq(mkkpi(beta, listline, err, sizeof(err)), 1, "%s", err);
	cr_expect_not_null(strstr(err, message), "wanted \"%s\" in:\n%s", message, err);
}

Test(kpi_generator, refuses_what_is_not_a_global_symbol)
{
	expect_refused("# a comment\nkpi_fixture_banana\nsysctl_frob\n", BETA_LINE,
	    "Beta.exports: 3: \"sysctl_frob\" is not a global symbol of the kernel");
	expect_refused("kpi_fixture_local\n", BETA_LINE,
	    "Beta.exports: 1: \"kpi_fixture_local\" is not a global symbol of the kernel");
	expect_refused("kpi_fixture_undefined\n", BETA_LINE,
	    "Beta.exports: 1: \"kpi_fixture_undefined\" is not a global symbol of the kernel");
}

Test(kpi_generator, refuses_unsorted_repeated_and_shared_symbols)
{
	expect_refused("kpi_fixture_banana\nkpi_fixture_Zeta\n", BETA_LINE,
	    "Beta.exports: 2: \"kpi_fixture_Zeta\" is out of order (after "
	    "\"kpi_fixture_banana\"; the list is sorted)");
	expect_refused("kpi_fixture_banana\nkpi_fixture_banana\n", BETA_LINE,
	    "Beta.exports: 2: \"kpi_fixture_banana\" is listed twice");
	expect_refused("kpi_fixture_apple\n", BETA_LINE,
	    "Beta.exports: 1: \"kpi_fixture_apple\" is already exported by "
	    "org.example.kpi.alpha");
	expect_refused("kpi fixture\n", BETA_LINE, "\"kpi fixture\" is not a C identifier");
}

Test(kpi_generator, refuses_bad_bundle_lines)
{
	expect_refused("", "org.example.kpi.beta Beta.exports", "want three fields");
	expect_refused("", "beta Beta.exports 1.0", "\"beta\" is not a bundle identifier");
	expect_refused("", "org.example.kpi.beta Beta.exports 1.x",
	    "\"1.x\" is not a version");
	expect_refused("", "org.example.kpi.alpha Beta.exports 1.0",
	    "bundle \"org.example.kpi.alpha\" is listed twice");
	expect_refused("", "org.example.kpi.beta Missing.exports 1.0", "cannot be read");
}
