#!/usr/bin/env python3
"""make_fixtures.py - the property lists the plist parser's tests read.

    tests/unit/libkern/plist_fixtures/make_fixtures.py          write them here
    tests/unit/libkern/plist_fixtures/make_fixtures.py --check FILE NAME

Writes NAME.plist (as Python's plistlib writes XML property lists) and
NAME.expected (the same objects in the one-line dump test_OSUnserializeXML.c
makes of what the parser returns) for every fixture below. The files are
checked in; run this again after changing a fixture. The fuzz target's seed
corpus (tests/fuzz/corpus/plist) is these files too.

--check FILE NAME reads FILE (the serializer's output) with plistlib and
says whether it holds the objects of fixture NAME: what the unit test uses
to show that plistlib reads back what OSSerialize writes. Exit status 0 if
it does, 1 (with both dumps) if not.

The dump: dict {"key":value,...} in file order, array [v,...], string
"..." (bytes other than printable ASCII, '"' and '\\' as \\xNN), integer
i<signed 64-bit decimal>, true, false, data d<hex>. <real> and <date>
become strings holding their text, as the parser keeps them.
"""
import datetime
import os
import plistlib
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def dump(o):
    if isinstance(o, bool):
        return "true" if o else "false"
    if isinstance(o, int):
        return "i%d" % (o - (1 << 64) if o >= 1 << 63 else o)
    if isinstance(o, float):
        return quote(repr(o))           # plistlib writes repr(); kept as text
    if isinstance(o, datetime.datetime):
        return quote(o.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if isinstance(o, str):
        return quote(o)
    if isinstance(o, bytes):
        return "d" + o.hex()
    if isinstance(o, list):
        return "[" + ",".join(dump(v) for v in o) + "]"
    if isinstance(o, dict):
        return "{" + ",".join(quote(k) + ":" + dump(v) for k, v in o.items()) + "}"
    raise TypeError(type(o))


def quote(s):
    out = []
    for b in s.encode("utf-8"):
        if 0x20 <= b < 0x7f and b not in (0x22, 0x5c):
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    return '"' + "".join(out) + '"'


def fixtures():
    rnd = random.Random(1)
    deep = "bottom"
    for _ in range(60):
        deep = [deep]
    return {
        "info_plist": {
            "CFBundleDevelopmentRegion": "English",
            "CFBundleExecutable": "ExampleDriver",
            "CFBundleIdentifier": "com.example.driver.ExampleDriver",
            "CFBundleInfoDictionaryVersion": "6.0",
            "CFBundleName": "ExampleDriver",
            "CFBundlePackageType": "KEXT",
            "CFBundleShortVersionString": "1.2.3",
            "CFBundleVersion": "1.2.3",
            "IOKitPersonalities": {
                "ExampleDriver": {
                    "CFBundleIdentifier": "com.example.driver.ExampleDriver",
                    "IOClass": "com_example_driver_ExampleDriver",
                    "IOMatchCategory": "com_example_driver_ExampleDriver",
                    "IOPCIMatch": "0x100e8086 0x10d38086",
                    "IOProbeScore": 1000,
                    "IOProviderClass": "IOPCIDevice",
                },
            },
            "OSBundleLibraries": {
                "com.apple.kpi.iokit": "19.0",
                "com.apple.kpi.libkern": "19.0",
                "org.machina.kpi.mach": "0.1",
            },
            "OSBundleRequired": "Root",
        },
        "scalars": [
            "plain", "", "<tag> & \"quotes\" 'apostrophes'", "tab\there\nnewline",
            "caf\u00e9 \u65e5\u672c \U0001f600", "   spaces kept   ",
            0, 1, -1, 255, 65536, (1 << 63) - 1, -(1 << 63), (1 << 64) - 1, -123456789,
            True, False,
        ],
        "data": [b"", b"\x00", b"\x00\x01\xfe\xff", b"ab", b"abc",
                 bytes(rnd.randrange(256) for _ in range(300))],
        "real_and_date": {
            "half": 1.5, "negative": -2.25, "big": 1e100, "small": 1.5e-10,
            "whole": 3.0, "zero": 0.0, "infinity": float("inf"),
            "when": datetime.datetime(2024, 2, 29, 23, 59, 58),
            "epoch": datetime.datetime(1970, 1, 1, 0, 0, 0),
        },
        "empty": {"dict": {}, "array": [], "string": "", "data": b"",
                  "nested": [{}, [], [[]], {"a": {}}]},
        "deep": deep,
        "root_string": "a string alone",
        "root_integer": -42,
        "many_keys": {"key%04d" % i: (i if i % 3 else "v%d" % i) for i in range(500)},
        "unicode_keys": {"\u00e9t\u00e9": 1, "\u0416": [True], "a&b<c>": "x"},
    }


def write():
    for name, obj in fixtures().items():
        with open(os.path.join(HERE, name + ".plist"), "wb") as f:
            f.write(plistlib.dumps(obj, fmt=plistlib.FMT_XML, sort_keys=False))
        with open(os.path.join(HERE, name + ".expected"), "w") as f:
            f.write(dump(obj) + "\n")


def check(path, name):
    with open(path, "rb") as f:
        got = dump(plistlib.load(f))
    with open(os.path.join(HERE, name + ".expected")) as f:
        want = f.read().rstrip("\n")
    if got != want:
        print("plistlib read:\n%s\nexpected:\n%s" % (got, want))
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    if len(sys.argv) != 1:
        sys.exit(__doc__)
    write()
