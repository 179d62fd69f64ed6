/*
 * shim.c - panic, machine routines, fake RAM and a console for kernel code
 * running as a host process. See shim.h.
 */

#include "tests/unit/shim/shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/shim/kern.h"

#include "kernel/debug.h"
#include "kernel/machine_routines.h"
#include "libkern/panic.h"
#include "mach/vm/pmap.h"

/*
 * The sanitizers' defaults for every test binary, however it is started.
 * Weak, so that a fuzz target (tests/fuzz), which wants leaks reported,
 * can give its own.
 */
const char	*__asan_default_options(void);
const char	*__ubsan_default_options(void);

__attribute__((weak)) const char *
__asan_default_options(void)
{
	/*
	 * Leak checking is off: Criterion reports a test's result before its
	 * process exits, so a leak report could not fail the test anyway, and
	 * the kernel code under test never allocates from the C library.
	 */
	return "detect_leaks=0:halt_on_error=1";
}

const char *
__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1";
}

/* --- panic ----------------------------------------------------------------- */

static const char *expected_panic;

void
shim_expect_panic(const char *what)
{
	expected_panic = what;
}

void
panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "panic: %s\n", msg);
	if (expected_panic != NULL && strstr(msg, expected_panic) == NULL) {
		fprintf(stderr, "shim: expected a panic mentioning \"%s\"\n",
		    expected_panic);
		fflush(stderr);
		_exit(SHIM_EXIT_WRONG_PANIC);
	}
	abort();
}

/* --- machine routines ------------------------------------------------------ */

boolean_t verbose_boot = FALSE;

static boolean_t interrupts_enabled = TRUE;
static unsigned long pause_count;

boolean_t
ml_set_interrupts_enabled(boolean_t enable)
{
	boolean_t old = interrupts_enabled;

	interrupts_enabled = enable ? TRUE : FALSE;
	return old;
}

boolean_t
ml_get_interrupts_enabled(void)
{
	return interrupts_enabled;
}

unsigned int
cpu_number(void)
{
	return 0;
}

void
ml_cpu_pause(void)
{
	/*
	 * The tests are single-threaded, so a spin that lasts is a lock that
	 * was never released: fail loudly rather than hang until the timeout.
	 */
	if (++pause_count > (1UL << 24))
		panic("ml_cpu_pause: spinning for ever (a lock was left held)");
}

/* --- fake RAM -------------------------------------------------------------- */

struct fake_ram_window {
	uint64_t	fw_pa;
	size_t		fw_len;
	uint8_t		*fw_va;
};

static struct fake_ram_window fake_ram[FAKE_RAM_MAX_WINDOWS];
static unsigned fake_ram_count;

void *
fake_ram_add(uint64_t pa, size_t len)
{
	struct fake_ram_window *w;
	void *va;

	if (len == 0 || pa + len < pa || fake_ram_count == FAKE_RAM_MAX_WINDOWS)
		panic("fake_ram_add: bad window 0x%llx+0x%zx",
		    (unsigned long long)pa, len);
	for (unsigned i = 0; i < fake_ram_count; i++) {
		w = &fake_ram[i];
		if (pa < w->fw_pa + w->fw_len && pa + len > w->fw_pa)
			panic("fake_ram_add: 0x%llx+0x%zx overlaps a window",
			    (unsigned long long)pa, len);
	}
	if (posix_memalign(&va, PAGE_SIZE, len) != 0)
		panic("fake_ram_add: out of host memory for 0x%zx bytes", len);
	memset(va, 0, len);
	fake_ram[fake_ram_count++] = (struct fake_ram_window){
		.fw_pa = pa, .fw_len = len, .fw_va = va };
	return va;
}

void
fake_ram_reset(void)
{
	for (unsigned i = 0; i < fake_ram_count; i++)
		free(fake_ram[i].fw_va);
	fake_ram_count = 0;
}

static const struct fake_ram_window *
fake_ram_window_of(uint64_t pa, uint64_t len)
{
	for (unsigned i = 0; i < fake_ram_count; i++) {
		const struct fake_ram_window *w = &fake_ram[i];

		if (pa >= w->fw_pa && pa - w->fw_pa <= w->fw_len &&
		    len <= w->fw_len - (pa - w->fw_pa))
			return w;
	}
	return NULL;
}

void *
phystokv(pmap_paddr_t pa)
{
	const struct fake_ram_window *w = fake_ram_window_of(pa, 1);

	if (w == NULL)
		panic("phystokv: 0x%llx is not in fake RAM", (unsigned long long)pa);
	return w->fw_va + (pa - w->fw_pa);
}

pmap_paddr_t
kvtophys(vm_offset_t va)
{
	for (unsigned i = 0; i < fake_ram_count; i++) {
		const struct fake_ram_window *w = &fake_ram[i];

		if (va >= (vm_offset_t)w->fw_va &&
		    va < (vm_offset_t)w->fw_va + w->fw_len)
			return w->fw_pa + (va - (vm_offset_t)w->fw_va);
	}
	/* As the kernel's kvtophys does for an unmapped address. */
	return 0;
}

boolean_t
pmap_physmap_contains(pmap_paddr_t pa, uint64_t len)
{
	return fake_ram_window_of(pa, len) != NULL;
}

/* --- console --------------------------------------------------------------- */

static char console_text[64 * 1024];
static size_t console_used;

const char *
shim_console_text(void)
{
	return console_text;
}

void
shim_console_clear(void)
{
	console_used = 0;
	console_text[0] = '\0';
}

int
kern_vprintf(const char *fmt, va_list ap)
{
	size_t room = sizeof(console_text) - console_used;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(console_text + console_used, room, fmt, ap);
	if (n > 0)
		console_used += (size_t)n < room ? (size_t)n : room - 1;
	/* Echoed, so that a failing test's output shows what was printed. */
	fputs("console: ", stderr);
	vfprintf(stderr, fmt, aq);
	va_end(aq);
	return n;
}

int
kern_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kern_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
