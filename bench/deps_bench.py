#!/usr/bin/python3
"""Benchmark of `extprobe deps` against libtree, lddtree and ldd.

Every shared object at the top level of /usr/lib/x86_64-linux-gnu (regular
ELF ET_DYN files, each file once whatever its names) is given to each tool
in one run, the way each is used on many files: all the files as
arguments of one command. Commands are run round-robin, ROUNDS times each,
so that a busy machine slows them alike; the median wall time counts.

Two comparisons, because the tools do not do the same work:
  tree     the needed-library tree, each library found by the loader's
           rules: `extprobe deps --no-symbols` against `libtree -vv`,
           `lddtree` and `ldd` (ld.so's trace mode), which find and read
           every library as extprobe does; and `libtree` as it runs by
           default, which skips libc, libm, libstdc++ and the other
           standard libraries altogether (neither finds nor reads them:
           strace shows 2 opens of libc.so.6 over the corpus, against 1842
           with -vv), so does less;
  full     the tree plus what makes a load fail after the libraries are
           found -- missing symbol versions and undefined symbols:
           `extprobe deps` (its default) against `ldd -r`, the only one of
           the others that checks them; the tree-only tools are listed too.
extprobe runs --standalone (the file loaded on its own, as the others load
it: no interpreter).

--per-file adds a second protocol: one process per file, on the first
--per-file-count files (process start-up then dominates every tool).

Usage: bench/deps_bench.py --extprobe PATH [--rounds N] [--limit N]
                           [--per-file] [--per-file-count N]
Tools that are not installed are skipped with a note. Exit 0; 2 on usage.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

LIBDIR = "/usr/lib/x86_64-linux-gnu"
# lddtree is Python with pyelftools: Debian's interpreter has it, a pyenv
# one on PATH usually does not.
SYSTEM_PYTHON = "/usr/bin/python3"


def is_elf_dyn(path):
    try:
        with open(path, "rb") as f:
            head = f.read(18)
    except OSError:
        return False
    return (len(head) == 18 and head[:4] == b"\x7fELF" and head[4] == 2
            and int.from_bytes(head[16:18], "little") == 3)


def corpus():
    seen, files = set(), []
    for name in sorted(os.listdir(LIBDIR)):
        path = os.path.join(LIBDIR, name)
        if ".so" not in name or not os.path.isfile(path):
            continue
        real = os.path.realpath(path)
        if real in seen or not is_elf_dyn(path):
            continue
        seen.add(real)
        files.append(path)
    return files


def run_once(argv):
    """Wall and CPU (user + system) seconds of one run of argv."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, p.returncode


def measure(commands, files, rounds, per_file):
    """{label: (wall samples, cpu samples, exit codes)}, round-robin."""
    out = {label: ([], [], set()) for label, _ in commands}
    for _ in range(rounds):
        for label, argv in commands:
            wall = cpu = 0.0
            codes = out[label][2]
            if per_file:
                for f in files:
                    w, c, rc = run_once(argv + [f])
                    wall, cpu = wall + w, cpu + c
                    codes.add(rc)
            else:
                wall, cpu, rc = run_once(argv + files)
                codes.add(rc)
            out[label][0].append(wall)
            out[label][1].append(cpu)
    return out


def tools(extprobe):
    """(label, argv, mode, what) for each installed tool."""
    rows = [
        ("extprobe deps --no-symbols",
         [extprobe, "deps", "--standalone", "--no-symbols"], "tree",
         "tree, each library's rule, every place tried"),
        ("extprobe deps",
         [extprobe, "deps", "--standalone"], "full",
         "tree + versions + undefined symbols"),
    ]
    notes = []
    if shutil.which("libtree"):
        rows.append(("libtree", ["libtree"], "less",
                     "tree without the standard libraries (not read)"))
        rows.append(("libtree -vv", ["libtree", "-vv"], "tree",
                     "tree, every library"))
    else:
        notes.append("libtree is not installed: skipped")
    lddtree = shutil.which("lddtree")
    if lddtree and os.access(SYSTEM_PYTHON, os.X_OK):
        rows.append(("lddtree", [SYSTEM_PYTHON, lddtree], "tree",
                     "tree (pyelftools)"))
    else:
        notes.append("lddtree (or %s) is not installed: skipped"
                     % SYSTEM_PYTHON)
    if shutil.which("ldd"):
        rows.append(("ldd", ["ldd"], "tree", "ld.so trace mode, flat list"))
        rows.append(("ldd -r", ["ldd", "-r"], "full",
                     "ld.so trace mode with every relocation processed"))
    else:
        notes.append("ldd is not installed: skipped")
    return rows, notes


def report(title, rows, results, nfiles):
    print("\n== %s ==" % title)
    base = {mode: statistics.median(results[label][0])
            for label, _, mode, _ in rows if label.startswith("extprobe")}
    print("%-28s %10s %10s %10s %9s %9s  %s" % (
        "command", "wall med", "wall min", "cpu med", "x tree", "x full",
        "what it computes"))
    for label, _, mode, what in rows:
        walls, cpus, _ = results[label]
        med = statistics.median(walls)
        print("%-28s %8.1fms %8.1fms %8.1fms %9s %9s  %s" % (
            label, med * 1e3, min(walls) * 1e3, statistics.median(cpus) * 1e3,
            "%.2f" % (med / base["tree"]), "%.2f" % (med / base["full"]),
            what))
    for label, _, mode, _ in rows:
        if label.startswith("extprobe"):
            med = statistics.median(results[label][0])
            print("%s: %.1f us per file (%d files)" % (
                label, med / nfiles * 1e6, nfiles))
    print("(x tree / x full: the command's median wall time over extprobe's"
          " in that mode; above 1 means extprobe is faster)")
    for label, _, mode, _ in rows:
        if label.startswith("extprobe"):
            continue
        med = statistics.median(results[label][0])
        work = {"tree": "same work as --no-symbols",
                "full": "same work as the default",
                "less": "less work than --no-symbols"}[mode]
        mine = base["full"] if mode == "full" else base["tree"]
        line = "  %-12s %s: extprobe%s %s" % (
            label, work, "" if mode == "full" else " --no-symbols",
            "%.2fx faster" % (med / mine) if mine < med
            else "%.2fx SLOWER" % (mine / med))
        if mode != "full":
            line += "; with symbol checks %s" % (
                "%.2fx faster" % (med / base["full"]) if base["full"] < med
                else "%.2fx slower" % (base["full"] / med))
        print(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--extprobe", required=True, help="the extprobe binary")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=0,
                    help="only the first N files (a smoke run)")
    ap.add_argument("--per-file", action="store_true",
                    help="also one process per file")
    ap.add_argument("--per-file-count", type=int, default=100)
    args = ap.parse_args()
    if not os.access(args.extprobe, os.X_OK):
        print("not executable: %s" % args.extprobe, file=sys.stderr)
        return 2
    files = corpus()
    if args.limit:
        files = files[:args.limit]
    rows, notes = tools(os.path.abspath(args.extprobe))
    for n in notes:
        print("note: " + n)
    print("%d files from %s; %d rounds, round-robin; machine load %s" % (
        len(files), LIBDIR, args.rounds,
        " ".join("%.2f" % x for x in os.getloadavg())))
    commands = [(label, argv) for label, argv, _, _ in rows]
    results = measure(commands, files, args.rounds, per_file=False)
    bad = [label for label in results
           if not results[label][2] <= {0, 1}]
    for label in bad:
        print("warning: %s exited with %s" % (label, sorted(results[label][2])))
    report("all files in one command", rows, results, len(files))
    if args.per_file:
        some = files[:args.per_file_count]
        results = measure(commands, some, max(1, args.rounds // 2),
                          per_file=True)
        report("one process per file (%d files)" % len(some), rows, results,
               len(some))
    return 0


if __name__ == "__main__":
    sys.exit(main())
