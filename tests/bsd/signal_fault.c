/*
 * signal_fault.c - Mach exceptions become signals a program can catch:
 * SIGSEGV with si_addr and SEGV_MAPERR/SEGV_ACCERR, SIGILL (ud2), SIGFPE
 * (an integer divide by zero), SIGTRAP (int3); the program survives by
 * siglongjmp out of the handler, again and again. (A fault while its
 * signal is blocked kills the process, as on Linux: signal_kill.)
 */

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tap.h"

static sigjmp_buf env;
static volatile uintptr_t fault_addr = 0x10;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr;

static void
on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	siglongjmp(env, 1);
}

static void
catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static void __attribute__((noipa))
do_ud2(void)
{
	__asm__ volatile("ud2");
}

static int __attribute__((noipa))
do_div(volatile int a, volatile int b)
{
	return a / b;
}

static void __attribute__((noipa))
do_int3(void)
{
	__asm__ volatile("int3");
}

int
main(void)
{
	volatile int *volatile bad = (volatile int *)(uintptr_t)fault_addr;
	char *page;

	catch(SIGSEGV);
	catch(SIGILL);
	catch(SIGFPE);
	catch(SIGTRAP);

	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		(void)*bad;
	TAP_EQ(got_sig, SIGSEGV, "a read of address 0x10 raises SIGSEGV");
	TAP_EQ(got_code, SEGV_MAPERR, "si_code SEGV_MAPERR");
	TAP_EQ(got_addr, 0x10, "si_addr is the address");

	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		*(volatile int *)0x7000deadb000ULL = 1;
	TAP_EQ(got_sig, SIGSEGV, "a write to an unmapped page raises SIGSEGV");
	TAP_EQ(got_addr, 0x7000deadb000ULL, "si_addr is the address");

	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TAP_OK(page != MAP_FAILED, "mmap a read-only page");
	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		*(volatile char *)(page + 8) = 1;
	TAP_EQ(got_sig, SIGSEGV, "a write to a read-only page raises SIGSEGV");
	TAP_EQ(got_code, SEGV_ACCERR, "si_code SEGV_ACCERR");
	TAP_EQ(got_addr, (uintptr_t)(page + 8), "si_addr is the address");

	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		do_ud2();
	TAP_EQ(got_sig, SIGILL, "ud2 raises SIGILL");
	TAP_EQ(got_code, ILL_ILLOPN, "si_code ILL_ILLOPN");
	TAP_EQ(got_addr, (uintptr_t)do_ud2, "si_addr is the instruction");

	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		got_addr = (uintptr_t)do_div(1, 0);
	TAP_EQ(got_sig, SIGFPE, "an integer divide by zero raises SIGFPE");
	TAP_EQ(got_code, FPE_INTDIV, "si_code FPE_INTDIV");

	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		do_int3();
	TAP_EQ(got_sig, SIGTRAP, "int3 raises SIGTRAP");

	/* A fault in a loop: each time the handler runs. */
	for (volatile int i = 0; i < 3; i++) {
		got_sig = 0;
		if (sigsetjmp(env, 1) == 0)
			(void)*bad;
	}
	TAP_EQ(got_sig, SIGSEGV, "faults after siglongjmp keep arriving");
	return tap_done();
}
