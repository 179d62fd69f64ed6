"""locks - contended locks (mach/kern/locks.h): showlocks finds every thread
asleep on a mutex or a read-write lock and names the lock, its group, its
owner and everyone waiting for it. A lock nobody waits for is not found:
the kernel keeps no list of its locks, only of its threads."""
import gdb

from machina_gdb import registry, target, threads

MTX_WAITERS = 0x1      # LCK_MTX_WAITERS (mach/kern/locks.c), the owner word's low bit


def group_name(grp_addr):
    if grp_addr == 0:
        return "?"
    g = gdb.Value(grp_addr).cast(target.lookup_type("lck_grp_t").pointer()).dereference()
    return target.char_array(g["lck_grp_name"], "lck_grp_name")


def thread_label(addr):
    if addr == 0:
        return "none"
    t = gdb.Value(addr).cast(target.lookup_type("struct thread").pointer()).dereference()
    t = target.fetch(t, "struct thread")
    return "0x%x (%s, %s)" % (addr, target.char_array(t["th_name"], "th_name") or "?",
                               threads.task_name(t["task"]))


@registry.command
class ShowLocks(registry.MachinaCommand):
    """Contended locks: each mutex or rw lock some thread sleeps on, its owner and waiters.

Usage: showlocks

From the list of all threads: a thread waiting with the wait name lck_mtx
sleeps on a mutex (its wait event is the mutex's group field), one with
lck_rw on a read-write lock (the lock itself). For each lock: its kind,
group, owner (for a mutex; the writer or the count of readers for a rw
lock) and the threads waiting."""

    name = "showlocks"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("showlocks")
        target.require_live()
        mtx_t = target.lookup_type("lck_mtx_t")
        grp_offset = int(gdb.parse_and_eval("(unsigned long)&((lck_mtx_t *)0)->lck_mtx_grp"))
        locks = {}
        for t in threads.all_threads():
            state = target.to_int(t["state"], "state")
            msg_ptr = target.to_int(t["wait_message"], "wait_message")
            if not state & 0x01 or msg_ptr == 0:
                continue
            try:
                msg = target.read_cstring(msg_ptr, "wait_message", 16)
            except target.TargetError:
                continue
            event = target.to_int(t["wait_event"], "wait_event")
            if msg == "lck_mtx":
                key = ("mutex", event - grp_offset)
            elif msg == "lck_rw":
                key = ("rw", event)
            else:
                continue
            locks.setdefault(key, []).append(target.address_of(t) or 0)
        if not locks:
            self.note("no thread waits on a mutex or a rw lock")
            return
        self.out("%-18s %-5s %-16s %-44s %s\n" % ("LOCK", "KIND", "GROUP", "OWNER", "WAITERS"))
        for (kind, addr), waiters in sorted(locks.items(), key=lambda kv: kv[0][1]):
            if kind == "mutex":
                m = target.fetch(gdb.Value(addr).cast(mtx_t.pointer()).dereference(), "lck_mtx_t")
                owner = thread_label(target.to_int(m["lck_mtx_owner"], "owner") & ~MTX_WAITERS)
                grp = group_name(target.to_int(m["lck_mtx_grp"], "lck_mtx_grp"))
            else:
                rw = target.fetch(gdb.Value(addr).cast(target.lookup_type("lck_rw_t").pointer())
                                  .dereference(), "lck_rw_t")
                writer = target.to_int(rw["lck_rw_writer"], "lck_rw_writer")
                owner = ("writer " + thread_label(writer)) if writer else \
                    "%d readers" % target.to_int(rw["lck_rw_readers"], "lck_rw_readers")
                grp = group_name(target.to_int(rw["lck_rw_grp"], "lck_rw_grp"))
            self.out("0x%016x %-5s %-16s %-44s %s\n" % (
                addr, kind, grp[:16], owner, ", ".join(thread_label(w) for w in waiters)))
