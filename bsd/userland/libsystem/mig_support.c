/*
 * mig_support.c - the rest of the user runtime of interface-generated
 * stubs (mach/mig.h); the reply port is mach_init.c's.
 */

#include <mach/mig.h>

#include <sys/mman.h>

int
mig_strncpy(char *dest, const char *src, int len)
{
	int i;

	if (len <= 0)
		return 0;
	for (i = 0; i < len - 1 && src[i] != '\0'; i++)
		dest[i] = src[i];
	dest[i] = '\0';
	return i + 1;
}

void
mig_allocate(vm_address_t *addr, vm_size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*addr = p == MAP_FAILED ? 0 : (vm_address_t)p;
}

void
mig_deallocate(vm_address_t addr, vm_size_t size)
{
	vm_address_t start = addr & ~(vm_address_t)4095;

	if (addr != 0 && size != 0)
		(void)munmap((void *)start, ((addr + size + 4095) & ~(vm_address_t)4095) - start);
}
