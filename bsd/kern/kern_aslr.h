/*
 * kern_aslr.h - user address-space layout randomisation: where exec puts
 * a new program's stack, its mmap area and, for a static PIE, its image.
 *
 * Each exec (and the kernel's own starts of init and of the console's
 * `run`) draws three slides from read_random, independently:
 *
 *   what		moved			by up to		granule
 *   the stack		down from USRSTACK64	ASLR_STACK_PAGES pages	a page
 *   the mmap area	down from MMAP_BASE	ASLR_MMAP_PAGES pages	a page
 *   a static PIE	up from ELF_PIE_BASE	ASLR_PIE_PAGES pages	a page
 *
 * A non-PIE executable (ET_EXEC) stays where its headers say. fork keeps
 * the parent's layout (the child is a copy); the next exec draws again.
 * The boot-arg -disable_aslr (XNU's name) makes every slide zero, for
 * addresses that stay the same from run to run while debugging.
 *
 * Nothing is locked: the slides are drawn into the caller's structure.
 */
#ifndef BSD_KERN_KERN_ASLR_H
#define BSD_KERN_KERN_ASLR_H

#include <stdbool.h>
#include <stdint.h>

/* Where mappings without a hint go, before the slide: well above any break, below the stack. */
#define MMAP_BASE		0x00007f0000000000ULL

#define ASLR_STACK_PAGES	(1ULL << 16)	/* 256 MiB of stack positions */
#define ASLR_MMAP_PAGES		(1ULL << 24)	/* 64 GiB of mmap bases */
#define ASLR_PIE_PAGES		(1ULL << 24)	/* 64 GiB of PIE bases */

struct aslr_slides {
	uint64_t	as_stack;	/* bytes below USRSTACK64 the stack ends */
	uint64_t	as_mmap;	/* bytes below MMAP_BASE mmap starts looking */
	uint64_t	as_pie;		/* bytes above ELF_PIE_BASE a PIE is put */
};

/* aslr_enabled: false when booted with -disable_aslr. */
bool	aslr_enabled(void);

/* aslr_choose: fresh slides for one exec (all zero if disabled). */
void	aslr_choose(struct aslr_slides *out);

#endif /* BSD_KERN_KERN_ASLR_H */
