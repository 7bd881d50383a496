#!/usr/bin/env python3
"""Derive the Stable ABI manifest (PEP 384, PEP 652) from installed CPythons.

Writes lib/pyabi/stable_abi.txt: one row per exported name of the Stable ABI
(function or data), with the 3.x version in which it joined and whether it is
abi-only (in the Stable ABI, not in the Limited API).  Nothing is copied from
CPython's Misc/stable_abi.toml: every row is derived from the headers and the
shared libpython of the interpreters installed on this machine, so the data
can be checked and regenerated here:

    /usr/bin/python3 scripts/gen_stable_abi.py            # rewrite the file
    /usr/bin/python3 scripts/gen_stable_abi.py --check    # exit 1 if it differs
    /usr/bin/python3 scripts/gen_stable_abi.py --explain NAME

Sources: the newest pyenv CPython of each minor 3.6-3.13, Debian's python3
(3.11) and python3.11-dbg when present.  Needs clang (for its JSON AST) and
readelf.  For each source (headers of 3.X) and each level Y in 2..X:

  1. clang parses `#define Py_LIMITED_API 0x030Y0000` + `#include <Python.h>`
     (once without and once with PY_SSIZE_T_CLEAN, which renames the
     PyArg_Parse family to its _SizeT variants).  The functions and
     variables with external linkage it declares are the Limited API of 3.Y
     as seen by the 3.X headers; the headers' own guards
     (`Py_LIMITED_API+0 >= 0x030A0000`) decide what each level sees.
  2. The names the active macros (`clang -E -dM`) and the bodies of the
     static inline functions refer to are what a module compiled at that
     level may end up importing without naming them: _Py_Dealloc,
     _Py_NoneStruct, _PyObject_GC_New, ...  Underscore names count only
     through this route: an underscore name merely declared in a limited
     header (old headers leaked _PyBytes_Resize and friends) was never
     meant for abi3 code.
  3. A name counts only when the libpython of that source exports it
     (readelf --dyn-syms; FUNC -> function, OBJECT -> data), and the newest
     libpython of the same build flavour (release or debug) still does: the
     Stable ABI never shrinks, so a name the newest CPython dropped was a
     leak, not a promise.

The version a name joined is its lowest level Y in the newest header set that
still has it (newer headers carry the precise guards added by the PEP 652
audit); names gone from the newest headers take the level of the newest
header set that had them, and are abi-only, like every underscore name.

Limitations, stated in the output's header too: CPython 3.2-3.5 are not
installed, so a name the 3.6 headers show without a guard is "3.2" even if
it joined in 3.3-3.5 (the guards of 3.3+ names say otherwise where the
headers have them); names that exist only on other platforms (Windows-only
PyErr_SetFromWindowsErr..., USE_STACKCHECK's PyOS_CheckStack) are absent,
which does not matter on Linux where no libpython exports them.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "lib", "pyabi", "stable_abi.txt")
MIN_MINOR, MAX_MINOR = 6, 13
EXTRA_HEADERS = ("pythread.h", "structmember.h", "marshal.h")

QUERY = ("import sysconfig, sys; c = sysconfig.get_config_var; "
         "print(sys.version_info[1], sysconfig.get_paths()['include'], "
         "c('LIBDIR'), c('INSTSONAME'), int(bool(c('Py_DEBUG'))), "
         "int(bool(c('Py_GIL_DISABLED'))))")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def pyenv_pythons():
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    vdir = os.path.join(root, "versions")
    newest = {}
    for v in os.listdir(vdir) if os.path.isdir(vdir) else []:
        m = re.fullmatch(r"3\.(\d+)\.(\d+)", v)   # no 3.13t, no -dev
        if m:
            key = int(m.group(1))
            if key not in newest or int(m.group(2)) > newest[key][0]:
                newest[key] = (int(m.group(2)), os.path.join(vdir, v, "bin", "python3"))
    return [newest[k][1] for k in sorted(newest)]


class Source:
    """One interpreter's headers and shared libpython."""

    def __init__(self, python):
        out = run([python, "-c", QUERY]).split()
        self.python = python
        self.minor = int(out[0])
        self.include = out[1]
        self.lib = os.path.join(out[2], out[3])
        self.debug = out[4] == "1"
        self.label = "%s (3.%d%s)" % (python, self.minor, "d" if self.debug else "")
        if out[5] == "1":
            raise ValueError("free-threaded build: not an abi3 target")
        if not os.path.exists(self.lib):
            raise ValueError("no shared libpython at " + self.lib)

    def exports(self):
        """name -> 'function' | 'data' for the defined global dynamic symbols."""
        names = {}
        for line in run(["readelf", "--dyn-syms", "-W", self.lib]).splitlines():
            f = line.split()
            if len(f) >= 8 and f[6] != "UND" and f[4] in ("GLOBAL", "WEAK"):
                kind = {"FUNC": "function", "OBJECT": "data"}.get(f[3])
                if kind:
                    names[f[7].split("@")[0]] = kind
        return names


def wanted(name):
    return name.startswith(("Py", "_Py"))


def refs_in(node, acc):
    """Collect the functions and variables an AST subtree refers to."""
    if isinstance(node, dict):
        ref = node.get("referencedDecl")
        if ref and ref.get("kind") in ("FunctionDecl", "VarDecl") and wanted(ref.get("name", "")):
            acc.add(ref["name"])
        for child in node.get("inner", ()):
            refs_in(child, acc)


def parse_level(src, level, clean, tmp):
    """(declared, referenced) names of src's headers at Py_LIMITED_API 3.level."""
    probe = os.path.join(tmp, "probe.c")
    with open(probe, "w") as f:
        if clean:
            f.write("#define PY_SSIZE_T_CLEAN\n")
        f.write("#define Py_LIMITED_API 0x03%02x0000\n#include <Python.h>\n" % level)
        # Public headers Python.h did not always include (pythread.h before
        # 3.7, structmember.h before 3.12): modules include them themselves.
        for extra in EXTRA_HEADERS:
            if os.path.exists(os.path.join(src.include, extra)):
                f.write("#include <%s>\n" % extra)
    base = ["clang", "-I", src.include, "-w"]
    ast = json.loads(run(base + ["-Xclang", "-ast-dump=json", "-fsyntax-only", probe]))
    declared, referenced = {}, set()
    for node in ast.get("inner", ()):
        name = node.get("name", "")
        if node.get("kind") not in ("FunctionDecl", "VarDecl") or not wanted(name):
            continue
        if node.get("storageClass") == "static":
            refs_in(node, referenced)       # a static inline body
        elif not node.get("isImplicit"):
            declared[name] = "function" if node["kind"] == "FunctionDecl" else "data"
    # Macros: an identifier in any active definition may be pasted into the
    # module's code (Py_None -> _Py_NoneStruct).
    # An identifier that is itself a macro is expanded again, so only the
    # others (and a macro's own name in its body, which is not re-expanded)
    # reach the object file.
    macros = {}
    for line in run(base + ["-E", "-dM", probe]).splitlines():
        m = re.match(r"#define (\w+)(\([^)]*\))?\s*(.*)", line)
        if m:
            macros[m.group(1)] = m.group(3)
    for mname, body in macros.items():
        referenced.update(w for w in re.findall(r"\b[A-Za-z_]\w*", body)
                          if wanted(w) and (w not in macros or w == mname))
    return declared, referenced


def derive(sources, verbose):
    seen = {}            # name -> [(minor, level, how, kind, label)]
    first = {}           # name -> lowest minor whose libpython exports it
    newest = {}          # flavour (debug?) -> exports of its newest source
    for src in sorted(sources, key=lambda s: s.minor):
        exports = src.exports()
        newest[src.debug] = exports
        for name in exports:
            if wanted(name) and (not src.debug or name not in first):
                first[name] = min(first.get(name, 99), src.minor)
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources:
            exports = src.exports()
            for level in range(2, src.minor + 1):
                for clean in (False, True):
                    declared, referenced = parse_level(src, level, clean, tmp)
                    for name in set(declared) | referenced:
                        if name not in exports or name not in newest[src.debug]:
                            continue
                        if name.startswith("_") and name not in referenced:
                            continue
                        how = "declared" if name in declared else "macro"
                        seen.setdefault(name, []).append(
                            (src.minor, level, how, exports[name], src.label))
                if verbose:
                    print("%s: level 3.%d: %d names so far" % (src.label, level, len(seen)),
                          file=sys.stderr)
    newest_minor = max(s.minor for s in sources if not s.debug)
    rows = {}
    for name, obs in seen.items():
        # Each header set gives the lowest level that shows the name; the
        # highest of these wins, as a header without a guard says nothing
        # (3.13.0's abstract.h declares PyVectorcall_Call for every level).
        by_minor = {}
        for o in obs:
            by_minor[o[0]] = min(by_minor.get(o[0], 99), o[1])
        level = max(by_minor.values())
        # Nor can a name have joined before the first CPython whose limited
        # headers show it, or before the first whose libpython exports it; a
        # private name the macros reach joined when its export appeared
        # (_Py_IncRef: exported by 3.10, used by the macros of 3.12).  What
        # the oldest source already has says only "this or earlier".
        def floor(minor):
            return minor if minor > MIN_MINOR else None
        exported = floor(first[name])
        if name.startswith("_"):
            added = exported or level
        else:
            added = max(level, floor(min(by_minor)) or 2, exported or 2)
        kinds = {o[3] for o in obs}
        # Abi-only: private, or gone from the newest Limited API.
        in_newest_api = any(o[0] == newest_minor and o[1] == newest_minor and
                            o[2] == "declared" for o in obs)
        abi_only = name.startswith("_") or not in_newest_api
        if len(kinds) != 1:
            raise SystemExit("%s: exported as both function and data" % name)
        rows[name] = (kinds.pop(), added, abi_only)
    return rows, seen


HEADER = """\
# The Stable ABI of CPython (PEP 384, PEP 652): every exported name, function
# or data, with the 3.x version in which it joined, and whether it is abi-only
# (part of the Stable ABI but not of the Limited API: underscore names the
# Limited API's macros expand to, and names since dropped from the headers).
#
# Generated by scripts/gen_stable_abi.py from the headers and shared libpython
# of the CPythons installed on the machine that ran it; do not edit by hand.
# Regenerate: /usr/bin/python3 scripts/gen_stable_abi.py
# Sources: {sources}
#
# Limitations: CPython 3.2-3.5 were not available, so a name that the 3.6
# headers declare without a version guard is listed as 3.2 even if it joined
# in 3.3-3.5; names that exist only on other platforms (Windows-only
# functions, PyOS_CheckStack) are not listed, as no Linux libpython has them.
#
# Columns: name, kind (function|data), added (3.x), abi_only (yes|no).
"""


def render(rows, sources):
    srcs = ", ".join("3.%d%s %s" % (s.minor, "d" if s.debug else "", s.include)
                     for s in sorted(sources, key=lambda s: (s.minor, s.include)))
    # keep comment lines within 79 columns
    words, lines, cur = srcs.split(" "), [], "# Sources:"
    for w in words:
        if len(cur) + 1 + len(w) > 78:
            lines.append(cur)
            cur = "#  "
        cur += " " + w
    lines.append(cur)
    head = HEADER.replace("# Sources: {sources}", "\n".join(lines))
    body = ["%s %s 3.%d %s" % (n, k, a, "yes" if ab else "no")
            for n, (k, a, ab) in sorted(rows.items())]
    return head + "\n".join(body) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--output", default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with --output, write nothing")
    ap.add_argument("--explain", metavar="NAME", help="print the observations behind NAME[,NAME...]")
    ap.add_argument("--python", action="append", help="use these interpreters only")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    for tool in ("clang", "readelf"):
        if shutil.which(tool) is None:
            raise SystemExit("gen_stable_abi.py: %s is needed" % tool)
    pythons = args.python or pyenv_pythons() + [
        p for p in ("/usr/bin/python3", "/usr/bin/python3.11-dbg") if os.path.exists(p)]
    sources = []
    for p in pythons:
        try:
            src = Source(p)
        except (ValueError, subprocess.CalledProcessError, OSError) as e:
            print("gen_stable_abi.py: skipping %s: %s" % (p, e), file=sys.stderr)
            continue
        if MIN_MINOR <= src.minor <= MAX_MINOR:
            sources.append(src)
    if not any(s.minor == MIN_MINOR for s in sources) or not any(
            s.minor == MAX_MINOR and not s.debug for s in sources):
        raise SystemExit("gen_stable_abi.py: need CPython 3.%d and 3.%d with shared libpython"
                         % (MIN_MINOR, MAX_MINOR))
    rows, seen = derive(sources, args.verbose)
    if args.explain:
        for name in args.explain.split(","):
            for o in sorted(set(seen.get(name, []))):
                print("%s: headers 3.%d, Py_LIMITED_API 3.%d: %s (%s) [%s]" % ((name,) + o))
            print("%s: %s" % (name, rows.get(name, "not in the manifest")))
        return 0
    text = render(rows, sources)
    if args.check:
        old = open(args.output).read() if os.path.exists(args.output) else ""
        if old != text:
            print("gen_stable_abi.py: %s is out of date" % args.output, file=sys.stderr)
            return 1
        return 0
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        f.write(text)
    print("%s: %d names" % (args.output, len(rows)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
