/*
 * msgbuf.c - the kernel log ring.
 */

#include "kernel/msgbuf.h"

#include "libkern/cdefs.h"

struct msgbuf msgbuf = {
	.msg_magic = MSG_MAGIC,
	.msg_size = MSG_BSIZE,
};

void
msgbuf_putc(int c)
{
	msgbuf.msg_bufc[msgbuf.msg_bufx % MSG_BSIZE] = (char)c;
	msgbuf.msg_bufx++;
}

size_t
msgbuf_read(uint64_t *cursor, char *buf, size_t len)
{
	uint64_t end = __atomic_load_n(&msgbuf.msg_bufx, __ATOMIC_ACQUIRE);
	uint64_t oldest = end > MSG_BSIZE ? end - MSG_BSIZE : 0;
	size_t n = 0;

	if (*cursor < oldest)
		*cursor = oldest;
	while (n < len && *cursor < end) {
		buf[n++] = msgbuf.msg_bufc[*cursor % MSG_BSIZE];
		(*cursor)++;
	}
	return n;
}

uint64_t
msgbuf_tail(uint64_t end, unsigned lines, size_t maxbytes)
{
	uint64_t oldest = end > MSG_BSIZE ? end - MSG_BSIZE : 0;
	uint64_t limit = end > maxbytes ? end - maxbytes : 0;
	uint64_t cursor = end;

	if (limit < oldest)
		limit = oldest;
	/* The newline that ends the last line does not start another. */
	if (cursor > limit && msgbuf.msg_bufc[(cursor - 1) % MSG_BSIZE] == '\n')
		cursor--;
	while (cursor > limit) {
		if (msgbuf.msg_bufc[(cursor - 1) % MSG_BSIZE] == '\n' && --lines == 0)
			break;
		cursor--;
	}
	return cursor;
}
