/*
 * test_run_queue.c - mach/kern/run_queue.c: selection by priority through
 * the bitmap, FIFO order within a priority, head insertion for preempted
 * threads, and removal from anywhere, checked case by case and in a
 * randomized run against a model (an array of FIFOs scanned from the top).
 */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tests/unit/shim/kern.h"
#include "tests/unit/shim/rand.h"
#include "tests/unit/shim/shim.h"

#include "mach/kern/run_queue.h"

#define NTHREADS	512

static struct thread threads[NTHREADS];
static struct run_queue rq;

static void
setup(void)
{
	memset(threads, 0, sizeof(threads));
	run_queue_init(&rq);
}

TestSuite(run_queue, .init = setup);

static thread_t
at(unsigned i, int pri)
{
	threads[i].sched_pri = pri;
	threads[i].thread_id = i;
	return &threads[i];
}

Test(run_queue, empty_has_nothing)
{
	cr_assert_eq(run_queue_highest(&rq), -1);
	cr_assert_null(run_queue_dequeue(&rq));
	cr_assert_eq(rq.rq_count, 0);
}

Test(run_queue, highest_priority_first_then_fifo)
{
	run_queue_enqueue(&rq, at(0, 31), FALSE);
	run_queue_enqueue(&rq, at(1, 80), FALSE);
	run_queue_enqueue(&rq, at(2, 31), FALSE);
	run_queue_enqueue(&rq, at(3, 97), FALSE);
	run_queue_enqueue(&rq, at(4, 80), FALSE);
	cr_assert_eq(rq.rq_count, 5);
	cr_assert_eq(run_queue_highest(&rq), 97);
	cr_assert_eq(run_queue_dequeue(&rq), &threads[3]);
	cr_assert_eq(run_queue_dequeue(&rq), &threads[1]);
	cr_assert_eq(run_queue_dequeue(&rq), &threads[4]);
	cr_assert_eq(run_queue_dequeue(&rq), &threads[0]);
	cr_assert_eq(run_queue_dequeue(&rq), &threads[2]);
	cr_assert_null(run_queue_dequeue(&rq));
	cr_assert_eq(run_queue_highest(&rq), -1);
}

Test(run_queue, a_preempted_thread_goes_first_at_its_priority)
{
	run_queue_enqueue(&rq, at(0, 40), FALSE);
	run_queue_enqueue(&rq, at(1, 40), FALSE);
	run_queue_enqueue(&rq, at(2, 40), TRUE);	/* preempted: resumes first */
	cr_assert_eq(run_queue_dequeue(&rq), &threads[2]);
	cr_assert_eq(run_queue_dequeue(&rq), &threads[0]);
	cr_assert_eq(run_queue_dequeue(&rq), &threads[1]);
}

Test(run_queue, every_bitmap_word_boundary)
{
	static const int pris[] = { 0, 1, 62, 63, 64, 65, 126, 127 };

	for (unsigned i = 0; i < sizeof(pris) / sizeof(pris[0]); i++)
		run_queue_enqueue(&rq, at(i, pris[i]), FALSE);
	for (int i = (int)(sizeof(pris) / sizeof(pris[0])) - 1; i >= 0; i--) {
		cr_assert_eq(run_queue_highest(&rq), pris[i]);
		cr_assert_eq(run_queue_dequeue(&rq), &threads[i]);
	}
	cr_assert_eq(run_queue_highest(&rq), -1);
}

Test(run_queue, removal_from_anywhere_keeps_the_bitmap_right)
{
	run_queue_enqueue(&rq, at(0, 64), FALSE);
	run_queue_enqueue(&rq, at(1, 63), FALSE);
	run_queue_enqueue(&rq, at(2, 63), FALSE);
	run_queue_remove(&rq, &threads[0]);		/* the only one at 64 */
	cr_assert_eq(run_queue_highest(&rq), 63);
	run_queue_remove(&rq, &threads[2]);		/* the last at 63, not the first */
	cr_assert_eq(run_queue_highest(&rq), 63);
	cr_assert_eq(run_queue_dequeue(&rq), &threads[1]);
	cr_assert_eq(run_queue_highest(&rq), -1);
	cr_assert_eq(rq.rq_count, 0);
}

Test(run_queue, an_invalid_priority_panics, .signal = SIGABRT)
{
	shim_expect_panic("assertion failed");
	run_queue_enqueue(&rq, at(0, 128), FALSE);
}

/* The model: a FIFO of thread indices per priority. */
static int model[128][NTHREADS];
static int model_len[128];
static bool queued[NTHREADS];

static int
model_highest(void)
{
	for (int p = 127; p >= 0; p--) {
		if (model_len[p] > 0)
			return p;
	}
	return -1;
}

static void
model_remove_at(int p, int pos)
{
	memmove(&model[p][pos], &model[p][pos + 1],
	    (size_t)(model_len[p] - pos - 1) * sizeof(model[p][0]));
	model_len[p]--;
}

Test(run_queue, random_operations_match_the_model)
{
	struct test_rand r;
	int count = 0;

	memset(model_len, 0, sizeof(model_len));
	memset(queued, 0, sizeof(queued));
	test_rand_seed(&r, 0x5eed0003);
	for (unsigned step = 0; step < 200000; step++) {
		unsigned op = (unsigned)test_rand_below(&r, 4);
		unsigned i = (unsigned)test_rand_below(&r, NTHREADS);

		if (op <= 1 && !queued[i]) {
			int p = (int)test_rand_below(&r, 128);
			boolean_t head = test_rand_below(&r, 4) == 0;

			run_queue_enqueue(&rq, at(i, p), head);
			if (head) {
				memmove(&model[p][1], &model[p][0],
				    (size_t)model_len[p] * sizeof(model[p][0]));
				model[p][0] = (int)i;
				model_len[p]++;
			} else {
				model[p][model_len[p]++] = (int)i;
			}
			queued[i] = true;
			count++;
		} else if (op == 2) {
			int p = model_highest();
			thread_t t = run_queue_dequeue(&rq);

			if (p < 0) {
				cr_assert_null(t, "step %u", step);
				continue;
			}
			cr_assert_eq(t, &threads[model[p][0]], "step %u: wrong thread", step);
			queued[model[p][0]] = false;
			model_remove_at(p, 0);
			count--;
		} else if (op == 3 && queued[i]) {
			int p = threads[i].sched_pri, pos = 0;

			while (model[p][pos] != (int)i)
				pos++;
			run_queue_remove(&rq, &threads[i]);
			model_remove_at(p, pos);
			queued[i] = false;
			count--;
		}
		cr_assert_eq(run_queue_highest(&rq), model_highest(), "step %u", step);
		cr_assert_eq(rq.rq_count, count, "step %u", step);
	}
}
