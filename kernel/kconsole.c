/*
 * kconsole.c - read a line, split it into words, run the command.
 *
 * Input is one character at a time from the console devices; the CPU sleeps
 * (sti; hlt) between characters, woken by the serial port's interrupt.
 * Editing: backspace/DEL, ^U kills the line, ^C abandons it.
 */

#include "kernel/kconsole.h"

#include "bsd/dev/cons.h"
#include "bsd/kern/kern_exec.h"
#include "bsd/sys/errno.h"
#include "bsd/sys/vnode_internal.h"
#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/initrd.h"
#include "kernel/kheap.h"
#include "kernel/ksyms.h"
#include "kernel/machine_routines.h"
#include "kernel/msgbuf.h"
#include "kernel/pexpert.h"
#include "kernel/startup.h"
#include "kernel/version.h"
#include "libkern/ctype.h"
#include "libkern/elf.h"
#include "libkern/string.h"
#include "libkern/printf.h"
#include "mach/kern/clock.h"
#include "mach/kern/exception.h"
#include "mach/kern/task.h"
#include "mach/kern/thread.h"
#include "mach/kern/zalloc.h"
#include "mach/vm/vm_fault.h"
#include "mach/vm/vm_kern.h"
#include "mach/vm/vm_object.h"
#include "mach/vm/vm_page.h"
#include "mach/vm/vm_init.h"
#include "mach/vm/vm_phys.h"

#define LINE_MAX	256
#define ARGS_MAX	32	/* words on a line; more is refused, never cut */

struct kconsole_cmd {
	const char	*name;
	const char	*usage;
	const char	*help;
	void		(*fn)(int argc, char **argv);
};

static const struct kconsole_cmd commands[];

static void
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Commands:\n");
	for (const struct kconsole_cmd *c = commands; c->name != NULL; c++)
		printf("  %-22s %s\n", c->usage, c->help);
}

static void
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("%s\n", version);
}

static void
cmd_dmesg(int argc, char **argv)
{
	/* Printing the log adds to it: stop where it ended when we began. */
	uint64_t cursor = 0, end = msgbuf.msg_bufx;
	char buf[128];
	size_t n;

	(void)argc;
	(void)argv;
	while (cursor < end &&
	    (n = msgbuf_read(&cursor, buf, MIN(sizeof(buf), end - cursor))) > 0)
		console_write(buf, n);
}

static void
cmd_bootargs(int argc, char **argv)
{
	const struct boot_arg_desc *const *descs;
	size_t n = PE_boot_arg_descs(&descs);

	(void)argc;
	(void)argv;
	printf("boot-args: \"%s\"\n", PE_boot_args());
	printf("known boot-args:\n");
	for (size_t i = 0; i < n; i++)
		printf("  %-10s %s\n", descs[i]->bad_name, descs[i]->bad_help);
}

static void
cmd_mem(int argc, char **argv)
{
	static const char *const use_names[VM_PAGE_USE_COUNT] = {
		"free", "early", "kernel", "pagetable", "zone", "object",
	};
	struct kheap_stats hs;
	struct vm_page_stats ps;
	struct kmem_stats ks;
	struct vm_object_stats os;
	struct vm_fault_stats fs;

	(void)argc;
	(void)argv;
	printf("physical memory map:\n");
	for (unsigned i = 0; i < vm_memmap.mm_count; i++) {
		const struct boot_mem_range *r = &vm_memmap.mm_ranges[i];

		printf("  [0x%016llx-0x%016llx) %s\n", (unsigned long long)r->bmr_base,
		    (unsigned long long)(r->bmr_base + r->bmr_length),
		    memmap_type_name(r->bmr_type));
	}
	printf("vm_phys: %llu pages managed, %llu free, %llu for its bitmaps, "
	    "%u segments\n", (unsigned long long)vm_phys_total_pages(&vm_phys_kernel),
	    (unsigned long long)vm_phys_free_pages(&vm_phys_kernel),
	    (unsigned long long)vm_phys_kernel.vp_meta_pages, vm_phys_kernel.vp_nsegs);
	kheap_get_stats(&kernel_heap, &hs);
	printf("kernel heap: %llu bytes in use, %llu in arenas, %llu in large runs, "
	    "%llu allocations, %llu frees\n", (unsigned long long)hs.khs_inuse_bytes,
	    (unsigned long long)hs.khs_arena_bytes, (unsigned long long)hs.khs_large_bytes,
	    (unsigned long long)hs.khs_allocs, (unsigned long long)hs.khs_frees);
	vm_page_get_stats(&ps);
	printf("pages: %llu free, %llu wired; by use:", (unsigned long long)ps.vps_free,
	    (unsigned long long)ps.vps_wired);
	for (int u = 0; u < VM_PAGE_USE_COUNT; u++)
		printf(" %s %llu", use_names[u], (unsigned long long)ps.vps_by_use[u]);
	printf("\n");
	kmem_get_stats(&ks);
	printf("kernel_map: %llu allocations, %llu KiB mapped, %llu KiB reserved\n",
	    (unsigned long long)ks.ks_allocations, (unsigned long long)(ks.ks_mapped_bytes >> 10),
	    (unsigned long long)(ks.ks_reserved_bytes >> 10));
	vm_object_get_stats(&os);
	vm_fault_get_stats(&fs);
	printf("VM objects: %llu, %llu resident pages, %llu collapses; faults: %llu, "
	    "%llu zero fills, %llu copy-on-write copies, %llu failed\n",
	    (unsigned long long)os.vos_objects, (unsigned long long)os.vos_resident_pages,
	    (unsigned long long)os.vos_collapses, (unsigned long long)fs.vfs_faults,
	    (unsigned long long)fs.vfs_zero_fills, (unsigned long long)fs.vfs_cow_copies,
	    (unsigned long long)fs.vfs_failures);
}

static void
cmd_zprint(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	zone_print_all();
}

static const char *
thread_state_name(int state)
{
	if (state & TH_TERMINATE)
		return "ending";
	if (state & TH_IDLE)
		return "idle";
	if (state & TH_WAIT)
		return "wait";
	if (state & TH_SUSP)
		return "susp";
	return "run";
}

static void
cmd_threads(int argc, char **argv)
{
	enum { MAX = 256 };
	struct thread_snapshot *ts = kheap_alloc(&kernel_heap, MAX * sizeof(*ts));
	unsigned n;

	(void)argc;
	(void)argv;
	if (ts == NULL) {
		printf("threads: no memory for the list\n");
		return;
	}
	n = thread_snapshot(ts, MAX);
	printf("%6s %-24s %-16s %-6s %4s %4s %4s %12s  %s\n", "id", "name", "task",
	    "state", "pri", "base", "cpu", "cpu time ms", "waiting on");
	for (unsigned i = 0; i < n && i < MAX; i++) {
		char cpu[8];

		if (ts[i].ts_cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%d", ts[i].ts_cpu);
		else
			strlcpy(cpu, "-", sizeof(cpu));
		printf("%6llu %-24s %-16s %-6s %4d %4d %4s %12llu  %s\n",
		    (unsigned long long)ts[i].ts_id, ts[i].ts_name, ts[i].ts_task,
		    thread_state_name(ts[i].ts_state), ts[i].ts_sched_pri, ts[i].ts_base_pri, cpu,
		    (unsigned long long)(ts[i].ts_run_time / NSEC_PER_MSEC),
		    ts[i].ts_wait_message != NULL ? ts[i].ts_wait_message : "");
	}
	if (n > MAX)
		printf("(%u more not shown)\n", n - MAX);
	kheap_free(&kernel_heap, ts);
}

static void
cmd_uptime(int argc, char **argv)
{
	uint64_t ns = mach_absolute_time();

	(void)argc;
	(void)argv;
	printf("up %llu.%03llu s\n", (unsigned long long)(ns / NSEC_PER_SEC),
	    (unsigned long long)(ns / NSEC_PER_MSEC % 1000));
	for (int m = MILESTONE_CONSOLE; m < MILESTONE_COUNT; m++) {
		uint64_t t = startup_milestone_ns(m);

		printf("  boot %-8s %llu.%03llu ms after kernel entry\n",
		    startup_milestone_name(m), (unsigned long long)(t / NSEC_PER_MSEC),
		    (unsigned long long)(t / NSEC_PER_USEC % 1000));
	}
}

static void
list_one(const struct cpio_entry *e, void *ctx)
{
	(void)ctx;
	printf("  %06o %10zu %s\n", e->ce_mode, e->ce_size, e->ce_name);
}

static void
cmd_initrd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!initrd_present()) {
		printf("no initrd\n");
		return;
	}
	initrd_foreach(list_one, NULL);
}

static void
cmd_cat(int argc, char **argv)
{
	vfs_context_t ctx = vfs_context_kernel();
	char buf[256];
	int64_t resid;
	off_t off = 0;
	vnode_t vp;
	int error;

	if (argc < 2) {
		printf("usage: cat PATH\n");
		return;
	}
	if ((error = vnode_lookup(argv[1], 0, &vp, ctx)) != 0) {
		printf("cat: %s: %s\n", argv[1], error == ENOENT ? "no such file or directory" :
		    "cannot be looked up");
		return;
	}
	if (vnode_vtype(vp) != VREG) {
		printf("cat: %s: not a regular file\n", argv[1]);
		vnode_put(vp);
		return;
	}
	do {
		error = vn_rdwr(UIO_READ, vp, buf, sizeof(buf), off, 0, ctx, &resid);
		console_write(buf, sizeof(buf) - (size_t)resid);
		off += (off_t)sizeof(buf) - resid;
	} while (error == 0 && resid == 0);
	vnode_put(vp);
}

/*
 * run PATH [ARG...]: a program, as a task of its own; the
 * console waits for it to end. Meanwhile input goes to the console tty,
 * which the program reads as its standard input, and ^C there is SIGINT
 * for it.
 */
static void
cmd_run(int argc, char **argv)
{
	char err[ELF_ERRLEN];
	task_t task;
	thread_t thread;
	int status;

	if (argc < 2) {
		printf("usage: run PATH [ARG...]\n");
		return;
	}
	cons_reclaim();
	cons_input_set_owner(CONS_INPUT_TTY);
	if (exec_initrd_program(argv[1], (const char *const *)&argv[1], NULL, &task, &thread,
	    err, sizeof(err)) != KERN_SUCCESS) {
		cons_input_set_owner(CONS_INPUT_KCONSOLE);
		printf("run: %s\n", err);
		return;
	}
	(void)task_wait_threads_gone(task, 0);
	/* What was typed for the program and not read goes with it. */
	cons_input_set_owner(CONS_INPUT_KCONSOLE);
	cons_flush_input();
	cons_end_line();
	status = task->bsd_exit_status;
	if (status >= 0)
		printf("[%s exited with status %d]\n", argv[1], status);
	else if (thread->exc_info.exc_type != 0)
		printf("[%s died of %s]\n", argv[1], exception_name(thread->exc_info.exc_type));
	else if (task->bsd_exit_signal != 0)
		printf("[%s died of signal %d%s]\n", argv[1], task->bsd_exit_signal & 0x7f,
		    (task->bsd_exit_signal & 0x80) ? " (core)" : "");
	else
		printf("[%s was terminated]\n", argv[1]);
	exec_initrd_reap(task);
	thread_deallocate(thread);
	task_deallocate(task);
}

static void
cmd_ksym(int argc, char **argv)
{
	uint64_t addr, off;
	const char *name;
	bool neg;

	if (argc < 2) {
		printf("usage: ksym NAME|ADDRESS\n");
		return;
	}
	if (bootargs_parse_number(argv[1], strlen(argv[1]), &addr, &neg) && !neg) {
		name = ksyms_lookup(addr, &off);
		if (name != NULL)
			printf("0x%llx = %s + 0x%llx\n", (unsigned long long)addr, name,
			    (unsigned long long)off);
		else
			printf("0x%llx is not in the kernel\n", (unsigned long long)addr);
	} else if (ksyms_find(argv[1], &addr)) {
		printf("%s = 0x%llx\n", argv[1], (unsigned long long)addr);
	} else {
		printf("ksym: %s: no such symbol\n", argv[1]);
	}
}

static void
cmd_panic(int argc, char **argv)
{
	char message[LINE_MAX] = "";

	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strlcat(message, " ", sizeof(message));
		strlcat(message, argv[i], sizeof(message));
	}
	panic("%s", argc > 1 ? message : "requested from the kernel console");
}

static void
cmd_reboot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("rebooting\n");
	(void)PEHaltRestart(kPERestartCPU);
}

static void
cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("powering off\n");
	(void)PEHaltRestart(kPEHaltCPU);
}

static const struct kconsole_cmd commands[] = {
	{ "help", "help", "this list", cmd_help },
	{ "version", "version", "the kernel's version", cmd_version },
	{ "dmesg", "dmesg", "the kernel log since boot", cmd_dmesg },
	{ "bootargs", "bootargs", "the boot-args, and the ones the kernel knows",
	  cmd_bootargs },
	{ "mem", "mem", "memory map, physical pages and heap", cmd_mem },
	{ "zprint", "zprint", "the zones: element size, use, pages", cmd_zprint },
	{ "threads", "threads", "every thread: state, priority, CPU time", cmd_threads },
	{ "uptime", "uptime", "time since boot, and the boot milestones", cmd_uptime },
	{ "initrd", "initrd", "list the files in the initrd", cmd_initrd },
	{ "cat", "cat PATH", "print a file", cmd_cat },
	{ "run", "run PATH [ARG...]", "run a program (its input: the console tty)",
	    cmd_run },
	{ "ksym", "ksym NAME|ADDRESS", "look a kernel symbol up", cmd_ksym },
	{ "panic", "panic [MESSAGE]", "panic on purpose (see the report)", cmd_panic },
	{ "reboot", "reboot", "restart the machine", cmd_reboot },
	{ "poweroff", "poweroff", "turn the machine off (also: halt)", cmd_poweroff },
	{ "halt", "halt", "the same as poweroff", cmd_poweroff },
	{ NULL, NULL, NULL, NULL },
};

int
kconsole_execute(char *line)
{
	char *argv[ARGS_MAX + 1];
	int argc = 0;
	char *p = line;

	while (*p != '\0' && argc < ARGS_MAX) {
		while (isspace(*p))
			*p++ = '\0';
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p != '\0' && !isspace(*p))
			p++;
	}
	argv[argc] = NULL;
	if (argc == 0)
		return 0;
	while (isspace(*p))
		*p++ = '\0';
	if (*p != '\0') {
		printf("%s: too many words (at most %d)\n", argv[0], ARGS_MAX);
		return -1;
	}
	for (const struct kconsole_cmd *c = commands; c->name != NULL; c++) {
		if (strcmp(c->name, argv[0]) == 0) {
			c->fn(argc, argv);
			return 0;
		}
	}
	printf("%s: unknown command; 'help' lists them\n", argv[0]);
	return -1;
}

/* Read a line into buf; returns false if it was abandoned (^C). */
static bool
kconsole_readline(char *buf, size_t size)
{
	static int prev;
	size_t len = 0;

	for (;;) {
		int c = cons_getc_wait();

		/* A terminal may end lines with \r\n: one line, not two. */
		if (c == '\n' && prev == '\r') {
			prev = 0;
			continue;
		}
		prev = c;
		switch (c) {
		case '\r':
		case '\n':
			buf[len] = '\0';
			printf("\n");
			return true;
		case 0x03:				/* ^C */
			printf("^C\n");
			return false;
		case 0x15:				/* ^U */
			while (len > 0) {
				len--;
				printf("\b \b");
			}
			break;
		case 0x08:
		case 0x7f:
			if (len > 0) {
				len--;
				printf("\b \b");
			}
			break;
		default:
			if (isprint(c) && len + 1 < size) {
				buf[len++] = (char)c;
				printf("%c", c);
			}
			break;
		}
	}
}

void
kconsole_main(void)
{
	char line[LINE_MAX];

	cons_input_set_owner(CONS_INPUT_KCONSOLE);
	printf("\nMachina kernel console. 'help' lists the commands.\n");
	for (;;) {
		printf("machina> ");
		if (kconsole_readline(line, sizeof(line)))
			(void)kconsole_execute(line);
	}
}
