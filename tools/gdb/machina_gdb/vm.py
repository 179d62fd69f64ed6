"""vm - address spaces and VM objects (mach/vm/vm_map.h, vm_object.h):
showvmmap lists a task's map entry by entry, showvmobject one object and
its shadow chain."""
import gdb

from machina_gdb import registry, target, threads

MAX_ENTRIES = 200000
MAX_SHADOWS = 64
PROT = ((1, "r"), (2, "w"), (4, "x"))
INHERIT = {0: "share", 1: "copy", 2: "none", 3: "donate_copy"}


def prot_text(p):
    return "".join(c if p & bit else "-" for bit, c in PROT)


def shadow_chain(obj_addr):
    """[address] of obj and every object it shadows."""
    chain = []
    while obj_addr and len(chain) < MAX_SHADOWS:
        chain.append(obj_addr)
        obj = target.fetch(gdb.Value(obj_addr).cast(
            target.lookup_type("struct vm_object").pointer()).dereference(), "struct vm_object")
        obj_addr = target.to_int(obj["shadow"], "shadow")
    return chain


def map_of(arg):
    """A vm_map address from TASK (task expression, pid:N) or map:EXPR."""
    if arg.startswith("map:"):
        return threads.eval_pointer(arg[4:], "map")
    task = threads.resolve_task(arg)
    if task == 0:
        raise target.TargetError("%s is not a task" % arg)
    t = target.fetch(gdb.Value(task).cast(target.lookup_type("struct task").pointer())
                     .dereference(), "struct task")
    return target.to_int(t["map"], "map")


@registry.command
class ShowVMMap(registry.MachinaCommand):
    """A task's address space, entry by entry.

Usage: showvmmap TASK | pid:PID | map:EXPR

For each entry, lowest first: its range, size, protection (current/max),
inheritance, wiring, copy-on-write state, the object behind it and the
offset into it, and the object's shadow chain depth. `showvmmap
kernel_task` shows kernel_map."""

    name = "showvmmap"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showvmmap TASK | pid:PID | map:EXPR")
        target.require_live()
        addr = map_of(argv[0])
        m = target.fetch(gdb.Value(addr).cast(target.lookup_type("struct vm_map").pointer())
                         .dereference(), "struct vm_map")
        hdr = m["hdr"]
        self.out("map 0x%x: %d entries, 0x%x bytes mapped, [0x%x, 0x%x), pmap 0x%x\n" % (
            addr, target.to_int(hdr["vmh_nentries"], "vmh_nentries"),
            target.to_int(m["size"], "size"), target.to_int(hdr["vmh_min"], "vmh_min"),
            target.to_int(hdr["vmh_max"], "vmh_max"), target.to_int(m["pmap"], "pmap")))
        self.out("%-18s %-18s %10s %-7s %-11s %5s %-4s %-18s %10s %6s\n" % (
            "START", "END", "SIZE", "PROT", "INHERIT", "WIRED", "COW", "OBJECT", "OFFSET",
            "SHADOW"))
        entry_t = target.lookup_type("struct vm_map_entry").pointer()
        ptr = hdr["vmh_first"]
        n = 0
        while target.to_int(ptr, "an entry") != 0:
            n += 1
            if n > MAX_ENTRIES:
                raise target.TargetError("more than %d entries: the map looks corrupt"
                                         % MAX_ENTRIES)
            e = target.fetch(ptr.cast(entry_t).dereference(), "struct vm_map_entry")
            start = target.to_int(e["vme_links"]["vml_start"], "vml_start")
            end = target.to_int(e["vme_links"]["vml_end"], "vml_end")
            obj = target.to_int(e["vme_object"], "vme_object")
            depth = len(shadow_chain(obj)) - 1 if obj else 0
            cow = "nc" if target.to_int(e["needs_copy"], "needs_copy") else \
                ("sh" if target.to_int(e["is_shared"], "is_shared") else "")
            self.out("0x%016x 0x%016x %10x %s/%s %-11s %5d %-4s 0x%016x %10x %6d\n" % (
                start, end, end - start, prot_text(target.to_int(e["protection"], "protection")),
                prot_text(target.to_int(e["max_protection"], "max_protection")),
                INHERIT.get(target.to_int(e["inheritance"], "inheritance"), "?"),
                target.to_int(e["wired_count"], "wired_count"), cow, obj,
                target.to_int(e["vme_offset"], "vme_offset"), depth))
            ptr = e["vme_links"]["vml_next"]


@registry.command
class ShowVMObject(registry.MachinaCommand):
    """A VM object and the objects it shadows.

Usage: showvmobject OBJECT

For the object and each one down its shadow chain: references, resident
pages, size, whether it is anonymous, shared or device memory, and the
offset into the next."""

    name = "showvmobject"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showvmobject OBJECT")
        target.require_live()
        addr = threads.eval_pointer(argv[0], "object")
        obj_t = target.lookup_type("struct vm_object").pointer()
        for depth, a in enumerate(shadow_chain(addr)):
            o = target.fetch(gdb.Value(a).cast(obj_t).dereference(), "struct vm_object")
            kinds = [k for k, f in (("anonymous", "internal"), ("shared", "true_share"),
                                    ("named", "named"), ("device", "phys_contiguous"))
                     if target.to_int(o[f], f)]
            self.out("%s0x%x: %d refs, %d resident pages, 0x%x bytes%s%s\n" % (
                "  " * depth + ("shadows " if depth else ""), a,
                target.to_int(o["ref_count"], "ref_count"),
                target.to_int(o["vo_resident_page_count"], "vo_resident_page_count"),
                target.to_int(o["vo_size"], "vo_size"),
                ", " + ", ".join(kinds) if kinds else "",
                ", at offset 0x%x in its shadow" % target.to_int(o["vo_shadow_offset"],
                                                                 "vo_shadow_offset")
                if target.to_int(o["shadow"], "shadow") else ""))
