#!/usr/bin/python3
"""Differential test of the loader emulation against the real loader.

For every shared object at the top level of /usr/lib/x86_64-linux-gnu and
every extension module of the installed Debian Python packages, run
`ldd -r FILE` (which is `ld.so --list FILE` with every relocation processed:
the real loader, in trace mode) and `extprobe deps --standalone --json FILE`
(the emulation of the same load), and require:
  - the same set of resolved files (symlinks normalised with realpath),
  - the same set of names reported "not found",
  - the same missing version requirements,
  - the same undefined symbols of FILE itself (ldd -r also reports those of
    its libraries, which extprobe does not check).
Python extension modules are also compared in Python mode
(`--python /usr/bin/python3`): the interpreter's own libraries are already
loaded there, which must not change what the module resolves to; and there
the oracle is the interpreter itself: ctypes.CDLL(FILE) in a fresh
`python3 -S` (dlopen with RTLD_NOW, nothing initialised) must succeed
exactly when extprobe says the load succeeds, and when it fails its
message must name something extprobe reports (a library, a version or a
symbol). Debian's python3.11-dbg modules (*.cpython-311d-*.so) need the
debug interpreter's symbols: the release interpreter refuses most of them,
and so must extprobe.
Finally the whole corpus is run again in one `extprobe deps FILE...`
session per mode, which must give every file the answer it got alone.

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
LDD_UNDEFINED = re.compile(
    r"^undefined symbol: (\S+?)(?:, version (\S+))?\t\((\S+)\)$")


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
    p = subprocess.run(["ldd", "-r", path], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C"), timeout=60)
    found, missing, versions, undefined = set(), set(), set(), set()
    real = os.path.realpath(path)
    for line in (p.stdout + p.stderr).splitlines():
        m = LDD_UNDEFINED.match(line)
        if m:
            if os.path.realpath(m.group(3)) == real:
                undefined.add((m.group(1), m.group(2)))
            continue
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
    return p.returncode, found, missing, versions, undefined, p.stdout + p.stderr


def summary(doc):
    found, missing = set(), set()
    for lib in doc["libraries"]:
        if lib["path"] is not None:
            found.add(os.path.realpath(lib["path"]))
        elif lib["error"] is None:
            missing.add(lib["name"])
    versions = {(os.path.realpath(m["path"]), m["version"],
                 os.path.realpath(m["needed_by"]))
                for m in doc["missing_versions"]}
    unresolved = {(u["name"], u["version"]) for u in doc["unresolved_symbols"]}
    return found, missing, versions, unresolved


def efound_problems(res):
    _, missing, versions, unresolved = res
    return missing or versions or unresolved


def reported(res):
    """Names extprobe gives for a failing load, as dlopen() would cite
    them."""
    _, missing, versions, unresolved = res
    return ({m for m in missing} | {v for _, v, _ in versions} |
            {n for n, _ in unresolved})


ALONE = {}  # (path, python) -> summary of the file analysed alone
UNDEFINED = {}  # path -> undefined symbols of the file itself per ldd -r
REFUSED = {}  # path -> the interpreter's dlopen() failed


def run_extprobe(extprobe, path, python=None):
    args = [extprobe, "deps", "--json", path]
    args += ["--python", python] if python else ["--standalone"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 1):
        return None, p.stderr
    res = summary(json.loads(p.stdout))
    ALONE[(path, python)] = res
    return res, p.stderr


def batch_disagreements(extprobe, paths, python):
    """Files whose answer in one session differs from their answer alone."""
    args = [extprobe, "deps", "--json"]
    args += ["--python", python] if python else ["--standalone"]
    p = subprocess.run(args + paths, capture_output=True, text=True,
                       timeout=600)
    if p.returncode not in (0, 1):
        return [("(batch)", python, "extprobe failed: " + p.stderr[:300])]
    docs = json.loads(p.stdout)
    docs = docs["files"] if len(paths) > 1 else [docs]
    out = []
    for path, doc in zip(paths, docs):
        alone = ALONE.get((path, python))
        if alone is not None and summary(doc) != alone:
            out.append((path, python, "differs in a session from alone"))
    return out


REAL_DLOPEN = ("import ctypes, sys\n"
               "try:\n"
               "    ctypes.CDLL(sys.argv[1])\n"
               "except OSError as e:\n"
               "    print(e)\n"
               "    sys.exit(1)\n")


def real_dlopen(python, path):
    """The interpreter's own verdict: (loads, message)."""
    p = subprocess.run([python, "-S", "-c", REAL_DLOPEN, path],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, LC_ALL="C"))
    return p.returncode == 0, (p.stdout + p.stderr).strip()


def compare(extprobe, path, python=None):
    """Returns None when both agree, else a description."""
    real = os.path.realpath(path)
    if real in EXCEPTIONS:
        return None
    rc, lfound, lmissing, lversions, lundef, ltext = run_ldd(path)
    if rc != 0 and not lfound and not lmissing:
        return "ldd failed: " + ltext.strip()[:200]
    res, err = run_extprobe(extprobe, path, python)
    if res is None:
        return "extprobe failed: " + err.strip()[:300]
    efound, emissing, eversions, eundef = res
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
    if python is not None:
        loads, message = real_dlopen(python, path)
        REFUSED[path] = not loads
        ok = not efound_problems(res)
        if loads != ok:
            problems.append("the interpreter %s it (%s), extprobe says it %s"
                            % ("loads" if loads else "refuses", message[:200],
                               "loads" if ok else "does not"))
        elif not loads and not any(n in message for n in reported(res)):
            problems.append("the interpreter's reason is not among "
                            "extprobe's: " + message[:200])
    if python is None and lundef != eundef:
        problems.append("undefined symbols: only ldd %s, only extprobe %s" % (
            sorted(lundef - eundef)[:10], sorted(eundef - lundef)[:10]))
    UNDEFINED[path] = len(lundef)
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
    failures += batch_disagreements(extprobe, files + pyfiles, None)
    if pyfiles and os.access(PYTHON, os.X_OK):
        failures += batch_disagreements(extprobe, pyfiles, PYTHON)
    for path, python, problem in failures:
        mode = "python" if python else "standalone"
        print("DIFF %s [%s]: %s" % (path, mode, problem))
    for real, why in sorted(EXCEPTIONS.items()):
        print("exception %s: %s" % (real, why))
    nlibs = sum(len(r[0]) for r in ALONE.values())
    print("%d files (%d shared objects, %d extension modules), %d comparisons"
          " (%d resolved libraries, %d undefined symbols), %d disagreements;"
          " then one session per mode" % (
              len(files) + len(pyfiles), len(files), len(pyfiles), len(jobs),
              nlibs, sum(UNDEFINED.values()), len(failures)))
    print("in %s: %d modules load, %d are refused (as extprobe says)" % (
        PYTHON, sum(not r for r in REFUSED.values()),
        sum(REFUSED.values())))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
