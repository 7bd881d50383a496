"""Run docs/examples/wheel.c on a wheel written here with zipfile: a cp38-abi3
wheel with a RECORD that matches. For cp312 on x86_64 it has no findings
(exit 0); for aarch64, pip would refuse it: abi-tag-mismatch (exit 1).
usage: wheel_check.py EXAMPLE SCRATCH"""
import base64
import hashlib
import os
import subprocess
import sys
import zipfile

example, scratch = sys.argv[1], sys.argv[2]
os.makedirs(scratch, exist_ok=True)
path = os.path.join(scratch, "demo-1.0-py3-none-any.whl")
files = {"demo/__init__.py": b"X = 1\n",
         "demo-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
         "demo-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
record = "".join("%s,sha256=%s,%d\n" % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest())
                                        .rstrip(b"=").decode(), len(d)) for n, d in files.items())
with zipfile.ZipFile(path, "w") as z:
    for n, d in files.items():
        z.writestr(n, d)
    z.writestr("demo-1.0.dist-info/RECORD", record + "demo-1.0.dist-info/RECORD,,\n")
ok = subprocess.run([example, "cp312-manylinux_2_28_x86_64", path], capture_output=True, text=True)
print(ok.stdout, end="")
bad = subprocess.run([example, "cp27-manylinux_2_28_x86_64", path], capture_output=True, text=True)
print(bad.stdout, end="")
sys.exit(0 if ok.returncode == 0 and "0 findings" in ok.stdout and bad.returncode == 1
         and "error[abi-tag-mismatch]" in bad.stdout else 1)
