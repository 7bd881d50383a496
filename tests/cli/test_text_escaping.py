"""Strings the inspected project chooses never drive the terminal (issue 9):
an exception text with ESC sequences, BEL, CR, C1 controls and a lone
surrogate, raised from a package that sits in a sys.path entry whose name
holds ESC, CR, BEL and a byte that is not UTF-8. The text report (CLI, with
and without colour, and the shim's) shows them written out and holds no
control character but newlines (and, with colour, its own style codes); the
GitHub format likewise; the JSON is valid UTF-8 and keeps the exact text.
Also the names a gcc-built object carries (a symbol, DT_NEEDED, DT_RUNPATH
with ESC and BEL): inspect, deps and scan text write them out, their JSON
keeps them, and a wheel holding the object is audited (its finding names
the library) without a crash and without control characters.
usage: test_text_escaping.py EXTPROBE PYSHIM_DIR|- SCRATCH_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

extprobe = os.path.abspath(sys.argv[1])
pyshim = None if sys.argv[2] == "-" else os.path.abspath(sys.argv[2])
scratch = os.path.abspath(sys.argv[3])
# The report's own colours (lib/render/text.c); nothing else may be ESC.
STYLES = [b"\033[1m", b"\033[1;31m", b"\033[1;33m", b"\033[1;36m", b"\033[1;32m",
          b"\033[2m", b"\033[0m"]


def controls(data, allow_styles=False):
    """The control characters in data (bytes) other than newline: C0, DEL,
    C1 (U+0080-U+009F), and whether it is valid UTF-8 at all."""
    if allow_styles:
        for s in STYLES:
            data = data.replace(s, b"")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["not UTF-8: %s" % e]
    return sorted({"U+%04X" % ord(c) for c in text
                   if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f})


shutil.rmtree(scratch, ignore_errors=True)
os.makedirs(scratch)
site = os.path.join(scratch.encode(), b"site\x1b[2J\rX\x07\xff")
os.makedirs(os.path.join(site, b"evilpkg"))
with open(os.path.join(site, b"evilpkg", b"__init__.py"), "w") as f:
    f.write('raise ImportError("boom \\x1b]0;owned\\x07 \\x1b[31mred\\r over '
            '\\x9b2J csi \\x85 nel \\ud800 lone")\n')
env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
envb = {k.encode(): v.encode() for k, v in env.items()}
envb[b"PYTHONPATH"] = site
py = "/usr/bin/python3"

# The real interpreter shows the symptom: the import fails with that text.
r = subprocess.run([py, "-c", "import evilpkg"], cwd=scratch, env=envb,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
check(r.returncode == 1 and b"ImportError: boom \x1b]0;owned\x07" in r.stderr,
      "oracle: python -c 'import evilpkg' fails with the raw text (%r)" % r.stderr[-200:])


def run(argv, cwd=scratch, extra=None):
    e = dict(envb)
    e.update(extra or {})
    r = subprocess.run(argv, cwd=cwd, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    return r.returncode, r.stdout, r.stderr


base = [extprobe, "explain", "evilpkg", "--python", py, "-C", scratch]
rc, out, err = run(base)
check(rc == 1 and b"boom" in out, "text: exit 1, the report names the error (got %s: %r)"
      % (rc, err[-200:]))
check(not controls(out), "text: no control character but newline: %s" % controls(out))
check(b"\\x1b]0;owned\\x07" in out and b"\\r over" in out and b"\\u009b2J" in out,
      "text: the controls of the message are written out (\\x1b, \\x07, \\r, \\u009b)")
check(b"site\\x1b[2J\\rX\\x07\\xff" in out,
      "text: the sys.path entry's name written out, its non-UTF-8 byte as \\xff")

rc, out, err = run(base + ["--color", "always"])
check(b"\033[1m" in out and not controls(out, allow_styles=True),
      "text with colour: only the report's own style codes: %s"
      % controls(out, allow_styles=True))

rc, out, err = run(base + ["--format", "github"])
check(rc == 1 and out.startswith(b"::") and not controls(out),
      "github: workflow commands without control characters: %s" % controls(out))

rc, out, err = run(base + ["--json"])
try:
    doc = json.loads(out.decode("utf-8"))
    ok = True
except (UnicodeDecodeError, ValueError) as e:
    doc, ok = {}, False
    print("  json:", e)
check(ok, "json: valid UTF-8 and valid JSON")
msgs = " ".join(str(f.get("detail")) + str(f.get("summary")) for f in doc.get("findings", []))
check("\x1b]0;owned\x07" in msgs and "\r over" in msgs,
      "json: the exact message, controls and all (as JSON escapes)")

# A compiled object holds names its builder chose: a symbol, a DT_NEEDED
# name, a DT_RUNPATH. inspect, deps, scan and wheel show them written out
# in text; the JSON keeps them exact. Built with gcc; readelf is the oracle
# that the bytes are really in the file.
objdir = os.path.join(scratch.encode(), b"obj")
os.makedirs(objdir)
esc_lib = b"libg\x1b[31m.so"
with open(os.path.join(objdir, b"g.c"), "w") as f:
    f.write("int g(void) { return 2; }\n")
with open(os.path.join(objdir, b"m.c"), "w") as f:
    f.write('int g(void);\n'
            'int init(void) __asm__("\\"PyInit_m\\033[31mRED\\"");\n'
            'int init(void) { return g(); }\n')
runpath = b"/nonexistent/\x1b]0;title\x07"
rg = subprocess.run([b"gcc", b"-shared", b"-fPIC", b"-o", esc_lib, b"g.c"],
                    cwd=objdir, capture_output=True)
rm = subprocess.run([b"gcc", b"-shared", b"-fPIC", b"-o", b"m.so", b"m.c",
                     b"-L.", b"-lg\x1b[31m", b"-Wl,-rpath," + runpath],
                    cwd=objdir, capture_output=True)
mod = os.path.join(objdir, b"m.so")
data = open(mod, "rb").read() if rm.returncode == 0 else b""
check(rg.returncode == 0 and rm.returncode == 0 and
      b"PyInit_m\x1b[31mRED\0" in data and esc_lib + b"\0" in data and
      runpath + b"\0" in data,
      "oracle: gcc put the ESC bytes in the symbol, DT_NEEDED and DT_RUNPATH "
      "strings (%r %r)" % (rg.stderr[-200:], rm.stderr[-200:]))


def strings_of(doc):
    """Every string in a JSON document."""
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield from strings_of(k)
            yield from strings_of(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from strings_of(v)


for name, argv in (("inspect", [extprobe, "inspect", "--symbols", mod]),
                   ("deps", [extprobe, "deps", "--standalone", mod]),
                   ("scan", [extprobe, "scan", "--python", py, objdir])):
    rc, out, err = run(argv)
    check(b"\\x1b[31m" in out and not controls(out) and not controls(err),
          "%s text: the object's names written out, no control character: "
          "%s %s" % (name, controls(out), controls(err)))
    check(b"\x1b" not in out, "%s text: no ESC byte at all" % name)
for name, argv in (("inspect", [extprobe, "inspect", "--json", mod]),
                   ("deps", [extprobe, "deps", "--json", "--standalone", mod])):
    rc, out, err = run(argv)
    try:
        found = set(strings_of(json.loads(out.decode("utf-8"))))
    except (UnicodeDecodeError, ValueError):
        found = set()
    check("PyInit_m\x1b[31mRED" in found or
          any(s.startswith("libg\x1b[31m.so") for s in found),
          "%s json: valid, and keeps the exact names" % name)
# The same module in a wheel: its finding (a library neither in the wheel
# nor allowed by the tag) names the DT_NEEDED entry. (libzip reads a zip
# name without the UTF-8 flag as CP437, so an ESC in a member name arrives
# as U+2190 and never as a control character.)
import zipfile
whl = os.path.join(scratch, "evil-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")
with zipfile.ZipFile(whl, "w") as z:
    z.write(mod.decode("utf-8", "surrogateescape"),
            "evil/m.cpython-311-x86_64-linux-gnu.so")
    z.writestr("evil-1.0.dist-info/WHEEL",
               "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n"
               "Tag: cp311-cp311-manylinux_2_17_x86_64\n")
    z.writestr("evil-1.0.dist-info/RECORD", "")
for color in ("never", "always"):
    rc, out, err = run([extprobe, "wheel", "--color", color, whl])
    check(rc in (0, 1) and b"libg\\x1b[31m.so" in out and
          not controls(out, allow_styles=color == "always"),
          "wheel text (--color %s): exit 0 or 1, the library's name written out, "
          "no control character (rc %s): %s %r"
          % (color, rc, controls(out, allow_styles=color == "always"), err[-200:]))

if pyshim is None:
    print("note: the shim's text is not checked: this build's shim is built with "
          "AddressSanitizer and cannot load into %s" % py)
else:
    rc, out, err = run([py, "-m", "extprobe", "evilpkg"],
                       extra={b"PYTHONPATH": pyshim.encode() + b":" + site})
    check(rc == 1 and b"boom" in out and not controls(out),
          "shim text: exit 1, no control character but newline (got %s: %s %r)"
          % (rc, controls(out), err[-300:]))

finish()
