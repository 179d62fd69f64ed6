/*
 * debug_test.c - backtraces and the kernel log, on the running kernel.
 */

#include "kernel/debug.h"

#include "kernel/console.h"
#include "kernel/ksyms.h"
#include "kernel/msgbuf.h"
#include "kernel/version.h"
#include "tests/ktest.h"

static unsigned __noinline
capture(struct backtrace_frame *frames, unsigned max)
{
	return machine_backtrace(NULL, frames, max);
}

KTEST(debug, backtrace_walks_through_callers)
{
	struct backtrace_frame frames[BACKTRACE_MAX];
	unsigned n = capture(frames, BACKTRACE_MAX);
	bool saw_test = false, saw_runner = false;

	/* From capture(): this test, then the runner, then start-up. */
	KT_ASSERT_TRUE(n >= 3);
	for (unsigned i = 0; i < n; i++) {
		const char *name = ksyms_lookup(frames[i].bf_pc, NULL);

		if (name != NULL && strcmp(name, "ktest_debug_backtrace_walks_through_callers") == 0)
			saw_test = true;
		if (name != NULL && strcmp(name, "ktest_main") == 0)
			saw_runner = true;
	}
	KT_EXPECT_TRUE(saw_test);
	KT_EXPECT_TRUE(saw_runner);
	/* Frames go up the stack. */
	for (unsigned i = 1; i < n; i++)
		KT_EXPECT_GT(frames[i].bf_fp, frames[i - 1].bf_fp);
}

KTEST(debug, backtrace_respects_its_limit)
{
	struct backtrace_frame frames[2];

	KT_EXPECT_LE(capture(frames, 2), 2);
}

KTEST(debug, no_panic_so_far)
{
	KT_EXPECT_TRUE(panicstr == NULL);
	KT_EXPECT_EQ(nestedpanic, 0);
}

KTEST(debug, log_holds_the_banner)
{
	static char buf[4096];
	uint64_t cursor = 0;
	size_t n = msgbuf_read(&cursor, buf, sizeof(buf) - 1);

	buf[n] = '\0';
	KT_EXPECT_EQ(msgbuf.msg_magic, MSG_MAGIC);
	KT_EXPECT_TRUE(strstr(buf, version) != NULL);
}

KTEST(debug, log_read_resumes_at_its_cursor)
{
	char a[8], b[8];
	uint64_t cursor = 0, again = 4;

	KT_ASSERT_EQ(msgbuf_read(&cursor, a, sizeof(a)), sizeof(a));
	KT_EXPECT_EQ(cursor, sizeof(a));
	KT_ASSERT_EQ(msgbuf_read(&again, b, 4), 4);
	KT_EXPECT_EQ(memcmp(a + 4, b, 4), 0);
}

/* The panic report's tail: the last lines, whole, and never more text than asked. */
KTEST(debug, log_tail_finds_the_last_lines)
{
	char buf[64];
	uint64_t end, cursor;
	size_t n;

	printf("tail-one\ntail-two\ntail-three\n");
	end = __atomic_load_n(&msgbuf.msg_bufx, __ATOMIC_ACQUIRE);
	cursor = msgbuf_tail(end, 2, 1024);
	n = msgbuf_read(&cursor, buf, sizeof(buf) - 1);
	buf[n] = '\0';
	KT_EXPECT_STREQ(buf, "tail-two\ntail-three\n");

	/* A byte limit inside a line gives the end of that line only. */
	cursor = msgbuf_tail(end, 2, 8);
	n = msgbuf_read(&cursor, buf, sizeof(buf) - 1);
	buf[n] = '\0';
	KT_EXPECT_STREQ(buf, "l-three\n");

	/* A line the end cuts off counts as one. */
	cursor = msgbuf_tail(end - 3, 1, 1024);
	n = msgbuf_read(&cursor, buf, (size_t)(end - 3 - cursor));
	buf[n] = '\0';
	KT_EXPECT_STREQ(buf, "tail-thr");
	KT_EXPECT_EQ(msgbuf_tail(0, 5, 1024), 0u);
}
