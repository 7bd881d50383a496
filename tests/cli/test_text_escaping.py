"""Strings the inspected project chooses never drive the terminal (issue 9):
an exception text with ESC sequences, BEL, CR, C1 controls and a lone
surrogate, raised from a package that sits in a sys.path entry whose name
holds ESC, CR, BEL and a byte that is not UTF-8. The text report (CLI, with
and without colour, and the shim's) shows them written out and holds no
control character but newlines (and, with colour, its own style codes); the
GitHub format likewise; the JSON is valid UTF-8 and keeps the exact text.
usage: test_text_escaping.py EXTPROBE PYSHIM_DIR|- SCRATCH_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys

extprobe = os.path.abspath(sys.argv[1])
pyshim = None if sys.argv[2] == "-" else os.path.abspath(sys.argv[2])
scratch = os.path.abspath(sys.argv[3])
failures = []
checks = 0
# The report's own colours (lib/render/text.c); nothing else may be ESC.
STYLES = [b"\033[1m", b"\033[1;31m", b"\033[1;33m", b"\033[1;36m", b"\033[1;32m",
          b"\033[2m", b"\033[0m"]


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
    print("%s: %s" % ("ok  " if cond else "FAIL", what), flush=True)


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

if pyshim is None:
    print("note: the shim's text is not checked: this build's shim is built with "
          "AddressSanitizer and cannot load into %s" % py)
else:
    rc, out, err = run([py, "-m", "extprobe", "evilpkg"],
                       extra={b"PYTHONPATH": pyshim.encode() + b":" + site})
    check(rc == 1 and b"boom" in out and not controls(out),
          "shim text: exit 1, no control character but newline (got %s: %s %r)"
          % (rc, controls(out), err[-300:]))

print("%d checks, %d failed" % (checks, len(failures)))
sys.exit(1 if failures else 0)
