/*
 * mach_thread_calls.c - the thread_act interface through thread ports:
 * thread_info's flavors, suspend and resume counts (a spinning thread
 * really stops, and starts again), thread_get_state and thread_set_state
 * (a suspended thread sent elsewhere), thread_abort of a waiting receive,
 * thread_terminate, thread_policy_set/_get, and the errors: wrong kinds
 * of port, unknown flavors, short counts, resuming a thread that is not
 * suspended, the state of a running thread. No port or message is left
 * behind.
 */

#include <mach/mach.h>
#include <mach/mig.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mach_test.h"
#include "tap.h"

static mach_port_t self;

/* A worker hands its thread port over, then does its job. */
struct worker {
	pthread_t		pt;
	volatile mach_port_t	port;
	volatile uint64_t	counter;
	volatile int		stop;
	volatile int		landed;
	volatile kern_return_t	result;
	mach_port_t		rcv;
};

static void *
spin_main(void *arg)
{
	struct worker *w = arg;

	w->port = mach_thread_self();
	while (!w->stop)
		w->counter++;
	return NULL;
}

static void *
receive_main(void *arg)
{
	struct worker *w = arg;
	struct {
		mach_msg_header_t	head;
		char			body[64];
	} msg;

	w->port = mach_thread_self();
	w->result = mach_msg(&msg.head, MACH_RCV_MSG | MACH_RCV_INTERRUPT, 0, sizeof(msg), w->rcv,
	    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	w->landed = 1;
	return NULL;
}

/* Where thread_set_state sends a suspended spinner. */
static struct worker *landing_worker;
static void __attribute__((noinline, noreturn))
landing(void)
{
	landing_worker->landed = 1;
	for (;;)
		landing_worker->counter++;
}

static void
start(struct worker *w, void *(*fn)(void *))
{
	w->port = MACH_PORT_NULL;
	if (pthread_create(&w->pt, NULL, fn, w) != 0)
		return;
	while (w->port == MACH_PORT_NULL)
		usleep(1000);
}

static integer_t
run_state(mach_port_t thread)
{
	thread_basic_info_data_t bi;
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;

	if (thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&bi, &count) != KERN_SUCCESS)
		return -1;
	return bi.run_state;
}

/* Wait up to a second for thread to reach state. */
static int
reaches(mach_port_t thread, integer_t state)
{
	for (int i = 0; i < 200; i++) {
		if (run_state(thread) == state)
			return 1;
		usleep(5000);
	}
	return 0;
}

/*
 * Wait up to a second for thread to be gone: its port refuses calls
 * (KERN_TERMINATED while it ends, KERN_INVALID_ARGUMENT once it is
 * unreferenced) and then dies (MACH_SEND_INVALID_DEST).
 */
static int
ends(mach_port_t thread)
{
	for (int i = 0; i < 200; i++) {
		if (thread_suspend(thread) == MACH_SEND_INVALID_DEST)
			return 1;
		usleep(5000);
	}
	return 0;
}

static void
info(void)
{
	mach_port_t me = mach_thread_self();
	thread_basic_info_data_t bi;
	thread_identifier_info_data_t ii;
	thread_extended_info_data_t ei;
	mach_msg_type_number_t count;

	TAP_EQ(THREAD_BASIC_INFO_COUNT, 10, "THREAD_BASIC_INFO_COUNT is XNU's");
	TAP_EQ(THREAD_IDENTIFIER_INFO_COUNT, 6, "THREAD_IDENTIFIER_INFO_COUNT is XNU's");
	count = THREAD_BASIC_INFO_COUNT;
	TAP_EQ(thread_info(me, THREAD_BASIC_INFO, (thread_info_t)&bi, &count), KERN_SUCCESS,
	    "thread_info(THREAD_BASIC_INFO)");
	TAP_OK(count == THREAD_BASIC_INFO_COUNT && bi.run_state == TH_STATE_RUNNING &&
	    bi.suspend_count == 0 && bi.policy == POLICY_TIMESHARE,
	    "running, not suspended, timeshare");
	count = THREAD_IDENTIFIER_INFO_COUNT;
	TAP_EQ(thread_info(me, THREAD_IDENTIFIER_INFO, (thread_info_t)&ii, &count), KERN_SUCCESS,
	    "thread_info(THREAD_IDENTIFIER_INFO)");
	TAP_OK(ii.thread_id != 0 && ii.thread_handle == (uint64_t)(uintptr_t)pthread_self(),
	    "an id, and the thread pointer as handle");
	count = THREAD_EXTENDED_INFO_COUNT;
	TAP_EQ(thread_info(me, THREAD_EXTENDED_INFO, (thread_info_t)&ei, &count), KERN_SUCCESS,
	    "thread_info(THREAD_EXTENDED_INFO)");
	TAP_OK(ei.pth_curpri > 0 && ei.pth_maxpriority >= ei.pth_priority,
	    "priorities");

	count = 4;
	TAP_EQ(thread_info(me, THREAD_BASIC_INFO, (thread_info_t)&bi, &count),
	    KERN_INVALID_ARGUMENT, "count too small");
	count = THREAD_BASIC_INFO_COUNT;
	TAP_EQ(thread_info(me, 77, (thread_info_t)&bi, &count), KERN_INVALID_ARGUMENT,
	    "unknown flavor");
	TAP_EQ(thread_info(self, THREAD_BASIC_INFO, (thread_info_t)&bi, &count),
	    KERN_INVALID_ARGUMENT, "thread_info on a task port");
	TAP_EQ(thread_resume(me), KERN_FAILURE, "resuming a thread not suspended");
	(void)mach_port_deallocate(self, me);
}

static void
suspend_resume(void)
{
	struct worker w;
	thread_basic_info_data_t bi;
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;
	uint64_t seen;

	memset(&w, 0, sizeof(w));
	start(&w, spin_main);
	TAP_EQ(thread_suspend(w.port), KERN_SUCCESS, "thread_suspend a spinning thread");
	TAP_OK(reaches(w.port, TH_STATE_STOPPED), "it stops");
	seen = w.counter;
	usleep(50000);
	TAP_EQ(w.counter, seen, "and does nothing while stopped");
	TAP_EQ(thread_info(w.port, THREAD_BASIC_INFO, (thread_info_t)&bi, &count), KERN_SUCCESS,
	    "thread_info of the stopped thread");
	TAP_EQ(bi.suspend_count, 1, "suspend count 1");
	TAP_OK(bi.user_time.seconds > 0 || bi.user_time.microseconds > 0,
	    "its CPU time is counted");
	TAP_EQ(thread_suspend(w.port), KERN_SUCCESS, "suspend again");
	TAP_EQ(thread_resume(w.port), KERN_SUCCESS, "one resume");
	usleep(20000);
	TAP_OK(run_state(w.port) == TH_STATE_STOPPED && w.counter == seen,
	    "one resume of two suspends keeps it stopped");
	TAP_EQ(thread_resume(w.port), KERN_SUCCESS, "the second resume");
	for (int i = 0; i < 200 && w.counter == seen; i++)
		usleep(5000);
	TAP_OK(w.counter != seen, "it runs again");
	TAP_EQ(thread_resume(w.port), KERN_FAILURE, "a third resume: not suspended");
	w.stop = 1;
	pthread_join(w.pt, NULL);
	TAP_OK(ends(w.port), "the ended thread's port answers no more");
	(void)mach_port_deallocate(self, w.port);
}

static void
state(void)
{
	struct worker w;
	x86_thread_state64_t ts, me_ts;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	mach_port_t me = mach_thread_self();
	uint64_t seen;

	TAP_EQ(x86_THREAD_STATE64_COUNT, 42, "x86_THREAD_STATE64_COUNT is XNU's");
	TAP_EQ(thread_get_state(me, x86_THREAD_STATE64, (thread_state_t)&me_ts, &count),
	    KERN_SUCCESS, "thread_get_state of the caller");
	TAP_OK(me_ts.rip > 0x400000 && me_ts.rip < 0x800000000000ULL && me_ts.rsp != 0,
	    "a user rip and rsp");

	memset(&w, 0, sizeof(w));
	start(&w, spin_main);
	count = x86_THREAD_STATE64_COUNT;
	TAP_EQ(thread_get_state(w.port, x86_THREAD_STATE64, (thread_state_t)&ts, &count),
	    KERN_FAILURE, "not the state of a running thread");
	TAP_EQ(thread_suspend(w.port), KERN_SUCCESS, "suspend it");
	TAP_OK(reaches(w.port, TH_STATE_STOPPED), "it stops");
	count = x86_THREAD_STATE64_COUNT;
	TAP_EQ(thread_get_state(w.port, x86_THREAD_STATE64, (thread_state_t)&ts, &count),
	    KERN_SUCCESS, "thread_get_state of the suspended thread");
	TAP_OK(count == x86_THREAD_STATE64_COUNT && ts.rip > 0x400000 && ts.cs == 0x2b,
	    "its rip and user code segment");
	count = 10;
	TAP_EQ(thread_get_state(w.port, x86_THREAD_STATE64, (thread_state_t)&ts, &count),
	    KERN_INVALID_ARGUMENT, "count too small");
	count = x86_THREAD_STATE64_COUNT;
	TAP_EQ(thread_get_state(w.port, x86_FLOAT_STATE64, (thread_state_t)&ts, &count),
	    KERN_INVALID_ARGUMENT, "a flavor Machina does not have");

	/* Send it to landing(), on its own stack, as if called. */
	count = x86_THREAD_STATE64_COUNT;
	(void)thread_get_state(w.port, x86_THREAD_STATE64, (thread_state_t)&ts, &count);
	ts.rip = 0xffff800000001000ULL;
	TAP_EQ(thread_set_state(w.port, x86_THREAD_STATE64, (thread_state_t)&ts, count),
	    KERN_INVALID_ARGUMENT, "no kernel rip");
	TAP_EQ(thread_set_state(w.port, x86_THREAD_STATE64, (thread_state_t)&ts, 5),
	    KERN_INVALID_ARGUMENT, "set: count too small");
	landing_worker = &w;
	ts.rip = (uint64_t)(uintptr_t)landing;
	ts.rsp = ((ts.rsp - 512) & ~15ULL) - 8;
	TAP_EQ(thread_set_state(w.port, x86_THREAD_STATE64, (thread_state_t)&ts, count),
	    KERN_SUCCESS, "thread_set_state");
	TAP_EQ(w.landed, 0, "nothing happens while suspended");
	seen = w.counter;
	TAP_EQ(thread_resume(w.port), KERN_SUCCESS, "resume it");
	for (int i = 0; i < 200 && !w.landed; i++)
		usleep(5000);
	TAP_OK(w.landed, "it runs where it was sent");

	/* It never returns from there: end it from outside. */
	TAP_EQ(thread_terminate(w.port), KERN_SUCCESS, "thread_terminate");
	/*
	 * It never ran pthread_exit, so it cannot be joined (musl's join
	 * waits for that): its port's death says it ended.
	 */
	TAP_OK(ends(w.port), "it ends");
	seen = w.counter;
	usleep(20000);
	TAP_EQ(w.counter, seen, "and runs no more");
	(void)seen;
	(void)mach_port_deallocate(self, w.port);
	(void)mach_port_deallocate(self, me);
}

static void
abort_and_terminate(void)
{
	struct worker w;

	memset(&w, 0, sizeof(w));
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &w.rcv);
	for (int safely = 0; safely < 2; safely++) {
		w.landed = 0;
		start(&w, receive_main);
		TAP_OK(reaches(w.port, TH_STATE_WAITING), "a receiver waits");
		if (safely)
			TAP_EQ(thread_abort_safely(w.port), KERN_SUCCESS, "thread_abort_safely");
		else
			TAP_EQ(thread_abort(w.port), KERN_SUCCESS, "thread_abort");
		pthread_join(w.pt, NULL);
		TAP_EQ(w.result, MACH_RCV_INTERRUPTED, "its receive was interrupted");
		(void)mach_port_deallocate(self, w.port);
	}

	w.landed = 0;
	start(&w, receive_main);
	TAP_OK(reaches(w.port, TH_STATE_WAITING), "another receiver waits");
	TAP_EQ(thread_terminate(w.port), KERN_SUCCESS, "thread_terminate the waiting thread");
	TAP_OK(ends(w.port), "it ends");
	TAP_EQ(w.landed, 0, "in its wait, never returning");
	(void)mach_port_deallocate(self, w.port);
	(void)mach_port_mod_refs(self, w.rcv, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* A process whose only thread is suspended still dies of SIGKILL. */
static void
killed_while_suspended(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		(void)thread_suspend(mach_thread_self());
		_exit(3);			/* never: it is stopped above */
	}
	TAP_OK(pid > 0, "fork");
	usleep(100000);
	TAP_EQ(kill(pid, SIGKILL), 0, "SIGKILL the suspended child");
	TAP_EQ(waitpid(pid, &status, 0), pid, "it is reaped");
	TAP_OK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "killed, not exited");
}

static void
policy(void)
{
	mach_port_t me = mach_thread_self();
	thread_extended_policy_data_t ext;
	thread_precedence_policy_data_t prec;
	thread_basic_info_data_t bi;
	mach_msg_type_number_t count;
	boolean_t get_default = FALSE;

	ext.timeshare = FALSE;
	TAP_EQ(thread_policy_set(me, THREAD_EXTENDED_POLICY, (thread_policy_t)&ext,
	    THREAD_EXTENDED_POLICY_COUNT), KERN_SUCCESS, "thread_policy_set fixed priority");
	count = THREAD_EXTENDED_POLICY_COUNT;
	ext.timeshare = TRUE;
	TAP_EQ(thread_policy_get(me, THREAD_EXTENDED_POLICY, (thread_policy_t)&ext, &count,
	    &get_default), KERN_SUCCESS, "thread_policy_get");
	TAP_OK(!ext.timeshare && !get_default, "it is fixed");
	count = THREAD_BASIC_INFO_COUNT;
	(void)thread_info(me, THREAD_BASIC_INFO, (thread_info_t)&bi, &count);
	TAP_EQ(bi.policy, POLICY_RR, "thread_info says POLICY_RR");
	ext.timeshare = TRUE;
	TAP_EQ(thread_policy_set(me, THREAD_EXTENDED_POLICY, (thread_policy_t)&ext,
	    THREAD_EXTENDED_POLICY_COUNT), KERN_SUCCESS, "back to timeshare");
	prec.importance = 5;
	TAP_EQ(thread_policy_set(me, THREAD_PRECEDENCE_POLICY, (thread_policy_t)&prec,
	    THREAD_PRECEDENCE_POLICY_COUNT), KERN_SUCCESS, "thread_policy_set precedence");
	TAP_EQ(thread_policy_set(me, 99, (thread_policy_t)&prec, 1), KERN_INVALID_POLICY,
	    "unknown policy flavor");
	TAP_EQ(thread_policy_set(self, THREAD_PRECEDENCE_POLICY, (thread_policy_t)&prec,
	    THREAD_PRECEDENCE_POLICY_COUNT), KERN_INVALID_ARGUMENT, "policy on a task port");
	(void)mach_port_deallocate(self, me);
}

static void
wrong_ports(void)
{
	mach_port_t host = mach_host_self(), me = mach_thread_self();
	struct {
		mach_msg_header_t	head;
		char			body[64];
	} msg;
	mig_reply_error_t *reply = (mig_reply_error_t *)&msg;
	mach_port_t rp = mig_get_reply_port();

	TAP_EQ(thread_suspend(host), KERN_INVALID_ARGUMENT, "thread_suspend on the host port");
	TAP_EQ(thread_suspend(self), KERN_INVALID_ARGUMENT, "thread_suspend on a task port");
	TAP_EQ(thread_suspend(MACH_PORT_NULL), MACH_SEND_INVALID_DEST,
	    "thread_suspend on MACH_PORT_NULL");
	TAP_EQ(thread_abort((mach_port_t)0x4321), MACH_SEND_INVALID_DEST,
	    "thread_abort on a name that denotes nothing");

	memset(&msg, 0, sizeof(msg));
	msg.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	msg.head.msgh_remote_port = me;
	msg.head.msgh_local_port = rp;
	msg.head.msgh_id = 3601;	/* act_get_state: skipped */
	TAP_EQ(mach_msg(&msg.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(msg.head), sizeof(msg), rp,
	    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS, "a skipped id is answered");
	TAP_EQ(reply->RetCode, MIG_BAD_ID, "with MIG_BAD_ID");
	(void)mach_port_deallocate(self, host);
	(void)mach_port_deallocate(self, me);
}

int
main(void)
{
	mach_port_t me;
	int ports0, kmsgs0, ports = -1;

	self = mach_task_self();
	/* The main thread's port and MIG reply port, made on first use, stay. */
	me = mach_thread_self();
	(void)thread_resume(me);
	(void)mach_port_deallocate(self, me);
	ports0 = ipc_count("ports");
	kmsgs0 = ipc_count("kmsgs");

	info();
	suspend_resume();
	state();
	abort_and_terminate();
	killed_while_suspended();
	policy();
	wrong_ports();
	/* Ended threads' ports go when the threads are reaped, soon after. */
	for (int i = 0; i < 100 && (ports = ipc_count("ports")) != ports0; i++)
		usleep(10000);
	TAP_EQ(ports, ports0, "no port left behind");
	TAP_EQ(ipc_count("kmsgs"), kmsgs0, "no message left behind");
	return tap_done();
}
