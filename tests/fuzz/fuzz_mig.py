#!/usr/bin/env python3
"""fuzz_mig.py - a mutational fuzzer for the MIG-style generator (tools/mig/mig.py).

    fuzz_mig.py [--seed N] [--time S | --runs N] [--timeout S] [--out DIR]
                [--corpus DIR] [--quiet]
    fuzz_mig.py --replay FILE|DIR ...

The generator is Python, so libFuzzer does not apply; this does the same job
by hand. It starts from every .defs file in the tree (mach/, servers/,
tests/) and the corpus in tests/fuzz/corpus/mig/, and mutates them: bytes,
lines and tokens deleted, repeated, swapped or replaced by MIG's keywords,
type names and odd numbers, and pieces of two inputs spliced; about a
quarter of the inputs are written afresh from MIG's grammar with random
choices instead (types nested in arrays, every argument direction and
flag), to reach the generator with shapes no seed has. An input is one of
two kinds:

  NAME.defs  a source: run as `mig.py -I<tree> -user .. -header ..
             -server .. -sheader .. NAME.defs` would run it (mig.main(),
             in-process), the C preprocessor included;
  NAME.i     a source as the preprocessor leaves it (line markers, no
             comments or directives): from the tokenizer on, without the
             preprocessor, which makes it several times faster.

Each tree .defs is a seed of both kinds (the .i made with mig's own
preprocess()); most mutations start from an .i. Either way the parser and
the generator run and all four outputs are written to a temporary
directory.

The rule checked: the generator succeeds, or it fails with its own error
(DefsError) whose message starts "FILE:LINE: " (or "FILE: " for a problem
with the whole file, or "mig: "). Any other exception, a traceback in
other words, fails the input, and so does an input that runs longer than
--timeout seconds (a hang). Each failing input is written to --out as
crash-HASH.defs (.i) or timeout-HASH.defs (.i) with the traceback beside
it in the same name .txt; `fuzz_mig.py --replay FILE` runs it again.

Runs are reproducible: the seed (--seed, else a random one) is printed
first, and the same seed, corpus and --runs give the same inputs.

--replay runs each input once, unmutated: what the unit tier does with
tests/fuzz/corpus/mig/ (unit.fuzz.mig.corpus_replay). Exit status: 0 when
every input kept the rule, 1 otherwise. docs/testing.md, "Fuzzing".
"""
import argparse
import contextlib
import glob
import hashlib
import io
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "mig"))
import mig  # noqa: E402

CORPUS = os.path.join(HERE, "corpus", "mig")
SEED_GLOBS = ("mach/*.defs", "servers/*.defs", "tests/*/*.defs", "tests/*/*/*.defs")
# mig's own errors, and the C preprocessor's (FILE:LINE:COL: ..., possibly
# after "In file included from FILE:LINE:" lines).
GOOD_ERROR = re.compile(r"^(mig: |.+?:\d+:(\d+:)? \S|[^\s:][^:\n]*: \S)")
INCLUDED_FROM = re.compile(r"^In file included from .*:\d+[:,]$")
CPP_SHARE = 0.15        # how many mutants start from a .defs (the slow kind)
GENERATED_SHARE = 0.3   # how many of the rest are new, from MIG's grammar

KEYWORDS = [
    "subsystem", "KernelServer", "KernelUser", "routine", "simpleroutine", "skip",
    "import", "uimport", "simport", "userprefix", "serverprefix", "waittime",
    "msgoption", "serverdemux", "rcsid", "type", "array", "of", "struct", "c_string",
    "ctype", "cusertype", "cservertype", "intran", "outtran", "destructor", "dealloc",
    "nodealloc", "countinout", "servercopy", "samecount", "in", "out", "inout",
    "requestport", "replyport", "sreplyport", "ureplyport", "serveraudittoken",
    "serversectoken", "mach_port_t", "int32_t", "int64_t", "uint8_t", "boolean_t",
    "audit_token_t", "security_token_t", "struct", "unsigned", "const",
] + sorted(mig.SCALARS) + sorted(mig.PORTS) + ["MACH_MSG_TYPE_STRING"]
PUNCT = ["^", "[", "]", "*", ":", ";", "=", "(", ")", ",", "+", "-", "<x.h>", '"x.h"',
         "[]", "[*]", "[*:", "array[] of", "^array[*:8] of", "c_string[*:", "struct[8] of"]
NUMBERS = ["0", "1", "-1", "7", "8", "16", "32", "64", "0123", "08", "0x", "0x0", "0xffffffff",
           "2147483647", "2147483648", "4294967296", "18446744073709551616",
           "99999999999999999999999999999999999999", "-0", "00", "1-1", "1+1"]
ODD_BYTES = ["\0", "\t", "\r", "\\", "'", '"', "/*", "*/", "//", "#", "#if 0", "#endif",
             "#include <mach/std_types.defs>", "#define X", "\u00e9", "\x7f", "\n\n"]
TOKEN_SPLIT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]*|[0-9]+|\s+|.", re.S)


class Hang(Exception):
    pass


def on_alarm(signum, frame):
    raise Hang("no result within the time limit")


# --- the corpus -------------------------------------------------------------

def good_error(msg):
    lines = msg.split("\n")
    while lines and INCLUDED_FROM.match(lines[0]):
        lines.pop(0)
    return bool(lines) and GOOD_ERROR.match(lines[0]) is not None


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def seed_inputs(corpus):
    """[(name, text, expanded)]: the tree's .defs as written and expanded, the corpus."""
    out = []
    paths = sorted({p for g in SEED_GLOBS for p in glob.glob(os.path.join(ROOT, g))})
    for p in paths:
        name = os.path.relpath(p, ROOT)
        out.append((name, read(p), False))
        try:
            out.append((name + " (expanded)", mig.preprocess(p, ["-I" + ROOT]), True))
        except mig.DefsError:
            pass
    for p in sorted(glob.glob(os.path.join(corpus, "*.defs")) +
                    glob.glob(os.path.join(corpus, "*.i"))):
        out.append((os.path.relpath(p, ROOT), read(p), p.endswith(".i")))
    return out


# --- mutation ---------------------------------------------------------------

def mutate_once(rng, text, others):
    choice = rng.randrange(11)
    if choice == 0 and text:                    # delete a span of bytes
        a = rng.randrange(len(text))
        return text[:a] + text[a + rng.randint(1, 16):]
    if choice == 1:                             # insert odd bytes
        a = rng.randint(0, len(text))
        return text[:a] + rng.choice(ODD_BYTES + PUNCT) + text[a:]
    lines = text.split("\n")
    if choice == 2:                             # delete a line
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if choice == 3:                             # repeat a line
        i = rng.randrange(len(lines))
        lines.insert(rng.randint(0, len(lines)), lines[i])
        return "\n".join(lines)
    if choice == 4 and len(lines) > 1:          # swap two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    if choice == 5:                             # a line from another input
        other = rng.choice(others).split("\n")
        lines.insert(rng.randint(0, len(lines)), rng.choice(other))
        return "\n".join(lines)
    if choice == 6:                             # splice two inputs
        other = rng.choice(others)
        return text[:rng.randint(0, len(text))] + other[rng.randint(0, len(other)):]
    if choice == 7 and text:                    # cut short
        return text[:rng.randrange(len(text))]
    toks = TOKEN_SPLIT.findall(text)
    real = [i for i, t in enumerate(toks) if not t.isspace()]
    if not real:
        return text + rng.choice(KEYWORDS)
    i = rng.choice(real)
    if choice == 8:                             # a token becomes a keyword or punctuation
        toks[i] = rng.choice(KEYWORDS + PUNCT)
    elif choice == 9:                           # a number becomes an odd one
        nums = [k for k in real if toks[k][0].isdigit()] or [i]
        toks[rng.choice(nums)] = rng.choice(NUMBERS)
    else:                                       # a token repeated, or dropped
        if rng.random() < 0.5:
            toks.insert(rng.choice(real), toks[i] + " ")
        else:
            del toks[i]
    return "".join(toks)


def gen_type(rng, named, depth=0):
    """A type spec: a name, a scalar or port, or an array, struct or string of
    one; mostly legal, now and then not (wild)."""
    wild = rng.random() < 0.1
    scalar = rng.choice(sorted(mig.SCALARS))
    pick = rng.randrange(9 if depth < 1 else 4)
    if pick == 0 and named:
        return rng.choice(named)
    if pick in (0, 1):
        return scalar
    if pick == 2:
        return rng.choice(sorted(mig.PORTS))
    if pick == 3:
        bits = mig.SCALARS[scalar][0] * 8 if not wild else rng.choice((0, 7, 64))
        return "(%s, %d)" % (scalar, bits)
    n = rng.choice((1, 2, 8, 64, 512)) if not wild else rng.choice(NUMBERS)
    if pick in (4, 5, 6):
        elem = rng.choice((scalar, scalar, "struct[8] of " + scalar,
                           rng.choice(sorted(set(mig.PORTS) - {"MACH_MSG_TYPE_POLYMORPHIC"}))))
        if wild:
            elem = gen_type(rng, named, depth + 1)
        if elem.startswith("MACH_MSG_TYPE_") and elem not in mig.SCALARS and not wild:
            return rng.choice(("array[] of ", "^array[*:%s] of " % n)) + elem
        bound = rng.choice(("[]", "[%s]" % n, "[*:%s]" % n, "[*:%s]" % n))
        return "%sarray%s of %s" % (rng.choice(("", "", "^")), bound, elem)
    if pick == 7:
        return "struct[%s] of %s" % (n if not wild else 0, scalar)
    return "c_string[%s%s]" % (rng.choice(("", "*:")), n if not wild else "")


def generate(rng):
    """A new interface in the preprocessor's output form (an .i), built from
    MIG's grammar with random choices, most of them legal: the generator's
    paths get inputs the mutations of a few seeds rarely reach."""
    out = ["subsystem %s%s %d;" % (rng.choice(("", "KernelServer ", "KernelUser ")), "gen",
                                   rng.choice((0, 100, 4000, 65535, 2 ** 31)))]
    if rng.random() < 0.3:
        out.append("userprefix u_;")
    if rng.random() < 0.3:
        out.append("serverprefix s_;")
    named = []
    for i in range(rng.randint(0, 6)):
        name = "t%d_t" % i
        ann = ""
        if rng.random() < 0.3:
            ann = rng.choice((" ctype: my_t", " cusertype: struct my *", " dealloc",
                              " intran: obj_t conv_in(mach_port_t)"
                              " outtran: mach_port_t conv_out(obj_t) destructor: rel(obj_t)"))
        out.append("type %s = %s%s;" % (name, gen_type(rng, named), ann))
        named.append(name)
    dirs = ["in"] * 6 + ["out"] * 4 + ["inout"]
    for r in range(rng.randint(1, 3)):
        if rng.random() < 0.1:
            out.append("skip;")
            continue
        simple = rng.random() < 0.2
        args = ["server : %s" % rng.choice(("MACH_MSG_TYPE_COPY_SEND", "MACH_MSG_TYPE_MAKE_SEND",
                                            "MACH_MSG_TYPE_PORT_SEND"))]
        for a in range(rng.randint(0, 4)):
            d = "in" if simple else rng.choice(dirs)
            if rng.random() < 0.08:
                d = rng.choice(sorted(mig.DIRECTIONS))
            flags = ""
            t = gen_type(rng, named)
            if "^" in t and rng.random() < 0.3:
                flags = ", " + rng.choice(("dealloc", "nodealloc"))
            if d == "out" and "[*:" in t and rng.random() < 0.3:
                flags = ", CountInOut"
            if rng.random() < 0.1:
                t = "a%d_t = %s" % (a, t)
            args.append("%s a%d : %s%s" % (d, a, t, flags))
        out.append("%s r%d(%s);" % ("simpleroutine" if simple else "routine", r, "; ".join(args)))
    return "\n".join(out) + "\n"


def mutate(rng, text, others):
    for _ in range(rng.choice((1, 1, 2, 3, 4, 8))):
        text = mutate_once(rng, text, others)
    return text


# --- running one input ------------------------------------------------------

STATS = {"accepted": 0, "refused": 0}


def run_one(text, expanded, work, timeout):
    """None if the input kept the rule, else (kind, report)."""
    src = os.path.join(work, "fuzz.defs")
    with open(src, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    outs = {k: os.path.join(work, "out", k) for k in ("user.c", "user.h", "server.c", "server.h")}
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            if not expanded:
                mig.main(["-I" + ROOT, "-user", outs["user.c"], "-header", outs["user.h"],
                          "-server", outs["server.c"], "-sheader", outs["server.h"], src])
            else:
                sub = mig.Parser(mig.tokenize(text, src)).parse()
                gen = mig.Gen(sub, src)
                mig.write(outs["user.h"], gen.user_header("_FUZZ_USER_H_"))
                mig.write(outs["user.c"], gen.user_source("user.h"))
                mig.write(outs["server.h"], gen.server_header("_FUZZ_SERVER_H_"))
                mig.write(outs["server.c"], gen.server_source("server.h"))
        STATS["accepted"] += 1
        return None
    except mig.DefsError as e:
        msg = str(e)
        if good_error(msg):
            STATS["refused"] += 1
            return None
        return "crash", "an error without FILE:LINE: %r" % msg
    except Hang:
        return "timeout", "no result within %g s" % timeout
    except BaseException as e:  # noqa: B902 - every escape is the finding
        if isinstance(e, KeyboardInterrupt):
            raise
        return "crash", "".join(traceback.format_exception(type(e), e, e.__traceback__))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def save(out, kind, text, expanded, report):
    os.makedirs(out, exist_ok=True)
    h = hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    path = os.path.join(out, "%s-%s.%s" % (kind, h, "i" if expanded else "defs"))
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    with open(os.path.join(out, "%s-%s.txt" % (kind, h)), "w") as f:
        f.write(report)
    return path


def first_line(report):
    lines = [l for l in report.strip().split("\n") if l.strip()]
    return lines[-1].strip() if lines else report


def replay(paths, timeout):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(glob.glob(os.path.join(p, "*.defs")) + glob.glob(os.path.join(p, "*.i")))
        else:
            files.append(p)
    if not files:
        print("fuzz_mig: nothing to replay in %s" % " ".join(paths))
        return 1
    bad = 0
    with tempfile.TemporaryDirectory(prefix="machina-fuzz-mig-") as work:
        for f in files:
            r = run_one(read(f), f.endswith(".i"), work, timeout)
            if r is not None:
                bad += 1
                print("fuzz_mig: %s: %s\n%s" % (f, r[0], r[1]))
    print("fuzz_mig: replayed %d inputs, %d failed" % (len(files), bad))
    return 1 if bad else 0


def fuzz(args):
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    print("fuzz_mig: seed %d" % seed, flush=True)
    rng = random.Random(seed)
    seeds = seed_inputs(args.corpus)
    texts = [t for _, t, _ in seeds]
    sources = [t for _, t, e in seeds if not e]
    expanded = [t for _, t, e in seeds if e]
    found, runs, failed = set(), 0, 0
    start = time.monotonic()
    deadline = start + args.time if args.time else None
    with tempfile.TemporaryDirectory(prefix="machina-fuzz-mig-") as work:
        for name, text, exp in seeds:           # the seeds themselves first
            r = run_one(text, exp, work, args.timeout)
            runs += 1
            if r is not None:
                failed += 1
                path = save(args.out, r[0], text, exp, r[1])
                print("fuzz_mig: seed %s fails (%s): %s" % (name, path, first_line(r[1])))
        while True:
            if args.runs is not None and runs >= args.runs:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
            exp = bool(expanded) and (not sources or rng.random() >= CPP_SHARE)
            if exp and rng.random() < GENERATED_SHARE:
                text = generate(rng)
                if rng.random() < 0.3:
                    text = mutate(rng, text, texts)
            else:
                text = mutate(rng, rng.choice(expanded if exp else sources), texts)
            r = run_one(text, exp, work, args.timeout)
            runs += 1
            if r is None:
                continue
            failed += 1
            key = (r[0], first_line(r[1]))
            if key in found:
                continue
            found.add(key)
            path = save(args.out, r[0], text, exp, r[1])
            print("fuzz_mig: run %d: %s: %s\n  reproducer: %s" % (runs, r[0], key[1], path),
                  flush=True)
            if not args.quiet:
                print(r[1])
    took = time.monotonic() - start
    print("fuzz_mig: seed %d, %d runs in %.1f s (%.0f/s), %d seeds; %d made C, %d refused "
          "with an error, %d failing inputs (%d distinct)"
          % (seed, runs, took, runs / took if took else 0, len(seeds), STATS["accepted"],
             STATS["refused"], failed, len(found)))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, help="the random seed (printed when not given)")
    ap.add_argument("--time", type=float, help="stop after this many seconds")
    ap.add_argument("--runs", type=int, help="stop after this many inputs")
    ap.add_argument("--timeout", type=float, default=10.0,
                    help="seconds one input may take before it counts as a hang (10)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "tests", "fuzz", "mig"),
                    help="where failing inputs are written (build/tests/fuzz/mig)")
    ap.add_argument("--corpus", default=CORPUS, help="extra seeds (tests/fuzz/corpus/mig)")
    ap.add_argument("--quiet", action="store_true", help="no tracebacks, one line a finding")
    ap.add_argument("--replay", nargs="+", metavar="PATH",
                    help="run these inputs (.defs or .i files, directories of them) once each")
    args = ap.parse_args()
    if args.replay:
        return replay(args.replay, args.timeout)
    if args.time is None and args.runs is None:
        args.time = 60.0
    return fuzz(args)


if __name__ == "__main__":
    sys.exit(main())
