#!/usr/bin/python3
"""Differential test of the loader emulation against the real loader.

For every shared object at the top level of /usr/lib/x86_64-linux-gnu and
every extension module of the installed Debian Python packages, run
`ldd FILE` (which is `ld.so --list FILE`: the real loader, in trace mode) and
`extprobe deps --standalone --json FILE` (the emulation of the same load),
and require:
  - the same set of resolved files (symlinks normalised with realpath),
  - the same set of names reported "not found",
  - the same missing version requirements.
Python extension modules are also compared in Python mode
(`--python /usr/bin/python3`): the interpreter's own libraries are already
loaded there, which must not change what the module resolves to.

Usage: deps_vs_ldd.py EXTPROBE [FILE...]   (no FILE: the whole corpus)
Exit 0 when all agree, 1 on any disagreement, 77 (skip) without ldd.
Documented exceptions are listed in EXCEPTIONS with the reason.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

LIBDIR = "/usr/lib/x86_64-linux-gnu"
PYDIRS = ["/usr/lib/python3/dist-packages", "/usr/lib/python3.11/lib-dynload"]
PYTHON = "/usr/bin/python3"

# Files whose ldd output cannot be compared, with the reason. Keys are
# realpaths.
EXCEPTIONS = {
    # ldd refuses the dynamic loader itself ("statically linked"): ld.so is
    # its own interpreter and `ld.so --list ld.so` has nothing to list.
    os.path.realpath("/lib64/ld-linux-x86-64.so.2"):
        "the dynamic loader: ldd reports it as statically linked",
}

LDD_FOUND = re.compile(r"^\t(\S+) => (\S+) \(0x[0-9a-f]+\)$")
LDD_NOTFOUND = re.compile(r"^\t(\S+) => not found$")
LDD_PLAIN = re.compile(r"^\t(\S+) \(0x[0-9a-f]+\)$")
LDD_VERSION = re.compile(
    r"^.*?: (\S+): version `([^']+)' not found \(required by (\S+)\)$")


def is_elf_dyn(path):
    """True for a regular ELF file of type ET_DYN (what ldd can list)."""
    try:
        with open(path, "rb") as f:
            head = f.read(18)
    except OSError:
        return False
    return (len(head) == 18 and head[:4] == b"\x7fELF" and head[5] == 1
            and int.from_bytes(head[16:18], "little") == 3)


def corpus():
    seen = set()
    files = []
    for name in sorted(os.listdir(LIBDIR)):
        path = os.path.join(LIBDIR, name)
        if ".so" not in name or not os.path.isfile(path):
            continue
        real = os.path.realpath(path)
        if real in seen or not is_elf_dyn(path):
            continue
        seen.add(real)
        files.append(path)
    pyfiles = []
    for top in PYDIRS:
        for dirpath, _, names in os.walk(top):
            for name in sorted(names):
                if not name.endswith(".so"):
                    continue
                path = os.path.join(dirpath, name)
                real = os.path.realpath(path)
                if real in seen or not is_elf_dyn(path):
                    continue
                seen.add(real)
                pyfiles.append(path)
    return files, pyfiles


def run_ldd(path):
    p = subprocess.run(["ldd", path], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C"), timeout=60)
    found, missing, versions = set(), set(), set()
    for line in p.stdout.splitlines():
        m = LDD_FOUND.match(line)
        if m:
            found.add(os.path.realpath(m.group(2)))
            continue
        m = LDD_NOTFOUND.match(line)
        if m:
            missing.add(m.group(1))
            continue
        m = LDD_PLAIN.match(line)
        if m:
            if m.group(1).startswith("linux-vdso"):
                continue
            found.add(os.path.realpath(m.group(1)))
            continue
        m = LDD_VERSION.match(line)
        if m:
            versions.add((os.path.realpath(m.group(1)), m.group(2),
                          os.path.realpath(m.group(3))))
    return p.returncode, found, missing, versions, p.stdout + p.stderr


def run_extprobe(extprobe, path, python=None):
    args = [extprobe, "deps", "--json", path]
    args += ["--python", python] if python else ["--standalone"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 1):
        return None, p.stderr
    doc = json.loads(p.stdout)
    found, missing = set(), set()
    for lib in doc["libraries"]:
        if lib["path"] is not None:
            found.add(os.path.realpath(lib["path"]))
        elif lib["error"] is None:
            missing.add(lib["name"])
    versions = {(os.path.realpath(m["path"]), m["version"],
                 os.path.realpath(m["needed_by"]))
                for m in doc["missing_versions"]}
    return (found, missing, versions, doc), p.stderr


def compare(extprobe, path, python=None):
    """Returns None when both agree, else a description."""
    real = os.path.realpath(path)
    if real in EXCEPTIONS:
        return None
    rc, lfound, lmissing, lversions, ltext = run_ldd(path)
    if rc != 0 and not lfound and not lmissing:
        return "ldd failed: " + ltext.strip()[:200]
    res, err = run_extprobe(extprobe, path, python)
    if res is None:
        return "extprobe failed: " + err.strip()[:300]
    efound, emissing, eversions, doc = res
    # ld.so lists the root itself only when something needs it back.
    lfound.discard(real)
    efound.discard(real)
    problems = []
    if lfound != efound:
        problems.append("resolved: only ldd %s, only extprobe %s" % (
            sorted(lfound - efound), sorted(efound - lfound)))
    if lmissing != emissing:
        problems.append("not found: ldd %s, extprobe %s" % (
            sorted(lmissing), sorted(emissing)))
    if python is None and lversions != eversions:
        problems.append("missing versions: ldd %s, extprobe %s" % (
            sorted(lversions), sorted(eversions)))
    return "; ".join(problems) or None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    extprobe = sys.argv[1]
    if shutil.which("ldd") is None:
        print("SKIP: ldd is not installed")
        return 77
    if len(sys.argv) > 2:
        files, pyfiles = sys.argv[2:], []
    else:
        files, pyfiles = corpus()
    jobs = [(f, None) for f in files + pyfiles]
    if os.access(PYTHON, os.X_OK):
        jobs += [(f, PYTHON) for f in pyfiles]
    failures = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda j: (j, compare(extprobe, *j)), jobs)
        for (path, python), problem in results:
            if problem:
                failures.append((path, python, problem))
    for path, python, problem in failures:
        mode = "python" if python else "standalone"
        print("DIFF %s [%s]: %s" % (path, mode, problem))
    for real, why in sorted(EXCEPTIONS.items()):
        print("exception %s: %s" % (real, why))
    print("%d files (%d shared objects, %d extension modules), %d comparisons,"
          " %d disagreements" % (len(files) + len(pyfiles), len(files),
                                 len(pyfiles), len(jobs), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
