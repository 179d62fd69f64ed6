/*
 * msgbuf.h - the kernel log: everything printed since boot, in a ring.
 *
 * Every character printf() sends to the console also lands here, so the log
 * survives a console nobody was watching. When the ring wraps, the oldest
 * text is overwritten. `dmesg` in the kernel console and the `dmesg` gdb
 * command (tools/gdb) read it; the gdb command relies on the layout below
 * and on the symbol name msgbuf, so keep them in step.
 *
 * Locks: the console lock (kernel/console.c) serializes writers; readers
 * copy without it and may see a torn final line, which is acceptable for a
 * log.
 */

#ifndef KERNEL_MSGBUF_H
#define KERNEL_MSGBUF_H

#include <stddef.h>
#include <stdint.h>

#define MSG_MAGIC	0x063061	/* XNU's msgbuf magic */
#define MSG_BSIZE	(64 * 1024)

struct msgbuf {
	uint32_t	msg_magic;
	uint32_t	msg_size;		/* MSG_BSIZE */
	uint64_t	msg_bufx;		/* bytes ever written; index = bufx % size */
	char		msg_bufc[MSG_BSIZE];
};

extern struct msgbuf msgbuf;

/* msgbuf_putc: append one character. Locks: console lock held (or panicking). */
void	msgbuf_putc(int c);

/*
 * msgbuf_read: copy out up to len bytes of the log starting at *cursor (a
 * count of bytes since boot; 0 for the oldest still kept), advancing it.
 * Returns the number of bytes copied; 0 at the end.
 */
size_t	msgbuf_read(uint64_t *cursor, char *buf, size_t len);

/*
 * msgbuf_tail: the cursor at which the last `lines` lines of the log
 * before `end` (a cursor; a line that `end` cuts off counts as one) begin,
 * looking back at most `maxbytes`. For the panic report; takes no lock.
 */
uint64_t msgbuf_tail(uint64_t end, unsigned lines, size_t maxbytes);

#endif /* KERNEL_MSGBUF_H */
