/*
 * mach_task_calls.c - calls on task ports (task_info, task_threads, the
 * special ports, task policy, task_terminate), semaphores as ports
 * (created and destroyed through the task port, signalled and waited on
 * by traps, from several threads, with timeouts), and the power a task
 * port gives: task_for_pid hands a child's port to its parent of the same
 * user, with it the parent reads the child's task and ends it, and a
 * process of another user gets nothing. Leaves no port behind.
 */

#include <mach/mach.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <fcntl.h>

#include "mach_test.h"
#include "tap.h"

static mach_port_t self;

static semaphore_t ping, pong;

static void *
ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		if (semaphore_wait(ping) != KERN_SUCCESS)
			return (void *)1;
		if (semaphore_signal(pong) != KERN_SUCCESS)
			return (void *)1;
	}
	return NULL;
}

static void *
waiter(void *arg)
{
	return (void *)(intptr_t)semaphore_wait(*(semaphore_t *)arg);
}

int
main(void)
{
	int ports0;
	mach_task_basic_info_data_t bi;
	mach_msg_type_number_t count;
	thread_act_array_t threads;
	mach_port_t port;
	kern_return_t kr;

	self = mach_task_self();

	/* task_info */
	count = MACH_TASK_BASIC_INFO_COUNT;
	TAP_EQ(task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&bi, &count), KERN_SUCCESS,
	    "task_info MACH_TASK_BASIC_INFO");
	TAP_EQ(count, MACH_TASK_BASIC_INFO_COUNT, "its count");
	TAP_OK(bi.virtual_size > 0 && bi.resident_size > 0, "sizes of the address space");
	TAP_OK(bi.resident_size <= bi.virtual_size, "resident within mapped");
	count = 2;
	TAP_EQ(task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&bi, &count),
	    KERN_INVALID_ARGUMENT, "too small a count");
	count = TASK_INFO_MAX;
	TAP_EQ(task_info(self, 9999, (task_info_t)&bi, &count), KERN_INVALID_ARGUMENT,
	    "an unknown flavor");
	{
		audit_token_t at;

		count = TASK_AUDIT_TOKEN_COUNT;
		TAP_EQ(task_info(self, TASK_AUDIT_TOKEN, (task_info_t)&at, &count), KERN_SUCCESS,
		    "TASK_AUDIT_TOKEN");
		TAP_EQ(at.val[5], (unsigned)getpid(), "names this process");
	}

	/* task_threads */
	TAP_EQ(task_threads(self, &threads, &count), KERN_SUCCESS, "task_threads");
	TAP_EQ(count, 1, "one thread");
	TAP_EQ(type_of(threads[0]), MACH_PORT_TYPE_SEND, "a send right to its port");
	{
		mach_port_t me = mach_thread_self();

		TAP_EQ(threads[0], me, "the thread's own port");
		mach_port_deallocate(self, me);
	}
	mach_port_deallocate(self, threads[0]);
	munmap(threads, count * sizeof(*threads));
	/* From here on the thread's port and its reply port exist: count from now. */
	ports0 = ipc_count("ports");

	/* Special ports. */
	TAP_EQ(task_get_special_port(self, TASK_KERNEL_PORT, &port), KERN_SUCCESS,
	    "task_get_special_port TASK_KERNEL_PORT");
	TAP_EQ(port, self, "is the task's own port");
	mach_port_deallocate(self, port);
	TAP_EQ(task_get_special_port(self, 77, &port), KERN_INVALID_ARGUMENT, "port 77");
	{
		mach_port_t bs, mine, back = MACH_PORT_NULL;

		TAP_EQ(task_get_bootstrap_port(self, &bs), KERN_SUCCESS, "the bootstrap port");
		TAP_EQ(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &mine), KERN_SUCCESS,
		    "a port of its own");
		TAP_EQ(mach_port_insert_right(self, mine, mine, MACH_MSG_TYPE_MAKE_SEND),
		    KERN_SUCCESS, "with a send right");
		TAP_EQ(task_set_bootstrap_port(self, mine), KERN_SUCCESS, "set as the bootstrap port");
		TAP_EQ(task_get_bootstrap_port(self, &back), KERN_SUCCESS, "read back");
		TAP_EQ(back, mine, "it is the new one");
		TAP_EQ(task_set_bootstrap_port(self, bs), KERN_SUCCESS, "the old one again");
		mach_port_deallocate(self, back);
		TAP_EQ(mach_port_mod_refs(self, mine, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
		    "the port of its own goes");
		TAP_EQ(type_of(mine), MACH_PORT_TYPE_DEAD_NAME, "leaving the moved copy dead");
		mach_port_deallocate(self, mine);
		mach_port_deallocate(self, bs);
	}

	/* Policy. */
	{
		task_category_policy_data_t cat = { .role = TASK_FOREGROUND_APPLICATION };
		boolean_t def = FALSE;

		count = TASK_CATEGORY_POLICY_COUNT;
		TAP_EQ(task_policy_get(self, TASK_CATEGORY_POLICY, (task_policy_t)&cat, &count, &def),
		    KERN_SUCCESS, "task_policy_get before any set");
		TAP_OK(def, "reports the default");
		cat.role = TASK_FOREGROUND_APPLICATION;
		TAP_EQ(task_policy_set(self, TASK_CATEGORY_POLICY, (task_policy_t)&cat,
		    TASK_CATEGORY_POLICY_COUNT), KERN_SUCCESS, "task_policy_set a role");
		def = FALSE;
		cat.role = 0;
		TAP_EQ(task_policy_get(self, TASK_CATEGORY_POLICY, (task_policy_t)&cat, &count, &def),
		    KERN_SUCCESS, "read back");
		TAP_OK(!def && cat.role == TASK_FOREGROUND_APPLICATION, "the role set");
		cat.role = 99;
		TAP_EQ(task_policy_set(self, TASK_CATEGORY_POLICY, (task_policy_t)&cat,
		    TASK_CATEGORY_POLICY_COUNT), KERN_INVALID_ARGUMENT, "role 99 refused");
	}

	/* Semaphores. */
	TAP_EQ(semaphore_create(self, &ping, SYNC_POLICY_FIFO, 0), KERN_SUCCESS,
	    "semaphore_create");
	TAP_EQ(type_of(ping), MACH_PORT_TYPE_SEND, "a send right to its port");
	TAP_EQ(semaphore_create(self, &pong, SYNC_POLICY_FIFO, 0), KERN_SUCCESS, "and another");
	TAP_EQ(semaphore_create(self, &port, 42, 0), KERN_INVALID_ARGUMENT, "policy 42");
	TAP_EQ(semaphore_create(self, &port, SYNC_POLICY_FIFO, -1), KERN_INVALID_ARGUMENT,
	    "a negative value");
	{
		mach_timespec_t zero = { 0, 0 }, some = { 0, 20000000 }, bad = { 0, 2000000000 };

		TAP_EQ(semaphore_timedwait(ping, zero), KERN_OPERATION_TIMED_OUT,
		    "a poll of an empty semaphore");
		TAP_EQ(semaphore_timedwait(ping, some), KERN_OPERATION_TIMED_OUT, "20 ms");
		TAP_EQ(semaphore_timedwait(ping, bad), KERN_INVALID_VALUE, "2e9 ns is no timespec");
		TAP_EQ(semaphore_signal(ping), KERN_SUCCESS, "signal");
		TAP_EQ(semaphore_timedwait(ping, zero), KERN_SUCCESS, "the unit is there");
	}
	{
		pthread_t t;
		void *ret;
		int ok = 1;

		pthread_create(&t, NULL, ponger, NULL);
		for (int i = 0; i < 100 && ok; i++)
			ok = semaphore_wait_signal(pong, ping) == KERN_SUCCESS;
		pthread_join(t, &ret);
		TAP_OK(ok && ret == NULL, "a hundred round trips between two threads");
	}
	TAP_EQ(semaphore_signal(self), KERN_INVALID_ARGUMENT, "a task port is no semaphore");
	TAP_EQ(semaphore_signal(0x7fff03), KERN_INVALID_ARGUMENT, "nor a name never made");
	{
		pthread_t t;
		void *ret;

		pthread_create(&t, NULL, waiter, &pong);
		usleep(50000);
		TAP_EQ(semaphore_destroy(self, pong), KERN_SUCCESS, "destroy a semaphore waited on");
		pthread_join(t, &ret);
		TAP_EQ((kern_return_t)(intptr_t)ret, KERN_TERMINATED, "the waiter hears of it");
		TAP_EQ(type_of(pong), 0, "the send right went with the request");
	}
	TAP_EQ(semaphore_signal(ping), KERN_SUCCESS, "the other still works");
	{
		mach_port_t copy = 0x5503;

		TAP_EQ(mach_port_insert_right(self, copy, ping, MACH_MSG_TYPE_COPY_SEND),
		    KERN_RIGHT_EXISTS, "a second name for it is refused");
		TAP_EQ(mach_port_mod_refs(self, ping, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS,
		    "a second reference to it");
		TAP_EQ(semaphore_destroy(self, ping), KERN_SUCCESS, "destroy it");
		TAP_EQ(type_of(ping), MACH_PORT_TYPE_DEAD_NAME, "the reference left is a dead name");
		TAP_EQ(semaphore_signal(ping), KERN_INVALID_ARGUMENT, "which signals nothing");
		mach_port_deallocate(self, ping);
	}
	{
		int ok = 1;

		for (int i = 0; i < 500 && ok; i++) {
			ok = semaphore_create(self, &ping, SYNC_POLICY_FIFO, 1) == KERN_SUCCESS &&
			    semaphore_wait(ping) == KERN_SUCCESS &&
			    semaphore_destroy(self, ping) == KERN_SUCCESS;
		}
		TAP_OK(ok, "500 semaphores made and destroyed");
	}

	/* A child's task port, by pid. */
	{
		int p[2], status;
		pid_t pid;
		mach_port_t child;
		int got = 0;
		char c;
		volatile uint64_t *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		(void)pipe(p);
		pid = fork();
		if (pid == 0) {
			close(p[1]);
			(void)fcntl(p[0], F_SETFL, O_NONBLOCK);
			/* Count until the parent is done. */
			while (read(p[0], &c, 1) != 0)
				(*counter)++;
			_exit(0);
		}
		close(p[0]);
		TAP_EQ(task_for_pid(self, pid, &child), KERN_SUCCESS, "task_for_pid of a child");
		TAP_EQ(pid_for_task(child, &got), KERN_SUCCESS, "pid_for_task");
		TAP_EQ(got, pid, "gives its pid");
		count = MACH_TASK_BASIC_INFO_COUNT;
		TAP_EQ(task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)&bi, &count), KERN_SUCCESS,
		    "task_info through the child's port");
		TAP_EQ(task_threads(child, &threads, &count), KERN_SUCCESS, "its threads");
		TAP_EQ(count, 1, "one");
		mach_port_deallocate(self, threads[0]);
		munmap(threads, sizeof(*threads));
		{
			uint64_t before, after;

			while (*counter == 0)
				usleep(1000);
			TAP_EQ(task_suspend(child), KERN_SUCCESS, "task_suspend");
			TAP_EQ(task_suspend(child), KERN_SUCCESS, "twice");
			usleep(20000);
			before = *counter;
			usleep(50000);
			after = *counter;
			TAP_EQ(after, before, "the child stands still");
			count = MACH_TASK_BASIC_INFO_COUNT;
			TAP_EQ(task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)&bi, &count),
			    KERN_SUCCESS, "task_info");
			TAP_EQ(bi.suspend_count, 2, "says it is suspended twice");
			TAP_EQ(task_resume(child), KERN_SUCCESS, "task_resume once");
			usleep(50000);
			TAP_EQ(*counter, after, "still stands");
			TAP_EQ(task_resume(child), KERN_SUCCESS, "task_resume again");
			for (int i = 0; i < 200 && *counter == after; i++)
				usleep(5000);
			TAP_OK(*counter != after, "it runs again");
			TAP_EQ(task_resume(child), KERN_FAILURE, "a task not suspended is not resumed");
		}
		TAP_EQ(task_terminate(child), KERN_SUCCESS, "task_terminate ends it");
		TAP_EQ(waitpid(pid, &status, 0), pid, "it is reaped");
		TAP_OK(WIFSIGNALED(status) || WIFEXITED(status), "it did not go on");
		close(p[1]);
		count = MACH_TASK_BASIC_INFO_COUNT;
		kr = task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)&bi, &count);
		TAP_OK(kr != KERN_SUCCESS, "its port is dead afterwards");
		mach_port_deallocate(self, child);
		TAP_EQ(task_for_pid(self, pid, &child), KERN_FAILURE, "no such process any more");
		TAP_EQ(child, MACH_PORT_NULL, "and the name is null");
		TAP_EQ(task_for_pid(self, 0, &child), KERN_FAILURE, "never the kernel's task");
		TAP_EQ(task_for_pid(self, getpid(), (mach_port_t *)8), KERN_FAILURE,
		    "to an unmapped word");
		TAP_EQ(task_for_pid(MACH_PORT_NULL, getpid(), &child), KERN_FAILURE,
		    "without the caller's own task port");
	}
	/* Another user gets nothing. */
	if (getuid() == 0) {
		int p[2], status;
		pid_t pid;

		(void)pipe(p);
		pid = fork();
		if (pid == 0) {
			mach_port_t t = MACH_PORT_NULL;
			audit_token_t at;
			mach_msg_type_number_t n = TASK_AUDIT_TOKEN_COUNT;
			char verdict[2];

			close(p[0]);
			if (setgid(65533) != 0 || setuid(65534) != 0)
				_exit(2);
			verdict[0] = task_for_pid(mach_task_self(), getppid(), &t) == KERN_FAILURE &&
			    t == MACH_PORT_NULL ? 'y' : 'n';
			/* The task's tokens follow the credential (and name the child). */
			verdict[1] = task_info(mach_task_self(), TASK_AUDIT_TOKEN, (task_info_t)&at,
			    &n) == KERN_SUCCESS && at.val[1] == 65534 && at.val[2] == 65533 &&
			    at.val[3] == 65534 && at.val[4] == 65533 &&
			    at.val[5] == (unsigned)getpid() ? 'y' : 'n';
			(void)write(p[1], verdict, 2);
			_exit(0);
		}
		close(p[1]);
		{
			char verdict[2] = { 0, 0 };

			(void)read(p[0], verdict, 2);
			TAP_EQ(verdict[0], 'y', "another user's process is refused root's task port");
			TAP_EQ(verdict[1], 'y', "its audit token has its new uid and gid, and its pid");
		}
		waitpid(pid, &status, 0);
		close(p[0]);
	}

	TAP_EQ(ipc_count("ports"), ports0, "as many ports as at the start");
	return tap_done();
}
