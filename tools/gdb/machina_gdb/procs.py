"""procs - the BSD processes (bsd/sys/proc_internal.h): showallprocs walks
allproc and zombproc, showproc prints one process in full."""
from machina_gdb import registry, target

# p_stat (bsd/sys/proc_internal.h); #defines, which the DWARF does not carry.
STATES = {1: "idle", 2: "run", 4: "stop", 5: "zomb"}
# More than this on a list means the list is corrupt.
MAX_PROCS = 100000


def proc_list(head_name):
    """The struct proc values on the list head `head_name` (p_list links)."""
    procs = []
    ptr = target.field(target.symbol(head_name), "lh_first", "struct proclist")
    while target.to_int(ptr, "a proc pointer") != 0:
        if len(procs) >= MAX_PROCS:
            raise target.TargetError("more than %d processes on %s: the list looks corrupt"
                                     % (MAX_PROCS, head_name))
        p = target.fetch(ptr.dereference(), "struct proc")
        procs.append(p)
        ptr = p["p_list"]["le_next"]
    return procs


def summary(p):
    """pid, ppid, pgid, sid, uid, state, threads, task, command of p."""
    pid = target.to_int(p["p_pid"], "p_pid")
    ppid = target.to_int(p["p_ppid"], "p_ppid")
    pgid = sid = uid = -1
    pg = p["p_pgrp"]
    if target.to_int(pg, "p_pgrp") != 0:
        pgid = target.to_int(pg["pg_id"], "pg_id")
        sess = pg["pg_session"]
        if target.to_int(sess, "pg_session") != 0:
            sid = target.to_int(sess["s_sid"], "s_sid")
    cred = p["p_ucred"]
    if target.to_int(cred, "p_ucred") != 0:
        uid = target.to_int(cred["cr_uid"], "cr_uid")
    stat = target.to_int(p["p_stat"], "p_stat")
    task = p["task"]
    threads = target.to_int(task["thread_count"], "thread_count") \
        if target.to_int(task, "task") != 0 else 0
    return (pid, ppid, pgid, sid, uid, STATES.get(stat, str(stat)), threads,
            target.to_int(task, "task"), target.char_array(p["p_comm"], "p_comm"),
            target.to_int(p["p_xstat"], "p_xstat"))


HEADER = "%6s %6s %6s %6s %5s %-5s %4s %-18s %-18s %s\n" % (
    "PID", "PPID", "PGID", "SID", "UID", "STAT", "THR", "PROC", "TASK", "COMMAND")


def row(p, s):
    return "%6d %6d %6d %6d %5d %-5s %4d 0x%016x 0x%016x %s\n" % (
        s[0], s[1], s[2], s[3], s[4], s[5], s[6], target.address_of(p) or 0, s[7], s[8])


@registry.command
class ShowAllProcs(registry.MachinaCommand):
    """Every BSD process: pid, parent, group, session, uid, state, threads, command.

Usage: showallprocs

The live processes (allproc) and then the zombies (zombproc) that wait for
their parent's wait4, from bsd/sys/proc_internal.h, with the address of each
struct proc and of its Mach task. Before bsd_init() has run, the lists are
empty."""

    name = "showallprocs"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("showallprocs")
        target.require_live()
        live, zombies = proc_list("allproc"), proc_list("zombproc")
        if not live and not zombies:
            self.note("no process yet: bsd_init has not made kernproc")
            return
        self.out(HEADER)
        for p in live + zombies:
            self.out(row(p, summary(p)))


@registry.command
class ShowProc(registry.MachinaCommand):
    """One BSD process in full, by pid.

Usage: showproc PID

Its identity (parent, group, session, credentials), state and exit status,
its Mach task, and its threads' names. Zombies are found too."""

    name = "showproc"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showproc PID")
        try:
            want = int(argv[0], 0)
        except ValueError:
            raise registry.usage_error("showproc PID")
        target.require_live()
        for p in proc_list("allproc") + proc_list("zombproc"):
            s = summary(p)
            if s[0] != want:
                continue
            self.out(HEADER + row(p, s))
            cred = p["p_ucred"]
            if target.to_int(cred, "p_ucred") != 0:
                self.out("credentials: uid %d ruid %d gid %d rgid %d\n" % tuple(
                    target.to_int(cred[f], f) for f in ("cr_uid", "cr_ruid", "cr_gid", "cr_rgid")))
            if s[5] == "zomb":
                x = s[9]
                self.out("exit status: %s\n" % ("signal %d" % (x & 0x7f) if x & 0x7f
                                                 else "code %d" % ((x >> 8) & 0xff)))
            return
        self.note("no process with pid %d" % want)
