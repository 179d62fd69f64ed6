#!/usr/bin/env python3
"""mig.py - a MIG-style interface generator for Machina (docs/mig.md).

    mig.py [-DNAME[=V]] [-UNAME] [-I DIR] [-user FILE] [-header FILE]
           [-server FILE] [-sheader FILE] [-kernel-server] [-kernel-user]
           file.defs

Reads an interface definition (.defs), runs the C preprocessor over it as
Apple's mig does, and writes C: the user-side stubs that pack a request,
send it and unpack the reply, their header, and the server side: one
_X<routine> stub per routine that checks a request and calls the
server's own <serverprefix><routine>(), the demultiplexer <subsystem>_server(),
<subsystem>_server_routine() and the <subsystem>_subsystem table.

The generated code addresses message fields through the message structures,
sizeof and offsetof only, so one generated source is right both for user
space (24-byte header, port names) and inside the kernel (-DKERNEL: 32-byte
header, port pointers). It needs no C library: __builtin_memcpy and
__builtin_memset only.

Standard library only. Bad input is reported as FILE:LINE: message, with
exit status 1.
"""
import os
import re
import subprocess
import sys

USAGE = __doc__.split("\n\n")[1]
OPTIONS = """
  -DNAME[=V], -UNAME, -I DIR   passed to the C preprocessor
  -user FILE      the user-side stubs (default <subsystem>User.c)
  -header FILE    their header (default <subsystem>.h)
  -server FILE    the server-side stubs and demultiplexer (default <subsystem>Server.c)
  -sheader FILE   their header (default: none)
  -kernel-server  define KERNEL_SERVER: the intran/outtran/destructor
                  conversions of a kernel server apply
  -kernel-user    define KERNEL_USER
  --fuzz-table FILE a.defs b.defs ...
                  instead of stubs: a C header describing every routine's
                  request (id, request port, descriptors, inline data) for
                  the Mach message fuzzer (docs/fuzzing.md); the .defs are
                  read as for -kernel-server

Only the files named are written; with none named, the three defaults.
Errors are FILE:LINE: message, with exit status 1. See docs/mig.md."""


class DefsError(Exception):
    pass


# --- lexer ----------------------------------------------------------------

TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<nl>\n)
  | (?P<num>0[xX][0-9a-fA-F]+|[0-9]+)
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<hdr><[^>\n]*>)
  | (?P<str>"[^"\n]*")
  | (?P<punct>[;:=\[\]*,()^+\-])
""", re.X)
LINEMARK = re.compile(r'^#\s*(?:line\s+)?(\d+)\s+"([^"]*)"')


def num_value(text):
    """A num token's value: 0x hex, else decimal, leading zeros and all (as mig's atoi)."""
    return int(text, 16) if text[:2] in ("0x", "0X") else int(text, 10)


class Tok:
    __slots__ = ("kind", "text", "file", "line")

    def __init__(self, kind, text, file, line):
        self.kind, self.text, self.file, self.line = kind, text, file, line

    def where(self):
        return "%s:%d" % (self.file, self.line)


def tokenize(text, fname):
    toks = []
    cur_file, cur_line = fname, 1
    for raw in text.split("\n"):
        m = LINEMARK.match(raw)
        if m:
            cur_line, cur_file = int(m.group(1)), m.group(2) or cur_file
            continue
        if raw.lstrip().startswith("#"):
            if raw.lstrip().startswith("#pragma"):
                cur_line += 1
                continue
            raise DefsError("%s:%d: unexpected preprocessor line: %s" % (cur_file, cur_line, raw.strip()))
        pos = 0
        while pos < len(raw):
            m = TOKEN.match(raw, pos)
            if not m:
                raise DefsError("%s:%d: syntax error: unexpected character %r" % (cur_file, cur_line, raw[pos]))
            kind = m.lastgroup
            if kind != "ws":
                toks.append(Tok(kind, m.group(kind), cur_file, cur_line))
            pos = m.end()
        cur_line += 1
    toks.append(Tok("eof", "end of file", cur_file, cur_line))
    return toks


# --- the model ------------------------------------------------------------

# MACH_MSG_TYPE_* names a type may be built from: (kind, bytes, C type).
SCALARS = {
    "MACH_MSG_TYPE_BOOLEAN": (4, "boolean_t"),
    "MACH_MSG_TYPE_INTEGER_8": (1, "int8_t"),
    "MACH_MSG_TYPE_INTEGER_16": (2, "int16_t"),
    "MACH_MSG_TYPE_INTEGER_32": (4, "int32_t"),
    "MACH_MSG_TYPE_INTEGER_64": (8, "int64_t"),
    "MACH_MSG_TYPE_CHAR": (1, "char"),
    "MACH_MSG_TYPE_BYTE": (1, "uint8_t"),
    "MACH_MSG_TYPE_UNSTRUCTURED": (4, "uint32_t"),
    "MACH_MSG_TYPE_REAL_32": (4, "float"),
    "MACH_MSG_TYPE_REAL_64": (8, "double"),
    "MACH_MSG_TYPE_PORT_NAME": (4, "mach_port_name_t"),
}
# Port dispositions: what the sender writes, and the right the receiver gets.
PORTS = {
    "MACH_MSG_TYPE_MOVE_RECEIVE": "MACH_MSG_TYPE_PORT_RECEIVE",
    "MACH_MSG_TYPE_MOVE_SEND": "MACH_MSG_TYPE_PORT_SEND",
    "MACH_MSG_TYPE_MOVE_SEND_ONCE": "MACH_MSG_TYPE_PORT_SEND_ONCE",
    "MACH_MSG_TYPE_COPY_SEND": "MACH_MSG_TYPE_PORT_SEND",
    "MACH_MSG_TYPE_MAKE_SEND": "MACH_MSG_TYPE_PORT_SEND",
    "MACH_MSG_TYPE_MAKE_SEND_ONCE": "MACH_MSG_TYPE_PORT_SEND_ONCE",
    "MACH_MSG_TYPE_PORT_RECEIVE": "MACH_MSG_TYPE_PORT_RECEIVE",
    "MACH_MSG_TYPE_PORT_SEND": "MACH_MSG_TYPE_PORT_SEND",
    "MACH_MSG_TYPE_PORT_SEND_ONCE": "MACH_MSG_TYPE_PORT_SEND_ONCE",
    "MACH_MSG_TYPE_POLYMORPHIC": None,
}


class Type:
    """kind: 'scalar', 'port', 'struct' (fixed bytes passed by value),
    'array' (inline fixed or variable, or out-of-line), 'string'."""

    def __init__(self, name, kind):
        self.name = name
        self.kind = kind
        self.size = 0           # scalar: bytes; struct/array: element bytes
        self.cbase = None       # the C type of a scalar or port on the wire
        self.ctype = None
        self.cusertype = None
        self.cservertype = None
        self.intran = None      # (server C type, function)
        self.outtran = None     # (wire C type, function)
        self.destructor = None  # function
        self.disp = None        # port: disposition sent (None: polymorphic)
        self.recv = None        # port: right received
        self.elem = None        # struct/array: element Type
        self.count = 0          # struct/fixed array: elements; variable: maximum (0: none)
        self.variable = False
        self.ool = False
        self.dealloc = False

    def copy(self, name):
        t = Type(name, self.kind)
        t.__dict__.update(self.__dict__)
        t.name = name
        t.ctype = t.cusertype = t.cservertype = None
        t.cbase = self.cbase
        return t

    def user_ctype(self):
        return self.cusertype or self.ctype or self.name

    def server_ctype(self):
        if self.intran:
            return self.intran[0]
        return self.cservertype or self.ctype or self.name

    def elem_ctype(self):
        return self.elem.ctype or self.elem.name

    def is_port_array(self):
        return self.kind == "array" and self.elem.kind == "port"

    def poly(self):
        return self.kind == "port" and self.disp is None

    def nbytes(self):
        """Bytes of a fixed struct or array, or the most a variable one holds."""
        return self.size * self.count


class Arg:
    def __init__(self, name, direction, type_, tok):
        self.name, self.dir, self.type, self.tok = name, direction, type_, tok
        self.dealloc = None
        self.countinout = False

    @property
    def is_in(self):
        return self.dir in ("in", "inout")

    @property
    def is_out(self):
        return self.dir in ("out", "inout")


class Routine:
    def __init__(self, name, simple, number, tok):
        self.name, self.simple, self.number, self.tok = name, simple, number, tok
        self.args = []


class Subsystem:
    def __init__(self):
        self.name = None
        self.base = 0
        self.kernel_server = False
        self.kernel_user = False
        self.userprefix = ""
        self.serverprefix = ""
        self.imports = []       # (which, text): which in import/uimport/simport
        self.routines = []      # Routine or None for a skip
        self.waittime = None
        self.msgoption = None


# --- parser ---------------------------------------------------------------

DIRECTIONS = {"in", "out", "inout", "requestport", "replyport", "sreplyport",
              "ureplyport", "waittime", "msgoption", "serveraudittoken",
              "serversectoken"}


class Parser:
    def __init__(self, toks):
        self.toks = toks
        self.pos = 0
        self.types = {}
        self.sub = Subsystem()

    def peek(self, k=0):
        return self.toks[min(self.pos + k, len(self.toks) - 1)]

    def next(self):
        t = self.peek()
        self.pos += 1
        return t

    def err(self, tok, msg):
        raise DefsError("%s: %s" % (tok.where(), msg))

    def kw(self, word, k=0):
        t = self.peek(k)
        return t.kind == "id" and t.text.lower() == word

    def expect(self, text):
        t = self.next()
        if t.text != text:
            self.err(t, "syntax error: expected '%s', found '%s'" % (text, t.text))
        return t

    def ident(self, what="a name"):
        t = self.next()
        if t.kind != "id":
            self.err(t, "syntax error: expected %s, found '%s'" % (what, t.text))
        return t

    def number(self):
        t = self.next()
        neg = False
        if t.text == "-":
            neg, t = True, self.next()
        if t.kind != "num":
            self.err(t, "syntax error: expected a number, found '%s'" % t.text)
        v = num_value(t.text)
        while self.peek().text in ("+", "-") and self.peek(1).kind == "num":
            op = self.next().text
            n = num_value(self.next().text)
            v = v + n if op == "+" else v - n
        return -v if neg else v

    def parse(self):
        while self.peek().kind != "eof":
            t = self.peek()
            if t.kind != "id":
                self.err(t, "syntax error: unexpected '%s'" % t.text)
            word = t.text.lower()
            handler = {
                "subsystem": self.p_subsystem, "type": self.p_type,
                "routine": self.p_routine, "simpleroutine": self.p_routine,
                "skip": self.p_skip, "import": self.p_import,
                "uimport": self.p_import, "simport": self.p_import,
                "userprefix": self.p_prefix, "serverprefix": self.p_prefix,
                "waittime": self.p_option, "msgoption": self.p_option,
                "serverdemux": self.p_ignored, "rcsid": self.p_ignored,
            }.get(word)
            if handler is None:
                self.err(t, "syntax error: unknown statement '%s'" % t.text)
            handler()
        if self.sub.name is None:
            raise DefsError("%s: missing subsystem statement" % self.toks[-1].file)
        return self.sub

    def p_subsystem(self):
        t = self.next()
        if self.sub.name is not None:
            self.err(t, "second subsystem statement")
        while self.kw("kernelserver") or self.kw("kerneluser"):
            if self.next().text.lower() == "kernelserver":
                self.sub.kernel_server = True
            else:
                self.sub.kernel_user = True
        self.sub.name = self.ident("the subsystem's name").text
        self.sub.base = self.number()
        self.expect(";")

    def need_subsystem(self, t):
        if self.sub.name is None:
            self.err(t, "missing subsystem statement before '%s'" % t.text)

    def p_import(self):
        which = self.next().text.lower()
        t = self.next()
        if t.kind not in ("hdr", "str"):
            self.err(t, "syntax error: expected <file> or \"file\" after %s" % which)
        self.sub.imports.append((which, t.text))
        self.expect(";")

    def p_prefix(self):
        which = self.next().text.lower()
        name = self.ident("a prefix").text
        if which == "userprefix":
            self.sub.userprefix = name
        else:
            self.sub.serverprefix = name
        self.expect(";")

    def p_option(self):
        which = self.next().text.lower()
        t = self.next()
        if t.kind not in ("id", "num"):
            self.err(t, "syntax error: expected a name or number after %s" % which)
        setattr(self.sub, which, t.text)
        self.expect(";")

    def p_ignored(self):
        self.next()
        while self.peek().text != ";" and self.peek().kind != "eof":
            self.next()
        self.expect(";")

    def p_skip(self):
        t = self.next()
        self.need_subsystem(t)
        self.sub.routines.append(None)
        self.expect(";")

    # type NAME = spec annotations ;
    def p_type(self):
        self.next()
        nt = self.ident("a type name")
        if nt.text in self.types:
            self.err(nt, "type '%s' defined twice" % nt.text)
        self.expect("=")
        t = self.typespec(nt.text)
        self.annotations(t)
        self.expect(";")
        self.types[nt.text] = t

    def lookup(self, tok):
        name = tok.text
        if name in self.types:
            return self.types[name]
        if name in SCALARS:
            size, c = SCALARS[name]
            t = Type(name, "scalar")
            t.size, t.cbase, t.ctype = size, c, c
            return t
        if name == "MACH_MSG_TYPE_STRING" or name == "MACH_MSG_TYPE_STRING_C":
            self.err(tok, "use c_string[N] or c_string[*:N] for strings")
        if name in PORTS:
            t = Type(name, "port")
            t.disp = None if name == "MACH_MSG_TYPE_POLYMORPHIC" else \
                name.replace("PORT_", "MOVE_") if name.startswith("MACH_MSG_TYPE_PORT_") else name
            t.recv = PORTS[name]
            t.cbase = t.ctype = "mach_port_t"
            return t
        self.err(tok, "unknown type '%s'" % name)

    def bounds(self):
        """[ ] -> (None, True); [N] -> (N, False); [*] -> (None, True); [*:N] -> (N, True)."""
        self.expect("[")
        if self.peek().text == "]":
            self.next()
            return None, True
        if self.peek().text == "*":
            self.next()
            n = None
            if self.peek().text == ":":
                self.next()
                n = self.number()
            self.expect("]")
            return n, True
        n = self.number()
        self.expect("]")
        return n, False

    def typespec(self, name):
        t = self.peek()
        if t.text == "(":
            self.next()
            base = self.lookup(self.ident("a MACH_MSG_TYPE name"))
            self.expect(",")
            bits = self.number()
            self.expect(")")
            if base.kind == "scalar" and bits != base.size * 8:
                self.err(t, "(%s, %d): size does not match" % (base.name, bits))
            return base.copy(name) if name else base
        if t.text == "^" or self.kw("array"):
            ool = False
            if t.text == "^":
                ool = True
                self.next()
            at = self.next()
            if at.text.lower() != "array":
                self.err(at, "syntax error: expected 'array' after '^'")
            n, variable = self.bounds()
            kw = self.ident("'of'")
            if kw.text.lower() != "of":
                self.err(kw, "syntax error: expected 'of', found '%s'" % kw.text)
            elem = self.typespec(None)
            return self.make_array(t, name, elem, n, variable, ool)
        if self.kw("struct"):
            self.next()
            n, variable = self.bounds()
            if variable or n is None or n <= 0:
                self.err(t, "struct[N] needs a fixed, positive N")
            kw = self.ident("'of'")
            if kw.text.lower() != "of":
                self.err(kw, "syntax error: expected 'of', found '%s'" % kw.text)
            elem = self.typespec(None)
            if elem.kind != "scalar":
                self.err(t, "struct[N] of %s: the element must be a scalar type" % elem.name)
            s = Type(name, "struct")
            s.elem, s.size, s.count = elem, elem.size, n
            return s
        if self.kw("c_string"):
            self.next()
            n, variable = self.bounds()
            if n is None or n <= 0:
                self.err(t, "c_string needs a positive size: c_string[N] or c_string[*:N]")
            s = Type(name, "string")
            s.elem = self.lookup(Tok("id", "MACH_MSG_TYPE_CHAR", t.file, t.line))
            s.size, s.count, s.variable = 1, n, variable
            return s
        base = self.lookup(self.ident("a type"))
        return base.copy(name) if name else base

    def make_array(self, tok, name, elem, n, variable, ool):
        if elem.kind not in ("scalar", "port", "struct"):
            self.err(tok, "arrays of %s are not supported" % elem.kind)
        if elem.kind == "port" and elem.poly():
            self.err(tok, "arrays of polymorphic ports are not supported")
        if not variable and n is not None and n <= 0:
            self.err(tok, "array[%d]: the size must be positive" % n)
        a = Type(name, "array")
        a.elem = elem
        a.size = elem.nbytes() if elem.kind == "struct" else (elem.size if elem.kind == "scalar" else 0)
        a.count = n or 0
        a.variable = variable
        a.ool = ool or (variable and n is None)
        if elem.kind == "port" and not a.ool:
            self.err(tok, "port arrays travel out of line: use array[] or ^array[*:N] of %s" % elem.name)
        if elem.kind == "port" and not variable:
            a.variable = True
        if a.ool:
            a.variable = True
        return a

    def annotations(self, t):
        while True:
            p = self.peek()
            word = p.text.lower()
            if p.kind != "id":
                return
            if word in ("ctype", "cusertype", "cservertype"):
                self.next()
                self.expect(":")
                setattr(t, word, self.ctype_name())
            elif word == "intran":
                self.next()
                self.expect(":")
                res = self.ctype_name()
                fn = self.ident("a function").text
                self.expect("(")
                self.ctype_name()
                self.expect(")")
                t.intran = (res, fn)
            elif word == "outtran":
                self.next()
                self.expect(":")
                res = self.ctype_name()
                fn = self.ident("a function").text
                self.expect("(")
                self.ctype_name()
                self.expect(")")
                t.outtran = (res, fn)
            elif word == "destructor":
                self.next()
                self.expect(":")
                fn = self.ident("a function").text
                self.expect("(")
                self.ctype_name()
                self.expect(")")
                t.destructor = fn
            elif word == "dealloc":
                self.next()
                t.dealloc = True
            else:
                return

    def ctype_name(self):
        parts = [self.ident("a C type").text]
        while self.peek().text == "*" or (parts[-1] in ("struct", "unsigned", "const", "union")
                                           and self.peek().kind == "id"):
            parts.append(self.next().text)
        return " ".join(parts).replace(" *", " *")

    def p_routine(self):
        kw = self.next()
        self.need_subsystem(kw)
        nt = self.ident("a routine name")
        for r in self.sub.routines:
            if r is not None and r.name == nt.text:
                self.err(nt, "routine '%s' defined twice (first at %s)" % (nt.text, r.tok.where()))
        r = Routine(nt.text, kw.text.lower() == "simpleroutine", len(self.sub.routines), nt)
        self.expect("(")
        while self.peek().text != ")":
            r.args.append(self.p_arg(r))
            if self.peek().text == ";":
                self.next()
            elif self.peek().text != ")":
                self.err(self.peek(), "syntax error: expected ';' or ')', found '%s'" % self.peek().text)
        self.expect(")")
        self.expect(";")
        check_routine(self, r)
        self.sub.routines.append(r)

    def p_arg(self, r):
        direction = "in"
        if self.peek().kind == "id" and self.peek().text.lower() in DIRECTIONS \
                and self.peek(1).kind == "id":
            direction = self.next().text.lower()
        nt = self.ident("an argument name")
        for a in r.args:
            if a.name == nt.text:
                self.err(nt, "argument '%s' appears twice in %s" % (nt.text, r.name))
        self.expect(":")
        if self.peek().text in ("^", "(") or self.kw("array") or self.kw("struct") or self.kw("c_string"):
            t = self.typespec(None)
        else:
            tt = self.ident("a type")
            if self.peek().text == "=":
                # name: T = spec, a type made for this argument, called T in C.
                self.next()
                t = self.typespec(tt.text)
                self.annotations(t)
            else:
                t = self.lookup(tt)
        a = Arg(nt.text, direction, t, nt)
        while self.peek().text == ",":
            self.next()
            f = self.ident("an argument flag")
            w = f.text.lower()
            if w == "dealloc":
                a.dealloc = True
            elif w == "nodealloc":
                a.dealloc = False
            elif w == "countinout":
                a.countinout = True
            elif w in ("servercopy", "samecount", "physicalcopy", "overwrite", "retcode"):
                self.err(f, "argument flag '%s' is not supported" % f.text)
            else:
                self.err(f, "unknown argument flag '%s'" % f.text)
        return a


def check_routine(p, r):
    """Decide the request port and refuse argument shapes that make no sense."""
    explicit = [a for a in r.args if a.dir == "requestport"]
    if len(explicit) > 1:
        p.err(explicit[1].tok, "%s: more than one requestport" % r.name)
    if not explicit:
        if not r.args or r.args[0].dir != "in":
            p.err(r.tok, "%s: the first argument must be the request port" % r.name)
        r.args[0].dir = "requestport"
    for a in r.args:
        t = a.type
        if a.dir in ("requestport", "replyport", "ureplyport", "sreplyport") and t.kind != "port":
            p.err(a.tok, "%s: %s must be a port type, not %s" % (r.name, a.name, t.name))
        if a.dir == "requestport" and t.poly():
            p.err(a.tok, "%s: a polymorphic request port is not supported" % r.name)
        if a.dir in ("waittime", "msgoption") and t.kind != "scalar":
            p.err(a.tok, "%s: %s must be a scalar" % (r.name, a.name))
        if a.dir == "serveraudittoken" and not (t.kind == "struct" and t.nbytes() == 32):
            p.err(a.tok, "%s: ServerAuditToken needs a 32-byte struct type (audit_token_t)" % r.name)
        if a.dir == "serversectoken" and not (t.kind == "struct" and t.nbytes() == 8):
            p.err(a.tok, "%s: ServerSecToken needs an 8-byte struct type (security_token_t)" % r.name)
        if a.countinout and not (a.is_out and t.kind == "array" and t.variable):
            p.err(a.tok, "%s: CountInOut is for out variable arrays" % r.name)
        if a.dealloc and not (t.kind == "array" and t.ool):
            p.err(a.tok, "%s: dealloc is for out-of-line arrays" % r.name)
        if r.simple and a.is_out:
            p.err(a.tok, "simpleroutine %s cannot have out arguments" % r.name)
        if a.dir == "inout" and (t.kind == "string" or t.ool or t.kind == "port"):
            p.err(a.tok, "%s: inout %s is not supported; use in and out" % (r.name, t.kind if not t.ool else "out-of-line"))
        if t.kind == "array" and t.variable and not t.ool and not t.count:
            p.err(a.tok, "%s: inline variable array needs a bound: array[*:N]" % r.name)
    if sum(1 for a in r.args if a.dir in ("replyport", "ureplyport")) > 1:
        p.err(r.tok, "%s: more than one reply port" % r.name)


# --- C generation ---------------------------------------------------------

def r4(n):
    return (n + 3) & ~3


class Field:
    """One member of a message structure.
    kind: 'desc_port', 'desc_ool', 'desc_oolp', 'scalar', 'bytes', 'count'."""

    def __init__(self, kind, name, arg, ctype=None, size=0, variable=False):
        self.kind, self.name, self.arg = kind, name, arg
        self.ctype, self.size, self.variable = ctype, size, variable
        self.pad = 0
        self.countof = None     # the variable bytes field a count belongs to


def wire_ctype(t):
    """The C type a scalar is carried as (the same on both sides)."""
    if t.kind == "port":
        return "mach_port_t"
    if t.outtran:
        return t.outtran[0]
    return t.ctype or t.name


def fields_for(args, side):
    """The descriptors and the inline members of a request ('in') or a
    reply ('out'), in MIG's order: every descriptor first, then plain data."""
    descs, inline = [], []
    for a in args:
        t = a.type
        if side == "in":
            if a.dir in ("requestport", "replyport", "ureplyport", "sreplyport", "waittime",
                         "msgoption", "serveraudittoken", "serversectoken"):
                continue
            if not a.is_in:
                if a.countinout:
                    inline.append(Field("scalar", a.name + "Cnt", a, "mach_msg_type_number_t", 4))
                continue
        elif not a.is_out:
            continue
        if t.kind == "port":
            descs.append(Field("desc_port", a.name, a))
        elif t.kind == "array" and t.ool:
            descs.append(Field("desc_oolp" if t.is_port_array() else "desc_ool", a.name, a))
            inline.append(Field("scalar", a.name + "Cnt", a, "mach_msg_type_number_t", 4))
        elif t.kind == "scalar":
            f = Field("scalar", a.name, a, wire_ctype(t), t.size)
            f.pad = r4(t.size) - t.size
            inline.append(f)
        else:
            nbytes = t.nbytes()
            if t.variable:
                c = Field("count", a.name + "Cnt", a, "mach_msg_type_number_t", 4)
                f = Field("bytes", a.name, a, None, r4(nbytes), True)
                c.countof = f
                inline += [c, f]
            else:
                inline.append(Field("bytes", a.name, a, None, r4(nbytes)))
    return descs, inline


class Msg:
    def __init__(self, typename, descs, inline, retcode):
        self.typename, self.descs, self.inline, self.retcode = typename, descs, inline, retcode

    @property
    def complex(self):
        return bool(self.descs)

    def var_fields(self):
        return [f for f in self.inline if f.variable]

    def declare(self, out):
        out.append("typedef struct {")
        out.append("\tmach_msg_header_t Head;")
        if self.complex:
            out.append("\t/* start of the kernel processed data */")
            out.append("\tmach_msg_body_t msgh_body;")
            for d in self.descs:
                ty = {"desc_port": "mach_msg_port_descriptor_t", "desc_ool": "mach_msg_ool_descriptor_t",
                      "desc_oolp": "mach_msg_ool_ports_descriptor_t"}[d.kind]
                out.append("\t%s %s;" % (ty, d.name))
            out.append("\t/* end of the kernel processed data */")
        if self.inline or self.retcode:
            out.append("\tNDR_record_t NDR;")
        if self.retcode:
            out.append("\tkern_return_t RetCode;")
        for f in self.inline:
            if f.kind == "bytes":
                out.append("\tchar %s[%d];%s" % (f.name, f.size, "\t/* up to */" if f.variable else ""))
            else:
                out.append("\t%s %s;" % (f.ctype, f.name))
                if f.pad:
                    out.append("\tchar %sPad[%d];" % (f.name, f.pad))
        out.append("} %s;" % self.typename)

    def min_size(self):
        vs = self.var_fields()
        if not vs:
            return "(mach_msg_size_t)sizeof(%s)" % self.typename
        return "(mach_msg_size_t)(sizeof(%s) - %s)" % (
            self.typename, " - ".join("sizeof(((%s *)0)->%s)" % (self.typename, f.name) for f in vs))


def ct_param(t, side):
    return t.user_ctype() if side == "user" else t.server_ctype()


def anon(t):
    return t.name is None


def param_decls(r, side):
    """The C parameters of a user stub ('user') or a server routine ('server')."""
    ps = []
    for a in r.args:
        t = a.type
        if side == "user" and a.dir in ("sreplyport", "serveraudittoken", "serversectoken"):
            continue
        if side == "server" and a.dir in ("ureplyport", "waittime", "msgoption"):
            continue
        if t.kind in ("array", "struct", "string") and anon(t):
            ct = "%s *" % t.elem_ctype() if t.kind != "string" else "char *"
            if t.kind == "struct":
                ct = "%s *" % t.elem_ctype()
        else:
            ct = ct_param(t, side)
        if t.kind == "string" and not a.is_out:
            # A string literal must do: not the array type, whose size
            # the compiler would hold the caller to.
            ct = "const char *" if side == "user" else "char *"
        sp = "" if ct.endswith("*") else " "
        if t.kind == "array" and t.ool:
            if a.is_out:
                ps.append("%s%s*%s" % (ct, sp, a.name))
                ps.append("mach_msg_type_number_t *%sCnt" % a.name)
            else:
                ps.append("%s%s%s" % (ct, sp, a.name))
                ps.append("mach_msg_type_number_t %sCnt" % a.name)
        elif t.kind in ("array", "string"):
            ps.append("%s%s%s" % (ct, sp, a.name))
            if t.variable and t.kind == "array":
                if a.is_out:
                    ps.append("mach_msg_type_number_t *%sCnt" % a.name)
                else:
                    ps.append("mach_msg_type_number_t %sCnt" % a.name)
        elif t.kind == "struct" and anon(t):
            ps.append("%s%s%s" % (ct, sp, a.name))
        else:
            if a.is_out:
                ps.append("%s%s*%s" % (ct, sp, a.name))
            else:
                ps.append("%s%s%s" % (ct, sp, a.name))
            if t.kind == "port" and t.poly() and a.dir in ("in", "out", "inout"):
                ps.append("mach_msg_type_name_t %s%sPoly" % ("*" if a.is_out else "", a.name))
    return ps


def proto(ret, name, params, indent="\t"):
    if not params:
        return "%s\n%s(void)" % (ret, name)
    return "%s\n%s(\n%s)" % (ret, name, (",\n").join(indent + p for p in params))


class Gen:
    def __init__(self, sub, defs_name):
        self.sub = sub
        self.defs = defs_name
        self.routines = [r for r in sub.routines if r is not None]

    def rid(self, r):
        return self.sub.base + r.number

    def msgs(self, r):
        rd, ri = fields_for(r.args, "in")
        req = Msg("__Request__%s_t" % r.name, rd, ri, False)
        od, oi = fields_for(r.args, "out")
        rep = Msg("__Reply__%s_t" % r.name, od, oi, not od)
        return req, rep

    def banner(self, what):
        return ["/*", " * %s, generated by tools/mig/mig.py from %s." % (what, self.defs),
                " * Do not edit: change the .defs and regenerate.", " */", ""]

    def includes(self, which):
        out = ["#include <mach/std_types.h>", "#include <mach/message.h>", "#include <mach/ndr.h>",
               "#include <mach/notify.h>", "#include <mach/mig.h>"]
        for w, text in self.sub.imports:
            line = "#include %s" % text
            if (w == "import" or w == which) and line not in out:
                out.append(line)
        return out

    def msg_types(self, out):
        for r in self.routines:
            req, rep = self.msgs(r)
            for m in (req, rep):
                if m is rep and r.simple:
                    continue
                guard = "%s_defined" % m.typename
                out.append("#ifndef %s" % guard)
                out.append("#define %s" % guard)
                out.append("#pragma pack(push, 4)")
                m.declare(out)
                out.append("#pragma pack(pop)")
                out.append("#endif")
                out.append("")

    def size_asserts(self, out, side):
        seen = set()
        for r in self.routines:
            for a in r.args:
                t = a.type
                if a.dir in ("waittime", "msgoption"):
                    continue
                checks = []
                if t.kind == "scalar":
                    checks.append((wire_ctype(t), t.size))
                    if not t.intran:
                        checks.append((ct_param(t, side), t.size))
                elif t.kind in ("struct",):
                    checks.append((ct_param(t, side) if not anon(t) else None, t.nbytes()))
                    checks.append((t.elem_ctype(), t.elem.size))
                elif t.kind == "array" and not t.is_port_array():
                    checks.append((t.elem_ctype(), t.size))
                for c, n in checks:
                    if c and (c, n) not in seen and not c.endswith("*"):
                        seen.add((c, n))
                        out.append("_Static_assert(sizeof(%s) == %d, \"%s: %s must be %d bytes\");"
                                   % (c, n, os.path.basename(self.defs), c, n))
        if seen:
            out.append("")

    # -- user side --

    def user_header(self, guard):
        s = self.sub
        out = self.banner("User-side interface of subsystem %s" % s.name)
        out += ["#ifndef %s" % guard, "#define %s" % guard, ""]
        out += self.includes("uimport")
        out += ["", "#define %s_MSG_COUNT %d" % (s.name, len(s.routines)), ""]
        for r in self.routines:
            out.append("/* %s %s: message id %d */" % ("simpleroutine" if r.simple else "routine", r.name, self.rid(r)))
            out.append(proto("kern_return_t", s.userprefix + r.name, param_decls(r, "user")) + ";")
            out.append("")
        self.msg_types(out)
        out.append("#endif /* %s */" % guard)
        return "\n".join(out) + "\n"

    def user_source(self, header_name):
        """header_name: the header to include, or None to carry it inline."""
        out = self.banner("User-side stubs of subsystem %s" % self.sub.name)
        if header_name:
            out.append('#include "%s"' % header_name)
        else:
            out.append(self.user_header("_MIG_%s_USER_H_" % self.sub.name.upper()))
        out.append("")
        out += HELPERS
        self.size_asserts(out, "user")
        for r in self.routines:
            out += UserStub(self, r).lines()
        return "\n".join(out) + "\n"

    # -- server side --

    def server_header(self, guard):
        s = self.sub
        out = self.banner("Server-side interface of subsystem %s" % s.name)
        out += ["#ifndef %s" % guard, "#define %s" % guard, ""]
        out += self.includes("simport")
        out.append("")
        out.append("/* The routines a server of %s implements. */" % s.name)
        for r in self.routines:
            out.append(proto("kern_return_t", s.serverprefix + r.name, param_decls(r, "server")) + ";")
            out.append("")
        self.msg_types(out)
        out.append("/* Room for any request and any reply of %s (add MAX_TRAILER_SIZE to receive). */" % s.name)
        for kind, idx in (("Request", 0), ("Reply", 1)):
            out.append("union __%sUnion__%s_subsystem {" % (kind, s.name))
            out.append("\tmig_reply_error_t Error;" if kind == "Reply" else "\tmach_msg_header_t Head;")
            for r in self.routines:
                if kind == "Reply" and r.simple:
                    continue
                out.append("\t%s %s;" % (self.msgs(r)[idx].typename, r.name))
            out.append("};")
            out.append("")
        n = len(s.routines)
        out += [
            "/* The demultiplexer: FALSE (and MIG_BAD_ID in the reply) for an unknown id. */",
            "boolean_t %s_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);" % s.name,
            "/* The stub for a request's id, or 0. */",
            "mig_routine_t %s_server_routine(mach_msg_header_t *InHeadP);" % s.name,
            "",
            "/* Routines by msgh_id - start; an entry without a stub is a skipped id. */",
            "extern const struct %s_subsystem {" % s.name,
            "\tmig_server_routine_t server;",
            "\tmach_msg_id_t start;",
            "\tmach_msg_id_t end;",
            "\tunsigned int maxsize;",
            "\tvm_address_t reserved;",
            "\tstruct routine_descriptor routine[%d];" % max(n, 1),
            "} %s_subsystem;" % s.name,
            "",
            "#endif /* %s */" % guard]
        return "\n".join(out) + "\n"

    def server_source(self, header_name):
        """header_name: the header to include, or None to carry it inline."""
        s = self.sub
        out = self.banner("Server-side stubs of subsystem %s" % s.name)
        if header_name:
            out.append('#include "%s"' % header_name)
        else:
            out.append(self.server_header("_MIG_%s_SERVER_H_" % s.name.upper()))
        out.append("")
        out += HELPERS
        self.size_asserts(out, "server")
        for r in self.routines:
            out += ServerStub(self, r).lines()
        n = len(s.routines)
        out += ["const struct %s_subsystem %s_subsystem = {" % (s.name, s.name),
                "\t.server = %s_server_routine," % s.name,
                "\t.start = %d," % s.base,
                "\t.end = %d," % (s.base + n),
                "\t.maxsize = (unsigned int)sizeof(union __ReplyUnion__%s_subsystem)," % s.name,
                "\t.reserved = 0,",
                "\t.routine = {"]
        for i, r in enumerate(s.routines):
            if r is None:
                out.append("\t\t{ 0, 0, 0, 0, 0, 0 },\t/* %d: skip */" % (s.base + i))
            else:
                req, rep = self.msgs(r)
                argc = len(param_decls(r, "server"))
                maxrep = "sizeof(%s)" % rep.typename if not r.simple else "0"
                out.append("\t\t{ 0, _X%s, %d, %d, 0, (unsigned int)%s },\t/* %d */"
                           % (r.name, argc, len(req.descs) + len(rep.descs), maxrep, self.rid(r)))
        if n == 0:
            out.append("\t\t{ 0, 0, 0, 0, 0, 0 },")
        out += ["\t},", "};", ""]
        out += [
            "mig_routine_t",
            "%s_server_routine(mach_msg_header_t *InHeadP)" % s.name,
            "{",
        ]
        if n == 0:
            out += ["\t(void)InHeadP;", "\treturn 0;", "}"]
        else:
            out += [
                "\tuint32_t msgh_id = (uint32_t)InHeadP->msgh_id - %du;" % (s.base & 0xffffffff),
                "",
                "\tif (msgh_id >= %du)" % n,
                "\t\treturn 0;",
                "\treturn %s_subsystem.routine[msgh_id].stub_routine;" % s.name,
                "}"]
        out += [
            "",
            "boolean_t",
            "%s_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)" % s.name,
            "{",
            "\tmig_reply_error_t *OutP = (mig_reply_error_t *)(void *)OutHeadP;",
            "\tmig_routine_t routine;",
            "",
            "\tOutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);",
            "\tOutHeadP->msgh_remote_port = InHeadP->msgh_remote_port;",
            "\tOutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);",
            "\tOutHeadP->msgh_local_port = MACH_PORT_NULL;",
            "\tOutHeadP->msgh_voucher_port = MACH_PORT_NULL;",
            "\tOutHeadP->msgh_id = (mach_msg_id_t)((uint32_t)InHeadP->msgh_id + 100u);",
            "\tOutP->NDR = (NDR_record_t)NDR_RECORD_NATIVE;",
            "",
            "\troutine = %s_server_routine(InHeadP);" % s.name,
            "\tif (routine == 0) {",
            "\t\tOutP->RetCode = MIG_BAD_ID;",
            "\t\treturn FALSE;",
            "\t}",
            "\tOutP->RetCode = KERN_SUCCESS;",
            "\t(*routine)(InHeadP, OutHeadP);",
            "\treturn TRUE;",
            "}",
        ]
        return "\n".join(out) + "\n"


HELPERS = [
    "/* Copy a C string of at most n - 1 characters and a NUL; zero the rest; the bytes used. */",
    "static inline mach_msg_type_number_t",
    "__mig_string_copy(char *dst, const char *src, mach_msg_type_number_t n)",
    "{",
    "\tmach_msg_type_number_t i = 0;",
    "",
    "\twhile (i + 1 < n && src[i] != '\\0') {",
    "\t\tdst[i] = src[i];",
    "\t\ti++;",
    "\t}",
    "\t__builtin_memset(dst + i, 0, n - i);",
    "\treturn i + 1;",
    "}",
    "",
    "/* Whether a received string of n bytes holds its NUL. */",
    "static inline boolean_t",
    "__mig_string_terminated(const char *s, mach_msg_type_number_t n)",
    "{",
    "\tmach_msg_type_number_t i;",
    "",
    "\tfor (i = 0; i < n; i++)",
    "\t\tif (s[i] == '\\0')",
    "\t\t\treturn TRUE;",
    "\treturn FALSE;",
    "}",
    "",
    "/* Move n bytes to a lower address (the regions may overlap). */",
    "static inline void",
    "__mig_move_down(char *dst, const char *src, mach_msg_size_t n)",
    "{",
    "\twhile (n-- > 0)",
    "\t\t*dst++ = *src++;",
    "}",
    "",
]


def at(msgvar, typename, field, delta):
    """The address of a plain-data member, once earlier variable arrays shrank."""
    base = "(char *)%s + offsetof(%s, %s)" % (msgvar, typename, field)
    return "(%s - %s)" % (base, delta) if delta else "(%s)" % base


def disp_name(t, argname):
    return "%sPoly" % argname if t.poly() else t.disp


def reply_disp(sub, disp):
    """A kernel server hands over the send rights it returns (its outtran
    functions make them): what a user would copy, the kernel moves."""
    if sub.kernel_server and disp == "MACH_MSG_TYPE_COPY_SEND":
        return "MACH_MSG_TYPE_MOVE_SEND"
    return disp


def port_recv_check(t):
    return None if t.poly() else t.recv


class Stub:
    def __init__(self, gen, r):
        self.g, self.r = gen, r
        self.req, self.rep = gen.msgs(r)
        self.L = []

    def emit(self, line="", depth=1):
        self.L.append("\t" * depth + line if line else "")

    def check_var_fields(self, msg, var, sizevar, fail, depth=1):
        """Walk the variable arrays of a received message: each count within
        bounds and the message long enough to hold it; then the exact size."""
        vs = msg.var_fields()
        tn = msg.typename
        if not vs:
            self.emit("if (%s != (mach_msg_size_t)sizeof(%s))" % (sizevar, tn), depth)
            self.emit(fail, depth + 1)
            return
        self.emit("if (%s < %s || %s > (mach_msg_size_t)sizeof(%s))" % (sizevar, msg.min_size(), sizevar, tn), depth)
        self.emit(fail, depth + 1)
        self.emit("_delta = 0;", depth)
        remaining = list(vs)
        for f in msg.inline:
            if f.kind != "count":
                continue
            b = f.countof
            t = b.arg.type
            remaining.remove(b)
            cv = "_cnt_%s" % b.name
            self.emit("__builtin_memcpy(&%s, %s, sizeof(%s));" % (cv, at(var, tn, f.name, "_delta"), cv), depth)
            self.emit("if (%s > %d)" % (cv, t.count), depth)
            self.emit(fail, depth + 1)
            if t.kind == "string":
                self.emit("if (%s == 0)" % cv, depth)
                self.emit(fail, depth + 1)
            self.emit("_delta += (mach_msg_size_t)sizeof(((%s *)0)->%s) - MIG_ROUND4(%s * %d);"
                      % (tn, b.name, cv, t.size), depth)
            rest = "".join(" - sizeof(((%s *)0)->%s)" % (tn, x.name) for x in remaining)
            self.emit("if (%s < (mach_msg_size_t)(sizeof(%s) - _delta%s))" % (sizevar, tn, rest), depth)
            self.emit(fail, depth + 1)
        self.emit("if (%s != (mach_msg_size_t)sizeof(%s) - _delta)" % (sizevar, tn), depth)
        self.emit(fail, depth + 1)

    def check_descs(self, msg, var, fail, depth=1):
        if not msg.complex:
            return
        self.emit("if (%s->msgh_body.msgh_descriptor_count != %d)" % (var, len(msg.descs)), depth)
        self.emit(fail, depth + 1)
        for d in msg.descs:
            t = d.arg.type
            dv = "%s->%s" % (var, d.name)
            if d.kind == "desc_port":
                cond = "%s.type != MACH_MSG_PORT_DESCRIPTOR" % dv
                rc = port_recv_check(t)
                if rc:
                    cond += " ||\n%s    %s.disposition != %s" % ("\t" * depth, dv, rc)
                self.emit("if (%s)" % cond, depth)
                self.emit(fail, depth + 1)
            elif d.kind == "desc_ool":
                self.emit("if (%s.type != MACH_MSG_OOL_DESCRIPTOR &&" % dv, depth)
                self.emit("    %s.type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR)" % dv, depth)
                self.emit(fail, depth + 1)
            else:
                cond = "%s.type != MACH_MSG_OOL_PORTS_DESCRIPTOR" % dv
                rc = port_recv_check(t.elem)
                if rc:
                    cond += " ||\n%s    %s.disposition != %s" % ("\t" * depth, dv, rc)
                self.emit("if (%s)" % cond, depth)
                self.emit(fail, depth + 1)

    def check_ool_counts(self, msg, var, fail, depth=1):
        """An out-of-line array's count must say what its descriptor carries."""
        tn = msg.typename
        for d in msg.descs:
            if d.kind not in ("desc_ool", "desc_oolp"):
                continue
            t = d.arg.type
            cv = "_cnt_%s" % d.name
            self.emit("__builtin_memcpy(&%s, %s, sizeof(%s));" % (cv, at(var, tn, d.name + "Cnt", None), cv), depth)
            if d.kind == "desc_ool":
                self.emit("if ((uint64_t)%s * %d != %s->%s.size)" % (cv, t.size, var, d.name), depth)
            else:
                self.emit("if (%s != %s->%s.count)" % (cv, var, d.name), depth)
            self.emit(fail, depth + 1)
            if t.count:
                self.emit("if (%s > %d)" % (cv, t.count), depth)
                self.emit(fail, depth + 1)

    def count_locals(self, msg):
        names = ["_cnt_%s" % f.countof.name for f in msg.inline if f.kind == "count"]
        names += ["_cnt_%s" % d.name for d in msg.descs if d.kind in ("desc_ool", "desc_oolp")]
        return names


class UserStub(Stub):
    def lines(self):
        g, r, s = self.g, self.r, self.g.sub
        req, rep = self.req, self.rep
        kernel_user = s.kernel_user
        self.L = [proto("kern_return_t", s.userprefix + r.name, param_decls(r, "user")), "{"]
        self.emit("union {")
        self.emit("%s In;" % req.typename, 2)
        if not r.simple:
            self.emit("struct {", 2)
            self.emit("%s Out;" % rep.typename, 3)
            self.emit("mach_msg_max_trailer_t trailer;", 3)
            self.emit("} Out;", 2)
            self.emit("struct {", 2)
            self.emit("mig_reply_error_t Out;", 3)
            self.emit("mach_msg_max_trailer_t trailer;", 3)
            self.emit("} Error;", 2)
        self.emit("} Mess;")
        self.emit("%s *InP = &Mess.In;" % req.typename)
        if not r.simple:
            self.emit("%s *Out0P = &Mess.Out.Out;" % rep.typename)
            self.emit("mach_msg_size_t _rsize;")
        self.emit("mach_msg_return_t msg_result;")
        self.emit("mach_msg_size_t _delta = 0;")
        if not r.simple:
            for c in self.count_locals(rep):
                self.emit("mach_msg_type_number_t %s;" % c)
        reply = self.reply_port()
        if not (r.simple or kernel_user or reply):
            self.emit("mach_port_t _reply_port;")
        self.emit("")
        self.emit("__builtin_memset(InP, 0, sizeof(*InP));")
        self.pack_request()
        self.send(reply, kernel_user)
        if not r.simple:
            self.check_reply()
            self.unpack_reply()
        self.L.append("}")
        self.L.append("")
        return self.L

    def reply_port(self):
        for a in self.r.args:
            if a.dir in ("replyport", "ureplyport"):
                return a
        return None

    def pack_request(self):
        r, req = self.r, self.req
        tn = req.typename
        for a in r.args:
            t = a.type
            if t.kind == "array" and t.variable and not t.ool and a.is_in:
                self.emit("if (%s%sCnt > %d)" % ("*" if a.is_out else "", a.name, t.count))
                self.emit("return MIG_ARRAY_TOO_LARGE;", 2)
            if t.kind == "array" and t.ool and a.is_in and t.count:
                self.emit("if (%sCnt > %d)" % (a.name, t.count))
                self.emit("return MIG_ARRAY_TOO_LARGE;", 2)
        if req.complex:
            self.emit("InP->msgh_body.msgh_descriptor_count = %d;" % len(req.descs))
        for d in req.descs:
            a, t = d.arg, d.arg.type
            dv = "InP->%s" % d.name
            if d.kind == "desc_port":
                self.emit("%s.name = %s;" % (dv, a.name))
                self.emit("%s.disposition = %s;" % (dv, disp_name(t, a.name)))
                self.emit("%s.type = MACH_MSG_PORT_DESCRIPTOR;" % dv)
            else:
                dealloc = "TRUE" if (a.dealloc or (a.dealloc is None and t.dealloc)) else "FALSE"
                self.emit("%s.address = (void *)(%s);" % (dv, a.name))
                if d.kind == "desc_ool":
                    self.emit("%s.size = %sCnt * %d;" % (dv, a.name, t.size))
                    self.emit("%s.copy = MACH_MSG_VIRTUAL_COPY;" % dv)
                    self.emit("%s.type = MACH_MSG_OOL_DESCRIPTOR;" % dv)
                else:
                    self.emit("%s.count = %sCnt;" % (dv, a.name))
                    self.emit("%s.disposition = %s;" % (dv, t.elem.disp))
                    self.emit("%s.copy = MACH_MSG_PHYSICAL_COPY;" % dv)
                    self.emit("%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;" % dv)
                self.emit("%s.deallocate = %s;" % (dv, dealloc))
        if req.inline:
            self.emit("InP->NDR = (NDR_record_t)NDR_RECORD_NATIVE;")
        delta = None
        for f in req.inline:
            a, t = f.arg, f.arg.type
            dst = at("InP", tn, f.name, delta)
            if f.kind == "scalar":
                if f.name == a.name + "Cnt":
                    src = ("*%sCnt" if a.is_out else "%sCnt") % a.name
                    self.emit("{ mach_msg_type_number_t _v = %s; __builtin_memcpy(%s, &_v, sizeof(_v)); }" % (src, dst))
                else:
                    val = ("*%s" if a.is_out else "%s") % a.name
                    self.emit("{ %s _v = (%s)%s; __builtin_memcpy(%s, &_v, sizeof(_v)); }" % (f.ctype, f.ctype, val, dst))
            elif f.kind == "count":
                b = f.countof
                if t.kind == "string":
                    self.emit("{")
                    self.emit("mach_msg_type_number_t _n = __mig_string_copy(%s, %s, %d);" % (
                        at("InP", tn, b.name, delta if delta else None), a.name, t.count), 2)
                    self.emit("__builtin_memcpy(%s, &_n, sizeof(_n));" % dst, 2)
                    self.emit("_delta += (mach_msg_size_t)sizeof(InP->%s) - MIG_ROUND4(_n);" % b.name, 2)
                    self.emit("}")
                else:
                    cnt = "*%sCnt" % a.name if a.dir == "inout" else "%sCnt" % a.name
                    self.emit("{ mach_msg_type_number_t _n = %s; __builtin_memcpy(%s, &_n, sizeof(_n)); }" % (cnt, dst))
                    self.emit("__builtin_memcpy(%s, %s, (size_t)%s * %d);" % (
                        at("InP", tn, b.name, delta), a.name, cnt, t.size))
                    self.emit("_delta += (mach_msg_size_t)sizeof(InP->%s) - MIG_ROUND4(%s * %d);" % (b.name, cnt, t.size))
                delta = "_delta"
            elif f.kind == "bytes" and not f.variable:
                if t.kind == "string":
                    self.emit("(void)__mig_string_copy(%s, %s, %d);" % (dst, a.name, t.count))
                elif t.kind == "struct" and not anon(t):
                    self.emit("__builtin_memcpy(%s, &%s, %d);" % (dst, a.name, t.nbytes()))
                else:
                    self.emit("__builtin_memcpy(%s, %s, %d);" % (dst, a.name, t.nbytes()))

    def send(self, reply, kernel_user):
        r, req = self.r, self.req
        remote = [a for a in r.args if a.dir == "requestport"][0]
        bits = "MACH_MSGH_BITS(%s, %s)" % (
            remote.type.disp,
            "0" if (r.simple and not reply) else (reply.type.disp if reply else "MACH_MSG_TYPE_MAKE_SEND_ONCE"))
        if req.complex:
            bits += " | MACH_MSGH_BITS_COMPLEX"
        if reply:
            local = reply.name
        elif r.simple or kernel_user:
            local = "MACH_PORT_NULL"
        else:
            self.emit("_reply_port = mig_get_reply_port();")
            local = "_reply_port"
        self.emit("InP->Head.msgh_bits = %s;" % bits)
        self.emit("InP->Head.msgh_size = (mach_msg_size_t)sizeof(*InP) - _delta;")
        self.emit("InP->Head.msgh_remote_port = %s;" % remote.name)
        self.emit("InP->Head.msgh_local_port = %s;" % local)
        self.emit("InP->Head.msgh_voucher_port = MACH_PORT_NULL;")
        self.emit("InP->Head.msgh_id = %d;" % self.g.rid(r))
        self.emit("")
        wait = [a for a in r.args if a.dir == "waittime"]
        opts = [a for a in r.args if a.dir == "msgoption"]
        timeout = wait[0].name if wait else (self.g.sub.waittime or None)
        option = "MACH_SEND_MSG" if r.simple else "MACH_SEND_MSG | MACH_RCV_MSG"
        if timeout:
            option += " | MACH_SEND_TIMEOUT" if r.simple else " | MACH_RCV_TIMEOUT"
        if opts:
            option += " | (mach_msg_option_t)%s" % opts[0].name
        elif self.g.sub.msgoption:
            option += " | (mach_msg_option_t)(%s)" % self.g.sub.msgoption
        if kernel_user:
            if r.simple:
                self.emit("msg_result = mach_msg_send_from_kernel_proper(&InP->Head, InP->Head.msgh_size);")
            else:
                self.emit("msg_result = mach_msg_rpc_from_kernel(&InP->Head, InP->Head.msgh_size,")
                self.emit("    (mach_msg_size_t)sizeof(Mess.Out));")
            if r.simple:
                self.emit("return msg_result;")
            else:
                self.emit("if (msg_result != MACH_MSG_SUCCESS)")
                self.emit("return msg_result;", 2)
        elif r.simple:
            self.emit("msg_result = mach_msg(&InP->Head, %s, InP->Head.msgh_size, 0," % option)
            self.emit("    MACH_PORT_NULL, %s, MACH_PORT_NULL);" % (timeout or "MACH_MSG_TIMEOUT_NONE"))
            self.emit("return msg_result;")
        else:
            self.emit("msg_result = mach_msg(&InP->Head, %s, InP->Head.msgh_size," % option)
            self.emit("    (mach_msg_size_t)sizeof(Mess.Out), %s," % (reply.name if reply else "_reply_port"))
            self.emit("    %s, MACH_PORT_NULL);" % (timeout or "MACH_MSG_TIMEOUT_NONE"))
            self.emit("if (msg_result != MACH_MSG_SUCCESS) {")
            if not reply:
                self.emit("/* Nothing was sent, the reply port is as it was; otherwise a late", 2)
                self.emit(" * reply could still come to it: let it go. */", 2)
                self.emit("if (msg_result == MACH_SEND_INVALID_DATA ||", 2)
                self.emit("    msg_result == MACH_SEND_INVALID_DEST ||", 2)
                self.emit("    msg_result == MACH_SEND_INVALID_HEADER)", 2)
                self.emit("mig_put_reply_port(_reply_port);", 3)
                self.emit("else", 2)
                self.emit("mig_dealloc_reply_port(_reply_port);", 3)
            self.emit("return msg_result;", 2)
            self.emit("}")

    def check_reply(self):
        r, rep = self.r, self.rep
        kernel_user = self.g.sub.kernel_user
        destroy = "{ mach_msg_destroy(&Out0P->Head); return MIG_TYPE_ERROR; }" if not kernel_user \
            else "return MIG_TYPE_ERROR;"
        self.emit("")
        self.emit("/* Check the reply before anything is taken from it. */")
        self.emit("if (Out0P->Head.msgh_id != %d) {" % (self.g.rid(r) + 100))
        self.emit("if (Out0P->Head.msgh_id == MACH_NOTIFY_SEND_ONCE)", 2)
        self.emit("return MIG_SERVER_DIED;", 3)
        if not kernel_user:
            self.emit("mach_msg_destroy(&Out0P->Head);", 2)
        self.emit("return MIG_REPLY_MISMATCH;", 2)
        self.emit("}")
        self.emit("_rsize = Out0P->Head.msgh_size;")
        self.emit("if (!MACH_MSGH_BITS_IS_COMPLEX(Out0P->Head.msgh_bits) &&")
        self.emit("    _rsize == (mach_msg_size_t)sizeof(mig_reply_error_t) &&")
        self.emit("    Mess.Error.Out.RetCode != KERN_SUCCESS)")
        self.emit("return Mess.Error.Out.RetCode;", 2)
        self.emit("if (%sMACH_MSGH_BITS_IS_COMPLEX(Out0P->Head.msgh_bits))" % ("!" if rep.complex else ""))
        self.emit(destroy, 2)
        self.check_descs(rep, "Out0P", destroy)
        self.check_ool_counts(rep, "Out0P", destroy)
        self.check_var_fields(rep, "Out0P", "_rsize", destroy)
        if rep.retcode:
            self.emit("if (Out0P->RetCode != KERN_SUCCESS)")
            self.emit("return Out0P->RetCode;", 2)

    def unpack_reply(self):
        r, rep = self.r, self.rep
        tn = rep.typename
        self.emit("")
        self.emit("_delta = 0;")
        for d in rep.descs:
            a, t = d.arg, d.arg.type
            dv = "Out0P->%s" % d.name
            if d.kind == "desc_port":
                self.emit("*%s = %s.name;" % (a.name, dv))
                if t.poly():
                    self.emit("*%sPoly = %s.disposition;" % (a.name, dv))
            else:
                ct = a.type.user_ctype() if not anon(t) else "%s *" % t.elem_ctype()
                self.emit("*%s = (%s)(%s.address);" % (a.name, ct, dv))
                self.emit("*%sCnt = _cnt_%s;" % (a.name, d.name))
        delta = None
        for f in rep.inline:
            a, t = f.arg, f.arg.type
            src = at("Out0P", tn, f.name, delta)
            if f.kind == "scalar":
                if f.name == a.name + "Cnt":
                    continue
                self.emit("{ %s _v; __builtin_memcpy(&_v, %s, sizeof(_v)); *%s = (%s)_v; }"
                          % (f.ctype, src, a.name, a.type.user_ctype()))
            elif f.kind == "count":
                b = f.countof
                cv = "_cnt_%s" % b.name
                bsrc = at("Out0P", tn, b.name, delta)
                if t.kind == "string":
                    self.emit("__builtin_memcpy(%s, %s, %s);" % (a.name, bsrc, cv))
                    self.emit("%s[%s - 1] = '\\0';" % (a.name, cv))
                else:
                    self.emit("if (%s > *%sCnt) {" % (cv, a.name))
                    self.emit("__builtin_memcpy(%s, %s, (size_t)*%sCnt * %d);" % (a.name, bsrc, a.name, t.size), 2)
                    self.emit("*%sCnt = %s;" % (a.name, cv), 2)
                    self.emit("return MIG_ARRAY_TOO_LARGE;", 2)
                    self.emit("}")
                    self.emit("__builtin_memcpy(%s, %s, (size_t)%s * %d);" % (a.name, bsrc, cv, t.size))
                    self.emit("*%sCnt = %s;" % (a.name, cv))
                self.emit("_delta += (mach_msg_size_t)sizeof(Out0P->%s) - MIG_ROUND4(%s * %d);" % (b.name, cv, t.size))
                delta = "_delta"
            elif f.kind == "bytes" and not f.variable:
                if t.kind == "struct" and not anon(t):
                    self.emit("__builtin_memcpy(%s, %s, %d);" % (a.name, src, t.nbytes()))
                else:
                    self.emit("__builtin_memcpy(%s, %s, %d);" % (a.name, src, t.nbytes()))
                if t.kind == "string":
                    self.emit("%s[%d] = '\\0';" % (a.name, t.count - 1))
        self.emit("(void)_delta;")
        self.emit("return KERN_SUCCESS;")


class ServerStub(Stub):
    def lines(self):
        g, r, s = self.g, self.r, self.g.sub
        req, rep = self.req, self.rep
        fail = "{ OutP->RetCode = MIG_BAD_ARGUMENTS; return; }"
        self.fail = fail
        self.L = ["/* %s: message id %d. */" % (r.name, g.rid(r)), "static void",
                  "_X%s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)" % r.name, "{"]
        self.emit("%s *In0P = (%s *)(void *)InHeadP;" % (req.typename, req.typename))
        self.emit("mig_reply_error_t *OutP = (mig_reply_error_t *)(void *)OutHeadP;")
        if not r.simple:
            self.emit("%s *Out0P = (%s *)(void *)OutHeadP;" % (rep.typename, rep.typename))
        self.emit("mach_msg_size_t _size = In0P->Head.msgh_size;")
        self.emit("mach_msg_size_t _delta = 0;")
        self.emit("kern_return_t RetCode;")
        for c in self.count_locals(req):
            self.emit("mach_msg_type_number_t %s;" % c)
        self.declare_locals()
        self.emit("")
        self.emit("/* Check the request: nothing is read that it does not hold. */")
        self.emit("if (%sMACH_MSGH_BITS_IS_COMPLEX(In0P->Head.msgh_bits))" % ("!" if req.complex else ""))
        self.emit(fail, 2)
        self.emit("if (_size < (mach_msg_size_t)offsetof(%s, %s))" % (
            req.typename, "NDR" if (req.inline) else ("msgh_body" if req.complex else "Head.msgh_id")))
        self.emit(fail, 2)
        if req.complex:
            self.emit("if (_size < %s)" % req.min_size())
            self.emit(fail, 2)
        self.check_descs(req, "In0P", fail)
        self.check_ool_counts(req, "In0P", fail)
        self.check_var_fields(req, "In0P", "_size", fail)
        self.check_strings()
        self.read_trailer()
        self.unpack_request()
        self.call()
        if not r.simple:
            self.pack_reply()
        else:
            self.emit("(void)_delta;")
        self.L.append("}")
        self.L.append("")
        return self.L

    def declare_locals(self):
        for a in self.r.args:
            t = a.type
            if a.dir in ("ureplyport", "waittime", "msgoption"):
                continue
            ct = t.server_ctype() if not anon(t) else None
            if a.dir in ("requestport", "sreplyport", "replyport"):
                self.emit("%s %s;" % (ct, a.name))
            elif a.dir in ("serveraudittoken", "serversectoken"):
                self.emit("%s %s;" % (ct, a.name))
            elif t.kind in ("scalar", "port"):
                self.emit("%s %s;" % (ct, a.name))
                if t.kind == "port" and t.poly():
                    self.emit("mach_msg_type_name_t %sPoly;" % a.name)
            elif t.kind == "struct" and not anon(t):
                self.emit("%s %s;" % (ct, a.name))
            elif t.kind == "array" and t.ool and a.is_out:
                self.emit("%s %s;" % (ct if ct else "%s *" % t.elem_ctype(), a.name))
                self.emit("mach_msg_type_number_t %sCnt;" % a.name)
            elif t.kind in ("array", "string") and t.variable and a.is_out:
                self.emit("mach_msg_type_number_t %sCnt;" % a.name)

    def check_strings(self):
        """Every string must hold its NUL (once the sizes are known good)."""
        req, tn = self.req, self.req.typename
        if not any(f.kind == "bytes" and f.arg.type.kind == "string" for f in req.inline):
            return
        self.emit("_delta = 0;")
        delta = None
        for f in req.inline:
            t = f.arg.type
            if f.kind == "bytes" and t.kind == "string":
                n = "_cnt_%s" % f.name if f.variable else str(t.count)
                self.emit("if (!__mig_string_terminated(%s, %s))" % (at("In0P", tn, f.name, delta), n))
                self.emit(self.fail, 2)
            if f.kind == "bytes" and f.variable:
                self.emit("_delta += (mach_msg_size_t)sizeof(In0P->%s) - MIG_ROUND4(_cnt_%s * %d);"
                          % (f.name, f.name, t.size))
                delta = "_delta"

    def read_trailer(self):
        for a in self.r.args:
            if a.dir not in ("serveraudittoken", "serversectoken"):
                continue
            audit = a.dir == "serveraudittoken"
            tt = "mach_msg_audit_trailer_t" if audit else "mach_msg_security_trailer_t"
            self.emit("{")
            self.emit("/* The trailer follows the message, at its rounded size. */", 2)
            self.emit("const char *_tp = (const char *)InHeadP + MIG_ROUND4(_size);", 2)
            self.emit("mach_msg_trailer_t _trailer;", 2)
            self.emit("", 0)
            self.emit("__builtin_memcpy(&_trailer, _tp, sizeof(_trailer));", 2)
            self.emit("if (_trailer.msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0 ||", 2)
            self.emit("    _trailer.msgh_trailer_size < (mach_msg_trailer_size_t)sizeof(%s)) {" % tt, 2)
            self.emit("OutP->RetCode = MIG_TRAILER_ERROR;", 3)
            self.emit("return;", 3)
            self.emit("}", 2)
            self.emit("__builtin_memcpy(&%s, _tp + offsetof(%s, %s), sizeof(%s));" % (
                a.name, tt, "msgh_audit" if audit else "msgh_sender", a.name), 2)
            self.emit("}")

    def unpack_request(self):
        r, req = self.r, self.req
        tn = req.typename
        self.emit("")
        self.emit("_delta = 0;")
        for a in r.args:
            t = a.type
            if a.dir == "requestport":
                src = "In0P->Head.msgh_local_port"
            elif a.dir in ("sreplyport", "replyport"):
                src = "In0P->Head.msgh_remote_port"
            else:
                continue
            if t.intran:
                self.emit("%s = %s(%s);" % (a.name, t.intran[1], src))
            else:
                self.emit("%s = %s;" % (a.name, src))
        for d in req.descs:
            a, t = d.arg, d.arg.type
            if d.kind == "desc_port":
                if t.intran:
                    self.emit("%s = %s(In0P->%s.name);" % (a.name, t.intran[1], d.name))
                else:
                    self.emit("%s = In0P->%s.name;" % (a.name, d.name))
                if t.poly():
                    self.emit("%sPoly = In0P->%s.disposition;" % (a.name, d.name))
        delta = None
        for f in req.inline:
            a, t = f.arg, f.arg.type
            src = at("In0P", tn, f.name, delta)
            if f.kind == "scalar" and f.name != a.name + "Cnt":
                if t.intran:
                    self.emit("{ %s _v; __builtin_memcpy(&_v, %s, sizeof(_v)); %s = %s(_v); }"
                              % (f.ctype, src, a.name, t.intran[1]))
                else:
                    self.emit("{ %s _v; __builtin_memcpy(&_v, %s, sizeof(_v)); %s = (%s)_v; }"
                              % (f.ctype, src, a.name, t.server_ctype()))
            elif f.kind == "scalar" and a.countinout and not a.is_in:
                self.emit("{")
                self.emit("mach_msg_type_number_t _v;", 2)
                self.emit("", 0)
                self.emit("__builtin_memcpy(&_v, %s, sizeof(_v));" % src, 2)
                self.emit("%sCnt = _v < %d ? _v : %d;" % (a.name, t.count or 0xffffffff, t.count or 0xffffffff), 2)
                self.emit("}")
            elif f.kind == "bytes" and t.kind == "struct" and not anon(t):
                self.emit("__builtin_memcpy(&%s, %s, sizeof(%s));" % (a.name, src, a.name))
            elif f.kind == "bytes" and f.variable:
                self.emit("_delta += (mach_msg_size_t)sizeof(In0P->%s) - MIG_ROUND4(_cnt_%s * %d);"
                          % (f.name, f.name, t.size))
                delta = "_delta"
        if not r.simple:
            self.prefill_reply()

    def prefill_reply(self):
        """Out counts start at the array's bound (or what the caller can take);
        inout data is copied where the reply will carry it."""
        r, rep = self.r, self.rep
        for a in r.args:
            t = a.type
            if not a.is_out:
                continue
            if t.kind == "array" and t.variable and not t.ool and not a.countinout:
                if a.is_in:
                    self.emit("%sCnt = _cnt_%s;" % (a.name, a.name))
                else:
                    self.emit("%sCnt = %d;" % (a.name, t.count))
            elif t.kind == "array" and t.ool and not a.countinout:
                self.emit("%sCnt = 0;" % a.name)
                self.emit("%s = 0;" % a.name)
            elif t.kind == "array" and t.ool:
                self.emit("%s = 0;" % a.name)
            elif t.kind == "port":
                self.emit("%s = 0;" % a.name)
                if t.poly():
                    self.emit("%sPoly = MACH_MSG_TYPE_MOVE_SEND;" % a.name)
            elif t.kind == "scalar" and not a.is_in:
                self.emit("__builtin_memset(&%s, 0, sizeof(%s));" % (a.name, a.name))
            elif t.kind == "struct" and not anon(t) and not a.is_in:
                self.emit("__builtin_memset(&%s, 0, sizeof(%s));" % (a.name, a.name))
            if a.dir == "inout" and t.kind in ("array", "struct", "string") and (anon(t) or t.kind != "struct"):
                self.emit("__builtin_memcpy((char *)Out0P + offsetof(%s, %s), %s, %s);" % (
                    rep.typename, a.name, self.in_ptr(a),
                    "(size_t)_cnt_%s * %d" % (a.name, t.size) if t.variable else str(t.nbytes())))

    def in_ptr(self, a):
        """Where the request's bytes of an in array sit (after variable shrinking)."""
        req, tn = self.req, self.req.typename
        delta_terms = []
        for f in req.inline:
            if f.name == a.name and f.kind == "bytes":
                base = "(char *)In0P + offsetof(%s, %s)" % (tn, f.name)
                if delta_terms:
                    return "(%s - (%s))" % (base, " + ".join(delta_terms))
                return "(%s)" % base
            if f.kind == "bytes" and f.variable:
                delta_terms.append("(mach_msg_size_t)sizeof(In0P->%s) - MIG_ROUND4(_cnt_%s * %d)"
                                   % (f.name, f.name, f.arg.type.size))
        raise AssertionError(a.name)

    def call_args(self):
        r, rep = self.r, self.rep
        out = []
        for a in r.args:
            t = a.type
            if a.dir in ("ureplyport", "waittime", "msgoption"):
                continue
            if a.dir in ("requestport", "sreplyport", "replyport", "serveraudittoken", "serversectoken"):
                out.append(a.name)
                continue
            if t.kind in ("scalar", "port"):
                out.append(("&%s" if a.is_out else "%s") % a.name)
                if t.kind == "port" and t.poly():
                    out.append(("&%sPoly" if a.is_out else "%sPoly") % a.name)
            elif t.kind == "struct" and not anon(t):
                out.append(("&%s" if a.is_out else "%s") % a.name)
            elif t.kind == "array" and t.ool:
                if a.is_out:
                    out += ["&%s" % a.name, "&%sCnt" % a.name]
                else:
                    ct = t.server_ctype() if not anon(t) else "%s *" % t.elem_ctype()
                    out += ["(%s)(In0P->%s.address)" % (ct, a.name), "_cnt_%s" % a.name]
            else:
                ect = "char" if t.kind == "string" else t.elem_ctype()
                if a.is_out:
                    ptr = "(%s *)(void *)((char *)Out0P + offsetof(%s, %s))" % (ect, rep.typename, a.name)
                else:
                    ptr = "(%s *)(void *)%s" % (ect, self.in_ptr(a))
                out.append(ptr)
                if t.kind == "array" and t.variable:
                    out.append(("&%sCnt" if a.is_out else "_cnt_%s") % a.name)
        return out

    def call(self):
        r, s = self.r, self.g.sub
        args = self.call_args()
        self.emit("")
        self.emit("RetCode = %s%s(%s);" % (s.serverprefix, r.name, ", ".join(args)))
        for a in r.args:
            t = a.type
            if t.intran and t.destructor and a.dir in ("in", "requestport", "replyport", "sreplyport"):
                self.emit("%s(%s);" % (t.destructor, a.name))
        # A kernel server's request keeps its rights when the routine fails
        # (the dispatcher destroys it) and gives them up when it succeeds.
        # A send right the stub turned into a kernel object is spent then:
        # the routine took the object, not the right.
        if s.kernel_server:
            for a in r.args:
                t = a.type
                if (a.dir == "in" and t.kind == "port" and t.intran and not t.poly()
                        and port_recv_check(t) == "MACH_MSG_TYPE_PORT_SEND"):
                    self.emit("if (RetCode == KERN_SUCCESS)")
                    self.emit("ipc_port_release_send_unlocked(In0P->%s.name);" % a.name, 2)
        self.emit("OutP->RetCode = RetCode;")
        if r.simple:
            return
        self.emit("if (RetCode != KERN_SUCCESS)")
        self.emit("return;", 2)

    def pack_reply(self):
        r, rep = self.r, self.rep
        tn = rep.typename
        bad = "{ OutP->RetCode = MIG_ARRAY_TOO_LARGE; return; }"
        # A server routine may not return more than the interface allows.
        for a in r.args:
            t = a.type
            if a.is_out and t.kind == "array" and t.variable and (t.count and not t.ool):
                self.emit("if (%sCnt > %d)" % (a.name, t.count))
                self.emit(bad, 2)
            if a.is_out and t.kind == "array" and t.ool and t.count:
                self.emit("if (%sCnt > %d)" % (a.name, t.count))
                self.emit(bad, 2)
        self.emit("")
        if rep.complex:
            self.emit("OutHeadP->msgh_bits |= MACH_MSGH_BITS_COMPLEX;")
            self.emit("Out0P->msgh_body.msgh_descriptor_count = %d;" % len(rep.descs))
        for d in rep.descs:
            a, t = d.arg, d.arg.type
            dv = "Out0P->%s" % d.name
            if d.kind == "desc_port":
                self.emit("__builtin_memset(&%s, 0, sizeof(%s));" % (dv, dv))
                val = "%s(%s)" % (t.outtran[1], a.name) if t.outtran else a.name
                self.emit("%s.name = %s;" % (dv, val))
                self.emit("%s.disposition = %s;" % (dv, reply_disp(self.g.sub, disp_name(t, a.name))))
                self.emit("%s.type = MACH_MSG_PORT_DESCRIPTOR;" % dv)
            else:
                dealloc = "TRUE" if (a.dealloc or (a.dealloc is None and t.dealloc)) else "FALSE"
                self.emit("__builtin_memset(&%s, 0, sizeof(%s));" % (dv, dv))
                self.emit("%s.address = (void *)(%s);" % (dv, a.name))
                if d.kind == "desc_ool":
                    self.emit("%s.size = %sCnt * %d;" % (dv, a.name, t.size))
                    self.emit("%s.copy = MACH_MSG_VIRTUAL_COPY;" % dv)
                    self.emit("%s.type = MACH_MSG_OOL_DESCRIPTOR;" % dv)
                else:
                    self.emit("%s.count = %sCnt;" % (dv, a.name))
                    self.emit("%s.disposition = %s;" % (dv, reply_disp(self.g.sub, t.elem.disp)))
                    self.emit("%s.copy = MACH_MSG_PHYSICAL_COPY;" % dv)
                    self.emit("%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;" % dv)
                self.emit("%s.deallocate = %s;" % (dv, dealloc))
        if rep.inline or rep.retcode:
            self.emit("Out0P->NDR = (NDR_record_t)NDR_RECORD_NATIVE;")
        if rep.retcode:
            self.emit("Out0P->RetCode = KERN_SUCCESS;")
        self.emit("_delta = 0;")
        delta = None
        for f in rep.inline:
            a, t = f.arg, f.arg.type
            dst = at("Out0P", tn, f.name, delta)
            if f.kind == "scalar":
                if f.name == a.name + "Cnt":
                    self.emit("__builtin_memcpy(%s, &%sCnt, sizeof(%sCnt));" % (dst, a.name, a.name))
                else:
                    self.emit("{ %s _v = (%s)%s; __builtin_memcpy(%s, &_v, sizeof(_v)); }"
                              % (f.ctype, f.ctype, "%s(%s)" % (t.outtran[1], a.name) if t.outtran else a.name, dst))
            elif f.kind == "count":
                b = f.countof
                if t.kind == "string":
                    # The server wrote a string into the slot: send it up to its NUL.
                    self.emit("{")
                    self.emit("char *_s = (char *)Out0P + offsetof(%s, %s);" % (tn, b.name), 2)
                    self.emit("mach_msg_type_number_t _n = 0;", 2)
                    self.emit("", 0)
                    self.emit("_s[%d] = '\\0';" % (t.count - 1), 2)
                    self.emit("while (_s[_n] != '\\0')", 2)
                    self.emit("_n++;", 3)
                    self.emit("%sCnt = _n + 1;" % a.name, 2)
                    self.emit("}")
                self.emit("__builtin_memcpy(%s, &%sCnt, sizeof(%sCnt));" % (dst, a.name, a.name))
                if delta:
                    self.emit("__mig_move_down(%s, (char *)Out0P + offsetof(%s, %s), %sCnt * %d);"
                              % (at("Out0P", tn, b.name, delta), tn, b.name, a.name, t.size))
                self.emit("_delta += (mach_msg_size_t)sizeof(Out0P->%s) - MIG_ROUND4(%sCnt * %d);"
                          % (b.name, a.name, t.size))
                delta = "_delta"
            elif f.kind == "bytes" and not f.variable:
                if t.kind == "struct" and not anon(t):
                    self.emit("__builtin_memcpy(%s, &%s, sizeof(%s));" % (dst, a.name, a.name))
                elif delta:
                    self.emit("__mig_move_down(%s, (char *)Out0P + offsetof(%s, %s), %d);"
                              % (dst, tn, f.name, t.nbytes()))
                if t.kind == "string":
                    self.emit("*(%s + %d) = '\\0';" % (dst, t.count - 1))
        self.emit("OutHeadP->msgh_size = (mach_msg_size_t)sizeof(%s) - _delta;" % tn)


# --- driver ---------------------------------------------------------------

def preprocess(path, cpp_args):
    cc = os.environ.get("MIGCC", "gcc")
    cmd = [cc, "-E", "-x", "c", "-undef", "-nostdinc", "-D__MIG__=1"] + cpp_args + [path]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise DefsError("mig: cannot run the C preprocessor (%s): %s" % (cc, e))
    if p.returncode != 0:
        raise DefsError(p.stderr.strip() or "mig: the C preprocessor failed on %s" % path)
    return p.stdout


def write(path, text):
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, "w") as f:     # /dev/null, a pipe: write through
            f.write(text)
        return
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)



# --- the Mach message fuzzer's table (--fuzz-table) ------------------------
#
# For every routine of the .defs given: its id, what its request port must
# be, and its request's fields in wire order, each with the kind of value
# the fuzzer should draw for it. The header needs only <stdint.h>, so that
# host unit tests can read it too.

# What a port is, by its type's name (a request port or a port argument).
FUZZ_TARGETS = {
    "task_t": "TASK", "ipc_space_t": "TASK", "vm_map_t": "TASK",
    "thread_act_t": "THREAD", "thread_t": "THREAD",
    "host_t": "HOST", "host_priv_t": "HOST",
    "semaphore_t": "SEMAPHORE", "semaphore_consume_ref_t": "SEMAPHORE",
    "io_object_t": "IO_OBJECT", "io_connect_t": "IO_CONNECT",
    "mem_entry_name_port_t": "MEM_ENTRY",
    "mach_port_send_once_t": "SEND_ONCE", "mach_port_move_send_once_t": "SEND_ONCE",
}

# What a scalar holds, by its type's name, then by the argument's name.
FUZZ_VALUES = {
    "mach_port_name_t": "NAME", "mach_port_right_t": "RIGHT",
    "mach_msg_type_name_t": "DISP", "mach_vm_address_t": "ADDR",
    "vm_address_t": "ADDR", "mach_vm_size_t": "SIZE", "vm_size_t": "SIZE",
    "memory_object_size_t": "SIZE", "memory_object_offset_t": "OFFSET",
    "mach_vm_offset_t": "OFFSET", "vm_prot_t": "PROT", "vm_inherit_t": "INHERIT",
    "boolean_t": "BOOL", "mach_port_delta_t": "DELTA",
}
FUZZ_NAME_VALUES = (("flavor", "FLAVOR"), ("flags", "FLAGS"), ("options", "FLAGS"),
                    ("which", "FLAVOR"), ("selector", "FLAVOR"), ("policy", "FLAVOR"))

MSG_TYPE_NUMBERS = {
    "MACH_MSG_TYPE_MOVE_RECEIVE": 16, "MACH_MSG_TYPE_MOVE_SEND": 17,
    "MACH_MSG_TYPE_MOVE_SEND_ONCE": 18, "MACH_MSG_TYPE_COPY_SEND": 19,
    "MACH_MSG_TYPE_MAKE_SEND": 20, "MACH_MSG_TYPE_MAKE_SEND_ONCE": 21,
    "MACH_MSG_TYPE_COPY_RECEIVE": 22,
}


def fuzz_target(sub, a):
    t = a.type
    if t.name in FUZZ_TARGETS:
        return FUZZ_TARGETS[t.name]
    if "master" in a.name:
        return "IO_MASTER"
    return "ANY"


def fuzz_value(a):
    v = FUZZ_VALUES.get(a.type.name)
    if v:
        return v
    for part, v in FUZZ_NAME_VALUES:
        if part in a.name.lower():
            return v
    return "INT"


def fuzz_fields(sub, r):
    """The request's fields in wire order: (kind, value, target, disp, elem, max, name)."""
    descs, inline = fields_for(r.args, "in")
    out, oolidx = [], {}
    for d in descs:
        t = d.arg.type
        if d.kind == "desc_port":
            out.append(("PORT", "INT", fuzz_target(sub, d.arg),
                        MSG_TYPE_NUMBERS.get(t.disp, 0), 0, 0, d.name))
        elif d.kind == "desc_ool":
            oolidx[d.arg.name] = len(out)
            out.append(("OOL", "INT", "ANY", 0, t.elem.size or 1, 0, d.name))
        else:
            oolidx[d.arg.name] = len(out)
            out.append(("OOL_PORTS", "INT", fuzz_target(sub, Arg(d.name, "in", t.elem, None)),
                        MSG_TYPE_NUMBERS.get(t.elem.disp, 0), 4, 0, d.name))
    skip = set()
    for i, f in enumerate(inline):
        if i in skip:
            continue
        a, t = f.arg, f.arg.type
        if f.kind == "count":
            # A variable inline array or string: its count, then its bytes.
            skip.add(i + 1)
            out.append(("STRING" if t.kind == "string" else "VAR", "INT", "ANY", 0,
                        t.size, t.count, a.name))
        elif f.kind == "bytes":
            out.append(("BYTES", "INT", "ANY", 0, 1, f.size, a.name))
        elif f.name.endswith("Cnt") and a.type.kind == "array" and a.type.ool and a.is_in:
            out.append(("SCALAR", "OOLCNT", "ANY", 0, 4, oolidx[a.name], f.name))
        elif f.name.endswith("Cnt") and a.countinout and not a.is_in:
            out.append(("SCALAR", "OUTCNT", "ANY", 0, 4, t.count, f.name))
        else:
            out.append(("SCALAR", fuzz_value(a), "ANY", 0, t.size, 0, f.name))
    return out


def fuzz_table(subs):
    rows, nmax = [], 0
    for sub in subs:
        for i, r in enumerate(sub.routines):
            if r is None:
                continue
            req = [a for a in r.args if a.dir == "requestport"][0]
            fields = fuzz_fields(sub, r)
            nmax = max(nmax, len(fields))
            rows.append((sub, r, sub.base + i, fuzz_target(sub, req), fields))
    o = ["/*",
         " * Generated by tools/mig/mig.py --fuzz-table (docs/fuzzing.md): every",
         " * routine the kernel serves, with its request's layout, for the Mach",
         " * message fuzzer. Do not edit.",
         " *",
         " * A request is the header, then (if any field is a descriptor) the body",
         " * and the descriptors, then (if any inline field) the NDR record and the",
         " * inline fields in order, each rounded up to 4 bytes; a VAR or STRING",
         " * field is a 4-byte count then count * elem bytes (rounded up to 4), and",
         " * the fields after it follow at once.",
         " */",
         "#ifndef _MACH_FUZZ_TABLE_H_",
         "#define _MACH_FUZZ_TABLE_H_",
         "",
         "#include <stdint.h>",
         "",
         "enum mfz_kind { MFZ_PORT, MFZ_OOL, MFZ_OOL_PORTS, MFZ_SCALAR, MFZ_BYTES, MFZ_VAR, MFZ_STRING };",
         "enum mfz_target { MFZ_T_ANY, MFZ_T_TASK, MFZ_T_THREAD, MFZ_T_HOST, MFZ_T_SEMAPHORE,",
         "\tMFZ_T_IO_MASTER, MFZ_T_IO_OBJECT, MFZ_T_IO_CONNECT, MFZ_T_MEM_ENTRY, MFZ_T_SEND_ONCE,",
         "\tMFZ_T_COUNT };",
         "/* OOLCNT: the count of the descriptor field max; OUTCNT: room for max elements. */",
         "enum mfz_value { MFZ_V_INT, MFZ_V_FLAGS, MFZ_V_FLAVOR, MFZ_V_NAME, MFZ_V_RIGHT, MFZ_V_DISP,",
         "\tMFZ_V_ADDR, MFZ_V_SIZE, MFZ_V_OFFSET, MFZ_V_PROT, MFZ_V_INHERIT, MFZ_V_BOOL, MFZ_V_DELTA,",
         "\tMFZ_V_OOLCNT, MFZ_V_OUTCNT };",
         "",
         "struct mfz_field {",
         "\tuint8_t\t\tkind;\t\t/* enum mfz_kind */",
         "\tuint8_t\t\tvalue;\t\t/* SCALAR: enum mfz_value */",
         "\tuint8_t\t\ttarget;\t\t/* PORT, OOL_PORTS: enum mfz_target */",
         "\tuint8_t\t\tdisp;\t\t/* PORT, OOL_PORTS: MACH_MSG_TYPE_*, 0 polymorphic */",
         "\tuint16_t\telem;\t\t/* SCALAR: bytes; OOL, VAR, STRING: bytes an element */",
         "\tuint16_t\tmax;\t\t/* BYTES: bytes; VAR, STRING: most elements; see enum mfz_value */",
         "\tconst char\t*name;",
         "};",
         "",
         "struct mfz_routine {",
         "\tconst char\t*subsystem, *name;",
         "\tint32_t\t\tid;",
         "\tuint8_t\t\ttarget;\t\t/* the request port: enum mfz_target */",
         "\tuint8_t\t\tsimple;\t\t/* no reply */",
         "\tuint8_t\t\tndesc, nfields;",
         "\tstruct mfz_field\tfield[MFZ_FIELDS_MAX];",
         "};",
         ""]
    o.insert(o.index("struct mfz_field {"), "#define MFZ_FIELDS_MAX\t%d\n" % max(nmax, 1))
    o.append("#define MFZ_ROUTINE_COUNT\t%d" % len(rows))
    o.append("")
    o.append("static const struct mfz_routine mfz_routines[MFZ_ROUTINE_COUNT] = {")
    for sub, r, rid, target, fields in rows:
        ndesc = sum(1 for f in fields if f[0] in ("PORT", "OOL", "OOL_PORTS"))
        o.append("\t{ \"%s\", \"%s\", %d, MFZ_T_%s, %d, %d, %d, {" % (
            sub.name, r.name, rid, target, 1 if r.simple else 0, ndesc, len(fields)))
        for kind, value, tgt, disp, elem, mx, name in fields:
            o.append("\t\t{ MFZ_%s, MFZ_V_%s, MFZ_T_%s, %d, %d, %d, \"%s\" }," % (
                kind, value, tgt, disp, elem, mx, name))
        o.append("\t} },")
    o.append("};")
    o.append("")
    o.append("#endif /* _MACH_FUZZ_TABLE_H_ */")
    return "\n".join(o) + "\n"


def fuzz_table_main(argv):
    cpp_args, defs = ["-DKERNEL_SERVER=1"], []
    out = argv[0] if argv else None
    for a in argv[1:]:
        if a.startswith("-D") or a.startswith("-U") or a.startswith("-I"):
            cpp_args.append(a)
        else:
            defs.append(a)
    if not out or not defs:
        raise DefsError("mig: --fuzz-table FILE [-I DIR] a.defs ...")
    subs = []
    for d in defs:
        if not os.path.isfile(d):
            raise DefsError("mig: %s: no such file" % d)
        subs.append(Parser(tokenize(preprocess(d, cpp_args), d)).parse())
    write(out, fuzz_table(subs))
    return 0


def main(argv):
    if argv and argv[0] == "--fuzz-table":
        return fuzz_table_main(argv[1:])
    cpp_args, outs, defs = [], {}, None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help", "-help"):
            print(USAGE)
            print(OPTIONS)
            return 0
        if a in ("-user", "-header", "-server", "-sheader", "-I"):
            if i + 1 >= len(argv):
                raise DefsError("mig: %s needs an argument" % a)
            if a == "-I":
                cpp_args.append("-I" + argv[i + 1])
            else:
                outs[a[1:]] = argv[i + 1]
            i += 2
            continue
        if a.startswith("-D") or a.startswith("-U") or (a.startswith("-I") and len(a) > 2):
            cpp_args.append(a)
        elif a == "-kernel-server":
            cpp_args.append("-DKERNEL_SERVER=1")
        elif a == "-kernel-user":
            cpp_args.append("-DKERNEL_USER=1")
        elif a.startswith("-"):
            raise DefsError("mig: unknown option %s (try --help)" % a)
        elif defs is None:
            defs = a
        else:
            raise DefsError("mig: more than one .defs file (%s and %s)" % (defs, a))
        i += 1
    if defs is None:
        raise DefsError("mig: no .defs file given\n" + USAGE)
    if not os.path.isfile(defs):
        raise DefsError("mig: %s: no such file" % defs)
    text = preprocess(defs, cpp_args)
    sub = Parser(tokenize(text, defs)).parse()
    gen = Gen(sub, defs)
    if not outs:
        outs = {"user": sub.name + "User.c", "header": sub.name + ".h", "server": sub.name + "Server.c"}
    header = outs.get("header")
    sheader = outs.get("sheader")
    if "header" in outs:
        write(header, gen.user_header("_MIG_%s_USER_H_" % sub.name.upper()))
    if "user" in outs:
        write(outs["user"], gen.user_source(os.path.basename(header) if header else None))
    if "sheader" in outs:
        write(sheader, gen.server_header("_MIG_%s_SERVER_H_" % sub.name.upper()))
    if "server" in outs:
        write(outs["server"], gen.server_source(os.path.basename(sheader) if sheader else None))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except DefsError as e:
        sys.stderr.write("%s\n" % e)
        sys.exit(1)
    except (OSError, RecursionError) as e:
        sys.stderr.write("mig: %s\n" % e)
        sys.exit(1)
    except Exception as e:  # a bug here, never the user's: still no traceback
        sys.stderr.write("mig: internal error (%s: %s); please report it with the .defs\n"
                         % (type(e).__name__, e))
        sys.exit(1)
