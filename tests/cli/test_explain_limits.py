"""The work per None attribute is bounded (issue 9): a package that sets
10000 names to None -- besides the `_ext = None` of a swallowed failed
extension import -- is explained in seconds and a few MB, the swallowed
import is still found, and the report says the attributes were capped.
(Uncapped, this cost 1 GB and over a minute.) Debian's python3 is the
interpreter; the compiled module is cut short, so the loader refuses it.
usage: test_explain_limits.py EXTPROBE SCRATCH_DIR
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

extprobe, scratch = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


shutil.rmtree(scratch, ignore_errors=True)
pkg = os.path.join(scratch, "site", "manynone")
os.makedirs(pkg)
with open(os.path.join(pkg, "__init__.py"), "w") as f:
    f.write("try:\n    from . import _ext\nexcept ImportError:\n    _ext = None\n"
            "for _i in range(10000):\n    globals()['attr%d' % _i] = None\n")
with open(os.path.join(pkg, "_ext" + sysconfig.get_config_var("EXT_SUFFIX")), "wb") as f:
    f.write(open(extprobe, "rb").read(40))
env = dict(os.environ, PYTHONPATH=os.path.join(scratch, "site"))

r = subprocess.run(["/usr/bin/python3", "-c", "import manynone; print(manynone._ext, "
                    "sum(v is None and not k.startswith('__') for k, v in vars(manynone).items()))"],
                   stdout=subprocess.PIPE, universal_newlines=True, env=env, cwd=scratch)
check(r.stdout.split() == ["None", "10001"],
      "oracle: the package imports, _ext and 10000 more names are None (%r)" % r.stdout)

t0 = time.time()
r = subprocess.run([extprobe, "explain", "manynone", "--python", "/usr/bin/python3",
                    "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   universal_newlines=True, env=env, cwd=scratch, timeout=600)
secs = time.time() - t0
rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
doc = json.loads(r.stdout) if r.stdout.startswith("{") else {}
codes = [f["code"] for f in doc.get("findings", [])]
check(r.returncode == 1 and codes[:1] == ["swallowed-import-error"]
      and "not-an-extension" in codes,
      "the swallowed import is found: exit 1, %s" % codes)
check(any("10000" in n or "10001" in n for n in doc.get("notes", [])),
      "the report says the None attributes were capped: %s" % doc.get("notes"))
check(secs < 15, "over in %.1f s (bound 15 s)" % secs)
check(rss_mb < 200, "at most %.0f MB resident (bound 200 MB)" % rss_mb)

finish()
