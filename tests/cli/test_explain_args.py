"""explain's arguments (issue 9): a relative --python (a path, or a name found
through a relative PATH element) means the file seen from where extprobe is
called, not a file of the -C directory; --timeout takes a sane number of
seconds or exits 2.
usage: test_explain_args.py EXTPROBE SCRATCH_DIR
"""
import json
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

extprobe, scratch = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


def run(args, env=None, cwd=None):
    r = subprocess.run([extprobe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=env, cwd=cwd, timeout=120)
    return r.returncode, r.stdout, r.stderr


shutil.rmtree(scratch, ignore_errors=True)
caller = os.path.join(scratch, "caller")
project = os.path.join(scratch, "project")
marker = os.path.join(scratch, "DECOY-RAN")
for d in (caller, project):
    os.makedirs(os.path.join(d, "tools"))
# The caller's tools/py is the real interpreter; the project's is a decoy
# that must never run.
os.symlink("/usr/bin/python3", os.path.join(caller, "tools", "py"))
with open(os.path.join(project, "tools", "py"), "w") as f:
    f.write("#!/bin/sh\necho ran > %s\nexit 3\n" % marker)
os.chmod(os.path.join(project, "tools", "py"), 0o755)
env = dict(os.environ)
env.pop("PYTHONPATH", None)

for what, python, e in (
        ("relative path tools/py", "tools/py", env),
        ("name py on a relative PATH element", "py",
         dict(env, PATH="tools:" + env.get("PATH", "/usr/bin:/bin")))):
    rc, out, err = run(["explain", "json", "--python", python, "-C", "../project",
                        "--no-import", "--json"], env=e, cwd=caller)
    exe = ""
    try:
        exe = json.loads(out)["python"]["executable"]
    except (ValueError, KeyError):
        pass
    check(rc == 0 and os.path.realpath(exe) == os.path.realpath("/usr/bin/python3"),
          "%s: the caller's interpreter, started in -C (got %s, executable %r: %s)"
          % (what, rc, exe, err.strip()[-200:]))
    check(not os.path.exists(marker), "%s: the project's tools/py never ran" % what)
    if os.path.exists(marker):
        os.unlink(marker)

# --timeout: a number of seconds, finite, above 0 and at most a day; else
# exit 2 with one line naming the option -- never a run with a nonsense limit.
for bad in ("nan", "inf", "-inf", "-1", "0", "1e9", "86401", "abc", "5s", ""):
    rc, out, err = run(["explain", "json", "--python", "/usr/bin/python3", "--no-import",
                        "--timeout", bad], env=env)
    check(rc == 2 and "--timeout" in err and err.count("\n") == 1,
          "--timeout %r: exit 2, one line naming --timeout (got %s: %r)" % (bad, rc, err))
rc, out, err = run(["explain", "json", "--python", "/usr/bin/python3", "--no-import",
                    "--timeout", "0.5"], env=env)
check(rc == 0, "--timeout 0.5: accepted (got %s: %s)" % (rc, err.strip()))
# python -m extprobe: the same rule, the same exit status.
for bad in ("nan", "-1", "1e9"):
    r = subprocess.run(["/usr/bin/python3", "-m", "extprobe", "json", "--no-import",
                        "--timeout", bad], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60,
                       env=dict(env, PYTHONPATH=os.path.join(os.path.dirname(extprobe), "..",
                                                             "pyshim")))
    check(r.returncode == 2 and "--timeout" in r.stderr,
          "python -m extprobe --timeout %r: exit 2 naming --timeout (got %s: %s)"
          % (bad, r.returncode, r.stderr.strip()[-200:]))

# deps --python never runs the interpreter (it is modelled from its files):
# a wrapper script that is neither a pyenv shim nor a venv interpreter is
# refused in one line, and a sysconfig.py here never runs.
trap_dir = os.path.join(scratch, "trap")
os.makedirs(trap_dir)
with open(os.path.join(trap_dir, "sysconfig.py"), "w") as f:
    f.write("open(%r, 'w').write('ran')\n" % marker)
wrapper = os.path.join(scratch, "wrapped-python")
with open(wrapper, "w") as f:
    f.write('#!/bin/sh\nexec /usr/bin/python3 "$@"\n')
os.chmod(wrapper, 0o755)
lib = [p for p in (os.path.join("/usr/lib/python3.11/lib-dynload", n)
                   for n in sorted(os.listdir("/usr/lib/python3.11/lib-dynload")))
       if p.endswith(".so")][0]
rc, out, err = run(["deps", lib, "--python", wrapper, "--json"], env=env, cwd=trap_dir)
check(rc == 2 and out == "" and err.count("\n") == 1 and "wrapped-python" in err,
      "deps --python WRAPPER in a directory with a sysconfig.py: refused in "
      "one line, nothing run (got %s: %s)" % (rc, err.strip()[-200:]))
check(not os.path.exists(marker), "deps --python: the directory's sysconfig.py never ran")

finish()
