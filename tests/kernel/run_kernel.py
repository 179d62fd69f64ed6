#!/usr/bin/env python3
"""run_kernel.py - the kernel tier: in-kernel tests, and checks that the
harness sees failures, leaks, faults and panics for what they are.

  1. Boots with tests=* and relays the kernel's TAP, one result per test
     (kernel.<suite>.<name>), then checks the exit status agrees; the same
     on two CPUs (kernel.smp2.<suite>.<name>), and once on four.
  2. Boots each of the selftest.* tests that go wrong on purpose and checks
     the report: a failing expectation names its file and line, a leak is
     caught, a panic and a page fault print a symbolised backtrace, a panic
     inside the panic path and a stack overflow still end in a report and a
     power-off (never a hang or a silent triple fault), and a call into an
     unloaded kext names the kext.
  3. Boots with bench= for a few benchmarks and checks that the benchmark
     code still works: each prints its figures as well-formed "name value
     unit" lines, and the two-CPU one says why it is skipped on one CPU.
     Their speed is make bench's business, never a test's.
  4. Reads the kernel image's symbols (nm): libkern's bulk memory
     functions each lie within one 4 KiB page, so that no loop of theirs
     crosses one (libkern/string.c says why that matters under TCG); and
     every entry of config/kernel.order is in the kernel, laid out at the
     start of .text in the order the file gives (tools/kernel_order.py).
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tap  # noqa: E402
import machina_qemu as mq  # noqa: E402

TIMEOUT = 120


def boot(args, opts, name, mem="256M", smp=1, initrd=True):
    return mq.run(kernel=os.path.join(opts.build, "kernel.elf"),
                  initrd=os.path.join(opts.build, "initrd.cpio") if initrd else None, args=args,
                  accel=opts.accel, mem=mem, smp=smp, timeout=TIMEOUT,
                  log_path=os.path.join(opts.build, "test-logs", "kernel", name + ".log"))


def relay_all(t, opts, smp, prefix):
    """Every in-kernel test as its own result, on smp CPUs."""
    r = boot("tests=*", opts, "all-smp%d" % smp, smp=smp)
    results = tap.parse(r.output)
    planned = tap.plan_count(r.output)
    diags = {}
    # Diagnostics precede their result line in the kernel's output.
    pending = []
    for line in r.output.splitlines():
        if line.startswith("#   "):
            pending.append(line[2:])
            continue
        m = re.match(r"^(?:not )?ok \d+ - (\S+)", line)
        if m:
            diags[m.group(1)] = "\n".join(pending)
            pending = []
    for passed, name in results:
        t.ok(passed, prefix + name, diags.get(name))
    complete = planned is not None and planned == len(results) and planned > 0
    all_passed = all(p for p, _ in results)
    cpus = re.search(r"^mp: (\d+) CPUs online$", r.output, re.M)
    t.ok(smp == 1 or (cpus is not None and int(cpus.group(1)) == smp),
         prefix + "harness.all_cpus_online", tail(r.output))
    t.ok(complete and r.status == (mq.EXIT_SUCCESS if all_passed else mq.EXIT_FAILURE),
         prefix + "harness.run_completes",
         "planned %s, ran %d, %s\n%s" % (planned, len(results), r.describe(), tail(r.output)))


def smp4(t, opts):
    """Once on four CPUs, as one result."""
    r = boot("tests=*", opts, "all-smp4", smp=4)
    results = tap.parse(r.output)
    failed = [name for passed, name in results if not passed]
    t.ok(results and not failed and r.status == mq.EXIT_SUCCESS and
         re.search(r"^mp: 4 CPUs online$", r.output, re.M) is not None,
         "kernel.smp4.all_tests_pass",
         "failed: %s; %s\n%s" % (", ".join(failed) or "none", r.describe(), tail(r.output)))


def tail(text, n=25):
    return "\n".join(text.splitlines()[-n:])


def check(t, name, r, status, patterns):
    """One result: the run ended with status and printed every pattern."""
    missing = [p for p in patterns if not re.search(p, r.output, re.M)]
    ok = r.status == status and not missing and not r.timed_out
    detail = "%s (wanted status %d); missing: %s\n%s" % (
        r.describe(), status, ", ".join(missing) or "nothing", tail(r.output))
    t.ok(ok, name, detail)


def self_checks(t, opts):
    r = boot("tests=selftest.fails_on_purpose", opts, "fails")
    check(t, "kernel.harness.failure_is_reported", r, mq.EXIT_FAILURE, [
        r"^not ok 1 - selftest\.fails_on_purpose$",
        r"^#   tests/kernel/selftest\.c:\d+: expected 1 \+ 1 == 3 \(0x2 vs 0x3\)$",
        r"^# ktest: 0 passed, 1 failed$"])

    r = boot("tests=selftest.leaks_on_purpose", opts, "leaks")
    check(t, "kernel.harness.leak_is_reported", r, mq.EXIT_FAILURE, [
        r"^not ok 1 - selftest\.leaks_on_purpose$", r"leaked 100 heap bytes"])

    r = boot("tests=no.such.test", opts, "nomatch")
    check(t, "kernel.harness.no_match_fails", r, mq.EXIT_FAILURE, [
        r"^1\.\.0$", r'no test matches "no\.such\.test"'])

    r = boot("tests=selftest.panics_on_purpose", opts, "panics")
    check(t, "kernel.harness.panic_reports_backtrace", r, mq.EXIT_PANIC, [
        r"^panic\(cpu 0 caller 0x[0-9a-f]{16}\): selftest: a panic on purpose$",
        r"^Backtrace \(CPU 0\), Frame : Return Address$",
        r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} ktest_selftest_panics_on_purpose \+ 0x[0-9a-f]+$",
        r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} ktest_main \+ 0x[0-9a-f]+$",
        r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} kernel_bootstrap \+ 0x[0-9a-f]+$",
        r"^Kernel version: Machina Kernel Version ",
        r"^Boot args: tests=selftest\.panics_on_purpose$"])

    r = boot("tests=selftest.faults_on_purpose", opts, "faults")
    check(t, "kernel.harness.fault_reports_registers", r, mq.EXIT_PANIC, [
        r"Kernel trap at 0x[0-9a-f]{16}, type 14=page fault, registers:",
        r"^CR0: 0x[0-9a-f]{16}, CR2: 0x0000000000000008, ",
        r"^RIP: 0x[0-9a-f]{16}|RFL: 0x[0-9a-f]{16}, RIP: 0x[0-9a-f]{16}",
        r"^Page fault: page not present, write access, kernel mode \(NULL pointer\)$",
        r"^Faulting instruction: ktest_selftest_faults_on_purpose \+ 0x[0-9a-f]+$",
        r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} ktest_selftest_faults_on_purpose \+ 0x"])

    r = boot("tests=selftest.panic_in_panic", opts, "nested")
    check(t, "kernel.harness.panic_in_panic_is_reported", r, mq.EXIT_PANIC, [
        r"nested panic: Kernel trap at 0x[0-9a-f]{16}, type 13=general protection",
        r'while formatting the panic message "selftest: %s"',
        r"ktest_selftest_panic_in_panic \+ 0x"])

    r = boot("tests=selftest.stack_overflow", opts, "overflow")
    check(t, "kernel.harness.stack_overflow_is_reported", r, mq.EXIT_PANIC, [
        r"type 8=double fault",
        r"^Stack overflow: the stack ran into its guard page at 0x[0-9a-f]{16}$",
        r"recurse"])

    r = boot("tests=selftest.thread_stack_overflow", opts, "thread-overflow")
    check(t, "kernel.harness.thread_stack_overflow_is_reported", r, mq.EXIT_PANIC, [
        r"type 8=double fault",
        r"^Stack overflow: the stack ran into its guard page at 0xffffff[0-9a-f]{10}$",
        r"recurse", r"^Thread: ktest \(id \d+\), task kernel_task$"])

    # A stale call into an unloaded kext names the kext (debug builds keep its range unmapped).
    r = boot("tests=kext_region.call_into_unloaded_panics", opts, "kext-unloaded")
    check(t, "kernel.harness.call_into_unloaded_kext_is_named", r, mq.EXIT_PANIC, [
        r"^panic\(cpu \d+ caller 0x[0-9a-f]{16}\): kernel fault at 0x[0-9a-f]{16}: call into "
        r"com\.example\.foo, unloaded \(was at 0x[0-9a-f]{16}-0x[0-9a-f]{16}\)$",
        r"^Page fault: page not present, instruction fetch access, kernel mode$",
        r"^  0x[0-9a-f]{16} : 0x[0-9a-f]{16} com\.example\.foo, unloaded \(was at "])

    # Allocator misuse is a kernel bug: each kind panics, naming what was wrong.
    P = r"0x[0-9a-f]+"
    for test, message in [
        ("zalloc.double_free_panics",
         r"zfree: zone ktest\.double: %s is already free \(double free\)" % P),
        ("zalloc.foreign_zone_free_panics",
         r"zfree: zone ktest\.other: %s belongs to zone ktest\.owner, not to this one" % P),
        ("zalloc.misaligned_free_panics",
         r"zfree: zone ktest\.misaligned: %s is not on an element boundary" % P),
        ("zalloc.non_zone_free_panics",
         r"zfree: zone ktest\.stack: %s is not a zone element \(not in the direct map\)" % P),
        ("zalloc.write_after_free_panics",
         r"zalloc: zone ktest\.waf: element %s was written after it was freed" % P),
        ("zalloc.zdestroy_busy_panics",
         r"zdestroy: zone ktest\.busy is not empty \(elements in use: 1\)"),
        ("kalloc.wrong_size_panics",
         r"kfree: %s is an element of zone kalloc\.48, but was freed with size 100" % P),
        ("kalloc.large_size_for_zone_element_panics",
         r"kfree: %s is an element of zone kalloc\.64, but was freed with size 10000" % P),
        ("OSMalloc.wrong_tag_panics",
         r'OSFree: %s was allocated with tag "ktest\.right" but freed with tag "ktest\.wrong"' % P),
        ("OSMalloc.wrong_size_panics",
         r'OSFree: %s \(tag "ktest\.size"\) was allocated with 100 bytes but freed with 99' % P),
        ("OSMalloc.double_free_panics",
         r"OSFree: %s was not returned by OSMalloc, or was freed already" % P),
        # Kernel Integrity Protection: changing a locked mapping is a kernel bug too.
        ("kip.protect_text_panics",
         r"pmap_protect: 0xffffffff8[0-9a-f]{7}-0xffffffff8[0-9a-f]{7} overlaps the kernel's "
         r"locked text and read-only data \(Kernel Integrity Protection\)"),
        ("kip.remove_rodata_alias_panics",
         r"pmap_remove: 0xffff8000[0-9a-f]{8}-0xffff8000[0-9a-f]{8} overlaps the kernel's "
         r"locked text and read-only data \(Kernel Integrity Protection\)"),
    ]:
        r = boot("tests=" + test, opts, test)
        check(t, "kernel.misuse." + test, r, mq.EXIT_PANIC, [r"^panic\(cpu \d+ caller " + P + r"\): " + message])

    # The in-kernel tests also pass with memory above 4 GiB and with very little
    # (the lock then splits a 1 GiB page of the direct map, or only 2 MiB ones).
    # The I/O Kit's memory tests there too: buffers under a 32-bit mask, and a
    # 32-bit device bounced from a page above 4 GiB.
    r = boot("tests=vm_phys.*,pmap.*,kheap.*,kip.*,kext_region.*,IOMemoryDescriptor.*,"
             "IOBufferMemoryDescriptor.*,IODMACommand.*", opts, "above4g", mem="5G")
    m = re.search(r"^vm: (\d+) MiB of RAM", r.output, re.M)
    check(t, "kernel.memory_above_4g", r, mq.EXIT_SUCCESS, [r"# ktest: \d+ passed, 0 failed"])
    t.ok(m is not None and int(m.group(1)) > 4900, "kernel.memory_above_4g_is_used",
         tail(r.output))
    # Small memory: without the initrd, which (with its kexts) is a third
    # of 24 MiB and none of these tests read.
    r = boot("tests=vm_phys.*,pmap.*,kheap.*,kip.*,kext_region.*", opts, "small", mem="24M",
             initrd=False)
    check(t, "kernel.memory_small", r, mq.EXIT_SUCCESS, [r"# ktest: \d+ passed, 0 failed"])


# Benchmarks quick enough for every test run, covering each way of measuring:
# rounds of a loop (clock), two bound threads on one and on two CPUs, timers.
QUICK_BENCH = ["clock.mach_absolute_time", "sched.thread_switch.same_cpu",
               "sched.thread_switch.cross_cpu", "sched.timed_wait", "timer_call.lateness"]
FIGURE = re.compile(r"^[a-z][\w.]* \d+ [a-z]+$")


def bench_checks(t, opts):
    r = boot("bench=" + ",".join(QUICK_BENCH), opts, "bench-smp2", smp=2)
    out = r.output.splitlines()
    try:
        body = out[out.index("# kbench: " + ",".join(QUICK_BENCH)) + 1:out.index("# kbench: done")]
    except ValueError:
        body = None
    bad = [line for line in body or [] if not line.startswith("#") and not FIGURE.match(line)]
    t.ok(body is not None and not bad and r.status == mq.EXIT_SUCCESS,
         "kernel.bench.figures_are_well_formed",
         "%s; not name value unit: %s\n%s" % (r.describe(), bad, tail(r.output)))
    names = [line.split()[0] for line in body or [] if FIGURE.match(line)]
    silent = [b for b in QUICK_BENCH if not any(n.startswith(b) for n in names)]
    t.ok(body is not None and not silent, "kernel.bench.every_benchmark_reports",
         "no figure from: %s\n%s" % (", ".join(silent), tail(r.output)))

    r = boot("bench=sched.thread_switch.cross_cpu", opts, "bench-smp1", smp=1)
    check(t, "kernel.bench.cross_cpu_skipped_on_one_cpu", r, mq.EXIT_SUCCESS, [
        r"^# sched\.thread_switch\.cross_cpu: skipped, it needs two CPUs",
        r"^# kbench: done$"])
    t.ok(not re.search(r"^sched\.thread_switch\.cross_cpu ", r.output, re.M),
         "kernel.bench.cross_cpu_reports_nothing_on_one_cpu", tail(r.output))


BULK_LOOPS = ("memcpy", "memmove", "memset", "memcmp")


def layout_checks(t, opts):
    """Each bulk function's [start, start + size) is inside one page."""
    out = subprocess.run(["nm", "-S", os.path.join(opts.build, "kernel.elf")],
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in ("T", "t") and f[3] in BULK_LOOPS:
            syms[f[3]] = (int(f[0], 16), int(f[1], 16))
    bad = ["%s at 0x%x, %d bytes" % (n, a, z) for n, (a, z) in sorted(syms.items())
           if a // 4096 != (a + z - 1) // 4096]
    missing = [n for n in BULK_LOOPS if n not in syms]
    t.ok(not bad and not missing, "kernel.bulk_loops_stay_in_one_page",
         "crosses a page: %s; not found: %s" % (", ".join(bad) or "none",
                                                 ", ".join(missing) or "none"))


def order_entries(path):
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def order_checks(t, opts):
    """config/kernel.order names functions the kernel has, and the link
    honoured it: each function starts after the one listed before it, and
    each assembled object it names was built."""
    entries = order_entries(os.path.join(ROOT, "config", "kernel.order"))
    out = subprocess.run(["nm", os.path.join(opts.build, "kernel.elf")],
                         capture_output=True, text=True).stdout
    first = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tT":
            name = f[2].split(".")[0] if not f[2].startswith(".") else f[2]
            a = int(f[0], 16)
            first[name] = min(a, first.get(name, a))
    objects = set()
    for _, _, files in os.walk(os.path.join(opts.build, "obj")):
        objects.update(files)
    missing = [e for e in entries if (e not in objects if e.endswith(".o") else e not in first)]
    funcs = [e for e in entries if not e.endswith(".o") and e in first]
    late = [b for a, b in zip(funcs, funcs[1:]) if first[b] < first[a]]
    t.ok(not missing and not late and len(funcs) > 0, "kernel.hot_functions_laid_out_in_order",
         "config/kernel.order names what the kernel lacks (regenerate it with `make "
         "kernel-order`, or delete the line): %s; placed before the entry above them: %s"
         % (", ".join(missing) or "none", ", ".join(late[:10]) or "none"))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--accel", default="tcg")
    opts = ap.parse_args()
    t = tap.Writer()
    t.out.write("TAP version 13\n")
    relay_all(t, opts, 1, "kernel.")
    relay_all(t, opts, 2, "kernel.smp2.")
    smp4(t, opts)
    self_checks(t, opts)
    bench_checks(t, opts)
    layout_checks(t, opts)
    order_checks(t, opts)
    t.plan_end()
    sys.exit(t.finish())


if __name__ == "__main__":
    main()
