#!/usr/bin/python3
"""CLI checks of `extprobe deps`: exit codes, the JSON keys of CONTRACT.md,
and the text tree, on the loader fixtures.

Usage: deps_cli.py EXTPROBE FIXTURE_TREE
"""
import json
import os
import subprocess
import sys

EXTPROBE, TREE = sys.argv[1], os.path.abspath(sys.argv[2])
failures = []


def run(*args):
    env = dict(os.environ)
    env.pop("LD_LIBRARY_PATH", None)
    return subprocess.run([EXTPROBE, "deps"] + list(args), capture_output=True,
                          text=True, env=env, timeout=120)


def check(what, cond, detail=""):
    if not cond:
        failures.append("%s %s" % (what, detail))


def fx(rel):
    return os.path.join(TREE, rel)


# Exit codes: 0 loads, 1 anything missing, 2 usage or probe failure.
p = run("--standalone", fx("rpath/mod_rpath.so"))
check("ok exits 0", p.returncode == 0, p.stderr)
check("ok says loads", "result: loads" in p.stdout, p.stdout)
for rel in ("missing/mod_missing.so", "versions/mod_fxv.so",
            "undef/mod_undef.so", "badelf/mod_bad.so",
            "wrongclass/w32/libfxw.so"):
    p = run("--python", fx("exe/fxdlopen"), fx(rel))
    check(rel + " exits 1", p.returncode == 1, "%d %s" % (p.returncode, p.stderr))
for args in ([], ["--no-such-option", "x"]):
    p = run(*args)
    check("usage %r exits 2" % args, p.returncode == 2, str(p.returncode))
    check("usage %r explains" % args, "usage: extprobe deps" in p.stderr,
          p.stderr)
p = run("--python", "no-such-python-xyz", fx("rpath/mod_rpath.so"))
check("missing python exits 2", p.returncode == 2, str(p.returncode))
check("missing python names it", "no-such-python-xyz" in p.stderr, p.stderr)
p = run("--help")
check("--help exits 0", p.returncode == 0 and "--python" in p.stdout)

# JSON: the CONTRACT.md keys, one document.
p = run("--json", "--standalone", fx("missing/mod_missing.so"))
doc = json.loads(p.stdout)
for key in ("schema", "file", "libraries", "missing_versions",
            "unresolved_symbols"):
    check("json key " + key, key in doc)
check("schema 1", doc.get("schema") == 1)
gone = [l for l in doc["libraries"] if l["name"] == "libfxl_gone.so.1"]
check("missing library listed", len(gone) == 1)
if gone:
    lib = gone[0]
    for key in ("name", "path", "how", "needed_by", "tried", "skipped"):
        check("library key " + key, key in lib)
    check("not found: path null", lib["path"] is None)
    check("not found: tried lists places", fx("missing/nowhere") in lib["tried"],
          str(lib["tried"]))
p = run("--json", "--standalone", fx("wrongclass/mod_wrong.so"))
doc = json.loads(p.stdout)
w = [l for l in doc["libraries"] if l["name"] == "libfxw.so"][0]
check("how rpath", w["how"] == "rpath", w["how"])
check("skipped has why", w["skipped"] and w["skipped"][0]["why"].startswith(
    "wrong ELF class"), str(w["skipped"]))
p = run("--json", "--standalone", fx("versions/mod_glibc99.so"))
doc = json.loads(p.stdout)
check("missing version", doc["missing_versions"] and
      doc["missing_versions"][0]["version"] == "GLIBC_2.99" and
      doc["missing_versions"][0]["library"] == "libfxc.so.6",
      str(doc["missing_versions"]))
check("unresolved", doc["unresolved_symbols"] and
      doc["unresolved_symbols"][0]["name"] == "fxc_new")
p = run("--json", "--python", fx("exe/fxdlopen"), fx("exe/mod_exe.so"))
doc = json.loads(p.stdout)
hows = {l["name"]: l["how"] for l in doc["libraries"]}
check("interpreter rpath", hows.get("libfxe.so") == "rpath", str(hows))
check("already loaded", hows.get("libfxs.so.1") == "loaded", str(hows))

# Several files: one session, one report each, the worst exit status, and
# for JSON one {"schema": 1, "files": [...]} document in the given order.
two = [fx("rpath/mod_rpath.so"), fx("missing/mod_missing.so")]
p = run("--standalone", *two)
check("batch exits 1", p.returncode == 1, "%d %s" % (p.returncode, p.stderr))
check("batch: both reports", p.stdout.count("result: ") == 2, p.stdout)
p = run("--standalone", two[0], two[0])
check("batch of loadable files exits 0", p.returncode == 0, p.stderr)
p = run("--json", "--standalone", *two)
doc = json.loads(p.stdout)
check("batch json schema", doc.get("schema") == 1)
check("batch json files", [f["file"] for f in doc.get("files", [])] == two,
      p.stdout[:300])
p = run("--standalone", two[0], fx("no/such/file.so"))
check("batch: a file that cannot be opened exits 1", p.returncode == 1,
      "%d %s" % (p.returncode, p.stderr))

# Text: candidates passed over on the way to a found library are shown.
p = run("--standalone", fx("wrongclass/mod_wrong.so"))
check("text skipped", "skipped:" in p.stdout and
      "wrong ELF class: ELFCLASS32" in p.stdout, p.stdout)

# Text: a missing library shows every place tried.
p = run("--standalone", fx("missing/mod_missing.so"))
check("text NOT FOUND", "libfxl_gone.so.1 NOT FOUND" in p.stdout, p.stdout)
check("text tried", "tried:" in p.stdout and fx("missing/nowhere") in p.stdout,
      p.stdout)

# A FIFO where a library should be: the real loader waits in open() for a
# writer (the oracle: ld.so --list on it is still running after 2 s); deps
# reads it without blocking and says so.
import tempfile  # noqa: E402
with tempfile.TemporaryDirectory() as tmp:
    fifo = os.path.join(tmp, "libfifo.so")
    os.mkfifo(fifo)
    try:
        subprocess.run(["/lib64/ld-linux-x86-64.so.2", "--list", fifo],
                       capture_output=True, timeout=2)
        hung = False
    except subprocess.TimeoutExpired:
        hung = True
    check("oracle: ld.so --list waits on a FIFO", hung)
    p = run("--standalone", fifo)
    check("a FIFO: exit 1 at once, the report says the load hangs",
          p.returncode == 1 and "a FIFO" in p.stdout and "hangs" in p.stdout,
          "%d %r" % (p.returncode, p.stdout[:300]))

for f in failures:
    print("FAIL", f)
print("%d checks failed" % len(failures))
sys.exit(1 if failures else 0)
