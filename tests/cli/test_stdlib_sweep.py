#!/usr/bin/env python3
"""No false alarms on healthy interpreters: for every interpreter here
(Debian's python3, each pyenv CPython 2.7 and 3.6-3.13), the compiled
standard-library modules `extprobe scan` lists under its lib-dynload are
explained one by one and compared with the real `python -c "import M"`:
the verdict (exit status, importable) must be the real one, and a module
of the interpreter's own build gets no finding at all, from explain or
from scan (Python 2's modules define init<name>, not PyInit_<name>). (CPython before 3.8
built with --enable-shared links its lib-dynload modules against its own
libpython: that is the build, not a defect to warn about.)

usage: test_stdlib_sweep.py EXTPROBE [PER_INTERPRETER]
"""
import glob
import json
import os
import subprocess
import sys

EXTPROBE = os.path.abspath(sys.argv[1])
PER = int(sys.argv[2]) if len(sys.argv) > 2 else 8
failures, checks = [], 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL: " + what, flush=True)


def env():
    e = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        e[var] = ":".join(x for x in (e.get(var, ""), "exitcode=86") if x)
    return e


def interpreters():
    found = [("/usr/bin/python3", "debian")]
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    for d in sorted(glob.glob(os.path.join(root, "versions", "*"))):
        exe = os.path.join(d, "bin", "python")
        if os.path.basename(d)[:1].isdigit() and os.access(exe, os.X_OK):
            found.append((exe, os.path.basename(d)))
    return found


def main():
    scratch = "/tmp"
    for py, name in interpreters():
        s = subprocess.run([EXTPROBE, "scan", "--python", py, "--json"], capture_output=True,
                           text=True, timeout=300, env=env(), cwd=scratch)
        try:
            doc = json.loads(s.stdout)
        except ValueError:
            check(False, "%s: scan --json is not JSON (exit %d): %s"
                  % (name, s.returncode, s.stderr[-300:]))
            continue
        dynload = [m for m in doc["modules"] if os.sep + "lib-dynload" + os.sep in m["file"]]
        mods = [m["module"] for m in dynload if "." not in m["module"]]
        check(len(mods) > 0, "%s: scan lists lib-dynload modules" % name)
        noisy = ["%s: %s" % (m["module"], [f["code"] for f in m["findings"]])
                 for m in dynload if m["findings"]]
        check(not noisy, "%s: scan finds nothing wrong with the interpreter's own "
              "lib-dynload: %s" % (name, noisy[:5]))
        # Spread over the alphabet, not the first few only.
        step = max(1, len(mods) // PER)
        for mod in mods[::step][:PER]:
            real = subprocess.run([py, "-c", "import " + mod], capture_output=True, text=True,
                                  timeout=60, env=env(), cwd=scratch)
            r = subprocess.run([EXTPROBE, "explain", mod, "--python", py, "--json"],
                               capture_output=True, text=True, timeout=300, env=env(),
                               cwd=scratch)
            try:
                rep = json.loads(r.stdout)
            except ValueError:
                check(False, "%s %s: explain --json is not JSON (exit %d): %s"
                      % (name, mod, r.returncode, r.stderr[-300:]))
                continue
            want = 0 if real.returncode == 0 else 1
            codes = ["%s/%s" % (f["code"], f["severity"]) for f in rep["findings"]]
            check(r.returncode == want and rep["importable"] == (want == 0),
                  "%s %s: exit %d importable %s, the real import exits %d"
                  % (name, mod, r.returncode, rep["importable"], real.returncode))
            check(want != 0 or not codes,
                  "%s %s: imports, yet findings %s" % (name, mod, codes))
        print("%s: %d lib-dynload modules, %d explained" % (name, len(mods),
              len(mods[::step][:PER])), flush=True)
    print("%d checks, %d failed" % (checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
