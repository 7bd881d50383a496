#!/usr/bin/python3
"""The interpreter process `extprobe deps` models without running anything,
against what each interpreter says of itself: its executable (the realpath
of sys.executable) and, for a shared build, the libpython mapped in its
process (/proc/self/maps), for a pyenv shim under each way pyenv picks a
version, a venv (symlinked and --copies), and a chain of symlinks. A wrapper
script of another kind gives exit 2 and one line, and is not run. Also the
rule of docs/deps.md: without --python, a file with no PyInit_* is loaded
on its own.

Usage: interp_static.py EXTPROBE MODULE SCRATCH
Exit 77 (skip) only when no interpreter at all can be tried.
"""
import json
import os
import shutil
import subprocess
import sys

EXTPROBE, MODULE, SCRATCH = os.path.abspath(sys.argv[1]), \
    os.path.abspath(sys.argv[2]), \
    os.path.abspath(sys.argv[3])
failures = []
compared = 0

# What is really in the process: the executable, and a libpython mapped
# before any import (sysconfig's Py_ENABLE_SHARED is no oracle: Debian's
# python3 says 1, yet its executable has libpython linked in statically).
SELF = ("import os, sys\n"
        "lib = None\n"
        "for line in open('/proc/self/maps'):\n"
        "    f = line.split()[-1]\n"
        "    if os.path.basename(f).startswith('libpython'):\n"
        "        lib = os.path.realpath(f)\n"
        "        break\n"
        "print(os.path.realpath(sys.executable)); print(lib)\n")


def check(what, cond, detail=""):
    if not cond:
        failures.append("%s %s" % (what, detail))
        print("FAIL: %s %s" % (what, detail))
    return cond


def env_with(**changes):
    env = dict(os.environ)
    env.pop("LD_LIBRARY_PATH", None)
    for k, v in changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def oracle(python, cwd, env):
    """(executable, libpython) as the interpreter reports them."""
    p = subprocess.run([python, "-c", SELF], capture_output=True, text=True,
                       cwd=cwd, env=env, timeout=60)
    if p.returncode != 0:
        return None
    exe, lib = p.stdout.split("\n")[:2]
    return exe, None if lib == "None" else lib


def modelled(python, cwd, env, module=MODULE):
    p = subprocess.run([EXTPROBE, "deps", "--json", "--no-symbols",
                        "--python", python, module],
                       capture_output=True, text=True, cwd=cwd, env=env,
                       timeout=60)
    if p.returncode not in (0, 1):
        return None, p
    doc = json.loads(p.stdout)
    py = doc["python"]
    lib = None
    if py["shared"] and py["libpython"]:
        lib = os.path.realpath(py["libpython"])
    return (py["executable"], lib, py["asked"]), p


def compare(what, python, cwd=None, env=None):
    global compared
    env = env or env_with()
    want = oracle(python, cwd, env)
    if want is None:
        print("skip %s: %s does not run here" % (what, python))
        return
    got, p = modelled(python, cwd, env)
    if not check(what + ": extprobe answered", got is not None,
                 p.stderr.strip()):
        return
    compared += 1
    check(what + ": executable", got[0] == want[0],
          "modelled %s, the interpreter says %s" % (got[0], want[0]))
    check(what + ": libpython", got[1] == want[1],
          "modelled %s, the interpreter says %s" % (got[1], want[1]))
    check(what + ": not run", got[2] is False)
    print("ok   %s: %s%s" % (what, got[0], " + " + got[1] if got[1] else ""))


def pyenv_cases():
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    shim = os.path.join(root, "shims", "python3")
    versions_dir = os.path.join(root, "versions")
    if not os.path.exists(shim) or not os.path.isdir(versions_dir):
        print("skip pyenv: no pyenv shim at %s" % shim)
        return
    versions = sorted(v for v in os.listdir(versions_dir)
                      if v[:1] == "3" and os.access(
                          os.path.join(versions_dir, v, "bin", "python3"),
                          os.X_OK))
    work = os.path.join(SCRATCH, "pyenv-cwd", "deeper")
    os.makedirs(work)
    clean = env_with(PYENV_VERSION=None, PYENV_DIR=None)
    compare("pyenv shim, global version", shim, work, clean)
    for v in versions:
        compare("pyenv shim, PYENV_VERSION=%s" % v, shim, work,
                env_with(PYENV_VERSION=v, PYENV_DIR=None))
    if versions:
        # A prefix: pyenv takes the newest installed match.
        short = ".".join(versions[0].split(".")[:2])
        compare("pyenv shim, PYENV_VERSION=%s (prefix)" % short, shim, work,
                env_with(PYENV_VERSION=short, PYENV_DIR=None))
        # .python-version in a parent of the working directory.
        with open(os.path.join(SCRATCH, "pyenv-cwd", ".python-version"),
                  "w") as f:
            f.write("# comment\n%s\n" % versions[-1])
        compare("pyenv shim, .python-version above the cwd", shim, work,
                clean)
        compare("pyenv shim, system", shim, work,
                env_with(PYENV_VERSION="system", PYENV_DIR=None))
        # Through the name on PATH, as `--python python3` finds it.
        compare("python3 on PATH (the shim first)", "python3", work, clean)


def venv_cases():
    bases = ["/usr/bin/python3"]
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for v in ("3.12.1", "3.8.18"):
        p = os.path.join(root, "versions", v, "bin", "python3")
        if os.access(p, os.X_OK):
            bases.append(p)
    for i, base in enumerate(bases):
        for copies in (False, True):
            d = os.path.join(SCRATCH, "venv%d%s" % (i, "c" if copies else ""))
            args = [base, "-m", "venv", "--without-pip", d]
            if copies:
                args.insert(3, "--copies")
            p = subprocess.run(args, capture_output=True, text=True,
                               timeout=120)
            if p.returncode != 0:
                print("skip venv of %s: %s" % (base, p.stderr.strip()[-200:]))
                continue
            compare("venv%s of %s" % (" --copies" if copies else "", base),
                    os.path.join(d, "bin", "python"))


def symlink_chain():
    d = os.path.join(SCRATCH, "links")
    os.makedirs(d)
    os.symlink("/usr/bin/python3", os.path.join(d, "c"))
    os.symlink("c", os.path.join(d, "b"))
    os.symlink(os.path.join(d, "b"), os.path.join(d, "python"))
    compare("symlink chain python -> b -> c -> /usr/bin/python3",
            os.path.join(d, "python"))


def wrapper_refused():
    d = os.path.join(SCRATCH, "wrap")
    os.makedirs(d)
    log = os.path.join(d, "ran")
    w = os.path.join(d, "python3")
    with open(w, "w") as f:
        f.write("#!/bin/sh\ntouch '%s'\nexec /usr/bin/python3 \"$@\"\n" % log)
    os.chmod(w, 0o755)
    p = subprocess.run([EXTPROBE, "deps", "--python", w, MODULE],
                       capture_output=True, text=True, timeout=60)
    lines = p.stderr.strip().splitlines()
    check("wrapper script: exit 2", p.returncode == 2, str(p.returncode))
    check("wrapper script: one line naming it", len(lines) == 1 and
          w in lines[0] and "neither a pyenv shim nor" in lines[0],
          repr(lines))
    check("wrapper script: not run", not os.path.exists(log))


def plain_unless_extension():
    """Without --python a library is analysed on its own, an extension in
    the interpreter; --python keeps the interpreter for both."""
    lib = "/lib/x86_64-linux-gnu/libz.so.1"
    p = subprocess.run([EXTPROBE, "deps", "--json", lib], capture_output=True,
                       text=True, timeout=60)
    doc = json.loads(p.stdout)
    check("library, default: standalone", doc["python"] is None,
          str(doc["python"]))
    check("library, default: the note says why",
          any("no PyInit_*" in n for n in doc["notes"]), str(doc["notes"]))
    p = subprocess.run([EXTPROBE, "deps", "--json", MODULE],
                       capture_output=True, text=True, timeout=60)
    doc = json.loads(p.stdout)
    check("extension, default: in the interpreter",
          doc["python"] is not None and doc["python"]["name"] == "python3",
          str(doc["python"]))
    # --no-symbols skips the symbol check, not the question of which
    # process the file is loaded in: the extension stays in the
    # interpreter, the library on its own.
    for f, want in ((MODULE, True), (lib, False)):
        p = subprocess.run([EXTPROBE, "deps", "--json", "--no-symbols", f],
                           capture_output=True, text=True, timeout=60)
        doc = json.loads(p.stdout)
        check("%s, --no-symbols: %s" % (os.path.basename(f),
                                         "in the interpreter" if want
                                         else "standalone"),
              (doc["python"] is not None) == want and
              any("no PyInit_*" in n for n in doc["notes"]) != want,
              str(doc["python"]) + str(doc["notes"]))
    p = subprocess.run([EXTPROBE, "deps", "--json", "--python",
                        "/usr/bin/python3", lib],
                       capture_output=True, text=True, timeout=60)
    doc = json.loads(p.stdout)
    check("library, --python: in the interpreter",
          doc["python"] is not None, str(doc["python"]))


def main():
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH)
    pyenv_cases()
    venv_cases()
    symlink_chain()
    wrapper_refused()
    plain_unless_extension()
    shutil.rmtree(SCRATCH, ignore_errors=True)
    print("static interpreter model: %d interpreters compared, %d failed"
          % (compared, len(failures)))
    if compared == 0 and not failures:
        sys.exit(77)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
