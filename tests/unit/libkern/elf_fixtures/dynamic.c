/*
 * dynamic.c - a fixture for the ELF reader's tests: an ordinary
 * dynamically linked host program, which has a PT_INTERP header and must
 * be refused by name.
 */

int
main(void)
{
	return 0;
}
