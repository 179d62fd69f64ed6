"""mounts - the VFS (bsd/sys/mount.h, bsd/sys/vnode_internal.h):
showallmounts lists the mount table with each mount's vnodes, showvnode
prints one vnode."""
from machina_gdb import registry, target

# enum vtype (bsd/sys/vnode.h)
VTYPES = {0: "VNON", 1: "VREG", 2: "VDIR", 3: "VBLK", 4: "VCHR", 5: "VLNK", 6: "VSOCK",
          7: "VFIFO", 8: "VBAD"}
# More than this on a list means the list is corrupt.
MAX_ITEMS = 1000000


def walk(first, link, what):
    """The structures on a TAILQ from `first`, following link.tqe_next."""
    items, ptr = [], first
    while target.to_int(ptr, what) != 0:
        if len(items) >= MAX_ITEMS:
            raise target.TargetError("more than %d %s: the list looks corrupt" % (MAX_ITEMS, what))
        item = target.fetch(ptr.dereference(), what)
        items.append(item)
        ptr = item[link]["tqe_next"]
    return items


def vnode_counts(mp):
    """(vnodes, busy ones) on mount mp's vnode list."""
    vnodes = walk(target.field(mp["mnt_vnodelist"], "tqh_first", "mnt_vnodelist"),
                  "v_mntvnodes", "vnodes")
    busy = sum(1 for vp in vnodes if target.to_int(vp["v_iocount"], "v_iocount") or
               target.to_int(vp["v_usecount"], "v_usecount"))
    return len(vnodes), busy


@registry.command
class ShowAllMounts(registry.MachinaCommand):
    """Every mounted filesystem, with its vnodes.

Usage: showallmounts

For each mount (the root first): its struct mount, type, source, the
vnode it covers (0 for the root) and its root vnode, how many vnodes it
has and how many of them are in use (an iocount or a usecount). Before
vfsinit() has run there is none."""

    name = "showallmounts"

    def run(self, argv, from_tty):
        if argv:
            raise registry.usage_error("showallmounts")
        target.require_live()
        first = target.symbol("rootmount")
        if target.to_int(first, "rootmount") == 0:
            self.note("no mount yet: vfsinit has not mounted the root")
            return
        self.out("%-18s %-8s %-12s %-18s %-18s %7s %5s\n" % (
            "MOUNT", "TYPE", "FROM", "COVERED", "ROOT", "VNODES", "BUSY"))
        for mp in walk(first, "mnt_list", "mounts"):
            n, busy = vnode_counts(mp)
            self.out("0x%016x %-8s %-12s 0x%016x 0x%016x %7d %5d\n" % (
                target.address_of(mp) or 0,
                target.char_array(mp["mnt_fstypename"], "mnt_fstypename"),
                target.char_array(mp["mnt_from"], "mnt_from"),
                target.to_int(mp["mnt_vnodecovered"], "mnt_vnodecovered"),
                target.to_int(mp["mnt_rootvp"], "mnt_rootvp"), n, busy))


@registry.command
class ShowVnode(registry.MachinaCommand):
    """One vnode: its type, counts, flags, mount and filesystem node.

Usage: showvnode ADDRESS	(an expression: 0x..., rootvnode)"""

    name = "showvnode"

    def run(self, argv, from_tty):
        if len(argv) != 1:
            raise registry.usage_error("showvnode ADDRESS")
        target.require_live()
        addr = target.to_int(target.symbol(argv[0]), "the vnode's address")
        vp = target.fetch(target.symbol("*(struct vnode *)0x%x" % addr), "a vnode")
        vtype = target.to_int(vp["v_type"], "v_type")
        rdev = target.to_int(vp["v_rdev"], "v_rdev")
        self.out("vnode 0x%016x: %s, iocount %d, usecount %d, lflag 0x%x, flag 0x%x\n" % (
            addr, VTYPES.get(vtype, str(vtype)), target.to_int(vp["v_iocount"], "v_iocount"),
            target.to_int(vp["v_usecount"], "v_usecount"), target.to_int(vp["v_lflag"], "v_lflag"),
            target.to_int(vp["v_flag"], "v_flag")))
        self.out("mount 0x%016x, data 0x%016x, mounted here 0x%016x%s\n" % (
            target.to_int(vp["v_mount"], "v_mount"), target.to_int(vp["v_data"], "v_data"),
            target.to_int(vp["v_mountedhere"], "v_mountedhere"),
            ", device %d,%d" % (rdev >> 24, rdev & 0xffffff) if vtype == 4 else ""))
