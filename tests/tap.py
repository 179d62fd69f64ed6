"""tap - the Test Anything Protocol, as Machina's test tiers speak it.

Every tier of `make test` (unit, kernel, boot, gdb) is a program that prints
TAP on its standard output: a plan, then one "ok N - name" or
"not ok N - name" line per test, diagnostics as "# " lines. tests/run.py
runs the tiers and adds the results up.

    t = tap.Writer()
    t.plan(2)
    t.ok(True, "boot.direct_banner")
    t.ok(False, "boot.iso_banner", "no banner in:\\n" + output)
    sys.exit(t.finish())
"""
import re
import sys

RESULT = re.compile(r"^(not ok|ok)\s+(\d+)?\s*(?:-\s*)?(.*?)(\s+#\s*(SKIP|TODO)\b.*)?$", re.I)


class Writer:
    def __init__(self, out=None):
        self.out = out or sys.stdout
        self.count = 0
        self.failed = 0

    def plan(self, n):
        """The plan up front, before any result."""
        self.out.write("TAP version 13\n1..%d\n" % n)
        self.out.flush()

    def plan_end(self):
        """The plan after the results, for tiers that cannot count ahead."""
        self.out.write("1..%d\n" % self.count)
        self.out.flush()

    def diag(self, text):
        for line in str(text).splitlines() or [""]:
            self.out.write("# %s\n" % line)
        self.out.flush()

    def ok(self, passed, name, detail=None):
        self.count += 1
        if not passed:
            self.failed += 1
        self.out.write("%s %d - %s\n" % ("ok" if passed else "not ok", self.count, name))
        if detail and not passed:
            self.diag(detail)
        self.out.flush()
        return passed

    def skip(self, name, reason):
        """A test that could not run here, and why ("ok N - name # SKIP
        reason"). tests/run.py counts it apart: neither passed nor failed."""
        self.count += 1
        self.out.write("ok %d - %s # SKIP %s\n" % (self.count, name, reason))
        self.out.flush()

    def finish(self):
        """The exit status for the tier: 0 if everything passed."""
        return 1 if self.failed else 0


def parse(text):
    """[(passed, name)] for every result line in text. A SKIP or TODO
    directive counts as failed: Machina's tests are pass or fail. Only
    tests/run.py, adding up whole tiers, sets SKIPs apart (skips())."""
    results = []
    for line in text.splitlines():
        m = RESULT.match(line.strip())
        if not m:
            continue
        passed = m.group(1).lower() == "ok" and not m.group(5)
        results.append((passed, m.group(3).strip()))
    return results


def skips(text):
    """[name] of every "ok ... # SKIP" result in text (parse counts them as
    failed; tests/run.py takes them out of both counts)."""
    names = []
    for line in text.splitlines():
        m = RESULT.match(line.strip())
        if m and m.group(1).lower() == "ok" and (m.group(5) or "").upper() == "SKIP":
            names.append(m.group(3).strip())
    return names


def plan_count(text):
    m = re.search(r"^1\.\.(\d+)", text, re.M)
    return int(m.group(1)) if m else None
