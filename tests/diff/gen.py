#!/usr/bin/env python3
"""gen.py - seeded config.json documents for the differential test.

    gen.py --seed S --count N          the batch: "<length>\\n<bytes>" per document
    gen.py --seed S --show I           document I alone, as a Python bytes literal

Document I depends only on (S, I), so a disagreement found in a big batch can
be shown again on its own. Each document comes from a grammar of realistic
config.json (what Docker, podman and containerd write: ociVersion, process,
root, mounts, hooks, linux with namespaces, uidMappings, gidMappings and
other keys, annotations, unknown keys) and then, for most documents, a few
mutations of the kinds where Go's encoding/json and a C parser part ways:
key case and Go's two extra folds (U+017F, U+212A) and the Turkish i's it
does not fold, \\u escapes in keys and values (surrogate pairs and lone
surrogates), duplicate keys (exact and folded), annotation keys repeated in
another spelling that Go decodes to the same map key ("a" and "\\u0061", "/"
and "\\/") and near misses that it does not, documents with thousands of
annotations, null in any position, wrong
JSON types, deep nesting, numbers of every shape where a uint32 is read,
valid and invalid UTF-8, a BOM, trailing data and whitespace variants.

Fields that runc's Go types fix and nsguard does not read keep their Go
type (or become null, which Go ignores): a wrong type there only makes runc
fail, which is not a disagreement about what a container shares.
"""
import argparse
import json
import random
import sys

# Node kinds: how far a value may be changed without Go rejecting the
# document for a reason nsguard leaves to runc.
READ = "read"  # nsguard reads it: any change is fair, nsguard must judge it
TYPED = "typed"  # a Go-typed field nsguard skips: null or same type only
FREE = "free"  # under an unknown key: anything

NS_TYPES = ["mount", "network", "pid", "ipc", "uts", "user", "cgroup", "time"]
BAD_NS_TYPES = ["net", "NETWORK", "", "mnt", "pid ", "Pid", "foo"]
PATHS = ["", "", "/proc/1/ns/net", "/proc/4242/ns/pid", "/run/netns/cni-1234", "/var/run/docker/netns/default",
         "/proc/self/ns/net", "/a b/\u00e9", "/"]
ODD_PATHS = ["ns/net", "./x", " /x", "\\x", "//x", "/x/", "/\u2028"]
NUMBERS = ["0", "1", "1000", "65536", "100000", "4294967295", "4294967296", "-0", "-1", "1.0", "0.0", "1e3",
           "1E+2", "1e-2", "01", "00", "0.5", "99999999999999999999", "18446744073709551616", "-", "+1", "0x10",
           ".5", "5.", "2147483648", "4294967295.0", "1_000", "0e0", "-4294967296"]
ANNOTATION_KEYS = ["io.nsguard.allow", "io.kubernetes.cri.sandbox-namespace", "org.opencontainers.image.stopSignal",
                   "com.example/team", "", "a", "A", "\u00e9t\u00e9", "\U0001F600", "k\u212Aey", "io.nsguard.allow ",
                   "a\"b\\c/d", "\t\u2028", "x/y"]
ANNOTATION_VALUES = ["network", "pid,network", "kube-system", "", "SIGQUIT", "a\nb", "\u00e9", "\U0001F600",
                     "x" * 40]


class Node:
    """A JSON value; strings and keys are lists of already-encoded byte pieces."""

    def __init__(self, t, kind, v=None, role=None):
        self.t, self.kind, self.v, self.role = t, kind, v, role


def pieces(text):
    out = []
    for ch in text:
        if ch == '"':
            out.append(b'\\"')
        elif ch == "\\":
            out.append(b"\\\\")
        elif ch == "\n":
            out.append(b"\\n")
        elif ord(ch) < 0x20:
            out.append(b"\\u%04x" % ord(ch))
        else:
            out.append(ch.encode("utf-8"))
    return out


def s(text, kind, role=None):
    return Node("str", kind, pieces(text), role)


def n(text, kind, role=None):
    return Node("num", kind, text, role)


def lit(text, kind):
    return Node("lit", kind, text)


def obj(members, kind, role=None):
    return Node("obj", kind, [[pieces(k), v] for k, v in members], role)


def arr(items, kind, role=None):
    return Node("arr", kind, list(items), role)


# ---- the grammar ---------------------------------------------------------------


def g_process(r):
    m = [("terminal", lit(r.choice(["true", "false"]), TYPED)),
         ("user", obj([("uid", n(str(r.choice([0, 1000, 65534])), TYPED)),
                       ("gid", n(str(r.choice([0, 1000])), TYPED)),
                       ("additionalGids", arr([n(str(g), TYPED) for g in range(r.randrange(4))], TYPED))], TYPED)),
         ("args", arr([s(a, TYPED) for a in r.choice([["sh"], ["nginx", "-g", "daemon off;"], []])], TYPED)),
         ("env", arr([s("PATH=/usr/bin:/bin", TYPED), s("TERM=xterm", TYPED)], TYPED)),
         ("cwd", s("/", TYPED))]
    if r.random() < 0.5:
        m.append(("capabilities", obj([("bounding", arr([s("CAP_CHOWN", TYPED), s("CAP_KILL", TYPED)], TYPED))],
                                      TYPED)))
    if r.random() < 0.3:
        m.append(("oomScoreAdj", n(r.choice(["0", "-999", "1000"]), TYPED)))
    return obj(m, TYPED)


def g_idmap(r, kind):
    m = []
    for field in ("containerID", "hostID", "size"):
        if r.random() < 0.9:
            value = r.choice(["0", "0", "1", "1000", "65536", "100000", "4294967295"])
            m.append((field, n(value, kind, "uint32" if kind == READ else None)))
    r.shuffle(m)
    if r.random() < 0.1:
        m.append(("comment", s("x", FREE)))
    return obj(m, kind, "idmap" if kind == READ else None)


def g_mount(r):
    m = [("destination", s(r.choice(["/proc", "/dev", "/etc/hosts"]), TYPED)),
         ("type", s(r.choice(["proc", "tmpfs", "bind"]), TYPED)),
         ("source", s(r.choice(["proc", "tmpfs", "/var/lib/x"]), TYPED)),
         ("options", arr([s(o, TYPED) for o in ["nosuid", "nodev"][:r.randrange(3)]], TYPED))]
    if r.random() < 0.1:
        # Mounts have id mappings of their own, which are not linux's.
        m.append(("uidMappings", arr([g_idmap(r, TYPED)], TYPED)))
    return obj(m, TYPED)


def g_namespaces(r):
    types = r.sample(NS_TYPES, r.randrange(len(NS_TYPES) + 1))
    if r.random() < 0.05:
        types.append(r.choice(BAD_NS_TYPES))
    if r.random() < 0.05 and types:
        types.append(r.choice(types))
    entries = []
    for t in types:
        m = [("type", s(t, READ, "type"))]
        if r.random() < 0.5:
            m.append(("path", s(r.choice(PATHS), READ, "path")))
        if r.random() < 0.3:
            m.reverse()
        if r.random() < 0.05:
            m.append(("x", g_free(r, 2)))
        entries.append(obj(m, READ, "ns-entry"))
    return arr(entries, READ, "namespaces")


def g_linux(r):
    m = []
    if r.random() < 0.9:
        m.append(("namespaces", g_namespaces(r)))
    for key in ("uidMappings", "gidMappings"):
        if r.random() < 0.4:
            m.append((key, arr([g_idmap(r, READ) for _ in range(r.choice([0, 1, 1, 1, 2, 3]))], READ, "idmaps")))
    if r.random() < 0.5:
        m.append(("sysctl", obj([("net.ipv4.ip_forward", s("1", TYPED))], TYPED, "map")))
    if r.random() < 0.5:
        m.append(("resources", obj([("memory", obj([("limit", n("536870912", TYPED))], TYPED))], TYPED)))
    if r.random() < 0.5:
        m.append(("cgroupsPath", s("system.slice:docker:4f1c", TYPED)))
    if r.random() < 0.5:
        m.append(("maskedPaths", arr([s("/proc/kcore", TYPED), s("/sys/firmware", TYPED)], TYPED)))
    if r.random() < 0.3:
        m.append(("seccomp", obj([("defaultAction", s("SCMP_ACT_ERRNO", TYPED))], TYPED)))
    if r.random() < 0.2:
        m.append(("x-unknown", g_free(r, 3)))
    r.shuffle(m)
    return obj(m, READ, "linux")


def g_annotations(r):
    keys = r.sample(ANNOTATION_KEYS, r.randrange(5))
    if r.random() < 0.03:
        # Many keys: nsguard checks them for duplicates without copies, in groups by hash.
        keys += ["example.com/k%d" % i for i in range(r.choice([100, 1000, 3000]))]
        r.shuffle(keys)
    return obj([(k, s(r.choice(ANNOTATION_VALUES), READ, "annotation")) for k in keys], READ, "annotations")


def g_free(r, depth):
    """Anything at all: Go skips unknown keys after checking their syntax."""
    c = r.randrange(7 if depth > 0 else 4)
    if c == 0:
        return s(r.choice(["", "x", "\u00e9", "/proc/1/ns/net"]), FREE)
    if c == 1:
        return n(r.choice(NUMBERS[:16] + ["123456789012345678901234567890", "1e400", "-0.0"]), FREE)
    if c == 2:
        return lit(r.choice(["true", "false", "null"]), FREE)
    if c == 3:
        return n("0", FREE)
    if c in (4, 5):
        # Objects with keys that name nsguard's fields: inside an unknown key
        # they mean nothing to Go, and must mean nothing to nsguard.
        keys = r.sample(["linux", "namespaces", "type", "path", "annotations", "uidMappings", "hostID", "a"],
                        r.randrange(4))
        return obj([(k, g_free(r, depth - 1)) for k in keys], FREE)
    return arr([g_free(r, depth - 1) for _ in range(r.randrange(3))], FREE)


def g_document(r):
    m = [("ociVersion", s(r.choice(["1.0.2", "1.0.2-dev", "1.1.0"]), TYPED))]
    if r.random() < 0.8:
        m.append(("process", g_process(r)))
    if r.random() < 0.8:
        m.append(("root", obj([("path", s(r.choice(["rootfs", "/var/lib/x/merged"]), TYPED)),
                               ("readonly", lit("true", TYPED))], TYPED)))
    if r.random() < 0.5:
        m.append(("hostname", s("web", TYPED)))
    if r.random() < 0.5:
        m.append(("mounts", arr([g_mount(r) for _ in range(r.randrange(4))], TYPED)))
    if r.random() < 0.2:
        m.append(("hooks", obj([("prestart", arr([obj([("path", s("/usr/bin/hook", TYPED)),
                                                       ("args", arr([s("hook", TYPED)], TYPED))], TYPED)],
                                                 TYPED))], TYPED)))
    if r.random() < 0.9:
        m.append(("linux", g_linux(r)))
    if r.random() < 0.7:
        m.append(("annotations", g_annotations(r)))
    if r.random() < 0.3:
        m.append((r.choice(["x-engine", "uidMappings", "namespaces", "linuxx", "Linu"]), g_free(r, 3)))
    r.shuffle(m)
    return obj(m, READ, "top")


# ---- mutations ---------------------------------------------------------------------


def walk(node, out, parent=None):
    out.append((node, parent))
    if node.role == "deep":
        return out  # mutations stay out of it, and so does the recursion
    if node.t == "obj":
        for member in node.v:
            walk(member[1], out, node)
    elif node.t == "arr":
        for item in node.v:
            walk(item, out, node)
    return out


def fold_key(r, key):
    """Change a key's spelling: case, Go's folds, folds Go does not make, escapes."""
    out = []
    for p in key:
        ch = p.decode("utf-8", "replace") if len(p) <= 4 else None
        x = r.random()
        if ch and ch.isascii() and ch.isalpha() and x < 0.3:
            out.append(ch.swapcase().encode())
        elif ch in ("s", "S") and x < 0.6:
            out.append("\u017f".encode() if r.random() < 0.7 else b"\\u017f")
        elif ch in ("k", "K") and x < 0.6:
            out.append("\u212a".encode() if r.random() < 0.7 else b"\\u212A")
        elif ch in ("i", "I") and x < 0.35:
            out.append(r.choice(["\u0131".encode(), "\u0130".encode(), b"\\u0131"]))
        elif ch and len(ch) == 1 and x < 0.45:
            out.append(escape_char(r, ch))
        else:
            out.append(p)
    return out


def escape_char(r, ch):
    c = ord(ch)
    if c > 0xFFFF:
        c -= 0x10000
        hi, lo = 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF)
        text = "\\u%04x\\u%04x" % (hi, lo)
    else:
        text = "\\u%04x" % c
    return (text.upper().replace("\\U", "\\u") if r.random() < 0.5 else text).encode()


ODD_PIECES = [b"\\ud800", b"\\udc00", b"\\udc00\\ud800", b"\\ud83d\\ude00", b"\\uD83D\\uDE00", b"\\ud800\\u0041",
              b"\xff", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xef\xbf\xbd", b"\xf0\x9f\x98\x80",
              b"\xf4\x90\x80\x80", b"\xc3", b"\\u0000", b"\x7f", b"\\n", b"\\t", b"\\/", b"\x01", b"\\x", b"\\u12",
              b"\\ufffd", b"\\u00e9", b"\xc2\x9b", b"\\u2028", b"\xe2\x80\xae", b"\\uffff", b"\\uFFFE", b"\\u0800",
              b"\\u07ff", b"\\u0080", b"\\u00", b"\\ud800\\\\udc00", b"\\udbff\\udfff", b"\xf4\x8f\xbf\xbf",
              b"\xee\x80\x80"]


SHORT_ESCAPES = {'"': b'\\"', "\\": b"\\\\", "/": b"\\/", "\n": b"\\n", "\t": b"\\t", "\b": b"\\b", "\f": b"\\f",
                 "\r": b"\\r"}


def respell(r, key):
    """The same decoded key in other bytes: raw, \\uXXXX (either case, surrogate
    pairs) or a short escape, char by char. Go reads both as one map key.
    Pieces that are not valid text (odd bytes, lone surrogates) stay as they are."""
    out = []
    for p in key:
        try:
            text = json.loads(b'"' + p + b'"')
            text.encode("utf-8")
        except ValueError:
            out.append(p)
            continue
        for ch in text:
            choices = [escape_char(r, ch)]
            if ord(ch) >= 0x20 and ch not in '"\\':
                choices.append(ch.encode("utf-8"))
            if ch in SHORT_ESCAPES:
                choices.append(SHORT_ESCAPES[ch])
            out.append(r.choice(choices))
    return out


def mutate_pieces(r, ps):
    ps = list(ps)
    at = r.randrange(len(ps) + 1)
    if r.random() < 0.3 and ps:
        ps[min(at, len(ps) - 1)] = escape_char(r, ps[min(at, len(ps) - 1)].decode("utf-8", "replace")[:1] or "a")
    else:
        ps.insert(at, r.choice(ODD_PIECES))
    return ps


WRONG = [lambda: lit("true", FREE), lambda: lit("false", FREE), lambda: n("1", FREE), lambda: s("x", FREE),
         lambda: obj([], FREE), lambda: arr([], FREE), lambda: obj([("type", s("pid", FREE))], FREE),
         lambda: arr([obj([("type", s("pid", FREE))], FREE)], FREE), lambda: s("0", FREE)]


def replace(parent, node, new):
    if parent.t == "obj":
        for member in parent.v:
            if member[1] is node:
                member[1] = new
    else:
        parent.v = [new if x is node else x for x in parent.v]


def deep(r):
    depth = r.choice([10, 500, 997, 998, 999, 1000, 1001, 2000])
    node = n("1", FREE)
    for _ in range(depth):
        node = arr([node], FREE) if r.random() < 0.7 else obj([("a", node)], FREE)
    node.role = "deep"
    return node


def mutate(r, top):
    nodes = walk(top, [])
    node, parent = r.choice(nodes)
    what = r.randrange(11)
    if what == 0 and parent is not None:  # null anywhere
        replace(parent, node, lit("null", node.kind))  # a Go-typed null stays Go-typed
    elif what == 1 and parent is not None and node.kind != TYPED:  # a wrong type
        replace(parent, node, r.choice(WRONG)())
    elif what == 2:  # a number of another shape where a uint32 is read
        numbers = [x for x, _ in nodes if x.role == "uint32"]
        if numbers:
            r.choice(numbers).v = r.choice(NUMBERS)
    elif what in (3, 4):  # a key spelled differently
        objs = [x for x, _ in nodes if x.t == "obj" and x.v]
        if objs:
            member = r.choice(r.choice(objs).v)
            member[0] = fold_key(r, member[0])
    elif what == 5:  # a duplicate key, exact or folded
        objs = [x for x, _ in nodes if x.t == "obj" and x.v]
        if objs:
            o = r.choice(objs)
            key, value = r.choice(o.v)
            # A Go-typed field keeps its type in the copy; others may get any value.
            other = [x for x, _ in walk(value, [])][-1] if r.random() < 0.5 and value.kind != TYPED else value
            o.v.insert(r.randrange(len(o.v) + 1), [fold_key(r, key) if r.random() < 0.6 else list(key), other])
    elif what == 6:  # bytes and escapes in a string or a key
        strs = [x for x, _ in nodes if x.t == "str"]
        objs = [x for x, _ in nodes if x.t == "obj" and x.v]
        if strs and (r.random() < 0.6 or not objs):
            x = r.choice(strs)
            x.v = mutate_pieces(r, x.v)
        elif objs:
            member = r.choice(r.choice(objs).v)
            member[0] = mutate_pieces(r, member[0])
    elif what == 7:  # deep nesting under an unknown key of a struct (a map's values are typed)
        objs = [x for x, _ in nodes if x.t == "obj" and x.role not in ("map", "annotations")]
        r.choice(objs).v.append([pieces("deep"), deep(r)])
    elif what == 8:  # an element more in an array nsguard reads
        arrs = [x for x, _ in nodes if x.t == "arr" and x.role in ("namespaces", "idmaps")]
        if arrs:
            a = r.choice(arrs)
            a.v.append(r.choice([lit("null", FREE), obj([], FREE), n("0", FREE)] + a.v))
    elif what == 9:  # an annotation key again in another spelling, or a near miss of it
        annotations = [x for x, _ in nodes if x.role == "annotations" and x.v]
        if annotations:
            a = r.choice(annotations)
            member = r.choice(a.v)
            if r.random() < 0.3:
                member[0] = respell(r, member[0])
            again = respell(r, member[0])
            if r.random() < 0.2:
                again.insert(r.randrange(len(again) + 1), r.choice([b"x", b"\\u0078", b" ", b"\\\\"]))
            a.v.insert(r.randrange(len(a.v) + 1), [again, s(r.choice(ANNOTATION_VALUES), READ, "annotation")])
    else:  # a string nsguard reads, replaced by an odd one
        strs = [x for x, _ in nodes if x.t == "str" and x.kind == READ]
        if strs:
            x = r.choice(strs)
            x.v = pieces(r.choice(PATHS + ODD_PATHS + NS_TYPES + BAD_NS_TYPES))


# ---- serialising -------------------------------------------------------------------


def ws(r, odd):
    if odd and r.random() < 0.02:
        return r.choice([b"\v", b"\f", b"\xc2\xa0", b"\x00"])
    return r.choice([b"", b"", b"", b" ", b"\n  ", b"\t", b"\r\n"])


def dump(r, node, out, odd):
    if node.t == "obj":
        out.append(b"{")
        for i, (key, value) in enumerate(node.v):
            out.append((b"," if i else b"") + ws(r, odd) + b'"' + b"".join(key) + b'"' + ws(r, odd) + b":" +
                       ws(r, odd))
            dump(r, value, out, odd)
        out.append(ws(r, odd) + b"}")
    elif node.t == "arr":
        out.append(b"[")
        for i, item in enumerate(node.v):
            out.append((b"," if i else b"") + ws(r, odd))
            dump(r, item, out, odd)
        out.append(ws(r, odd) + b"]")
    elif node.t == "str":
        out.append(b'"' + b"".join(node.v) + b'"')
    else:
        out.append(node.v.encode())


def document(seed, index):
    r = random.Random("%s:%d" % (seed, index))
    top = g_document(r)
    mutations = r.choice([0, 0, 1, 1, 1, 2, 2, 3, 5])
    for _ in range(mutations):
        mutate(r, top)
    odd = r.random() < 0.1
    out = []
    dump(r, top, out, odd)
    doc = ws(r, odd) + b"".join(out) + ws(r, odd)
    x = r.random()
    if x < 0.02:
        doc = b"\xef\xbb\xbf" + doc
    elif x < 0.05:
        doc += r.choice([b"x", b"{}", b" {}", b"\n]", b"\x00", b"null", b"}"])
    elif x < 0.06:
        doc = doc[:r.randrange(len(doc))]
    return doc


def main():
    sys.setrecursionlimit(20000)  # dump() of the deepest nesting
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", default="1")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--show", type=int)
    a = ap.parse_args()
    if a.show is not None:
        print(repr(document(a.seed, a.show)))
        return
    out = sys.stdout.buffer
    for i in range(a.count):
        doc = document(a.seed, i)
        out.write(b"%d\n" % len(doc))
        out.write(doc)


if __name__ == "__main__":
    main()
