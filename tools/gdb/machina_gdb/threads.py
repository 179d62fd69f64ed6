"""threads - Mach tasks and threads (mach/kern/task.h, thread.h): showalltasks,
showallthreads, showtaskthreads, showcurrentthreads, showthread.

Every thread is on the scheduler's list of all threads (sched.all_threads
in mach/kern/sched_prim.c), which is where these commands start. A thread
that is not running has its kernel context in thread->machine.kstate, as
Switch_context (kernel/x86_64/switch.asm) left it: the stack pointer, whose
first word is the return address into the code that switched away, and
the frame pointer, from which the rest of the backtrace follows (the
kernel keeps frame pointers). A thread running on a CPU is read from that
CPU's registers: QEMU's stub shows each CPU as a gdb thread, CPU n as
thread n + 1.
"""
import gdb

from machina_gdb import registry, target

MAX_THREADS = 100000
MAX_FRAMES = 32
# thread->state (mach/kern/thread.h)
STATE_BITS = ((0x01, "W"), (0x02, "S"), (0x04, "R"), (0x08, "U"), (0x10, "T"), (0x80, "I"))
MODES = {0: "none", 1: "timeshare", 2: "fixed", 3: "realtime"}


def all_threads():
    """Every struct thread on sched.all_threads, in creation order."""
    head = target.field(target.symbol("sched"), "all_threads", "sched")
    ptr = target.field(head, "tqh_first", "sched.all_threads")
    threads = []
    while target.to_int(ptr, "a thread pointer") != 0:
        if len(threads) >= MAX_THREADS:
            raise target.TargetError("more than %d threads: the list looks corrupt" % MAX_THREADS)
        t = target.fetch(ptr.dereference(), "struct thread")
        threads.append(t)
        ptr = t["th_global_link"]["tqe_next"]
    return threads


def state_text(state):
    return "".join(letter for bit, letter in STATE_BITS if state & bit) or "-"


def task_name(task_ptr):
    if target.to_int(task_ptr, "task") == 0:
        return "?"
    return target.char_array(task_ptr.dereference()["name"], "task name")


def symbolize(pc):
    """"func+0xoff at file:line" for a code address, or the address alone."""
    if pc == 0:
        return "0x0"
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        block = None
    fn = block.function if block is not None else None
    while block is not None and fn is None:
        block = block.superblock
        fn = block.function if block is not None else None
    if fn is None:
        text = gdb.execute("info symbol 0x%x" % pc, to_string=True).strip()
        if text.startswith("No symbol"):
            return "0x%x" % pc
        return text.split(" in section ")[0].replace(" + ", "+")
    off = pc - int(fn.value().address)
    sal = gdb.find_pc_line(pc)
    where = ""
    if sal.symtab is not None:
        where = " at %s:%d" % (sal.symtab.filename, sal.line)
    return "%s+0x%x%s" % (fn.print_name, off, where)


def read_u64(addr, what):
    raw = target.read_bytes(addr, 8, what)
    return int.from_bytes(raw, "little")


def frames_from(pc, fp):
    """[(pc)] following the frame-pointer chain from pc and fp."""
    pcs = [pc]
    while fp != 0 and len(pcs) < MAX_FRAMES:
        try:
            ret = read_u64(fp + 8, "a return address")
            nxt = read_u64(fp, "a saved frame pointer")
        except target.TargetError:
            break
        if ret == 0:
            break
        pcs.append(ret)
        if nxt <= fp:
            break
        fp = nxt
    return pcs


def cpu_registers(cpu):
    """(pc, rbp) of CPU cpu, from the stub's thread cpu + 1; None if unknown."""
    inferior = gdb.selected_inferior()
    selected = gdb.selected_thread()
    for th in inferior.threads():
        if th.num == cpu + 1:
            try:
                th.switch()
                frame = gdb.newest_frame()
                pc = int(frame.read_register("rip"))
                rbp = int(frame.read_register("rbp"))
                return pc, rbp
            except gdb.error:
                return None
            finally:
                if selected is not None:
                    selected.switch()
    return None


def backtrace(t):
    """The thread's frames, innermost first, as text lines."""
    if target.to_int(t["th_running"], "th_running"):
        proc = t["last_processor"]
        if target.to_int(proc, "last_processor") == 0:
            return ["(running; no processor recorded)"]
        cpu = target.to_int(proc.dereference()["cpu_id"], "cpu_id")
        regs = cpu_registers(cpu)
        if regs is None:
            return ["(running on CPU %d, whose registers gdb cannot read)" % cpu]
        pcs = frames_from(*regs)
    else:
        ks = t["machine"]["kstate"]
        rsp = target.to_int(ks["k_rsp"], "k_rsp")
        if rsp == 0:
            return ["(never ran)"]
        pcs = frames_from(read_u64(rsp, "the switch's return address"),
                          target.to_int(ks["k_rbp"], "k_rbp"))
    return ["#%-2d 0x%016x %s" % (i, pc, symbolize(pc)) for i, pc in enumerate(pcs)]


THREAD_HEADER = "%-18s %5s %-16s %-20s %-5s %4s %-9s %-4s %s\n" % (
    "THREAD", "ID", "TASK", "NAME", "STATE", "PRI", "MODE", "CPU", "WAITING ON")


def thread_row(t):
    state = target.to_int(t["state"], "state")
    wait = ""
    if state & 0x01:
        event = target.to_int(t["wait_event"], "wait_event")
        msg_ptr = target.to_int(t["wait_message"], "wait_message")
        msg = ""
        if msg_ptr:
            try:
                msg = " (%s)" % target.read_cstring(msg_ptr, "wait_message", 64)
            except target.TargetError:
                pass
        wait = "0x%x%s %s" % (event, msg, symbolize(event) if event else "")
    cpu = "-"
    if target.to_int(t["th_running"], "th_running"):
        proc = t["last_processor"]
        if target.to_int(proc, "last_processor") != 0:
            cpu = str(target.to_int(proc.dereference()["cpu_id"], "cpu_id"))
    return "0x%016x %5d %-16s %-20s %-5s %4d %-9s %-4s %s\n" % (
        target.address_of(t) or 0, target.to_int(t["thread_id"], "thread_id"),
        task_name(t["task"])[:16], target.char_array(t["th_name"], "th_name")[:20],
        state_text(state), target.to_int(t["sched_pri"], "sched_pri"),
        MODES.get(target.to_int(t["sched_mode"], "sched_mode"), "?"), cpu, wait.strip())


def print_threads(cmd, threads, with_bt):
    cmd.out(THREAD_HEADER)
    for t in threads:
        cmd.out(thread_row(t))
        if with_bt:
            for line in backtrace(t):
                cmd.out("    %s\n" % line)


def parse_flags(argv, usage):
    with_bt = "-b" in argv
    rest = [a for a in argv if a != "-b"]
    if any(a.startswith("-") for a in rest):
        raise registry.usage_error(usage)
    return with_bt, rest


def eval_pointer(expr, what):
    try:
        value = gdb.parse_and_eval(expr)
    except gdb.error as e:
        raise target.TargetError("%s: %s" % (expr, target.oneline(e)))
    return target.to_int(value, what)


@registry.command
class ShowAllThreads(registry.MachinaCommand):
    """Every thread: task, name, state, priority, policy, CPU and what it waits on.

Usage: showallthreads [-b]

From the scheduler's list of all threads. STATE letters: W waiting, S
suspended, R runnable or running, U the wait cannot be interrupted, T
terminating, I a processor's idle thread. A waiting thread shows its wait
event (and what the event's address is) and the wait's name. -b adds each
thread's kernel backtrace: from its saved context if it is not running,
from its CPU's registers if it is."""

    name = "showallthreads"

    def run(self, argv, from_tty):
        with_bt, rest = parse_flags(argv, "showallthreads [-b]")
        if rest:
            raise registry.usage_error("showallthreads [-b]")
        target.require_live()
        threads = all_threads()
        if not threads:
            self.note("no thread yet")
            return
        print_threads(self, threads, with_bt)


@registry.command
class ShowTaskThreads(registry.MachinaCommand):
    """One task's threads, as showallthreads prints them.

Usage: showtaskthreads TASK [-b]

TASK is any expression for a task_t (`kernel_task`, `0xffff...`), or a
process's pid prefixed with `pid:` (`pid:1`)."""

    name = "showtaskthreads"

    def run(self, argv, from_tty):
        usage = "showtaskthreads TASK [-b]"
        with_bt, rest = parse_flags(argv, usage)
        if len(rest) != 1:
            raise registry.usage_error(usage)
        target.require_live()
        task = resolve_task(rest[0])
        threads = [t for t in all_threads() if target.to_int(t["task"], "task") == task]
        if not threads:
            self.note("task 0x%x has no threads" % task)
            return
        print_threads(self, threads, with_bt)


def resolve_task(arg):
    if arg.startswith("pid:"):
        try:
            pid = int(arg[4:], 0)
        except ValueError:
            raise target.TargetError("%s: not a pid" % arg)
        from machina_gdb import procs
        for p in procs.proc_list("allproc"):
            if target.to_int(p["p_pid"], "p_pid") == pid:
                return target.to_int(p["task"], "task")
        raise target.TargetError("no process with pid %d" % pid)
    return eval_pointer(arg, "task")


@registry.command
class ShowCurrentThreads(registry.MachinaCommand):
    """The thread each CPU is running.

Usage: showcurrentthreads [-b]

For each processor brought up (processor_array): its active thread, as
showallthreads prints it; -b adds the backtrace from that CPU's registers."""

    name = "showcurrentthreads"

    def run(self, argv, from_tty):
        with_bt, rest = parse_flags(argv, "showcurrentthreads [-b]")
        if rest:
            raise registry.usage_error("showcurrentthreads [-b]")
        target.require_live()
        count = target.to_int(target.symbol("processor_count"), "processor_count")
        procs = target.symbol("processor_array")
        if count == 0:
            self.note("no processor is up yet")
            return
        for cpu in range(count):
            proc = target.fetch(procs[cpu], "processor_array[%d]" % cpu)
            active = proc["active_thread"]
            self.out("CPU %d:\n" % cpu)
            if target.to_int(active, "active_thread") == 0:
                self.out("    (no active thread)\n")
                continue
            t = target.fetch(active.dereference(), "struct thread")
            self.out("    " + THREAD_HEADER + "    " + thread_row(t))
            if with_bt:
                regs = cpu_registers(cpu)
                pcs = frames_from(*regs) if regs else []
                for i, pc in enumerate(pcs):
                    self.out("        #%-2d 0x%016x %s\n" % (i, pc, symbolize(pc)))


@registry.command
class ShowAllTasks(registry.MachinaCommand):
    """Every task: its name, threads, map, process and IPC space.

Usage: showalltasks

The kernel task, then each task with a thread (threads lead to their
task; a task with none left is not shown)."""

    name = "showalltasks"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("showalltasks")
        target.require_live()
        seen, order = {}, []
        for t in all_threads():
            task = t["task"]
            addr = target.to_int(task, "task")
            if addr and addr not in seen:
                seen[addr] = target.fetch(task.dereference(), "struct task")
                order.append(addr)
        kt = target.to_int(target.symbol("kernel_task"), "kernel_task")
        if kt in order:
            order.remove(kt)
            order.insert(0, kt)
        self.out("%-18s %-16s %4s %6s %-18s %-18s %-18s\n" % (
            "TASK", "NAME", "THR", "PID", "MAP", "SPACE", "PROC"))
        for addr in order:
            task = seen[addr]
            proc = target.to_int(task["bsd_info"], "bsd_info")
            pid = "-"
            if proc:
                pid = str(target.to_int(task["bsd_info"].cast(
                    target.lookup_type("struct proc").pointer()).dereference()["p_pid"], "p_pid"))
            self.out("0x%016x %-16s %4d %6s 0x%016x 0x%016x 0x%016x\n" % (
                addr, target.char_array(task["name"], "name")[:16],
                target.to_int(task["thread_count"], "thread_count"), pid,
                target.to_int(task["map"], "map"), target.to_int(task["itk_space"], "itk_space"),
                proc))


@registry.command
class ShowThread(registry.MachinaCommand):
    """One thread in full, with its backtrace.

Usage: showthread THREAD

THREAD is any expression for a thread_t (an address from showallthreads)."""

    name = "showthread"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showthread THREAD")
        target.require_live()
        addr = eval_pointer(argv[0], "thread")
        t = target.fetch(gdb.Value(addr).cast(
            target.lookup_type("struct thread").pointer()).dereference(), "struct thread")
        self.out(THREAD_HEADER + thread_row(t))
        self.out("base pri %d, max %d; ran %d ns since it last blocked\n" % (
            target.to_int(t["base_pri"], "base_pri"), target.to_int(t["max_priority"], "max_priority"),
            target.to_int(t["computation_metered"], "computation_metered")))
        for line in backtrace(t):
            self.out("    %s\n" % line)
