/*
 * kext.c - a fixture for the ELF reader's tests: a small relocatable
 * object in the shape of a kext binary, compiled by the host gcc with
 * several code models so that each kind of relocation the kext linker
 * will meet turns up (see tests/unit/files.mk):
 *
 *	-mcmodel=kernel -fno-pic	R_X86_64_64, PC32, PLT32, 32S
 *	-mcmodel=small -fno-pic		R_X86_64_32
 *	-fpic -fno-plt			GOTPCRELX, REX_GOTPCRELX
 *	the same, unrelaxed		GOTPCREL
 */

extern int fixture_extern_var;
extern void fixture_extern_call(int arg);

static int fixture_local = 3;
int fixture_data = 7;
int fixture_bss;

/* Pointers in data: R_X86_64_64. */
void *fixture_pointers[] = { &fixture_data, &fixture_local, (void *)fixture_extern_call };

long fixture_address_of_extern(void);
int fixture_read_extern(void);
void fixture_start(void);

/* An address as a 32-bit immediate (32S, 32) or through the GOT. */
long
fixture_address_of_extern(void)
{
	return (long)&fixture_extern_var;
}

/* A RIP-relative load (PC32), or a GOT load. */
int
fixture_read_extern(void)
{
	return fixture_extern_var + fixture_local + fixture_bss;
}

/* A call (PLT32), or an indirect call through the GOT (GOTPCRELX). */
void
fixture_start(void)
{
	fixture_extern_call(fixture_data);
}
