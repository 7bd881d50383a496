#!/usr/bin/env python3
"""CLI tests of build provenance (`extprobe inspect`, DWARF read by the
isolated helper extprobe-dwarf), against readelf --debug-dump as the oracle.

Real modules are built here: gcc -g against Debian's python3 headers, gcc -g3
(.debug_macro) against pyenv 3.12's, -DPy_LIMITED_API, rustc -g; a separate
debug file found by .gnu_debuglink (same directory, .debug/) and by build-id;
a debug file whose CRC does not match; a corrupted .debug_info
(objcopy --update-section); a seeded series of mutated debug sections, each
of which must end in "read" or "unreadable", never in a crash of extprobe.

usage: test_provenance.py EXTPROBE SOURCE_DIR SCRATCH_DIR
Prints each failed check and a summary; exit 1 on failure, 77 to skip.
"""
import ctypes
import json
import os
import random
import re
import shutil
import subprocess
import sys
import sysconfig

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

HANG_GUARD = 120


def env_for(extra=None):
    env = dict(os.environ)
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        env[var] = ":".join(x for x in (env.get(var, ""), "exitcode=86") if x)
    env.update(extra or {})
    return env


def inspect(path, extra_env=None, text=False):
    args = [EXTPROBE, "inspect"] + ([] if text else ["--json"]) + [path]
    try:
        p = subprocess.run(args, capture_output=True, text=True, errors="replace",
                           timeout=HANG_GUARD, env=env_for(extra_env))
    except subprocess.TimeoutExpired:
        check(False, "%s hung" % " ".join(args))
        return None
    check(p.returncode == 0, "%s: exit %d (crash?)\n%s" % (" ".join(args), p.returncode,
                                                           p.stderr[-1500:]))
    if text:
        return p.stdout
    try:
        return json.loads(p.stdout)["files"][0]["provenance"]
    except (ValueError, KeyError, IndexError) as e:
        check(False, "%s: no provenance in the JSON (%s)\n%s" % (path, e, p.stdout[-500:]))
        return None


def sh(*cmd, **kw):
    subprocess.run(cmd, check=True, capture_output=True, **kw)


def readelf_units(path):
    """(producer, language name) of every compilation unit, per readelf."""
    out = subprocess.run(["readelf", "--debug-dump=info", path], capture_output=True,
                         text=True, errors="replace").stdout
    units, cur = [], None
    for line in out.splitlines():
        if "Compilation Unit @" in line:
            cur = {"producer": None, "language": None}
            units.append(cur)
        elif cur is not None and "DW_AT_producer" in line and cur["producer"] is None:
            cur["producer"] = line.split("): ", 1)[1] if "): " in line else \
                line.split(": ", 1)[1].strip()
        elif cur is not None and "DW_AT_language" in line and cur["language"] is None:
            m = re.search(r"\((.*)\)\s*$", line)
            cur["language"] = m.group(1) if m else None
    return units


def readelf_macros(path):
    out = subprocess.run(["readelf", "--debug-dump=macro", path], capture_output=True,
                         text=True, errors="replace").stdout
    found = {}
    for m in re.finditer(r"DW_MACRO_define\w* - lineno : \d+ macro : (\w+) ?(.*)", out):
        found.setdefault(m.group(1), m.group(2).strip())
    return found


def readelf_python_dirs(path):
    """Directories of the line tables that hold Python.h's siblings."""
    out = subprocess.run(["readelf", "--debug-dump=line", path], capture_output=True,
                         text=True, errors="replace").stdout
    dirs = set()
    for m in re.finditer(r"(/\S*python3\.\d+)(/cpython)?\s*$", out, re.M):
        dirs.add(m.group(1))
    return dirs


def readelf_sources(path):
    """Each unit's DW_AT_name resolved against its DW_AT_comp_dir, per
    readelf: the unit DIE is the first of its unit, so its attributes come
    first. rustc's "/@/<codegen unit>" tail cut off; no "<...>" names."""
    out = subprocess.run(["readelf", "--debug-dump=info", path], capture_output=True,
                         text=True, errors="replace").stdout
    units, cur = [], None
    for line in out.splitlines():
        if "Compilation Unit @" in line:
            cur = {}
            units.append(cur)
        elif cur is not None and re.search(r"DW_AT_(name|comp_dir)\s", line):
            key = "name" if "DW_AT_name" in line else "comp_dir"
            val = line.split("): ", 1)[1] if "): " in line else line.split(": ", 1)[1]
            cur.setdefault(key, val.strip())
        elif cur is not None and "Abbrev Number" in line and cur:
            cur = None  # past the unit DIE
    srcs = []
    for u in units:
        name = u.get("name", "").split("/@/")[0]
        if not name or name.startswith("<"):
            continue
        if not name.startswith("/") and u.get("comp_dir"):
            name = u["comp_dir"].rstrip("/") + "/" + (name[2:] if name.startswith("./") else name)
        if name not in srcs:
            srcs.append(name)
    return srcs


def compare_with_readelf(prov, path, name):
    check(prov["sources"] == readelf_sources(path), "%s: sources %s, readelf says %s"
          % (name, prov["sources"], readelf_sources(path)))
    units = readelf_units(path)
    check(prov["units"] == len(units), "%s: %d units, readelf says %d"
          % (name, prov["units"], len(units)))
    want = {}
    for u in units:
        key = (u["producer"], u["language"])
        want[key] = want.get(key, 0) + 1
    got = {(p["producer"], p["language"]): p["units"] for p in prov["producers"]}
    check(got == want, "%s: producers %s, readelf says %s" % (name, got, want))


def build_c(out, inc, extra=()):
    sh(CC, "-shared", "-fPIC", "-O1", *extra, "-I" + inc, FXMOD, "-o", out)


def mutate_all(base, count, seed):
    """Mutated copies of base's debug sections through the isolated reader:
    every one ends as read or unreadable, extprobe itself never fails. Then
    all of them in one batch (one helper serving file after file, replaced
    after each crash): each file's provenance must be the one its own run
    gave."""
    data = open(base, "rb").read()
    out = subprocess.run(["readelf", "-SW", base], capture_output=True, text=True).stdout
    ranges = []
    for line in out.splitlines():
        f = line.replace("[ ", "[").split()
        if len(f) > 5 and f[1].startswith(".debug_"):
            ranges.append((int(f[4], 16), int(f[5], 16)))
    rng = random.Random(seed)
    seen = {"read": 0, "unreadable": 0}
    alone = []
    for i in range(count):
        d = bytearray(data)
        off, size = rng.choice(ranges)
        for _ in range(rng.randint(1, 16)):
            d[off + rng.randrange(size)] = rng.randrange(256)
        target = os.path.join(SCRATCH, "mutated-%d.so" % i)
        with open(target, "wb") as f:
            f.write(d)
        prov = inspect(target)
        if prov is None:
            return
        alone.append((target, prov))
        ok = check(prov["status"] in seen, "mutated: status %r" % prov["status"])
        if ok:
            seen[prov["status"]] += 1
            if prov["status"] == "unreadable":
                check(bool(prov["reason"]), "mutated: unreadable without a reason")
    print("mutated debug sections: %d read, %d unreadable, 0 crashes of extprobe"
          % (seen["read"], seen["unreadable"]))
    batch = inspect_batch([t for t, _ in alone] + [base])
    if batch is None:
        return
    for (target, prov), got in zip(alone, batch):
        check(got == prov, "mutated in a batch: %s\n  alone: %s\n  batch: %s"
              % (target, prov, got))
    reasons = sorted({p["reason"] for _, p in alone if p["status"] == "unreadable"})
    print("the same in one batch: %d files, reasons %s" % (len(alone), reasons))
    check(batch[-1]["status"] == "read", "the file after the batch: %s" % batch[-1])


def inspect_batch(paths):
    """The provenance of each of paths from one inspect --json run."""
    args = [EXTPROBE, "inspect", "--json"] + paths
    try:
        p = subprocess.run(args, capture_output=True, text=True, errors="replace",
                           timeout=HANG_GUARD, env=env_for())
    except subprocess.TimeoutExpired:
        check(False, "inspect --json of %d files hung" % len(paths))
        return None
    check(p.returncode == 0, "batch: exit %d\n%s" % (p.returncode, p.stderr[-1500:]))
    try:
        return [f["provenance"] for f in json.loads(p.stdout)["files"]]
    except (ValueError, KeyError) as e:
        check(False, "batch: no JSON (%s)" % e)
        return None


def serve_protocol(debug_file):
    """extprobe-dwarf --serve itself: each answer is what the one-shot
    helper prints for the file, closed by "next"; a path with a tab, a
    newline and a backslash travels escaped; the CPU limit is renewed per
    file; after EP_DWARF_SERVE_FILES (256) files it says "exit" and exits."""
    helper = os.path.join(os.path.dirname(EXTPROBE), "extprobe-dwarf")
    odd = os.path.join(SCRATCH, "odd\tname\nwith\\.so")
    shutil.copy(debug_file, odd)
    one_shot = {}
    for path in (debug_file, odd):
        one_shot[path] = subprocess.run([helper, path], capture_output=True,
                                        timeout=HANG_GUARD).stdout
    check(one_shot[odd] == one_shot[debug_file] and one_shot[odd].endswith(b"end\t1\n"),
          "one-shot helper on %r: %r" % (odd, one_shot[odd][-200:]))

    def escape(path):
        return path.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    p = subprocess.Popen([helper, "--serve"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, env=env_for())
    closing = []
    for i in range(256):
        path = odd if i % 2 else debug_file
        p.stdin.write(("file\t%s\n" % escape(path)).encode())
        p.stdin.flush()
        answer = b""
        while True:
            line = p.stdout.readline()
            if line in (b"next\n", b"exit\n", b""):
                break
            answer += line
        closing.append(line)
        if not check(answer == one_shot[path], "serve, file %d: %r, one-shot %r"
                     % (i, answer[-200:], one_shot[path][-200:])):
            break
        if i == 0:
            limits = open("/proc/%d/limits" % p.pid).read()
            cpu = re.search(r"Max cpu time\s+(\d+)\s+(\d+)", limits)
            check(cpu and 20 <= int(cpu.group(1)) <= 22 and int(cpu.group(2)) > 256 * 20,
                  "serve: CPU limit for the first file: %s" % (cpu and cpu.group(0)))
    check(closing == [b"next\n"] * 255 + [b"exit\n"],
          "serve: closing lines %s" % sorted(set(closing)))
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    check(rc == 0, "serve: exit status %d after its last file" % rc)
    p.stdin.close()
    p.stdout.close()
    prov = inspect_batch([odd, debug_file])
    check(prov is not None and [x["status"] for x in prov] == ["read", "read"],
          "batch with an odd file name: %s" % prov)


def no_helper_left_after_early_exit(debug_file):
    """inspect whose standard output is closed at once dies of SIGPIPE as
    before, but reaps its DWARF helper first: with this process as the
    subreaper, an orphaned helper would become our child."""
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_CHILD_SUBREAPER = 36
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("skipped: no PR_SET_CHILD_SUBREAPER")
        return
    for mode in (["--json"], []):
        args = [EXTPROBE, "inspect"] + mode + [debug_file] * 50
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env_for())
        p.stdout.close()
        err = p.stderr.read().decode(errors="replace")
        rc = p.wait()
        check(rc == -13 and err == "", "inspect %s | (closed): exit %d, stderr %r, "
              "want death by SIGPIPE and nothing said" % (mode, rc, err[-300:]))
        left = []
        try:
            while True:
                pid, _ = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    left.append("a running child")
                    break
                left.append(pid)
        except ChildProcessError:
            pass
        check(not left, "inspect %s | (closed) left helper processes: %s" % (mode, left))
    libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def explain_helper_starts(proj, built, spy, mark):
    """`extprobe explain` starts the DWARF helper for a module built in a
    checkout (its DWARF may name a changed source) and not for one installed
    into site-packages, with the same debug info and a newer source."""
    venv = os.path.join(SCRATCH, "venv")
    if not os.path.isdir(venv):
        sh("/usr/bin/python3", "-m", "venv", "--without-pip", venv)
    site = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True).stdout.strip()
    suffix = subprocess.run(["/usr/bin/python3", "-c", "import sysconfig; "
                             "print(sysconfig.get_config_var('EXT_SUFFIX'))"],
                            capture_output=True, text=True).stdout.strip()
    for where in (site, proj):
        os.makedirs(os.path.join(where, "fxpkg"), exist_ok=True)
        open(os.path.join(where, "fxpkg", "__init__.py"), "w").close()
        so = os.path.join(where, "fxpkg", "fxmod" + suffix)
        shutil.copy(built, so)
        os.utime(so, (os.path.getmtime(so) - 3600,) * 2)
    os.utime(os.path.join(proj, "src", "core.c"))  # edited after the builds
    env = env_for({"EXTPROBE_DWARF_HELPER": spy})
    for cwd, want in ((SCRATCH, False), (proj, True)):
        if os.path.exists(mark):
            os.remove(mark)
        p = subprocess.run([EXTPROBE, "explain", "fxpkg.fxmod", "--python",
                            os.path.join(venv, "bin", "python"), "-C", cwd, "--json"],
                           capture_output=True, text=True, timeout=HANG_GUARD, env=env)
        check(p.returncode in (0, 1) and p.stdout.startswith("{"),
              "explain in %s: exit %d\n%s" % (cwd, p.returncode, p.stderr[-800:]))
        check(os.path.exists(mark) == want, "explain of the module %s started the "
              "DWARF helper: %s" % ("in the checkout" if want else "in site-packages",
                                    os.path.exists(mark)))
    if os.path.exists(mark):
        os.remove(mark)  # the scratch directory stays for the next run
    # With the real helper: the checkout's module is reported, naming the
    # source its DWARF names.
    p = subprocess.run([EXTPROBE, "explain", "fxpkg.fxmod", "--python",
                        os.path.join(venv, "bin", "python"), "-C", proj, "--json"],
                       capture_output=True, text=True, timeout=HANG_GUARD, env=env_for())
    try:
        found = [f for f in json.loads(p.stdout)["findings"]
                 if f["code"] == "shadowed-by-source"]
    except (ValueError, KeyError) as e:
        found = []
        check(False, "explain --json: %s\n%s" % (e, p.stdout[-500:]))
    src = os.path.join(proj, "src", "core.c")
    check(len(found) == 1 and found[0]["severity"] == "warning" and src in found[0]["paths"]
          and "(DWARF)" in found[0]["detail"],
          "explain of the stale checkout build: %s" % found)


def main():
    os.makedirs(SCRATCH, exist_ok=True)
    deb_inc = subprocess.run(["/usr/bin/python3", "-c",
                              "import sysconfig; print(sysconfig.get_paths()['include'])"],
                             capture_output=True, text=True).stdout.strip()
    if not os.path.isfile(os.path.join(deb_inc, "Python.h")):
        print("SKIP: no Python.h for /usr/bin/python3")
        return 77
    deb_ver = subprocess.run(["/usr/bin/python3", "-c", "import platform; "
                              "print(platform.python_version())"],
                             capture_output=True, text=True).stdout.strip()

    # 1. gcc -g against Debian's headers: producer, language, headers; no
    #    macro info without -g3.
    g = os.path.join(SCRATCH, "fxg.so")
    build_c(g, deb_inc, ["-g"])
    prov = inspect(g)
    check(prov["status"] == "read" and prov["source"] == "embedded",
          "gcc -g: %s/%s" % (prov["status"], prov["source"]))
    compare_with_readelf(prov, g, "gcc -g")
    check(prov["producers"][0]["compiler"] == "gcc" and
          "-O1" in prov["producers"][0]["flags"] and "-fPIC" in prov["producers"][0]["flags"],
          "gcc -g: compiler/flags %s" % prov["producers"][0])
    check(prov["python_headers"] == sorted(readelf_python_dirs(g)) == [deb_inc],
          "gcc -g: python_headers %s, readelf %s, want %s"
          % (prov["python_headers"], readelf_python_dirs(g), deb_inc))
    check(prov["macro_info"] is False and prov["py_version"] is None,
          "gcc -g: macro info %s %s" % (prov["macro_info"], prov["py_version"]))
    check(prov["sources"] == [FXMOD], "gcc -g: sources %s, want [%s]"
          % (prov["sources"], FXMOD))
    # 1b. As setuptools compiles: a relative source name, from the project
    #     directory (DW_AT_comp_dir).
    proj = os.path.join(SCRATCH, "proj")
    os.makedirs(os.path.join(proj, "src"), exist_ok=True)
    shutil.copy(FXMOD, os.path.join(proj, "src", "core.c"))
    rel = os.path.join(proj, "fxrel.so")
    sh(CC, "-shared", "-fPIC", "-O1", "-g", "-I" + deb_inc, "src/core.c", "-o", rel, cwd=proj)
    prov = inspect(rel)
    compare_with_readelf(prov, rel, "gcc -g src/core.c")
    check(prov["sources"] == [os.path.join(proj, "src", "core.c")],
          "relative name: sources %s" % prov["sources"])
    text = inspect(g, text=True)
    check("py-headers  " + deb_inc in text and "built without -g3" in text,
          "gcc -g: text report\n" + text)

    # 2. -g3 with and without Py_LIMITED_API: PY_VERSION and the macro.
    for name, extra, limited in (("fxg3.so", [], None),
                                 ("fxlim.abi3.so", ["-DPy_LIMITED_API=0x03080000"],
                                  "0x03080000")):
        p3 = os.path.join(SCRATCH, name)
        build_c(p3, deb_inc, ["-g3"] + extra)
        prov = inspect(p3)
        mac = readelf_macros(p3)
        check(prov["macro_info"] is True, "%s: no macro info" % name)
        check(prov["py_version"] == deb_ver == mac.get("PY_VERSION", "").strip('"'),
              "%s: PY_VERSION %s, readelf %s, python %s"
              % (name, prov["py_version"], mac.get("PY_VERSION"), deb_ver))
        check(prov["limited_api"] == limited == mac.get("Py_LIMITED_API"),
              "%s: Py_LIMITED_API %s, readelf %s" % (name, prov["limited_api"],
                                                     mac.get("Py_LIMITED_API")))
        compare_with_readelf(prov, p3, name)

    # 3. pyenv 3.12's headers: the other include directory and version.
    inc312 = None
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
        cand = os.path.join(root, "versions", "3.12.1", "include", "python3.12")
        inc312 = cand if os.path.isfile(os.path.join(cand, "Python.h")) else None
    except OSError:
        pass
    if inc312:
        p12 = os.path.join(SCRATCH, "fx312.so")
        build_c(p12, inc312, ["-g3"])
        prov = inspect(p12)
        check(prov["python_headers"] == [inc312] and prov["py_version"] == "3.12.1",
              "3.12 headers: %s %s" % (prov["python_headers"], prov["py_version"]))
        text = inspect(p12, text=True)
        check("PY_VERSION 3.12.1, Py_LIMITED_API not defined" in text,
              "3.12 text:\n" + text)
    else:
        print("note: pyenv 3.12.1 headers absent, that case skipped")

    # 4. rustc -g: units named as rustc's.
    rustc = shutil.which("rustc")
    if rustc:
        rs = os.path.join(SCRATCH, "rsfx.abi3.so")
        sh(rustc, "--edition", "2021", "--crate-type", "cdylib", "-C", "opt-level=1",
           "-g", RSFX, "-o", rs)
        prov = inspect(rs)
        compare_with_readelf(prov, rs, "rustc")
        check(prov["rust"] and all(p["compiler"] == "rustc" and p["language"] == "Rust"
                                   for p in prov["producers"]),
              "rustc: %s" % prov["producers"])
        text = inspect(rs, text=True)
        check(re.search(r"producer +rustc \d+\.\d+\.\d+, Rust, \d+ units", text),
              "rustc text:\n" + text)
    else:
        print("note: rustc absent, that case skipped")

    # 5. A separate debug file by .gnu_debuglink: beside, in .debug/, and a
    #    file of the same name from another build (CRC differs).
    sp = os.path.join(SCRATCH, "fxsplit.so")
    shutil.copy(g, sp)
    sh("objcopy", "--only-keep-debug", sp, sp + ".debug")
    sh("objcopy", "--strip-debug", "--add-gnu-debuglink=" + sp + ".debug", sp)
    prov = inspect(sp)
    check(prov["status"] == "read" and prov["source"] == "debuglink" and
          prov["debug_file"].endswith("fxsplit.so.debug") and
          prov["python_headers"] == [deb_inc],
          "debuglink beside: %s" % prov)
    os.makedirs(os.path.join(SCRATCH, ".debug"), exist_ok=True)
    os.replace(sp + ".debug", os.path.join(SCRATCH, ".debug", "fxsplit.so.debug"))
    prov = inspect(sp)
    check(prov["status"] == "read" and "/.debug/fxsplit.so.debug" in prov["debug_file"],
          "debuglink in .debug/: %s" % prov)
    shutil.copy(os.path.join(SCRATCH, "fxg3.so"), sp + ".debug")
    os.remove(os.path.join(SCRATCH, ".debug", "fxsplit.so.debug"))
    prov = inspect(sp)
    check(prov["status"] == "absent" and "CRC" in (prov["reason"] or ""),
          "debuglink CRC mismatch: %s" % prov)

    # 6. By build-id under a debug directory.
    bid = os.path.join(SCRATCH, "fxbid.so")
    shutil.copy(g, bid)
    notes = subprocess.run(["readelf", "-n", bid], capture_output=True, text=True).stdout
    build_id = re.search(r"Build ID: ([0-9a-f]+)", notes).group(1)
    dbgdir = os.path.join(SCRATCH, "debugroot")
    os.makedirs(os.path.join(dbgdir, ".build-id", build_id[:2]), exist_ok=True)
    sh("objcopy", "--only-keep-debug", bid,
       os.path.join(dbgdir, ".build-id", build_id[:2], build_id[2:] + ".debug"))
    sh("objcopy", "--strip-debug", bid)
    prov = inspect(bid, {"EXTPROBE_DEBUG_DIRS": dbgdir})
    check(prov["status"] == "read" and prov["source"] == "build-id" and prov["units"] == 1,
          "build-id: %s" % prov)
    prov = inspect(bid)
    check(prov["status"] == "absent", "build-id, default dirs: %s" % prov)

    # 7. Corrupted .debug_info: libdwarf refuses it, in the helper.
    bad = os.path.join(SCRATCH, "fxcorrupt.so")
    garbage = os.path.join(SCRATCH, "garbage")
    with open(garbage, "wb") as f:
        f.write(random.Random(7).randbytes(4000))
    sh("objcopy", "--update-section", ".debug_info=" + garbage, g, bad)
    readelf = subprocess.run(["readelf", "--debug-dump=info", bad], capture_output=True,
                             text=True, errors="replace")
    check("Corrupt unit length" in readelf.stderr or "Warning" in readelf.stderr,
          "oracle: readelf accepts the corrupted .debug_info?\n" + readelf.stderr[:300])
    prov = inspect(bad)
    check(prov["status"] == "unreadable" and "DW_DLE_" in (prov["reason"] or ""),
          "corrupt: %s" % prov)
    text = inspect(bad, text=True)
    check("debug info unreadable: " in text, "corrupt text:\n" + text)

    # 8. No debug info anywhere; no helper at all.
    stripped = os.path.join(SCRATCH, "fxstripped.so")
    sh("strip", "--strip-all", g, "-o", stripped)
    prov = inspect(stripped)
    check(prov["status"] == "absent" and prov["units"] == 0, "stripped: %s" % prov)
    prov = inspect(g, {"EXTPROBE_DWARF_HELPER": os.path.join(SCRATCH, "no-such-helper")})
    check(prov["status"] == "unreadable" and "cannot run" in prov["reason"],
          "missing helper: %s" % prov)

    # 8b. --no-provenance: no helper runs (a stand-in that leaves a mark
    #     would), the record says null, every other key is as before.
    mark = os.path.join(SCRATCH, "helper-ran")
    spy = os.path.join(SCRATCH, "spy-helper")
    with open(spy, "w") as f:
        f.write("#!/bin/sh\ntouch '%s'\nexit 1\n" % mark)
    os.chmod(spy, 0o755)
    spy_env = env_for({"EXTPROBE_DWARF_HELPER": spy})
    full = json.loads(subprocess.run([EXTPROBE, "inspect", "--json", g],
                                     capture_output=True, text=True,
                                     timeout=HANG_GUARD).stdout)["files"][0]
    for extra in ([], ["--symbols"]):
        p = subprocess.run([EXTPROBE, "inspect", "--no-provenance"] + extra +
                           (["--json"] if not extra else []) + [g],
                           capture_output=True, text=True, timeout=HANG_GUARD,
                           env=spy_env)
        check(p.returncode == 0, "--no-provenance: exit %d\n%s" % (p.returncode, p.stderr))
        if extra:
            check("debug-info  not read (--no-provenance)" in p.stdout,
                  "--no-provenance text:\n" + p.stdout[-800:])
        else:
            rec = json.loads(p.stdout)["files"][0]
            check(rec["provenance"] is None, "--no-provenance: %s" % rec["provenance"])
            full["provenance"] = None
            check(rec == full, "--no-provenance changed other keys")
    check(not os.path.exists(mark), "--no-provenance started the DWARF helper")

    # 8c. explain reads the DWARF of a module built in place (a checkout),
    #     and never that of one in site-packages: the stand-in helper leaves
    #     its mark only in the first case.
    explain_helper_starts(proj, rel, spy, mark)

    # 9. The helper's batch protocol; no helper is left when inspect's
    #    output is closed early.
    serve_protocol(g)
    no_helper_left_after_early_exit(g)

    # 10. The isolated reader under mutated input (seeded, repeatable), one
    #     file a run and all in one run.
    mutate_all(g, int(os.environ.get("EP_DWARF_MUTATIONS", "120")), 2026)
    return 0


if len(sys.argv) != 4:
    sys.exit(__doc__)
EXTPROBE, SOURCE, SCRATCH = sys.argv[1:]
if not os.access(EXTPROBE, os.X_OK) or not shutil.which("readelf"):
    print("SKIP: extprobe or readelf missing")
    sys.exit(77)
CC = shutil.which("gcc") or shutil.which("cc")
FXMOD = os.path.join(SOURCE, "tests", "fixtures", "fxmod.c")
RSFX = os.path.join(SOURCE, "tests", "fixtures", "rsfx.rs")
rc = main()
finish(rc)
