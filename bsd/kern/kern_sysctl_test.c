/*
 * kern_sysctl_test.c - in-kernel tests of the MIB: OIDs registered and
 * unregistered at run time (as a kext would), OID_AUTO numbering,
 * refusals, the access flags, and an unregister that waits for a call
 * still in the handler.
 */

#include "tests/ktest.h"

#include "bsd/sys/errno.h"
#include "bsd/sys/proc.h"
#include "bsd/sys/sysctl.h"
#include "libkern/string.h"
#include "mach/kern/sched.h"

void	sysctl_securelevel_set_for_test(int level);

/* OIDs made by hand, as a kext's would be: not in the __sysctl_set. */
#define KT_OID(parent, nbr, nm, kind, a1, a2, handler, fmt) {			\
	.oid_parent = (parent), .oid_number = (nbr), .oid_kind = (int)(kind),	\
	.oid_arg1 = (a1), .oid_arg2 = (a2), .oid_name = (nm),			\
	.oid_handler = (handler), .oid_fmt = (fmt), .oid_descr = "a test"	\
}

static int kt_value;
static char kt_string[16];

KTEST(sysctl, an_oid_registered_at_run_time_is_found_and_goes)
{
	struct sysctl_oid oid = KT_OID(&sysctl__debug_children, OID_AUTO, "kt_value",
	    CTLTYPE_INT | CTLFLAG_RW, &kt_value, 0, sysctl_handle_int, "I");
	int v = 0, nv = 9;
	size_t len = sizeof(v);

	kt_value = 5;
	KT_ASSERT_EQ(sysctl_register_oid(&oid), 0);
	KT_EXPECT_GE(oid.oid_number, OID_AUTO_START);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_value", &v, &len, NULL, 0), 0);
	KT_EXPECT_EQ(v, 5);
	KT_EXPECT_EQ(len, sizeof(int));
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_value", &v, &len, &nv, sizeof(nv)), 0);
	KT_EXPECT_EQ(v, 5);
	KT_EXPECT_EQ(kt_value, 9);
	sysctl_unregister_oid(&oid);
	KT_EXPECT_EQ(oid.oid_number, OID_AUTO);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_value", &v, &len, NULL, 0), ENOENT);
	sysctl_unregister_oid(&oid);		/* twice: nothing happens */
}

KTEST(sysctl, names_and_numbers_are_unique_in_a_node)
{
	struct sysctl_oid a = KT_OID(&sysctl__debug_children, OID_AUTO, "kt_a",
	    CTLTYPE_INT | CTLFLAG_RD, &kt_value, 0, sysctl_handle_int, "I");
	struct sysctl_oid a2 = KT_OID(&sysctl__debug_children, OID_AUTO, "kt_a",
	    CTLTYPE_INT | CTLFLAG_RD, &kt_value, 0, sysctl_handle_int, "I");
	struct sysctl_oid b = KT_OID(&sysctl__debug_children, OID_AUTO, "kt_b",
	    CTLTYPE_INT | CTLFLAG_RD, &kt_value, 0, sysctl_handle_int, "I");
	struct sysctl_oid c = KT_OID(&sysctl__debug_children, 0, "kt_c",
	    CTLTYPE_INT | CTLFLAG_RD, &kt_value, 0, sysctl_handle_int, "I");

	KT_ASSERT_EQ(sysctl_register_oid(&a), 0);
	KT_EXPECT_EQ(sysctl_register_oid(&a), EEXIST);
	KT_EXPECT_EQ(sysctl_register_oid(&a2), EEXIST);
	KT_EXPECT_EQ(sysctl_register_oid(&b), 0);
	KT_EXPECT_GT(b.oid_number, a.oid_number);
	c.oid_number = a.oid_number;
	KT_EXPECT_EQ(sysctl_register_oid(&c), EEXIST);
	KT_EXPECT_EQ(sysctl_register_oid(NULL), EINVAL);
	sysctl_unregister_oid(&b);
	sysctl_unregister_oid(&a);
}

KTEST(sysctl, a_node_of_a_kext_holds_its_children)
{
	struct sysctl_oid_list children = TAILQ_HEAD_INITIALIZER(children);
	struct sysctl_oid node = KT_OID(&sysctl__debug_children, OID_AUTO, "kt_node",
	    CTLTYPE_NODE | CTLFLAG_RW, &children, 0, NULL, "N");
	struct sysctl_oid leaf = KT_OID(&children, OID_AUTO, "leaf",
	    CTLTYPE_STRING | CTLFLAG_RW, kt_string, sizeof(kt_string), sysctl_handle_string, "A");
	int q[2 + CTL_MAXNAME] = { 0, 3 }, oid[CTL_MAXNAME];
	char buf[32];
	size_t len = sizeof(buf), olen = sizeof(oid);

	strlcpy(kt_string, "hello", sizeof(kt_string));
	KT_ASSERT_EQ(sysctl_register_oid(&node), 0);
	KT_EXPECT_EQ(sysctl_register_oid(&leaf), 0);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_node.leaf", buf, &len, "bye", 3), 0);
	KT_EXPECT_STREQ(buf, "hello");
	KT_EXPECT_STREQ(kt_string, "bye");
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_node.leaf", NULL, NULL,
	    "a string that is far too long", 29), EINVAL);
	/* name2oid, then the listing finds it after its node. */
	KT_EXPECT_EQ(kernel_sysctl(kernproc, q, 2, oid, &olen, "debug.kt_node.leaf", 18), 0);
	KT_EXPECT_EQ(olen, 3 * sizeof(int));
	KT_EXPECT_EQ(oid[0], CTL_DEBUG);
	KT_EXPECT_EQ(oid[1], node.oid_number);
	KT_EXPECT_EQ(oid[2], leaf.oid_number);
	q[1] = SYSCTL_OID_NEXT, q[2] = CTL_DEBUG, q[3] = node.oid_number;
	olen = sizeof(oid);
	KT_EXPECT_EQ(kernel_sysctl(kernproc, q, 4, oid, &olen, NULL, 0), 0);
	KT_EXPECT_EQ(olen, 3 * sizeof(int));
	KT_EXPECT_EQ(oid[2], leaf.oid_number);
	len = sizeof(buf);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_node", buf, &len, NULL, 0), ENOENT);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_node.leaf.more", buf, &len, NULL, 0), ENOENT);
	sysctl_unregister_oid(&leaf);
	sysctl_unregister_oid(&node);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_node.leaf", buf, &len, NULL, 0), ENOENT);
}

KTEST(sysctl, access_flags_are_kept)
{
	struct sysctl_oid ro = KT_OID(&sysctl__debug_children, OID_AUTO, "kt_ro",
	    CTLTYPE_INT | CTLFLAG_RD, &kt_value, 0, sysctl_handle_int, "I");
	struct sysctl_oid sec = KT_OID(&sysctl__debug_children, OID_AUTO, "kt_secure",
	    CTLTYPE_INT | CTLFLAG_RW | CTLFLAG_SECURE, &kt_value, 0, sysctl_handle_int, "I");
	int v = 1, out;
	size_t len = 2;

	KT_ASSERT_EQ(sysctl_register_oid(&ro), 0);
	KT_ASSERT_EQ(sysctl_register_oid(&sec), 0);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_ro", NULL, NULL, &v, sizeof(v)), EPERM);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_secure", NULL, NULL, &v, sizeof(v)), 0);
	sysctl_securelevel_set_for_test(1);
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_secure", NULL, NULL, &v, sizeof(v)), EPERM);
	sysctl_securelevel_set_for_test(0);
	/* A short buffer: ENOMEM and the length needed. */
	KT_EXPECT_EQ(kernel_sysctlbyname("debug.kt_ro", &out, &len, NULL, 0), ENOMEM);
	KT_EXPECT_EQ(len, sizeof(int));
	sysctl_unregister_oid(&sec);
	sysctl_unregister_oid(&ro);
}

/* A handler that stays in until told to go. */
static struct {
	volatile int	entered;
	volatile int	release;
	volatile int	reader_done;
	volatile int	reader_error;
	volatile int	unregistered;
	struct sysctl_oid *oid;
} slow;

static int
kt_slow_handler SYSCTL_HANDLER_ARGS
{
	int v = 42;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	slow.entered = 1;
	while (!slow.release)
		ktest_sleep_ms(1);
	return SYSCTL_OUT(req, &v, sizeof(v));
}

static void
kt_slow_reader(void *arg, int wr)
{
	int v = 0;
	size_t len = sizeof(v);

	(void)arg;
	(void)wr;
	slow.reader_error = kernel_sysctlbyname("debug.kt_slow", &v, &len, NULL, 0);
	slow.reader_done = 1;
}

static void
kt_unregisterer(void *arg, int wr)
{
	(void)arg;
	(void)wr;
	sysctl_unregister_oid(slow.oid);
	slow.unregistered = 1;
}

KTEST(sysctl, unregister_waits_for_calls_in_the_handler)
{
	struct sysctl_oid oid = KT_OID(&sysctl__debug_children, OID_AUTO, "kt_slow",
	    CTLTYPE_INT | CTLFLAG_RD | CTLFLAG_LOCKED, NULL, 0, kt_slow_handler, "I");
	struct thread *reader, *unreg;

	memset((void *)&slow, 0, sizeof(slow));
	slow.oid = &oid;
	KT_ASSERT_EQ(sysctl_register_oid(&oid), 0);
	reader = ktest_thread_start(kt_slow_reader, NULL, BASEPRI_DEFAULT);
	KT_EXPECT_TRUE(ktest_wait_until(slow.entered, 20000));
	unreg = ktest_thread_start(kt_unregisterer, NULL, BASEPRI_DEFAULT);
	/* It cannot finish while the reader is inside. */
	ktest_sleep_ms(20);
	KT_EXPECT_FALSE(slow.unregistered);
	slow.release = 1;
	KT_EXPECT_TRUE(ktest_wait_until(slow.unregistered && slow.reader_done, 20000));
	KT_EXPECT_EQ(slow.reader_error, 0);
	ktest_thread_join(reader);
	ktest_thread_join(unreg);
	KT_EXPECT_EQ(oid.oid_registered, 0);
}

KTEST(sysctl, the_standard_nodes_answer)
{
	char buf[64];
	int ncpu = 0;
	size_t len = sizeof(buf);

	KT_EXPECT_EQ(kernel_sysctlbyname("kern.ostype", buf, &len, NULL, 0), 0);
	KT_EXPECT_STREQ(buf, "Machina");
	len = sizeof(ncpu);
	KT_EXPECT_EQ(kernel_sysctlbyname("hw.ncpu", &ncpu, &len, NULL, 0), 0);
	KT_EXPECT_GE(ncpu, 1);
}
