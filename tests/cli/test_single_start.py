"""explain takes the facts and runs the trial in one interpreter start where
that changes neither (docs/design/children.md, "The single start"), and in
two where it would. Oracles: a sitecustomize that counts the interpreter's
starts, and the real `python -B -c "import MOD"` run in the same directory
with the same environment -- the trial must see what it sees (sys.flags,
sys.argv, sys.path[0], the flags a Python child it starts gets). Real
interpreters: Debian's python3 and each pyenv CPython 3.8-3.13 found.
usage: test_single_start.py EXTPROBE SCRATCH_DIR [PYTHON...]
"""
import json
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402
from pythons import interpreters  # noqa: E402

extprobe, scratch = sys.argv[1], sys.argv[2]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


PROBE = '''import subprocess, sys
print("PROBE flags=%r" % (tuple(sys.flags),))
print("PROBE no_site=%r dont_write_bytecode=%r" % (sys.flags.no_site, sys.dont_write_bytecode))
print("PROBE argv0=%r path0=%r" % (sys.argv[0], sys.path[0]))
print("PROBE child_flags=%r" % (subprocess._args_from_interpreter_flags(),))
'''

shutil.rmtree(scratch, ignore_errors=True)
os.makedirs(scratch)
site = os.path.join(scratch, "site")
os.makedirs(site)
count = os.path.join(scratch, "starts")
write(os.path.join(site, "sitecustomize.py"),
      "with open(%r, 'a') as f:\n    f.write('start\\n')\nprint('sitecustomize ran')\n" % count)
work = os.path.join(scratch, "work")
os.makedirs(work)
write(os.path.join(work, "probe_mod.py"), PROBE)
# A project whose sysconfig.py shadows the standard one for `python -c`:
# the facts imported the standard sysconfig, so the trial needs a start of
# its own there.
shadow = os.path.join(scratch, "shadow")
os.makedirs(shadow)
write(os.path.join(shadow, "probe_mod.py"), PROBE)
write(os.path.join(shadow, "sysconfig.py"), "raise SystemExit('project sysconfig.py ran')\n")
env = dict(os.environ, PYTHONPATH=site)
env.pop("PYTHONSAFEPATH", None)


def starts():
    try:
        with open(count) as f:
            return len(f.read().splitlines())
    except OSError:
        return 0


def explain(py, cwd, *extra):
    before = starts()
    p = subprocess.run([extprobe, "explain", extra[0] if extra else "probe_mod",
                        "--python", py, "-C", cwd, "--json"] + list(extra[1:]),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=env)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {}
    return p.returncode, doc, starts() - before, p.stderr


def probe_lines(text):
    return sorted(l for l in (text or "").splitlines() if l.startswith("PROBE "))


for py in interpreters(sys.argv[3:]):
    real = subprocess.run([py, "-B", "-c", "import probe_mod"], cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True).stdout
    rc, doc, n, err = explain(py, work)
    out = (doc.get("trial") or {}).get("output") or ""
    check(rc == 0 and doc.get("importable") is True,
          "%s: explain probe_mod: exit 0, importable (got %s: %s)" % (py, rc, err.strip()[-200:]))
    check(n == 1, "%s: explain probe_mod: one interpreter start (got %d)" % (py, n))
    check(probe_lines(out) == probe_lines(real) and probe_lines(real),
          "%s: the trial sees what `python -B -c` sees:\n  trial %s\n  real  %s"
          % (py, probe_lines(out), probe_lines(real)))
    check(out.count("sitecustomize ran") == 1,
          "%s: the trial's output has the startup's output once (got %r)" % (py, out[:300]))

    rc, doc, n, err = explain(py, shadow)
    out = (doc.get("trial") or {}).get("output") or ""
    check(rc == 0 and doc.get("importable") is True and "project sysconfig.py ran" not in err + out,
          "%s: project sysconfig.py: exit 0, importable, never run (got %s: %s)"
          % (py, rc, err.strip()[-200:]))
    check(n == 2, "%s: project sysconfig.py: two starts, facts and trial (got %d)" % (py, n))
    check(out.count("sitecustomize ran") == 1,
          "%s: project sysconfig.py: the trial child's output has its startup's once (got %r)"
          % (py, out[:300]))

    rc, doc, n, err = explain(py, work, "probe_mod", "--no-import")
    check(rc == 0 and n == 1, "%s: --no-import: exit 0, one start (got %s, %d)" % (py, rc, n))
    rc, doc, n, err = explain(py, work, "sys")
    check(rc == 0 and doc.get("importable") is True and n == 1,
          "%s: a built-in module: exit 0, importable, one start (got %s, %d)" % (py, rc, n))

finish()
