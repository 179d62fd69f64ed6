/*
 * usermode_test.c - user mode end to end: system calls by class, Mach
 * traps, write, exceptions and their default action, preemption and
 * termination of user threads, the way back to user mode when it cannot
 * be taken, and register and FPU state across context switches.
 *
 * Each test runs one of the small programs of usermode_test_programs.asm
 * in a task of its own (tests/ktest_user.h), with the data page's address
 * in rdi and its inputs in rsi, rdx and r10, and reads what it left in the
 * data page, in its thread (exc_info) and in its task (bsd_exit_status).
 */

#include <stddef.h>

#include "bsd/sys/errno.h"
#include "iokit/Kernel/IOLib.h"
#include "kernel/console.h"
#include "kernel/x86_64/cpu.h"
#include "kernel/x86_64/cpu_data.h"
#include "kernel/x86_64/fpu.h"
#include "kernel/x86_64/gdt.h"
#include "kernel/x86_64/trap.h"
#include "mach/exception_types.h"
#include "mach/kern/clock.h"
#include "mach/kern/exception.h"
#include "mach/kern/processor.h"
#include "mach/kern/sched.h"
#include "mach/kern/sched_prim.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "tests/kbench.h"
#include "tests/ktest.h"
#include "tests/ktest_user.h"

#define UTP(name)	extern const uint8_t utp_##name[], utp_##name##_end[]
#define PROG(name)	utp_##name, utp_##name##_end
#define PROG_LEN(name)	utp_##name, (size_t)(utp_##name##_end - utp_##name)

UTP(traps);
UTP(write);
UTP(ud2);
UTP(gp);
UTP(de);
UTP(bad_read);
UTP(code_write);
UTP(kernel_read);
UTP(int3);
UTP(int80);
UTP(sse_div0);
UTP(x87_div0);
UTP(bad_trap);
UTP(spin);
UTP(spin_bad_rsp);
UTP(wait_forever);
UTP(exit_thread);
UTP(regs);
UTP(bench);

#define UWAIT_MS	10000	/* how long a program that should end may take */

/* A program in a task of its own, and its (first) thread. */
struct urun {
	struct ktest_utask	u;
	thread_t		t;
};

/* The thread's registers at its start: the data page, and the inputs. */
static void
uthread_args(thread_t t, uint64_t rsi, uint64_t rdx, uint64_t r10)
{
	struct x86_saved_state *iss = t->machine.iss;

	iss->rdi = KTEST_UDATA_VA;
	iss->rsi = rsi;
	iss->rdx = rdx;
	iss->r10 = r10;
}

static boolean_t
urun_setup(struct urun *r, const char *name, const uint8_t *start, const uint8_t *end,
    uint64_t rsi, uint64_t rdx, uint64_t r10)
{
	if (ktest_utask_create(&r->u, name, start, (size_t)(end - start)) != KERN_SUCCESS)
		return FALSE;
	if (ktest_uthread_create(&r->u, KTEST_UCODE_VA, KTEST_USTACK_TOP, &r->t) !=
	    KERN_SUCCESS) {
		ktest_utask_destroy(&r->u);
		return FALSE;
	}
	uthread_args(r->t, rsi, rdx, r10);
	return TRUE;
}

static void
urun_teardown(struct urun *r)
{
	ktest_uthread_release(r->t);
	ktest_utask_destroy(&r->u);
}

/* Run to the end; FALSE if it did not end in time. */
static boolean_t
urun(struct urun *r)
{
	KT_EXPECT_EQ(thread_resume(r->t), KERN_SUCCESS);
	return ktest_uthread_wait(r->t, UWAIT_MS);
}

/* Keep thread on processor 0, so that threads share one CPU whatever -smp says. */
static void
bind_to_cpu0(thread_t thread)
{
	boolean_t s = sched_lock();

	thread->bound_processor = &processor_array[0];
	sched_unlock(s);
}

/* --- system calls ----------------------------------------------------------- */

KTEST(usermode, mach_traps_answer_and_exit_group_ends_the_task)
{
	struct urun r;
	uint64_t *d;

	KT_ASSERT_TRUE(urun_setup(&r, "utraps", PROG(traps), 0, 0, 0));
	KT_EXPECT_TRUE(urun(&r));
	d = r.u.data;
	KT_EXPECT_EQ(d[0], KERN_INVALID_ARGUMENT);	/* an empty slot: kern_invalid */
	KT_EXPECT_EQ(d[1], KERN_SUCCESS);		/* mach_timebase_info */
	KT_EXPECT_EQ(d[2] & 0xffffffff, 1);		/* numer */
	KT_EXPECT_EQ(d[2] >> 32, 1);			/* denom */
	KT_EXPECT_EQ(d[3], KERN_INVALID_ADDRESS);	/* to a kernel address */
	KT_EXPECT_EQ(d[4], KERN_SUCCESS);		/* mach_wait_until(0) */
	KT_EXPECT_LE(d[5], 1);				/* swtch: a boolean */
	KT_EXPECT_LE(d[6], 1);				/* swtch_pri */
	KT_EXPECT_EQ(d[7], KERN_SUCCESS);		/* thread_switch NONE */
	KT_EXPECT_EQ(d[8], KERN_SUCCESS);		/* DEPRESS */
	KT_EXPECT_EQ(d[9], KERN_SUCCESS);		/* WAIT */
	KT_EXPECT_EQ(d[10], KERN_INVALID_ARGUMENT);	/* an unknown option */
	KT_EXPECT_EQ(d[11], 1);				/* registers kept */
	KT_EXPECT_EQ(r.u.task->bsd_exit_status, 42);
	KT_EXPECT_FALSE(r.u.task->active);
	KT_EXPECT_EQ(r.t->exc_info.exc_type, 0);
	/* The depression ended with the call. */
	KT_EXPECT_FALSE(r.t->sched_flags & TH_SFLAG_DEPRESS);
	urun_teardown(&r);
}

KTEST(usermode, write_reaches_the_console_and_other_classes_are_enosys)
{
	uint64_t cursor = ktest_log_cursor();
	struct urun r;
	uint64_t *d;

	KT_ASSERT_TRUE(urun_setup(&r, "uwrite", PROG(write), 0, 0, 0));
	KT_EXPECT_TRUE(urun(&r));
	d = r.u.data;
	KT_EXPECT_EQ(d[0], sizeof("usermode: hello from user space\n") - 1);
	KT_EXPECT_EQ(d[1], sizeof("usermode: and from its stderr\n") - 1);
	KT_EXPECT_EQ(d[2], (uint64_t)-EFAULT);		/* from page zero */
	KT_EXPECT_EQ(d[3], (uint64_t)-EFAULT);		/* from the kernel */
	KT_EXPECT_EQ(d[4], (uint64_t)-EBADF);
	KT_EXPECT_EQ(d[5], (uint64_t)-ENOSYS);		/* class 7 */
	KT_EXPECT_EQ(d[6], (uint64_t)-ENOSYS);		/* class 2 */
	KT_EXPECT_EQ(d[7], (uint64_t)-ENOSYS);		/* Linux 999 */
	KT_EXPECT_EQ(d[8], (uint64_t)-ENOSYS);		/* high bits */
	KT_EXPECT_EQ(d[9], 0);				/* nothing to write */
	KT_EXPECT_TRUE(ktest_log_has(cursor, "usermode: hello from user space\n"));
	KT_EXPECT_TRUE(ktest_log_has(cursor, "usermode: and from its stderr\n"));
	KT_EXPECT_EQ(r.u.task->bsd_exit_status, 0);
	urun_teardown(&r);
}

KTEST(usermode, a_trap_past_the_table_raises_exc_syscall)
{
	struct urun r;

	KT_ASSERT_TRUE(urun_setup(&r, "ubadtrap", PROG(bad_trap), 0, 0, 0));
	KT_EXPECT_TRUE(urun(&r));
	KT_EXPECT_EQ(r.t->exc_info.exc_type, EXC_SYSCALL);
	KT_EXPECT_EQ(r.t->exc_info.exc_code, 0x1000000 + 500);
	KT_EXPECT_FALSE(r.u.task->active);
	KT_EXPECT_EQ(r.u.task->bsd_exit_status, -1);
	urun_teardown(&r);
}

KTEST(usermode, exit_ends_one_thread_and_the_last_ends_the_task)
{
	struct ktest_utask u;
	thread_t a, b;

	KT_ASSERT_EQ(ktest_utask_create(&u, "uexit", PROG_LEN(exit_thread)), KERN_SUCCESS);
	KT_ASSERT_EQ(ktest_uthread_create(&u, KTEST_UCODE_VA, KTEST_USTACK_TOP, &a),
	    KERN_SUCCESS);
	KT_ASSERT_EQ(ktest_uthread_create(&u, KTEST_UCODE_VA, KTEST_USTACK_TOP, &b),
	    KERN_SUCCESS);
	uthread_args(a, 5, 0, 0);
	uthread_args(b, 7, 0, 0);
	KT_EXPECT_EQ(thread_resume(a), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_uthread_wait(a, UWAIT_MS));
	KT_EXPECT_TRUE(u.task->active);			/* b is still there */
	KT_EXPECT_EQ(u.task->bsd_exit_status, -1);
	KT_EXPECT_EQ(thread_resume(b), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_uthread_wait(b, UWAIT_MS));
	KT_EXPECT_FALSE(u.task->active);
	KT_EXPECT_EQ(u.task->bsd_exit_status, 7);
	ktest_uthread_release(a);
	ktest_uthread_release(b);
	ktest_utask_destroy(&u);
}

/* --- exceptions ------------------------------------------------------------- */

struct exc_case {
	const char	*name;
	const uint8_t	*start, *end;
	exception_type_t type;
	int64_t		code;
	int64_t		subcode;
	uint64_t	subcode_mask;	/* the bits of subcode to compare */
	int64_t		pc_offset;	/* where it stopped; -1: anywhere in the program */
};

/*
 * Run a program that does something the machine refuses: it must end with
 * the exception recorded in its thread, its task terminated, no exit
 * status, and the kernel unharmed.
 */
static void
exception_case(const struct exc_case *c)
{
	uint64_t cursor = ktest_log_cursor();
	struct urun r;
	const struct thread_exc_info *e;

	KT_ASSERT_TRUE(urun_setup(&r, c->name, c->start, c->end, 0, 0, 0));
	KT_EXPECT_TRUE(urun(&r));
	e = &r.t->exc_info;
	KT_EXPECT_EQ(e->exc_type, c->type);
	KT_EXPECT_EQ(e->exc_code, c->code);
	KT_EXPECT_EQ((uint64_t)e->exc_subcode & c->subcode_mask,
	    (uint64_t)c->subcode & c->subcode_mask);
	KT_EXPECT_EQ(e->exc_count, 1);
	if (c->pc_offset >= 0)
		KT_EXPECT_EQ(e->exc_pc, KTEST_UCODE_VA + (uint64_t)c->pc_offset);
	KT_EXPECT_GE(e->exc_pc, KTEST_UCODE_VA);
	KT_EXPECT_LT(e->exc_pc, KTEST_UCODE_VA + (uint64_t)(c->end - c->start));
	KT_EXPECT_FALSE(r.u.task->active);
	KT_EXPECT_EQ(r.u.task->bsd_exit_status, -1);
	KT_EXPECT_TRUE(ktest_log_has(cursor, exception_name(c->type)));
	KT_EXPECT_TRUE(ktest_log_has(cursor, "task terminated"));
	urun_teardown(&r);
}

#define ALL	(~0ULL)

KTEST(usermode, ud_is_exc_bad_instruction)
{
	exception_case(&(struct exc_case){ "uud2", PROG(ud2), EXC_BAD_INSTRUCTION,
	    EXC_I386_INVOP, 0, ALL, 0 });
}

KTEST(usermode, gp_is_exc_bad_access)
{
	exception_case(&(struct exc_case){ "ugp", PROG(gp), EXC_BAD_ACCESS,
	    EXC_I386_GPFLT, 0, ALL, 0 });
}

KTEST(usermode, int_on_a_kernel_gate_is_gp)
{
	/*
	 * The error code names the gate, with its IDT bit (1) set; how the
	 * index is scaled in long mode differs (QEMU counts 16-byte gates).
	 */
	exception_case(&(struct exc_case){ "uint80", PROG(int80), EXC_BAD_ACCESS,
	    EXC_I386_GPFLT, 0x2, 0x3, 0 });
}

KTEST(usermode, de_is_exc_arithmetic)
{
	exception_case(&(struct exc_case){ "ude", PROG(de), EXC_ARITHMETIC, EXC_I386_DIV,
	    0, ALL, -1 });
}

KTEST(usermode, int3_is_exc_breakpoint)
{
	/* A trap: rip is past the int3. */
	exception_case(&(struct exc_case){ "uint3", PROG(int3), EXC_BREAKPOINT, EXC_I386_BPT,
	    0, ALL, 1 });
}

/*
 * MXCSR's ZE flag (bit 2) says what happened. A CPU that does not deliver
 * #XM for an unmasked SIMD exception (QEMU's TCG, up to 7.2 at least) just
 * sets the flag: the program then exits, having stored MXCSR.
 */
KTEST(usermode, sse_divide_by_zero_is_exc_arithmetic_with_mxcsr)
{
	struct urun r;

	KT_ASSERT_TRUE(urun_setup(&r, "usse", PROG(sse_div0), 0, 0, 0));
	KT_EXPECT_TRUE(urun(&r));
	if (r.t->exc_info.exc_type == 0) {
		printf("# usermode: this CPU does not raise #XM; MXCSR 0x%llx\n",
		    (unsigned long long)r.u.data[0]);
		KT_EXPECT_TRUE(r.u.data[0] & (1 << 2));
		KT_EXPECT_EQ(r.u.task->bsd_exit_status, 1);
	} else {
		KT_EXPECT_EQ(r.t->exc_info.exc_type, EXC_ARITHMETIC);
		KT_EXPECT_EQ(r.t->exc_info.exc_code, EXC_I386_SSEEXTERR);
		KT_EXPECT_TRUE(r.t->exc_info.exc_subcode & (1 << 2));
		KT_EXPECT_EQ(r.u.task->bsd_exit_status, -1);
	}
	urun_teardown(&r);
}

KTEST(usermode, x87_divide_by_zero_is_exc_arithmetic_with_fsw)
{
	/* FSW's ZE flag (bit 2). */
	exception_case(&(struct exc_case){ "ux87", PROG(x87_div0), EXC_ARITHMETIC,
	    EXC_I386_EXTERR, 1 << 2, 1 << 2, -1 });
}

KTEST(usermode, unmapped_read_is_exc_bad_access)
{
	exception_case(&(struct exc_case){ "ubadread", PROG(bad_read), EXC_BAD_ACCESS,
	    KERN_INVALID_ADDRESS, 0x10, ALL, 0 });
}

KTEST(usermode, kernel_read_is_exc_bad_access)
{
	exception_case(&(struct exc_case){ "ukread", PROG(kernel_read), EXC_BAD_ACCESS,
	    KERN_INVALID_ADDRESS, (int64_t)0xffffffff80000000ULL, ALL, -1 });
}

KTEST(usermode, write_to_read_only_code_is_exc_bad_access)
{
	uint64_t cursor = ktest_log_cursor();
	struct urun r;
	const struct thread_exc_info *e;

	KT_ASSERT_TRUE(urun_setup(&r, "ucodewr", PROG(code_write), 0, 0, 0));
	KT_EXPECT_TRUE(urun(&r));
	e = &r.t->exc_info;
	KT_EXPECT_EQ(e->exc_type, EXC_BAD_ACCESS);
	/* Not in the map at all (today), or mapped without write (with the VM system). */
	KT_EXPECT_TRUE(e->exc_code == KERN_INVALID_ADDRESS ||
	    e->exc_code == KERN_PROTECTION_FAILURE);
	KT_EXPECT_EQ(e->exc_subcode, KTEST_UCODE_VA);
	KT_EXPECT_TRUE(ktest_log_has(cursor, "EXC_BAD_ACCESS (KERN_"));
	urun_teardown(&r);
}

KTEST(usermode, the_exception_line_says_what_and_where)
{
	uint64_t cursor = ktest_log_cursor();
	struct urun r;
	char line[128];

	KT_ASSERT_TRUE(urun_setup(&r, "ulogline", PROG(bad_read), 0, 0, 0));
	KT_EXPECT_TRUE(urun(&r));
	snprintf(line, sizeof(line), "exception: thread %llu of task ulogline: EXC_BAD_ACCESS "
	    "(KERN_INVALID_ADDRESS at 0x10), rip 0x%lx; task terminated\n",
	    (unsigned long long)r.t->thread_id, KTEST_UCODE_VA);
	KT_EXPECT_TRUE(ktest_log_has(cursor, line));
	urun_teardown(&r);
}

/* --- the way back to user mode ---------------------------------------------- */

static void
entry_outside_user_space(uint64_t entry)
{
	struct urun r;
	const struct thread_exc_info *e;

	KT_ASSERT_TRUE(urun_setup(&r, "ubadentry", PROG(spin), 0, 0, 0));
	thread_setentrypoint(r.t, entry);
	KT_EXPECT_TRUE(urun(&r));
	e = &r.t->exc_info;
	KT_EXPECT_EQ(e->exc_type, EXC_BAD_ACCESS);
	KT_EXPECT_EQ(e->exc_code, KERN_INVALID_ADDRESS);
	KT_EXPECT_EQ((uint64_t)e->exc_subcode, entry);
	KT_EXPECT_EQ(r.u.data[0], 0);			/* no user code ran */
	urun_teardown(&r);
}

KTEST(usermode, a_non_canonical_entry_point_is_an_exception_not_a_kernel_fault)
{
	entry_outside_user_space(0x0000800000000000ULL);
	entry_outside_user_space(0x8000000000000000ULL);
}

KTEST(usermode, an_entry_point_in_the_kernel_is_an_exception)
{
	entry_outside_user_space(0xffffffff80000000ULL);
}

/*
 * A stack pointer outside user space: the iretq after each interrupt
 * either takes it (the CPU does not check rsp) or faults in the kernel,
 * which must become the thread's exception. Either way the kernel goes on
 * and the thread can be ended.
 */
KTEST(usermode, a_bad_user_stack_pointer_does_not_hurt_the_return)
{
	struct urun r;

	KT_ASSERT_TRUE(urun_setup(&r, "ubadrsp", PROG(spin_bad_rsp), 0, 0, 0));
	KT_EXPECT_EQ(thread_resume(r.t), KERN_SUCCESS);
	IOSleep(50);
	if (!ktest_uthread_wait(r.t, 0)) {
		printf("# usermode: iretq took the non-canonical rsp; ending the thread\n");
		KT_EXPECT_GT(r.u.data[0], 0);
		KT_EXPECT_EQ(thread_terminate(r.t), KERN_SUCCESS);
	} else {
		printf("# usermode: iretq faulted on the non-canonical rsp\n");
		/* #GP (an access fault) or #SS (a stack fault), by the CPU's choice. */
		KT_EXPECT_TRUE(r.t->exc_info.exc_type == EXC_BAD_ACCESS ||
		    r.t->exc_info.exc_type == EXC_BAD_INSTRUCTION);
	}
	KT_EXPECT_TRUE(ktest_uthread_wait(r.t, UWAIT_MS));
	urun_teardown(&r);
}

/*
 * A state iretq refuses: its code segment is not present. Nothing a user
 * can do gets there (user_return_prepare only lets the user selectors
 * through), so the test takes the 32-bit user code segment away on CPU 0
 * for a moment. The fault comes from the iretq itself, in the kernel, with
 * the user's GS loaded: trap_bad_iret makes it the thread's exception, as
 * if the thread had faulted, and the kernel goes on.
 */
#define SEG_PRESENT	(1ULL << 47)

KTEST(usermode, a_fault_on_the_iretq_to_user_mode_is_the_threads)
{
	uint64_t *desc = &cpu_datap(0)->cpu_desc->cd_gdt[USER32_CS / 8];
	struct urun r;
	const struct thread_exc_info *e;

	KT_ASSERT_TRUE(urun_setup(&r, "ubadiret", PROG(spin), 0, 0, 0));
	bind_to_cpu0(r.t);
	r.t->machine.iss->cs = USER32_CS;
	__atomic_and_fetch(desc, ~SEG_PRESENT, __ATOMIC_SEQ_CST);
	KT_EXPECT_TRUE(urun(&r));
	__atomic_or_fetch(desc, SEG_PRESENT, __ATOMIC_SEQ_CST);
	e = &r.t->exc_info;
	KT_EXPECT_EQ(e->exc_type, EXC_BAD_INSTRUCTION);
	KT_EXPECT_EQ(e->exc_code, EXC_I386_SEGNPFLT);
	KT_EXPECT_EQ(e->exc_subcode & ~3ULL, USER32_CS & ~3ULL);	/* the selector */
	KT_EXPECT_EQ(e->exc_pc, KTEST_UCODE_VA);
	KT_EXPECT_EQ(r.u.data[0], 0);
	KT_EXPECT_FALSE(r.u.task->active);
	urun_teardown(&r);
}

/* --- preemption and termination --------------------------------------------- */

struct counter {
	volatile int		stop;
	volatile uint64_t	count;
};

static void
counter_main(void *arg, int result)
{
	struct counter *c = arg;

	(void)result;
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE))
		c->count++;
}

/* A kernel thread at pri on processor 0, counting until told to stop. */
static thread_t
counter_start(struct counter *c, int pri)
{
	thread_t t;

	KT_EXPECT_EQ(kernel_thread_create(counter_main, c, pri, &t), KERN_SUCCESS);
	thread_set_name(t, "ktest.counter");
	bind_to_cpu0(t);
	thread_start(t);
	return t;
}

static void
counter_stop(struct counter *c, thread_t t)
{
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
	ktest_thread_join(t);
}

KTEST(usermode, a_spinning_user_thread_is_preempted_then_terminated)
{
	struct counter c = { 0 };
	struct urun r;
	thread_t k;
	uint64_t user0, kernel0;

	KT_ASSERT_TRUE(urun_setup(&r, "uspin", PROG(spin), 0, 0, 0));
	bind_to_cpu0(r.t);
	KT_EXPECT_EQ(thread_resume(r.t), KERN_SUCCESS);
	k = counter_start(&c, r.t->base_pri);		/* the same priority, the same CPU */
	IOSleep(200);
	user0 = r.u.data[0], kernel0 = c.count;
	IOSleep(200);
	/* Both went on while the other was runnable: neither starves. */
	KT_EXPECT_GT(user0, 0);
	KT_EXPECT_GT(kernel0, 0);
	KT_EXPECT_GT(r.u.data[0], user0);
	KT_EXPECT_GT(c.count, kernel0);
	KT_EXPECT_GT(r.t->preemptions + r.t->context_switches, 2);
	KT_EXPECT_EQ(thread_terminate(r.t), KERN_SUCCESS);
	KT_EXPECT_EQ(thread_terminate(r.t), KERN_TERMINATED);
	KT_EXPECT_TRUE(ktest_uthread_wait(r.t, UWAIT_MS));
	KT_EXPECT_EQ(r.t->exc_info.exc_type, 0);
	KT_EXPECT_TRUE(r.u.task->active);		/* only the thread was ended */
	counter_stop(&c, k);
	urun_teardown(&r);
}

KTEST(usermode, task_terminate_ends_every_thread)
{
	struct ktest_utask u;
	thread_t t[3];

	KT_ASSERT_EQ(ktest_utask_create(&u, "utaskterm", PROG_LEN(spin)), KERN_SUCCESS);
	for (int i = 0; i < 3; i++) {
		KT_ASSERT_EQ(ktest_uthread_create(&u, KTEST_UCODE_VA, KTEST_USTACK_TOP, &t[i]),
		    KERN_SUCCESS);
		uthread_args(t[i], 0, 0, 0);
		t[i]->machine.iss->rdi = KTEST_UDATA_VA + 8 * (uint64_t)i;
		KT_EXPECT_EQ(thread_resume(t[i]), KERN_SUCCESS);
	}
	KT_EXPECT_TRUE(ktest_wait_until(u.data[0] && u.data[1] && u.data[2], 2000));
	KT_EXPECT_EQ(task_terminate_internal(u.task), KERN_SUCCESS);
	KT_EXPECT_EQ(task_terminate_internal(u.task), KERN_FAILURE);
	for (int i = 0; i < 3; i++) {
		KT_EXPECT_TRUE(ktest_uthread_wait(t[i], UWAIT_MS));
		ktest_uthread_release(t[i]);
	}
	ktest_utask_destroy(&u);
}

KTEST(usermode, one_thread_faulting_ends_its_siblings)
{
	struct ktest_utask u;
	thread_t spinner, faulter;

	KT_ASSERT_EQ(ktest_utask_create(&u, "usibling", PROG_LEN(spin)), KERN_SUCCESS);
	KT_ASSERT_EQ(ktest_uthread_create(&u, KTEST_UCODE_VA, KTEST_USTACK_TOP, &spinner),
	    KERN_SUCCESS);
	KT_ASSERT_EQ(ktest_uthread_create(&u, 0x0000800000000000ULL, KTEST_USTACK_TOP,
	    &faulter), KERN_SUCCESS);
	uthread_args(spinner, 0, 0, 0);
	KT_EXPECT_EQ(thread_resume(spinner), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_wait_until(u.data[0] != 0, 2000));
	KT_EXPECT_EQ(thread_resume(faulter), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_uthread_wait(faulter, UWAIT_MS));
	KT_EXPECT_TRUE(ktest_uthread_wait(spinner, UWAIT_MS));
	KT_EXPECT_EQ(faulter->exc_info.exc_type, EXC_BAD_ACCESS);
	KT_EXPECT_EQ(spinner->exc_info.exc_type, 0);
	KT_EXPECT_FALSE(u.task->active);
	ktest_uthread_release(spinner);
	ktest_uthread_release(faulter);
	ktest_utask_destroy(&u);
}

KTEST(usermode, terminate_interrupts_a_wait_in_a_trap)
{
	struct urun r;

	KT_ASSERT_TRUE(urun_setup(&r, "uwait", PROG(wait_forever), 0, 0, 0));
	KT_EXPECT_EQ(thread_resume(r.t), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_wait_until(r.u.data[0] == 1, 2000));
	KT_EXPECT_TRUE(ktest_wait_until(r.t->state & TH_WAIT, 2000));
	KT_EXPECT_EQ(thread_terminate(r.t), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_uthread_wait(r.t, UWAIT_MS));
	KT_EXPECT_EQ(r.u.data[1], 0);		/* the trap never returned to it */
	KT_EXPECT_EQ(r.u.task->bsd_exit_status, -1);
	urun_teardown(&r);
}

KTEST(usermode, a_thread_terminated_before_it_ran_never_runs)
{
	struct urun r;

	KT_ASSERT_TRUE(urun_setup(&r, "unever", PROG(spin), 0, 0, 0));
	KT_EXPECT_EQ(thread_terminate(r.t), KERN_SUCCESS);
	KT_EXPECT_TRUE(ktest_uthread_wait(r.t, UWAIT_MS));
	KT_EXPECT_EQ(r.u.data[0], 0);
	KT_EXPECT_EQ(thread_resume(r.t), KERN_TERMINATED);	/* ending, as XNU says */
	urun_teardown(&r);
}

KTEST(usermode, thread_create_and_resume_refuse_what_they_should)
{
	struct ktest_utask u;
	thread_t t, none = THREAD_NULL;

	KT_EXPECT_EQ(thread_create(kernel_task, &none), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(thread_create(TASK_NULL, &none), KERN_INVALID_ARGUMENT);
	KT_EXPECT_EQ(thread_terminate(THREAD_NULL), KERN_INVALID_ARGUMENT);
	/* A kernel thread ends only itself. */
	KT_EXPECT_EQ(thread_terminate(processor_array[0].idle_thread), KERN_FAILURE);
	KT_ASSERT_EQ(ktest_utask_create(&u, "urefuse", PROG_LEN(spin)), KERN_SUCCESS);
	KT_ASSERT_EQ(ktest_uthread_create(&u, KTEST_UCODE_VA, KTEST_USTACK_TOP, &t),
	    KERN_SUCCESS);
	uthread_args(t, 0, 0, 0);
	KT_EXPECT_EQ(thread_resume(t), KERN_SUCCESS);
	KT_EXPECT_EQ(thread_resume(t), KERN_FAILURE);	/* not suspended */
	KT_EXPECT_EQ(task_terminate_internal(u.task), KERN_SUCCESS);
	KT_EXPECT_EQ(thread_create(u.task, &none), KERN_FAILURE);	/* terminating */
	KT_EXPECT_TRUE(none == THREAD_NULL);
	KT_EXPECT_TRUE(ktest_uthread_wait(t, UWAIT_MS));
	ktest_uthread_release(t);
	ktest_utask_destroy(&u);
}

/* --- registers and FPU state across switches -------------------------------- */

#define REGS_ROUNDS	300
#define REGS_INIT_QWORD	(0x100 / 8)	/* the vector registers as the program found them */

static void
yielder_main(void *arg, int result)
{
	struct counter *c = arg;

	(void)result;
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		c->count++;
		thread_yield();
	}
}

/* The state a program starts with: FCW 0x37f, MXCSR 0x1f80, vector registers zero. */
static void
check_initial_fpu_state(const uint64_t *d)
{
	KT_EXPECT_EQ(d[0] & 0xffff, 0x37f);
	KT_EXPECT_EQ(d[1] & 0xffffffff, 0x1f80);
	for (int i = 0; i < 64; i++)
		KT_EXPECT_EQ(d[REGS_INIT_QWORD + i], 0);
}

/*
 * Two user threads (each in a task of its own) set every register from a
 * seed, yield and spin, and check them all, REGS_ROUNDS times, while a
 * kernel thread of their priority yields in between. On one CPU when bind
 * (every switch is between them and the kernel thread), else wherever the
 * scheduler puts them (they migrate, and their FPU state with them).
 */
static void
registers_case(boolean_t bind)
{
	static const uint64_t seeds[2] = { 0x0123456789abcdefULL, 0x7edcba9876543211ULL };
	uint64_t avx = (fpu_xcr0() & XCR0_AVX) != 0;
	struct counter c = { 0 };
	struct urun r[2];
	thread_t k;

	for (int i = 0; i < 2; i++) {
		KT_ASSERT_TRUE(urun_setup(&r[i], i == 0 ? "uregs0" : "uregs1", PROG(regs),
		    seeds[i], avx, REGS_ROUNDS));
		if (bind)
			bind_to_cpu0(r[i].t);
	}
	KT_EXPECT_EQ(kernel_thread_create(yielder_main, &c, r[0].t->base_pri, &k), KERN_SUCCESS);
	if (bind)
		bind_to_cpu0(k);
	thread_start(k);
	for (int i = 0; i < 2; i++)
		KT_EXPECT_EQ(thread_resume(r[i].t), KERN_SUCCESS);
	for (int i = 0; i < 2; i++) {
		uint64_t *d = r[i].u.data;

		KT_EXPECT_TRUE(ktest_uthread_wait(r[i].t, 4 * UWAIT_MS));
		KT_EXPECT_EQ(d[3], 1);			/* every check passed */
		KT_EXPECT_EQ(d[2], REGS_ROUNDS);
		KT_EXPECT_EQ(r[i].u.task->bsd_exit_status, 0);
		KT_EXPECT_EQ(r[i].t->exc_info.exc_type, 0);
		check_initial_fpu_state(d);
	}
	KT_EXPECT_GT(c.count, 0);
	counter_stop(&c, k);
	for (int i = 0; i < 2; i++)
		urun_teardown(&r[i]);
}

KTEST(usermode, registers_survive_switches_on_one_cpu)
{
	registers_case(TRUE);
}

KTEST(usermode, registers_survive_switches_anywhere)
{
	registers_case(FALSE);
}

KTEST(usermode, fpu_state_areas_are_aligned_and_sized)
{
	void *area = fpu_state_alloc();

	KT_ASSERT_TRUE(area != NULL);
	KT_EXPECT_EQ((uintptr_t)area % 64, 0);
	KT_EXPECT_GE(fpu_state_size(), 512);
	if (fpu_has_xsave()) {
		KT_EXPECT_TRUE(get_cr4() & CR4_OSXSAVE);
		KT_EXPECT_EQ(xgetbv(0), fpu_xcr0());
		KT_EXPECT_GE(fpu_state_size(), 576);	/* legacy area and header */
	}
	KT_EXPECT_TRUE(get_cr4() & CR4_OSFXSR);
	KT_EXPECT_FALSE(get_cr0() & (CR0_TS | CR0_EM));
	fpu_state_free(area);
}

KTEST(usermode, syscall_msrs_are_set)
{
	KT_EXPECT_TRUE(rdmsr(MSR_EFER) & EFER_SCE);
	KT_EXPECT_EQ(rdmsr(MSR_STAR) >> 32, ((uint64_t)USER32_CS << 16) | KERNEL64_CS);
	KT_EXPECT_TRUE(rdmsr(MSR_SFMASK) & RFLAGS_IF);
	KT_EXPECT_TRUE(rdmsr(MSR_SFMASK) & RFLAGS_AC);
	KT_EXPECT_NE(rdmsr(MSR_LSTAR), 0);
}

/* --- the null trap's round trip ---------------------------------------------- */

#define BENCH_CALLS	5000	/* per batch */
#define BENCH_BATCHES	5

/* Per call, in ns, from TSC cycles for BENCH_CALLS calls. */
static uint64_t
per_call_ns(uint64_t cycles)
{
	uint64_t hz = rtclock_tsc_hz();

	return hz == 0 ? 0 : cycles * 1000 / BENCH_CALLS * 1000000 / hz;
}

/*
 * The round trip of a Mach trap that does nothing (kern_invalid), from user
 * mode, timed there with rdtsc around a loop of BENCH_CALLS; the best of
 * BENCH_BATCHES such loops (the host is shared and noisy). And, for
 * comparison, a Linux number that answers ENOSYS.
 */
KBENCH(mach_trap_null, "mach.trap_null")
{
	struct urun r;

	if (!urun_setup(&r, "ubench", PROG(bench), BENCH_CALLS, BENCH_BATCHES, 0)) {
		printf("# mach.trap_null: no memory for the task\n");
		return;
	}
	if (urun(&r)) {
		struct kbench_cost trap = {
			.kc_ns = per_call_ns(r.u.data[0]),
			.kc_cycles = r.u.data[0] / BENCH_CALLS,
		};
		struct kbench_cost enosys = {
			.kc_ns = per_call_ns(r.u.data[1]),
			.kc_cycles = r.u.data[1] / BENCH_CALLS,
		};

		kbench_report_cost("mach.trap_null", &trap);
		kbench_report_cost("unix.syscall_enosys", &enosys);
	}
	urun_teardown(&r);
}
