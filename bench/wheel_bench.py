#!/usr/bin/python3
"""Benchmark of `extprobe wheel` on wheels with many extension members.

Wheels (built once into --work, reused after):
  real-45   every extension module Debian's python3 packages install under
            /usr/lib/python3/dist-packages (numpy, lxml, yaml, ...: 45 real
            .so files here, 0.02-4.7 MB), packed as one cp311 wheel with a
            correct RECORD -- real sizes and symbol tables;
  small-24  24 modules compiled here with gcc, one wheel;
  small-120 120 such modules.

Commands, round-robin, --rounds times each (the median wall time counts):
  extprobe wheel --no-target W            the full audit: RECORD hashes of
                                          every member, ELF facts, policy
  extprobe wheel --target cp312-manylinux_2_28_x86_64 W   plus the target
  unzip -p | readelf                      the plain alternative: each .so
                                          member extracted with unzip and read
                                          by `readelf -d -V --dyn-syms` (one
                                          shell loop; no hashes, no verdict)
  auditwheel show W                       when installed (it is not on this
                                          machine: no PyPI); otherwise the
                                          issue's figure, 63-73 ms per .so
                                          measured on this machine, is the
                                          reference
Peak memory (max RSS of the extprobe process, from wait4) is printed next to
the largest member and the sum of all members, to show that memory follows
the largest member, not the wheel.

usage: bench/wheel_bench.py --extprobe build/probe/extprobe [--rounds 5]
                            [--work DIR]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "wheel"))
sys.dont_write_bytecode = True
import build_wheels as bw  # noqa: E402

AUDITWHEEL_MS_PER_SO = (63.0, 73.0)   # the measurement on this machine
TIME = "/usr/bin/time"                 # GNU time, for CPU time and max RSS


def real_wheel(work):
    root = "/usr/lib/python3/dist-packages"
    files = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if n.endswith(".so") and os.path.isfile(p) and not os.path.islink(p):
                files[os.path.relpath(p, root)] = ("copy", p)
    return bw.write_wheel(os.path.join(work, "dist"), "debian_exts", "1.0",
                          "cp311-cp311-linux_x86_64", files)


def timed(argv, tmp):
    """Wall seconds, CPU seconds (user + system, from wait4: the command and
    its reaped children, in microseconds) and max RSS (KiB, from GNU time:
    the command's own; wait4's ru_maxrss would count the forked Python)."""
    out = os.path.join(tmp, "time.txt")
    t0 = time.perf_counter()
    p = subprocess.Popen([TIME, "-f", "%M", "-o", out] + argv,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    with open(out) as f:
        rss = int(f.read().split()[-1])
    return wall, ru.ru_utime + ru.ru_stime, rss, p.returncode


def readelf_loop(wheel, members, tmp):
    script = "set -e\n" + "".join(
        "unzip -p %s '%s' > %s/m.so && readelf -d -V --dyn-syms -W %s/m.so > /dev/null\n"
        % (wheel, m, tmp, tmp) for m in members)
    path = os.path.join(tmp, "loop.sh")
    with open(path, "w") as f:
        f.write(script)
    return ["sh", path]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extprobe", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", default="/tmp/extprobe-wheel-bench")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    wheels = {"real-45": real_wheel(args.work),
              "small-24": bw.many_extensions_wheel(args.work, 24),
              "small-120": bw.many_extensions_wheel(args.work, 120)}
    auditwheel = shutil.which("auditwheel")
    tmp = os.path.join(args.work, "tmp")
    os.makedirs(tmp, exist_ok=True)
    print("extprobe wheel benchmark: %d rounds, median wall time; %s" % (
        args.rounds, "auditwheel %s" % auditwheel if auditwheel else
        "auditwheel not installed: reference %d-%d ms per .so (the issue's figure)"
        % AUDITWHEEL_MS_PER_SO))
    print()
    if not shutil.which(TIME):
        print("needs GNU time (%s)" % TIME)
        return 2
    print("| wheel | .so members | size (sum / largest) | command | wall ms (median) | ms per .so "
          "| CPU ms (median) | max RSS MiB | vs auditwheel (63-73 ms/.so) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, whl in wheels.items():
        with zipfile.ZipFile(whl) as z:
            infos = [i for i in z.infolist() if i.filename.endswith(".so")]
        total = sum(i.file_size for i in infos)
        largest = max(i.file_size for i in infos)
        cmds = [("extprobe wheel --no-target", [args.extprobe, "wheel", "--no-target", whl]),
                ("extprobe wheel --target cp312-manylinux_2_28_x86_64",
                 [args.extprobe, "wheel", "--target", "cp312-manylinux_2_28_x86_64", whl]),
                ("unzip -p \\| readelf (per member)",
                 readelf_loop(whl, [i.filename for i in infos], tmp)),
                ("unzip -p (inflate every member, nothing else)", ["unzip", "-p", whl])]
        if auditwheel:
            cmds.append(("auditwheel show", [auditwheel, "show", whl]))
        results = {c: [] for c, _ in cmds}
        for _ in range(args.rounds):
            for label, argv in cmds:
                results[label].append(timed(argv, tmp))
        for label, _ in cmds:
            runs = results[label]
            wall = statistics.median(r[0] for r in runs) * 1000
            cpu = statistics.median(r[1] for r in runs) * 1000
            rss = max(r[2] for r in runs) / 1024
            per = wall / len(infos)
            per_cpu = cpu / len(infos)
            ratio = ("%.0f-%.0fx wall, %.0f-%.0fx CPU" % (
                AUDITWHEEL_MS_PER_SO[0] / per, AUDITWHEEL_MS_PER_SO[1] / per,
                AUDITWHEEL_MS_PER_SO[0] / per_cpu, AUDITWHEEL_MS_PER_SO[1] / per_cpu)
                if label.startswith("extprobe") else "")
            print("| %s | %d | %.1f / %.1f MB | %s | %.1f | %.2f | %.1f | %.1f | %s |" % (
                name, len(infos), total / 1e6, largest / 1e6, label, wall, per, cpu, rss,
                ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
