"""zones - the zone allocator (mach/kern/zalloc.c): zprint, as XNU's
debugger and command of that name print the zones."""
from machina_gdb import registry, target

MAX_ZONES = 4096


@registry.command
class Zprint(registry.MachinaCommand):
    """Every zone: element size, elements in use and free, peak, pages, allocations.

Usage: zprint [NAME-PREFIX]

From zone_globals.zones (oldest first), as the kernel counts them: the
element size, elements in use, free elements in the zone's chunks, the
peak in use, the chunks' pages (and how many chunks are wholly free),
allocations, frees and failures. With NAME-PREFIX, only the zones whose
names start with it (`zprint kalloc`)."""

    name = "zprint"

    def run(self, argv, from_tty):
        if len(argv) > 1:
            raise registry.usage_error("zprint [NAME-PREFIX]")
        prefix = argv[0] if argv else ""
        target.require_live()
        g = target.symbol("zone_globals")
        ptr = target.field(target.field(g, "zones", "zone_globals"), "tqh_first", "zones")
        self.out("%-24s %8s %8s %8s %8s %7s %6s %10s %10s %5s\n" % (
            "ZONE", "ELEMSIZE", "INUSE", "FREE", "PEAK", "PAGES", "EMPTY", "ALLOCS", "FREES",
            "FAIL"))
        n = shown = 0
        while target.to_int(ptr, "a zone pointer") != 0:
            n += 1
            if n > MAX_ZONES:
                raise target.TargetError("more than %d zones: the list looks corrupt" % MAX_ZONES)
            z = target.fetch(ptr.dereference(), "struct zone")
            name = target.char_array(z["z_name"], "z_name")
            if name.startswith(prefix):
                shown += 1
                chunks = target.to_int(z["z_chunks"], "z_chunks")
                pages = chunks * target.to_int(z["z_chunk_pages"], "z_chunk_pages")
                self.out("%-24s %8d %8d %8d %8d %7d %6d %10d %10d %5d\n" % (
                    name[:24], target.to_int(z["z_elem_size"], "z_elem_size"),
                    target.to_int(z["z_elems_inuse"], "z_elems_inuse"),
                    target.to_int(z["z_elems_free"], "z_elems_free"),
                    target.to_int(z["z_peak_inuse"], "z_peak_inuse"), pages,
                    target.to_int(z["z_chunks_empty"], "z_chunks_empty"),
                    target.to_int(z["z_allocs"], "z_allocs"),
                    target.to_int(z["z_frees"], "z_frees"),
                    target.to_int(z["z_failures"], "z_failures")))
            ptr = z["z_link"]["tqe_next"]
        if shown == 0:
            self.note("no zone%s" % (" named %s..." % prefix if prefix else " yet"))
