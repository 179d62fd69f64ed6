/*
 * fuzz_harness.h - what the libFuzzer targets here share: the entry point's
 * prototype, the sanitizer options of every run (LeakSanitizer on, the
 * first report fatal), and a failed check that names its target.
 * Included once by each target, which is a program of its own.
 */
#ifndef TESTS_FUZZ_FUZZ_HARNESS_H
#define TESTS_FUZZ_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int		LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char	*__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "detect_leaks=1:halt_on_error=1";
}

/* A check failed: say which and what, and abort for libFuzzer to keep the input. */
static void __attribute__((noreturn, unused))
fuzz_fail(const char *target, const char *what, const char *detail)
{
	fprintf(stderr, "%s: %s%s%s\n", target, what, detail != NULL ? ": " : "",
	    detail != NULL ? detail : "");
	abort();
}

#endif /* TESTS_FUZZ_FUZZ_HARNESS_H */
