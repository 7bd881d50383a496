#!/usr/bin/env python3
"""How much `extprobe explain` adds to Python's own import on an environment
with many installed distributions.

A venv gets N generated distributions (each a real *.dist-info with
METADATA, WHEEL, RECORD and top_level.txt, and its package on disk, as pip
leaves them) plus the module under test, `target` (a package holding a
compiled extension built with gcc against the venv's interpreter). Timed,
round-robin, median of --rounds:
  import   python -c 'import target'              (the anchor)
  explain  extprobe explain target --python VENV   (facts + static walk +
           dist-info + loader + the trial import)
  static   the same with --no-import
and the same three for a module in a checkout (the first seed story: a
source tree on sys.path, here the working directory) next to the N
distributions: a project directory holding `ckpkg` with its own compiled
`_core`, every command run from it. There explain looks for a distribution
owning a name none of them owns.
usage: explain_bench.py --extprobe build/probe/extprobe [--dists 2000,10000]
       [--rounds 7] [--python /usr/bin/python3]
Not part of `meson test`: it measures the machine.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time

EXT_SRC = r"""
#include <Python.h>
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "_core", NULL, -1, NULL};
PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&def); }
"""


def make_env(root, python, ndists):
    venv = os.path.join(root, "venv")
    subprocess.run([python, "-m", "venv", "--without-pip", venv], check=True)
    vpy = os.path.join(venv, "bin", "python")
    site = subprocess.run([vpy, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    for i in range(ndists):
        name = f"gen_pkg_{i:05d}"
        os.makedirs(os.path.join(site, name))
        with open(os.path.join(site, name, "__init__.py"), "w") as f:
            f.write("")
        di = os.path.join(site, f"{name}-1.0.dist-info")
        os.makedirs(di)
        files = {
            "METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
            "WHEEL": "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            "top_level.txt": name + "\n",
            "INSTALLER": "pip\n",
        }
        for fn, text in files.items():
            with open(os.path.join(di, fn), "w") as f:
                f.write(text)
        with open(os.path.join(di, "RECORD"), "w") as f:
            f.write(f"{name}/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n")
            for fn in files:
                f.write(f"{name}-1.0.dist-info/{fn},,\n")
            f.write(f"{name}-1.0.dist-info/RECORD,,\n")
    # The module under test: a package with a compiled extension.
    pkg = os.path.join(site, "target")
    os.makedirs(pkg)
    with open(os.path.join(pkg, "__init__.py"), "w") as f:
        f.write("from . import _core\n")
    inc = subprocess.run([vpy, "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    suffix = subprocess.run([vpy, "-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"],
                            check=True, capture_output=True, text=True).stdout.strip()
    src = os.path.join(root, "core.c")
    with open(src, "w") as f:
        f.write(EXT_SRC)
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-I" + inc, src, "-o",
                    os.path.join(pkg, "_core" + suffix)], check=True)
    # The checkout: a project directory with the package built in place.
    proj = os.path.join(root, "proj")
    os.makedirs(os.path.join(proj, "ckpkg"))
    with open(os.path.join(proj, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "ckpkg"\nversion = "1.0"\n')
    with open(os.path.join(proj, "ckpkg", "__init__.py"), "w") as f:
        f.write("from . import _core\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-I" + inc, src, "-o",
                    os.path.join(proj, "ckpkg", "_core" + suffix)], check=True)
    di = os.path.join(site, "target-1.0.dist-info")
    os.makedirs(di)
    with open(os.path.join(di, "METADATA"), "w") as f:
        f.write("Metadata-Version: 2.1\nName: target\nVersion: 1.0\n")
    with open(os.path.join(di, "RECORD"), "w") as f:
        f.write(f"target/__init__.py,,\ntarget/_core{suffix},,\ntarget-1.0.dist-info/RECORD,,\n")
    return vpy


def timed(cmd, cwd):
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    if p.returncode not in (0,):
        sys.exit(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.decode()[-300:]}")
    return dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--extprobe", required=True, action="append",
                    help="the CLI to time; give it twice (NAME=PATH) to compare builds")
    ap.add_argument("--dists", default="2000,10000")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--python", default="/usr/bin/python3")
    a = ap.parse_args()
    tools = []
    for spec in a.extprobe:
        name, _, path = spec.rpartition("=")
        tools.append((name or "extprobe", os.path.abspath(path)))
    for n in [int(x) for x in a.dists.split(",")]:
        root = tempfile.mkdtemp(prefix="epbench-")
        try:
            vpy = make_env(root, a.python, n)
            work = os.path.join(root, "work")
            os.makedirs(work)
            proj = os.path.join(root, "proj")
            # (command, working directory, the import it is compared with)
            cmds = {"import": ([vpy, "-c", "import target"], work, None),
                    "import (checkout)": ([vpy, "-c", "import ckpkg"], proj, None)}
            for name, path in tools:
                for mod, cwd, anchor, tag in (("target", work, "import", ""),
                                              ("ckpkg", proj, "import (checkout)",
                                               " (checkout)")):
                    cmds[f"{name} explain{tag}"] = (
                        [path, "explain", mod, "--python", vpy], cwd, anchor)
                    cmds[f"{name} --no-import{tag}"] = (
                        [path, "explain", mod, "--python", vpy, "--no-import"],
                        cwd, anchor)
            for c, cwd, _ in cmds.values():   # warm the page cache
                timed(c, cwd)
            times = {k: [] for k in cmds}
            for _ in range(a.rounds):
                for k, (c, cwd, _) in cmds.items():
                    times[k].append(timed(c, cwd))
            print(f"\n{n} installed distributions ({a.rounds} rounds, median wall time)")
            print(f"| command | ms | over its import |")
            print(f"|---|---:|---:|")
            for k, v in times.items():
                m = statistics.median(v)
                anchor = cmds[k][2]
                over = "" if anchor is None else \
                    "+%.1f ms" % ((m - statistics.median(times[anchor])) * 1e3)
                print(f"| {k} | {m*1e3:.1f} | {over} |")
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
