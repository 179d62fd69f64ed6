"""ioreg - the I/O Registry (iokit/Kernel/IORegistryEntry.h, IOService.h):
showioreg draws a plane as a tree, as ioreg(8) does, from the root in
ioreg_globals. It reads libkern's containers directly: an OSArray's
object pointers, an OSDictionary's key/value pairs, an OSString's bytes,
an object's class from its OSMetaClass."""
import gdb

from machina_gdb import registry, target

MAX_DEPTH = 64
MAX_ENTRIES = 20000
PLANES = {"IOService": 0, "IODeviceTree": 1}
STATE_BITS = ((0x1, "!active"), (0x2, "registered"), (0x4, "started"), (0x8, "matching"))


def obj_class(addr):
    """The class name of the OSObject at addr."""
    obj = gdb.Value(addr).cast(target.lookup_type("OSObject").pointer()).dereference()
    meta = obj["meta"]
    return target.read_cstring(target.to_int(meta.dereference()["className"], "className"),
                               "className", 128)


def os_string(addr):
    s = gdb.Value(addr).cast(target.lookup_type("struct OSString").pointer()).dereference()
    n = min(target.to_int(s["str_length"], "str_length"), 256)
    if n == 0:
        return ""
    raw = target.read_bytes(target.to_int(s["str_string"], "str_string"), n, "an OSString")
    return target.decode(raw)


def array_items(addr):
    if addr == 0:
        return []
    a = gdb.Value(addr).cast(target.lookup_type("struct OSArray").pointer()).dereference()
    n = target.to_int(a["arr_count"], "arr_count")
    objs = a["arr_objects"]
    return [target.to_int(objs[i], "an array slot") for i in range(min(n, MAX_ENTRIES))]


def dict_items(addr):
    """[(key, value address)] of an OSDictionary."""
    if addr == 0:
        return []
    d = gdb.Value(addr).cast(target.lookup_type("struct OSDictionary").pointer()).dereference()
    n = target.to_int(d["dict_count"], "dict_count")
    out = []
    for i in range(min(n, 4096)):
        e = d["dict_entries"][i]
        out.append((os_string(target.to_int(e["key"], "key")), target.to_int(e["value"], "value")))
    return out


def value_text(addr):
    cls = obj_class(addr)
    if cls in ("OSString", "OSSymbol"):
        return '"%s"' % os_string(addr)
    if cls == "OSNumber":
        n = gdb.Value(addr).cast(target.lookup_type("struct OSNumber").pointer()).dereference()
        return "%d" % target.to_int(n["num_value"], "num_value")
    if cls == "OSBoolean":
        return "Yes" if addr == target.to_int(target.symbol("kOSBooleanTrue"), "true") else "No"
    if cls == "OSArray":
        return "(%s)" % ",".join(value_text(a) for a in array_items(addr)[:8])
    if cls == "OSDictionary":
        return "{%s}" % ",".join('"%s"=%s' % (k, value_text(v)) for k, v in dict_items(addr)[:8])
    return "<%s>" % cls


def entry_fields(addr):
    e = gdb.Value(addr).cast(target.lookup_type("struct IORegistryEntry").pointer()).dereference()
    return target.fetch(e, "struct IORegistryEntry")


def entry_name(e, cls):
    for k, v in dict_items(target.to_int(e["re_props"], "re_props")):
        if k == "IOName":
            name = os_string(v)
            break
    else:
        name = cls
    for k, v in dict_items(target.to_int(e["re_props"], "re_props")):
        if k == "IOLocation":
            return "%s@%s" % (name, os_string(v))
    return name


@registry.command
class ShowIOReg(registry.MachinaCommand):
    """The I/O Registry as a tree, as ioreg shows it.

Usage: showioreg [-p PLANE] [-l]

Each entry in the plane (IOService unless -p IODeviceTree), from the root:
its name (and @location), class, address, retain count and, for services,
their state (registered, started, matching, !active) and busy count. -l adds
every property."""

    name = "showioreg"

    def run(self, argv, from_tty):
        usage = "showioreg [-p PLANE] [-l]"
        plane, props = "IOService", False
        args = list(argv)
        while args:
            a = args.pop(0)
            if a == "-l":
                props = True
            elif a == "-p" and args:
                plane = args.pop(0)
            else:
                raise registry.usage_error(usage)
        if plane not in PLANES:
            raise registry.usage_error(usage + " (planes: %s)" % ", ".join(PLANES))
        target.require_live()
        root = target.to_int(target.field(target.symbol("ioreg_globals"), "root", "ioreg"),
                             "the root")
        if root == 0:
            self.note("no registry yet: IOKitInitialize has not run")
            return
        self.count = 0
        self.walk(root, PLANES[plane], 0, props, set())

    def walk(self, addr, plane, depth, props, seen):
        self.count += 1
        if depth > MAX_DEPTH or self.count > MAX_ENTRIES or addr in seen:
            raise target.TargetError("the registry looks corrupt (too deep, too big or a loop)")
        seen.add(addr)
        e = entry_fields(addr)
        cls = obj_class(addr)
        extra = ""
        svc_t = target.lookup_type("struct IOService")
        try:
            meta = gdb.Value(addr).cast(target.lookup_type("OSObject").pointer()).dereference()
            is_service = self.is_subclass(meta["meta"], "IOService")
        except target.TargetError:
            is_service = False
        if is_service:
            s = gdb.Value(addr).cast(svc_t.pointer()).dereference()
            state = target.to_int(s["sv_state"], "sv_state")
            words = [w for bit, w in STATE_BITS if state & bit]
            extra = ", %s, busy %d" % (" ".join(words) or "new",
                                      target.to_int(s["sv_busy"], "sv_busy"))
        retain = target.to_int(e["re_os"]["retainCount"], "retainCount")
        self.out("%s+-o %s  <class %s, id 0x%x, retain %d%s>\n" % (
            "  " * depth, entry_name(e, cls), cls, addr, retain, extra))
        if props:
            for k, v in dict_items(target.to_int(e["re_props"], "re_props")):
                self.out("%s    \"%s\" = %s\n" % ("  " * depth, k, value_text(v)))
        for child in array_items(target.to_int(e["re_children"][plane], "re_children")):
            self.walk(child, plane, depth + 1, props, seen)

    @staticmethod
    def is_subclass(meta, name):
        m = meta
        for _ in range(64):
            if target.to_int(m, "meta") == 0:
                return False
            md = m.dereference()
            if target.read_cstring(target.to_int(md["className"], "className"), "className",
                                   128) == name:
                return True
            m = md["superClass"]
        return False
