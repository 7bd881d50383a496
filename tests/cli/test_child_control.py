"""The children extprobe starts stay under control (issue 9): --timeout bounds
the whole run even when the child closes its pipes and keeps running; a
daemon (setsid, double fork) that keeps the pipes open neither stalls the
run nor hides complete facts; a child that hangs after its last record is
stopped, its facts kept; and no process is left behind (checked in /proc by
a marker in argv[0]). Real interpreters: Debian's python3 and each pyenv
CPython 3.8-3.13 found.
usage: test_child_control.py EXTPROBE SCRATCH_DIR [PYTHON...]
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402
from pythons import interpreters  # noqa: E402
import time

extprobe, scratch = sys.argv[1], sys.argv[2]
MARK = "extprobe-test-orphan-%d" % os.getpid()


def leftovers():
    """PIDs of live processes whose command line carries this run's marker."""
    found = []
    for d in glob.glob("/proc/[0-9]*"):
        try:
            with open(d + "/cmdline", "rb") as f:
                cmd = f.read()
            with open(d + "/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if MARK.encode() in cmd and state != "Z":
            found.append(int(d[6:]))
    return found


def clean_up():
    for pid in leftovers():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def run(args, env=None, limit=90):
    """(exit status or 'hung', stdout, stderr, seconds)."""
    t0 = time.time()
    p = subprocess.Popen([extprobe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, env=env, start_new_session=True)
    try:
        out, err = p.communicate(timeout=limit)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        rc = "hung"
    return rc, out, err, time.time() - t0


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


shutil.rmtree(scratch, ignore_errors=True)
os.makedirs(scratch)
env0 = dict(os.environ)
env0.pop("PYTHONPATH", None)

# 1. An "interpreter" that closes stdout, stderr and fd 3, then sleeps: no
# EOF-driven wait may outlive --timeout, and the sleeper is killed.
closer = os.path.join(scratch, "closing-python")
write(closer, "#!/bin/bash\nexec 1>&- 2>&- 3>&-\nexec -a %s-closer sleep 60\n" % MARK, 0o755)
rc, out, err, secs = run(["explain", "json", "--python", closer, "--timeout", "2"], env0)
check(rc == 2 and "did not answer within 2 s" in err,
      "closed pipes, still running: exit 2, 'did not answer within 2 s' (got %s: %s)"
      % (rc, err.strip()[-200:]))
check(secs < 2 + 5, "closed pipes, still running: over in %.1f s (limit 7 s)" % secs)
check(not leftovers(), "closed pipes, still running: no process left (%s)" % leftovers())
clean_up()

# 2. Per interpreter: a sitecustomize that starts a setsid daemon holding the
# pipes (stdout, stderr, fd 3), and one that leaves a same-group sleeper with
# its pipes closed; then one that hangs at exit after the last record.
daemon_site = os.path.join(scratch, "daemon-site")
os.makedirs(daemon_site)
write(os.path.join(daemon_site, "sitecustomize.py"), """\
import os
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sleep", ["%s-daemon", "120"])
    os._exit(0)
os.waitpid(pid, 0)
import subprocess
subprocess.Popen(["%s-sleeper", "120"], executable="/bin/sleep", close_fds=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
""" % (MARK, MARK))
hang_site = os.path.join(scratch, "hang-site")
os.makedirs(hang_site)
write(os.path.join(hang_site, "sitecustomize.py"),
      "import atexit, time\natexit.register(time.sleep, 120)\n")
TIMEOUT = 15
for py in interpreters(sys.argv[3:]):
    env = dict(env0, PYTHONPATH=daemon_site)
    for extra, what in ((["--no-import"], "facts only"), ([], "facts and import trial")):
        rc, out, err, secs = run(["explain", "json", "--python", py, "--timeout", str(TIMEOUT),
                                  "--json"] + extra, env)
        try:
            doc = json.loads(out)
        except ValueError:
            doc = {}
        paths = [e.get("origin") for e in doc.get("python", {}).get("sys_path", [])]
        check(rc == 0 and "PYTHONPATH" in paths and "stdlib" in paths,
              "%s, daemon holds the pipes, %s: exit 0, complete facts (got %s, origins %s: %s)"
              % (py, what, rc, paths, err.strip()[-200:]))
        check(secs < TIMEOUT - 5, "%s, daemon holds the pipes, %s: over in %.1f s, not at the "
              "%d s timeout" % (py, what, secs, TIMEOUT))
        left = leftovers()
        check(not left, "%s, daemon holds the pipes, %s: no process left (%s)" % (py, what, left))
        clean_up()
    env = dict(env0, PYTHONPATH=hang_site)
    rc, out, err, secs = run(["explain", "json", "--python", py, "--timeout", str(TIMEOUT),
                              "--json"], env)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    check(rc == 0 and doc.get("importable") is True,
          "%s, hangs at exit after its records: exit 0, importable (got %s: %s)"
          % (py, rc, err.strip()[-200:]))
    check(secs < TIMEOUT - 5, "%s, hangs at exit: over in %.1f s, not at the %d s timeout"
          % (py, secs, TIMEOUT))

clean_up()
finish()
