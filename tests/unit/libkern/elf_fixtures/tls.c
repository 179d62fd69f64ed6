/*
 * tls.c - a fixture for the ELF reader's tests: the smallest static
 * program with thread-local data (a PT_TLS header), linked both as an
 * ET_EXEC and as an ET_DYN static PIE. It is parsed, never run.
 */

__thread int fixture_tls = 5;		/* .tdata: the TLS template's file bytes */
__thread int fixture_tbss;		/* .tbss: zero-filled */

void _start(void);

void
_start(void)
{
	fixture_tls++;
	fixture_tbss++;
	for (;;)
		;
}
