/*
 * ipc_kmsg_test.c - where kmsgs come from (ipc_kmsg.h): small ones from
 * ipc.kmsgs with one kept per CPU for the next message, large ones from
 * kalloc.
 */

#include "mach/ipc/ipc_kmsg.h"

#include "kernel/machine_routines.h"
#include "mach/kern/processor.h"
#include "tests/ktest.h"

/*
 * With interrupts off, so that nothing else sends on this CPU meanwhile;
 * other CPUs may, so only this CPU's kmsg is looked at.
 */
KTEST(ipc_kmsg, a_cpu_keeps_one_small_kmsg_for_its_next_message)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);
	processor_t self = current_processor();
	ipc_kmsg_t a = ipc_kmsg_alloc(64), b = ipc_kmsg_alloc(64), c, big;

	KT_ASSERT_TRUE(a != IKM_NULL && b != IKM_NULL);
	KT_EXPECT_EQ(self->ikm_cache, IKM_NULL);	/* taken by a, if it had one */
	KT_EXPECT_EQ(a->ikm_alloc, IKM_SAVED_MSG_SIZE);
	KT_EXPECT_EQ(a->ikm_user_size, 64);
	ipc_kmsg_free(a);
	KT_EXPECT_EQ(self->ikm_cache, a);
	KT_EXPECT_GE(ipc_kmsg_cached(), 1);
	ipc_kmsg_free(b);				/* one kept already: b goes back */
	KT_EXPECT_EQ(self->ikm_cache, a);
	c = ipc_kmsg_alloc(IKM_SAVED_MSG_SIZE - IKM_HEADER_GROWTH);
	KT_EXPECT_EQ(c, a);				/* the kept one, as new */
	KT_EXPECT_EQ(self->ikm_cache, IKM_NULL);
	KT_EXPECT_EQ(c->ikm_header, (mach_msg_header_t *)(c + 1));
	KT_EXPECT_EQ(c->ikm_state, IKM_RIGHTS);
	KT_EXPECT_EQ(c->ikm_user_size, IKM_SAVED_MSG_SIZE - IKM_HEADER_GROWTH);
	big = ipc_kmsg_alloc(IKM_SAVED_MSG_SIZE);	/* past it once grown: kalloc's */
	KT_ASSERT_TRUE(big != IKM_NULL);
	KT_EXPECT_GT(big->ikm_alloc, IKM_SAVED_MSG_SIZE);
	ipc_kmsg_free(big);				/* never kept */
	KT_EXPECT_EQ(self->ikm_cache, IKM_NULL);
	ipc_kmsg_free(c);
	KT_EXPECT_EQ(self->ikm_cache, c);
	ipc_kmsg_collect();				/* back to the zone */
	KT_EXPECT_EQ(self->ikm_cache, IKM_NULL);
	ml_set_interrupts_enabled(s);
}
