/*
 * mm_brk.c - the break (Linux's brk: the new break, or the old one when
 * it cannot move) and malloc on top of brk and mmap: many small blocks,
 * large ones, freeing and reusing.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

extern char _end[];

static uintptr_t
sys_brk(uintptr_t addr)
{
	return (uintptr_t)syscall(SYS_brk, addr);
}

int
main(void)
{
	uintptr_t cur = sys_brk(0), now;
	char *blocks[512];
	char *big;
	int ok;

	TAP_OK(cur >= (uintptr_t)_end, "the break starts past the program's image");
	now = sys_brk(cur + 3 * 4096 + 100);
	TAP_EQ(now, cur + 3 * 4096 + 100, "brk grows");
	memset((void *)cur, 0xab, 3 * 4096 + 100);
	TAP_EQ(((volatile char *)cur)[3 * 4096 + 99], (char)0xab, "the new memory is usable");
	now = sys_brk(cur + 4096);
	TAP_EQ(now, cur + 4096, "brk shrinks");
	now = sys_brk(cur + 3 * 4096);
	TAP_EQ(((volatile char *)cur)[2 * 4096], 0, "memory given back and taken again is zero");
	TAP_EQ(sys_brk(1), now, "a break below the start is refused: the old one is returned");
	TAP_EQ(sys_brk((uintptr_t)1 << 46), now, "a break far up is refused");
	TAP_EQ(sys_brk(0), now, "brk(0) says where it is");
	TAP_EQ(sys_brk(cur), cur, "back to the start");

	/* malloc: many small blocks, written and checked. */
	ok = 1;
	for (int i = 0; i < 512; i++) {
		blocks[i] = malloc(16 + (size_t)i * 8);
		if (blocks[i] == NULL) {
			ok = 0;
			break;
		}
		memset(blocks[i], i & 0xff, 16 + (size_t)i * 8);
	}
	TAP_OK(ok, "512 small mallocs");
	for (int i = 0; ok && i < 512; i++)
		if (blocks[i][15 + i * 8] != (char)(i & 0xff))
			ok = 0;
	TAP_OK(ok, "each keeps its contents");
	for (int i = 0; i < 512; i += 2)
		free(blocks[i]);
	for (int i = 0; i < 512; i += 2)
		blocks[i] = malloc(40);
	TAP_OK(blocks[0] != NULL && blocks[510] != NULL, "freed blocks can be had again");
	for (int i = 0; i < 512; i++)
		free(blocks[i]);

	/* Large blocks (mmap underneath). */
	big = malloc(8 << 20);
	TAP_OK(big != NULL, "malloc 8 MiB");
	if (big != NULL) {
		memset(big, 0x11, 8 << 20);
		TAP_OK(big[0] == 0x11 && big[(8 << 20) - 1] == 0x11, "it is usable end to end");
		free(big);
	}
	big = calloc(1, 1 << 20);
	TAP_OK(big != NULL && big[12345] == 0, "calloc 1 MiB is zero");
	big = realloc(big, 3 << 20);
	TAP_OK(big != NULL, "realloc to 3 MiB");
	free(big);
	return tap_done();
}
