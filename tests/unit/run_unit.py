#!/usr/bin/env python3
"""run_unit.py - run the host unit tests and report them as one TAP stream.

    tests/unit/run_unit.py --build BUILD

Runs every BUILD/tests/unit/test_* executable (Criterion test binaries built
by `make test-unit-build`) and prints one TAP result per Criterion test,
named unit.<suite>.<test>, with the failure messages as "# " diagnostics.
The exit status is non-zero if any test failed.

It also replays the seed corpus of every fuzz target (BUILD/tests/fuzz/
fuzz_NAME, built by `make fuzz-build`; the corpus in tests/fuzz/corpus/NAME):
each input run once (libFuzzer's -runs=0), reported as
unit.fuzz.NAME.corpus_replay. A crash, a sanitizer report or a leak fails it.
The MIG generator's fuzzer (tests/fuzz/fuzz_mig.py) gets the same: its corpus
replayed (unit.fuzz.mig.corpus_replay) and a short run of MIG_SHORT_RUNS
mutated inputs from a fixed seed (unit.fuzz.mig.short).

How results are collected: each binary is asked for its tests first
(--list), then run with --xml=FILE. Criterion writes that report at the end
of the run; its JSON report does not escape quotes in messages, which is why
XML is used. A test that fails without an assertion message (a sanitizer
report, a crash, an unexpected panic) is run once more on its own so that
its stderr can be shown. A test that never reports (the binary crashed,
hung past --timeout or could not start) counts as failed, as does a binary
that exits non-zero although all its tests passed.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import tap  # noqa: E402

RERUN_LIMIT = 10        # failures per binary re-run for their stderr
NO_MESSAGE = {
    "ERRORED": "the test crashed",
    "SKIPPED": "the test was skipped or disabled",
    None: "the test failed without an assertion message (a sanitizer report, "
          "an exit or a panic other than the one expected?)",
}
DIAG_LINES = 60         # stderr lines kept in a diagnostic
FUZZ_MIG = os.path.join(ROOT, "tests", "fuzz", "fuzz_mig.py")
MIG_SHORT_RUNS = 300    # a few seconds; fixed seed, so the same inputs each time
MIG_SHORT_SEED = 10


class Result:
    def __init__(self, name, passed, detail=""):
        self.name = name
        self.passed = passed
        self.detail = detail


def tail(text, n=DIAG_LINES):
    lines = [l for l in (text or "").splitlines() if l.strip()]
    if len(lines) > n:
        lines = ["... (%d lines before)" % (len(lines) - n)] + lines[-n:]
    return "\n".join(lines)


def summarize(err):
    """A sanitizer report or panic without ASan's shadow-memory dump."""
    lines, skipping = [], False
    for line in (err or "").splitlines():
        if line.startswith("Shadow bytes around"):
            skipping = True
        if skipping:
            skipping = "ABORTING" not in line
            continue
        if line.strip() and not line.startswith("[====] Synthesis"):
            lines.append(line)
    return tail("\n".join(lines))


def run(cmd, timeout):
    """(returncode or None on timeout, stdout, stderr). The command runs in
    its own process group, so a timeout also ends the Criterion workers."""
    env = dict(os.environ)
    # A sanitizer report must end the test with an exit status, never with
    # the SIGABRT that a test expecting a panic waits for, whatever the
    # caller's own ASAN_OPTIONS say (later settings win).
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        env[var] = (env.get(var, "") + ":abort_on_error=0:halt_on_error=1").lstrip(":")
    try:
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, errors="replace", start_new_session=True)
    except OSError as e:
        return -1, "", str(e)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return None, out, err


def describe_status(rc, timeout):
    if rc is None:
        return "timed out after %d s" % timeout
    if rc < 0:
        return "killed by signal %d" % -rc
    return "exited with status %d" % rc


def list_tests(binary, timeout):
    """[(suite, test)] as `binary --list` prints them, or an error string."""
    rc, out, err = run([binary, "--list"], timeout)
    if rc != 0:
        return "--list %s\n%s" % (describe_status(rc, timeout), tail(err))
    tests, suite = [], None
    for line in out.splitlines():
        m = re.match(r"^(\S+): \d+ tests?$", line)
        if m:
            suite = m.group(1)
            continue
        m = re.match(r"^\W+\s(\S+)$", line)
        if m and suite is not None:
            tests.append((suite, m.group(1)))
    return tests


def parse_xml(path):
    """{(suite, test): (status, message)} from Criterion's XML report."""
    results = {}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return results
    for ts in root.iter("testsuite"):
        for tc in ts.iter("testcase"):
            status = tc.get("status", "")
            msgs = []
            for node in list(tc.iter("failure")) + list(tc.iter("error")):
                text = (node.text or "").strip()
                summary = node.get("message") or ""
                if text:
                    msgs.append(text)
                elif summary and not summary.startswith("0 assertion"):
                    msgs.append(summary)
            results[(ts.get("name"), tc.get("name"))] = (status, "\n".join(msgs))
    return results


def parse_progress(err):
    """{(suite, test): "RUN" | "PASS" | "FAIL"} from --verbose lines on stderr,
    for when the binary died before writing its report."""
    progress = {}
    for line in (err or "").splitlines():
        m = re.match(r"^\[(RUN |PASS|FAIL)\] ([^:\s]+)::(\S+?):?(\s|$)", line)
        if m:
            key = (m.group(2), m.group(3))
            if m.group(1) != "RUN " or key not in progress:
                progress[key] = m.group(1).strip()
    return progress


def rerun_alone(binary, suite, test, timeout):
    """The stderr of one test run by itself (sanitizer report, panic)."""
    rc, out, err = run([binary, "--filter", "%s/%s" % (suite, test), "--jobs", "1",
                        "--color=never", "--short-filename"], timeout)
    return summarize(err)


def run_binary(binary, timeout):
    """[Result] for every test in one binary."""
    prog = os.path.basename(binary)
    listed = list_tests(binary, min(timeout, 30))
    if isinstance(listed, str):
        return [Result("unit.%s" % prog, False, "%s: %s" % (prog, listed))]

    with tempfile.TemporaryDirectory(prefix="machina-unit-") as tmp:
        report = os.path.join(tmp, "report.xml")
        rc, out, err = run([binary, "--xml=" + report, "--verbose", "--color=never",
                            "--short-filename"], timeout)
        found = parse_xml(report)
    progress = parse_progress(err) if not found else {}

    results, reruns = [], 0
    names = listed + sorted(k for k in found if k not in listed)
    for suite, test in names:
        name = "unit.%s.%s" % (suite, test)
        if (suite, test) not in found:
            state = progress.get((suite, test))
            if state == "PASS":
                results.append(Result(name, True))
                continue
            what = {"RUN": "did not finish", "FAIL": "failed", None: "never ran"}[state]
            results.append(Result(name, False, "%s: %s %s\n%s" % (
                what, prog, describe_status(rc, timeout), summarize(err))))
            continue
        status, msg = found[(suite, test)]
        if status == "PASSED":
            results.append(Result(name, True))
            continue
        detail = msg or NO_MESSAGE.get(status, NO_MESSAGE[None])
        wants_stderr = not msg or status == "ERRORED"
        if wants_stderr and status != "SKIPPED" and reruns < RERUN_LIMIT:
            reruns += 1
            detail += "\nstderr of the test run alone:\n" + rerun_alone(
                binary, suite, test, timeout)
        results.append(Result(name, False, detail))

    if rc != 0 and all(r.passed for r in results):
        results.append(Result("unit.%s" % prog, False, "%s %s although every test "
                              "passed\n%s" % (prog, describe_status(rc, timeout),
                                              summarize(err))))
    return results


def run_fuzz_replay(binary, timeout):
    """[Result] for one fuzz target's corpus, each input run once."""
    name = os.path.basename(binary)[len("fuzz_"):]
    corpus = os.path.join(ROOT, "tests", "fuzz", "corpus", name)
    test = "unit.fuzz.%s.corpus_replay" % name
    if not os.path.isdir(corpus) or not os.listdir(corpus):
        return [Result(test, False, "no seed corpus in tests/fuzz/corpus/%s" % name)]
    with tempfile.TemporaryDirectory(prefix="machina-fuzz-") as tmp:
        rc, out, err = run([binary, "-runs=0", "-artifact_prefix=%s/" % tmp, corpus],
                           timeout)
    if rc == 0:
        return [Result(test, True)]
    return [Result(test, False, "%s %s\n%s" % (os.path.basename(binary),
                                               describe_status(rc, timeout),
                                               summarize(err)))]


def run_fuzz_mig(build, timeout):
    """[Result]: fuzz_mig.py's corpus replayed, and a short fixed-seed run
    (failing inputs kept in BUILD/tests/fuzz/mig)."""
    runs = (("unit.fuzz.mig.corpus_replay",
             ["--replay", os.path.join(ROOT, "tests", "fuzz", "corpus", "mig")]),
            ("unit.fuzz.mig.short",
             ["--seed", str(MIG_SHORT_SEED), "--runs", str(MIG_SHORT_RUNS), "--quiet",
              "--out", os.path.join(build, "tests", "fuzz", "mig")]))
    results = []
    for test, args in runs:
        rc, out, err = run([sys.executable, FUZZ_MIG] + args, timeout)
        if rc == 0:
            results.append(Result(test, True))
        else:
            results.append(Result(test, False, "fuzz_mig.py %s\n%s" % (
                describe_status(rc, timeout), tail(out + err))))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds each test binary may run (default 120)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="test binaries run at once")
    args = ap.parse_args()

    build = os.path.join(ROOT, args.build)     # an absolute --build stays as it is
    pattern = os.path.join(build, "tests", "unit", "test_*")
    binaries = sorted(p for p in glob.glob(pattern)
                      if os.path.isfile(p) and os.access(p, os.X_OK))
    fuzzers = sorted(p for p in glob.glob(os.path.join(build, "tests", "fuzz", "fuzz_*"))
                     if os.path.isfile(p) and os.access(p, os.X_OK))
    t = tap.Writer()
    if not binaries:
        t.plan(1)
        t.ok(False, "unit.build", "no test binaries in %s/tests/unit; run "
             "`make test-unit-build`" % args.build)
        return t.finish()

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        mig = pool.submit(run_fuzz_mig, build, args.timeout)
        per_binary = list(pool.map(lambda b: run_binary(b, args.timeout), binaries))
        per_binary += list(pool.map(lambda b: run_fuzz_replay(b, args.timeout), fuzzers))
        per_binary.append(mig.result())
    results = [r for rs in per_binary for r in rs]
    t.plan(len(results))
    for r in results:
        t.ok(r.passed, r.name, r.detail)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
