# Install the example package into a fresh venv as a wheel install would:
# package files, a .dist-info with METADATA, WHEEL and a RECORD that lists the
# compiled module. usage: make_venv.py VENV EXTENSION INIT_PY STAMP
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig

venv, ext, init_py, stamp = sys.argv[1:5]
if os.path.isdir(venv):
    shutil.rmtree(venv)
subprocess.check_call([sys.executable, "-m", "venv", "--without-pip", venv])
vpy = os.path.join(venv, "bin", "python")
site = subprocess.check_output(
    [vpy, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
    text=True).strip()
pkg = os.path.join(site, "fraise")
os.makedirs(pkg)
suffix = sysconfig.get_config_var("EXT_SUFFIX")
files = {
    "fraise/__init__.py": init_py,
    "fraise/_fraise_rs" + suffix: ext,
}
dist = "fraise-1.0.dist-info"
os.makedirs(os.path.join(site, dist))
tag = "cp%d%d" % sys.version_info[:2]
meta = {
    dist + "/METADATA": "Metadata-Version: 2.1\nName: fraise\nVersion: 1.0\n",
    dist + "/WHEEL": "Wheel-Version: 1.0\nGenerator: extprobe-example\n"
                     "Root-Is-Purelib: false\nTag: %s-%s-linux_x86_64\n" % (tag, tag),
    dist + "/INSTALLER": "extprobe-example\n",
}
record = []
for rel, src in files.items():
    shutil.copy(src, os.path.join(site, rel))
for rel, text in meta.items():
    with open(os.path.join(site, rel), "w") as f:
        f.write(text)
for rel in list(files) + list(meta):
    data = open(os.path.join(site, rel), "rb").read()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append("%s,sha256=%s,%d" % (rel, digest, len(data)))
record.append(dist + "/RECORD,,")
with open(os.path.join(site, dist, "RECORD"), "w") as f:
    f.write("\n".join(record) + "\n")
open(stamp, "w").write(site + "\n")
