/*
 * tty_test.c - the line discipline seen from inside: what it echoes and
 * writes (which user tests cannot see), on a tty whose device collects
 * its output.
 */

#include "bsd/sys/tty.h"

#include "bsd/sys/file_internal.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "tests/ktest.h"

static char tt_out[512];
static size_t tt_len;

/* t_oproc: collect the output, NUL-terminated. */
static void
tt_oproc(struct tty *tp)
{
	while (tp->t_outq.q_count > 0) {
		char c = (char)(tp->t_outq.q_buf[tp->t_outq.q_head] & TTY_CHARMASK);

		tp->t_outq.q_head = (tp->t_outq.q_head + 1) % TTYHOG;
		tp->t_outq.q_count--;
		if (tt_len + 1 < sizeof(tt_out))
			tt_out[tt_len++] = c;
	}
	tt_out[tt_len] = '\0';
}

static struct tty *
tt_new(void)
{
	struct tty *tp = kalloc(sizeof(*tp));

	if (tp != NULL)
		tty_init(tp, 0, tt_oproc);
	tt_len = 0;
	tt_out[0] = '\0';
	return tp;
}

static void
tt_free(struct tty *tp)
{
	tty_destroy(tp);
	kfree(tp, sizeof(*tp));
}

static void
tt_type(struct tty *tp, const char *s)
{
	while (*s != '\0')
		(void)ttyinput((unsigned char)*s++, tp);
}

/* Read what one read(2) of up to size bytes returns, into buf (NUL-terminated). */
static int64_t
tt_read(struct tty *tp, char *buf, size_t size)
{
	struct uio uio;

	uio_init(&uio, (uint64_t)(uintptr_t)buf, size - 1, 0, UIO_SYSSPACE, UIO_READ);
	if (ttread(tp, &uio, IO_NDELAY) != 0)
		return -1;
	buf[size - 1 - uio_resid(&uio)] = '\0';
	return (int64_t)(size - 1) - uio_resid(&uio);
}

KTEST(tty, echo_and_onlcr)
{
	struct tty *tp = tt_new();
	char buf[32];

	KT_ASSERT_TRUE(tp != NULL);
	tt_type(tp, "ab\r");
	KT_EXPECT_STREQ(tt_out, "ab\r\n");
	KT_EXPECT_EQ(tt_read(tp, buf, sizeof(buf)), 3);
	KT_EXPECT_STREQ(buf, "ab\n");
	tt_free(tp);
}

KTEST(tty, echoctl_and_erase)
{
	struct tty *tp = tt_new();
	char buf[32];

	KT_ASSERT_TRUE(tp != NULL);
	tt_type(tp, "x\001");
	KT_EXPECT_STREQ(tt_out, "x^A");
	tt_len = 0;
	tt_type(tp, "\177");		/* ^A took two columns: two rubs */
	KT_EXPECT_STREQ(tt_out, "\b \b\b \b");
	tt_len = 0;
	tt_type(tp, "\177");
	KT_EXPECT_STREQ(tt_out, "\b \b");
	tt_type(tp, "\n");
	KT_EXPECT_EQ(tt_read(tp, buf, sizeof(buf)), 1);
	tt_free(tp);
}

KTEST(tty, kill_and_interrupt_echo)
{
	struct tty *tp = tt_new();
	char buf[32];

	KT_ASSERT_TRUE(tp != NULL);
	tp->t_lflag &= ~ECHOKE;
	tt_type(tp, "abc\025");
	KT_EXPECT_STREQ(tt_out, "abc^U\r\n");
	tt_len = 0;
	tt_type(tp, "zz\003");		/* no foreground group: nobody is signalled */
	KT_EXPECT_STREQ(tt_out, "zz^C");
	KT_EXPECT_EQ(tt_read(tp, buf, sizeof(buf)), -1);	/* flushed: EAGAIN */
	tt_free(tp);
}

KTEST(tty, echo_off_echonl_and_raw_output)
{
	struct tty *tp = tt_new();
	struct uio uio;
	char buf[32];

	KT_ASSERT_TRUE(tp != NULL);
	tp->t_lflag &= ~ECHO;
	tp->t_lflag |= ECHONL;
	tt_type(tp, "secret\n");
	KT_EXPECT_STREQ(tt_out, "\r\n");
	KT_EXPECT_EQ(tt_read(tp, buf, sizeof(buf)), 7);
	tt_len = 0;
	strlcpy(buf, "a\nb", sizeof(buf));
	uio_init(&uio, (uint64_t)(uintptr_t)buf, 3, 0, UIO_SYSSPACE, UIO_WRITE);
	KT_EXPECT_EQ(ttwrite(tp, &uio, 0), 0);
	KT_EXPECT_STREQ(tt_out, "a\r\nb");
	tt_len = 0;
	tp->t_oflag &= ~OPOST;
	uio_init(&uio, (uint64_t)(uintptr_t)buf, 3, 0, UIO_SYSSPACE, UIO_WRITE);
	KT_EXPECT_EQ(ttwrite(tp, &uio, 0), 0);
	KT_EXPECT_STREQ(tt_out, "a\nb");
	tt_free(tp);
}

KTEST(tty, input_is_bounded)
{
	struct tty *tp = tt_new();
	char buf[8];

	KT_ASSERT_TRUE(tp != NULL);
	tp->t_lflag &= ~ECHO;
	for (int i = 0; i < TTYHOG + 100; i++)
		(void)ttyinput('a', tp);
	KT_EXPECT_EQ(tp->t_rawq.q_count, TTYHOG - 1);	/* room kept for the newline */
	(void)ttyinput('\n', tp);
	KT_EXPECT_EQ(tp->t_canq.q_count, TTYHOG);
	KT_EXPECT_EQ(tt_read(tp, buf, sizeof(buf)), 7);
	tt_free(tp);
}

KTEST(tty, lnext_quotes_the_next_character)
{
	struct tty *tp = tt_new();
	char buf[32];

	KT_ASSERT_TRUE(tp != NULL);
	tt_type(tp, "a\026\003\026\177b\n");	/* ^V^C and ^V^? are data */
	KT_EXPECT_EQ(tt_read(tp, buf, sizeof(buf)), 5);
	KT_EXPECT_EQ(buf[1], 3);
	KT_EXPECT_EQ(buf[2], 0x7f);
	KT_EXPECT_STREQ(tt_out, "a^\b^C^\b^?b\r\n");
	tt_free(tp);
}
