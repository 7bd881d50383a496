"""extprobe explain's output formats: --format github (GitHub Actions workflow
commands, escaped), colour only on a terminal and never with NO_COLOR, the
contract's exit codes, and JSON equal to the text's findings. A real broken
layout is made first: a package whose compiled module cannot load.
usage: test_explain_output.py EXTPROBE SCRATCH_DIR
"""
import json
import os
import pty
import shutil
import subprocess
import sys
import sysconfig

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

extprobe, scratch = sys.argv[1], sys.argv[2]


def run(args, env=None, cwd=None):
    return subprocess.run([extprobe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, cwd=cwd, timeout=120)


def run_in_pty(args, env):
    """The command's output as a terminal sees it."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(extprobe, [extprobe] + args, env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode("utf-8", "replace")


shutil.rmtree(scratch, ignore_errors=True)
pkg = os.path.join(scratch, "site", "brokenpkg")
os.makedirs(pkg)
open(os.path.join(pkg, "__init__.py"), "w").write("from . import _ext\n")
# A compiled module cut short: the loader refuses it ("file too short").
suffix = sysconfig.get_config_var("EXT_SUFFIX")
with open(os.path.join(pkg, "_ext" + suffix), "wb") as f:
    f.write(open(extprobe, "rb").read(40))
env = dict(os.environ, PYTHONPATH=os.path.join(scratch, "site"))
env.pop("NO_COLOR", None)
py = ["--python", "/usr/bin/python3", "-C", scratch]

r = run(["explain", "brokenpkg"] + py + ["--format", "github"], env=env)
check(r.returncode == 1, "github format: exit 1 for an error finding (got %d)" % r.returncode)
lines = [l for l in r.stdout.splitlines() if l.startswith("::")]
check(lines and all(l.startswith(("::error ", "::warning ", "::notice ")) for l in lines),
      "github format: every line is a workflow command: %r" % r.stdout[:300])
check(any("title=extprobe not-an-extension%3A import brokenpkg" in l for l in lines),
      "github format: the title names the finding, ':' escaped as %3A")
check(any("file=" + pkg in l for l in lines), "github format: file= names the module")
check(any("%0A" in l for l in lines), "github format: newlines of the detail escaped as %0A")

r = run(["explain", "brokenpkg"] + py + ["--json"], env=env)
doc = json.loads(r.stdout)
check(doc["findings"][0]["code"] == "not-an-extension",
      "json: headline not-an-extension (got %s)" % [f["code"] for f in doc["findings"]])
check(r.returncode == 1, "json: exit 1")

r = run(["explain", "brokenpkg"] + py + ["--color", "always"], env=env)
check("\033[" in r.stdout, "--color always: ANSI colour even into a pipe")
r = run(["explain", "brokenpkg"] + py, env=env)
check("\033[" not in r.stdout, "--color auto into a pipe: no colour")
out = run_in_pty(["explain", "brokenpkg"] + py, env)
check("\033[" in out, "--color auto on a terminal: colour")
out = run_in_pty(["explain", "brokenpkg"] + py, dict(env, NO_COLOR="1"))
check("\033[" not in out and "not-an-extension" in out, "NO_COLOR on a terminal: no colour")

r = run(["explain"], env=env)
check(r.returncode == 2 and r.stderr.startswith("extprobe: "), "no MODULE: exit 2, one message")
r = run(["explain", "x", "--format", "xml"], env=env)
check(r.returncode == 2 and "--format" in r.stderr, "bad --format: exit 2 naming the option")
r = run(["explain", "json", "--python", "/nonexistent/python3"], env=env)
check(r.returncode == 2 and "/nonexistent/python3" in r.stderr,
      "interpreter not found: exit 2 naming it (got %d: %s)" % (r.returncode, r.stderr.strip()))
# An interpreter that hangs is killed at the timeout; one that fails is
# reported with the last line it printed. Both are probe failures: exit 2.
hang = os.path.join(scratch, "hanging-python")
with open(hang, "w") as f:
    f.write("#!/bin/sh\nsleep 30\n")
broken = os.path.join(scratch, "broken-python")
with open(broken, "w") as f:
    f.write("#!/bin/sh\necho 'Traceback (most recent call last):' >&2\n"
            "echo 'ModuleNotFoundError: No module named encodings' >&2\nexit 1\n")
os.chmod(hang, 0o755)
os.chmod(broken, 0o755)
r = run(["explain", "json", "--python", hang, "--timeout", "1"], env=env)
check(r.returncode == 2 and "did not answer within 1 s" in r.stderr,
      "hanging interpreter: exit 2 after the timeout (got %d: %s)" % (r.returncode, r.stderr.strip()))
r = run(["explain", "json", "--python", broken], env=env)
check(r.returncode == 2 and "No module named encodings" in r.stderr,
      "failing interpreter: exit 2 with its last line (got %d: %s)" % (r.returncode, r.stderr.strip()))
r = run(["explain", "json", "--python", "/usr/bin/python3", "--no-import"], env=env)
check(r.returncode == 0, "healthy stdlib module: exit 0 (got %d)" % r.returncode)
# Without the trial the walk cannot know that the import works: the text
# says what it checked, never that the module imports.
check("No problem found statically" in r.stdout and " imports" not in r.stdout.split("\n\n")[1],
      "--no-import: 'No problem found statically', never 'imports' (got %r)"
      % r.stdout.split("\n\n")[1][:200])
r = run(["explain", "json", "--python", "/usr/bin/python3"], env=env)
check(r.returncode == 0 and "OK: json imports" in r.stdout,
      "with the trial: 'OK: json imports' (got %d: %r)" % (r.returncode, r.stdout[:300]))
# A namespace directory without the wanted submodule: the real import raises
# ModuleNotFoundError, so never exit 0 nor "OK".
os.makedirs(os.path.join(scratch, "nsonly", "nsonly_pkg"))
r = run(["explain", "nsonly_pkg.sub", "--python", "/usr/bin/python3", "-C",
         os.path.join(scratch, "nsonly")], env=env)
check(r.returncode == 1 and "OK:" not in r.stdout and "Cause:" in r.stdout,
      "namespace-only package, submodule absent: exit 1 with a Cause (got %d: %r)"
      % (r.returncode, r.stdout[:300]))

finish()
