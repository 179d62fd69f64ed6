/*
 * console_test.c - a driver's device takes a kernel device's place and
 * gives it back: output goes to the taker only, input is the kernel
 * device's leftovers first and then the taker's, the kernel device hears
 * of both changes, and an input-only device can come and go. The devices
 * are the test's own; the real ones are not touched (what the tests
 * write is whole lines, so that the TAP around them stays whole).
 */

#include "kernel/console.h"

#include "libkern/string.h"
#include "tests/ktest.h"

struct fake {
	char		out[64];
	unsigned	nout;
	const char	*in;		/* what getc gives, then -1 */
	int		handoffs;	/* +1 taken, -1 given back */
};

static struct fake kernel_side, driver_side, keyboard_side;

static void
fake_put(struct fake *f, int c)
{
	if (f->nout < sizeof f->out - 1)
		f->out[f->nout++] = (char)c;
}

static int
fake_get(struct fake *f)
{
	return f->in != NULL && *f->in != '\0' ? (unsigned char)*f->in++ : -1;
}

static void
kernel_putc(int c)
{
	fake_put(&kernel_side, c);
}

static int
kernel_getc(void)
{
	return fake_get(&kernel_side);
}

static void
kernel_handoff(int taken)
{
	kernel_side.handoffs += taken ? 1 : -1;
}

static void
driver_putc(int c)
{
	fake_put(&driver_side, c);
}

static int
driver_getc(void)
{
	return fake_get(&driver_side);
}

static int
keyboard_getc(void)
{
	return fake_get(&keyboard_side);
}

static const struct console_device kernel_dev = {
	.cd_name = "ktestcon", .cd_putc = kernel_putc, .cd_getc = kernel_getc,
	.cd_handoff = kernel_handoff,
};
static const struct console_device driver_dev = {
	.cd_name = "ktestdrv", .cd_putc = driver_putc, .cd_getc = driver_getc,
};
static const struct console_device keyboard_dev = {
	.cd_name = "ktestkbd", .cd_putc = NULL, .cd_getc = keyboard_getc,
};

/* Read what the fakes give, ignoring the real devices' input (if any was typed). */
static void
drain_fakes(char *buf, size_t len)
{
	size_t n = 0;
	int c;

	for (int i = 0; i < 64 && n < len - 1; i++) {
		if ((c = cons_getc()) < 0)
			break;
		if (c >= 'A' && c <= 'Z')
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
}

KTEST(console, takeover_and_giveback)
{
	char got[16];

	memset(&kernel_side, 0, sizeof kernel_side);
	memset(&driver_side, 0, sizeof driver_side);
	console_register(&kernel_dev);
	KT_EXPECT_EQ(console_takeover("ktestdrv", &driver_dev), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(console_takeover("ktestcon", NULL), KERN_INVALID_ARGUMENT);
	KT_ASSERT_EQ(console_takeover("ktestcon", &driver_dev), KERN_SUCCESS);
	KT_EXPECT_EQ(kernel_side.handoffs, 1);
	KT_EXPECT_EQ(console_takeover("ktestcon", &driver_dev), KERN_NAME_EXISTS);

	console_write("XY\n", 3);
	KT_EXPECT_STREQ(driver_side.out, "XY\n");
	KT_EXPECT_EQ(kernel_side.nout, 0);

	/* What the kernel's device had read comes first, then the driver's. */
	kernel_side.in = "AB";
	driver_side.in = "CD";
	drain_fakes(got, sizeof got);
	KT_EXPECT_STREQ(got, "ABCD");

	console_giveback(&driver_dev);
	KT_EXPECT_EQ(kernel_side.handoffs, 0);
	console_write("Z\n", 2);
	KT_EXPECT_STREQ(kernel_side.out, "Z\n");
	KT_EXPECT_STREQ(driver_side.out, "XY\n");
	console_unregister(&kernel_dev);
	console_write("W\n", 2);
	KT_EXPECT_STREQ(kernel_side.out, "Z\n");
}

KTEST(console, an_input_only_device)
{
	char got[16];

	memset(&keyboard_side, 0, sizeof keyboard_side);
	console_register(&keyboard_dev);
	console_write("Q\n", 2);		/* no putc: nothing to call */
	keyboard_side.in = "KEY";
	drain_fakes(got, sizeof got);
	KT_EXPECT_STREQ(got, "KEY");
	console_unregister(&keyboard_dev);
	keyboard_side.in = "NO";
	drain_fakes(got, sizeof got);
	KT_EXPECT_STREQ(got, "");
}
