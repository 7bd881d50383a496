#!/usr/bin/python3
"""`extprobe deps FILE` reads the libraries of one tree through mappings; a
library truncated while it is mapped raises SIGBUS at the next touch of a
page past its new end. The CLI must then end with one line naming FILE and
exit status 2, not die of the signal.

The race is made certain with strace: the library's fstat (after which its
size is taken for the mapping) is held for a few seconds by strace's delay
injection, the library is truncated meanwhile, and the mapping then covers
pages the file no longer has. strace reports the SIGBUS it saw: the oracle
that the signal really came.

The library is a copy of this machine's libz.so.1 next to a module built
with gcc that needs it through RUNPATH $ORIGIN. Without the truncation the
same run finds it there and exits 0.

Usage: deps_sigbus.py EXTPROBE SCRATCH
Exit 77 (skip) when strace is missing or cannot trace here (no ptrace).
"""
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

EXTPROBE, SCRATCH = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


def skip(why):
    print("skip: " + why)
    sys.exit(77)


strace = shutil.which("strace")
if strace is None:
    skip("strace is not installed (scripts/deps.sh installs it)")
if subprocess.run([strace, "-o", "/dev/null", "true"],
                  capture_output=True).returncode != 0:
    skip("strace cannot trace here (ptrace not permitted)")
libz = next((p for p in ("/lib/x86_64-linux-gnu/libz.so.1",
                         "/usr/lib/x86_64-linux-gnu/libz.so.1")
             if os.path.exists(p)), None)
if libz is None:
    skip("no libz.so.1 to copy")

shutil.rmtree(SCRATCH, ignore_errors=True)
os.makedirs(SCRATCH)
lib = os.path.join(SCRATCH, "libz.so.1")
mod = os.path.join(SCRATCH, "mod.so")
with open(os.path.join(SCRATCH, "mod.c"), "w") as f:
    f.write("int deflateEnd(void *);\nint f(void) { return deflateEnd(0); }\n")
shutil.copyfile(libz, lib)
r = subprocess.run(["gcc", "-shared", "-fPIC", "-o", mod, "mod.c", "-L.",
                    "-l:libz.so.1", "-Wl,-rpath,$ORIGIN"], cwd=SCRATCH,
                   capture_output=True, text=True)
if r.returncode != 0:
    skip("gcc failed: " + r.stderr[-300:])
env = dict(os.environ)
env.pop("LD_LIBRARY_PATH", None)
# LeakSanitizer cannot work under ptrace: in a sanitizer build it would fail
# the traced run at exit.
env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                             "detect_leaks=0"]))
DELAY_US = 4000000


def traced(truncate):
    """Run deps on the module with the library's fstat held DELAY_US;
    truncate the library meanwhile when asked. (rc, stdout, stderr, the
    strace log)."""
    shutil.copyfile(libz, lib)
    log = os.path.join(SCRATCH, "strace.log")
    if os.path.exists(log):
        os.unlink(log)
    p = subprocess.Popen([strace, "-o", log, "-P", lib,
                          "-e", "trace=openat,newfstatat,mmap",
                          "-e", "inject=newfstatat:delay_exit=%d" % DELAY_US,
                          EXTPROBE, "deps", "--standalone", mod],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env)
    if truncate:
        # The openat is logged when it returns; the fstat that follows at
        # once is then held for DELAY_US: truncate inside that window.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(log) and "openat(" in open(log).read():
                break
            time.sleep(0.02)
        time.sleep(0.5)
        os.truncate(lib, 0)
    out, err = p.communicate(timeout=120)
    text = open(log).read() if os.path.exists(log) else ""
    return p.returncode, out, err, text


rc, out, err, log = traced(False)
check(rc == 0 and lib in out and "(DELAYED)" in log,
      "oracle: untouched, the library is found by RUNPATH and the tree loads "
      "(rc %s %r)" % (rc, err))

rc, out, err, log = traced(True)
lines = err.splitlines()
check("SIGBUS" in log, "strace saw the SIGBUS the truncation causes")
check(rc == 2, "exit status 2, not death by the signal (rc %s)" % rc)
check(len(lines) == 1 and lines[0].startswith("extprobe: " + mod + ": ") and
      "truncated" in lines[0] and "SIGBUS" in lines[0],
      "one line on stderr naming FILE and the cause: %r" % lines)

shutil.rmtree(SCRATCH, ignore_errors=True)
finish()
