#!/usr/bin/python3
"""Hostile file systems: extprobe inspect, deps and explain on FIFOs,
devices, sockets, symlink loops, directories named like modules or
libraries, sparse multi-GiB files, truncated libraries, unreadable
directories, names that are not UTF-8 or hold a newline, paths near and
past PATH_MAX, and a directory of 100,000 entries.

Each case asserts the exact one-line reason (on stderr for inspect, the
line of the text report for deps and explain), the exit code, and a time
bound: a case that runs past its bound has hung and fails. Writes one JUnit
test case per case.

usage: hostile_fs.py EXTPROBE SCRATCH_DIR JUNIT_XML
"""
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import xml.etree.ElementTree as ET

EXTPROBE, SCRATCH, JUNIT = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
PY = "/usr/bin/python3"
SUF = subprocess.run([PY, "-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"],
                     capture_output=True, text=True, check=True).stdout.strip()
GCC = shutil.which("gcc")
REAL_LIB = "/usr/lib/x86_64-linux-gnu/libz.so.1"
if not os.path.exists(REAL_LIB):
    REAL_LIB = os.path.realpath("/lib/x86_64-linux-gnu/libz.so.1")

shutil.rmtree(SCRATCH, ignore_errors=True)
os.makedirs(SCRATCH)
S = os.path.abspath(SCRATCH)
results = []  # (name, error or None, skipped reason or None, seconds)


def path(*p):
    return os.path.join(S, *p)


def run(args, limit, cwd=S, env=None, prefix=()):
    """extprobe with args; None when it ran past limit seconds (a hang)."""
    e = dict(os.environ)
    e.pop("LD_LIBRARY_PATH", None)
    e["NO_COLOR"] = "1"
    e.update(env or {})
    try:
        return subprocess.run(list(prefix) + [EXTPROBE] + args, capture_output=True, cwd=cwd,
                              env=e, timeout=limit)
    except subprocess.TimeoutExpired:
        return None


def case(name, args, rc, line, stream="stderr", limit=30, cwd=S, skip=None, prefix=()):
    """One case: exit code rc and a line equal to `line` in stream."""
    if skip:
        print("SKIP %-34s %s" % (name, skip))
        results.append((name, None, skip, 0.0))
        return
    t0 = time.monotonic()
    p = run(args, limit, cwd, prefix=prefix)
    dt = time.monotonic() - t0
    err = None
    if p is None:
        err = "did not finish within %d s (a hang)" % limit
    else:
        out = (p.stderr if stream == "stderr" else p.stdout).decode("utf-8", "backslashreplace")
        lines = [l.rstrip() for l in out.splitlines()]
        if p.returncode != rc:
            err = "exit %d, expected %d; stderr: %s" % (p.returncode, rc, p.stderr.decode(errors="replace")[-400:])
        elif line not in lines:
            err = "no line %r in %s:\n%s" % (line, stream, out[-1500:])
        elif stream == "stderr" and len(lines) != 1:
            err = "stderr has %d lines, expected one:\n%s" % (len(lines), out[-800:])
    print("%s %-34s %.2fs%s" % ("ok  " if err is None else "FAIL", name, dt,
                                "" if err is None else "\n    " + err))
    results.append((name, err, None, dt))


def _path_bytes(s):
    r"""A JSON path back to bytes: valid UTF-8 as is, \u00XX (>= 80) as the
    byte XX -- the writer's convention for bytes that are not UTF-8."""
    out = bytearray()
    for ch in s:
        if 0x80 <= ord(ch) <= 0xff:
            out.append(ord(ch))
        else:
            out += ch.encode("utf-8", "surrogateescape")
    return bytes(out)


def json_case(name, args, check, rc=0, limit=30, xfail=None):
    """One --json case: stdout is strict UTF-8 and one JSON document, and
    check(doc) holds."""
    import json
    t0 = time.monotonic()
    p = run(args, limit)
    dt = time.monotonic() - t0
    err = None
    if p is None:
        err = "did not finish within %d s (a hang)" % limit
    elif p.returncode != rc:
        err = "exit %d, expected %d: %s" % (p.returncode, rc, p.stderr[-300:])
    else:
        try:
            doc = json.loads(p.stdout.decode("utf-8"))
            if not check(doc):
                err = "the document does not hold the expected value"
        except (UnicodeDecodeError, ValueError) as e:
            err = "stdout is not valid JSON in UTF-8: %s" % e
    skip = None
    if xfail and err:
        print("XFAIL %-33s %s" % (name, err[:120]))
        err, skip = None, "expected failure: " + xfail
    elif xfail:
        err = "passed, but it is marked as an expected failure (%s): drop the mark" % xfail
    if skip is None:
        print("%s %-34s %.2fs%s" % ("ok  " if err is None else "FAIL", name, dt,
                                    "" if err is None else "\n    " + err))
    results.append((name, err, skip, dt))


def is_root():
    return os.geteuid() == 0


# ---- inspect: one line on stderr "extprobe: PATH: KIND: REASON", exit 1 --
os.mkfifo(path("fifo.so"))
case("inspect FIFO", ["inspect", path("fifo.so")], 1,
     "extprobe: %s: unreadable: not a regular file (a FIFO)" % path("fifo.so"))
case("inspect character device", ["inspect", "/dev/zero"], 1,
     "extprobe: /dev/zero: unreadable: not a regular file (a character device)")
sock = socket.socket(socket.AF_UNIX)
sock.bind(path("sock.so"))
case("inspect socket", ["inspect", path("sock.so")], 1,
     "extprobe: %s: unreadable: not a regular file (a socket)" % path("sock.so"))
os.symlink("loop_b.so", path("loop_a.so"))
os.symlink("loop_a.so", path("loop_b.so"))
case("inspect symlink loop", ["inspect", path("loop_a.so")], 1,
     "extprobe: %s: unreadable: Too many levels of symbolic links" % path("loop_a.so"))
os.mkdir(path("dir" + SUF))
case("inspect directory named like a module", ["inspect", path("dir" + SUF)], 1,
     "extprobe: %s: unreadable: is a directory" % path("dir" + SUF))
with open(path("sparse.so"), "wb") as f:
    f.truncate(5 << 30)
case("inspect sparse 5 GiB file", ["inspect", path("sparse.so")], 1,
     "extprobe: %s: unknown: not ELF: unrecognised magic 00 00 00 00" % path("sparse.so"),
     limit=10)
shutil.copy(REAL_LIB, path("sparse_elf.so"))
with open(path("sparse_elf.so"), "r+b") as f:
    f.truncate(4 << 30)
case("inspect real ELF grown to 4 GiB", ["inspect", path("sparse_elf.so")], 0,
     "  format      ELF 64-bit little-endian, x86_64, dyn, osabi sysv",
     stream="stdout", limit=20)
with open(REAL_LIB, "rb") as f:
    head = f.read(100)
with open(path("trunc.so"), "wb") as f:
    f.write(head)
case("inspect truncated ELF", ["inspect", path("trunc.so")], 1,
     "extprobe: %s: truncated: program headers (%d entries at offset 0x40) end "
     "past the end of the file (100 bytes)" % (path("trunc.so"), int.from_bytes(head[56:58], "little")))
raw = os.path.join(os.fsencode(S), b"caf\xe9\n.so")
with open(raw, "wb") as f:
    f.write(b"\x7fELF")
case("inspect non-UTF-8 name with a newline", ["inspect", os.fsdecode(raw)], 1,
     "extprobe: %s/caf\\xe9\\x0a.so: truncated: ELF identification cut short "
     "after 4 bytes" % S)
# Names whose bytes look like UTF-8 but are not (an overlong '/', a
# surrogate, past U+10FFFF): --json must still be valid JSON, and the path
# must come back as its bytes (each invalid byte as \u00XX).
for label, name in (("overlong", b"ovl\xe0\x80\xaf.so"), ("surrogate", b"sur\xed\xa0\x80.so"),
                    ("past U+10FFFF", b"big\xf4\x90\x80\x80.so")):
    raw = os.path.join(os.fsencode(S), name)
    shutil.copy(REAL_LIB, raw)
    json_case("inspect --json: %s UTF-8 in the name" % label, ["inspect", "--json", os.fsdecode(raw)],
              lambda doc, raw=raw: _path_bytes(doc["files"][0]["path"]) == raw)

# PATH_MAX (4096 with the NUL): a path of 4000 bytes works, one of 4200
# fails with the kernel's reason.
deep = S
while len(deep) < 3850:
    deep = os.path.join(deep, "d" * 100)
os.makedirs(deep)
ok_path = os.path.join(deep, "x" * (4000 - len(deep) - 1))
shutil.copy(REAL_LIB, ok_path)
assert len(ok_path) == 4000
case("inspect a 4000-byte path", ["inspect", ok_path], 0,
     "  format      ELF 64-bit little-endian, x86_64, dyn, osabi sysv", stream="stdout")
long_path = os.path.join(deep, "y" * 250, "z" * 50)
case("inspect a path past PATH_MAX", ["inspect", long_path], 1,
     "extprobe: %s: unreadable: File name too long" % long_path)

# ---- ld.so.cache that is not a regular file: a note, never a hang --------
for name, cache in (("FIFO", path("fifo.so")), ("character device", "/dev/zero")):
    case("deps --ld-so-cache %s" % name,
         ["deps", "--standalone", "--ld-so-cache", cache, REAL_LIB], 0,
         "  ld.so.cache %s: not a regular file; ld.so searches without it" % cache,
         stream="stdout", limit=20)

# ---- deps: the root, and a needed library, replaced by hostile files -----
# ld.so's own open() of a FIFO waits for a writer: the import would hang.
FIFO_WHY = ("a FIFO, not a file: ld.so would wait in open() until something "
            "writes to it (the import hangs)")
case("deps root is a FIFO", ["deps", "--standalone", path("fifo.so")], 1,
     "  CANNOT BE LOADED: " + FIFO_WHY, stream="stdout")
case("deps root is a symlink loop", ["deps", "--standalone", path("loop_a.so")], 1,
     "  CANNOT BE LOADED: cannot open shared object file: Too many levels of symbolic links",
     stream="stdout")
case("deps root is a sparse 5 GiB file", ["deps", "--standalone", path("sparse.so")], 1,
     "  CANNOT BE LOADED: invalid ELF header", stream="stdout", limit=20)

libdir = path("rp")
if GCC:
    os.mkdir(libdir)
    with open(path("h.c"), "w") as f:
        f.write("int hostile(void) { return 1; }\n")
    with open(path("r.c"), "w") as f:
        f.write("int hostile(void);\nint use(void) { return hostile(); }\n")
    lib = os.path.join(libdir, "libhostile.so.1")

    def make_lib():
        subprocess.run([GCC, "-shared", "-fPIC", "-Wl,-soname,libhostile.so.1", "-o", lib,
                        path("h.c")], check=True)
    make_lib()
    os.symlink("libhostile.so.1", os.path.join(libdir, "libhostile.so"))
    subprocess.run([GCC, "-shared", "-fPIC", "-o", path("root.so"), path("r.c"), "-L" + libdir,
                    "-lhostile", "-Wl,-rpath," + libdir], check=True)

    def replace(kind):
        if os.path.isdir(lib) and not os.path.islink(lib):
            os.rmdir(lib)
        elif os.path.lexists(lib):
            os.unlink(lib)
        if kind == "fifo":
            os.mkfifo(lib)
        elif kind == "dir":
            os.mkdir(lib)
        elif kind == "loop":
            os.symlink("libhostile.so.1", lib)
        elif kind == "zero":
            os.symlink("/dev/zero", lib)
        elif kind == "trunc":
            make_lib()
            with open(lib, "r+b") as f:
                f.truncate(100)
        elif kind == "sparse":
            make_lib()
            with open(lib, "r+b") as f:
                f.truncate(3 << 30)

    dep = "└── libhostile.so.1 => %s REFUSED: %%s [runpath of root.so] (ld.so stops here: the load fails)" % lib
    for kind, why in (("fifo", FIFO_WHY),
                      ("dir", "cannot read file data: Is a directory"),
                      ("zero", "invalid ELF header"),
                      ("trunc", "truncated: program headers (9 entries at offset 0x40) end past "
                                "the end of the file (100 bytes)")):
        replace(kind)
        if kind == "trunc":
            with open(lib, "rb") as f:
                n = int.from_bytes(f.read(58)[56:58], "little")
            why = why.replace("9 entries", "%d entries" % n)
        case("deps needed library: %s" % kind, ["deps", "--standalone", path("root.so")], 1,
             dep % why, stream="stdout")
    replace("loop")
    case("deps needed library: symlink loop", ["deps", "--standalone", path("root.so")], 1,
         "        tried:   %s (runpath of root.so; search of this path stopped: "
         "%s: Too many levels of symbolic links)" % (libdir, lib), stream="stdout")
    replace("sparse")
    case("deps needed library: sparse 3 GiB", ["deps", "--standalone", path("root.so")], 0,
         "└── libhostile.so.1 => %s [runpath of root.so]" % lib, stream="stdout", limit=20)
else:
    for kind in ("fifo", "dir", "zero", "trunc", "symlink loop", "sparse 3 GiB"):
        case("deps needed library: %s" % kind, [], 0, "", skip="gcc is not installed")

# ---- explain: the finder meets hostile names; the Cause line says why -----
ex = path("explain")
os.mkdir(ex)
os.mkfifo(os.path.join(ex, "fmod" + SUF))
os.mkdir(os.path.join(ex, "dmod" + SUF))
os.symlink("lp2" + SUF, os.path.join(ex, "lp1" + SUF))
os.symlink("lp1" + SUF, os.path.join(ex, "lp2" + SUF))
os.symlink("/dev/zero", os.path.join(ex, "zmod" + SUF))


def explain(name, module, rc, cause, trial=False, limit=60, cwd=ex):
    args = ["explain", "--python", PY, "-C", cwd, module]
    if not trial:
        args.insert(1, "--no-import")
    case(name, args, rc, "Cause: " + cause, stream="stdout", limit=limit)


f = os.path.join(ex, "fmod" + SUF)
explain("explain module file is a FIFO (import trial)", "fmod", 1,
        "%s cannot be read: it is not a regular file" % f, trial=True, limit=120)
explain("explain directory named like a module", "dmod", 1,
        "%s cannot be read: it is a directory, not a file" % os.path.join(ex, "dmod" + SUF))
explain("explain module file is a symlink loop", "lp1", 1,
        "%s cannot be read: it is a symlink loop through lp2%s (Too many levels of "
        "symbolic links)" % (os.path.join(ex, "lp1" + SUF), SUF))
explain("explain module file links to /dev/zero", "zmod", 1,
        "%s cannot be read: it is a symlink to /dev/zero, which is not a regular file"
        % os.path.join(ex, "zmod" + SUF))

# A FIFO named like a legacy develop install's .egg-link in site-packages:
# editable-without-build reads its first line only from a regular file, so
# the run ends (a plain open() would wait for a writer forever) and the
# module is simply not found.
venv = path("fifovenv")
subprocess.run([PY, "-m", "venv", "--without-pip", venv], check=True)
vsite = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                        "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       capture_output=True, text=True, check=True).stdout.strip()
eproj = path("eggproj")
os.makedirs(os.path.join(eproj, "eggs"))
with open(os.path.join(eproj, "eggs", "__init__.py"), "w") as fh:
    fh.write("")
with open(os.path.join(vsite, "easy-install.pth"), "w") as fh:
    fh.write(eproj + "\n")
os.mkfifo(os.path.join(vsite, "eggs.egg-link"))
case("explain with a FIFO as .egg-link",
     ["explain", "--no-import", "--python", os.path.join(venv, "bin", "python"), "-C", S,
      "eggs._fry"], 1,
     "Cause: eggs (%s) has no module _fry" % os.path.join(eproj, "eggs"),
     stream="stdout", limit=60)

# An unreadable package directory. Root reads everything: as root, run
# extprobe as nobody (setpriv) so that the permissions count.
locked = path("locked")
os.makedirs(os.path.join(locked, "lpkg"))
with open(os.path.join(locked, "lpkg", "__init__.py"), "w") as fh:
    fh.write("")
os.chmod(os.path.join(locked, "lpkg"), 0)
as_user = ()
if is_root():
    as_user = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
unreadable_skip = None
if is_root() and shutil.which("setpriv") is None:
    unreadable_skip = "running as root without setpriv: permissions do not stop root"
elif is_root() and subprocess.run(list(as_user) + [EXTPROBE, "--help"],
                                  capture_output=True).returncode not in (0, 2):
    unreadable_skip = "nobody cannot run %s" % EXTPROBE
case("explain package directory unreadable",
     ["explain", "--no-import", "--python", PY, "-C", locked, "lpkg.mod"], 1,
     "Cause: %s cannot be listed (Permission denied), so the import cannot see "
     "whether it holds lpkg.mod" % os.path.join(locked, "lpkg"),
     stream="stdout", skip=unreadable_skip, prefix=as_user, cwd=locked)
case("inspect in an unreadable directory",
     ["inspect", os.path.join(locked, "lpkg", "x.so")], 1,
     "extprobe: %s: unreadable: Permission denied" % os.path.join(locked, "lpkg", "x.so"),
     skip=unreadable_skip, prefix=as_user, cwd=locked)
os.chmod(os.path.join(locked, "lpkg"), 0o755)

# 100,000 entries beside the module: the walk lists the directory once.
big = path("big")
os.mkdir(big)
for i in range(100000):
    with open(os.path.join(big, "f%06d.txt" % i), "wb"):
        pass
os.mkdir(os.path.join(big, "huge_pkg"))
with open(os.path.join(big, "huge_pkg", "__init__.py"), "w") as fh:
    fh.write("")
os.symlink("/dev/zero", os.path.join(big, "huge_pkg", "_ext" + SUF))
explain("explain in a directory of 100,000 entries", "huge_pkg._ext", 1,
        "%s cannot be read: it is a symlink to /dev/zero, which is not a regular file"
        % os.path.join(big, "huge_pkg", "_ext" + SUF), cwd=big, limit=60)
shutil.rmtree(big)

sock.close()
# ---- report ---------------------------------------------------------------
suite = ET.Element("testsuite", name="hostile", tests=str(len(results)),
                   failures=str(sum(1 for r in results if r[1])),
                   skipped=str(sum(1 for r in results if r[2])))
for name, err, skip, dt in results:
    tc = ET.SubElement(suite, "testcase", classname="hostile", name=name, time="%.2f" % dt)
    if err:
        ET.SubElement(tc, "failure", message=err[:200]).text = err
    if skip:
        ET.SubElement(tc, "skipped", message=skip)
ET.ElementTree(suite).write(JUNIT, encoding="utf-8", xml_declaration=True)
failed = [r[0] for r in results if r[1]]
print("%d cases: %d failed, %d skipped" % (len(results), len(failed),
                                            sum(1 for r in results if r[2])))
shutil.rmtree(S, ignore_errors=True)
sys.exit(1 if failed else 0)
