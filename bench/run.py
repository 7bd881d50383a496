#!/usr/bin/python3
"""The performance table of issue 10, measured in one run: extprobe beside
libtree, eu-readelf, scanelf and a floor reader (bench/floor.c), on the same
files, commands interleaved round-robin so that a busy machine slows them
alike. Prints the median of each and the ratios the issue asks about.

Corpus: every ELF extension module of the Debian Python packages
(dist-packages, lib-dynload) and of the default `python3`'s lib-dynload,
plus every shared library at the top level of /usr/lib/x86_64-linux-gnu
(each file once).

Jobs:
  deps-1      `extprobe deps FILE`, one process per file, default options,
              on --per-file files (half modules, half libraries), against
              `libtree FILE`
  deps-batch  `extprobe deps FILE...` (default options: versions and
              symbols checked) against `libtree FILE...`
  inspect     `extprobe inspect --json FILE...` (build provenance read
              from the DWARF) against the floor reader that also inflates the
              DWARF sections (floor.c --dwarf), and `inspect --json
              --no-provenance` against `eu-readelf -h -l -d -n -V -S
              --dyn-syms FILE...` and the floor reader (pread of what inspect
              shows, no formatting)
  inspect-5k  `extprobe inspect FILE...` on 5,000 names (hard links), with
              the usual 1,024 descriptors: exit status and peak memory
  scan        `extprobe scan --no-progress TREE` against `scanelf -R TREE`
              (when the extprobe given has a scan command)

Usage: bench/run.py --extprobe PATH [--before PATH] [--rounds N]
                    [--per-file N] [--scan-tree DIR]
--before adds the same jobs for another build (main before the change).
Missing tools are skipped with a note. Not part of `meson test`.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LIBDIR = "/usr/lib/x86_64-linux-gnu"
MODDIRS = ["/usr/lib/python3/dist-packages", "/usr/lib/python3.11/lib-dynload"]
HERE = os.path.dirname(os.path.abspath(__file__))


def elf_type(path):
    try:
        with open(path, "rb") as f:
            head = f.read(18)
    except OSError:
        return None
    if len(head) < 18 or head[:4] != b"\x7fELF" or head[4] != 2:
        return None
    return int.from_bytes(head[16:18], "little")


def libraries():
    seen, out = set(), []
    for name in sorted(os.listdir(LIBDIR)):
        path = os.path.join(LIBDIR, name)
        if ".so" not in name or not os.path.isfile(path):
            continue
        real = os.path.realpath(path)
        if real not in seen and elf_type(path) == 3:
            seen.add(real)
            out.append(path)
    return out


def modules():
    dirs = list(MODDIRS)
    p = subprocess.run(["python3", "-c",
                        "import sysconfig; print(sysconfig.get_path('platstdlib'))"],
                       capture_output=True, text=True)
    if p.returncode == 0:
        dirs.append(os.path.join(p.stdout.strip(), "lib-dynload"))
    seen, out = set(), []
    for d in dirs:
        for root, _, files in os.walk(d):
            for n in sorted(files):
                path = os.path.join(root, n)
                real = os.path.realpath(path)
                if n.endswith(".so") and real not in seen and elf_type(path) == 3:
                    seen.add(real)
                    out.append(path)
    return out


def run_once(argv, cwd=None, limit_nofile=None):
    """Wall seconds, CPU seconds (user + system from wait4, which counts the
    processes the command waited for too: extprobe's helpers) and exit
    status of one run."""
    def pre():
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (limit_nofile, limit_nofile))
    # A preexec_fn makes Python fork() and run Python code in the child
    # before the exec: milliseconds charged to the child's rusage, more
    # than extprobe or libtree take for one file. Without one it uses
    # vfork, and the child's time is the command's.
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         cwd=cwd, preexec_fn=pre if limit_nofile else None)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    return wall, ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(status)


def peak_rss(argv, limit_nofile=None):
    """(exit status, peak RSS in KiB, last stderr line) of one run."""
    def pre():
        if limit_nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE,
                               (limit_nofile, limit_nofile))
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         preexec_fn=pre)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    lines = err.decode(errors="replace").strip().splitlines()
    return os.waitstatus_to_exitcode(status), ru.ru_maxrss, \
        lines[-1] if lines else ""


class Times:
    """Medians of one command's wall and CPU seconds, and the least CPU of
    its rounds (the steadier figure on a noisy machine)."""
    def __init__(self, wall, cpu, cpu_min=None):
        self.wall, self.cpu = wall, cpu
        self.cpu_min = cpu if cpu_min is None else cpu_min


def measure(cmds, rounds):
    """cmds: {label: [argv, ...]} (several argv = one process each; the time
    is their sum). Returns {label: Times}."""
    walls = {k: [] for k in cmds}
    cpus = {k: [] for k in cmds}
    for _ in range(rounds):
        for label, argvs in cmds.items():
            wall = cpu = 0.0
            for argv in argvs:
                w, c, _ = run_once(argv)
                wall += w
                cpu += c
            walls[label].append(wall)
            cpus[label].append(cpu)
    return {k: Times(statistics.median(walls[k]), statistics.median(cpus[k]),
                     min(cpus[k]))
            for k in cmds}


def line(label, t, nfiles, ref=None, ref_label=None):
    """Wall and CPU of one command, per file, and both ratios to ref."""
    extra = ""
    if ref:
        extra = "  %.2fx wall %.2fx cpu (least cpu %.2fx) %s" % (
            t.wall / ref.wall, t.cpu / max(ref.cpu, 1e-9),
            t.cpu_min / max(ref.cpu_min, 1e-9), ref_label)
    per = " %7.1f us/file" % (t.wall / nfiles * 1e6) if nfiles else ""
    print("  %-38s %8.1f ms wall %8.1f ms cpu%s%s" % (
        label, t.wall * 1e3, t.cpu * 1e3, per, extra))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--extprobe", required=True)
    ap.add_argument("--before")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--per-file", type=int, default=60)
    ap.add_argument("--scan-tree", default="/usr/lib/python3/dist-packages")
    a = ap.parse_args()
    builds = [("extprobe", os.path.abspath(a.extprobe))]
    if a.before:
        builds.append(("extprobe before", os.path.abspath(a.before)))
    libtree = shutil.which("libtree")
    readelf = shutil.which("eu-readelf")
    scanelf = shutil.which("scanelf")
    cc = shutil.which("cc") or shutil.which("gcc")
    libs, mods = libraries(), modules()
    files = mods + libs
    print("corpus: %d files (%d extension modules, %d libraries); "
          "%d rounds, medians; load %.2f" % (len(files), len(mods), len(libs),
                                             a.rounds, os.getloadavg()[0]))
    tmp = tempfile.mkdtemp(prefix="ep-bench-")
    floor = floor_dwarf = None
    if cc:
        floor = os.path.join(tmp, "floor")
        subprocess.run([cc, "-O2", "-o", floor,
                        os.path.join(HERE, "floor.c")], check=True)
        # The floor of the default inspect, which reads build provenance:
        # needs zlib's header (zlib1g-dev).
        floor_dwarf = os.path.join(tmp, "floor-dwarf")
        if subprocess.run([cc, "-O2", "-DFLOOR_DWARF", "-o", floor_dwarf,
                           os.path.join(HERE, "floor.c"), "-lz"]).returncode:
            print("note: floor.c --dwarf not built (no zlib.h?)")
            floor_dwarf = None

    # deps, one process per file, default options.
    half = a.per_file // 2
    some = mods[:half] + libs[:a.per_file - half]
    cmds = {label: [[exe, "deps", f] for f in some] for label, exe in builds}
    if libtree:
        cmds["libtree"] = [[libtree, f] for f in some]
    t = measure(cmds, max(1, a.rounds // 2))
    print("\ndeps FILE, one process per file, default options (%d files):"
          % len(some))
    for k, v in t.items():
        line(k, v, len(some), t.get("libtree"), "libtree")

    # deps, batched, full check.
    cmds = {label: [[exe, "deps"] + files] for label, exe in builds}
    if libtree:
        cmds["libtree"] = [[libtree] + files]
    t = measure(cmds, a.rounds)
    print("\ndeps FILE..., batched, default options (versions and symbols "
          "checked):")
    for k, v in t.items():
        line(k, v, len(files), t.get("libtree"), "libtree")

    # inspect --json, batched: the default (with build provenance from the
    # DWARF) against the floor that also inflates the DWARF sections, and
    # --no-provenance against the ELF-only floor.
    cmds = {label + " inspect --json": [[exe, "inspect", "--json"] + files]
            for label, exe in builds}
    noprov = {}
    for label, exe in builds:
        h = subprocess.run([exe, "inspect", "--help"], capture_output=True,
                           text=True).stdout
        if "--no-provenance" in h:
            noprov[label] = label + " --no-provenance"
            cmds[noprov[label]] = [[exe, "inspect", "--json",
                                    "--no-provenance"] + files]
    if readelf:
        cmds["eu-readelf -hldnVS --dyn-syms"] = [
            [readelf, "-h", "-l", "-d", "-n", "-V", "-S", "--dyn-syms"] + files]
    if floor:
        cmds["floor (pread, no output format)"] = [[floor] + files]
    if floor_dwarf:
        cmds["floor + DWARF sections inflated"] = [[floor_dwarf, "--dwarf"] +
                                                   files]
    t = measure(cmds, a.rounds)
    print("\ninspect --json FILE..., batched:")
    fl = t.get("floor (pread, no output format)")
    fld = t.get("floor + DWARF sections inflated") or fl
    for k, v in t.items():
        if k.endswith("inspect --json"):
            line(k, v, len(files), fld,
                 "floor+DWARF" if fld is not fl else "floor")
        else:
            line(k, v, len(files), fl, "floor")
    if readelf:
        for label, _ in builds:
            print("  %s / eu-readelf: %.2fx wall" % (
                label, t[label + " inspect --json"].wall /
                t["eu-readelf -hldnVS --dyn-syms"].wall))

    # inspect on 5,000 names.
    many = os.path.join(tmp, "many")
    os.makedirs(many)
    names = []
    for i in range(5000):
        src = files[i % len(files)]
        dst = os.path.join(many, "%04d-%s" % (i, os.path.basename(src)))
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy(src, dst)
        names.append(dst)
    print("\ninspect on many files (ulimit -n 1024), exit status and peak "
          "memory:")
    for label, exe in builds:
        for n in (1000, 5000):
            rc, rss, last = peak_rss([exe, "inspect", "--json"] + names[:n],
                                     limit_nofile=1024)
            print("  %-30s %5d files: exit %d, peak RSS %6.1f MiB%s" % (
                label, n, rc, rss / 1024.0,
                "  (%s)" % last[-70:] if rc not in (0, 1) or "Too many" in last
                else ""))

    # scan against scanelf -R.
    tree = a.scan_tree
    cmds = {}
    for label, exe in builds:
        p = subprocess.run([exe, "scan", "--help"], capture_output=True)
        if p.returncode == 0:
            cmds[label + " scan"] = [[exe, "scan", "--python",
                                      "/usr/bin/python3", tree]]
    if scanelf:
        cmds["scanelf -R"] = [[scanelf, "-R", tree]]
    if len(cmds) > 1:
        t = measure(cmds, a.rounds)
        print("\nscan of %s:" % tree)
        for k, v in t.items():
            line(k, v, None, t.get("scanelf -R") if k != "scanelf -R" else None,
                 "scanelf -R")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
